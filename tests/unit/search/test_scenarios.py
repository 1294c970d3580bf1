"""Scenario shares of the mixture and Bayes' rule over scenarios, against closed forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from littoral.drift import ConstantForcing, DriftRequest, PointSeed
from littoral.drift.mixture import components_of, run_mixture, scenario_shares
from littoral.drift.scenarios import scenario_from_mapping
from littoral.search.grid import open_water
from littoral.search.priors import Datum, datum_frame, from_datum
from littoral.search.scenarios import ScenarioMap, particle_shares_after
from littoral.search.sighting import Track
from littoral.search.update import particle_pod_from_tracks, update_particles

T0 = datetime(2026, 5, 1, 6, tzinfo=UTC)
A = Datum(50.6, 41.5, 2.0)
B = Datum(51.4, 41.5, 2.0)  # about 36 NM east: the two normals do not overlap


def _map(w: float) -> ScenarioMap:
    frame = datum_frame([A, B], radius_sigmas=6.0)  # nothing outside the frame
    grids = [from_datum(d, frame=frame, water=open_water) for d in (A, B)]
    return ScenarioMap.of(["A", "B"], [w, 1 - w], grids)


def _west(smap: ScenarioMap) -> np.ndarray:
    frame = smap.grids[0].frame
    x_mid, _ = frame.to_xy_nm(51.0, 41.5)
    xc = (frame.x_edges_nm()[:-1] + frame.x_edges_nm()[1:]) / 2
    return np.broadcast_to(xc < x_mid, frame.shape)


@pytest.mark.parametrize("w", [0.1, 0.5, 0.77])
def test_the_mixture_holds_each_scenario_s_weight_on_its_side(w: float) -> None:
    smap = _map(w)
    grid = smap.grid()
    west = _west(smap)
    on = 1 - grid.outside_probability
    assert float(grid.p[west].sum()) * on == pytest.approx(w, abs=1e-6)
    assert float(grid.p[~west].sum()) * on == pytest.approx(1 - w, abs=1e-6)
    assert grid.total() == pytest.approx(1.0)


@pytest.mark.parametrize(("w", "q"), [(0.5, 0.6), (0.8, 0.9), (0.3, 0.25)])
def test_an_unsuccessful_search_over_a_moves_weight_to_b_by_bayes_rule(w: float, q: float) -> None:
    smap = _map(w)
    pod = np.where(_west(smap), q, 0.0)  # POD q over all of A's side, nothing over B
    after = smap.after_search(pod).shares()
    mass_a = float(np.sum(smap.grids[0].p[_west(smap)]))  # A's mass on its side (~1)
    pos_a = (1 - smap.grids[0].outside_probability) * mass_a * q
    expected_a = w * (1 - pos_a) / (1 - w * pos_a)
    assert after["A"] == pytest.approx(expected_a, rel=1e-12)
    assert after["B"] == pytest.approx(1 - expected_a, rel=1e-12)
    # and the mixture's own Bayes update agrees: the west mass after is A's new share
    posterior, _ = smap.grid().after_search(pod)
    assert float(posterior.p[_west(smap)].sum()) == pytest.approx(expected_a, rel=1e-5)


def _mixture_drift(w: float):  # type: ignore[no-untyped-def]
    template = DriftRequest(
        object_class="PIW-1",
        seeding=PointSeed(51.0, 41.5),
        time=T0,
        duration=timedelta(hours=2),
        forcing=[ConstantForcing.from_observation(wind=(0.0, 0.0), current=(0.0, 0.0))],
        output_step=timedelta(hours=1),
        particles=2000,
        seed=3,
        coast=False,
    )
    scenarios = [
        scenario_from_mapping({"name": "A", "weight": w, "lat": A.lat, "lon": A.lon}, T0),
        scenario_from_mapping({"name": "B", "weight": 1 - w, "lat": B.lat, "lon": B.lon}, T0),
    ]
    return run_mixture(template, scenarios)


@pytest.mark.parametrize("w", [0.4, 0.7])
def test_particles_searched_over_a_move_weight_to_b_exactly(w: float) -> None:
    result = _mixture_drift(w)
    assert scenario_shares(result)["A"] == pytest.approx(w, abs=1e-12)
    # a parallel sweep over A's datum (4 legs 6 NM long, 1 NM apart), nowhere near B
    dx = np.array([-1.5, -1.5, -0.5, -0.5, 0.5, 0.5, 1.5, 1.5]) / 45.0
    dy = np.array([-3, 3, 3, -3, -3, 3, 3, -3]) / 60.0
    track = Track(A.lon + dx, A.lat + dy, 1.0, "Patrol 101")
    at = T0 + timedelta(hours=1)
    updated, pos = update_particles(result, [track], at)
    assert 0.05 < pos < w
    shares = scenario_shares(updated)
    # B's particles are out of reach, so POS is all A's: A keeps (w - POS) / (1 - POS)
    assert shares["A"] == pytest.approx((w - pos) / (1 - pos), rel=1e-12)
    assert shares["B"] == pytest.approx((1 - w) / (1 - pos), rel=1e-12)
    before, after = particle_shares_after(result, particle_pod_from_tracks(result, [track], at))
    assert before == pytest.approx({"A": w, "B": 1 - w})
    assert after == pytest.approx(shares, rel=1e-12)
    assert [c.scenario for c in components_of(updated)] == ["A", "B"]


def test_coverage_judges_only_positions_near_a_track_and_loses_nothing() -> None:
    from littoral.search.sighting import laea_xy_nm
    from littoral.search.swept import leg_coverage
    from littoral.search.update import _coverage

    rng = np.random.default_rng(4)
    lon = 51.0 + rng.normal(0, 0.4, 50_000)
    lat = 41.0 + rng.normal(0, 0.3, 50_000)
    lon[:10] = np.nan
    legs = np.array([50.9, 51.2, 51.2, 50.9, 50.9]), np.array([40.9, 40.9, 40.95, 40.95, 41.0])
    track = Track(legs[0], legs[1], 0.8, "t", spacing_nm=1.5)
    lon0, lat0, tx, ty = track.plane
    px, py = laea_xy_nm(lon0, lat0, lon, lat)
    everywhere = leg_coverage(px, py, tx, ty, 0.8, 1.5)
    everywhere = np.where(np.isfinite(px) & np.isfinite(py), everywhere, 0.0)
    np.testing.assert_array_equal(_coverage(track, lon, lat), everywhere)
    assert 1000 < int((everywhere > 0).sum()) < 40_000
