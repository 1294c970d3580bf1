"""How SAR messages write positions and times: as mariners write them.

Positions are latitude first in degrees and decimal minutes to a tenth of a minute
(``41°30.5′N 050°12.0′E``, written by :func:`littoral.geo.coords.format_position`, the one
position formatter), times in UTC as a date-time group.
"""

from __future__ import annotations

from datetime import datetime

from littoral.clock import require_utc
from littoral.geo.coords import format_position


def position_text(lon: float, lat: float) -> str:
    """Return a position as SAR messages write it, to a tenth of a minute.

    Examples
    --------
    >>> position_text(50.2, 41.508333)
    '41°30.5′N 050°12.0′E'
    """
    return format_position(lon, lat, decimals=1)


def format_dtg(when: datetime) -> str:
    """Return a UTC date-time group as used in SAR messages, e.g. ``011200Z MAY 2026``."""
    t = require_utc(when)
    return f"{t:%d%H%M}Z {t:%b %Y}".upper()
