"""Plain records the store reads and writes besides the seam types, and time conversion.

Times are kept in the tables as integer milliseconds since 1970-01-01T00:00Z (columns named
``*_ms``): both backends compare and index them fast, and they convert back to UTC-aware
datetimes exactly at millisecond resolution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple, Protocol

from littoral.clock import require_utc
from littoral.errors import InputError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_ms(value: datetime) -> int:
    """Return ``value`` (UTC-aware) as integer milliseconds since the Unix epoch."""
    if value.tzinfo is None or value.utcoffset() is None:
        require_utc(value)  # raises, naming the value
    return round(value.timestamp() * 1000.0)


def fast_ms(value: datetime) -> int:
    """:func:`to_ms` without the naive-time check, for times that passed it already.

    Used on the ingest's hot path, where every time comes from the decoder, which only makes
    UTC-aware datetimes.
    """
    return round(value.timestamp() * 1000.0)


def from_ms(value: int) -> datetime:
    """Return the UTC datetime of ``value`` milliseconds since the Unix epoch."""
    return _EPOCH + timedelta(milliseconds=value)


def opt_from_ms(value: int | None) -> datetime | None:
    """Return :func:`from_ms` of ``value``, or ``None`` when it is ``None``."""
    return None if value is None else from_ms(value)


class BoundingBox(NamedTuple):
    """A lon/lat box: west, south, east, north in degrees (WGS 84)."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> BoundingBox:
        """Parse ``"W,S,E,N"``, e.g. ``"46.5,36.5,54.5,47.2"`` for the whole Caspian.

        Raises
        ------
        InputError
            If the text is not four numbers with west < east and south < north in range.
        """
        parts = text.split(",")
        try:
            west, south, east, north = (float(p) for p in parts)
        except ValueError:
            raise InputError(f"bbox={text!r} must be four numbers W,S,E,N") from None
        box = cls(west, south, east, north)
        box.check()
        return box

    def check(self) -> None:
        """Raise :class:`InputError` unless the box is well formed."""
        ok = -180.0 <= self.west < self.east <= 180.0 and -90.0 <= self.south < self.north <= 90.0
        if not ok:
            raise InputError(
                f"bbox={tuple(self)!r} needs -180 <= west < east <= 180 and "
                "-90 <= south < north <= 90"
            )


class StoredPosition(NamedTuple):
    """One stored position of one vessel, as returned by a track query."""

    mmsi: int
    time: datetime
    lon: float
    lat: float
    sog_kn: float | None
    cog_deg: float | None
    heading_deg: float | None
    nav_status: int | None
    msg_type: int
    source: str


class QuarantinedLine(Protocol):
    """What the store needs of a rejected line: its text, where and when it came, and why."""

    @property
    def line(self) -> str:
        """The raw line as received."""
        ...

    @property
    def source(self) -> str:
        """Name of the source that delivered it."""
        ...

    @property
    def reason(self) -> str:
        """Why it was rejected (a short code, e.g. ``bad_checksum``)."""
        ...

    @property
    def time(self) -> datetime:
        """Receive time, UTC-aware."""
        ...


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    """A quarantined line read back from the store."""

    line: str
    source: str
    reason: str
    time: datetime


@dataclass(slots=True)
class IngestRun:
    """Statistics of one ingest run: when, what from, and counts by outcome and reason."""

    started: datetime
    finished: datetime
    sources: tuple[str, ...]
    lines: int = 0
    messages: int = 0
    positions_stored: int = 0
    vessels: int = 0
    rejects: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    id: int | None = None
