"""The API key: checked on the request's headers, before its body is read or parsed.

With ``THUMBS_API_KEY`` set, every ``/v1/`` route but ``/v1/health`` needs
``Authorization: Bearer <key>``. :class:`ApiKeyGuard` sits outside the body
limits (:class:`thumbs.server.guards.RequestLimits`), so a request without the
right key gets its 401 before a byte of its body is read: malformed JSON with a
bad key is a 401, not a 422, and a huge body with a bad key is not read (the
answer says ``Connection: close``, so the server does not drain it either).

The 401 tells a missing key from a wrong one, in the one-line JSON error of
every answer, with ``WWW-Authenticate: Bearer``; the key is compared with
:func:`secrets.compare_digest`, in time that does not depend on where it differs.
"""

from __future__ import annotations

import secrets

from thumbs.server.guards import send_problem
from thumbs.server.headers import ASGIApp, Receive, Scope, Send

#: Paths under the key when one is set.
PROTECTED_PREFIX = "/v1/"
#: Paths under the prefix that stay public: a proxy's or orchestrator's health check has no key.
PUBLIC_PATHS = frozenset({"/v1/health"})
MISSING_KEY = "missing API key: this server needs the header Authorization: Bearer <key>"
INVALID_KEY = "invalid API key: the key in Authorization: Bearer <key> is not this server's key"


def key_problem(authorization: str | None, expected: str) -> str | None:
    """Why the ``Authorization`` header does not carry ``expected``, in one line; None when it does.

    No header, or a Bearer header with an empty token, is a missing key; any other
    header (another scheme, a bare token, a wrong key) is an invalid one.

    >>> key_problem("Bearer k", "k") is None, key_problem(None, "k") == MISSING_KEY
    (True, True)
    >>> key_problem("Bearer x", "k") == INVALID_KEY, key_problem("Basic k", "k") == INVALID_KEY
    (True, True)
    """
    value = (authorization or "").strip()
    scheme, _, token = value.partition(" ")
    token = token.strip()
    if not value or (scheme.lower() == "bearer" and not token):
        return MISSING_KEY
    given = token.encode() if scheme.lower() == "bearer" else b""
    if not secrets.compare_digest(given, expected.encode()):
        return INVALID_KEY
    return None


def needs_key(path: str) -> bool:
    """Whether a request to ``path`` needs the key (when the server has one)."""
    return path.startswith(PROTECTED_PREFIX) and path not in PUBLIC_PATHS


class ApiKeyGuard:
    """Answer 401 to a ``/v1/`` request without the right key, before its body is touched."""

    def __init__(self, app: ASGIApp, api_key: str) -> None:
        self.app = app
        self.api_key = api_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "OPTIONS" or not needs_key(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", ()))
        problem = key_problem(_latin1(headers.get(b"authorization")), self.api_key)
        if problem is None:
            await self.app(scope, receive, send)
            return
        extra = [(b"www-authenticate", b"Bearer")]
        if headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers:
            extra.append((b"connection", b"close"))  # the body is left unread: end the connection
        await send_problem(send, 401, problem, extra)


def _latin1(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None


__all__ = ["INVALID_KEY", "MISSING_KEY", "ApiKeyGuard", "key_problem", "needs_key"]
