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

from littoral.ais.records import Reason
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
    time = None
    group = None
    for item in inner[:star].split(","):
        key, sep, value = item.partition(":")
        if not sep or not key:
            raise DecodeError(f"tag block field {item!r} is not key:value")
        fields[key] = value
        if key == "c":
            time = unix_time(value)
        elif key == "g":
            parts = value.split("-")
            if len(parts) != 3 or not all(p.isdigit() for p in parts):
                raise DecodeError(f"tag block group {value!r} is not number-total-id")
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


TagResult = tuple[datetime | None, str | None, str | None]
"""(receive time, station, rejection reason or None) of a tag block."""

_NOTHING: TagResult = (None, None, None)


class TagReader:
    """Reads the tag blocks and USCG trailers of a stream of lines, with bounded caches.

    A receiver stamps many lines with the same tag block text (same station, same second),
    so parsed tag blocks and times are kept by their text.
    """

    _LIMIT = 4096

    def __init__(self) -> None:
        self._tags: dict[str, TagResult] = {}
        self._times: dict[str, datetime] = {}
        self._uscg: tuple[str, datetime] = ("", datetime.min.replace(tzinfo=UTC))

    def tag(self, text: str, close: int, ok: bool) -> TagResult:
        """Read the tag block ``text[1:close]`` whose checksum is ``ok`` (or not)."""
        if close < 0:
            return None, None, Reason.TAGBLOCK_MALFORMED
        if not ok:
            inner = text[1:close]
            star = inner.rfind("*")
            has_checksum = star >= 0 and len(inner) == star + 3
            return (
                None,
                None,
                Reason.TAGBLOCK_CHECKSUM if has_checksum else Reason.TAGBLOCK_MALFORMED,
            )
        key = text[1 : close - 3]  # the checksum is verified: only the body matters
        if key[:2] == "g:":
            # A group field makes every tag block of a multi-sentence message different;
            # a well-formed one carries no time or station: cache what follows it.
            group, sep, rest = key[2:].partition(",")
            if group.count("-") == 2 and group.replace("-", "").isdigit():
                if not sep:
                    return _NOTHING  # the group alone (a later sentence of a group)
                key = rest
        if key[:2] == "c:":
            # "c:SECONDS,..." (a provider's order): the time differs from line to line, what
            # follows it does not; cache that and read the time through the time cache.
            seconds, sep, rest = key[2:].partition(",")
            if sep and seconds.isdigit():
                return self._timed(seconds, rest)
        elif key[:2] == "s:":
            # "s:STATION,c:SECONDS", the usual form: a new second is a new text, so it is
            # read here through the time cache rather than cached whole.
            head, sep, seconds = key.rpartition(",c:")
            if sep and seconds.isdigit() and "," not in head:
                time = self._time(seconds)
                if time is None:
                    return None, None, Reason.TAGBLOCK_MALFORMED
                return time, head[2:], None
        found = self._tags.get(key)
        if found is None:
            found = self._read(key)
            if len(self._tags) >= self._LIMIT:
                self._tags.clear()
            self._tags[key] = found
        return found

    def _time(self, seconds: str) -> datetime | None:
        """Return the time of ``c:SECONDS`` through the time cache; None if no Unix time."""
        time = self._times.get(seconds)
        if time is None:
            try:
                time = unix_time(seconds)
            except DecodeError:
                return None
            if len(self._times) >= self._LIMIT:
                self._times.clear()
            self._times[seconds] = time
        return time

    def cached(self, body: str) -> TagResult:
        """Read a tag block's body (no ``*hh``), through the cache of bodies read."""
        found = self._tags.get(body)
        if found is None:
            found = self._read(body)
            if len(self._tags) >= self._LIMIT:
                self._tags.clear()
            self._tags[body] = found
        return found

    def _timed(self, seconds: str, rest: str) -> TagResult:
        """Read ``c:SECONDS,REST``: REST as a tag block of its own, then the time."""
        found = self.cached(rest)
        if found[2] is not None:
            return found
        time = self._times.get(seconds)
        if time is None:
            try:
                time = unix_time(seconds)
            except DecodeError:
                return None, None, Reason.TAGBLOCK_MALFORMED
            if len(self._times) >= self._LIMIT:
                self._times.clear()
            self._times[seconds] = time
        if found[0] is not None:
            return found  # a later c: field wins, as field by field
        return time, found[1], None

    def _read(self, body: str) -> TagResult:
        rest = body
        if rest[:2] == "g:":
            group, sep, rest = rest[2:].partition(",")
            if not (sep and group.count("-") == 2 and group.replace("-", "").isdigit()):
                rest = ""  # not the usual form: read field by field below
        if rest[:2] == "s:":
            # The usual forms, "[g:1-2-3,]s:STATION,c:SECONDS", read in one go.
            name, sep, seconds = rest[2:].partition(",c:")
            if sep and seconds.isdigit() and "," not in name:
                found = self._times.get(seconds)
                if found is None:
                    try:
                        found = unix_time(seconds)
                    except DecodeError:
                        return None, None, Reason.TAGBLOCK_MALFORMED
                    if len(self._times) >= self._LIMIT:
                        self._times.clear()
                    self._times[seconds] = found
                return found, name, None
        time = station = None
        times = self._times
        for item in body.split(","):
            key = item[:2]
            if key == "c:":
                value = item[2:]
                time = times.get(value)
                if time is None:
                    try:
                        time = unix_time(value)
                    except DecodeError:
                        return None, None, Reason.TAGBLOCK_MALFORMED
                    if len(times) >= self._LIMIT:
                        times.clear()
                    times[value] = time
            elif key == "s:":
                station = item[2:]
            elif key == "g:":
                group = item[2:]
                if group.count("-") != 2 or not group.replace("-", "").isdigit():
                    return None, None, Reason.TAGBLOCK_MALFORMED
            elif item.find(":") < 1:  # every field is key:value
                return None, None, Reason.TAGBLOCK_MALFORMED
        return time, station, None

    def uscg_time(self, trailer: str) -> datetime | None:
        """Return the first Unix time among USCG trailing fields (``,s…,d…,T…,1234567890``)."""
        cached, when = self._uscg
        for item in trailer.split(","):
            if len(item) >= 9 and item.isdigit():
                if item == cached:
                    return when
                try:
                    when = unix_time(item)
                except DecodeError:
                    return None
                self._uscg = (item, when)
                return when
        return None
