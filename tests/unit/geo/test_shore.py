from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod, Transformer

from littoral.geo import CaspianSea
from littoral.geo.shore import andoyer_lambert_m, brute_force_index, shore_distances_m


@pytest.fixture(scope="module")
def sea() -> CaspianSea:
    return CaspianSea.load()


def _reference_m(sea: CaspianSea, lon: float, lat: float) -> float:
    """Shapely distance in an azimuthal equidistant projection centred on the point."""
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84")
    to_local = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    near = shapely.intersection(sea.shore, shapely.box(lon - 4, lat - 3, lon + 4, lat + 3))
    local = shapely.transform(
        near, lambda xy: np.column_stack(to_local.transform(xy[:, 0], xy[:, 1]))
    )
    return float(shapely.distance(local, shapely.Point(0.0, 0.0)))


def test_distance_matches_the_local_projection_reference(sea: CaspianSea) -> None:
    rng = np.random.default_rng(5)
    west, south, east, north = sea.bbox
    lon = np.concatenate([rng.uniform(west, east, 150), [49.85453, 49.85268, 51.18767]])
    lat = np.concatenate([rng.uniform(south, north, 150), [40.34008, 40.34529, 43.61823]])
    got = sea.distance_to_shore_m(lon, lat)
    ref = np.array([_reference_m(sea, x, y) for x, y in zip(lon, lat, strict=True)])
    tolerance = np.maximum(1.0, 0.001 * ref)
    assert np.all(np.abs(got - ref) <= tolerance), np.max(np.abs(got - ref) / tolerance)
    assert ref.max() > 100_000  # some points far from any shore


def test_index_and_brute_force_agree(sea: CaspianSea) -> None:
    rng = np.random.default_rng(6)
    lon = rng.uniform(46.0, 55.5, 20_000)
    lat = rng.uniform(36.0, 47.8, 20_000)
    fast = shore_distances_m(sea.shore_index, lon, lat)
    slow = shore_distances_m(brute_force_index(sea.mask), lon, lat)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-6)


def test_points_off_baku_are_three_hundred_metres_out(sea: CaspianSea) -> None:
    d = sea.distance_to_shore_m([49.85453, 49.85268], [40.34008, 40.34529])
    np.testing.assert_allclose(d, 300.0, atol=2.0)


def test_shapes_nan_and_far_points(sea: CaspianSea) -> None:
    d = sea.distance_to_shore_m(np.full((2, 3), 51.0), np.array([[42.0, np.nan, 42.0]] * 2))
    assert d.shape == (2, 3)
    assert np.isnan(d[0, 1])
    far = float(sea.distance_to_shore_m(30.0, 42.0))  # Black Sea, outside the grid
    assert 1_300_000 < far < 1_500_000


def test_andoyer_lambert_against_pyproj() -> None:
    rng = np.random.default_rng(8)
    lon1, lat1 = rng.uniform(46, 55, 300), rng.uniform(36, 48, 300)
    lon2, lat2 = lon1 + rng.normal(0, 1, 300), lat1 + rng.normal(0, 1, 300)
    ref = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[2]
    got = [andoyer_lambert_m(*np.radians(v)) for v in zip(lon1, lat1, lon2, lat2, strict=True)]
    np.testing.assert_allclose(got, ref, rtol=1e-5)
