from __future__ import annotations

import itertools

import numpy as np
import pytest

from littoral.exercise.routes import BERTHS, FIELDS, ROUTES, VOLGA_CANAL_SEA_END
from littoral.geo import CaspianSea, haversine_m, places


@pytest.fixture(scope="module")
def sea() -> CaspianSea:
    return CaspianSea.load()


@pytest.mark.parametrize("key", list(ROUTES), ids=["-".join(k) for k in ROUTES])
def test_every_leg_of_every_route_stays_in_the_sea(sea: CaspianSea, key: tuple[str, str]) -> None:
    pts = np.asarray(ROUTES[key])
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        n = int(haversine_m(x0, y0, x1, y1) / 200.0) + 2
        f = np.linspace(0.0, 1.0, n)
        inside = sea.contains(x0 + f * (x1 - x0), y0 + f * (y1 - y0))
        assert inside.all(), f"{key}: leg ({x0}, {y0}) -> ({x1}, {y1}) crosses land"


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
