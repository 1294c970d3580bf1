from __future__ import annotations

import numpy as np
from pyproj import Geod

from littoral.geo import bearing_deg, destination, haversine_m
from littoral.units import EARTH_RADIUS_M


def test_haversine_closed_forms() -> None:
    quarter = np.pi / 2 * EARTH_RADIUS_M
    np.testing.assert_allclose(haversine_m(0.0, 0.0, 90.0, 0.0), quarter, rtol=1e-12)
    np.testing.assert_allclose(haversine_m(50.0, 0.0, 50.0, 90.0), quarter, rtol=1e-12)
    assert haversine_m(51.0, 42.0, 51.0, 42.0) == 0.0


def test_haversine_is_within_half_a_percent_of_the_geodesic() -> None:
    rng = np.random.default_rng(3)
    lon1, lat1 = rng.uniform(46, 55, 1000), rng.uniform(36, 48, 1000)
    lon2, lat2 = rng.uniform(46, 55, 1000), rng.uniform(36, 48, 1000)
    geodesic = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[2]
    assert np.all(np.abs(haversine_m(lon1, lat1, lon2, lat2) / geodesic - 1) < 0.005)


def test_bearing_cardinal_points() -> None:
    got = bearing_deg(50.0, 40.0, [50.0, 51.0, 50.0, 49.0], [41.0, 40.0, 39.0, 40.0])
    np.testing.assert_allclose(got, [0.0, 89.68, 180.0, 270.32], atol=0.01)


def test_destination_round_trip() -> None:
    rng = np.random.default_rng(4)
    lon, lat = rng.uniform(46, 55, 500), rng.uniform(36, 48, 500)
    brg, dist = rng.uniform(0, 360, 500), rng.uniform(1, 300_000, 500)
    lon2, lat2 = destination(lon, lat, brg, dist)
    np.testing.assert_allclose(haversine_m(lon, lat, lon2, lat2), dist, rtol=1e-9, atol=1e-6)
    back = bearing_deg(lon, lat, lon2, lat2)
    np.testing.assert_allclose((back - brg + 180) % 360 - 180, 0.0, atol=1e-7)
