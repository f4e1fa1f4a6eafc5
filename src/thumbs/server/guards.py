"""What stands between the network and the API: request limits and the access log.

Two small ASGI middlewares, written against the raw ASGI interface so they
cost microseconds a request:

* :class:`RequestLimits` refuses a body that is not JSON (415) or is larger
  than the limit (413) before the application parses anything;
* :class:`AccessLog` writes one JSON line per request: method, path, status
  and milliseconds.

The API key is checked by a FastAPI dependency (:func:`thumbs.server.app.create_app`),
so ``/docs`` shows it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from datetime import UTC, datetime
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Largest request body accepted, in bytes (1 MB).
MAX_BODY_BYTES = 1_000_000
#: Request methods whose body must be JSON.
METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
#: The access log's logger; each record's message is one JSON object.
ACCESS_LOGGER = "thumbs.server.access"


async def send_problem(send: Send, status: int, message: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    """Answer with ``{"error": message}`` and ``status``, the shape of every error of the API."""
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def is_json_media_type(content_type: str | None) -> bool:
    """``application/json`` or a ``+json`` type, parameters (charset) allowed."""
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class RequestLimits:
    """Refuse request bodies that are not JSON (415) or larger than ``max_body_bytes`` (413).

    A request without a body passes on, so a wrong method still gets its 405
    and a missing body its 422.

    The body is read here, up to the limit, and handed on whole: a client
    cannot make the server buffer more than the limit, whether it declares a
    ``Content-Length`` or streams chunks.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in METHODS_WITH_BODY:
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        has_body = declared not in (None, "0") or _header(scope, b"transfer-encoding") is not None
        if has_body and not is_json_media_type(_header(scope, b"content-type")):
            await send_problem(
                send, 415, "send the request body as JSON, with the header Content-Type: application/json"
            )
            return
        too_large = f"request body too large: the limit is {self.max_body_bytes:,} bytes; send fewer or shorter reviews"
        if declared is not None:
            if not declared.strip().isdigit():
                await send_problem(send, 400, "the Content-Length header is not a number")
                return
            if int(declared) > self.max_body_bytes:
                await send_problem(send, 413, too_large)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await send_problem(send, 413, too_large)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the already read body once, then waits on the client as usual."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class AccessLog:
    """One JSON line per request on the ``thumbs.server.access`` logger: time, method, path, status, ms."""

    def __init__(self, app: ASGIApp, logger: logging.Logger | None = None) -> None:
        self.app = app
        self.logger = logger or logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before answering

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_watch)
        finally:
            if self.logger.isEnabledFor(logging.INFO):
                line = {
                    "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                }
                self.logger.info(json.dumps(line))


__all__ = ["ACCESS_LOGGER", "MAX_BODY_BYTES", "AccessLog", "RequestLimits", "is_json_media_type", "send_problem"]
