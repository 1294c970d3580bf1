"""Water-only geometry: a datum 5 km off the north Absheron shore (40.63N 50.05E, E 6 NM).

Every waypoint and every leg of every unit (pattern, and a vessel's transit out and back)
lies on the Caspian water polygon; areas are clipped to water; each unit's miles fit its
endurance less the reserve. Aircraft fly their transit over land.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
import shapely

from littoral.geo import CaspianSea
from littoral.search.allocation import PlanTiming, plan_search
from littoral.search.detection import DetectionModel
from littoral.search.export import assignment_gpx, read_gpx
from littoral.search.facilities import unit_from_mapping
from littoral.search.priors import Datum, datum_frame, from_datum
from littoral.search.seaway import path_length_nm
from littoral.search.sweep_tables import Platform
from littoral.search.weather import Weather, WeatherGiven

UNITS = [
    {"name": "Patrol 101", "state": "AZ", "type": "ship", "speed_kn": 12, "endurance_h": 30,
     "transit_speed_kn": 16, "eye_height_ft": 14, "base": "Baku Bay"},
    {"name": "CG 12", "state": "AZ", "type": "boat", "speed_kn": 18, "endurance_h": 10,
     "base_lat": 40.55, "base_lon": 50.30, "pattern": "creeping-line"},
    {"name": "Helo 7", "state": "RU", "type": "helicopter", "speed_kn": 90, "endurance_h": 4,
     "transit_speed_kn": 120, "altitude_ft": 500, "base": "Makhachkala"},
]  # fmt: skip


@pytest.fixture(scope="module")
def plan():
    grid = from_datum(Datum(50.05, 40.63, 6.0))
    assert grid.coast
    units = [unit_from_mapping(u, u["name"]) for u in UNITS]
    weather = Weather(WeatherGiven(wind_kn=10, sea_m=0.5, visibility_nm=10))
    timing = PlanTiming(tasked=datetime(2026, 6, 1, 6, tzinfo=UTC), weather=weather)
    return plan_search(grid, units, DetectionModel("Person in Water", 10), timing=timing)


def _on_water(lon: np.ndarray, lat: np.ndarray) -> None:
    sea = CaspianSea.load().polygon
    assert shapely.covers(sea, shapely.points(lon, lat)).all(), "a waypoint lies on land"
    frame_lines = shapely.linestrings(
        np.stack([np.column_stack([lon[:-1], lat[:-1]]), np.column_stack([lon[1:], lat[1:]])],
                 axis=1).reshape(-1, 2),
        indices=np.repeat(np.arange(lon.size - 1), 2),
    )  # fmt: skip
    bad = ~shapely.covers(sea, frame_lines)
    assert not bad.any(), f"{int(bad.sum())} leg(s) cross land"


def test_every_waypoint_and_leg_is_on_water(plan) -> None:
    searched = [a for a in plan.assignments if a.pattern is not None]
    assert len(searched) >= 2
    for a in searched:
        _on_water(a.pattern.lon, a.pattern.lat)
        if a.unit.platform is Platform.VESSEL:
            _on_water(*a.route_out)
            _on_water(*a.route_back)


def test_areas_are_water_and_miles_fit_the_endurance(plan) -> None:
    sea = CaspianSea.load().polygon
    frame = plan.grid.frame
    for a in plan.assignments:
        if a.pattern is None:
            continue
        ring = shapely.Polygon(np.column_stack(a.outline))
        assert shapely.area(shapely.difference(ring, sea)) < 0.01 * ring.area + 1e-9
        u = a.unit
        w = a.window
        transit = sum(
            path_length_nm(np.column_stack(frame.to_xy_nm(*r))) for r in (a.route_out, a.route_back)
        )
        endurance = u.endurance_h - w.dark_h
        hours = a.pattern.length_nm / u.speed_kn / u.productive_fraction
        assert hours + transit / u.transit_speed_kn + u.reserve_hours <= endurance + 1e-6


def test_the_ship_goes_round_the_peninsula(plan) -> None:
    ship = plan.assignments[0]
    assert ship.unit.base_name.startswith("Baku Bay")
    assert ship.pattern is not None
    lon, lat = ship.route_out
    straight = float(np.hypot(*np.diff(np.column_stack(plan.grid.frame.to_xy_nm(
        lon[[0, -1]], lat[[0, -1]])), axis=0)[0]))  # fmt: skip
    assert path_length_nm(np.column_stack(plan.grid.frame.to_xy_nm(lon, lat))) > 1.5 * straight


def test_gpx_draws_the_transits_and_update_reads_only_the_search(plan, tmp_path) -> None:
    ship = plan.assignments[0]
    path = tmp_path / "ship.gpx"
    path.write_text(assignment_gpx(ship), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert text.count("<rte>") == 3
    assert "<type>transit</type>" in text
    routes = read_gpx(path)
    assert [r.name for r in routes] == ["Patrol 101"]
    assert routes[0].lon.size == ship.pattern.lon.size


def test_distance_by_water_goes_round_absheron() -> None:
    """The raster estimate that ranks a vessel's areas agrees with the routed water path."""
    from littoral.search.seaway import Seaway

    datum = Datum(50.05, 40.63, 6.0)
    grid = from_datum(datum, frame=datum_frame([datum]))  # north-up: the raster on E/N axes
    baku = (49.87, 40.34)  # Baku Bay, south of the peninsula
    sea = Seaway.caspian(grid.frame, np.array([baku[0]]), np.array([baku[1]]))
    bx, by = (float(v) for v in grid.frame.to_xy_nm(*baku))
    hx, hy = sea.nearest_water(bx, by)
    by_water = sea.distance_from(bx, by)
    # north of Absheron (the datum) and a point east in open water
    for lon, lat in ((50.05, 40.63), (50.6, 40.3)):
        px, py = (float(v) for v in grid.frame.to_xy_nm(lon, lat))
        route = sea.route(hx, hy, *sea.nearest_water(px, py))
        assert route is not None
        routed = path_length_nm(route)
        estimate = float(by_water(np.array([px]), np.array([py]))[0])
        assert estimate >= np.hypot(px - bx, py - by) - 1e-9
        assert estimate == pytest.approx(routed, rel=0.15)
    # round the peninsula: far more than the 18 NM as the crow flies
    dx, dy = (float(v) for v in grid.frame.to_xy_nm(50.05, 40.63))
    assert float(by_water(np.array([dx]), np.array([dy]))[0]) > 2 * np.hypot(dx - bx, dy - by)
