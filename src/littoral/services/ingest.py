"""The ingest pipeline: sources -> decoder -> picture -> store, in durable batches.

Lines are decoded in chunks; the records update the picture, and positions, changed vessels,
quarantined lines and alerts are written to the store in one transaction per batch. A batch
is flushed at least every ``flush_interval_s`` seconds of wall time (and whenever
``max_batch`` positions are waiting), so a process killed at any moment loses at most that
last batch (and, on SQLite, the one before it if its commit, which finishes in a thread of
the store while the next is read, had not ended); nothing committed is lost, and the store
itself is never left half written (see ``docs/store.md``). On start
the picture is restored from the store's vessel rows, and positions and quarantined lines
already stored are not stored twice, so an interrupted ingest is simply run again.

An optional watch hook receives the decoded records of each chunk, in time order, and
returns the alerts that changed; they are stored with the batch and passed to ``on_alerts``.
"""

from __future__ import annotations

import gc
import queue
import threading
import time as _time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol

from littoral.ais import DecodeBatch, Decoder, IngestStats, RawLine, Rejected
from littoral.clock import Clock
from littoral.errors import InputError
from littoral.records.reports import PositionReport, SafetyReport, StaticReport
from littoral.store.repos import FlatRows
from littoral.store.schema import POSITION_COLUMNS
from littoral.store.texts import IdentityHistory
from littoral.tracks.picture import Report, TrackStore

if TYPE_CHECKING:
    from littoral.ais.sources import FileSource
    from littoral.records.alerts import Alert
    from littoral.store.background import PendingWrite
    from littoral.store.protocol import Store
    from littoral.store.records import IngestRun
    from littoral.store.repos import PositionRow


FUTURE_TOLERANCE = timedelta(days=1)
"""A message time further ahead of the clock than this does not advance the ingest's event
time (which ages the picture's history and stamps alerts): a receiver with a wrong clock
must not expire the whole picture."""


EXPIRE_EVERY = timedelta(minutes=1)
"""The picture's history is aged at most this often (of event time): walking every vessel's
history at every flush costs more than keeping a minute more of it."""


FILE_CHUNK_LINES = 20_000
"""Lines of a file decoded at a time by :func:`ingest`: fewer, larger chunks cost less per
line in the decoder's vectorised steps and in the decode worker's hand-over than chunks of
5,000 (the ingest of ``benchmarks/ais_bench.py``'s realistic corpus about 5 % faster)."""

IDLE_FLUSH_POSITIONS = 50000
"""Positions held before an ingest with a decode worker writes early: while it would wait
for the next batch, or as soon as the store has committed the write before."""


class WatchHook(Protocol):
    """What ingest needs of the watch engine (``littoral.watch.Engine``)."""

    def process(self, records: Sequence[Report]) -> list[Alert]:
        """Take records in time order; return the alerts that were raised or changed."""
        ...

    def finish(self, time: datetime) -> list[Alert]:
        """End of input at event ``time``; return the alerts that changed."""
        ...


@dataclass(slots=True)
class IngestProgress:
    """Running figures of an ingest, for a status line."""

    lines: int
    messages: int
    vessels: int
    rejects: int
    positions_stored: int
    alerts: int
    elapsed_s: float

    @property
    def messages_per_s(self) -> float:
        """Decoded messages per second of wall time so far."""
        return self.messages / self.elapsed_s if self.elapsed_s > 0 else 0.0


@dataclass(slots=True)
class IngestResult:
    """What an ingest did: decoder statistics, what was stored, and its run record."""

    stats: IngestStats
    positions_stored: int
    vessels: int
    alerts: int
    batches: int
    elapsed_s: float
    run: IngestRun | None = None
    latest: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _chunks_direct(lines: Iterable[RawLine], size: int) -> Iterator[list[RawLine]]:
    it = iter(lines)
    while chunk := list(islice(it, size)):
        yield chunk


def _chunks_live(lines: Iterable[RawLine], size: int, wait_s: float) -> Iterator[list[RawLine]]:
    """Cut chunks by count or by time from a live source read in a thread.

    A quiet feed still yields (possibly empty) chunks every ``wait_s``, so the caller can
    flush what it holds.
    """
    box: queue.Queue[RawLine | BaseException | None] = queue.Queue(maxsize=100_000)

    def pump() -> None:
        try:
            for line in lines:
                box.put(line)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            box.put(exc)
        else:
            box.put(None)

    threading.Thread(target=pump, name="ingest-reader", daemon=True).start()
    done = False
    while not done:
        chunk: list[RawLine] = []
        deadline = _time.monotonic() + wait_s
        while len(chunk) < size:
            timeout = deadline - _time.monotonic()
            if timeout <= 0:
                break
            try:
                item = box.get(timeout=timeout)
            except queue.Empty:
                break
            if item is None:
                done = True
                break
            if isinstance(item, BaseException):
                raise item
            chunk.append(item)
        yield chunk


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run CPython's cyclic garbage collector less often inside the block.

    An ingest allocates millions of short-lived objects without cycles (reports, rows) that
    reference counting frees at once; with the default thresholds the cyclic collector still
    runs thousands of times and walks the whole picture each time, a quarter of the ingest's
    CPU time (measured by ``benchmarks/ais_bench.py``). The thresholds are restored after.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 200_000), max(before[1], 100), max(before[2], 1000))
    try:
        yield
    finally:
        gc.set_threshold(*before)


class Ingest:
    """One ingest run into one store.

    Parameters
    ----------
    store
        Where batches are written.
    clock
        Tells the picture's history TTL the time on a live feed; replays use message time.
    decoder
        The AIS decoder (a fresh one when omitted).
    picture
        The picture to update (a fresh :class:`TrackStore` when omitted); restored from the
        store's vessel rows unless ``restore=False``.
    watch
        Optional watch engine fed the records of every chunk.
    on_alerts
        Called with the alerts that changed, after they are stored.
    on_progress
        Called after every chunk with the running figures.
    flush_interval_s
        Longest wall time between two committed batches (> 0).
    max_batch
        Most positions held before a flush (> 0).
    chunk_lines
        Lines decoded at a time.
    decode_worker
        Decode a file in a second process while this one updates the picture and the store
        (:mod:`littoral.services.decode_worker`): ``None`` (the default) does it for a file
        source of 2 MB or more when the decoder is the ingest's own and the platform forks
        (Linux); ``False`` never; ``True`` whenever the source is a file and it can.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        decoder: Decoder | None = None,
        picture: TrackStore | None = None,
        watch: WatchHook | None = None,
        on_alerts: Callable[[list[Alert]], None] | None = None,
        on_progress: Callable[[IngestProgress], None] | None = None,
        flush_interval_s: float = 1.0,
        max_batch: int = 200_000,
        chunk_lines: int = 5000,
        restore: bool = True,
        decode_worker: bool | None = None,
    ) -> None:
        if flush_interval_s <= 0:
            raise InputError(f"flush_interval_s={flush_interval_s!r} must be > 0")
        if max_batch <= 0:
            raise InputError(f"max_batch={max_batch!r} must be > 0")
        if chunk_lines <= 0:
            raise InputError(f"chunk_lines={chunk_lines!r} must be > 0")
        self.store = store
        self.clock = clock
        self.decoder = decoder or Decoder(keep_others=False)
        self._decode_worker = decode_worker if decoder is None or decode_worker else False
        self.picture = picture or TrackStore(clock)
        if restore:
            self.picture.restore(store.vessels.all())
        self.watch = watch
        self._on_alerts = on_alerts
        self._on_progress = on_progress
        self._flush_interval_s = flush_interval_s
        self._max_batch = max_batch
        self._chunk_lines = chunk_lines
        self._positions: list[PositionReport] = []
        self._rows: FlatRows | None = _no_rows()
        """The store rows of the positions held, when every batch came with them."""
        self._column_positions = 0
        """Positions held as rows only (a decode worker's columns), not in ``_positions``."""
        self._safety: list[SafetyReport] = []
        self._statics: list[StaticReport] = []
        self._identity = IdentityHistory()
        self._rejects: list[Rejected] = []
        self._alerts: dict[str, Alert] = {}
        self._latest: datetime | None = None
        self._expired: datetime | None = None
        self.positions_stored = 0
        self.alerts_changed = 0
        self.batches = 0
        self._lines: object = None
        self._writing: PendingWrite | None = None
        """The batch whose write finishes in the store's thread (see :meth:`_write`)."""

    def run(self, lines: Iterable[RawLine], *, live: bool = False) -> IngestResult:
        """Ingest every line (until the source ends or the caller interrupts).

        Parameters
        ----------
        lines
            Raw lines, e.g. from :func:`littoral.ais.sources.open_sources`. A
            :class:`~littoral.ais.sources.FileSource` is read in chunks of text
            (:meth:`~littoral.ais.decoder.Decoder.decode_texts`), without a tuple per line.
        live
            Read in a thread and cut chunks by time too (for sockets and stdin), so that
            batches are flushed on time even while the feed is quiet.
        """
        from littoral.ais.sources import FileSource

        decoder = self.decoder
        self._lines = lines  # asked for its kernel drops (UDP) at the end
        batches: Iterator[DecodeBatch]
        if isinstance(lines, FileSource) and not live and self._use_worker(lines):
            from littoral.services.decode_worker import DecodeWorker

            with DecodeWorker(decoder, lines, self._chunk_lines) as worker:
                # the watch takes records; without one, positions stay columns
                taken = worker.batches(records=self.watch is not None)
                return self._run(taken, idle=worker.idle)
        if isinstance(lines, FileSource) and not live:
            batches = (
                decoder.decode_texts(texts, name, read)
                for texts, name, read in lines.chunks(self._chunk_lines)
            )
        elif live:
            wait_s = min(0.25, self._flush_interval_s)
            chunks = _chunks_live(lines, self._chunk_lines, wait_s)
            batches = (decoder.decode_lines(chunk) for chunk in chunks)
        else:
            batches = (decoder.decode_lines(c) for c in _chunks_direct(lines, self._chunk_lines))
        return self._run((batch, None, None) for batch in batches)

    def _use_worker(self, source: FileSource) -> bool:
        from littoral.services.decode_worker import can_fork, worth_a_worker

        if self._decode_worker is None:
            return worth_a_worker(source)
        return self._decode_worker and can_fork()

    def _run(
        self,
        batches: Iterator[tuple[DecodeBatch, Sequence[PositionRow] | None, list[list[Any]] | None]],
        idle: Callable[[], bool] | None = None,
    ) -> IngestResult:
        """Take every batch and flush on time; also while ``idle()`` says the next is not ready.

        A batch may come with the store rows of its positions (a decode worker makes them),
        and with its positions as columns instead of records (see :meth:`_take`).

        With a decode worker, what this process holds (at least
        :data:`IDLE_FLUSH_POSITIONS` positions) is written as soon as the store has
        committed the write before (SQLite commits in a thread,
        :mod:`littoral.store.background`), or while this process would wait for the next
        batch: the store's writes overlap the decoding instead of following it, and the last
        write, after the end of input, is a short one. Measured on the realistic corpus of
        ``benchmarks/ais_bench.py``: the last write's 0.2 CPU-s in this process and 0.15 s
        in the store's thread were the run's single-threaded tail.
        """
        started = self.clock.now()
        t0 = _time.monotonic()
        last_flush = t0
        with fewer_collections():
            try:
                for batch, rows, columns in batches:
                    self._take(batch, rows, columns)
                    now = _time.monotonic()
                    held = len(self._positions) + self._column_positions
                    if (
                        now - last_flush >= self._flush_interval_s
                        or held >= self._max_batch
                        or (
                            idle is not None
                            and held >= IDLE_FLUSH_POSITIONS
                            and (self._store_free() or idle())
                        )
                    ):
                        self._write(wait=False)
                        last_flush = now
                    if self._on_progress is not None:
                        self._on_progress(self.progress(now - t0))
                self._take(self.decoder.flush())
                if self.watch is not None and self._latest is not None:
                    self._add_alerts(self.watch.finish(self._latest))
            finally:
                self.flush()
        elapsed = _time.monotonic() - t0
        if self._on_progress is not None:
            self._on_progress(self.progress(elapsed))
        return self.result(started, elapsed)

    def progress(self, elapsed_s: float) -> IngestProgress:
        """Return the running figures."""
        stats = self.decoder.stats
        return IngestProgress(
            lines=stats.lines,
            messages=stats.messages,
            vessels=len(self.picture),
            rejects=stats.rejected,
            positions_stored=self.positions_stored,
            alerts=self.alerts_changed,
            elapsed_s=elapsed_s,
        )

    def _take(
        self,
        batch: DecodeBatch,
        rows: Sequence[PositionRow] | None = None,
        columns: list[list[Any]] | None = None,
    ) -> None:
        """Apply a batch to the picture and hold it for the store.

        ``rows``: the store rows of its positions, when made already. ``columns``: its
        positions as columns (:class:`PositionReport` fields; ``batch.positions`` is then
        empty), applied to the picture and stored through ``rows`` (then flat,
        :class:`FlatRows`) without a record each.
        """
        positions = batch.positions
        picture = self.picture
        count = len(positions) if columns is None else len(columns[1])
        if columns is not None:
            if not isinstance(rows, FlatRows) or self._rows is None or len(rows) != count:
                raise InputError("positions as columns come with their store rows, flat")
            self._rows.extend(rows)
            self._column_positions += count
            picture.apply_position_columns(columns, rows.column(1))  # (the times in ms)
        else:
            if positions:
                self._positions.extend(positions)
                if self._rows is not None:
                    if rows is None:
                        self._rows = None  # made by the store at the flush, for all of them
                    else:
                        self._rows.extend(rows)
            picture.apply_positions(positions)
        picture.apply_statics(batch.statics)
        picture.apply_safety(batch.safety)
        self._safety.extend(batch.safety)
        self._statics.extend(self._identity.changes(batch.statics))
        self._rejects.extend(batch.rejects)
        latest = self._latest
        horizon = self.clock.now() + FUTURE_TOLERANCE
        for group in (positions, batch.statics, batch.safety):
            if group:
                last: datetime | None = max(map(_by_time, group))
                if last is not None and last > horizon:  # rare: leave the wrong clocks out
                    last = max((r.time for r in group if r.time <= horizon), default=None)
                if last is not None and (latest is None or last > latest):
                    latest = last
        if columns is not None and columns[1]:
            times: list[datetime] = columns[1]
            last = max(times)
            if last > horizon:
                last = max((t for t in times if t <= horizon), default=None)
            if last is not None and (latest is None or last > latest):
                latest = last
        self._latest = latest
        if self.watch is not None:
            records: list[Report] = [*positions, *batch.statics, *batch.safety]
            if records:
                records.sort(key=_by_time)
                self._add_alerts(self.watch.process(records))

    def _add_alerts(self, alerts: list[Alert]) -> None:
        for alert in alerts:
            self._alerts[alert.id] = alert

    def flush(self) -> None:
        """Write what is held to the store in one transaction, committed when this returns."""
        self._write(wait=True)

    def _write(self, wait: bool) -> None:
        """Write what is held in one transaction (after the one still being committed).

        A store that can finish a write in a thread (SQLite: ``SqlStore.start_write``)
        commits it there; with ``wait=False`` (during a run) while the next batches are
        read, and the next write, and the end of the run, wait for it first. A batch with
        alerts is always committed before this returns (``on_alerts`` is told of stored
        alerts only).
        """
        from littoral.store.batch import prepare_batch

        self._finish_write()
        vessels = self.picture.take_dirty()
        if not (
            self._positions
            or self._column_positions
            or vessels
            or self._rejects
            or self._alerts
            or self._safety
            or self._statics
        ):
            return
        alerts = list(self._alerts.values())
        rows = self._rows
        if rows is not None and len(rows) != len(self._positions) + self._column_positions:
            rows = None  # (never expected: the store makes them)
        start = getattr(self.store, "start_write", None)
        if start is None:
            self.positions_stored += self.store.write_batch(
                positions=self._positions,
                position_rows=rows or None,
                vessels=vessels,
                quarantine=self._rejects,
                alerts=alerts,
                at=self._latest,
                safety=self._safety,
                statics=self._statics,
            )
        else:
            self._writing = start(
                prepare_batch(
                    self._positions,
                    vessels,
                    self._rejects,
                    alerts,
                    self._latest,
                    self._safety,
                    self._statics,
                    rows or None,
                )
            )
        self.batches += 1
        self._positions = []
        self._column_positions = 0
        self._rows = _no_rows()
        self._safety = []
        self._statics = []
        self._rejects = []
        self._alerts = {}
        latest = self._latest
        if latest is not None and (
            self._expired is None
            or latest - self._expired >= EXPIRE_EVERY
            or latest < self._expired
        ):
            self.picture.expire(latest)  # (while the store's thread commits)
            self._expired = latest
        if wait or alerts:  # (a batch with alerts is committed before they are told)
            self._finish_write()
        if alerts:
            self.alerts_changed += len(alerts)
            if self._on_alerts is not None:
                self._on_alerts(alerts)

    def _store_free(self) -> bool:
        """Whether no write is being committed (a new one would not wait for it)."""
        return self._writing is None or self._writing.done()

    def _finish_write(self) -> None:
        """Wait for the write still being committed, if any, and count what it stored."""
        writing, self._writing = self._writing, None
        if writing is not None:
            self.positions_stored += writing.wait()

    def result(self, started: datetime, elapsed_s: float) -> IngestResult:
        """Return the figures of this run so far, with its (unsaved) run record."""
        from littoral.store.records import IngestRun

        stats = self.decoder.stats
        counts = {f"outcome_{k}": v for k, v in stats.by_outcome.items()}
        counts.update({f"type_{k}": v for k, v in stats.by_type.items()})
        counts.update({f"reason_{k}": v for k, v in stats.by_reason.items()})
        counts["no_position"] = stats.no_position
        counts["invalid_position"] = self.picture.invalid_positions
        counts["invalid_mmsi"] = sum(self.picture.quarantined.values())
        drops = getattr(self._lines, "kernel_drops", 0)
        if drops:
            counts["kernel_drops"] = int(drops)
        run = IngestRun(
            started=started,
            finished=self.clock.now(),
            sources=(),
            lines=stats.lines,
            messages=stats.messages,
            positions_stored=self.positions_stored,
            vessels=len(self.picture),
            rejects=stats.rejected,
            counts=counts,
        )
        return IngestResult(
            stats=stats,
            positions_stored=self.positions_stored,
            vessels=len(self.picture),
            alerts=self.alerts_changed,
            batches=self.batches,
            elapsed_s=elapsed_s,
            run=run,
            latest=self._latest,
            counts=counts,
        )


def _no_rows() -> FlatRows:
    """Return an empty list of store rows, flat (see :class:`FlatRows`)."""
    return FlatRows([], len(POSITION_COLUMNS))


def _by_time(record: Report) -> datetime:
    return record.time


def ingest(
    lines: Iterable[RawLine],
    store: Store,
    clock: Clock,
    *,
    sources: Sequence[str] = (),
    live: bool = False,
    watch: WatchHook | None = None,
    on_alerts: Callable[[list[Alert]], None] | None = None,
    on_progress: Callable[[IngestProgress], None] | None = None,
    flush_interval_s: float = 1.0,
    decode_worker: bool | None = None,
) -> IngestResult:
    """Ingest ``lines`` into ``store`` and record the run's statistics there.

    ``decode_worker``: see :class:`Ingest`.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from littoral.clock import FixedClock
    >>> from littoral.store import open_store
    >>> clock = FixedClock(datetime(2026, 5, 1, tzinfo=UTC))
    >>> line = RawLine("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A", "demo", clock.now())
    >>> result = ingest([line], open_store("sqlite:///:memory:"), clock)
    >>> result.positions_stored
    1
    """
    # The job's picture dies with it, by reference counting, before the collector's
    # thresholds come back: it is never walked only to be freed after.
    with fewer_collections():
        job = Ingest(
            store,
            clock,
            watch=watch,
            on_alerts=on_alerts,
            on_progress=on_progress,
            flush_interval_s=flush_interval_s,
            chunk_lines=200 if live else FILE_CHUNK_LINES,
            decode_worker=decode_worker,
        )
        started = clock.now()
        try:
            result = job.run(lines, live=live)
        except KeyboardInterrupt:
            # what was read is stored (run() flushed it); keep the statistics of the run too
            partial = job.result(started, 0.0)
            if partial.run is not None:
                partial.run.sources = tuple(sources)
                store.ingest_runs.record(partial.run)
            raise
        finally:
            del job
    if result.run is not None:
        result.run.sources = tuple(sources)
        result.run = store.ingest_runs.record(result.run)
    return result
