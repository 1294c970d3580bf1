"""One MMSI, two ships: when positions of one number cannot belong to one vessel.

Two ships sometimes transmit the same MMSI (a copied configuration, a spoofer using a real
ship's number). Their positions interleave, and one track drawn through them zigzags across
the sea at impossible speeds. The picture keeps such positions apart as separate ships of the
same MMSI, told apart by a track number (the vessel key ``MMSI-2``, ``MMSI-3``...).

Two positions of one MMSI are *incompatible* when they are more than
:attr:`SplitRule.min_jump_m` apart (3 NM: far beyond GNSS noise, and beyond the 0.1 minute
resolution of long-range type 27 reports) and the speed implied between them is above
:attr:`SplitRule.speed_kn` (100 kn: well above the fastest vessels afloat, hydrofoils and
fast ferries of 40-60 kn). A position incompatible with every ship of its MMSI is held as a
candidate; a second position compatible with the candidate, at another time or place and
within :attr:`SplitRule.confirm_s`, makes a new ship of the two. A single stray position (a
GNSS fault, a corrupted message that passed its checksum) never makes a ship: it still counts
as a message of the MMSI's first ship. SAR aircraft (MMSI 111MIDxxx, message type 9) fly
faster than any ship and are never split.

The implied speed is the great-circle distance (haversine, mean Earth radius 6,371,008.8 m,
as :func:`littoral.geo.haversine_m`) over the time between the two receive times.
"""

from __future__ import annotations

from datetime import datetime
from math import asin, cos, radians, sin, sqrt
from typing import NamedTuple

from littoral.units import MS_PER_KN

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), as :mod:`littoral.geo.distance`."""


class SplitRule(NamedTuple):
    """When the picture makes two ships of one MMSI (see the module docstring)."""

    speed_kn: float = 100.0
    """Implied speed above which two positions cannot be one vessel's."""
    min_jump_m: float = 5_556.0
    """Positions closer than this are always compatible (3 NM)."""
    confirm_s: float = 1_800.0
    """A candidate position waits this long (receive time) for a second one."""
    max_tracks: int = 4
    """Most ships kept for one MMSI; beyond, a position joins the nearest."""

    @property
    def near_deg(self) -> float:
        """Degree offsets below which two positions are surely closer than ``min_jump_m``.

        Both the latitude and the longitude difference under this bound put two points
        less than ``min_jump_m`` apart (a degree of longitude is at most a degree of
        latitude, 111.2 km): the per-report test of the hot path, without trigonometry.
        """
        return self.min_jump_m / 111_195.0 / 1.5


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine), for two scalar points.

    Examples
    --------
    >>> round(distance_m(0.0, 0.0, 1.0, 0.0))
    111195
    """
    p1, p2 = radians(lat1), radians(lat2)
    h = sin((p2 - p1) / 2.0) ** 2 + cos(p1) * cos(p2) * sin(radians(lon2 - lon1) / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_M * asin(min(1.0, sqrt(h)))


def compatible(
    rule: SplitRule,
    a: tuple[datetime, float, float],
    b: tuple[datetime, float, float],
) -> tuple[bool, float]:
    """Whether positions ``a`` and ``b`` (time, lon, lat) may be one vessel's; and their distance.

    Examples
    --------
    >>> from datetime import UTC, datetime, timedelta
    >>> t = datetime(2026, 5, 1, tzinfo=UTC)
    >>> compatible(SplitRule(), (t, 50.0, 40.0), (t + timedelta(hours=1), 50.0, 40.2))[0]
    True
    >>> compatible(SplitRule(), (t, 50.0, 40.0), (t + timedelta(minutes=1), 50.0, 41.0))[0]
    False
    """
    d = distance_m(a[1], a[2], b[1], b[2])
    if d < rule.min_jump_m:
        return True, d
    dt_s = abs((b[0] - a[0]).total_seconds())
    return dt_s > 0 and d / dt_s <= rule.speed_kn * MS_PER_KN, d


def never_split(mmsi: int, msg_type: int) -> bool:
    """Whether a report comes from a SAR aircraft (faster than any ship: never split)."""
    return msg_type == 9 or 111_000_000 <= mmsi < 112_000_000
