from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from littoral.geo import CaspianSea, WaterClass

SEA_AREA_KM2 = 378_660.0  # geodesic WGS 84, GSHHG 2.3.6 full, without Kara-Bogaz-Gol and islands


@pytest.fixture(scope="module")
def sea() -> CaspianSea:
    return CaspianSea.load()


def test_load_is_shared(sea: CaspianSea) -> None:
    assert CaspianSea.load() is sea


def test_area_of_the_sea_is_within_half_a_percent(sea: CaspianSea) -> None:
    area_km2 = abs(Geod(ellps="WGS84").geometry_area_perimeter(sea.polygon)[0]) / 1e6
    assert abs(area_km2 - SEA_AREA_KM2) / SEA_AREA_KM2 < 0.005


def test_kara_bogaz_gol_is_a_separate_lagoon_of_about_17000_km2(sea: CaspianSea) -> None:
    area_km2 = abs(Geod(ellps="WGS84").geometry_area_perimeter(sea.kara_bogaz_gol)[0]) / 1e6
    assert 16_000 < area_km2 < 18_500
    assert not sea.polygon.intersection(sea.kara_bogaz_gol).area > 0


def test_bounding_box(sea: CaspianSea) -> None:
    west, south, east, north = sea.bbox
    assert west == pytest.approx(46.680, abs=0.005)
    assert east == pytest.approx(54.034, abs=0.005)
    assert south == pytest.approx(36.580, abs=0.005)
    assert north == pytest.approx(47.115, abs=0.005)


def test_polygons_are_valid_and_islands_are_holes(sea: CaspianSea) -> None:
    assert sea.polygon.is_valid
    assert sea.kara_bogaz_gol.is_valid
    assert sea.water.is_valid
    assert len(sea.polygon.interiors) == 53
    assert len(sea.islands.geoms) == 54


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [
        ("Chechen", 47.75, 43.97),
        ("Ogurja Ada", 53.08, 38.85),
        ("Pirallahi", 50.33, 40.47),
    ],
)
def test_islands_are_not_water(sea: CaspianSea, name: str, lon: float, lat: float) -> None:
    assert sea.classify(lon, lat) == WaterClass.ISLAND, name
    assert not sea.contains(lon, lat)
    assert not sea.contains_water(lon, lat)


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (51.0, 42.0, WaterClass.SEA),  # Middle Caspian, "land" in common global masks
        (50.0, 38.0, WaterClass.SEA),
        (53.5, 41.3, WaterClass.KARA_BOGAZ_GOL),
        (52.7, 41.1, WaterClass.SEA),  # west of the strait
        (53.2, 41.05, WaterClass.KARA_BOGAZ_GOL),  # east of the strait
        (49.0, 41.0, WaterClass.LAND),  # Azerbaijan, inland
        (55.0, 42.0, WaterClass.LAND),  # east of the region
        (20.0, 10.0, WaterClass.LAND),  # far outside the raster
    ],
)
def test_classify_known_points(
    sea: CaspianSea, lon: float, lat: float, expected: WaterClass
) -> None:
    assert sea.classify(lon, lat) == expected


@pytest.mark.parametrize(
    ("lon", "lat", "is_sea"),
    [
        (49.85453, 40.34008, True),  # Baku Bay, 300 m off the shore
        (49.85268, 40.34529, False),  # Baku, 300 m inland
        (51.18767, 43.61823, True),  # off Aktau, 300 m
        (51.18467, 43.62317, False),  # Aktau, 300 m inland
    ],
)
def test_points_either_side_of_baku_and_aktau_shores(
    sea: CaspianSea, lon: float, lat: float, is_sea: bool
) -> None:
    assert bool(sea.contains(lon, lat)) is is_sea
    assert shapely.contains_xy(sea.polygon, lon, lat) == is_sea


def test_identical_to_shapely_on_a_million_random_points(sea: CaspianSea) -> None:
    rng = np.random.default_rng(20260101)
    west, south, east, north = sea.bbox
    lon = rng.uniform(west, east, 1_000_000)
    lat = rng.uniform(south, north, 1_000_000)
    classes = sea.classify(lon, lat)
    np.testing.assert_array_equal(
        sea.contains(lon, lat), shapely.contains_xy(sea.polygon, lon, lat)
    )
    np.testing.assert_array_equal(
        classes == WaterClass.KARA_BOGAZ_GOL, shapely.contains_xy(sea.kara_bogaz_gol, lon, lat)
    )
    np.testing.assert_array_equal(
        classes == WaterClass.ISLAND, shapely.contains_xy(sea.islands, lon, lat)
    )
    assert 0.4 < np.mean(classes == WaterClass.SEA) < 0.7


def test_identical_to_shapely_near_the_shore(sea: CaspianSea) -> None:
    # points within ~100 m of shore vertices: the hard cases for a raster
    rng = np.random.default_rng(7)
    verts = sea.rings.coords
    pick = verts[rng.integers(0, len(verts), 200_000)]
    lon = pick[:, 0] + rng.normal(0.0, 0.001, len(pick))
    lat = pick[:, 1] + rng.normal(0.0, 0.001, len(pick))
    np.testing.assert_array_equal(
        sea.contains(lon, lat), shapely.contains_xy(sea.polygon, lon, lat)
    )
    np.testing.assert_array_equal(
        sea.contains_water(lon, lat), shapely.contains_xy(sea.water, lon, lat)
    )


def test_shapes_and_nan(sea: CaspianSea) -> None:
    lon = np.full((3, 4), 51.0)
    lat = np.full((3, 4), 42.0)
    lat[1, 2] = np.nan
    out = sea.contains(lon, lat)
    assert out.shape == (3, 4)
    assert out.dtype == np.bool_
    assert out.sum() == 11
    assert not out[1, 2]
    assert sea.classify(lon, 42.0).dtype == np.int8
    assert sea.classify(51.0, 42.0).shape == ()
