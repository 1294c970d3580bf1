from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.drift.result import DriftResult, ParticleStatus
from littoral.errors import InputError
from littoral.search.frame import GridFrame
from littoral.search.grid import ProbabilityGrid, mixture, open_water
from littoral.search.priors import (
    Datum,
    datum_frame,
    from_datum,
    from_drift,
    from_scenarios,
    positions_at,
    total_probable_error_nm,
)

from .helpers import T0, drift_cloud


def test_frame_cells_are_equal_area_and_round_trip() -> None:
    frame = GridFrame.covering([50.0, 52.0], [40.0, 42.0], cell_nm=2.0)
    gx, gy = frame.centres_xy_nm()
    lon, lat = frame.to_lonlat(gx, gy)
    bx, by = frame.to_xy_nm(lon, lat)
    assert np.allclose(bx, gx, atol=1e-6)
    assert np.allclose(by, gy, atol=1e-6)
    # one degree of latitude is about 60 NM on the projected grid
    _, y0 = frame.to_xy_nm(51.0, 40.0)
    _, y1 = frame.to_xy_nm(51.0, 41.0)
    assert float(y1 - y0) == pytest.approx(60.0, rel=0.01)


def test_frame_refuses_bad_cell() -> None:
    with pytest.raises(InputError, match="cell_nm"):
        GridFrame(51.0, 41.0, 0.0, 0.0, -1.0, 10, 10)


def test_total_probable_error() -> None:
    assert total_probable_error_nm(3.0, 4.0, 12.0) == pytest.approx(13.0)
    with pytest.raises(InputError, match="de_nm"):
        total_probable_error_nm(1.0, 1.0, -2.0)


def test_datum_prior_half_inside_probable_error_circle() -> None:
    datum = Datum(51.0, 41.0, error_nm=5.0)
    grid = from_datum(datum, frame=datum_frame([datum], max_side_cells=200), water=open_water)
    assert grid.total() == pytest.approx(1.0)
    gx, gy = grid.frame.centres_xy_nm()
    inside = np.hypot(gx, gy) <= 5.0
    assert float(grid.p[inside].sum()) == pytest.approx(0.5, abs=0.02)
    assert grid.outside_probability < 0.003


def test_datum_prior_is_conditioned_on_water() -> None:
    """The half of the normal over land is dropped, not piled on the shoreline: the water
    half is the normal renormalised (twice the open-sea cell masses)."""
    datum = Datum(51.0, 41.0, error_nm=5.0)

    def west_is_land(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return np.asarray(lon > 51.0)

    grid = from_datum(datum, water=west_is_land)
    free = from_datum(datum, frame=grid.frame, water=open_water)
    assert grid.total() == pytest.approx(1.0)
    assert float(grid.p[~grid.water].sum()) == 0.0
    on_water = float(free.p[grid.water].sum())
    assert on_water == pytest.approx(0.5, abs=0.03)
    np.testing.assert_allclose(grid.p[grid.water], free.p[grid.water] / on_water, rtol=1e-9)
    # the first water column holds what the normal gives it, no ridge
    first_water_col = int(np.argmax(grid.water.any(axis=0)))
    assert grid.p[:, first_water_col].sum() < 0.05


def test_datum_wholly_ashore_is_refused() -> None:
    def all_land(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return np.asarray(lon > 60.0)

    with pytest.raises(InputError, match="falls on water"):
        from_datum(Datum(51.0, 41.0, error_nm=1.0), water=all_land)


def test_two_scenarios_weighted() -> None:
    a = Datum(50.8, 41.0, 3.0)
    b = Datum(51.2, 41.0, 3.0)
    grid = from_scenarios([a, b], [3.0, 1.0], water=open_water)
    assert grid.total() == pytest.approx(1.0)
    gx, _ = grid.frame.centres_xy_nm()
    xa, _ = grid.frame.to_xy_nm(a.lon, a.lat)
    xb, _ = grid.frame.to_xy_nm(b.lon, b.lat)
    mid = (float(xa) + float(xb)) / 2
    west = float(grid.p[gx < mid].sum())
    assert west == pytest.approx(0.75, abs=0.01)


def test_mixture_refuses_bad_weights() -> None:
    g = from_datum(Datum(51.0, 41.0, 2.0), water=open_water)
    with pytest.raises(InputError, match="weights"):
        mixture([g, g], [1.0, -1.0])


def test_drift_prior_interpolates_in_time_and_reports_stranded() -> None:
    result = drift_cloud(n=500)
    result.status[3:, :100] = ParticleStatus.STRANDED
    grid = from_drift(result, T0 + timedelta(hours=2, minutes=15), water=open_water)
    assert grid.total() == pytest.approx(1.0)
    assert grid.stranded_probability == 0.0
    lon, _, _ = positions_at(result, T0 + timedelta(hours=2, minutes=15))
    assert np.allclose(lon, result.lon[2] + 0.0025)
    later = from_drift(result, T0 + timedelta(hours=4), water=open_water)
    assert later.stranded_probability == pytest.approx(0.2)
    assert later.total() == pytest.approx(1.0)


def test_drift_prior_refuses_time_outside_run() -> None:
    with pytest.raises(InputError, match="outside the drift run"):
        from_drift(drift_cloud(n=10), T0 - timedelta(hours=1), water=open_water)


def test_drift_prior_refuses_naive_time() -> None:
    with pytest.raises(InputError, match="naive"):
        from_drift(drift_cloud(n=10), T0.replace(tzinfo=None), water=open_water)


def test_bayes_after_search() -> None:
    frame = GridFrame(51.0, 41.0, 0.0, 0.0, 1.0, 2, 1)
    grid = ProbabilityGrid.from_mass(frame, [[0.5, 0.5]], np.ones((1, 2), bool))
    post, pos = grid.after_search([[0.5, 0.0]])
    assert pos == pytest.approx(0.25)
    assert post.p[0, 0] == pytest.approx(1 / 3)
    assert post.cumulative_pos == pytest.approx(0.25)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 60),
    seed=st.integers(0, 2**32 - 1),
    stranded_share=st.floats(0.0, 0.9),
    cell_nm=st.sampled_from([None, 0.5, 2.0]),
)
def test_drift_grid_always_sums_to_one(
    n: int, seed: int, stranded_share: float, cell_nm: float | None
) -> None:
    rng = np.random.default_rng(seed)
    lon = 51.0 + 0.3 * rng.standard_normal((2, n))
    lat = 41.0 + 0.3 * rng.standard_normal((2, n))
    status = np.where(rng.random((2, n)) < stranded_share, 1, 0).astype(np.int8)
    status[:, 0] = ParticleStatus.ACTIVE
    weight = rng.random(n) + 1e-3
    times = np.array(["2026-03-01T06:00", "2026-03-01T07:00"], dtype="datetime64[s]")
    result = DriftResult(times, lon, lat, status, weight / weight.sum(), seed, "PIW-1")

    lon[:, 0] = 51.5  # one particle well out at sea keeps a water cell in every grid

    def coast(lo: np.ndarray, la: np.ndarray) -> np.ndarray:
        return np.asarray(lo > 50.9)

    grid = from_drift(result, T0, cell_nm=cell_nm, water=coast)
    assert math.isclose(grid.total(), 1.0, rel_tol=1e-9)
    assert float(grid.p[~grid.water].sum()) == 0.0
    assert (grid.p >= 0).all()
    expected_stranded = float(weight[status[0] == 1].sum() / weight.sum())
    assert grid.stranded_probability == pytest.approx(expected_stranded)


def test_caspian_prior_holds_nothing_on_land() -> None:
    from littoral.geo import CaspianSea

    # off the Absheron peninsula: part of the 50 % circle is ashore
    grid = from_datum(Datum(50.05, 40.45, error_nm=8.0))
    lon, lat = grid.frame.centres_lonlat()
    sea = CaspianSea.load().contains(lon, lat)
    assert (~sea).any()
    assert float(grid.p[~sea].sum()) == 0.0
    assert grid.total() == pytest.approx(1.0)


@settings(max_examples=25, deadline=None)
@given(
    lons=st.lists(st.floats(50.5, 51.5), min_size=1, max_size=3),
    errors=st.lists(st.floats(0.5, 10.0), min_size=3, max_size=3),
    weights=st.lists(st.floats(0.01, 5.0), min_size=3, max_size=3),
)
def test_scenario_grid_always_sums_to_one(
    lons: list[float], errors: list[float], weights: list[float]
) -> None:
    datums = [Datum(lo, 41.0, e) for lo, e in zip(lons, errors, strict=False)]

    def coast(lo: np.ndarray, la: np.ndarray) -> np.ndarray:
        return np.asarray(la < 41.0 + 0.3 * (lo - 51.0) + 0.2)  # every datum is at sea

    grid = from_scenarios(datums, weights[: len(datums)], water=coast)
    assert math.isclose(grid.total(), 1.0, rel_tol=1e-9)
    assert float(grid.p[~grid.water].sum()) == 0.0


def test_datum_grid_turns_along_a_shore() -> None:
    """Off a shore the prior on water is elongated along it, and its grid turned to that
    axis (search rectangles then lie along the shore); in open water it stays north-up."""
    from littoral.search.frame import principal_axis_deg

    coast = from_datum(Datum(50.05, 40.63, error_nm=6.0))  # 5 km off the Absheron shore
    assert 5.0 < abs(coast.frame.rotation_deg) < 85.0
    assert coast.total() == pytest.approx(1.0)
    lon, lat = coast.frame.centres_lonlat()
    # turned to its own axis: the prior's axis on the turned grid is the grid's
    assert principal_axis_deg(lon, lat, coast.p) == pytest.approx(coast.frame.rotation_deg, abs=2.0)
    sea = from_datum(Datum(51.0, 41.0, error_nm=6.0), water=open_water)
    assert sea.frame.rotation_deg == 0.0
