r"""NMEA 4.10 tag blocks: ``\s:station,c:unix_time,g:1-2-42*hh\`` in front of a sentence.

Fields read (IEC 61162-1 ed. 4, section 7.9): ``c`` receive time (Unix seconds; values above
10^11 are taken as milliseconds, as some feeds send), ``s`` source station, ``g`` sentence
group ``number-total-id``, and, kept as text, ``d``, ``n``, ``r``, ``t`` and the
non-standard ``q`` and ``T`` that satellite providers add. The checksum is the XOR of the
characters between the opening backslash and the ``*``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from littoral.ais.sixbit import checksum
from littoral.errors import DecodeError

_MS_THRESHOLD = 100_000_000_000


@dataclass(frozen=True, slots=True)
class TagBlock:
    """A parsed tag block.

    Attributes
    ----------
    time
        The ``c:`` receive time, timezone-aware UTC, or ``None``.
    station
        The ``s:`` source station, or ``None``.
    group
        The ``g:`` group as ``(sentence_number, sentence_total, group_id)``, or ``None``.
    fields
        Every field as text, by key.
    """

    time: datetime | None
    station: str | None
    group: tuple[int, int, int] | None
    fields: dict[str, str]


def parse_tagblock(inner: str) -> TagBlock:
    """Parse the text between the two backslashes of a tag block.

    Raises
    ------
    DecodeError
        If the checksum is missing or wrong (the message starts with ``checksum``) or a field
        cannot be read.
    """
    star = inner.rfind("*")
    if star < 0 or len(inner) != star + 3:
        raise DecodeError(f"tag block {inner!r} has no *hh checksum")
    try:
        expected = int(inner[star + 1 :], 16)
    except ValueError:
        raise DecodeError(f"tag block {inner!r} has no *hh checksum") from None
    if checksum(inner[:star]) != expected:
        raise DecodeError(f"checksum of tag block {inner!r} does not match")
    fields: dict[str, str] = {}
    for item in inner[:star].split(","):
        key, sep, value = item.partition(":")
        if not sep or not key:
            raise DecodeError(f"tag block field {item!r} is not key:value")
        fields[key] = value
    time = None
    if "c" in fields:
        time = unix_time(fields["c"])
    group = None
    if "g" in fields:
        parts = fields["g"].split("-")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise DecodeError(f"tag block group {fields['g']!r} is not number-total-id")
        group = (int(parts[0]), int(parts[1]), int(parts[2]))
    return TagBlock(time=time, station=fields.get("s"), group=group, fields=fields)


def unix_time(value: str) -> datetime:
    """Return a Unix time in seconds (or milliseconds above 10^11) as UTC.

    Raises
    ------
    DecodeError
        If ``value`` is not a non-negative number of a plausible size.
    """
    try:
        seconds = float(value)
    except ValueError:
        raise DecodeError(f"time {value!r} is not a Unix time") from None
    if seconds >= _MS_THRESHOLD:
        seconds /= 1000.0
    if not 0.0 <= seconds < 32_503_680_000.0:  # before the year 3000
        raise DecodeError(f"time {value!r} is not a plausible Unix time")
    return datetime.fromtimestamp(seconds, UTC)
