"""A file's lines decoded in a second process while this one updates the picture and store.

An ingest of a file spends about as much CPU decoding as updating the picture and writing
the store. Both are Python, so two threads would take turns on the interpreter lock; a
forked process runs the decoder on the second core instead. The worker reads the files
itself, in the chunks of :meth:`~littoral.ais.sources.FileSource.chunks`, decodes them with
its copy of the ingest's decoder (fragment groups span chunks there, as in one process)
and sends every batch back through a pipe, in order, with the decoder's statistics.

Position and static reports travel as columns (one list per field): far cheaper than
pickling an object per report (``docs/store.md`` measured pickling rows at more CPU than
SQLite's insert). The positions are columns from the decoder on
(:meth:`~littoral.ais.decoder.Decoder.decode_texts_columns`), never records in the worker;
the statics are built again here, and so are the positions when a watch needs records. The
records are equal field by field to those of the same decoder run in this process;
``tests/integration/test_decode_worker.py`` checks it on the real captures.

The worker writes nothing: the store is written here, as before, one transaction per
batch, so a killed ingest loses what it lost before. The worker is at most :data:`AHEAD`
batches ahead (a send waits while that many are unread), and it ends when this process
goes away (its next send fails on the closed pipe), so nothing is left running.

Only where ``fork`` is the platform's usual way (Linux): the worker starts with the
imports and the decoder already in memory, in milliseconds.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import queue
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from itertools import repeat
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from operator import attrgetter, floordiv
from typing import Any

from littoral.ais import DecodeBatch, Decoder
from littoral.ais.constructors import new_positions, new_static, position_columns
from littoral.ais.sources import FileSource
from littoral.ais.stats import IngestStats
from littoral.errors import InputError
from littoral.records.reports import PositionReport, StaticReport
from littoral.store.records import fast_ms
from littoral.store.repos import FlatRows, PositionRow

_POSITION_FIELDS = tuple(f.name for f in fields(PositionReport))
_STATIC_FIELDS = tuple(f.name for f in fields(StaticReport))
_static_row = attrgetter(*_STATIC_FIELDS)

Packed = tuple[Any, ...]
"""A batch as sent: position columns, static columns, the other lists as they are, then the
positions' distinct receive times and those in milliseconds (see :func:`pack`)."""

_AT = {name: k for k, name in enumerate(_POSITION_FIELDS)}
_TIME = _AT["time"]
_ROW_COLUMNS = tuple(
    _AT[name]
    for name in ("mmsi", "time", "lon", "lat", "sog_kn", "cog_deg", "heading_deg",
                 "nav_status", "msg_type", "source")
)  # fmt: skip
"""The position columns of a store row (:data:`~littoral.store.repos.PositionRow`), in order;
the time's place takes the milliseconds."""

_second = datetime.fromtimestamp

AHEAD = 8
"""Most batches the worker holds decoded and not yet read by the parent."""

FIRST_CHUNK_LINES = 2000
"""The worker's first chunk is no longer than this: the parent starts on it sooner."""

MIN_WORKER_BYTES = 2_000_000
"""Files smaller than this are decoded in process: the worker would not pay for itself."""


def can_fork() -> bool:
    """Whether a decode worker can be forked here (Linux)."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def worth_a_worker(source: FileSource) -> bool:
    """Whether ``source`` is large enough for a decode worker, and one can be forked."""
    if not can_fork():
        return False
    try:
        size = sum(path.stat().st_size for path in source.paths)
    except OSError:
        return False
    return size >= MIN_WORKER_BYTES


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    if not rows:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*rows, strict=True)]


def pack(batch: DecodeBatch, columns: list[list[Any]] | None = None) -> Packed:
    """Return ``batch`` as plain columns and lists, cheap to pickle (see :func:`unpack`).

    ``columns``: the batch's positions as columns, when it holds none as records (see
    :meth:`~littoral.ais.decoder.Decoder.decode_texts_columns`).

    The positions' time column holds the place of each time among the batch's distinct
    times (a receive time is shared by the lines of one second: pickling a datetime costs
    far more than an integer), sent once each with their milliseconds; a time of a whole
    second in UTC (a tag block's) goes as None, made again from its milliseconds. A time
    may come as a Unix second already (an ``int``, see
    :meth:`~littoral.ais.decoder.Decoder.decode_texts_columns`): such a time goes as None
    too, and never became a datetime in the worker.
    """
    if columns is None:
        positions = position_columns(batch.positions)
    elif batch.positions:
        raise ValueError("a batch with positions as records and as columns")
    else:
        positions = list(columns)  # (its time column is replaced below)
    times = positions[_TIME]
    # a second by its value (never negative); a datetime by object, so that equal times
    # of other time zones stay apart
    keys = [t if t.__class__ is int else ~id(t) for t in times]
    first = dict(zip(keys, times, strict=True))
    at = {key: place for place, key in enumerate(first)}
    distinct: list[datetime | int] = list(first.values())
    positions[_TIME] = list(map(at.__getitem__, keys))
    return (
        positions,
        _columns(list(map(_static_row, batch.statics)), len(_STATIC_FIELDS)),
        batch.safety,
        batch.others,
        batch.messages,
        batch.rejects,
        [None if isinstance(t, int) or _whole_utc(t) else t for t in distinct],
        [t * 1000 if isinstance(t, int) else fast_ms(t) for t in distinct],
    )


def _whole_utc(time: datetime) -> bool:
    """Whether ``time`` is made again exactly from its milliseconds (see :func:`unpack`)."""
    return time.tzinfo is UTC and not time.microsecond and not time.fold


def unpack(
    packed: Packed, records: bool = True
) -> tuple[DecodeBatch, Sequence[PositionRow], list[list[Any]] | None]:
    """Return the batch :func:`pack` was given, its records built again, with its rows.

    The rows are its positions' store rows (:func:`~littoral.store.repos.position_rows` of
    them), made from the columns without looking at the records again, as flat rows
    (:class:`~littoral.store.repos.FlatRows`). With
    ``records=False`` the positions are not built: the batch has none, and their columns
    (:class:`PositionReport` fields in order) come third; else the third is None.
    """
    positions, statics, safety, others, messages, rejects, sent, distinct_ms = packed
    if sent.count(None) == len(sent):  # (nearly always: all whole seconds in UTC, one C loop)
        distinct = list(map(_second, map(floordiv, distinct_ms, repeat(1000)), repeat(UTC)))
    else:
        distinct = [
            _second(ms // 1000, UTC) if t is None else t
            for t, ms in zip(sent, distinct_ms, strict=True)
        ]
    places = positions[_TIME]
    positions[_TIME] = list(map(distinct.__getitem__, places))
    times_ms = list(map(distinct_ms.__getitem__, places))
    batch = DecodeBatch(
        positions=new_positions(*positions) if records else [],
        statics=list(map(new_static, *statics)),
        safety=safety,
        others=others,
        messages=messages,
        rejects=rejects,
    )
    columns = None if records else positions
    if not times_ms:
        return batch, FlatRows([], len(_ROW_COLUMNS)), columns
    row_columns = [positions[k] for k in _ROW_COLUMNS]
    row_columns[1] = times_ms
    return batch, FlatRows.of_columns(row_columns), columns


def _work(
    decoder: Decoder, source: FileSource, chunk_lines: int, out: Connection, theirs: Connection
) -> None:
    """Decode every chunk and send it; then the end of input, or the error (the worker).

    Each batch is pickled here, with the statistics as they are after it; a thread writes
    the bytes to the pipe (without the interpreter lock) while the decoder goes on, up to
    :data:`AHEAD` batches ahead: the parent takes batches in bursts (between two store
    writes), and a worker that waited for each read would sit idle meanwhile.
    """
    theirs.close()  # the parent's end: held here, a send would never fail when it is gone
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # (not the parent's handler, if it has one)
    gc.set_threshold(200_000, 100, 1000)  # as fewer_collections() in the parent
    box: queue.Queue[memoryview | None] = queue.Queue(AHEAD)
    gone = threading.Event()

    def send() -> None:
        while (data := box.get()) is not None:
            try:
                out.send_bytes(data)
            except OSError:  # the parent is gone
                gone.set()
                return

    def put(item: tuple[str, Any, IngestStats | None] | None) -> bool:
        """Queue ``item`` for the sender; False once the parent is gone."""
        data = None if item is None else ForkingPickler.dumps(item)
        while not gone.is_set():
            try:
                box.put(data, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    sender = threading.Thread(target=send, name="littoral-decode-send", daemon=True)
    sender.start()
    try:
        for texts, name, read in source.chunks(chunk_lines, min(chunk_lines, FIRST_CHUNK_LINES)):
            batch, columns = decoder.decode_texts_columns(texts, name, read, seconds=True)
            if not put(("batch", pack(batch, columns), decoder.stats)):
                return
        put(("end", pack(decoder.flush()), decoder.stats))
    except Exception as exc:  # handed to the parent, which raises it
        try:
            put(("error", exc, None))
        except Exception:  # (an exception that cannot be pickled)
            put(("error", InputError(f"decoding failed: {exc!r}"), None))
    finally:
        if put(None):
            sender.join()
        out.close()


class DecodeWorker:
    """Decode a file source in a forked process; iterate :meth:`batches` for the results.

    Use as a context manager: leaving it stops the worker if it is still running.
    ``decoder`` is copied into the worker when it starts; its ``stats`` are replaced by the
    worker's after every batch, so they read as if it had done the work.
    """

    def __init__(self, decoder: Decoder, source: FileSource, chunk_lines: int) -> None:
        self._decoder = decoder
        context = multiprocessing.get_context("fork")
        self._in, out = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_work,
            args=(decoder, source, chunk_lines, out, self._in),
            name="littoral-decode",
            daemon=True,
        )
        self._process.start()
        out.close()  # the worker's end: the worker's exit then ends our reads

    def batches(
        self, records: bool = True
    ) -> Iterator[tuple[DecodeBatch, Sequence[PositionRow] | None, list[list[Any]] | None]]:
        """Yield the decoded batches in order, the end-of-input flush last, with their rows.

        The rows are the store rows of each batch's positions, and with ``records=False``
        the positions come as columns instead of records (see :func:`unpack`).

        Raises
        ------
        Exception
            Whatever the worker raised (reading or decoding), or :class:`InputError` if it
            ended without finishing.
        """
        while True:
            try:
                kind, packed, stats = pickle.loads(self._in.recv_bytes())  # noqa: S301 (our child)
            except EOFError:
                raise InputError(
                    f"the decode worker ended without finishing (exit code "
                    f"{self._process.exitcode})"
                ) from None
            if kind == "error":
                raise packed
            self._set_stats(stats)
            yield unpack(packed, records)
            if kind == "end":
                return

    def idle(self) -> bool:
        """Whether the next batch is not ready yet (reading it now would wait)."""
        return not self._in.poll()

    def _set_stats(self, stats: IngestStats) -> None:
        self._decoder.stats = stats

    def close(self) -> None:
        """Stop the worker (if it still runs) and wait for it."""
        self._in.close()
        process = self._process
        process.join(timeout=5)
        if process.is_alive():
            process.terminate()
            process.join(timeout=5)
        process.close()

    def __enter__(self) -> DecodeWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
