"""The sun's elevation, for day, night and first light on scene.

NOAA Global Monitoring Laboratory, "General Solar Position Calculations" and its solar
calculator spreadsheet, which follow J. Meeus, *Astronomical Algorithms* (Willmann-Bell, 2nd ed.
1998), ch. 25 (the sun's low-accuracy position, good to about 0.01 degree) and ch. 28 (the
equation of time). Times are UTC (the difference from dynamical time, about a minute, moves
the sun by less than 0.01 degree). Day is the sun's centre above -0.833 degrees (sunrise and
sunset: refraction and the sun's radius), civil twilight down to -6 degrees; first light is
the start of morning civil twilight.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from littoral.clock import require_utc

FloatArray = npt.NDArray[np.float64]

SUNRISE_ELEVATION_DEG = -0.833
"""Elevation of the sun's centre at sunrise and sunset (refraction 34', semi-diameter 16')."""
CIVIL_TWILIGHT_DEG = -6.0
"""Elevation of the sun at the start of morning civil twilight (first light)."""


def _julian_century(epoch_s: FloatArray) -> FloatArray:
    jd = np.asarray(epoch_s, dtype=np.float64) / 86400.0 + 2440587.5
    return np.asarray((jd - 2451545.0) / 36525.0, dtype=np.float64)


def sun_declination_and_equation_of_time(
    epoch_s: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Apparent declination (deg), equation of time (minutes) and right ascension (deg).

    Meeus ch. 25 (low accuracy) and ch. 28, as NOAA's calculator.
    """
    t = _julian_century(np.asarray(epoch_s, dtype=np.float64))
    l0 = np.mod(280.46646 + t * (36000.76983 + t * 0.0003032), 360.0)
    m = 357.52911 + t * (35999.05029 - 0.0001537 * t)
    e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    mr = np.radians(m)
    c = (
        np.sin(mr) * (1.914602 - t * (0.004817 + 0.000014 * t))
        + np.sin(2 * mr) * (0.019993 - 0.000101 * t)
        + np.sin(3 * mr) * 0.000289
    )
    true_long = l0 + c
    omega = 125.04 - 1934.136 * t
    app_long = true_long - 0.00569 - 0.00478 * np.sin(np.radians(omega))
    eps0 = 23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0
    eps = eps0 + 0.00256 * np.cos(np.radians(omega))
    er, lr = np.radians(eps), np.radians(app_long)
    decl = np.degrees(np.arcsin(np.sin(er) * np.sin(lr)))
    ra = np.mod(np.degrees(np.arctan2(np.cos(er) * np.sin(lr), np.cos(lr))), 360.0)
    y = np.tan(er / 2) ** 2
    l0r = np.radians(l0)
    eot = 4.0 * np.degrees(
        y * np.sin(2 * l0r)
        - 2 * e * np.sin(mr)
        + 4 * e * y * np.sin(mr) * np.cos(2 * l0r)
        - 0.5 * y * y * np.sin(4 * l0r)
        - 1.25 * e * e * np.sin(2 * mr)
    )
    return (
        np.asarray(decl, dtype=np.float64),
        np.asarray(eot, dtype=np.float64),
        np.asarray(ra, dtype=np.float64),
    )


def sun_elevation_deg(epoch_s: npt.ArrayLike, lon: float, lat: float) -> FloatArray:
    """Geometric elevation of the sun's centre (degrees, no refraction) at UTC epoch seconds."""
    es = np.asarray(epoch_s, dtype=np.float64)
    decl, eot, _ = sun_declination_and_equation_of_time(es)
    minutes = np.mod(es, 86400.0) / 60.0
    true_solar_min = np.mod(minutes + eot + 4.0 * lon, 1440.0)
    hour_angle = true_solar_min / 4.0 - 180.0
    latr, dr, har = math.radians(lat), np.radians(decl), np.radians(hour_angle)
    cos_zen = np.sin(latr) * np.sin(dr) + np.cos(latr) * np.cos(dr) * np.cos(har)
    return np.asarray(90.0 - np.degrees(np.arccos(np.clip(cos_zen, -1, 1))), dtype=np.float64)


@dataclass(frozen=True, kw_only=True)
class Daylight:
    """The part of a time window with the sun up, on scene.

    Attributes
    ----------
    start, end:
        The window asked about.
    day_start, day_end:
        First and last moment of daylight within it (``None`` when the window is all dark).
    hours:
        Hours of daylight within the window.
    first_light:
        Start of the next morning civil twilight when the window starts with the sun down.
    """

    start: datetime
    end: datetime
    day_start: datetime | None
    day_end: datetime | None
    hours: float
    first_light: datetime | None


def daylight(start: datetime, end: datetime, lon: float, lat: float) -> Daylight:
    """Daylight (sun above -0.833 degrees) within ``[start, end]`` at ``(lon, lat)``.

    Sampled every minute; one window, the first stretch of daylight in it (a search window
    is shorter than a day).
    """
    start = require_utc(start, "start")
    end = require_utc(end, "end")
    t0 = start.timestamp()
    n = max(2, math.ceil((end.timestamp() - t0) / 60.0) + 1)
    ts = np.linspace(t0, max(end.timestamp(), t0), n)
    up = sun_elevation_deg(ts, lon, lat) > SUNRISE_ELEVATION_DEG
    first_light = None
    if not up[0]:
        ahead = t0 + np.arange(0, 36 * 3600, 60.0)
        lit = sun_elevation_deg(ahead, lon, lat) > CIVIL_TWILIGHT_DEG
        dawn = np.flatnonzero(lit[1:] & ~lit[:-1])  # morning: the sun rises through -6 deg
        if dawn.size:
            first_light = datetime.fromtimestamp(float(ahead[dawn[0] + 1]), UTC)
    if not up.any():
        return Daylight(start=start, end=end, day_start=None, day_end=None, hours=0.0,
                        first_light=first_light)  # fmt: skip
    i0 = int(np.argmax(up))
    rest = np.flatnonzero(~up[i0:])
    i1 = i0 + int(rest[0]) - 1 if rest.size else n - 1
    d0 = datetime.fromtimestamp(float(ts[i0]), UTC)
    d1 = datetime.fromtimestamp(float(ts[i1]), UTC)
    return Daylight(
        start=start, end=end, day_start=d0, day_end=d1,
        hours=(d1 - d0) / timedelta(hours=1), first_light=first_light,
    )  # fmt: skip
