"""Live updates: an in-process publish/subscribe bus feeding Server-Sent Events streams.

Publishers (the feed, the watch engine, background runs) may be on any thread; each
subscriber is an :class:`asyncio.Queue` on the server's event loop. A slow browser loses its
oldest events instead of holding memory or the publisher (the count is kept).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from littoral.jsonvalues import json_default

SESSION_CHECK_S = 5.0
"""How often an open stream checks that its session still exists."""


class TooManyStreamsError(Exception):
    """A user, or the whole service, already holds as many streams as allowed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Event:
    """One update: ``kind`` is ``positions``, ``alert``, ``case`` or ``run``."""

    kind: str
    data: Any

    def encode(self) -> bytes:
        """Return the event in the Server-Sent Events wire format."""
        payload = json.dumps(self.data, separators=(",", ":"), default=json_default)
        return f"event: {self.kind}\ndata: {payload}\n\n".encode()


@dataclass(eq=False)
class Subscription:
    """One listener's queue on one event loop."""

    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Event]
    dropped: int = 0
    kinds: frozenset[str] | None = None
    owner: str = ""

    def offer(self, event: Event) -> None:
        """Queue ``event`` on the loop's thread, dropping the oldest when full."""
        if self.kinds is not None and event.kind not in self.kinds:
            return
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(event)


@dataclass
class EventBus:
    """Fan-out of events to every subscriber."""

    max_queue: int = 1000
    max_per_owner: int = 5
    max_total: int = 200
    _subs: set[Subscription] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    published: int = 0

    def subscribe(self, kinds: frozenset[str] | None = None, owner: str = "") -> Subscription:
        """Add a subscriber on the running event loop, within the per-owner and total caps."""
        sub = Subscription(
            asyncio.get_running_loop(), asyncio.Queue(self.max_queue), kinds=kinds, owner=owner
        )
        with self._lock:
            if len(self._subs) >= self.max_total:
                raise TooManyStreamsError(
                    f"the service already serves {self.max_total} live streams; try later"
                )
            held = Counter(s.owner for s in self._subs)[owner]
            if owner and held >= self.max_per_owner:
                raise TooManyStreamsError(
                    f"user {owner!r} already holds {held} live streams "
                    f"(at most {self.max_per_owner}); close one first"
                )
            self._subs.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        """Remove a subscriber."""
        with self._lock:
            self._subs.discard(sub)

    @property
    def subscribers(self) -> int:
        """Number of live subscribers."""
        with self._lock:
            return len(self._subs)

    def publish(self, kind: str, data: Any) -> None:
        """Send an event to every subscriber; safe from any thread."""
        event = Event(kind, data)
        with self._lock:
            subs = list(self._subs)
            self.published += 1
        for sub in subs:
            if sub.loop.is_closed():
                continue
            try:
                sub.loop.call_soon_threadsafe(sub.offer, event)
            except RuntimeError:  # the loop closed between the check and the call
                self.unsubscribe(sub)

    async def stream(
        self,
        sub: Subscription,
        stop: threading.Event,
        keepalive_s: float = 15.0,
        alive: Callable[[], Awaitable[bool]] | None = None,
        check_s: float = SESSION_CHECK_S,
    ) -> AsyncIterator[bytes]:
        """Yield encoded events for one subscriber, with comment keep-alives.

        Ends when ``stop`` is set, or when ``alive`` (checked every ``check_s``, at most
        :data:`SESSION_CHECK_S`) says the subscriber's session has ended: logout, a disabled
        account, expiry.
        """
        loop = asyncio.get_running_loop()
        try:
            yield b": connected\nretry: 2000\n\n"
            quiet_since = checked = loop.time()
            while not stop.is_set():
                if alive is not None and loop.time() - checked >= check_s:
                    checked = loop.time()
                    if not await alive():
                        yield b'event: session\ndata: {"ended":true}\n\n'
                        return
                try:
                    event = await asyncio.wait_for(sub.queue.get(), timeout=min(0.5, check_s))
                except TimeoutError:
                    if loop.time() - quiet_since >= keepalive_s:
                        quiet_since = loop.time()
                        yield b": keep-alive\n\n"
                    continue
                quiet_since = loop.time()
                yield event.encode()
        finally:
            self.unsubscribe(sub)
