"""Seeding shapes and release windows; GeoJSON summaries, density grid, NetCDF of a run."""

import json
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import shapely
from drift_helpers import T0

from littoral.drift import (
    ConstantForcing,
    LineSeed,
    ParticleStatus,
    PointSeed,
    PolygonSeed,
    read_netcdf,
    run,
)
from littoral.errors import InputError
from littoral.geo import haversine_m


def test_point_seed_normal_and_uniform_radius() -> None:
    rng = np.random.default_rng(1)
    f = np.zeros(20_000)
    lon, lat = PointSeed(51.0, 42.0, 1000.0).positions(20_000, f, rng)
    d = haversine_m(lon, lat, 51.0, 42.0)
    # normal per axis with sigma = radius: the distance is Rayleigh, mean sigma*sqrt(pi/2)
    assert d.mean() == pytest.approx(1000.0 * np.sqrt(np.pi / 2), rel=0.02)
    lon, lat = PointSeed(51.0, 42.0, 1000.0, "uniform").positions(20_000, f, rng)
    d = haversine_m(lon, lat, 51.0, 42.0)
    assert d.max() <= 1000.0 + 1e-6
    assert np.mean(d < 500.0) == pytest.approx(0.25, abs=0.02)
    with pytest.raises(InputError, match="radius_m=-1"):
        PointSeed(51.0, 42.0, -1.0).positions(3, np.zeros(3), rng)


def test_line_seed_follows_release_time_and_polygon_is_uniform() -> None:
    rng = np.random.default_rng(2)
    frac = np.linspace(0, 1, 11)
    lon, lat = LineSeed(50.0, 40.0, 52.0, 40.0).positions(11, frac, rng)
    assert lon[0] == pytest.approx(50.0)
    assert lon[-1] == pytest.approx(52.0)
    assert np.all(np.diff(lon) > 0)
    ring = [(50.0, 40.0), (51.0, 40.0), (51.0, 41.0), (50.0, 41.0)]
    lon, lat = PolygonSeed(ring).positions(5000, np.zeros(5000), rng)
    assert np.all(shapely.contains_xy(shapely.Polygon(ring), lon, lat))
    assert np.mean(lon < 50.5) == pytest.approx(0.5, abs=0.03)
    with pytest.raises(InputError, match="polygon"):
        PolygonSeed([(50.0, 40.0), (51.0, 40.0)]).positions(3, np.zeros(3), rng)


def test_release_window_keeps_particles_waiting(make_request) -> None:
    forcing = [ConstantForcing.from_observation(wind=(0.0, 0.0), current=(90.0, 1.0))]
    res = run(make_request(forcing=forcing, release_end=T0 + timedelta(hours=12), particles=13,
                           leeway_spread=False))  # fmt: skip
    assert np.sum(res.status[0] == ParticleStatus.NOT_RELEASED) == 12
    assert np.all(res.status[12] == ParticleStatus.ACTIVE)
    # the last one released 12 h late has drifted 12 h less
    d = haversine_m(res.lon[-1], res.lat[-1], res.lon[0], res.lat[0])
    assert d[0] - d[-1] == pytest.approx(12 * 1852.0, rel=1e-4)
    with pytest.raises(InputError, match="release_end"):
        run(make_request(release_end=T0 - timedelta(hours=1)))


def test_run_round_trips_through_netcdf_and_geojson(tmp_path: Path, make_request) -> None:
    forcing = [ConstantForcing.from_observation(wind=(330.0, 22.0), current=(120.0, 0.3))]
    res = run(make_request(forcing=forcing, particles=2000,
                           seeding=PointSeed(51.0, 42.0, 1500.0)))  # fmt: skip
    res.to_netcdf(tmp_path / "case.nc")
    back = read_netcdf(tmp_path / "case.nc")
    np.testing.assert_allclose(back.lon, res.lon, rtol=0, atol=4e-6)  # float32 in the file
    np.testing.assert_array_equal(back.status, res.status)
    assert back.attrs["forcing_wind"].startswith("constant wind from 330")
    doc = res.to_geojson(tmp_path / "case.geojson")
    loaded = json.loads((tmp_path / "case.geojson").read_text())
    assert loaded == json.loads(json.dumps(doc))
    kinds = [f["properties"]["kind"] for f in doc["features"]]
    assert kinds[0] == "centroid_track"
    assert len(doc["features"][0]["geometry"]["coordinates"]) == res.n_times
    areas = [f for f in doc["features"] if f["properties"]["kind"] == "containment"]
    assert {f["properties"]["time"] for f in areas} == {"2026-01-11T06:00:00Z",
                                                         "2026-01-12T06:00:00Z"}  # fmt: skip
    # the 90 % area holds about 90 % of the particles, and contains the 50 % one
    last = [f for f in areas if f["properties"]["time"].startswith("2026-01-12")]
    polys = {f["properties"]["level"]: shapely.geometry.shape(f["geometry"]) for f in last}
    inside = shapely.contains_xy(polys[0.9], res.lon[-1], res.lat[-1]).mean()
    assert inside == pytest.approx(0.9, abs=0.04)
    assert shapely.contains_xy(polys[0.5], res.lon[-1], res.lat[-1]).mean() == pytest.approx(
        0.5, abs=0.06
    )
    assert polys[0.9].buffer(1e-9).contains(polys[0.5])
    grid = res.density(res.n_times - 1)
    assert grid.probability.sum() == pytest.approx(1.0)
    assert grid.probability.shape == (grid.lat_edges.size - 1, grid.lon_edges.size - 1)
