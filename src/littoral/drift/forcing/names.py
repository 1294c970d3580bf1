"""Forcing variable names (CF standard names) and direction conversions.

The vocabulary between readers and the drift model is the CF standard name of each vector
component (OpenDrift uses the same idea). Readers of files also accept the usual short names:
ERA5 ``u10``/``v10``, CMEMS ``uo``/``vo`` and ``VSDX``/``VSDY``.

Directions follow ``docs/conventions.md``: wind is given as the direction it blows **from**,
current as the direction it sets **toward**; CF components are the direction of motion.
"""

from __future__ import annotations

import numpy as np

from littoral.units import MS_PER_KN

WIND_U = "eastward_wind"
WIND_V = "northward_wind"
CURRENT_U = "eastward_sea_water_velocity"
CURRENT_V = "northward_sea_water_velocity"
STOKES_U = "sea_surface_wave_stokes_drift_eastward_velocity"
STOKES_V = "sea_surface_wave_stokes_drift_northward_velocity"

WIND: tuple[str, str] = (WIND_U, WIND_V)
"""The 10 m wind, m/s."""
CURRENT: tuple[str, str] = (CURRENT_U, CURRENT_V)
"""The total surface water current, m/s."""
STOKES: tuple[str, str] = (STOKES_U, STOKES_V)
"""The surface Stokes drift of the waves, m/s."""

ALIASES: dict[str, tuple[str, ...]] = {
    WIND_U: (WIND_U, "u10", "x_wind", "uas", "U10", "eastward_wind_at_10m", "U_10M", "10u"),
    WIND_V: (WIND_V, "v10", "y_wind", "vas", "V10", "northward_wind_at_10m", "V_10M", "10v"),
    CURRENT_U: (
        CURRENT_U,
        "surface_eastward_sea_water_velocity",
        "x_sea_water_velocity",
        "uo",
        "water_u",
        "u",
    ),
    CURRENT_V: (
        CURRENT_V,
        "surface_northward_sea_water_velocity",
        "y_sea_water_velocity",
        "vo",
        "water_v",
        "v",
    ),
    STOKES_U: (STOKES_U, "sea_surface_wave_stokes_drift_x_velocity", "VSDX", "ust", "uuss"),
    STOKES_V: (STOKES_V, "sea_surface_wave_stokes_drift_y_velocity", "VSDY", "vst", "vuss"),
}
"""For each CF name, the standard names and variable names a file may use for it."""


def wind_components_ms(from_deg: float, speed_kn: float) -> tuple[float, float]:
    """Eastward and northward wind (m/s) of a wind blowing **from** ``from_deg`` at ``speed_kn``.

    >>> [round(c, 6) for c in wind_components_ms(0.0, 10.0)]  # northerly: blows south
    [-0.0, -5.144444]
    """
    s = speed_kn * MS_PER_KN
    a = np.radians(from_deg)
    return float(-s * np.sin(a)), float(-s * np.cos(a))


def current_components_ms(to_deg: float, speed_kn: float) -> tuple[float, float]:
    """Eastward and northward current (m/s) of a current setting **toward** ``to_deg``.

    >>> [round(c, 6) for c in current_components_ms(90.0, 1.0)]
    [0.514444, 0.0]
    """
    s = speed_kn * MS_PER_KN
    a = np.radians(to_deg)
    return float(s * np.sin(a)), float(s * np.cos(a))
