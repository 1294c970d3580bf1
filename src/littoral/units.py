"""Unit conversions, vectorised; names carry the units they take and return.

Constants are exact by definition: 1 international nautical mile is 1852 m, 1 knot is
1852 m per hour.
"""

from typing import TypeVar

import numpy as np
import numpy.typing as npt

M_PER_NM = 1852.0
S_PER_H = 3600.0
MS_PER_KN = M_PER_NM / S_PER_H
M_PER_FT = 0.3048
EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG R1), used for great-circle arithmetic."""

Num = TypeVar("Num", float, npt.NDArray[np.float64])


def kn_to_ms(speed_kn: Num) -> Num:
    """Convert knots to metres per second."""
    return speed_kn * MS_PER_KN


def ms_to_kn(speed_ms: Num) -> Num:
    """Convert metres per second to knots."""
    return speed_ms / MS_PER_KN


def nm_to_m(distance_nm: Num) -> Num:
    """Convert nautical miles to metres."""
    return distance_nm * M_PER_NM


def m_to_nm(distance_m: Num) -> Num:
    """Convert metres to nautical miles."""
    return distance_m / M_PER_NM


def ft_to_m(length_ft: Num) -> Num:
    """Convert feet to metres."""
    return length_ft * M_PER_FT
