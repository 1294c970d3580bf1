"""ASGI guards every response and request passes: security headers, and unstorable text.

:class:`SecurityHeaders` adds ``X-Content-Type-Options``, ``Referrer-Policy``,
``X-Frame-Options`` and a Content-Security-Policy to every response that has none of its own
(the map page sets a wider one that still loads nothing from elsewhere), and ``no-store`` to
API answers, which carry names and positions.

:class:`UnstorableText` refuses, with 422 and the field's path, a JSON body or query string
carrying text no backend can store the same way: the NUL character (PostgreSQL ``text``
cannot hold it, SQLite can) and unpaired UTF-16 surrogates (not encodable as UTF-8). Without
it the same request succeeded on SQLite and failed with a dropped connection on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from littoral.api.errors import send_error

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
"""CSP of JSON answers: they load nothing and are never framed."""

HTML_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
"""CSP of generated printable pages (the SITREP): inline styles only, no script at all."""

_COMMON: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


class SecurityHeaders:
    """Add the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = str(scope.get("path", "")).startswith("/api/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in _COMMON if h[0] not in present)
                if b"content-security-policy" not in present:
                    html = any(
                        n.lower() == b"content-type" and v.startswith(b"text/html")
                        for n, v in headers
                    )
                    policy = HTML_POLICY if html else API_POLICY
                    headers.append((b"content-security-policy", policy.encode()))
                if is_api and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def unstorable(value: str) -> str | None:
    r"""Return why ``value`` cannot be stored alike on every backend, or ``None``.

    >>> unstorable("a\u0000b")
    'contains the NUL character'
    >>> unstorable("Bakı") is None
    True
    """
    if "\x00" in value:
        return "contains the NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains an unpaired surrogate (not valid Unicode text)"
    return None


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield where, str(key)
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]" if where else f"[{i}]")


def find_unstorable(value: Any, where: str = "") -> tuple[str, str] | None:
    """Return ``(field path, reason)`` of the first unstorable string in a JSON value."""
    for path, text in _strings(value, where):
        reason = unstorable(text)
        if reason is not None:
            return path or "body", reason
    return None


class UnstorableText:
    """Refuse NUL and unpaired surrogates in the path, query string and JSON bodies with 422."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or str(scope.get("path", "")).encode()
        path_text = unquote(raw_path.decode("latin-1"), errors="surrogateescape")
        query = scope.get("query_string", b"").decode("latin-1")
        checks = [("path", path_text)] + [
            (f"query.{k}", v)
            for k, v in parse_qsl(query, keep_blank_values=True, errors="surrogateescape")
        ]
        for where, value in checks:
            reason = unstorable(value)
            if reason is not None:
                await send_error(send, 422, "invalid_input", f"{where}: {reason}")
                return
        content_type = dict(scope.get("headers", ())).get(b"content-type", b"")
        if scope["method"] in ("GET", "HEAD") or not content_type.startswith(b"application/json"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            document = json.loads(body) if body else None
        except (ValueError, UnicodeDecodeError):
            document = None  # malformed JSON: the router's validation names it
        found = find_unstorable(document) if document is not None else None
        if found is not None:
            await send_error(send, 422, "invalid_input", f"{found[0]}: {found[1]}")
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body}], receive), send)


def _replay(messages: list[Message], then: Receive) -> Receive:
    """Hand out ``messages`` first, then whatever the connection brings (a disconnect)."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await then()

    return replay
