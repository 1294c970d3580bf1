"""Hand-written decoders of position reports, the message types that make up most of a feed.

Types 1-3 and 18 (class A and B), 4 (base station), 9 (SAR aircraft) and 27 (long-range)
go straight from the payload integer to the seam records of :mod:`littoral.records.reports`,
without building a generic message (static data: :mod:`littoral.ais.statics`). Bit
offsets are those of ITU-R M.1371-5, Annex 8, as tabulated in the gpsd AIVDM/AIVDO protocol
decoding document; scaling and rounding are the same as pyais (latitude and longitude
rounded to 10^-6 degree), and ``tests/unit/ais/test_ais_fastpath.py`` checks both agree
field by field.

"Not available" codes become ``None``; a position whose latitude is 91 or longitude 181 (or
otherwise out of range) yields no :class:`~littoral.records.reports.PositionReport`.

Each decoder takes the payload as an integer already cut to its nominal length (see
:data:`NOMINAL_BITS`) and returns a tuple of records.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from littoral.ais.constructors import new_position
from littoral.records.reports import AisClass, PositionReport, StaticReport

Record = PositionReport | StaticReport
FastDecoder = Callable[[int, datetime, str], tuple[Record, ...]]

# Raw values of "not available" and of the valid range (in 1/10 000 minute).
_LON_NA = 181 * 600_000
_LAT_NA = 91 * 600_000
_LON_MAX = 180 * 600_000
_LAT_MAX = 90 * 600_000
_LON_NA_600 = 181 * 600
_LAT_NA_600 = 91 * 600

LENGTH_BOUNDS: dict[int, tuple[int, int]] = {
    1: (163, 216),
    2: (163, 216),
    3: (163, 216),
    4: (163, 216),
    5: (420, 432),
    9: (163, 216),
    11: (163, 216),
    18: (163, 216),
    19: (312, 320),
    21: (272, 368),
    24: (160, 176),
    27: (96, 168),
}
"""Accepted payload length in bits (inclusive) per type; other types need 40 bits or more."""

NOMINAL_BITS: dict[int, int] = {
    1: 168,
    2: 168,
    3: 168,
    4: 168,
    5: 424,
    9: 168,
    18: 168,
    19: 312,
    27: 96,
}
"""Length each decoder reads; shorter payloads are padded with zero bits, longer cut."""

_A = AisClass.A
_B = AisClass.B


def lonlat(lon_raw: int, lat_raw: int) -> tuple[float, float] | None:
    """Return (lon, lat) in degrees from signed 1/10 000 minute, or None when not valid."""
    if lon_raw & 0x8000000:
        lon_raw -= 0x10000000
    if lat_raw & 0x4000000:
        lat_raw -= 0x8000000
    if not (-_LON_MAX <= lon_raw <= _LON_MAX and -_LAT_MAX <= lat_raw <= _LAT_MAX):
        return None
    # Same rounding as pyais: round(raw * 5 / 3) / 1e6, exact in integers.
    return ((10 * lon_raw + 3) // 6) / 1e6, ((10 * lat_raw + 3) // 6) / 1e6


def _sog(raw: int) -> float | None:
    return None if raw == 1023 else raw / 10.0


def _cog(raw: int) -> float | None:
    return None if raw >= 3600 else raw / 10.0


def _heading(raw: int) -> float | None:
    return None if raw >= 360 else float(raw)


def type_1_2_3(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a class A position report (types 1, 2, 3; 168 bits)."""
    lon = (v >> 79) & 0xFFFFFFF
    lat = (v >> 52) & 0x7FFFFFF
    if lon & 0x8000000:
        lon -= 0x10000000
    if lat & 0x4000000:
        lat -= 0x8000000
    if not (-_LON_MAX <= lon <= _LON_MAX and -_LAT_MAX <= lat <= _LAT_MAX):
        return ()
    speed = (v >> 108) & 1023
    course = (v >> 40) & 4095
    heading = (v >> 31) & 511
    return (
        new_position(
            (v >> 130) & 0x3FFFFFFF,
            time,
            ((10 * lon + 3) // 6) / 1e6,
            ((10 * lat + 3) // 6) / 1e6,
            v >> 162,
            source,
            None if speed == 1023 else speed / 10.0,
            None if course >= 3600 else course / 10.0,
            None if heading >= 360 else float(heading),
            (v >> 126) & 15,
            _A,
            bool((v >> 107) & 1),
        ),
    )


def type_18(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a standard class B position report (type 18; 168 bits)."""
    lon = (v >> 83) & 0xFFFFFFF
    lat = (v >> 56) & 0x7FFFFFF
    if lon & 0x8000000:
        lon -= 0x10000000
    if lat & 0x4000000:
        lat -= 0x8000000
    if not (-_LON_MAX <= lon <= _LON_MAX and -_LAT_MAX <= lat <= _LAT_MAX):
        return ()
    speed = (v >> 112) & 1023
    course = (v >> 44) & 4095
    heading = (v >> 35) & 511
    return (
        new_position(
            (v >> 130) & 0x3FFFFFFF,
            time,
            ((10 * lon + 3) // 6) / 1e6,
            ((10 * lat + 3) // 6) / 1e6,
            18,
            source,
            None if speed == 1023 else speed / 10.0,
            None if course >= 3600 else course / 10.0,
            None if heading >= 360 else float(heading),
            None,
            _B,
            bool((v >> 111) & 1),
        ),
    )


def type_4(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a base station report (type 4; 168 bits) into its position."""
    pos = lonlat((v >> 61) & 0xFFFFFFF, (v >> 34) & 0x7FFFFFF)
    if pos is None:
        return ()
    return (
        PositionReport(
            (v >> 130) & 0x3FFFFFFF,
            time,
            pos[0],
            pos[1],
            4,
            source,
            ais_class=AisClass.BASE,
            accuracy=bool((v >> 89) & 1),
        ),
    )


def type_9(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a SAR aircraft position report (type 9; 168 bits; speed in whole knots)."""
    pos = lonlat((v >> 79) & 0xFFFFFFF, (v >> 52) & 0x7FFFFFF)
    if pos is None:
        return ()
    speed = (v >> 108) & 1023
    return (
        PositionReport(
            (v >> 130) & 0x3FFFFFFF,
            time,
            pos[0],
            pos[1],
            9,
            source,
            sog_kn=None if speed == 1023 else float(speed),
            cog_deg=_cog((v >> 40) & 4095),
            ais_class=AisClass.SAR,
            accuracy=bool((v >> 107) & 1),
        ),
    )


def type_27(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a long-range position report (type 27; 96 bits; 1/10 minute positions)."""
    lon_raw = (v >> 34) & 0x3FFFF
    lat_raw = (v >> 17) & 0x1FFFF
    if lon_raw & 0x20000:
        lon_raw -= 0x40000
    if lat_raw & 0x10000:
        lat_raw -= 0x20000
    if not (-180 * 600 <= lon_raw <= 180 * 600 and -90 * 600 <= lat_raw <= 90 * 600):
        return ()
    speed = (v >> 11) & 63
    course = (v >> 2) & 511
    return (
        PositionReport(
            (v >> 58) & 0x3FFFFFFF,
            time,
            ((10000 * lon_raw + 3) // 6) / 1e6,
            ((10000 * lat_raw + 3) // 6) / 1e6,
            27,
            source,
            sog_kn=None if speed == 63 else float(speed),
            cog_deg=None if course >= 360 else float(course),
            nav_status=(v >> 52) & 15,
            ais_class=_A,
            accuracy=bool((v >> 57) & 1),
        ),
    )


FAST: dict[int, FastDecoder] = {
    1: type_1_2_3,
    2: type_1_2_3,
    3: type_1_2_3,
    4: type_4,
    9: type_9,
    18: type_18,
    27: type_27,
}
"""Position decoders by message type."""
