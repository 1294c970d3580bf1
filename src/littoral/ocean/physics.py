"""Air-sea drag, bottom drag and the surface drift of the wind: the model's physical laws.

Wind stress ``tau = rho_air C_D |U10| U10`` with the 10 m neutral drag coefficient of

- **Large and Pond (1981)** (default): ``10^3 C_D = 1.2`` for ``U10 < 11 m/s`` and
  ``0.49 + 0.065 U10`` for ``11 <= U10 <= 25 m/s``; held at its 25 m/s value above.
  (The fit was made for 4-25 m/s; below 4 m/s the 1.2 is kept, as is usual.)
  Large, W. G. and S. Pond, 1981: Open ocean momentum flux measurements in moderate to strong
  winds. *J. Phys. Oceanogr.* 11, 324-336.
- **Wu (1982)**: ``10^3 C_D = 0.8 + 0.065 U10``, held at its 25 m/s value above.
  Wu, J., 1982: Wind-stress coefficients over sea surface from breeze to hurricane.
  *J. Geophys. Res.* 87(C12), 9704-9706.

Bottom stress is quadratic, ``tau_b = rho_w C_b |u| u`` with ``C_b = 0.0025`` by default, the
value of most shelf-sea storm-surge models (e.g. Heaps 1969, *Phil. Trans. R. Soc. A* 265,
93-137).

**Surface current for drift.** The depth-averaged current of a 2-D model lacks the shear of
the wind-drift layer at the top. littoral adds it as

    u_surface = u_depth_mean + c_s u*_air  (in the direction of the wind stress),

with ``u*_air = sqrt(|tau| / rho_air)`` the air-side friction velocity and ``c_s = 0.55``.
Wu (1975, *J. Fluid Mech.* 68, 49-70) measured that the wind-induced current at the surface
is proportional to the air friction velocity, about 0.53-0.55 ``u*_air`` (Wu 1983, *J. Phys.
Oceanogr.* 13, 1441-1451), in closed tanks whose net transport is zero: that is the excess of
the surface over the depth-mean current, which is what the term adds to a depth-mean
model. At 20 m/s it is 2.3 % of the wind speed (the Stokes drift of the waves, the other part of
the often quoted 3 %, is left to the drift model's own Stokes option). It is not turned by
the Ekman spiral (a simplification; the Caspian's shelf is shallower than an Ekman layer).
"""

from __future__ import annotations

import math
from enum import IntEnum

import numba as nb
import numpy as np
import numpy.typing as npt

GRAVITY_MS2 = 9.81
RHO_WATER_KG_M3 = 1010.0
"""Caspian surface water: salinity about 12.5 g/kg, so lighter than ocean water."""
RHO_AIR_KG_M3 = 1.22
BOTTOM_DRAG = 0.0025
SURFACE_DRIFT_COEF = 0.55
"""``c_s``: surface wind drift over depth mean, in units of the air friction velocity."""


class DragLaw(IntEnum):
    """The wind drag coefficient law (codes for the kernel)."""

    LARGE_POND_1981 = 0
    WU_1982 = 1


@nb.njit(cache=True, nogil=True)
def drag_coefficient(speed_ms: float, law: int) -> float:
    """10 m neutral drag coefficient ``C_D`` at wind speed ``speed_ms`` (m/s)."""
    s = min(speed_ms, 25.0)
    if law == 1:
        return (0.8 + 0.065 * s) * 1e-3
    if s < 11.0:
        return 1.2e-3
    return (0.49 + 0.065 * s) * 1e-3


@nb.njit(cache=True, nogil=True)
def wind_stress_pa(u_ms: float, v_ms: float, law: int) -> tuple[float, float]:
    """Wind stress components (Pa) of a 10 m wind (m/s), ``rho_air C_D |U| U``."""
    s = math.sqrt(u_ms * u_ms + v_ms * v_ms)
    k = RHO_AIR_KG_M3 * drag_coefficient(s, law) * s
    return k * u_ms, k * v_ms


def stress_field(
    u_ms: npt.NDArray[np.float64], v_ms: npt.NDArray[np.float64], law: DragLaw
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Wind stress (Pa) on arrays of 10 m wind components (m/s)."""
    s = np.hypot(u_ms, v_ms)
    c = np.minimum(s, 25.0)
    if law == DragLaw.WU_1982:
        cd = (0.8 + 0.065 * c) * 1e-3
    else:
        cd = np.where(c < 11.0, 1.2e-3, (0.49 + 0.065 * c) * 1e-3)
    k = RHO_AIR_KG_M3 * cd * s
    return k * u_ms, k * v_ms


def surface_shear_ms(
    taux_pa: npt.NDArray[np.float64],
    tauy_pa: npt.NDArray[np.float64],
    coef: float = SURFACE_DRIFT_COEF,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the surface-over-depth-mean wind drift ``c_s u*_air`` along the stress (m/s).

    Examples
    --------
    >>> tx, ty = stress_field(np.array([20.0]), np.array([0.0]), DragLaw.LARGE_POND_1981)
    >>> round(float(surface_shear_ms(tx, ty)[0][0] / 20.0), 4)  # fraction of the wind
    0.0233
    """
    tau = np.hypot(taux_pa, tauy_pa)
    ustar = np.sqrt(tau / RHO_AIR_KG_M3)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(tau > 0, coef * ustar / np.where(tau > 0, tau, 1.0), 0.0)
    return scale * taux_pa, scale * tauy_pa
