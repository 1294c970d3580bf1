"""ASGI middleware: a request-size limit and the audit log of every write.

Both are plain ASGI (no buffering of responses), so Server-Sent Events streams pass through.
The audit entry is written after the response has started: who (the session's user, or the
name tried at login), what (method, path, the detail a router left), when, and the status.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import anyio
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from littoral.api.deps import session_token
from littoral.api.errors import DATABASE_UNAVAILABLE, send_error
from littoral.clock import Clock
from littoral.services.accounts import Sessions
from littoral.store.service import ServiceStore, User

log = logging.getLogger(__name__)

MAX_PENDING_AUDIT = 10_000
"""Audit entries kept in memory while the database is unreachable, written when it is back."""

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CLOSE = ((b"connection", b"close"),)
"""Header of an answer given before the request body was read."""

BEARER = ((b"www-authenticate", b"Bearer"),)


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
                    await send_error(send, 400, "invalid_input", "bad Content-Length", CLOSE)
                    return
                if length > self.max_bytes:
                    await send_error(
                        send,
                        413,
                        "too_large",
                        f"request body of {length} bytes exceeds the limit of {self.max_bytes}",
                        CLOSE,
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
                await send_error(
                    send,
                    413,
                    "too_large",
                    f"request body exceeds the limit of {self.max_bytes}",
                    CLOSE,
                )


class _TooLargeError(Exception):
    pass


_Entry = tuple[datetime, str | None, str | None, str, str, int, dict[str, Any]]

AGGREGATE_WINDOW_S = 60.0
"""Refused anonymous writes of one kind are written once, then summed over this window."""

_SAMPLES = 10


@dataclass(slots=True)
class _Burst:
    """Refused anonymous writes of one (method, status) within one window."""

    first: datetime
    last: datetime
    count: int = 0
    paths: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def summary(self, method: str, status: int) -> _Entry:
        detail: dict[str, Any] = {
            "aggregated": self.count,
            "window_first": self.first,
            "window_last": self.last,
            "paths": sorted(self.paths),
            "addresses": sorted(self.addresses),
        }
        if self.names:
            detail["attempted_users"] = sorted(self.names)
        return (self.last, None, None, method, "(aggregated)", status, detail)


class AuditLog:
    """Write one audit entry per write request (POST, PUT, PATCH, DELETE).

    A refused write without a session (a wrong password, a scanner's junk) is written in full
    the first time in a window of :data:`AGGREGATE_WINDOW_S` for its method and status; the
    rest of that window's are counted and written as one summary entry (count, sample paths,
    client addresses, names tried), so junk cannot flood the log or the database.

    While the database is unreachable, entries wait in memory (at most
    :data:`MAX_PENDING_AUDIT`, oldest dropped and counted beyond that) and are written, in
    order, with the next entry once it is back: an outage loses no audit trail.
    """

    def __init__(self, app: ASGIApp, store: Callable[[], ServiceStore], clock: Clock) -> None:
        self.app = app
        self.store = store
        self.clock = clock
        self._pending: deque[_Entry] = deque()
        self._pending_lock = threading.Lock()
        self.dropped = 0
        self._bursts: dict[tuple[str, int], _Burst] = {}
        self._holding = False

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
        now = self.clock.now()
        if not isinstance(user, User) and status >= 400:
            client = scope.get("client")
            address = str(client[0]) if client else "unknown"
            entries = self._aggregate(now, scope["method"], status, scope["path"], address, name)
            if entries:
                await anyio.to_thread.run_sync(self._write_all, entries)
            return
        entry: _Entry = (
            now,
            name,
            user_state,
            scope["method"],
            scope["path"],
            status,
            detail,
        )
        await anyio.to_thread.run_sync(self._write_all, [*self._closed_bursts(now), entry])

    def _aggregate(
        self, now: datetime, method: str, status: int, path: str, address: str, name: str | None
    ) -> list[_Entry]:
        """Count one refused anonymous write; return the entries to write now."""
        out = self._closed_bursts(now)
        key = (method, status)
        burst = self._bursts.get(key)
        if burst is None:
            self._bursts[key] = _Burst(first=now, last=now)
            out.append((now, name, None, method, path, status, {"address": address}))
            return out
        burst.count += 1
        burst.last = now
        for bucket, value in ((burst.paths, path[:200]), (burst.addresses, address)):
            if len(bucket) < _SAMPLES:
                bucket.add(value)
        if name and len(burst.names) < _SAMPLES:
            burst.names.add(name[:64])
        return out

    def _closed_bursts(self, now: datetime) -> list[_Entry]:
        """Take the summaries of windows that have ended by ``now``."""
        out: list[_Entry] = []
        for key, burst in list(self._bursts.items()):
            if (now - burst.first).total_seconds() >= AGGREGATE_WINDOW_S:
                del self._bursts[key]
                if burst.count:
                    out.append(burst.summary(*key))
        return out

    def _write_all(self, entries: list[_Entry]) -> None:
        store = self.store()
        with self._pending_lock:
            for entry in entries:
                if len(self._pending) >= MAX_PENDING_AUDIT:
                    self._pending.popleft()
                    self.dropped += 1
                    log.error("audit backlog full: %d entries dropped so far", self.dropped)
                self._pending.append(entry)
            try:
                while self._pending:
                    store.add_audit(*self._pending[0])
                    self._pending.popleft()
            except DATABASE_UNAVAILABLE as exc:
                if not self._holding:  # say it once per outage, not once per request
                    log.warning(
                        "audit entries kept in memory while the database is unavailable: %s",
                        type(exc).__name__,
                    )
                self._holding = True
                return
            if self._holding:
                log.warning("database back: audit entries kept in memory written")
                self._holding = False


PUBLIC_API_PATHS = frozenset({"/api/auth/login", "/api/openapi.json"})
"""API paths answered without a session; every other ``/api/`` path needs one."""


class Authenticate:
    """Refuse an ``/api/`` request without a live session with 401, before its body is read.

    The routers check the session again (and the role) through their dependencies; this
    check only makes sure that nobody learns anything, not even how a body is validated,
    before they have logged in.
    """

    def __init__(self, app: ASGIApp, sessions: Callable[[], Sessions]) -> None:
        self.app = app
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection."""
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or not path.startswith("/api/")
            or path in PUBLIC_API_PATHS
            or scope["method"] == "OPTIONS"
        ):
            await self.app(scope, receive, send)
            return
        token = session_token(HTTPConnection(scope))
        if not token:
            await send_error(
                send,
                401,
                "unauthorized",
                "log in first: no session token (Authorization: Bearer or cookie)",
                BEARER,
            )
            return
        sessions = self.sessions()
        user = sessions.cached_user(token)
        if user is None:
            try:
                user = await anyio.to_thread.run_sync(sessions.user, token)
            except DATABASE_UNAVAILABLE:
                user = None
                await self.app(scope, receive, send)  # the router answers 503
                return
        if user is None:
            await send_error(
                send,
                401,
                "unauthorized",
                "session token is unknown or has expired; log in again",
                BEARER,
            )
            return
        await self.app(scope, receive, send)
