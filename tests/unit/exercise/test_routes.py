from __future__ import annotations

import numpy as np
import pytest

from littoral.exercise.routes import BERTHS, FIELDS, ROUTES, VOLGA_CANAL_SEA_END
from littoral.geo import CaspianSea, WaterClass, haversine_m, places
from littoral.geo.mask import classify_points, segment_crossings


@pytest.fixture(scope="module")
def sea() -> CaspianSea:
    return CaspianSea.load()


@pytest.mark.parametrize("key", list(ROUTES), ids=["-".join(k) for k in ROUTES])
def test_every_leg_of_every_route_stays_in_the_sea(sea: CaspianSea, key: tuple[str, str]) -> None:
    # exact: no leg meets the shore (islands included) anywhere along it
    pts = np.asarray(ROUTES[key], dtype=np.float64)
    assert (classify_points(sea.mask, pts[:, 0].copy(), pts[:, 1].copy()) == WaterClass.SEA).all()
    t = segment_crossings(
        sea.mask, pts[:-1, 0].copy(), pts[:-1, 1].copy(), pts[1:, 0].copy(), pts[1:, 1].copy()
    )
    bad = [(tuple(pts[i]), tuple(pts[i + 1])) for i in np.flatnonzero(t >= 0.0)]
    assert not bad, f"{key}: legs crossing the shore: {bad}"


def test_the_crossing_check_sees_a_leg_over_absheron(sea: CaspianSea) -> None:
    # the check the routes pass does fail on a leg across the peninsula (Baku Bay due north)
    t = segment_crossings(
        sea.mask, np.array([49.885]), np.array([40.343]), np.array([49.9]), np.array([40.62])
    )
    assert 0.0 <= t[0] < 1.0


def test_routes_start_and_end_at_their_berths_or_fields() -> None:
    for (a, b), pts in ROUTES.items():
        ends = {a: pts[0], b: pts[-1]}
        for name, (lon, lat) in ends.items():
            if name in BERTHS:
                assert (lon, lat) == pytest.approx((BERTHS[name].lon, BERTHS[name].lat), abs=1e-9)
            elif name in FIELDS:
                assert (lon, lat) == pytest.approx(FIELDS[name][:2], abs=1e-3)
            else:
                assert (lon, lat) == pytest.approx(VOLGA_CANAL_SEA_END)


def test_berths_are_in_the_sea_within_5_km_of_their_place(sea: CaspianSea) -> None:
    by_name = {p.name: p for p in places()}
    for berth in BERTHS.values():
        assert sea.contains(berth.lon, berth.lat), berth.code
        match = [p for name, p in by_name.items() if name.startswith(berth.name.split(" (")[0])]
        assert match, f"{berth.name} not in places"
        d = haversine_m(berth.lon, berth.lat, match[0].lon, match[0].lat)
        assert d < 6000.0, f"{berth.code} is {d:.0f} m from {match[0].name}"
