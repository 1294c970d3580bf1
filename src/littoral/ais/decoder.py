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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice

from littoral.ais.assembly import Assembled, Assembler
from littoral.ais.fastpath import FAST, LENGTH_BOUNDS, NOMINAL_BITS, type_21, type_24
from littoral.ais.generic import decode_fields, reports_from_fields
from littoral.ais.records import DecodedMessage, RawLine, Reason, Rejected
from littoral.ais.sixbit import checksum, payload_bits
from littoral.ais.stats import IngestStats, Outcome
from littoral.ais.tagblock import TagBlock, parse_tagblock, unix_time
from littoral.errors import DecodeError
from littoral.tracks.types import PositionReport, SafetyReport, StaticReport


def _mmsi(fields: dict[str, object]) -> int:
    value = fields["mmsi"]
    return value if isinstance(value, int) else int(str(value))


_POSITION_TYPES = frozenset((1, 2, 3, 4, 9, 18, 19, 21, 27))
_VDM = ("VDM", "VDO")


@dataclass(slots=True)
class DecodeBatch:
    """What one call of :meth:`Decoder.decode_lines` produced.

    Attributes
    ----------
    positions, statics, safety
        Seam records, in input order.
    others
        Messages that gave no seam record (types 6, 7, 8, 10, 11, 13, 15-17, 20, 22, 23,
        25, 26, a position report whose position is "not available"), unless the decoder
        was made with ``keep_others=False``.
    messages
        Every decoded message as a :class:`DecodedMessage`, only with ``keep_messages=True``.
    rejects
        Quarantined lines and expired groups of fragments.
    """

    positions: list[PositionReport] = field(default_factory=list)
    statics: list[StaticReport] = field(default_factory=list)
    safety: list[SafetyReport] = field(default_factory=list)
    others: list[DecodedMessage] = field(default_factory=list)
    messages: list[DecodedMessage] = field(default_factory=list)
    rejects: list[Rejected] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.positions) + len(self.statics) + len(self.safety) + len(self.others)

    def extend(self, other: DecodeBatch) -> None:
        """Append the contents of ``other``."""
        self.positions.extend(other.positions)
        self.statics.extend(other.statics)
        self.safety.extend(other.safety)
        self.others.extend(other.others)
        self.messages.extend(other.messages)
        self.rejects.extend(other.rejects)


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
    """

    def __init__(
        self,
        *,
        fragment_timeout_s: float = 60.0,
        max_pending: int = 10_000,
        keep_messages: bool = False,
        keep_others: bool = True,
        stats: IngestStats | None = None,
    ) -> None:
        self.stats = stats if stats is not None else IngestStats()
        self.keep_messages = keep_messages
        self.keep_others = keep_others
        self._assembler = Assembler(timeout_s=fragment_timeout_s, max_pending=max_pending)
        self._last_time: datetime | None = None
        self._uscg_cache: tuple[str, datetime] = ("", datetime.min.replace(tzinfo=UTC))

    @property
    def pending_fragments(self) -> int:
        """Number of incomplete multi-sentence messages held."""
        return len(self._assembler)

    def decode_lines(self, lines: Iterable[RawLine]) -> DecodeBatch:
        """Decode lines and return what they gave; never raises for bad lines.

        Incomplete multi-sentence messages stay pending across calls; stale ones are
        expired at the end of each call (see :meth:`flush` for the end of input).
        """
        batch = DecodeBatch()
        for raw in lines:
            try:
                self._line(raw, batch)
            except Exception as exc:  # a bug must not stop a feed: count and quarantine
                self._reject(batch, raw.text, raw.source, Reason.DECODE_ERROR, raw.received, exc)
        self._expire(batch, everything=False)
        return batch

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
        return batch

    # -- internals -----------------------------------------------------------------------

    def _reject(
        self,
        batch: DecodeBatch,
        line: str,
        source: str,
        reason: str,
        time: datetime,
        detail: object = "",
    ) -> None:
        self.stats.reject(reason, line)
        batch.rejects.append(Rejected(line, source, reason, time, str(detail)))

    def _expire(self, batch: DecodeBatch, everything: bool) -> None:
        for group in self._assembler.expire(everything, self._last_time):
            self.stats.reject(Reason.FRAGMENT_EXPIRED, "\n".join(group.lines))
            batch.rejects.append(
                Rejected(
                    "\n".join(group.lines),
                    "",
                    Reason.FRAGMENT_EXPIRED,
                    group.time,
                    f"{len(group.payloads)} of {group.total} fragments",
                )
            )

    def _line(self, raw: RawLine, batch: DecodeBatch) -> None:
        text, source, received = raw
        stats = self.stats
        stats.lines += 1
        if text[-1:] <= " ":
            text = text.strip()
        tag: TagBlock | None = None
        if text[:1] == "\\":
            end = text.find("\\", 1)
            if end < 0:
                stats.by_outcome[Outcome.REJECTED] += 1
                self._reject(
                    batch, text, source, Reason.TAGBLOCK_MALFORMED, received, "tag block not closed"
                )
                return
            try:
                tag = parse_tagblock(text[1:end])
            except DecodeError as exc:
                stats.by_outcome[Outcome.REJECTED] += 1
                reason = (
                    Reason.TAGBLOCK_CHECKSUM
                    if "checksum of" in str(exc)
                    else Reason.TAGBLOCK_MALFORMED
                )
                self._reject(batch, text, source, reason, received, exc)
                return
            body_start = end + 1
        else:
            body_start = 0
        first = text[body_start : body_start + 1]
        if first != "!" or text[body_start + 3 : body_start + 6] not in _VDM:
            if first in ("$", "!"):
                stats.by_outcome[Outcome.OTHER_NMEA] += 1
            elif first in ("", "#") and tag is None:
                stats.by_outcome[Outcome.BLANK] += 1
            else:
                stats.by_outcome[Outcome.REJECTED] += 1
                self._reject(batch, text, source, Reason.NOT_NMEA, received, "not an NMEA sentence")
            return
        star = text.find("*", body_start)
        if star < 0 or len(text) < star + 3:
            stats.by_outcome[Outcome.REJECTED] += 1
            self._reject(batch, text, source, Reason.MALFORMED, received, "no *hh checksum")
            return
        body = text[body_start + 1 : star]
        try:
            expected = int(text[star + 1 : star + 3], 16)
        except ValueError:
            expected = -1
        if checksum(body) != expected:
            stats.by_outcome[Outcome.REJECTED] += 1
            self._reject(batch, text, source, Reason.CHECKSUM, received, "checksum does not match")
            return
        fields = body.split(",")
        if len(fields) != 7 or len(fields[0]) != 5:
            stats.by_outcome[Outcome.REJECTED] += 1
            self._reject(batch, text, source, Reason.MALFORMED, received, "not 7 fields")
            return
        _, total, number, seq, channel, payload, fill = fields
        # Receive time: tag block c:, else USCG trailing time, else the source's clock.
        time = received
        if tag is not None and tag.time is not None:
            time = tag.time
        elif len(text) > star + 3:
            uscg = self._uscg_time(text[star + 3 :])
            if uscg is not None:
                time = uscg
        station = tag.station if tag is not None else None
        self._last_time = time
        if total == "1" and number == "1":
            stats.by_outcome[Outcome.DECODED] += 1
            self._message(batch, payload, fill, time, source, channel, station, text)
            return
        if not (total.isdigit() and number.isdigit() and 1 <= int(number) <= int(total) <= 9):
            stats.by_outcome[Outcome.REJECTED] += 1
            self._reject(batch, text, source, Reason.MALFORMED, time, "bad fragment numbers")
            return
        stats.by_outcome[Outcome.FRAGMENT] += 1
        done = self._assembler.add(
            (source, channel, seq), int(total), int(number), payload, fill, time, station, text
        )
        if done is not None:
            self._assembled(batch, done, source, channel)

    def _assembled(self, batch: DecodeBatch, done: Assembled, source: str, channel: str) -> None:
        line = "\n".join(done.lines)
        self._message(
            batch, done.payload, done.fill_bits, done.time, source, channel, done.station, line
        )

    def _uscg_time(self, trailer: str) -> datetime | None:
        """Return the first Unix time among USCG trailing fields (``,s…,d…,T…,1234567890``)."""
        cached, when = self._uscg_cache
        for item in trailer.split(","):
            if len(item) >= 9 and item.isdigit():
                if item == cached:
                    return when
                try:
                    when = unix_time(item)
                except DecodeError:
                    return None
                self._uscg_cache = (item, when)
                return when
        return None

    def _message(
        self,
        batch: DecodeBatch,
        payload: str,
        fill: str,
        time: datetime,
        source: str,
        channel: str,
        station: str | None,
        line: str,
    ) -> None:
        stats = self.stats
        try:
            value, bits = payload_bits(payload, int(fill) if fill else 0)
        except (DecodeError, ValueError) as exc:
            self._reject(batch, line, source, Reason.BAD_PAYLOAD, time, exc)
            return
        if bits < 40:
            self._reject(batch, line, source, Reason.PAYLOAD_LENGTH, time, f"{bits} bits")
            return
        msg_type = value >> (bits - 6)
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
                fields = decode_fields(payload, int(fill) if fill else 0)
            except DecodeError as exc:
                self._reject(batch, line, source, Reason.DECODE_ERROR, time, exc)
                return
            batch.messages.append(
                DecodedMessage(msg_type, _mmsi(fields), time, source, channel, station, fields)
            )
        stats.messages += 1
        stats.by_type[msg_type] += 1
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
        else:
            if fields is None:
                try:
                    fields = decode_fields(payload, int(fill) if fill else 0)
                except DecodeError as exc:
                    stats.messages -= 1
                    stats.by_type[msg_type] -= 1
                    self._reject(batch, line, source, Reason.DECODE_ERROR, time, exc)
                    return
            records = reports_from_fields(msg_type, fields, time, source)
        has_position = False
        for record in records:
            if type(record) is PositionReport:
                batch.positions.append(record)
                stats.positions += 1
                has_position = True
            elif type(record) is StaticReport:
                batch.statics.append(record)
                stats.statics += 1
            elif isinstance(record, SafetyReport):
                batch.safety.append(record)
                stats.safety += 1
        if msg_type in _POSITION_TYPES and not has_position:
            stats.no_position += 1
        if self.keep_others and (not records or (msg_type in _POSITION_TYPES and not has_position)):
            if fields is None:
                try:
                    fields = decode_fields(payload, int(fill) if fill else 0)
                except DecodeError:
                    return
            batch.others.append(
                DecodedMessage(msg_type, _mmsi(fields), time, source, channel, station, fields)
            )
