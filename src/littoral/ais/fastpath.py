"""Decoders of position reports, the message types that make up most of a feed.

Types 1-3 and 18 (class A and B), 4 (base station), 9 (SAR aircraft) and 27 (long-range)
go straight from the payload integer to the seam records of :mod:`littoral.records.reports`,
without building a generic message (static data: :mod:`littoral.ais.statics`). The
decoders are generated (:mod:`littoral.ais.fastpath_generated`) from the one table of bit
layouts, :mod:`littoral.ais.layout` (ITU-R M.1371-5, Annex 8, as tabulated in the gpsd
AIVDM/AIVDO protocol decoding document); scaling and rounding are the same as pyais
(latitude and longitude rounded to 10^-6 degree), and ``tests/unit/ais/test_ais_fastpath.py``
checks both agree field by field.

"Not available" codes become ``None``; a position whose latitude is 91 or longitude 181 (or
otherwise out of range) yields no :class:`~littoral.records.reports.PositionReport`.

Each decoder takes the payload as an integer already cut to its nominal length (see
:data:`NOMINAL_BITS`) and returns a tuple of records.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from littoral.ais.fastpath_generated import Record, type_1_2_3, type_4, type_9, type_18, type_27
from littoral.ais.layout import LAYOUTS

__all__ = [
    "FAST",
    "LENGTH_BOUNDS",
    "NOMINAL_BITS",
    "FastDecoder",
    "Record",
    "lonlat",
    "type_1_2_3",
    "type_4",
    "type_9",
    "type_18",
    "type_27",
]

FastDecoder = Callable[[int, datetime, str], tuple[Record, ...]]

_LON_MAX = 180 * 600_000
_LAT_MAX = 90 * 600_000

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
    **{t: layout.bits for layout in LAYOUTS for t in layout.types},
    5: 424,
    19: 312,
}
"""Length each decoder reads; shorter payloads are padded with zero bits, longer cut."""


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
