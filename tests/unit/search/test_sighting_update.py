from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from scipy.special import erf

from littoral.errors import InputError
from littoral.search.allocation import plan_search
from littoral.search.detection import DetectionModel
from littoral.search.facilities import SearchUnit
from littoral.search.frame import GridFrame
from littoral.search.grid import ProbabilityGrid, open_water
from littoral.search.priors import Datum, datum_frame, from_datum, from_drift
from littoral.search.sighting import Track, detection_probability, draw_detection
from littoral.search.sweep_tables import Platform
from littoral.search.update import (
    CUMULATIVE_POS_ATTR,
    ROUNDS_ATTR,
    update_grid,
    update_grid_with_plan,
    update_grid_with_tracks,
    update_particles,
    update_particles_with_plan,
)

from .helpers import T0, drift_cloud

FRAME = GridFrame.local(51.0, 41.0)


def _track(x_nm: list[float], y_nm: list[float], w: float) -> Track:
    lon, lat = FRAME.to_lonlat(np.array(x_nm), np.array(y_nm))
    return Track(lon, lat, w, "t")


def test_lateral_range_curve_of_a_long_leg() -> None:
    w = 1.0
    track = _track([-40.0, 40.0], [0.0, 0.0], w)
    x = np.array([0.25, 0.5, 1.0, 2.0])
    lon, lat = FRAME.to_lonlat(np.zeros_like(x), x)
    p = detection_probability(track, lon, lat)
    expected = 1 - np.exp(-(w**2) / (4 * math.pi * x**2))
    assert np.allclose(p, expected, rtol=0.01)
    on_track = detection_probability(track, *FRAME.to_lonlat(np.array([0.0]), np.array([0.0])))
    assert float(on_track[0]) == pytest.approx(1.0)


def test_splitting_a_leg_changes_nothing() -> None:
    one = _track([-10.0, 10.0], [0.0, 0.0], 1.5)
    many = _track(list(np.linspace(-10, 10, 57)), [0.0] * 57, 1.5)
    rng = np.random.default_rng(3)
    px, py = rng.uniform(-12, 12, 300), rng.uniform(-3, 3, 300)
    lon, lat = FRAME.to_lonlat(px, py)
    assert np.allclose(detection_probability(one, lon, lat), detection_probability(many, lon, lat))


def test_parallel_legs_average_to_inverse_cube_pod() -> None:
    w, s = 1.0, 1.25
    xs, ys = [], []
    for k in range(-20, 21):
        ends = [-60.0, 60.0] if k % 2 == 0 else [60.0, -60.0]
        xs += ends
        ys += [k * s, k * s]
    track = _track(xs, ys, w)
    py = np.linspace(0, s, 200, endpoint=False)
    lon, lat = FRAME.to_lonlat(np.zeros_like(py), py)
    mean_p = float(detection_probability(track, lon, lat).mean())
    assert mean_p == pytest.approx(float(erf(math.sqrt(math.pi) * w / (2 * s))), abs=0.005)


def test_draw_detection_is_seeded_and_matches_probability() -> None:
    track = _track([-50.0, 50.0], [0.0, 0.0], 1.0)
    lon, lat = FRAME.to_lonlat(np.zeros(20000), np.full(20000, 0.5))
    p = float(detection_probability(track, lon[:1], lat[:1])[0])
    a = draw_detection(track, lon, lat, np.random.default_rng(11))
    b = draw_detection(track, lon, lat, np.random.default_rng(11))
    assert (a == b).all()
    assert float(a.mean()) == pytest.approx(p, abs=0.015)


def test_three_unsuccessful_searches_follow_bayes_by_hand() -> None:
    frame = GridFrame(51.0, 41.0, 0.0, 0.0, 1.0, 2, 2)
    grid = ProbabilityGrid.from_mass(frame, [[0.4, 0.3], [0.2, 0.1]], np.ones((2, 2), bool))
    pods = [
        np.array([[0.5, 0.0], [0.0, 0.0]]),
        np.array([[0.5, 0.5], [0.0, 0.0]]),
        np.array([[0.0, 0.0], [0.8, 0.2]]),
    ]
    # by hand: round 1 leaves .2 .3 .2 .1 (of .8); round 2 leaves .1 .15 .2 .1 (of .55);
    # round 3 leaves .1 .15 .04 .08 (of .37)
    expected = [
        (np.array([[0.2, 0.3], [0.2, 0.1]]) / 0.8, 0.2),
        (np.array([[0.1, 0.15], [0.2, 0.1]]) / 0.55, 0.25 / 0.8),
        (np.array([[0.1, 0.15], [0.04, 0.08]]) / 0.37, 0.18 / 0.55),
    ]
    for pod, (p_exp, pos_exp) in zip(pods, expected, strict=True):
        grid, pos = update_grid(grid, pod)
        assert np.allclose(grid.p, p_exp)
        assert pos == pytest.approx(pos_exp)
    assert grid.cumulative_pos == pytest.approx(1 - 0.37)


def test_next_plan_moves_where_probability_remains() -> None:
    datum = Datum(51.0, 41.0, 6.0)
    grid = from_datum(datum, frame=datum_frame([datum], max_side_cells=80), water=open_water)
    model = DetectionModel("Raft 4 person", 10)
    ship = SearchUnit("Patrol", "AZ", Platform.VESSEL, 12, 8, 51.0, 41.0, 12, 14)
    first = plan_search(grid, [ship], model)
    after, pos = update_grid_with_plan(grid, first)
    assert pos == pytest.approx(first.pos)
    second = plan_search(after, [ship], model)
    r1, r2 = first.assignments[0].rect, second.assignments[0].rect
    assert r1 is not None
    assert r2 is not None
    # the searched area now holds less than before, and the new area is not the old one
    old_area_poc = float(after.p[r1.row0 : r1.row1, r1.col0 : r1.col1].sum())
    assert old_area_poc < first.assignments[0].poc
    assert r2 != r1
    assert second.assignments[0].poc > old_area_poc * 0.5
    after2, _ = update_grid_with_plan(after, second)
    assert after2.cumulative_pos == pytest.approx(1 - (1 - first.pos) * (1 - second.pos))


def test_grid_update_with_tracks_lowers_probability_under_the_track() -> None:
    datum = Datum(51.0, 41.0, 3.0)
    grid = from_datum(datum, water=open_water)
    track = _track([-10.0, 10.0], [0.0, 0.0], 1.0)
    post, pos = update_grid_with_tracks(grid, [track])
    assert 0 < pos < 1
    row = grid.frame.cell_of(0.0, 0.0)[1]
    assert post.p[row].sum() < grid.p[row].sum()
    assert post.total() == pytest.approx(1.0)


def test_particle_update_keeps_cloud_and_lowers_seen_weights() -> None:
    result = drift_cloud(n=800, spread_deg=0.05, speed_deg_h=0.0)
    result.status[:, :50] = 1  # stranded all along
    at = T0 + timedelta(hours=3)
    lon0, lat0 = 51.0, 41.0
    track = Track(np.array([lon0 - 0.2, lon0 + 0.2]), np.array([lat0, lat0]), 1.0, "helo")
    updated, pos = update_particles(result, [track], at)
    assert 0 < pos < 1
    assert updated.weight.sum() == pytest.approx(1.0)
    assert np.array_equal(updated.lon, result.lon)
    near = np.abs(result.lat[3] - lat0) < 0.005
    assert updated.weight[near].mean() < result.weight[near].mean()
    # stranded particles cannot be seen: their share grows
    assert updated.weight[:50].sum() > result.weight[:50].sum()
    assert float(updated.attrs[CUMULATIVE_POS_ATTR]) == pytest.approx(pos)
    again, pos2 = update_particles(updated, [track], at)
    assert again.attrs[ROUNDS_ATTR] == "2"
    assert float(again.attrs[CUMULATIVE_POS_ATTR]) == pytest.approx(1 - (1 - pos) * (1 - pos2))


def test_particle_update_uses_the_time_of_each_leg() -> None:
    result = drift_cloud(n=400, spread_deg=0.01, speed_deg_h=0.1, hours=6)
    times = result.times[[1, 1]]
    # a short leg across the cloud where it was at hour 1: seen then, not at hour 5
    lon1 = float(np.mean(result.lon[1]))
    t = Track(np.array([lon1, lon1]), np.array([40.95, 41.05]), 1.0, "x", times)
    pod_then, _ = update_particles(result, [t], T0 + timedelta(hours=5))
    t_now = Track(np.array([lon1, lon1]), np.array([40.95, 41.05]), 1.0, "x")
    _, pos_now = update_particles(result, [t_now], T0 + timedelta(hours=5))
    assert float(pod_then.attrs[CUMULATIVE_POS_ATTR]) > 0.3
    assert pos_now < 0.01
    late = Track(t.lon, t.lat, 1.0, "late", result.times[[-1, -1]] + np.timedelta64(7200, "s"))
    with pytest.raises(InputError, match="outside the drift run"):
        update_particles(result, [late], T0 + timedelta(hours=5))


def test_particle_update_with_plan_matches_grid_pos() -> None:
    result = drift_cloud(n=3000, spread_deg=0.08, speed_deg_h=0.0)
    at = T0 + timedelta(hours=2)
    grid = from_drift(result, at, water=open_water, smooth_nm=0.0)
    ship = SearchUnit("Patrol", "AZ", Platform.VESSEL, 12, 6, 51.0, 41.0, 12, 14)
    plan = plan_search(grid, [ship], DetectionModel("Raft 4 person", 10))
    updated, pos = update_particles_with_plan(result, plan, at)
    assert pos == pytest.approx(plan.pos, rel=1e-6)
    regridded = from_drift(updated, at, frame=grid.frame, water=open_water, smooth_nm=0.0)
    post, _ = update_grid_with_plan(grid, plan)
    assert np.allclose(regridded.p, post.p, atol=1e-12)
