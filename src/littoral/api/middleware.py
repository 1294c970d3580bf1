"""ASGI middleware: a request-size limit and the audit log of every write.

Both are plain ASGI (no buffering of responses), so Server-Sent Events streams pass through.
The audit entry is written after the response has started: who (the session's user, or the
name tried at login), what (method, path, the detail a router left), when, and the status.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from littoral.clock import Clock
from littoral.store.service import ServiceStore, User

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def _send_error(send: Send, status: int, kind: str, reason: str) -> None:
    body = json.dumps({"error": kind, "reason": reason}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, by header or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await _send_error(send, 400, "invalid_input", "bad Content-Length")
                    return
                if length > self.max_bytes:
                    await _send_error(
                        send,
                        413,
                        "too_large",
                        f"request body of {length} bytes exceeds the limit of {self.max_bytes}",
                    )
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLargeError:
            if not started:
                await _send_error(
                    send, 413, "too_large", f"request body exceeds the limit of {self.max_bytes}"
                )


class _TooLargeError(Exception):
    pass


class AuditLog:
    """Write one audit entry per write request (POST, PUT, PATCH, DELETE)."""

    def __init__(self, app: ASGIApp, store: Callable[[], ServiceStore], clock: Clock) -> None:
        self.app = app
        self.store = store
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection."""
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        status = [500]

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        finally:
            await self._record(scope, status[0])

    async def _record(self, scope: Scope, status: int) -> None:
        state: dict[str, Any] = scope.setdefault("state", {})
        user = state.get("user")
        detail = dict(state.get("audit", {}))
        name = user.name if isinstance(user, User) else detail.pop("attempted_user", None)
        user_state = user.state if isinstance(user, User) else None
        time = self.clock.now()
        store = self.store()
        await anyio.to_thread.run_sync(
            lambda: store.add_audit(
                time, name, user_state, scope["method"], scope["path"], status, detail
            )
        )
