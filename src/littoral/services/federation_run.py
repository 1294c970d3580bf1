"""Running a centre: its feed, publishing its share, reading the others', until stopped.

Four tasks share one event loop: the own feed (read in a thread, decoded and stored in
batches every ``tick_s``), the publisher (which keeps what it could not publish, so the
centre keeps working while its NATS server is down; the messages wait in the store's
outbox until acknowledged, so a littoral stopped or killed in between publishes them when
it starts again), and the reader of the others' messages (acknowledged only once stored).
A fourth looks every ``case_poll_s`` for own joint cases that changed
(:mod:`littoral.services.joint_cases`) and hands them to the publisher. A centre's TOML
file::

    centre = "az"
    store = "sqlite:///az.db"           # or postgresql+psycopg://...
    feeds = ["tcp://10.1.0.5:4001"]     # as for `littoral ais ingest`
    policy = "share-az.toml"            # relative to this file
    rules = "rules.toml"                # optional watch rules; omit for no watch

    [nats]
    url = "tls://127.0.0.1:4222"
    peers = ["kz", "ru", "tm", "ir"]
    creds = "az.creds"                  # or user + password_file
    tls_ca = "ca.pem"
"""

from __future__ import annotations

import asyncio
import threading
import time as _time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from littoral.ais import RawLine
from littoral.errors import InputError, LittoralError
from littoral.federation.jetstream import NatsSettings
from littoral.federation.names import check_centre
from littoral.federation.policy import SharePolicy, load_policy
from littoral.federation.transport import Incoming, Outgoing, Transport
from littoral.services.federation import Centre, RemoteResult

_KEYS = {"centre", "store", "feeds", "policy", "rules", "nats"}
_STOP_S = 15.0
"""The most a stopping centre waits for each of its tasks and for its connection to close."""
_NATS_KEYS = {
    "url", "peers", "creds", "user", "password_file", "tls_ca", "tls_cert", "tls_key",
    "duplicate_window_s", "max_age_s", "domains",
}  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class CentreConfig:
    """One centre's configuration, from its TOML file."""

    centre: str
    store: str
    feeds: tuple[str, ...]
    policy: SharePolicy
    rules: Path | None
    nats: NatsSettings


def _path(base: Path, value: Any, key: str) -> Path:
    if not isinstance(value, str) or not value:
        raise InputError(f"{key}={value!r} must be a file name")
    path = Path(value)
    return path if path.is_absolute() else base / path


def load_centre(path: Path) -> CentreConfig:
    """Read a centre's TOML file; ``InputError`` names the file and the bad key."""
    where = f"centre file {str(path)!r}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{where} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where} is not valid TOML: {exc}") from exc
    for key in data:
        if key not in _KEYS:
            raise InputError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(_KEYS))})")
    base = path.parent
    for key in ("centre", "store"):
        if not isinstance(data.get(key), str):
            raise InputError(f"{where}: {key}={data.get(key)!r} must be a string")
    centre = check_centre(data["centre"], f"{where}: centre")
    feeds = data.get("feeds", [])
    if not isinstance(feeds, list) or not all(isinstance(f, str) for f in feeds):
        raise InputError(f"{where}: feeds={feeds!r} must be a list of sources")
    nats = data.get("nats")
    if not isinstance(nats, dict):
        raise InputError(f"{where}: [nats] table is missing")
    for key in nats:
        if key not in _NATS_KEYS:
            known = ", ".join(sorted(_NATS_KEYS))
            raise InputError(f"{where}: unknown key nats.{key!r} (known: {known})")
    peers = nats.get("peers", [])
    if not isinstance(peers, list):
        raise InputError(f"{where}: nats.peers={peers!r} must be a list of centres")
    if not isinstance(nats.get("url"), str):
        raise InputError(f"{where}: nats.url={nats.get('url')!r} must be a URL")
    files = {
        key: _path(base, nats[key], f"{where}: nats.{key}")
        for key in ("creds", "password_file", "tls_ca", "tls_cert", "tls_key")
        if key in nats
    }
    try:
        settings = NatsSettings(
            centre=centre,
            url=nats["url"],
            peers=tuple(peers),
            duplicate_window_s=float(nats.get("duplicate_window_s", 120.0)),
            max_age_s=float(nats.get("max_age_s", 30 * 86400.0)),
            user=nats.get("user"),
            domains=dict(nats.get("domains", {})),
            **files,
        )
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from exc
    policy = SharePolicy()
    if "policy" in data:
        policy = load_policy(_path(base, data["policy"], f"{where}: policy"))
    rules = _path(base, data["rules"], f"{where}: rules") if "rules" in data else None
    return CentreConfig(
        centre=centre, store=data["store"], feeds=tuple(feeds), policy=policy, rules=rules,
        nats=settings,
    )  # fmt: skip


@dataclass(slots=True)
class RunFigures:
    """Running figures of a centre's loop."""

    published: int = 0
    published_reports: int = 0
    publish_duplicates: int = 0
    publish_backlog: int = 0
    fetched: int = 0
    local_batches: int = 0
    feed_done: bool = False
    redelivered: int = 0
    gaps: int = 0
    mended: int = 0
    lost: int = 0
    last_origin_seq: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class _Feed:
    """Lines of the own feed, read in a thread and handed over in lists."""

    def __init__(self, lines: Iterable[RawLine]) -> None:
        self._lock = threading.Lock()
        self._held: list[RawLine] = []
        self.done = False
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._pump, args=(lines,), daemon=True)
        self._thread.start()

    def _pump(self, lines: Iterable[RawLine]) -> None:
        try:
            held = self._held
            for line in lines:
                with self._lock:
                    held.append(line)
        except BaseException as exc:  # handed to the loop, which reports it
            self.error = exc
        finally:
            self.done = True

    def take(self, most: int) -> list[RawLine]:
        with self._lock:
            taken = self._held[:most]
            del self._held[:most]
        return taken


async def run_centre(
    centre: Centre,
    transport: Transport,
    lines: Iterable[RawLine] | None,
    stop: asyncio.Event,
    *,
    tick_s: float = 0.1,
    batch_lines: int = 5000,
    fetch_batch: int = 40,
    case_poll_s: float = 2.0,
    on_remote: Callable[[RemoteResult], None] | None = None,
    figures: RunFigures | None = None,
) -> RunFigures:
    """Run ``centre`` until ``stop`` is set; return its figures."""
    if tick_s <= 0:
        raise InputError(f"tick_s={tick_s!r} must be > 0")
    if case_poll_s <= 0:
        raise InputError(f"case_poll_s={case_poll_s!r} must be > 0")
    figures = figures or RunFigures()
    outbox: asyncio.Queue[list[Outgoing]] = asyncio.Queue()
    await transport.start()
    waiting = centre.outbox()  # stored before a stop or a crash, never acknowledged
    if waiting:
        outbox.put_nowait(waiting)
        figures.publish_backlog += len(waiting)

    async def own_feed() -> None:
        if lines is None:
            figures.feed_done = True
            return
        feed = _Feed(lines)
        latest = None
        while not stop.is_set():
            taken = feed.take(batch_lines)
            if taken:
                out = centre.take_local(taken)
                latest = taken[-1].received
                figures.local_batches += 1
                if out:
                    outbox.put_nowait(out)
                figures.publish_backlog += len(out)
            elif feed.done:
                if feed.error is not None:
                    figures.errors.append(f"feed: {feed.error!r}")
                if latest is not None:
                    out = centre.finish(latest)
                    if out:
                        outbox.put_nowait(out)
                        figures.publish_backlog += len(out)
                figures.feed_done = True
                return
            # a batch every tick (or at once when a full one waits): few, larger transactions
            await asyncio.sleep(0 if len(taken) == batch_lines else tick_s)

    async def joint_cases() -> None:
        while not stop.is_set():
            out = centre.joint_cases()  # in the store's outbox already
            if out:
                outbox.put_nowait(out)
                figures.publish_backlog += len(out)
            await asyncio.sleep(case_poll_s)

    async def publisher() -> None:
        while True:
            out = await outbox.get()
            while not outbox.empty():  # one round trip for all that waits
                out = out + outbox.get_nowait()
            done = await transport.publish(out)
            centre.published(out)  # out of the store's outbox: the server holds them
            figures.published += done.stored
            figures.published_reports += sum(m.reports for m in out)
            figures.publish_duplicates += done.duplicates
            figures.publish_backlog -= len(out)

    last = figures.last_origin_seq  # each centre's last message stored, kept in the store
    last.update(centre.cursors())

    def store(messages: list[Incoming]) -> None:
        if messages:
            result = centre.take_remote(messages)
            if on_remote is not None:
                on_remote(result)

    async def mend(origin: str, upto: int) -> bool:
        """Store ``origin``'s messages after the last one stored and before ``upto``."""
        while last.get(origin, 0) + 1 < upto:
            if stop.is_set():
                return False
            first = last.get(origin, 0) + 1
            end = min(upto - 1, first + fetch_batch - 1)
            try:
                found = await transport.read_origin(origin, first, end)
            except InputError:
                raise
            except LittoralError:
                await asyncio.sleep(1.0)  # its log is out of reach: try again
                continue
            store(found)
            figures.mended += len(found)
            figures.lost += end - first + 1 - len(found)  # no longer held by the origin
            last[origin] = end
        return True

    async def reader() -> None:
        while not stop.is_set():
            # up to 40 messages of up to 500 positions: one transaction of seconds at most,
            # far inside the 30 s a message may wait for its acknowledgement
            messages: list[Incoming] = await transport.fetch(fetch_batch, 0.5)
            if not messages:
                continue
            taken: list[Incoming] = []
            for m in messages:  # each centre's messages arrive in the order it published them
                before = last.get(m.origin, 0)
                if m.origin_seq <= before:
                    figures.redelivered += 1  # not acknowledged before a crash: stored already
                elif m.origin_seq != before + 1:
                    # a hole: messages the server lost in a crash never come again; read
                    # them from the origin's own log, in order, before this one
                    figures.gaps += 1
                    store(taken)
                    taken = []
                    if not await mend(m.origin, m.origin_seq):
                        return  # stopping: the rest is delivered again at the next start
                last[m.origin] = max(before, m.origin_seq)
                taken.append(m)
            store(taken)
            await transport.ack(messages)
            figures.fetched += len(messages)

    tasks = [
        asyncio.create_task(own_feed(), name="feed"),
        asyncio.create_task(publisher(), name="publisher"),
        asyncio.create_task(reader(), name="reader"),
        asyncio.create_task(joint_cases(), name="cases"),
    ]
    stopping = asyncio.create_task(stop.wait(), name="stop")
    try:
        pending: set[asyncio.Task[Any]] = {stopping, *tasks}
        while not stop.is_set():
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            failed = [t for t in done if t is not stopping and t.exception() is not None]
            if failed:
                raise failed[0].exception()  # type: ignore[misc]
        deadline = _time.monotonic() + 10.0
        while (not outbox.empty() or figures.publish_backlog > 0) and _time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    finally:
        stopping.cancel()
        for task in tasks:
            task.cancel()
        # bounded: a task or a connection that does not end (a client library that swallows
        # the cancellation, a server gone mid-way) is reported, and the stop still happens
        _, stuck = await asyncio.wait(tasks, timeout=_STOP_S)
        for task in tasks:
            if task in stuck:
                figures.errors.append(f"{task.get_name()}: did not stop in {_STOP_S:g} s")
            elif not task.cancelled() and task.exception() is not None:
                # reported with the figures, the loop is over
                figures.errors.append(f"{task.get_name()}: {task.exception()!r}")
        closing = asyncio.ensure_future(transport.close())
        done, _ = await asyncio.wait({closing}, timeout=_STOP_S)
        if closing not in done:
            figures.errors.append(f"transport: did not close in {_STOP_S:g} s")
    return figures
