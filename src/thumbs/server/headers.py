"""Security headers on every answer of the server, the page, ``/docs`` and the API alike.

The page at ``/`` asks for the API key, so it must not run anyone else's
script, be framed by another site (clickjacking) or have a response sniffed
into another type. :class:`SecurityHeaders` adds, to every response that does
not set its own:

* ``Content-Security-Policy`` (:data:`CONTENT_SECURITY_POLICY`): scripts,
  styles, images, fonts and fetches from this server only; no inline script,
  no ``eval``, no plugins, no ``<base>``, forms post only here, and no framing
  (``frame-ancestors 'none'``);
* ``X-Frame-Options: DENY``, the frame protection of browsers without CSP 2;
* ``X-Content-Type-Options: nosniff``;
* ``Referrer-Policy: no-referrer``: a URL of this server never leaks out;
* ``Cross-Origin-Opener-Policy: same-origin``.

It is a raw ASGI middleware (a few microseconds a request), and
:data:`SECURITY_HEADERS` is public so that an answer sent outside it (the 500
of the outermost error handler) carries the same headers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Only this server's own files: no inline script or style, no eval, no framing. ``data:``
#: images are the icons inside Swagger UI's stylesheet.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

#: Every header added, lower-case names as ASGI carries them.
SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}
_ENCODED = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` plus each security header they do not already set (a response may set its own)."""
    present = {name.lower() for name, _ in headers}
    return [*headers, *((name, value) for name, value in _ENCODED if name not in present)]


class SecurityHeaders:
    """Add :data:`SECURITY_HEADERS` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = with_security_headers(list(message.get("headers", ())))
            await send(message)

        await self.app(scope, receive, send_with_headers)


__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "SecurityHeaders", "with_security_headers"]
