"""The day's plans of the regular fleet: liner shuttles, supply runs, fishing, leisure trips.

Speeds are those of the Caspian fleet: ro-pax ferries 13-16 kn, tankers 10-12 kn, river-sea
general cargo ships (Volgo-Don and Volgo-Balt types) 9-11 kn, offshore supply vessels 10-13 kn,
trawlers 3-4 kn while fishing, leisure craft 6-18 kn. A vessel is present for the whole day and
never goes silent at sea, so the only gaps in the picture are the planted ones. Vessels that
dwell at sea (supply vessels on standby at a field, fishing boats hauling) are kept at least
1.5 km apart (supply vessels at a field) or 4 km (fishing grounds, each worked within
1.2 km of its centre), so that no pair looks like a ship-to-ship transfer.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

from littoral.exercise.motion import (
    STATUS_FISHING,
    STATUS_MOORED,
    STATUS_UNDER_WAY,
    Plan,
    offset,
)
from littoral.exercise.routes import BERTHS, FIELDS, Waypoints
from littoral.geo.distance import haversine_m
from littoral.geo.mask import segment_crossings
from littoral.geo.sea import CaspianSea
from littoral.units import EARTH_RADIUS_M

H = 3600.0
ArrayLike = npt.ArrayLike


def jitter_ends(
    rng: np.random.Generator, waypoints: Waypoints, radius_m: float = 300.0
) -> Waypoints:
    """Move the first and last waypoint (the berths) by up to ``radius_m`` at random."""
    pts = list(waypoints)
    for k in (0, len(pts) - 1):
        r = radius_m * np.sqrt(rng.random())
        a = rng.uniform(0.0, 2 * np.pi)
        pts[k] = offset(pts[k][0], pts[k][1], r * np.sin(a), r * np.cos(a))
    return tuple(pts)


def shuttle(
    rng: np.random.Generator,
    waypoints: Waypoints,
    speed_kn: float,
    dwell_s: tuple[float, float],
    end_s: float,
    dwell_status: tuple[int, int] = (STATUS_MOORED, STATUS_MOORED),
) -> Plan:
    """Plan a vessel shuttling A -> B -> A along ``waypoints`` at a random phase of its cycle.

    The plan starts before the day (at minus one cycle plus a random phase) so the vessel may
    be anywhere on its cycle at the start, and runs past ``end_s``.
    """
    back = tuple(reversed(waypoints))
    probe = Plan().start_at(0.0, *waypoints[0]).follow(waypoints, speed_kn)
    transit = probe.end_s
    cycle = dwell_s[0] + transit + dwell_s[1] + transit
    t = -float(rng.uniform(0.0, cycle))
    plan = Plan().start_at(t, *waypoints[0])
    while plan.end_s < end_s:
        plan.stay(dwell_s[0], dwell_status[0])
        plan.follow(waypoints, speed_kn)
        plan.stay(dwell_s[1], dwell_status[1])
        plan.follow(back, speed_kn)
    return plan


def in_sea(sea: CaspianSea, lon: ArrayLike, lat: ArrayLike) -> npt.NDArray[np.bool_]:
    """Tell where points are in the sea, testing the polygon itself.

    Planning asks about a handful of points at a time, thousands of times; the prepared
    polygon answers such small calls faster than the parallel raster kernel behind
    :meth:`CaspianSea.contains`, and gives the same answer off the shore line.
    """
    shapely.prepare(sea.polygon)  # once; a prepared polygon is left as it is
    out: npt.NDArray[np.bool_] = shapely.contains_xy(sea.polygon, lon, lat)
    return out


def legs_in_sea(
    sea: CaspianSea, lon0: ArrayLike, lat0: ArrayLike, lon1: ArrayLike, lat1: ArrayLike
) -> npt.NDArray[np.bool_]:
    """Tell which straight legs (lon0, lat0) -> (lon1, lat1) stay in the sea.

    Exact: a leg is in the sea when both ends are and it meets no shore (islands included) on
    the way, by :func:`littoral.geo.mask.segment_crossings`.
    """
    x0, y0, x1, y1 = (
        np.atleast_1d(np.asarray(a, dtype=np.float64)).ravel() for a in (lon0, lat0, lon1, lat1)
    )
    t = segment_crossings(sea.mask, x0, y0, x1, y1)
    out: npt.NDArray[np.bool_] = (t < 0.0) & in_sea(sea, x0, y0) & in_sea(sea, x1, y1)
    return out


def leg_in_sea(sea: CaspianSea, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Tell whether the straight leg a-b stays in the sea (exact, see :func:`legs_in_sea`)."""
    return bool(legs_in_sea(sea, a[0], a[1], b[0], b[1])[0])


def clear_of_shore(
    sea: CaspianSea, lon: ArrayLike, lat: ArrayLike, clearance_m: float
) -> npt.NDArray[np.bool_]:
    """Tell which points are in the sea and at least ``clearance_m`` from any shore or island."""
    x = np.atleast_1d(np.asarray(lon, dtype=np.float64))
    y = np.atleast_1d(np.asarray(lat, dtype=np.float64))
    out: npt.NDArray[np.bool_] = in_sea(sea, x, y) & (sea.distance_to_shore_m(x, y) >= clearance_m)
    return out


class Spacing:
    """Points already taken at sea; new ones must keep ``min_m`` from all of them."""

    def __init__(self, min_m: float) -> None:
        self.min_m = min_m
        self._lon: list[float] = []
        self._lat: list[float] = []

    def free(self, lon: float, lat: float) -> bool:
        """Tell whether (lon, lat) keeps the spacing from every taken point."""
        if not self._lon:
            return True
        d = haversine_m(np.asarray(self._lon), np.asarray(self._lat), lon, lat)
        return bool(np.min(d) >= self.min_m)

    def first_free(self, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]) -> int:
        """Index of the first candidate that keeps the spacing, or -1."""
        if lon.size == 0:
            return -1
        if not self._lon:
            return 0
        d = haversine_m(
            lon[:, None],
            lat[:, None],
            np.asarray(self._lon)[None, :],
            np.asarray(self._lat)[None, :],
        )
        ok = np.flatnonzero(d.min(axis=1) >= self.min_m)
        return int(ok[0]) if ok.size else -1

    def take(self, lon: float, lat: float) -> None:
        """Record (lon, lat) as taken."""
        self._lon.append(lon)
        self._lat.append(lat)


def standby_spot(
    rng: np.random.Generator,
    sea: CaspianSea,
    field: str,
    spacing: Spacing,
    approach: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """Draw a free standby position 1.2-4 km from the centre of offshore ``field``.

    Platforms stand within a few km of a field's centre; a supply vessel waits by one. With
    ``approach``, the straight leg from there to the spot must stay in the sea too.
    """
    lon0, lat0, _ = FIELDS[field]
    for _ in range(8):
        r = rng.uniform(1200.0, 4000.0, 64)
        a = rng.uniform(0.0, 2 * np.pi, 64)
        lon = lon0 + np.degrees(r * np.sin(a) / (EARTH_RADIUS_M * np.cos(np.radians(lat0))))
        lat = lat0 + np.degrees(r * np.cos(a) / EARTH_RADIUS_M)
        if approach is None:
            wet = in_sea(sea, lon, lat)
        else:
            wet = legs_in_sea(sea, np.full(64, approach[0]), np.full(64, approach[1]), lon, lat)
        k = spacing.first_free(lon[wet], lat[wet])
        if k >= 0:
            spot = float(lon[wet][k]), float(lat[wet][k])
            spacing.take(*spot)
            return spot
    spacing.take(lon0, lat0)
    return lon0, lat0


def supply_run(
    rng: np.random.Generator,
    sea: CaspianSea,
    waypoints: Waypoints,
    field: str,
    spacing: Spacing,
    end_s: float,
) -> Plan:
    """Plan a supply vessel shuttling from its base to a standby spot at ``field`` and back."""
    spot = standby_spot(rng, sea, field, spacing, approach=waypoints[-2])
    route = (*waypoints[:-1], spot)
    return shuttle(
        rng,
        (*jitter_ends(rng, route, 250.0)[:-1], spot),
        speed_kn=float(rng.uniform(10.0, 13.0)),
        dwell_s=(float(rng.uniform(1.0, 3.0)) * H, float(rng.uniform(5.0, 9.0)) * H),
        end_s=end_s,
        dwell_status=(STATUS_MOORED, STATUS_UNDER_WAY),
    )


def fishing_grounds(
    rng: np.random.Generator,
    sea: CaspianSea,
    box: tuple[float, float, float, float],
    spacing: Spacing,
) -> tuple[float, float] | None:
    """Draw a free fishing-ground centre in ``box`` at least 3 km from any shore or island."""
    lon_min, lat_min, lon_max, lat_max = box
    for _ in range(6):
        lon = rng.uniform(lon_min, lon_max, 64)
        lat = rng.uniform(lat_min, lat_max, 64)
        clear = clear_of_shore(sea, lon, lat, 3000.0)
        k = spacing.first_free(lon[clear], lat[clear])
        if k >= 0:
            centre = float(lon[clear][k]), float(lat[clear][k])
            spacing.take(*centre)
            return centre
    return None


def fishing_day(
    rng: np.random.Generator, centre: tuple[float, float], end_s: float, radius_m: float = 1200.0
) -> Plan:
    """Plan a trawler working its grounds: tows at 3-4 kn, and hauls lying still for an hour."""
    plan = Plan().start_at(-H, *centre)
    while plan.end_s < end_s:
        for _ in range(int(rng.integers(2, 5))):
            r = radius_m * np.sqrt(rng.random())
            a = rng.uniform(0.0, 2 * np.pi)
            lon, lat = offset(centre[0], centre[1], r * np.sin(a), r * np.cos(a))
            if (lon, lat) != (plan.lon[-1], plan.lat[-1]):
                plan.to(lon, lat, speed_kn=float(rng.uniform(3.0, 4.0)), status=STATUS_FISHING)
        plan.stay(float(rng.uniform(0.6, 1.4)) * H, STATUS_FISHING)
    return plan


def leisure_day(rng: np.random.Generator, sea: CaspianSea, port: str, end_s: float) -> Plan:
    """Plan a class B craft: moored at ``port``, out on one or two coastal trips of 1-3 h."""
    berth = BERTHS[port]
    r = 600.0 * np.sqrt(rng.random())
    a = rng.uniform(0.0, 2 * np.pi)
    home = offset(berth.lon, berth.lat, r * np.sin(a), r * np.cos(a))
    if not bool(in_sea(sea, *home)):
        home = (berth.lon, berth.lat)
    plan = Plan().start_at(-H, *home)
    t_trip = float(rng.uniform(0.1, 0.5)) * end_s
    for _ in range(int(rng.integers(1, 3))):
        if t_trip >= end_s:
            break
        plan.hold_until(t_trip)
        speed = float(rng.uniform(6.0, 18.0))
        here = home
        for _ in range(int(rng.integers(2, 5))):
            nxt = _coastal_point(rng, sea, home, here)
            if nxt is None:
                break
            plan.to(*nxt, speed_kn=speed)
            here = nxt
        if here != home:
            if leg_in_sea(sea, here, home):
                plan.to(*home, speed_kn=speed)
            else:  # retrace the trip to stay in water
                for k in range(len(plan.lon) - 2, -1, -1):
                    if (plan.lon[k], plan.lat[k]) == home:
                        break
                    plan.to(plan.lon[k], plan.lat[k], speed_kn=speed)
                plan.to(*home, speed_kn=speed)
        t_trip = plan.end_s + float(rng.uniform(1.0, 4.0)) * H
    plan.hold_until(end_s + H)
    return plan


def _coastal_point(
    rng: np.random.Generator,
    sea: CaspianSea,
    home: tuple[float, float],
    here: tuple[float, float],
) -> tuple[float, float] | None:
    for _ in range(40):
        r = rng.uniform(2000.0, 9000.0)
        a = rng.uniform(0.0, 2 * np.pi)
        p = offset(home[0], home[1], r * np.sin(a), r * np.cos(a))
        if clear_of_shore(sea, p[0], p[1], 500.0)[0] and leg_in_sea(sea, here, p):
            return p
    return None
