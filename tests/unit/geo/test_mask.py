from __future__ import annotations

import numba as nb
import numpy as np
import pytest
import shapely

from littoral.geo import CaspianSea, LandMask, WaterClass, mask_classify, mask_segment_crossing
from littoral.geo.mask import segment_crossings


@pytest.fixture(scope="module")
def sea() -> CaspianSea:
    return CaspianSea.load()


@nb.njit(cache=False)
def _kernel(mask: LandMask, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # the way a particle kernel uses the mask: classify and look for a crossing per step
    cls = np.empty(lon.shape[0] - 1, dtype=np.int64)
    t = np.empty(lon.shape[0] - 1)
    for i in range(lon.shape[0] - 1):
        cls[i] = mask_classify(mask, lon[i + 1], lat[i + 1])
        t[i] = mask_segment_crossing(mask, lon[i], lat[i], lon[i + 1], lat[i + 1])
    return cls, t


def test_callable_from_a_compiled_kernel(sea: CaspianSea) -> None:
    lon = np.array([51.0, 51.1, 51.2])
    lat = np.array([42.0, 42.0, 42.0])
    cls, t = _kernel(sea.mask, lon, lat)
    assert list(cls) == [WaterClass.SEA, WaterClass.SEA]
    assert list(t) == [-1.0, -1.0]


def test_crossing_onto_land_at_aktau(sea: CaspianSea) -> None:
    lon0, lat0 = 51.18767, 43.61823  # 300 m off the shore
    lon1, lat1 = 51.18467, 43.62317  # 300 m inland
    t = mask_segment_crossing(sea.mask, lon0, lat0, lon1, lat1)
    assert 0.3 < t < 0.7
    x, y = lon0 + t * (lon1 - lon0), lat0 + t * (lat1 - lat0)
    assert float(sea.distance_to_shore_m(x, y)) < 0.01
    assert mask_segment_crossing(sea.mask, lon1, lat1, lon0, lat0) == pytest.approx(1 - t)


def test_no_crossing_in_open_water_and_zero_length(sea: CaspianSea) -> None:
    assert mask_segment_crossing(sea.mask, 50.0, 42.0, 51.5, 39.5) == -1.0
    assert mask_segment_crossing(sea.mask, 50.0, 42.0, 50.0, 42.0) == -1.0
    assert mask_segment_crossing(sea.mask, np.nan, 42.0, 50.0, 42.0) == -1.0


def test_island_is_shore(sea: CaspianSea) -> None:
    # west to east across Chechen island (47.62-47.79 E at 43.96 N)
    t = mask_segment_crossing(sea.mask, 47.55, 43.96, 47.85, 43.96)
    assert 0.1 < t < 0.5
    assert sea.classify(47.55 + t * 0.3 + 1e-6, 43.96) == WaterClass.ISLAND


def test_strait_cut_is_not_shore(sea: CaspianSea) -> None:
    (ax, ay), (bx, by) = sea.rings.strait_cut
    mx, my = (ax + bx) / 2, (ay + by) / 2
    nx, ny = -(by - ay), bx - ax  # normal to the cut
    k = 0.003 / np.hypot(nx, ny)
    ends = [(mx + k * nx, my + k * ny), (mx - k * nx, my - k * ny)]
    classes = {int(sea.classify(x, y)) for x, y in ends}
    assert classes == {WaterClass.SEA, WaterClass.KARA_BOGAZ_GOL}
    (x0, y0), (x1, y1) = ends
    assert mask_segment_crossing(sea.mask, x0, y0, x1, y1) == -1.0


def test_first_crossing_equals_shapely_on_random_segments(sea: CaspianSea) -> None:
    rng = np.random.default_rng(11)
    verts = sea.rings.coords[rng.integers(0, len(sea.rings.coords), 3000)]
    lon0 = verts[:, 0] + rng.normal(0, 0.02, len(verts))
    lat0 = verts[:, 1] + rng.normal(0, 0.02, len(verts))
    lon1 = lon0 + rng.normal(0, 0.03, len(verts))
    lat1 = lat0 + rng.normal(0, 0.03, len(verts))
    t = segment_crossings(sea.mask, lon0, lat0, lon1, lat1)
    lines = shapely.linestrings(
        np.stack([np.column_stack([lon0, lon1]), np.column_stack([lat0, lat1])], axis=-1)
    )
    hits = shapely.intersection(lines, sea.shore)
    for i in range(len(verts)):
        if hits[i].is_empty:
            assert t[i] == -1.0
            continue
        pts = shapely.get_coordinates(hits[i])
        frac = np.hypot(pts[:, 0] - lon0[i], pts[:, 1] - lat0[i]) / np.hypot(
            lon1[i] - lon0[i], lat1[i] - lat0[i]
        )
        assert t[i] == pytest.approx(frac.min(), abs=1e-9)
    # a change of water/land between the ends always shows as a crossing
    wet0 = sea.contains_water(lon0, lat0)
    wet1 = sea.contains_water(lon1, lat1)
    assert np.all(t[wet0 != wet1] >= 0.0)
    assert 200 < np.count_nonzero(t >= 0) < 2900
