"""The AIS decoder: raw lines in, seam records, generic messages and rejects out.

:class:`Decoder` is stateful (multi-sentence groups span calls) and never raises for any
input line: every line is counted in :class:`~littoral.ais.stats.IngestStats` and every bad
line comes back as a :class:`~littoral.ais.records.Rejected` with its reason.

Sentence layer (NMEA 0183 / IEC 61162-1): ``!xxVDM`` and ``!xxVDO`` from any talker, an
optional NMEA 4.10 tag block in front, US Coast Guard trailing fields after the checksum;
other NMEA sentences are counted and skipped. Receive time is the tag block ``c:``, else the
USCG trailing Unix time, else the source's receive time.

Payload lengths: a message is accepted within the bounds of :data:`LENGTH_BOUNDS`, the same
tolerance as the reference decoders (gpsd decodes a type 1 of 163 bits and one of 204, a
type 21 of 368; type 5 is accepted from 420 to 432 bits: 424 nominal, 426 from some
transponders).

How lines are decoded (counted in :attr:`IngestStats.by_path`): the one-sentence position
reports and type 24 of a batch by the vectorised lane (:mod:`littoral.ais.lane`); the two
sentences of a type 5 on consecutive lines read for the batch at once too
(:mod:`littoral.ais.pairs`: tag blocks, fields and the payload's integer with numpy, then per
pair only the assembler's say and the record), other consecutive fragments 1 and 2 by
:meth:`Decoder._pair`; everything else line by line. ``Decoder(vectorised=False)`` does all
of it line by line, the reference the tests hold the other paths to.
"""

from __future__ import annotations

import binascii
import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice, repeat
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from littoral.ais.assembly import Assembled, Assembler
from littoral.ais.binary_text import TEXT_PREFIX_BITS
from littoral.ais.checksums import BatchScan, scan_batch, scan_lines
from littoral.ais.constructors import POSITION_WIDTH, new_positions, position_columns
from littoral.ais.fastpath import FAST as _POSITION_DECODERS
from littoral.ais.fastpath import LENGTH_BOUNDS, NOMINAL_BITS, FastDecoder
from littoral.ais.generic import decode_fields, reports_from_fields
from littoral.ais.lane import decode_lane, leading_seconds, tag_seconds
from littoral.ais.pairs import GROUP_ONLY, NO_TAG, TIMED, find_pairs
from littoral.ais.records import DecodeBatch, DecodedMessage, RawLine, Reason, Rejected
from littoral.ais.sixbit import PAD as _PAD
from littoral.ais.sixbit import TO_BASE64 as _TO_B64
from littoral.ais.statics import type_5, type_19, type_21, type_24
from littoral.ais.stats import IngestStats, Outcome
from littoral.ais.tagblock import TagReader
from littoral.ais.texts import safety_records
from littoral.clock import require_utc
from littoral.errors import DecodeError
from littoral.records.reports import PositionReport, SafetyReport, StaticReport

Item = TypeVar("Item")
log = logging.getLogger("littoral.ais.decoder")


def _merge(
    rows_a: list[int], items_a: list[Item], rows_b: list[int], items_b: list[Item]
) -> list[Item]:
    """Merge two lists of records, each in line order and from different lines, into line order."""
    if not items_b:
        return items_a
    if not items_a:
        return items_b
    both = items_a + items_b
    order = np.argsort(np.array(rows_a + rows_b, dtype=np.int64), kind="stable")
    return list(map(both.__getitem__, order.tolist()))


_SECONDS_KEPT = 32_768
"""Datetimes of Unix seconds kept by a decoder (about 4 MB; a batch of a day's feed spans a
few thousand seconds, and lines of several receivers come in a little out of order)."""

_Prepared = tuple[
    dict[int, int],
    list[tuple[str, str, str, str]],
    list[str | None],
    list[str | None],
    list[datetime],
    list[int],
    list[datetime],
]
"""The pairs read with a batch: their places by first line, then per pair the assembler key,
station 1, station 2, time, payload and the newest time of its two lines."""

PositionColumns = list[list[Any]]
"""Position reports as twelve columns, one per field of :class:`PositionReport`, in order."""


def _merge_columns(
    rows_a: list[int], columns_a: PositionColumns, rows_b: list[int], items_b: list[PositionReport]
) -> PositionColumns:
    """:func:`_merge` of positions given as columns (``a``) and as records (``b``).

    The few records (lines outside the lane) are put between slices of the columns, so the
    columns are never taken apart value by value.
    """
    if not items_b:
        return columns_a
    columns_b = position_columns(items_b)
    if not rows_a:
        return columns_b
    cuts = np.searchsorted(np.array(rows_a, dtype=np.int64), rows_b).tolist()
    merged: PositionColumns = []
    for column_a, column_b in zip(columns_a, columns_b, strict=True):
        out: list[Any] = []
        extend, append = out.extend, out.append
        start = 0
        for cut, value in zip(cuts, column_b, strict=True):
            extend(column_a[start:cut])
            append(value)
            start = cut
        extend(column_a[start:])
        merged.append(out)
    return merged


def _mmsi(fields: dict[str, object]) -> int:
    value = fields["mmsi"]
    return value if isinstance(value, int) else int(str(value))


_FILL = {"0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "": 0}
_a2b = binascii.a2b_base64
_from_bytes = int.from_bytes

FAST: dict[int, FastDecoder] = {**_POSITION_DECODERS, 5: type_5, 19: type_19}
"""Hand-written decoders of fixed-layout types (21 and 24 take their length too)."""

# Types whose fast decoder reads 168 bits and returns one position (or none).
_FAST_168 = {t: FAST[t] for t in (1, 2, 3, 4, 9, 18)}

_POSITION_TYPES = frozenset((1, 2, 3, 4, 9, 18, 19, 21, 27))
_RECORD_TYPES = _POSITION_TYPES | {5, 12, 14, 24}  # what reports_from_fields makes records of
_APPLICATION_AT = {6: 72, 8: 40}  # first bit of the 10-bit DAC and 6-bit FI of binary messages


def _may_carry_text(msg_type: int, value: int, bits: int) -> bool:
    """Whether a binary message may be a DAC 1 text application (a safety text to keep)."""
    at = _APPLICATION_AT.get(msg_type)
    if at is None:
        return False
    if bits < at + 16:
        return True  # too short to tell: let the full decoding decide
    application = (value >> (bits - at - 16)) & 0xFFFF
    return application >> 6 == 1 and application & 0x3F in TEXT_PREFIX_BITS


_VDM = ("VDM", "VDO")
_STARTS = ("!", "$")  # encapsulated sentences start with "!"; some feeds send "$AIVDM"


class Decoder:
    """Decode raw AIS lines from any number of sources.

    Parameters
    ----------
    fragment_timeout_s
        An incomplete multi-sentence message older than this (receive time) is expired.
    max_pending
        At most this many incomplete messages are held; the oldest is expired beyond it.
    keep_messages
        Also return every decoded message as a :class:`DecodedMessage` (through pyais; slower,
        used by ``littoral ais decode --json``).
    keep_others
        Return the messages that give no seam record in :attr:`DecodeBatch.others`.
    stats
        Statistics to update (a new :class:`IngestStats` when omitted); see :attr:`stats`.
    vectorised
        Check checksums and decode one-sentence position reports for a whole batch with
        numpy (the default). ``False`` does everything line by line: the same results,
        slower; the reference the vectorised path is tested against.
    """

    def __init__(
        self,
        *,
        fragment_timeout_s: float = 60.0,
        max_pending: int = 10_000,
        keep_messages: bool = False,
        keep_others: bool = True,
        stats: IngestStats | None = None,
        vectorised: bool = True,
    ) -> None:
        self.stats = stats if stats is not None else IngestStats()
        self.vectorised = vectorised
        self.keep_messages = keep_messages
        self.keep_others = keep_others
        self._assembler = Assembler(timeout_s=fragment_timeout_s, max_pending=max_pending)
        self._last_time: datetime | None = None  # the newest receive time seen
        self._seconds: dict[int, datetime] = {}
        self._types: list[int] = []
        self._tags = TagReader()

    @property
    def pending_fragments(self) -> int:
        """Number of incomplete multi-sentence messages held."""
        return len(self._assembler)

    def decode_lines(self, lines: Iterable[RawLine]) -> DecodeBatch:
        """Decode lines and return what they gave; never raises for bad lines.

        Incomplete multi-sentence messages stay pending across calls; stale ones are
        expired at the end of each call (see :meth:`flush` for the end of input).

        Raises
        ------
        InputError
            If the receive times of the lines are naive (a programming error, not data).
        """
        raws = lines if isinstance(lines, list) else list(lines)
        receiveds = [r[2] for r in raws]
        if receiveds:
            # the edges of a batch stand for all of it: a naive clock is a caller's bug
            require_utc(receiveds[0], "RawLine.received")
            require_utc(receiveds[-1], "RawLine.received")
        return self._decode([t for t, _, _ in raws], [r[1] for r in raws], receiveds)[0]

    def decode_texts(self, texts: list[str], source: str, received: datetime) -> DecodeBatch:
        """Decode lines that share one source and one receive time (a chunk of a file).

        The same as :meth:`decode_lines` on ``RawLine(text, source, received)`` for each
        text, without making those tuples.

        Raises
        ------
        InputError
            If ``received`` is naive.
        """
        require_utc(received, "received")
        return self._decode(texts, source, received)[0]

    def decode_texts_columns(
        self, texts: list[str], source: str, received: datetime, *, seconds: bool = False
    ) -> tuple[DecodeBatch, PositionColumns]:
        """:meth:`decode_texts` with the positions as columns rather than records.

        Return the batch without its positions, and the positions as twelve columns (one
        per field of :class:`PositionReport`, in order; a row each, in input order): what
        ``batch.positions`` would hold, without making a record per position.

        With ``seconds``, a time of the lane's usual kind (a tag block's ``c:`` second)
        stands in the time column as that Unix second, an ``int``, rather than a datetime
        (the decode worker sends times as numbers: making a datetime per distinct second
        is a fifth of the decoding); the others stay datetimes. Such a second ``s`` is the
        record's ``datetime.fromtimestamp(s, UTC)``.

        Raises
        ------
        InputError
            If ``received`` is naive.
        """
        require_utc(received, "received")
        batch, columns = self._decode(texts, source, received, columns=True, seconds=seconds)
        if columns is None:
            columns = position_columns(batch.positions)
            batch.positions = []
        return batch, columns

    def _decode(
        self,
        raw_texts: list[str],
        sources: list[str] | str,
        receiveds: list[datetime] | datetime,
        columns: bool = False,
        seconds: bool = False,
    ) -> tuple[DecodeBatch, PositionColumns | None]:
        """Decode lines; ``sources`` and ``receiveds`` are per line or one for all.

        With ``columns``, the positions of the lane come back as columns (with those of the
        other lines merged in, and the batch's ``positions`` empty), else None; with
        ``seconds`` too, their usual times as Unix seconds (see :meth:`decode_texts_columns`).
        """
        texts = [t if t[-1:] > " " else t.strip() for t in raw_texts]
        n = len(texts)
        source_list = [sources] * n if isinstance(sources, str) else sources
        received_list = [receiveds] * n if isinstance(receiveds, datetime) else receiveds
        vectorised = self.vectorised
        try:
            scan = scan_batch(texts) if vectorised else scan_lines(texts)
        except Exception as exc:  # numpy failing must not stop a feed: counted, line by line
            self._fallback("scan", exc)
            scan = scan_lines(texts)
            vectorised = False  # (the lane needs the batch scan)
        rows: list[int] = []
        records: list[PositionReport] = []
        lane_columns: PositionColumns | None = None
        static_rows: list[int] = []
        statics: list[StaticReport] = []
        if vectorised and not self.keep_messages:
            types_before = len(self._types)
            try:
                rows, found, static_rows, statics = self._lane(
                    scan, texts, source_list, received_list, columns, columns and seconds
                )
                if columns:
                    lane_columns = found
                else:
                    records = found
            except Exception as exc:  # the lane failing must not stop a feed: counted
                self._fallback("lane", exc)
                rows, records, static_rows, statics = [], [], [], []
                lane_columns = None
                del self._types[types_before:]
        batch = DecodeBatch()
        outcomes: list[str] = []
        add = outcomes.append
        positions = batch.positions
        position_lines: list[int] = []
        scalar_statics = batch.statics
        static_lines: list[int] = []
        line = self._line
        in_lane = set(rows)
        in_lane.update(static_rows)
        taken = np.zeros(n, dtype=bool)
        if in_lane:  # the lines left to the loop below, in order
            taken[rows] = True
            taken[static_rows] = True
            todo: Iterable[int] = np.flatnonzero(~taken).tolist()
        else:
            todo = range(n)
        sentence_ok, tag_ok, stars, closes = scan.sentence_ok, scan.tag_ok, scan.star, scan.close
        pairs = self.vectorised and not self.keep_messages
        prepared: dict[int, int] = {}
        if vectorised and pairs and n > 1:
            try:
                prepared, keys, stations1, stations2, pair_times, values, newest = (
                    self._prepare_pairs(scan, texts, sources, received_list, taken)
                )
            except Exception as exc:  # numpy failing must not stop a feed: counted, per pair
                self._fallback("pairs", exc)
                prepared = {}
        pair = self._pair
        can_bypass = self._assembler.can_bypass
        static_5 = FAST[5]
        pair_rows: list[int] = []
        pair_statics: list[StaticReport] = []
        pair_newest: list[datetime] = []
        prepared_get = prepared.get
        paired = 0
        skip = -1
        for i in todo:
            if i == skip:
                continue
            text = texts[i]
            source = source_list[i]
            received = received_list[i]
            k = prepared_get(i)
            if k is not None and can_bypass(keys[k], stations1[k], stations2[k]):
                # A type 5 in two sentences, read with the batch; the assembler had its say
                skip = i + 1
                pair_newest.append(newest[k])
                try:
                    record = static_5(values[k], pair_times[k], source)[0]
                except Exception as exc:  # a bug must not stop a feed: count and quarantine
                    add(Outcome.FRAGMENT)
                    add(Outcome.REJECTED)
                    self._reject(batch, texts[skip], source, Reason.DECODE_ERROR, received, exc)
                    continue
                pair_rows.append(skip)
                pair_statics.append(record)  # type: ignore[arg-type]
                continue
            before = len(positions)
            statics_before = len(scalar_statics)
            j = i + 1
            if (
                pairs
                and k is None
                and text.startswith(",2,1,", closes[i] + 7)
                and j < n
                and texts[j].startswith(",2,2,", closes[j] + 7)
                and sentence_ok[i]
                and sentence_ok[j]
                and source_list[j] == source
                and j not in in_lane
            ):
                # The two sentences of a message, one after the other (the usual type 5).
                try:
                    done = pair(
                        text, texts[j], closes[i], closes[j], stars[i], stars[j],
                        tag_ok[i], tag_ok[j], source, received, received_list[j], batch,
                    )  # fmt: skip
                except Exception as exc:  # a bug must not stop a feed: count and quarantine
                    skip = j
                    add(Outcome.FRAGMENT)
                    add(Outcome.REJECTED)
                    self._reject(batch, texts[j], source, Reason.DECODE_ERROR, received, exc)
                    continue
                if done:
                    skip = j
                    paired += 1
                    add(Outcome.FRAGMENT)
                    add(Outcome.FRAGMENT)
                    if len(positions) != before:
                        position_lines.extend([j] * (len(positions) - before))
                    if len(scalar_statics) != statics_before:
                        static_lines.extend([j] * (len(scalar_statics) - statics_before))
                    continue
            try:
                add(
                    line(
                        text,
                        source,
                        received,
                        sentence_ok[i],
                        tag_ok[i],
                        stars[i],
                        closes[i],
                        batch,
                    )
                )
            except Exception as exc:  # a bug must not stop a feed: count and quarantine
                add(Outcome.REJECTED)
                self._reject(batch, text, source, Reason.DECODE_ERROR, received, exc)
            if len(positions) != before:
                position_lines.extend([i] * (len(positions) - before))
            if len(scalar_statics) != statics_before:
                static_lines.extend([i] * (len(scalar_statics) - statics_before))
        merged_columns: PositionColumns | None = None
        lane_count = len(records)
        if lane_columns is not None:
            lane_count = len(lane_columns[0])
            merged_columns = _merge_columns(rows, lane_columns, position_lines, positions)
            batch.positions = []
        elif records:
            batch.positions = _merge(rows, records, position_lines, positions)
        if pair_newest:
            latest = max(pair_newest)
            if self._last_time is None or latest > self._last_time:
                self._last_time = latest
        if pair_statics:  # (counted as fragments, not as decoded lines)
            outcomes.extend([Outcome.FRAGMENT] * (2 * len(pair_statics)))
            self._types.extend([5] * len(pair_statics))
            batch.statics = _merge(
                sorted(static_rows + pair_rows),
                _merge(static_rows, statics, pair_rows, pair_statics),
                static_lines,
                scalar_statics,
            )
        elif statics:
            batch.statics = _merge(static_rows, statics, static_lines, scalar_statics)
        outcomes.extend([Outcome.DECODED] * (lane_count + len(statics)))
        paths = self.stats.by_path
        in_lane_count = len(in_lane)
        if in_lane_count:
            paths["lane"] += in_lane_count
        paired += len(pair_statics)
        if paired:
            paths["pair"] += 2 * paired
        if n - in_lane_count - 2 * paired:
            paths["line"] += n - in_lane_count - 2 * paired
        self._expire(batch, everything=False)
        self._count(batch, n, outcomes, 0 if merged_columns is None else len(merged_columns[0]))
        return batch, merged_columns

    def _lane(
        self,
        scan: BatchScan,
        texts: list[str],
        sources: list[str],
        receiveds: list[datetime],
        columns: bool = False,
        seconds: bool = False,
    ) -> tuple[list[int], Any, list[int], list[StaticReport]]:
        """Return the lines and records of the one-sentence messages the lane decoded.

        Positions (types 1-3, 4, 18) and type 24 static reports, each with their line numbers;
        with ``columns``, the positions as :data:`PositionColumns` rather than records, and
        with ``seconds`` their usual times as Unix seconds (see :meth:`_lane_times`).
        """
        lane = decode_lane(scan)
        position_rows = lane.rows
        rows = position_rows + lane.static_rows
        if not rows:
            return [], [[] for _ in range(POSITION_WIDTH)] if columns else [], [], []
        count = len(position_rows)
        times, newest = self._lane_times(scan, texts, rows, receiveds, count if seconds else 0)
        if newest is not None and (self._last_time is None or newest > self._last_time):
            self._last_time = newest
        mmsi, lon, lat, kind, sog, cog, hdg, status, cls, acc = lane.columns
        line_sources: list[Any] = [sources[row] for row in position_rows]
        position_times: list[Any] = times[:count]
        if None in position_times:  # lines whose tag block the plain path rejects: left out
            kept = [i for i in range(count) if position_times[i] is not None]
            mmsi, lon, lat, kind, sog, cog, hdg, status, cls, acc, line_sources, position_times = (
                [column[i] for i in kept]
                for column in (mmsi, lon, lat, kind, sog, cog, hdg, status, cls, acc,
                               line_sources, position_times)
            )  # fmt: skip
            position_rows = [position_rows[i] for i in kept]
        lane_fields = [
            mmsi, position_times, lon, lat, kind, line_sources, sog, cog, hdg, status, cls, acc
        ]  # fmt: skip
        positions = lane_fields if columns else new_positions(*lane_fields)
        self._types.extend(kind)
        static_rows: list[int] = []
        statics: list[StaticReport] = []
        for k, (row, value) in enumerate(zip(lane.static_rows, lane.static_values, strict=True)):
            time = times[count + k]  # (a datetime: only positions' times come as seconds)
            if time is None:
                continue
            records = type_24(value, 168, cast(datetime, time), sources[row])
            if records:  # (parts 2 and 3 give none: left to the plain path)
                static_rows.append(row)
                statics.append(records[0])  # type: ignore[arg-type]
                self._types.append(24)
        # Lines whose tag block the plain path rejects were left out: it deals with them.
        return position_rows, positions, static_rows, statics

    def _second(self, second: int) -> datetime:
        """Return the UTC time of a Unix second, made once and kept (see :data:`_SECONDS_KEPT`)."""
        cache = self._seconds
        if len(cache) >= _SECONDS_KEPT:
            cache.clear()
        time = cache[second] = datetime.fromtimestamp(second, UTC)
        return time

    def _times(self, seconds: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
        """Return the UTC times of Unix seconds (an object array), a datetime per distinct one."""
        distinct, where = np.unique(seconds, return_inverse=True)
        values = distinct.tolist()
        cache = self._seconds
        made: list[datetime | None] = list(map(cache.get, values))
        if None in made:  # the new seconds made in one pass (a loop in C), then kept
            new = [v for v, t in zip(values, made, strict=True) if t is None]
            fresh = dict(zip(new, map(datetime.fromtimestamp, new, repeat(UTC)), strict=True))
            if len(cache) + len(fresh) > _SECONDS_KEPT:
                cache.clear()
            cache.update(fresh)
            made = list(map(fresh.get, values, made))  # (a new one, else the one kept)
        out = np.empty(len(made), dtype=object)
        out[:] = made
        return out[where]

    def _lane_times(
        self,
        scan: BatchScan,
        texts: list[str],
        rows: list[int],
        receiveds: list[datetime],
        as_seconds: int = 0,
    ) -> tuple[list[datetime | int | None], datetime | None]:
        """Receive time of each lane line, and the newest of them.

        A time is None for a line whose tag block is refused. The first ``as_seconds``
        lines' times read from a ``c:`` second (a tag block's usual forms) come as that Unix
        second, an ``int``, rather than a datetime.
        """
        found = tag_seconds(scan, np.array(rows, dtype=np.int64))
        out = np.empty(found.size, dtype=object)  # (filled with None)
        newest: datetime | None = None
        seconds = found  # a line's c: second where it is its time, else -1
        if not (found >= 0).all():
            others = np.flatnonzero(found < 0)
            lead = leading_seconds(scan, np.array(rows, dtype=np.int64)[others])
            ordered = (lead >= 0) & (found[others] == -2)
            if ordered.any():
                # "c:SECONDS,REST" (a provider's order): REST read once per distinct text, as
                # TagReader.tag reads it; a c: field in REST wins, as field by field
                seconds = found.copy()
                seconds[others[ordered]] = self._ordered_seconds(
                    scan, texts, rows, others[ordered], lead[ordered], out
                )
            for k in others[~ordered].tolist():
                row = rows[k]
                if found[k] == -1:
                    out[k] = receiveds[row]
                    continue
                # another form of tag block: read it line by line
                tag_time, _, reason = self._tags.tag(texts[row], scan.close[row], True)
                if reason is None:  # (else None: the plain path rejects it)
                    out[k] = tag_time if tag_time is not None else receiveds[row]
            rest = others[seconds[others] < 0].tolist()
            newest = max((out[k] for k in rest if out[k] is not None), default=None)
        timed = seconds >= 0
        if timed.any():
            # the usual case: a c: time; a datetime per distinct second (or the second)
            newest_s = int(seconds[timed].max())
            last = self._seconds.get(newest_s) or self._second(newest_s)
            if newest is None or last > newest:
                newest = last
            if as_seconds:
                numbers = timed.copy()
                numbers[as_seconds:] = False
                timed[:as_seconds] = False
                out[numbers] = seconds[numbers]  # (Python ints in an object array)
            if timed.any():
                out[timed] = self._times(seconds[timed])
        return out.tolist(), newest

    def _ordered_seconds(
        self,
        scan: BatchScan,
        texts: list[str],
        rows: list[int],
        at: npt.NDArray[np.intp],
        lead: npt.NDArray[np.int64],
        out: npt.NDArray[Any],
    ) -> npt.NDArray[np.int64]:
        """Read the times of lane lines ``at`` whose tag block opens with its ``c:`` second.

        Return per line the second where it is the line's time, else -1: then ``out``
        holds the time the rest of the tag block gives (a later ``c:`` field), or None where
        the rest is refused. ``lead``: the leading seconds.
        """
        close = scan.close
        bodies = [texts[row][14 : close[row] - 3] for row in map(rows.__getitem__, at.tolist())]
        cached = self._tags.cached
        read = {body: cached(body) for body in set(bodies)}
        # per line: 0 refused, 1 timed by the rest, 2 timed by the leading second
        code = {
            body: 0 if reason is not None else (1 if time is not None else 2)
            for body, (time, _, reason) in read.items()
        }
        codes = np.array([code[b] for b in bodies], dtype=np.int8)
        for j in np.flatnonzero(codes == 1).tolist():
            out[at[j]] = read[bodies[j]][0]
        return np.where(codes == 2, lead, -1)

    def _prepare_pairs(
        self,
        scan: BatchScan,
        texts: list[str],
        sources: list[str] | str,
        receiveds: list[datetime],
        taken: npt.NDArray[np.bool_],
    ) -> _Prepared:
        """Read the type 5 pairs of a batch with numpy (see :mod:`littoral.ais.pairs`).

        Return the place of each pair by its first line, and per pair what :meth:`_pair`
        would go on with: the assembler key, both stations, the message time, the payload
        as an integer and the newest time of the two lines. ``taken`` marks the lines of the
        lane. Pairs left out go through :meth:`_pair` as before.
        """
        found = find_pairs(scan, taken)
        if not found.values:
            return {}, [], [], [], [], [], []
        rows_a = found.rows
        timed1 = found.kind1 == TIMED
        timed2 = found.kind2 == TIMED
        both = timed1 & timed2
        timeout = self._assembler.timeout
        keep = ~(
            both
            & ((found.seconds2 - found.seconds1) * 1_000_000 > timeout // timedelta(microseconds=1))
        )
        if not isinstance(sources, str):
            keep &= np.array([sources[i] == sources[i + 1] for i in rows_a.tolist()], dtype=bool)
        if not scan.ascii:  # (characters beyond latin-1 stand as "?" in the scan)
            keep &= np.array(
                [texts[i].isascii() and texts[i + 1].isascii() for i in rows_a.tolist()],
                dtype=bool,
            )
        seconds = np.concatenate([found.seconds1[timed1], found.seconds2[timed2]])
        m = rows_a.size
        rows = rows_a.tolist()
        kind2 = found.kind2.tolist()
        times1 = np.empty(m, dtype=object)
        times2 = np.empty(m, dtype=object)
        if seconds.size:
            made = self._times(seconds)
            count = int(timed1.sum())
            times1[timed1] = made[:count]
            times2[timed2] = made[count:]
        # the newest of the two times: the second's when it is later; a second sentence
        # with a group but no time is dated by its group (see _pair)
        later = both & (found.seconds2 > found.seconds1)
        newest = np.where(later, times2, times1)
        for k in np.flatnonzero(keep & ~both & ~(timed1 & (found.kind2 == GROUP_ONLY))).tolist():
            # a line without its own time: the source's clock, or its group's
            i = rows[k]
            time1 = times1[k] if timed1[k] else receiveds[i]
            if timed2[k]:
                time2 = times2[k]
            elif kind2[k] == NO_TAG:
                time2 = receiveds[i + 1]
            else:
                time2 = time1
            if time2 - time1 > timeout:
                keep[k] = False
                continue
            times1[k] = time1
            newest[k] = time2 if time2 > time1 else time1
        if not keep.all():
            kept = np.flatnonzero(keep)
            if kept.size == 0:
                return {}, [], [], [], [], [], []
            rows_a = rows_a[kept]
            times1, newest = times1[kept], newest[kept]
            values = [found.values[k] for k in kept.tolist()]
        else:
            kept = None
            values = found.values

        def pick(array: npt.NDArray[np.int64]) -> list[int]:
            return (array if kept is None else array[kept]).tolist()  # type: ignore[no-any-return]

        rows = rows_a.tolist()
        # the assembler key of each pair: made once per distinct formatter, sequence, channel
        codes, first_of, inverse = np.unique(
            pick(found.key_codes), return_index=True, return_inverse=True
        )
        formatter_at, seq_at = pick(found.formatter_at), pick(found.seq_at)
        seq_end, channel_end = pick(found.seq_end), pick(found.channel_end)
        parts = []
        for k in first_of.tolist():
            line = texts[rows[k]]
            at, end = formatter_at[k], seq_end[k]
            parts.append((line[at : at + 5], line[end + 1 : channel_end[k]], line[seq_at[k] : end]))
        if isinstance(sources, str):
            made_keys = np.empty(codes.size, dtype=object)
            made_keys[:] = [(sources, *part) for part in parts]
            keys = made_keys[inverse].tolist()
        else:
            keys = [(sources[i], *parts[c]) for i, c in zip(rows, inverse.tolist(), strict=True)]
        stations1 = [
            texts[i][at:end] if at >= 0 else None
            for i, at, end in zip(
                rows, pick(found.station1_at), pick(found.station1_end), strict=True
            )
        ]
        stations2 = [
            texts[i + 1][at:end] if at >= 0 else None
            for i, at, end in zip(
                rows, pick(found.station2_at), pick(found.station2_end), strict=True
            )
        ]
        index = dict(zip(rows, range(len(rows)), strict=True))
        return index, keys, stations1, stations2, times1.tolist(), values, newest.tolist()

    def _count(self, batch: DecodeBatch, lines: int, outcomes: list[str], columns: int = 0) -> None:
        """Count a batch's lines and what they gave (``columns``: positions given apart)."""
        stats = self.stats
        stats.lines += lines
        stats.by_outcome.update(outcomes)
        stats.by_type.update(self._types)
        stats.messages += len(self._types)
        stats.positions += len(batch.positions) + columns
        stats.statics += len(batch.statics)
        stats.safety += len(batch.safety)
        self._types = []

    def iter_batches(
        self, lines: Iterable[RawLine], batch_size: int = 5000
    ) -> Iterator[DecodeBatch]:
        """Decode ``lines`` in batches of ``batch_size`` lines; flush at the end of input."""
        if batch_size < 1:
            raise ValueError(f"batch_size={batch_size!r} must be >= 1")
        it = iter(lines)
        while True:
            chunk = list(islice(it, batch_size))
            if not chunk:
                break
            yield self.decode_lines(chunk)
        yield self.flush()

    def flush(self) -> DecodeBatch:
        """Expire every incomplete multi-sentence message (end of input) and return them."""
        batch = DecodeBatch()
        self._expire(batch, everything=True)
        self._count(batch, 0, [])
        return batch

    # -- internals -----------------------------------------------------------------------

    def _fallback(self, step: str, exc: Exception) -> None:
        """Count a vectorised step that failed; the line-by-line path does its work."""
        key = f"{step}: {type(exc).__name__}"
        if not self.stats.fallbacks[key]:
            log.error("AIS %s step failed, decoding line by line: %r", step, exc)
        self.stats.fallbacks[key] += 1

    def _reject(
        self,
        batch: DecodeBatch,
        line: str | tuple[str, ...],
        source: str,
        reason: str,
        time: datetime,
        detail: object = "",
    ) -> None:
        if not isinstance(line, str):
            line = "\n".join(line)  # the fragments of a multi-sentence message
        self.stats.reject(reason, line)
        batch.rejects.append(Rejected(line, source, reason, time, str(detail)))

    def _expire(self, batch: DecodeBatch, everything: bool) -> None:
        for group in self._assembler.expire(everything, self._last_time):
            self.stats.reject(group.reason, "\n".join(group.lines))
            batch.rejects.append(
                Rejected(
                    "\n".join(group.lines),
                    group.source,
                    group.reason,
                    group.time,
                    f"{len(group.payloads)} of {group.total} fragments",
                )
            )

    def _line(
        self,
        text: str,
        source: str,
        received: datetime,
        sentence_ok: bool,
        tag_ok: bool,
        star: int,
        close: int,
        batch: DecodeBatch,
    ) -> str:
        """Handle one line; return its outcome."""
        tag_time = station = None
        if text[:1] == "\\":
            tag_time, station, reason = self._tags.tag(text, close, tag_ok)
            if reason is not None:
                self._reject(batch, text, source, reason, received, "tag block")
                return Outcome.REJECTED
            body_start = close + 1
        else:
            body_start = 0
        if (
            text[body_start : body_start + 1] not in _STARTS
            or text[body_start + 3 : body_start + 6] not in _VDM
        ):
            return self._not_ais(batch, text, source, received, body_start)
        if not sentence_ok:
            if star < body_start or len(text) < star + 3:
                self._reject(batch, text, source, Reason.MALFORMED, received, "no *hh checksum")
            else:
                self._reject(
                    batch, text, source, Reason.CHECKSUM, received, "checksum does not match"
                )
            return Outcome.REJECTED
        fields = text[body_start + 1 : star].split(",")
        if len(fields) != 7 or len(fields[0]) != 5:
            self._reject(batch, text, source, Reason.MALFORMED, received, "not 7 fields")
            return Outcome.REJECTED
        formatter, total, number, seq, channel, payload, fill = fields
        # Receive time: tag block c:, else USCG trailing time, else the source's clock.
        timed = True
        if tag_time is not None:
            time = tag_time
        elif len(text) > star + 3:
            time = self._tags.uscg_time(text[star + 3 :]) or received
        else:
            time = received
            # A later fragment whose tag block has no c: (NMEA 4.10 groups often date only the
            # first sentence) is dated by its group, not by the source's clock.
            timed = body_start == 0 or number == "1"
        if timed and (self._last_time is None or time > self._last_time):
            self._last_time = time
        if total == "1" and number == "1":
            if len(payload) == 28 and fill == "0" and not self.keep_messages:
                # The hottest path: a 168-bit position report in one sentence.
                try:
                    value = _from_bytes(
                        _a2b(payload.encode("ascii").translate(_TO_B64), strict_mode=True), "big"
                    )
                except (binascii.Error, UnicodeEncodeError):
                    value = -1
                fast = _FAST_168.get(value >> 162) if value >= 0 else None
                if fast is not None:
                    records = fast(value, time, source)
                    self._types.append(value >> 162)
                    if records:
                        batch.positions.append(records[0])  # type: ignore[arg-type]
                    else:
                        self._file(
                            batch, records, value >> 162, payload, 0, time, source, channel, station
                        )
                    return Outcome.DECODED
            self._message(batch, payload, fill, time, source, channel, station, text)
            return Outcome.DECODED
        if not (total.isdigit() and number.isdigit() and 1 <= int(number) <= int(total) <= 9):
            self._reject(batch, text, source, Reason.MALFORMED, time, "bad fragment numbers")
            return Outcome.REJECTED
        done = self._assembler.add(
            (source, formatter, channel, seq),
            int(total),
            int(number),
            payload,
            fill,
            time,
            station,
            text,
            timed,
        )
        if done is not None:
            self._assembled(batch, done, source, channel)
        return Outcome.FRAGMENT

    def _pair(
        self,
        first: str,
        second: str,
        close1: int,
        close2: int,
        star1: int,
        star2: int,
        tag_ok1: bool,
        tag_ok2: bool,
        source: str,
        received1: datetime,
        received2: datetime,
        batch: DecodeBatch,
    ) -> bool:
        """Decode fragments 1 and 2 of a two-sentence message on consecutive lines.

        The same result as :meth:`_line` on each, without holding the first fragment in the
        assembler. Returns False, having done nothing, for anything but the plain case
        (a tag block refused, a group of that key already open, the assembler full, two
        stations), which
        the caller then handles line by line.
        """
        tags = self._tags
        if first[:1] == "\\":
            time1, station1, reason = tags.tag(first, close1, tag_ok1)
            if reason is not None:
                return False
        else:
            time1 = station1 = None
        if second[:1] == "\\":
            time2, station2, reason = tags.tag(second, close2, tag_ok2)
            if reason is not None:
                return False
        else:
            time2 = station2 = None
        fields1 = first[close1 + 2 : star1].split(",")
        fields2 = second[close2 + 2 : star2].split(",")
        if (
            len(fields1) != 7
            or len(fields2) != 7
            or len(fields1[0]) != 5
            or len(fields2[0]) != 5
            or first[close1 + 1] not in _STARTS
            or second[close2 + 1] not in _STARTS
            or fields1[0][2:] not in _VDM
            or fields1[0] != fields2[0]
            or fields1[3] != fields2[3]
            or fields1[4] != fields2[4]
        ):
            return False
        channel = fields1[4]
        if time1 is None:
            time1 = received1
            if len(first) > star1 + 3:
                time1 = tags.uscg_time(first[star1 + 3 :]) or received1
        if time2 is None:
            time2 = received2
            if len(second) > star2 + 3:
                time2 = tags.uscg_time(second[star2 + 3 :]) or received2
            elif second[:1] == "\\":
                time2 = time1  # dated by its group (see _line)
        if time2 - time1 > self._assembler.timeout:
            return False
        if not self._assembler.can_bypass(
            (source, fields1[0], channel, fields1[3]), station1, station2
        ):
            return False
        last = self._last_time
        if last is None or time1 > last:
            last = time1
        if time2 > last:
            last = time2
        self._last_time = last
        self._message(
            batch,
            fields1[5] + fields2[5],
            fields2[6],
            time1,
            source,
            channel,
            station1 if station1 is not None else station2,
            (first, second),
        )
        return True

    def _not_ais(
        self, batch: DecodeBatch, text: str, source: str, received: datetime, body_start: int
    ) -> str:
        first = text[body_start : body_start + 1]
        if first in ("$", "!"):
            return Outcome.OTHER_NMEA
        if first in ("", "#") and body_start == 0:
            return Outcome.BLANK
        self._reject(batch, text, source, Reason.NOT_NMEA, received, "not an NMEA sentence")
        return Outcome.REJECTED

    def _assembled(self, batch: DecodeBatch, done: Assembled, source: str, channel: str) -> None:
        self._message(
            batch,
            done.payload,
            done.fill_bits,
            done.time,
            source,
            channel,
            done.station,
            done.lines,
        )

    def _message(
        self,
        batch: DecodeBatch,
        payload: str,
        fill: str,
        time: datetime,
        source: str,
        channel: str,
        station: str | None,
        line: str | tuple[str, ...],
    ) -> None:
        n = len(payload)
        pad = _PAD[n & 3]
        fill_bits = _FILL.get(fill)
        try:
            value = _from_bytes(
                _a2b((payload + pad).encode("ascii").translate(_TO_B64), strict_mode=True), "big"
            )
        except (binascii.Error, UnicodeEncodeError):
            fill_bits = None
        if fill_bits is None or fill_bits > 6 * n:
            self._reject(batch, line, source, Reason.BAD_PAYLOAD, time, f"payload {payload!r}")
            return
        value >>= 6 * len(pad) + fill_bits
        bits = 6 * n - fill_bits
        if bits < 40:
            self._reject(batch, line, source, Reason.PAYLOAD_LENGTH, time, f"{bits} bits")
            return
        msg_type = value >> (bits - 6)
        fast = FAST.get(msg_type)
        if fast is not None and bits == NOMINAL_BITS[msg_type] and not self.keep_messages:
            # The hot path: a fixed-layout message of its nominal length.
            records = fast(value, time, source)
            self._types.append(msg_type)
            if len(records) == 1 and type(records[0]) is PositionReport:
                batch.positions.append(records[0])
                return
            self._file(batch, records, msg_type, payload, fill_bits, time, source, channel, station)
            return
        self._general(
            batch, value, bits, msg_type, payload, fill_bits, time, source, channel, station, line
        )

    def _general(
        self,
        batch: DecodeBatch,
        value: int,
        bits: int,
        msg_type: int,
        payload: str,
        fill_bits: int,
        time: datetime,
        source: str,
        channel: str,
        station: str | None,
        line: str | tuple[str, ...],
    ) -> None:
        """Any type, any accepted length; builds the generic message when asked."""
        if not 1 <= msg_type <= 27:
            self._reject(batch, line, source, Reason.UNKNOWN_TYPE, time, f"type {msg_type}")
            return
        bounds = LENGTH_BOUNDS.get(msg_type)
        if bounds is not None and not bounds[0] <= bits <= bounds[1]:
            self._reject(
                batch, line, source, Reason.PAYLOAD_LENGTH, time, f"type {msg_type}: {bits} bits"
            )
            return
        fields: dict[str, object] | None = None
        if self.keep_messages:
            try:
                fields = decode_fields(payload, fill_bits)
            except DecodeError as exc:
                self._reject(batch, line, source, Reason.DECODE_ERROR, time, exc)
                return
            batch.messages.append(
                DecodedMessage(msg_type, _mmsi(fields), time, source, channel, station, fields)
            )
        records: tuple[PositionReport | StaticReport | SafetyReport, ...]
        fast = FAST.get(msg_type)
        if fast is not None:
            nominal = NOMINAL_BITS[msg_type]
            if bits != nominal:
                value = value << (nominal - bits) if bits < nominal else value >> (bits - nominal)
            records = fast(value, time, source)
        elif msg_type == 24:
            records = type_24(value, bits, time, source)
        elif msg_type == 21:
            records = type_21(value, bits, time, source)
        elif (
            fields is None
            and (texts := safety_records(msg_type, value, bits, time, source)) is not None
        ):
            records = texts  # a type 14 or a type 6 text telegram of the plain layout
        elif (
            fields is None
            and not self.keep_others
            and msg_type not in _RECORD_TYPES
            and not _may_carry_text(msg_type, value, bits)
        ):
            # Binary, interrogation, acknowledgement...: no record, and nobody asked for the
            # message itself: no need to take it apart through pyais's tables.
            records = ()
        else:
            if fields is None:
                try:
                    fields = decode_fields(payload, fill_bits)
                except DecodeError as exc:
                    self._reject(batch, line, source, Reason.DECODE_ERROR, time, exc)
                    return
            records = reports_from_fields(msg_type, fields, time, source)
            self.stats.by_path["generic"] += 1
        self._types.append(msg_type)
        self._file(
            batch, records, msg_type, payload, fill_bits, time, source, channel, station, fields
        )

    def _file(
        self,
        batch: DecodeBatch,
        records: tuple[PositionReport | StaticReport | SafetyReport, ...],
        msg_type: int,
        payload: str,
        fill_bits: int,
        time: datetime,
        source: str,
        channel: str,
        station: str | None,
        fields: dict[str, object] | None = None,
    ) -> None:
        """Put records in their lists; keep the message itself when it gave nothing."""
        if (msg_type == 5 or msg_type == 24) and len(records) == 1:
            batch.statics.append(records[0])  # type: ignore[arg-type]
            return
        has_position = False
        for record in records:
            if type(record) is PositionReport:
                batch.positions.append(record)
                has_position = True
            elif type(record) is StaticReport:
                batch.statics.append(record)
            elif isinstance(record, SafetyReport):
                batch.safety.append(record)
        position_missing = msg_type in _POSITION_TYPES and not has_position
        if position_missing:
            self.stats.no_position += 1
        if self.keep_others and (not records or position_missing):
            if fields is None:
                try:
                    fields = decode_fields(payload, fill_bits)
                except DecodeError:
                    return
            batch.others.append(
                DecodedMessage(msg_type, _mmsi(fields), time, source, channel, station, fields)
            )
