"""Connection limits below the app: header size and count, read deadlines, idle time, connections per worker.

uvicorn's httptools protocol reads a header of any size (one of 100 MB was
read and answered after 9 s: httptools grows it by ``bytes +=``), waits for a
request's headers and body as long as a byte keeps coming, and only times out
a connection *after* a response, so a connection that never sends stays open.
:class:`GuardedProtocol` is that protocol with one deadline per connection,
whose meaning follows the connection's phase:

========  ==========================================  ===========================
phase     ends when                                   past its deadline
========  ==========================================  ===========================
idle      the first byte of a request arrives         closed, no answer
headers   the headers are complete                    408, then closed
body      the body is complete                        408, then closed
app       the response is sent (the app's own time)   no deadline
========  ==========================================  ===========================

Each deadline is set once, when its phase starts, and bytes arriving do not
move it: a client trickling a byte a second is bounded by the total, not the
gap. Headers over :data:`MAX_HEADER_BYTES` or :data:`MAX_HEADER_COUNT` get
431; a connection past the worker's limit gets 503 with ``Retry-After``. A
refusal is one JSON line, ``{"error": ...}`` (the API's error shape), sent
with ``Connection: close``; the server then stops sending, reads and discards
what the client still sends for up to :data:`LINGER_SECONDS` so that the
client can read the answer, and closes. A response the client does not read
for :data:`SEND_STALL_SECONDS` closes the connection.

``thumbs serve`` passes the class to uvicorn as its ``http`` protocol;
``timeout_keep_alive`` and ``limit_concurrency`` of uvicorn's config set the
idle time and the connection limit.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httptools
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from thumbs.server.headers import with_security_headers

#: Bytes of request line and headers accepted (32 KiB). Node allows 16 KiB, nginx 4 x 8 KiB lines; 32 KiB
#: leaves room for the cookies every other app on localhost sets, and costs little per connection.
MAX_HEADER_BYTES = 32 * 1024
#: Header fields accepted: Apache's default (LimitRequestFields 100); browsers send about 15.
MAX_HEADER_COUNT = 100
#: Seconds from a request's first byte to the end of its headers: a slow link sends 32 KiB in well under this.
HEADERS_SECONDS = 10.0
#: Seconds from the end of the headers to the end of the body: the 1 MB body limit at 35 KB/s.
BODY_SECONDS = 30.0
#: Seconds a connection may sit without a request, before its first one and between requests
#: (uvicorn's default keep-alive; a client reconnects in about a millisecond on loopback).
KEEP_ALIVE_SECONDS = 5
#: Connections one worker holds at once; past this a request gets 503. Well below the usual limit of
#: 1024 open files per process, and about 20 KB each, so a worker's connections stay under ~5 MB.
MAX_CONNECTIONS = 256
#: What a 503 asks the client to wait, in seconds.
RETRY_AFTER_SECONDS = 2
#: Seconds a connection past the limit gets to send its headers (to read the 503) before it is closed.
OVER_LIMIT_SECONDS = 1.0
#: Seconds a response may wait on a client that does not read it before the connection is closed.
SEND_STALL_SECONDS = 30.0
#: Requests one connection may have read and queued behind the one being answered; past this the
#: connection is closed. Browsers do not pipeline; without a cap, one read of 256 KB of small requests
#: from a client that never reads its answers queues hundreds of analyses.
MAX_PIPELINED = 16
#: After a refusal, how long and how many bytes the server still reads and discards, so that the client
#: sees the answer instead of a reset; then the connection is closed.
LINGER_SECONDS, LINGER_BYTES = 2.0, 1_000_000

IDLE, HEADERS, BODY, APP, CLOSING = "idle", "headers", "body", "app", "closing"


class RequestRefused(Exception):
    """Raised inside a parser callback to stop parsing a request that breaks a limit."""

    def __init__(self, status: int, message: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def refusal(status: int, message: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> bytes:
    """A complete HTTP/1.1 response ``{"error": message}`` with ``Connection: close`` and the security headers."""
    body = json.dumps({"error": message}).encode()
    phrase = {
        400: b"Bad Request",
        408: b"Request Timeout",
        431: b"Request Header Fields Too Large",
        503: b"Service Unavailable",
    }
    lines = [
        b"HTTP/1.1 %d %s" % (status, phrase.get(status, b"Error")),
        b"content-type: application/json",
        b"content-length: %d" % len(body),
        b"connection: close",
        *(name + b": " + value for name, value in with_security_headers(list(headers))),
    ]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits of this module (see the module's table)."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.max_connections = config.limit_concurrency or MAX_CONNECTIONS
        self.limit_concurrency = None  # uvicorn's own check answers in plain text; ours in JSON
        self.phase = IDLE
        self.deadline: asyncio.TimerHandle | None = None
        self.head_bytes = 0
        self.header_count = 0
        self.over_limit = False
        self.stall: asyncio.TimerHandle | None = None
        self.discarded = 0

    # -- the deadline --------------------------------------------------------------------

    def _arm(self, phase: str, seconds: float | None) -> None:
        """Enter ``phase``; past ``seconds`` (None: never) the connection is refused or closed."""
        if self.deadline is not None:
            self.deadline.cancel()
        self.phase = phase
        self.deadline = self.loop.call_later(seconds, self._expired) if seconds is not None else None

    def _expired(self) -> None:
        self.deadline = None
        if self.phase in (IDLE, CLOSING):
            self.transport.close()
        elif self.phase == HEADERS:
            self._refuse(408, f"the request's headers took over {HEADERS_SECONDS:g} s: send them at once")
        elif self.phase == BODY:
            self._refuse(408, f"the request's body took over {BODY_SECONDS:g} s: send it at once")

    def _idle_seconds(self) -> float:
        return OVER_LIMIT_SECONDS if self.over_limit else float(self.timeout_keep_alive)

    # -- refusing ------------------------------------------------------------------------

    def _refuse(self, status: int, message: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
        """Answer ``status`` (unless a response is under way), stop sending, linger, close."""
        if self.phase == CLOSING or self.transport.is_closing():
            return
        answering = self.cycle
        busy = answering is not None and answering.response_started and not answering.response_complete
        busy = busy or (self.phase == HEADERS and answering is not None and not answering.response_complete)
        if self.cycle is not None:
            self.cycle.keep_alive = False
        self.pipeline.clear()
        self._arm(CLOSING, LINGER_SECONDS)
        if busy:  # an answer now would land inside another response
            self.transport.close()
            return
        self.transport.write(refusal(status, message, headers))
        try:
            self.transport.write_eof()
        except (NotImplementedError, RuntimeError, OSError):  # TLS cannot half-close
            self.transport.close()

    # -- the transport -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Count the connection against the worker's limit and start the idle deadline."""
        super().connection_made(transport)
        self.over_limit = len(self.connections) > self.max_connections
        self._arm(IDLE, self._idle_seconds())

    def connection_lost(self, exc: Exception | None) -> None:
        """Cancel the timers, then uvicorn's clean-up."""
        for timer in (self.deadline, self.stall):
            if timer is not None:
                timer.cancel()
        self.phase = CLOSING
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Feed the parser, refusing a request whose headers grow past the limit."""
        if self.phase == CLOSING:
            self.discarded += len(data)
            if self.discarded > LINGER_BYTES:
                self.transport.close()
            return
        self._unset_keepalive_if_required()
        counting = self.phase in (IDLE, HEADERS)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            refused = exc.__context__
            if isinstance(refused, RequestRefused):
                self._refuse(refused.status, refused.message, refused.headers)
                return
            raise
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError:
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response("Invalid HTTP request received.")
            return
        if counting and self.phase == HEADERS:
            self.head_bytes += len(data)  # a whole read: the parser may hold this much of a header
            if self.head_bytes > MAX_HEADER_BYTES:
                self._refuse(431, _too_large())

    def send_400_response(self, msg: str) -> None:
        """What the parser cannot read as HTTP/1.1 (request line, header, Content-Length): 400 in JSON, then close."""
        message = (
            "not a valid HTTP/1.1 request (its request line, a header, or a Content-Length that is not one number)"
        )
        self.transport.write(refusal(400, message))
        self.transport.close()

    def pause_writing(self) -> None:
        """The client stopped reading: close the connection unless it reads again within the bound."""
        super().pause_writing()
        if self.stall is None:
            self.stall = self.loop.call_later(SEND_STALL_SECONDS, self.transport.abort)

    def resume_writing(self) -> None:
        """The client reads again."""
        super().resume_writing()
        if self.stall is not None:
            self.stall.cancel()
            self.stall = None

    # -- parser callbacks ----------------------------------------------------------------

    def on_message_begin(self) -> None:
        """A request starts: its headers have :data:`HEADERS_SECONDS`."""
        super().on_message_begin()
        self.head_bytes = self.header_count = 0
        self._arm(HEADERS, HEADERS_SECONDS)

    def on_url(self, url: bytes) -> None:
        """Count the request target against the header bytes."""
        self.head_bytes += len(url)
        if self.head_bytes > MAX_HEADER_BYTES:
            raise RequestRefused(431, _too_large())
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        """Count the field; refuse past :data:`MAX_HEADER_COUNT`."""
        self.header_count += 1
        if self.header_count > MAX_HEADER_COUNT:
            raise RequestRefused(
                431, f"the request has over {MAX_HEADER_COUNT} header fields: send fewer (cookies are fields too)"
            )
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        """Check the whole head's size, then hand the request to the app (or answer 503 past the limit)."""
        size = len(self.url) + sum(len(n) + len(v) + 4 for n, v in self.headers)
        if size > MAX_HEADER_BYTES:
            raise RequestRefused(431, _too_large())
        if self.over_limit:
            message = f"this server is busy ({self.max_connections} connections): retry in {RETRY_AFTER_SECONDS} s"
            raise RequestRefused(503, message, ((b"retry-after", b"%d" % RETRY_AFTER_SECONDS),))
        if len(self.pipeline) >= MAX_PIPELINED:
            raise RequestRefused(503, f"over {MAX_PIPELINED} requests queued on one connection: read the answers")
        self._arm(BODY, BODY_SECONDS)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        """The request is read: no deadline while the app works (and the idle one if it already answered)."""
        super().on_message_complete()
        if self.phase == CLOSING:
            return
        self._arm(APP, None)
        if self._answered():
            self._arm(IDLE, self._idle_seconds())

    def on_response_complete(self) -> None:
        """The answer is sent: the connection is idle again, unless the next request is already coming."""
        super().on_response_complete()
        if self.phase == APP and self._answered() and not self.transport.is_closing():
            self._arm(IDLE, self._idle_seconds())

    def _answered(self) -> bool:
        """True when the last request read has its response sent (none pipelined behind it)."""
        return self.cycle is not None and self.cycle.response_complete and not self.pipeline


def _too_large() -> str:
    return f"the request's headers are over {MAX_HEADER_BYTES // 1024} KiB: send fewer or shorter headers"


__all__ = [
    "BODY_SECONDS",
    "HEADERS_SECONDS",
    "KEEP_ALIVE_SECONDS",
    "MAX_CONNECTIONS",
    "MAX_HEADER_BYTES",
    "MAX_HEADER_COUNT",
    "GuardedProtocol",
    "refusal",
]
