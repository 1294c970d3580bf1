"""The service's AIS feed: read, decode, apply to the picture, watch, store and announce.

A reader thread drains the sources (files, TCP, UDP, see :mod:`littoral.ais.sources`) into a
queue; the batcher thread cuts the queue every half second (or 5,000 lines), so a quiet feed
still shows its few messages at once. Lines posted over HTTP take the same path. On stop the
sources are closed, the queue is drained, the decoder flushed, the last batch written and the
run's statistics recorded; the store's unique keys make a restart on the same files a no-op.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from littoral.ais import Decoder
from littoral.ais.records import RawLine
from littoral.ais.sources import open_sources
from littoral.api.picture import LivePicture, vessel_brief
from littoral.clock import Clock
from littoral.records.alerts import Alert, AlertStatus
from littoral.services.events import EventBus
from littoral.services.ingest import WatchHook
from littoral.store.records import IngestRun
from littoral.store.texts import IdentityHistory
from littoral.tracks import VesselState
from littoral.watch.latch import Renotifier

log = logging.getLogger(__name__)


def alert_json(alert: Alert, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return an alert as JSON-ready values."""
    data: dict[str, Any] = {
        "id": alert.id,
        "rule": alert.rule,
        "priority": alert.priority.name,
        "mmsis": list(alert.mmsis),
        "start": alert.start.isoformat(),
        "end": None if alert.end is None else alert.end.isoformat(),
        # no position yet (a distress text, an unlocated beacon, a DSC call without one)
        "lon": alert.lon if alert.position_known else None,
        "lat": alert.lat if alert.position_known else None,
        "reason": alert.reason,
        "status": alert.status.value,
        "details": {
            k: (v if isinstance(v, int | float | str | bool) or v is None else str(v))
            for k, v in alert.details.items()
        },
    }
    if extra:
        data.update(extra)
    return data


class Feed:
    """The ingest loop of the service."""

    def __init__(
        self,
        store: Any,
        picture: LivePicture,
        bus: EventBus,
        clock: Clock,
        specs: Sequence[str],
        watch: WatchHook | None = None,
        batch_interval_s: float = 0.5,
        batch_lines: int = 5000,
        renotify_s: float = 300.0,
        live_s: float = 120.0,
    ) -> None:
        self._store = store
        self._picture = picture
        self._bus = bus
        self._clock = clock
        self._specs = tuple(specs)
        self._watch = watch
        self._interval = batch_interval_s
        self._batch_lines = batch_lines
        self._queue: queue.Queue[RawLine | None] = queue.Queue(maxsize=200_000)
        self._decoder = Decoder()
        self._process_lock = threading.Lock()
        self._stop = threading.Event()
        self._source: Any = None
        self._threads: list[threading.Thread] = []
        self._started = clock.now()
        self._latest: datetime | None = None
        self._live_s = live_s
        self._last_delivery: datetime | None = None
        self.positions_stored = 0
        self.errors = 0
        self.renotifier = Renotifier(renotify_s)
        self._identity = IdentityHistory()

    @property
    def stats(self) -> dict[str, object]:
        """Running counts of the decoder (lines, messages, rejects by reason...)."""
        with self._process_lock:
            counts = self._decoder.stats.as_dict()
        counts["positions_stored"] = self.positions_stored
        counts["store_errors"] = self.errors
        counts["vessels"] = len(self._picture)
        counts["kernel_drops"] = int(getattr(self._source, "kernel_drops", 0))
        return counts

    def status(self) -> dict[str, object]:
        """Tell whether the feed is live: some line arrived within ``live_s`` seconds.

        ``state`` is ``live``, ``stale`` (lines came, but not lately) or ``waiting`` (none
        yet); ``last_line`` is when the newest line arrived (service clock), ``latest``
        the time of the newest message, each with its age in seconds.
        """
        now = self._clock.now()
        last, latest = self._last_delivery, self._latest
        if last is None:
            state = "waiting"
        else:
            state = "live" if (now - last).total_seconds() <= self._live_s else "stale"
        return {
            "state": state,
            "live_within_s": self._live_s,
            "last_line": None if last is None else last.isoformat(),
            "last_line_age_s": None if last is None else (now - last).total_seconds(),
            "latest": None if latest is None else latest.isoformat(),
            "latest_age_s": None if latest is None else (now - latest).total_seconds(),
        }

    def start(self) -> None:
        """Start reading the sources and the batcher."""
        batcher = threading.Thread(target=self._batch_loop, name="littoral-feed", daemon=True)
        self._threads.append(batcher)
        if self._specs:
            self._source = open_sources(self._specs, self._clock)
            reader = threading.Thread(target=self._read_loop, name="littoral-read", daemon=True)
            self._threads.append(reader)
        for thread in self._threads:
            thread.start()

    def _read_loop(self) -> None:
        try:
            for line in self._source:
                if self._stop.is_set():
                    break
                self._queue.put(line)
        except Exception:
            log.exception("AIS source failed")

    def _batch_loop(self) -> None:
        last_expire = time.monotonic()
        while True:
            lines = self._drain()
            if lines:
                self.process(lines)
            if self._stop.is_set() and self._queue.empty():
                break
            if time.monotonic() - last_expire > 60.0:
                self._picture.expire(self._clock.now())
                last_expire = time.monotonic()
            if self._watch is not None:
                self.renotify()

    def renotify(self) -> list[Alert]:
        """Announce again the open distress alerts nobody has acknowledged, when due.

        Distress alerts are latched (the watch never closes them); each is announced again
        every ``renotify_s`` of wall time until an officer acknowledges it.
        """
        try:
            stored = self._store.alerts.find(AlertStatus.OPEN, rule="distress")
        except Exception:  # a store outage must not stop the live picture
            self.errors += 1
            log.exception("cannot read open distress alerts")
            return []
        due = self.renotifier.due([s.alert for s in stored], self._clock.now())
        for alert in due:
            self._bus.publish("alert", alert_json(alert, {"renotify": True}))
        return due

    def _drain(self) -> list[RawLine]:
        lines: list[RawLine] = []
        deadline = time.monotonic() + self._interval
        while len(lines) < self._batch_lines:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                break
            if line is None:  # woken by stop
                break
            lines.append(line)
        return lines

    def process(self, lines: Sequence[RawLine], flush: bool = False) -> dict[str, int]:
        """Decode, apply, watch, store and announce one batch of lines; return its counts."""
        with self._process_lock:
            if lines:
                self._last_delivery = self._clock.now()
            batch = self._decoder.decode_lines(lines)
            if flush:
                tail = self._decoder.flush()
                batch.positions.extend(tail.positions)
                batch.statics.extend(tail.statics)
                batch.safety.extend(tail.safety)
                batch.rejects.extend(tail.rejects)
            reports: list[Any] = [*batch.statics, *batch.positions, *batch.safety]
            changed = self._picture.apply(reports)
            alerts: list[Alert] = []
            if reports:
                reports.sort(key=_by_time)
                latest = reports[-1].time
                if self._latest is None or latest > self._latest:
                    self._latest = latest
                if self._watch is not None:
                    alerts = self._watch.process(reports)
            if flush and self._watch is not None and self._latest is not None:
                alerts.extend(self._watch.finish(self._latest))
            statics = self._identity.changes(batch.statics)
            self._write(batch.positions, changed, batch.rejects, alerts, batch.safety, statics)
        if changed:
            self._bus.publish("positions", [vessel_brief(v) for v in changed if v.lon is not None])
        for alert in alerts:
            self._bus.publish("alert", alert_json(alert))
        self.renotifier.announced(alerts, self._clock.now())
        return {
            "lines": len(lines),
            "positions": len(batch.positions),
            "statics": len(batch.statics),
            "safety": len(batch.safety),
            "rejected": len(batch.rejects),
            "alerts": len(alerts),
        }

    def _write(
        self,
        positions: Sequence[Any],
        vessels: list[VesselState],
        rejects: Sequence[Any],
        alerts: list[Alert],
        safety: Sequence[Any] = (),
        statics: Sequence[Any] = (),
    ) -> None:
        if not (positions or vessels or rejects or alerts or safety or statics):
            return
        try:
            self.positions_stored += self._store.write_batch(
                positions,
                vessels,
                rejects,
                alerts,
                at=self._clock.now(),
                safety=safety,
                statics=statics,
            )
        except Exception:  # a store outage must not stop the live picture
            self.errors += 1
            log.exception("cannot write a feed batch to the store")

    def stop(self) -> None:
        """Close the sources, drain and flush, write the last batch and the run's counts."""
        self._stop.set()
        if self._source is not None:
            self._source.close()
        self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=10.0)
        self.process([], flush=True)
        stats = self._decoder.stats
        try:
            self._store.ingest_runs.record(
                IngestRun(
                    started=self._started,
                    finished=self._clock.now(),
                    sources=self._specs or ("http",),
                    lines=stats.lines,
                    messages=stats.messages,
                    positions_stored=self.positions_stored,
                    vessels=len(self._picture),
                    rejects=stats.rejected,
                    counts={str(k): int(v) for k, v in stats.by_outcome.items()},
                )
            )
        except Exception:
            log.exception("cannot record the ingest run")


def _by_time(record: Any) -> datetime:
    time: datetime = record.time
    return time
