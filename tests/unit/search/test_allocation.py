from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from littoral.errors import InputError
from littoral.search.allocation import plan_search
from littoral.search.detection import DetectionModel
from littoral.search.facilities import SearchUnit
from littoral.search.grid import open_water
from littoral.search.patterns import PatternKind
from littoral.search.priors import Datum, datum_frame, from_datum
from littoral.search.sweep_tables import Platform

DATUM = Datum(51.0, 41.0, 8.0)
MODEL = DetectionModel("Raft 4 person", visibility_nm=10)
SHIP = SearchUnit("Patrol", "AZ", Platform.VESSEL, 12, 10, 51.0, 41.0, 12, 14)
HELO = SearchUnit("Helo", "RU", Platform.HELICOPTER, 90, 3, 51.3, 41.2, 120, 500)
BOAT = SearchUnit(
    "Boat", "KZ", Platform.VESSEL, 10, 12, 50.8, 40.9, 14, 8, pattern=PatternKind.CREEPING
)


@pytest.fixture(scope="module")
def prior():
    return from_datum(DATUM, frame=datum_frame([DATUM], max_side_cells=120), water=open_water)


def test_one_unit_reaches_80_percent_of_bound(prior) -> None:
    # every mile counts (cross-legs, the transit to the CSP and back from the last leg, the
    # reserve); the bound counts none of it
    plan = plan_search(prior, [SHIP], MODEL)
    assert plan.ratio_to_bound >= 0.80
    assert plan.ratio_to_bound <= 1.0 + 1e-9
    a = plan.assignments[0]
    assert a.pos == pytest.approx(a.pod * a.poc)
    assert a.coverage == pytest.approx(a.sweep_width.corrected_nm / a.spacing_nm)
    # the unit's pattern fits its time on scene (base at the datum: no transit)
    assert a.time_on_scene_h <= SHIP.endurance_h + 1e-9
    assert a.pattern is not None
    assert a.pattern.length_nm / SHIP.speed_kn == pytest.approx(a.time_on_scene_h)


def test_three_units_reach_85_percent_and_do_not_overlap(prior) -> None:
    plan = plan_search(prior, [SHIP, HELO, BOAT], MODEL)
    assert plan.ratio_to_bound >= 0.80
    rects = [a.rect for a in plan.assignments]
    assert all(r is not None for r in rects)
    for i in range(3):
        for j in range(i + 1, 3):
            assert not rects[i].overlaps(rects[j])  # type: ignore[union-attr]
    # areas do not overlap; only the turns' half-strips beyond an edge may meet (those of
    # the second passes too, whose twice-swept parts reach the edges nearest the datum)
    assert plan.pos >= 0.9 * sum(a.pos for a in plan.assignments)
    assert plan.pos <= sum(a.pos for a in plan.assignments) + 1e-12
    pod = plan.pod_grid()
    assert float((prior.p * pod).sum()) == pytest.approx(plan.pos)


def test_transit_comes_out_of_endurance(prior) -> None:
    near = plan_search(prior, [SHIP], MODEL).assignments[0]
    far_ship = SearchUnit("Far", "AZ", Platform.VESSEL, 12, 10, 51.0, 41.5, 12, 14)
    far = plan_search(prior, [far_ship], MODEL).assignments[0]
    # open water: the transit is the straight way from base (30 NM north) to the CSP
    assert far.pattern is not None
    bx, by = prior.frame.to_xy_nm(far_ship.base_lon, far_ship.base_lat)
    csp = (float(far.pattern.x_nm[0]), float(far.pattern.y_nm[0]))
    assert far.transit_nm == pytest.approx(math.hypot(csp[0] - float(bx), csp[1] - float(by)))
    assert far.transit_nm > 15
    assert far.pos < near.pos
    too_far = SearchUnit("Away", "AZ", Platform.VESSEL, 12, 4, 51.0, 42.5, 12, 14)
    none = plan_search(prior, [too_far], MODEL).assignments[0]
    assert none.rect is None
    assert none.pos == 0.0
    assert "no area" in none.note


def test_expanding_square_unit_gets_a_square(prior) -> None:
    sq = SearchUnit(
        "SQ", "TM", Platform.VESSEL, 10, 6, 51.0, 41.0, 10, 14,
        pattern=PatternKind.EXPANDING_SQUARE,
    )  # fmt: skip
    a = plan_search(prior, [sq], MODEL).assignments[0]
    assert a.rect is not None
    assert a.rect.n_rows == a.rect.n_cols
    assert a.pattern is not None
    assert a.pattern.kind is PatternKind.EXPANDING_SQUARE


def test_land_is_not_searched() -> None:
    def east_is_land(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return np.asarray(lon < 51.05)

    grid = from_datum(DATUM, water=east_is_land)
    plan = plan_search(grid, [SHIP, HELO], MODEL)
    for a in plan.assignments:
        assert a.rect is not None
        assert a.poc > 0


def test_plan_refuses_no_units(prior) -> None:
    with pytest.raises(InputError, match="at least one unit"):
        plan_search(prior, [], MODEL)
    with pytest.raises(InputError, match="names must differ"):
        plan_search(prior, [SHIP, SHIP], MODEL)


def test_iamsar_effort_arithmetic_of_an_assignment(prior) -> None:
    """IAMSAR: Z = V T W; with parallel legs, A = n L_leg S, and C = W / S."""
    away = replace(SHIP, base_lat=41.3)  # 18 NM north: outside its area, so it transits
    a = plan_search(prior, [away], MODEL, repass=False).assignments[0]
    assert a.rect is not None
    assert a.pattern is not None
    assert a.outline is not None
    w = a.sweep_width.corrected_nm
    # 14 ft eye, 4-person raft, 10 NM: 4.0 NM from the table, no corrections
    assert w == pytest.approx(4.0)
    assert a.coverage == pytest.approx(w / a.spacing_nm)
    x, y = a.pattern.x_nm, a.pattern.y_nm
    legs = np.hypot(np.diff(x), np.diff(y))
    n_legs = a.pattern.lon.size // 2
    leg_nm = float(legs[0])
    assert a.area_nm2 == pytest.approx(n_legs * a.spacing_nm * leg_nm, rel=1e-6)
    # every mile counts: legs, cross-legs and both transits fit the endurance less the
    # reserve (10 %), the search 85 % of the time on scene
    assert a.pattern.length_nm == pytest.approx(n_legs * leg_nm + (n_legs - 1) * a.spacing_nm)
    # C = Z / A with Z = W L: a whole pattern lays W / S plus its cross-legs
    assert a.swept_coverage == pytest.approx(w * a.pattern.length_nm / a.area_nm2)
    assert a.coverage <= a.swept_coverage <= a.coverage * (1 + 1 / leg_nm * a.spacing_nm)
    assert a.route_out is not None
    assert a.route_back is not None
    from littoral.search.seaway import path_length_nm

    transit_nm = sum(
        path_length_nm(np.column_stack(prior.frame.to_xy_nm(*r)))
        for r in (a.route_out, a.route_back)
    )
    on_scene_h = 10 - 1.0 - transit_nm / 12
    assert a.pattern.length_nm <= 0.85 * on_scene_h * 12 * (1 + 1e-6)
    # the POS is what the swept legs achieve, and no more than uniform coverage W / S would
    assert a.pos == pytest.approx(float((prior.p * a.pod_cells).sum()))


def test_unit_based_inside_its_area_searches_from_base(prior) -> None:
    """A ship at the datum searches on its way out and home: no unsearched transit."""
    plan = plan_search(prior, [SHIP], MODEL)
    a = plan.assignments[0]
    assert a.pattern is not None
    x, y = a.pattern.x_nm, a.pattern.y_nm
    bx, by = prior.frame.to_xy_nm(SHIP.base_lon, SHIP.base_lat)
    assert np.hypot(x[0] - bx, y[0] - by) < 1e-6
    assert a.transit_nm == pytest.approx(0.0, abs=1e-9)
    # search at search speed (85 % of the time on scene) and any way home left after a
    # pattern cut short fit the endurance less the reserve
    from littoral.search.seaway import path_length_nm

    assert a.route_back is not None
    back_nm = path_length_nm(np.column_stack(prior.frame.to_xy_nm(*a.route_back)))
    assert a.pattern.length_nm <= 0.85 * (10 - 1.0 - back_nm / 12) * 12 * (1 + 1e-6)
    # better than the same unit reaching its area from 18 NM away
    away = plan_search(prior, [replace(SHIP, base_lat=41.3)], MODEL)
    assert plan.pos > away.pos
    assert plan.ratio_to_bound >= 0.9


def test_assignment_track_carries_sweep_width_and_times(prior) -> None:
    from datetime import UTC, datetime

    from littoral.search.sighting import detection_probability

    a = plan_search(prior, [HELO], MODEL).assignments[0]
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    track = a.track(start)
    assert track.sweep_width_nm == a.sweep_width.corrected_nm
    duration_s = (track.times[-1] - track.times[0]).astype(int)
    assert duration_s == pytest.approx(a.time_on_scene_h * 3600, abs=2)
    # an object on the first leg is seen; one far outside the area is not
    mid_lon = (a.pattern.lon[0] + a.pattern.lon[1]) / 2  # type: ignore[union-attr]
    mid_lat = (a.pattern.lat[0] + a.pattern.lat[1]) / 2  # type: ignore[union-attr]
    p = detection_probability(track, [mid_lon, 53.0], [mid_lat, 43.0])
    assert p[0] > 0.99
    assert p[1] < 1e-3  # the inverse-cube tail is long, but small far away


def test_ratio_compares_like_with_like_under_inverse_cube(prior) -> None:
    from littoral.search.detection import DetectionLaw
    from littoral.search.optimal import water_filling

    ideal = DetectionModel("Raft 4 person", visibility_nm=10, law=DetectionLaw.INVERSE_CUBE)
    plan = plan_search(prior, [SHIP], ideal)
    assert plan.law is DetectionLaw.INVERSE_CUBE
    assert plan.ratio_to_bound == pytest.approx(plan.pos / plan.bound.pos)
    assert plan.pos <= plan.bound.pos
    assert 0.80 <= plan.ratio_to_bound <= 1.0
    # the bound is the optimum under the plan's law: more than the exponential one
    exponential = water_filling(prior.p, prior.cell_area_nm2, plan.bound.effort_nm2)
    assert plan.bound.pos > exponential.pos


def test_track_spacing_respects_the_platform_minimum(prior) -> None:
    from littoral.search.facilities import MIN_SPACING_NM

    # a person in the water from a helicopter in 25 kn: sweep width about 0.05 NM
    piw = DetectionModel("Person in Water", visibility_nm=10, wind_kn=20)
    plan = plan_search(prior, [HELO, SHIP], piw)
    for a in plan.assignments:
        assert a.pattern is not None
        assert a.spacing_nm >= MIN_SPACING_NM[a.unit.platform] - 1e-9
    helo = plan.assignments[0]
    assert helo.sweep_width.corrected_nm < MIN_SPACING_NM[Platform.HELICOPTER]


def test_a_sector_search_is_planned_on_a_small_datum() -> None:
    datum = Datum(51.0, 41.0, 1.0)
    grid = from_datum(datum, water=open_water)
    boat = SearchUnit(
        "Boat", "AZ", Platform.VESSEL, 10, 6, 51.05, 41.0, 14, 8, pattern=PatternKind.SECTOR
    )
    a = plan_search(grid, [boat], MODEL).assignments[0]
    assert a.pattern is not None
    assert a.pattern.kind is PatternKind.SECTOR
    x, y = a.pattern.x_nm, a.pattern.y_nm
    legs = np.hypot(np.diff(x), np.diff(y))
    assert legs.size == 9
    assert np.allclose(legs, legs[0])  # nine legs of the radius
    assert x[0] == pytest.approx(x[-1])  # it ends where it began, on the datum
    assert y[0] == pytest.approx(y[-1])
    assert 0 < a.pos < 1
    assert a.pattern.length_nm <= 10 * boat.search_hours(0.0) * (1 + 1e-9)
