"""Where and when particles start: a point with a radius, a line, a polygon, a time window.

- :class:`PointSeed`: a last known position with an uncertainty radius. ``"normal"``: the
  east and north offsets are each normal with standard deviation ``radius_m`` (OpenDrift's
  "gaussian" seeding); ``"uniform"``: uniform over the disc of radius ``radius_m``.
- :class:`LineSeed`: uniformly along the great circle between two positions (a datum line, or
  a voyage leg with an unknown time of distress), with optional normal scatter ``radius_m``.
  With a release window the position along the leg follows the release time: the vessel was
  at the start of the leg at the start of the window and at its end at the end.
- :class:`ConeSeed`: a position and a radius both moving over the release window (a line
  from one position and uncertainty to another).
- :class:`PolygonSeed`: uniform over an area (equal-area sampling on the sphere).
- :class:`PositionsSeed`: given positions, one per particle.

Release times are spread evenly over ``[time, release_end]``; a backtracking run (negative
time step) releases backward from ``time``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError
from littoral.units import EARTH_RADIUS_M


def _check_position(lon: float, lat: float, what: str) -> None:
    if not (np.isfinite(lon) and np.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError(f"{what} position lon={lon!r}, lat={lat!r} is not a valid position")


def destination(
    lon: npt.NDArray[np.float64] | float,
    lat: npt.NDArray[np.float64] | float,
    bearing_deg: npt.NDArray[np.float64] | float,
    distance_m: npt.NDArray[np.float64] | float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Great-circle destination on the sphere (vectorised)."""
    phi1 = np.radians(lat)
    lam1 = np.radians(lon)
    theta = np.radians(bearing_deg)
    delta = np.asarray(distance_m, dtype=np.float64) / EARTH_RADIUS_M
    sin_phi2 = np.sin(phi1) * np.cos(delta) + np.cos(phi1) * np.sin(delta) * np.cos(theta)
    phi2 = np.arcsin(np.clip(sin_phi2, -1.0, 1.0))
    lam2 = lam1 + np.arctan2(
        np.sin(theta) * np.sin(delta) * np.cos(phi1), np.cos(delta) - np.sin(phi1) * sin_phi2
    )
    return np.degrees(lam2).astype(np.float64), np.degrees(phi2).astype(np.float64)


def _scatter(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    radius_m: float,
    kind: str,
    rng: np.random.Generator,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    n = lon.size
    if radius_m == 0:
        return lon, lat
    if kind == "normal":
        east = rng.normal(0.0, radius_m, n)
        north = rng.normal(0.0, radius_m, n)
    else:
        r = radius_m * np.sqrt(rng.random(n))
        a = rng.random(n) * 2 * np.pi
        east, north = r * np.sin(a), r * np.cos(a)
    return destination(lon, lat, np.degrees(np.arctan2(east, north)), np.hypot(east, north))


@dataclass(frozen=True, slots=True)
class PointSeed:
    """A position with an uncertainty radius (metres)."""

    lon: float
    lat: float
    radius_m: float = 0.0
    distribution: Literal["normal", "uniform"] = "normal"

    def positions(
        self, n: int, fractions: npt.NDArray[np.float64], rng: np.random.Generator
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Draw ``n`` start positions (``fractions`` of the release window are unused)."""
        _check_position(self.lon, self.lat, "seed")
        if not (np.isfinite(self.radius_m) and self.radius_m >= 0):
            raise InputError(f"radius_m={self.radius_m!r} must be >= 0")
        if self.distribution not in ("normal", "uniform"):
            raise InputError(f"distribution={self.distribution!r} must be normal or uniform")
        lon = np.full(n, float(self.lon))
        lat = np.full(n, float(self.lat))
        return _scatter(lon, lat, self.radius_m, self.distribution, rng)


@dataclass(frozen=True, slots=True)
class LineSeed:
    """Positions along the great circle from (lon0, lat0) to (lon1, lat1)."""

    lon0: float
    lat0: float
    lon1: float
    lat1: float
    radius_m: float = 0.0

    def positions(
        self, n: int, fractions: npt.NDArray[np.float64], rng: np.random.Generator
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Draw ``n`` positions at ``fractions`` along the line, or uniformly if all are 0."""
        _check_position(self.lon0, self.lat0, "line start")
        _check_position(self.lon1, self.lat1, "line end")
        if not (np.isfinite(self.radius_m) and self.radius_m >= 0):
            raise InputError(f"radius_m={self.radius_m!r} must be >= 0")
        f = fractions if np.ptp(fractions) > 0 else rng.random(n)
        p0 = _unit(self.lon0, self.lat0)
        p1 = _unit(self.lon1, self.lat1)
        omega = float(np.arccos(np.clip(np.dot(p0, p1), -1.0, 1.0)))
        if omega < 1e-12:
            pts = np.tile(p0, (n, 1))
        else:
            a = np.sin((1 - f) * omega) / np.sin(omega)
            b = np.sin(f * omega) / np.sin(omega)
            pts = a[:, None] * p0 + b[:, None] * p1
        lat = np.degrees(np.arcsin(np.clip(pts[:, 2], -1, 1)))
        lon = np.degrees(np.arctan2(pts[:, 1], pts[:, 0]))
        return _scatter(lon, lat, self.radius_m, "normal", rng)


@dataclass(frozen=True, slots=True)
class ConeSeed:
    """A position and a radius both moving over the release window (OpenDrift's cone).

    A particle released at fraction ``f`` of the window starts about the point at ``f``
    along the great circle from (lon0, lat0) to (lon1, lat1), with normal scatter of
    standard deviation ``radius0_m + f (radius1_m - radius0_m)``: a vessel whose reported
    position and uncertainty change over the time it may have been lost. Without a release
    window the particles spread uniformly along the cone.
    """

    lon0: float
    lat0: float
    radius0_m: float
    lon1: float
    lat1: float
    radius1_m: float

    def positions(
        self, n: int, fractions: npt.NDArray[np.float64], rng: np.random.Generator
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Draw ``n`` positions at ``fractions`` of the window (uniform if all are 0)."""
        for name, r in (("radius0_m", self.radius0_m), ("radius1_m", self.radius1_m)):
            if not (np.isfinite(r) and r >= 0):
                raise InputError(f"{name}={r!r} must be >= 0")
        f = fractions if np.ptp(fractions) > 0 else rng.random(n)
        line = LineSeed(self.lon0, self.lat0, self.lon1, self.lat1)
        lon, lat = line.positions(n, f, rng)
        radius = self.radius0_m + f * (self.radius1_m - self.radius0_m)
        east = rng.normal(0.0, 1.0, n) * radius
        north = rng.normal(0.0, 1.0, n) * radius
        return destination(lon, lat, np.degrees(np.arctan2(east, north)), np.hypot(east, north))


def _unit(lon: float, lat: float) -> npt.NDArray[np.float64]:
    la, lo = np.radians(lat), np.radians(lon)
    return np.array([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


@dataclass(frozen=True, slots=True)
class PolygonSeed:
    """Uniform positions inside a polygon given as ``[(lon, lat), ...]`` (outer ring)."""

    ring: Sequence[tuple[float, float]]

    def positions(
        self, n: int, fractions: npt.NDArray[np.float64], rng: np.random.Generator
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Draw ``n`` positions uniformly (by area) inside the polygon."""
        import shapely

        if len(self.ring) < 3:
            raise InputError(f"polygon needs >= 3 vertices, got {len(self.ring)}")
        for vx, vy in self.ring:
            _check_position(vx, vy, "polygon vertex")
        poly = shapely.Polygon(self.ring)
        if not poly.is_valid or poly.area == 0:
            raise InputError("polygon is not valid (self-intersecting or empty)")
        shapely.prepare(poly)
        lon_min, lat_min, lon_max, lat_max = poly.bounds
        s0, s1 = np.sin(np.radians(lat_min)), np.sin(np.radians(lat_max))
        out_lon = np.empty(0)
        out_lat = np.empty(0)
        while out_lon.size < n:
            m = max(2 * (n - out_lon.size), 64)
            lon = rng.uniform(lon_min, lon_max, m)
            lat = np.degrees(np.arcsin(rng.uniform(s0, s1, m)))  # equal area on the sphere
            inside = shapely.contains_xy(poly, lon, lat)
            out_lon = np.concatenate([out_lon, lon[inside]])
            out_lat = np.concatenate([out_lat, lat[inside]])
        return out_lon[:n], out_lat[:n]


@dataclass(frozen=True, slots=True)
class PositionsSeed:
    """Given start positions, one per particle (e.g. the end of an earlier run)."""

    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]

    def positions(
        self, n: int, fractions: npt.NDArray[np.float64], rng: np.random.Generator
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Return the given positions; ``n`` must equal their number."""
        lon = np.asarray(self.lon, dtype=np.float64)
        lat = np.asarray(self.lat, dtype=np.float64)
        if lon.shape != (n,) or lat.shape != (n,):
            raise InputError(f"{lon.shape} / {lat.shape} positions given for {n} particles")
        if not (np.all(np.abs(lat) <= 90) and np.all(np.abs(lon) <= 180)):
            raise InputError("given positions must be valid lon/lat degrees")
        return lon.copy(), lat.copy()

    def __repr__(self) -> str:
        return f"PositionsSeed({self.lon.size} positions)"


Seed = PointSeed | LineSeed | ConeSeed | PolygonSeed | PositionsSeed
