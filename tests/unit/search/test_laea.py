"""The compiled Lambert azimuthal equal-area projection against pyproj's ``laea``."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer

from littoral.search import GridFrame
from littoral.search.laea import PARALLEL_FROM, laea_forward_nm
from littoral.units import M_PER_NM


def _pyproj_nm(lon0: float, lat0: float, lon: np.ndarray, lat: np.ndarray):  # type: ignore[no-untyped-def]
    laea = f"+proj=laea +lat_0={lat0!r} +lon_0={lon0!r} +ellps=WGS84 +units=m +no_defs"
    x, y = Transformer.from_crs("EPSG:4326", laea, always_xy=True).transform(lon, lat)
    return np.asarray(x) / M_PER_NM, np.asarray(y) / M_PER_NM


@pytest.mark.parametrize("n", [PARALLEL_FROM - 1, PARALLEL_FROM])  # serial and parallel loops
@pytest.mark.parametrize(("lon0", "lat0"), [(50.3, 41.7), (47.0, 46.8), (53.9, 36.6), (0.0, 0.0)])
def test_forward_equals_pyproj(lon0: float, lat0: float, n: int) -> None:
    rng = np.random.default_rng(4)
    lon, lat = lon0 + rng.uniform(-4, 4, n), lat0 + rng.uniform(-4, 4, n)
    x, y = laea_forward_nm(lon0, lat0, lon, lat)
    xr, yr = _pyproj_nm(lon0, lat0, lon, lat)
    assert np.abs(x - xr).max() < 1e-9
    assert np.abs(y - yr).max() < 1e-9
    assert np.abs(x).max() > 100  # the check spans hundreds of NM, not a point


def test_turned_axes_and_shapes() -> None:
    rng = np.random.default_rng(5)
    lon, lat = 51 + rng.uniform(-1, 1, (30, 40)), 41 + rng.uniform(-1, 1, (30, 40))
    x, y = laea_forward_nm(51.0, 41.0, lon, lat, rotation_deg=30.0)
    assert x.shape == (30, 40)
    xr, yr = _pyproj_nm(51.0, 41.0, lon, lat)
    a = np.radians(30.0)
    assert np.allclose(x, xr * np.cos(a) + yr * np.sin(a), atol=1e-9)
    assert np.allclose(y, -xr * np.sin(a) + yr * np.cos(a), atol=1e-9)


def test_grid_frame_round_trip_and_nan() -> None:
    frame = GridFrame(lon0=50.0, lat0=40.0, x0_nm=-30, y0_nm=-30, cell_nm=1.0, nx=60, ny=60,
                      rotation_deg=-35.0)  # fmt: skip
    gx, gy = frame.centres_xy_nm()
    lon, lat = frame.to_lonlat(gx, gy)  # pyproj's inverse
    x, y = frame.to_xy_nm(lon, lat)  # the compiled forward
    # PROJ's inverse takes the authalic latitude from a series: good to a few millimetres
    assert np.abs(x - gx).max() < 1e-6
    assert np.abs(y - gy).max() < 1e-6
    nx, ny = frame.to_xy_nm([np.nan, 50.0], [40.0, np.nan])
    assert np.isnan(nx).all()
    assert np.isnan(ny).all()
    assert frame.to_xy_nm(np.zeros(0), np.zeros(0))[0].shape == (0,)


@pytest.mark.parametrize("seed", range(6))
def test_extent_equals_the_extremes_of_every_point(seed: int) -> None:
    from littoral.search.laea import laea_extent_nm

    rng = np.random.default_rng(seed)
    spread = [0.01, 0.3, 2.0, 6.0, 0.5, 1.0][seed]
    lon0, lat0 = float(rng.uniform(47, 54)), float(rng.uniform(37, 47))
    lon = lon0 + spread * rng.standard_normal(50_000) * rng.uniform(0.2, 3)
    lat = lat0 + spread * rng.standard_normal(50_000)
    lon[::997] = np.nan  # fill values are passed over
    rotation = float(rng.uniform(-90, 90))
    x, y = laea_forward_nm(lon0 + 0.1, lat0 - 0.1, lon, lat, rotation)
    want = (np.nanmin(x), np.nanmax(x), np.nanmin(y), np.nanmax(y))
    got = laea_extent_nm(lon0 + 0.1, lat0 - 0.1, lon, lat, rotation)
    assert got == want
