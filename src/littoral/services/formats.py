"""How SAR messages write positions and times: as mariners write them.

Positions are latitude first in degrees and decimal minutes to a tenth of a minute
(``41°30.5′N 050°12.0′E``, written by :func:`littoral.geo.coords.format_position`, the one
position formatter), times in UTC as a date-time group.
"""

from __future__ import annotations

from datetime import datetime

from littoral.clock import require_utc
from littoral.geo.coords import format_position

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def position_text(lon: float, lat: float) -> str:
    """Return a position as SAR messages write it, to a tenth of a minute.

    Examples
    --------
    >>> position_text(50.2, 41.508333)
    '41°30.5′N 050°12.0′E'
    """
    return format_position(lon, lat, decimals=1)


def format_dtg(when: datetime) -> str:
    """Return a UTC date-time group as SAR messages write it: ``DDHHMMZ MON YY``.

    The month is the English three-letter abbreviation in every language, as in IAMSAR's
    message formats.

    Examples
    --------
    >>> from datetime import UTC
    >>> format_dtg(datetime(2026, 5, 1, 12, 0, 59, 999_999, tzinfo=UTC))
    '011200Z MAY 26'
    """
    t = require_utc(when)
    return f"{t:%d%H%M}Z {_MONTHS[t.month - 1]} {t:%y}"
