"""The records that enter and leave the AIS decoder: raw lines, generic messages, rejects.

The position, static and safety records the picture consumes are the seam types of
:mod:`littoral.records.reports`; this module holds what is specific to the AIS layer: a raw line
as a source delivers it (:class:`RawLine`), a decoded message of any type with its fields in
scaled units (:class:`DecodedMessage`), and a quarantined line with its reason
(:class:`Rejected`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from littoral.records.reports import PositionReport, SafetyReport, StaticReport


class RawLine(NamedTuple):
    r"""One line of text as a source received it.

    Attributes
    ----------
    text
        The line without its line terminator (a trailing ``\r``/``\n`` is tolerated).
    source
        The name of the source (``"file:day1.nmea"``, ``"tcp://host:port"``, ...).
    received
        When the source received the line, timezone-aware UTC: the live clock for sockets and
        stdin, the read time for files. Used only when the line carries no tag-block ``c:``
        and no USCG trailing time.
    """

    text: str
    source: str
    received: datetime


class Reason:
    """Rejection reasons: the strings counted in :class:`~littoral.ais.stats.IngestStats`."""

    CHECKSUM = "checksum"
    """The NMEA checksum does not match the sentence."""
    TAGBLOCK_CHECKSUM = "tagblock_checksum"
    """The NMEA 4.10 tag block checksum does not match."""
    TAGBLOCK_MALFORMED = "tagblock_malformed"
    """A tag block that is not closed or whose fields cannot be read."""
    MALFORMED = "malformed"
    """A ``!`` sentence without checksum, with the wrong number of fields or bad numbers."""
    NOT_NMEA = "not_nmea"
    """A line that is neither NMEA nor a comment."""
    BAD_PAYLOAD = "bad_payload"
    """Characters outside the AIS six-bit armouring, or a bad fill-bit count."""
    PAYLOAD_LENGTH = "payload_length"
    """A message shorter or longer than the reference decoders accept for its type."""
    UNKNOWN_TYPE = "unknown_type"
    """Message type 0 or above 27."""
    FRAGMENT_EXPIRED = "fragment_expired"
    """An incomplete multi-sentence message that timed out, or was open at the end of input."""
    FRAGMENT_REPLACED = "fragment_replaced"
    """An incomplete multi-sentence message dropped when a new one of the same key began."""
    FRAGMENT_ORPHAN = "fragment_orphan"
    """A later fragment without the fragments before it (its first was lost, or it repeats)."""
    FRAGMENT_OVERFLOW = "fragment_overflow"
    """An incomplete multi-sentence message evicted because too many were open."""
    DECODE_ERROR = "decode_error"
    """The message could not be decoded for another reason (named in the sample)."""

    ALL: tuple[str, ...] = (
        CHECKSUM,
        TAGBLOCK_CHECKSUM,
        TAGBLOCK_MALFORMED,
        MALFORMED,
        NOT_NMEA,
        BAD_PAYLOAD,
        PAYLOAD_LENGTH,
        UNKNOWN_TYPE,
        FRAGMENT_EXPIRED,
        FRAGMENT_REPLACED,
        FRAGMENT_ORPHAN,
        FRAGMENT_OVERFLOW,
        DECODE_ERROR,
    )


@dataclass(frozen=True, slots=True)
class Rejected:
    r"""A line kept in quarantine, never decoded as if it were good.

    Attributes
    ----------
    line
        The raw line (for an expired multi-sentence message, its fragments joined by ``\n``).
    source
        The source name of the line.
    reason
        One of :class:`Reason`.
    time
        The receive time of the line, timezone-aware UTC.
    detail
        A short human-readable explanation (may be empty).
    """

    line: str
    source: str
    reason: str
    time: datetime
    detail: str = ""


@dataclass(frozen=True, slots=True)
class DecodedMessage:
    """Any decoded AIS message, its fields in scaled units.

    ``fields`` uses the field names of the reference decoders (pyais and gpsd): ``lon`` and
    ``lat`` in degrees, ``speed`` in knots, ``course`` and ``heading`` in degrees, ``draught``
    in metres, ``turn`` in degrees per minute; the "not available" codes of ITU-R M.1371 are
    kept as transmitted (lat 91, lon 181, speed 102.3, heading 511, course 360). Enumerations
    are plain integers; binary payloads are hexadecimal strings. See ``docs/ais.md``.
    """

    msg_type: int
    mmsi: int
    time: datetime
    source: str
    channel: str = ""
    station: str | None = None
    fields: dict[str, object] = field(default_factory=dict)


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
