"""Great-circle arithmetic on the sphere of mean radius R1 = 6,371,008.8 m, vectorised.

Haversine distance, initial bearing and direct (destination) problem on a sphere (Sinnott
1984, "Virtues of the haversine", Sky and Telescope 68(2), 159; formulas as in Williams,
"Aviation Formulary"). On the WGS 84 ellipsoid the spherical figures differ from geodesic
ones by up to about 0.5 %; use ``pyproj.Geod`` where that matters. Inputs broadcast like
numpy arrays; angles in degrees, distances in metres.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from littoral.units import EARTH_RADIUS_M

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike


def haversine_m(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> FloatArray:
    """Great-circle distance in metres between (lon1, lat1) and (lon2, lat2).

    Examples
    --------
    >>> round(float(haversine_m(0.0, 0.0, 1.0, 0.0)))
    111195
    """
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    h = np.sin(dp / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2.0) ** 2
    out: FloatArray = 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return out


def bearing_deg(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> FloatArray:
    """Return the initial great-circle bearing from point 1 to point 2 (degrees, 0-360).

    Examples
    --------
    >>> float(bearing_deg(50.0, 40.0, 50.0, 41.0))
    0.0
    """
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dl = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    y = np.sin(dl) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    out: FloatArray = np.degrees(np.arctan2(y, x)) % 360.0
    return out


def destination(
    lon: ArrayLike, lat: ArrayLike, bearing: ArrayLike, distance_m: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Return the point reached from (lon, lat) along a great circle.

    Parameters
    ----------
    lon, lat : array_like
        Start, degrees.
    bearing : array_like
        Initial bearing, degrees clockwise from true north.
    distance_m : array_like
        Distance along the great circle, metres.

    Returns
    -------
    (lon, lat) : tuple of ndarray
        End point, degrees; longitude in -180...180.
    """
    p1 = np.radians(np.asarray(lat, dtype=np.float64))
    l1 = np.radians(np.asarray(lon, dtype=np.float64))
    th = np.radians(np.asarray(bearing, dtype=np.float64))
    d = np.asarray(distance_m, dtype=np.float64) / EARTH_RADIUS_M
    sp2 = np.sin(p1) * np.cos(d) + np.cos(p1) * np.sin(d) * np.cos(th)
    p2 = np.arcsin(np.clip(sp2, -1.0, 1.0))
    l2 = l1 + np.arctan2(np.sin(th) * np.sin(d) * np.cos(p1), np.cos(d) - np.sin(p1) * sp2)
    lon2: FloatArray = (np.degrees(l2) + 540.0) % 360.0 - 180.0
    lat2: FloatArray = np.degrees(p2)
    return lon2, lat2
