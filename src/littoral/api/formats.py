"""How a person reads positions, distances and times: as mariners write them.

Positions are latitude first in degrees and decimal minutes (``41°30.5′N 050°12.0′E``),
distances in nautical miles, speeds in knots, times in UTC as a date-time group.
"""

from __future__ import annotations

from datetime import datetime

from littoral.clock import require_utc


def format_lat(lat: float) -> str:
    """Return a latitude as ``DD°MM.m′N``.

    Examples
    --------
    >>> format_lat(41.508333)
    '41°30.5′N'
    """
    return _dm(lat, 2, "N", "S")


def format_lon(lon: float) -> str:
    """Return a longitude as ``DDD°MM.m′E``.

    Examples
    --------
    >>> format_lon(50.2)
    '050°12.0′E'
    """
    return _dm(lon, 3, "E", "W")


def format_position(lon: float, lat: float) -> str:
    """Return a position latitude first, e.g. ``41°30.5′N 050°12.0′E``."""
    return f"{format_lat(lat)} {format_lon(lon)}"


def _dm(value: float, width: int, positive: str, negative: str) -> str:
    hemisphere = positive if value >= 0 else negative
    tenths = round(abs(value) * 600.0)  # tenths of a minute, rounded once
    degrees, tenth_minutes = divmod(tenths, 600)
    return f"{degrees:0{width}d}°{tenth_minutes // 10:02d}.{tenth_minutes % 10}′{hemisphere}"


def format_dtg(when: datetime) -> str:
    """Return a UTC date-time group as used in SAR messages, e.g. ``011200Z MAY 2026``."""
    t = require_utc(when)
    return f"{t:%d%H%M}Z {t:%b %Y}".upper()
