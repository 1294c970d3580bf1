"""Search grids turned to the drift cloud's principal axis: rectangles along the cloud."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from littoral.drift.result import DriftResult
from littoral.errors import InputError
from littoral.geo import destination
from littoral.search.allocation import plan_search
from littoral.search.detection import DetectionModel
from littoral.search.facilities import SearchUnit
from littoral.search.frame import GridFrame, principal_axis_deg
from littoral.search.grid import open_water
from littoral.search.priors import from_drift, run_frame
from littoral.search.sweep_tables import Platform

from .helpers import T0, drift_cloud

SHIP = SearchUnit("Patrol", "AZ", Platform.VESSEL, 12, 8, 51.0, 41.0, 12, 14)
RAFT = DetectionModel("Raft 4 person", visibility_nm=10, wind_kn=5, sea_m=0.5)


def elongated(
    bearing_deg: float, along_nm: float = 6.0, across_nm: float = 1.0, n: int = 4000
) -> DriftResult:
    """A cloud ``along_nm`` long (one sigma) along ``bearing_deg``, standing still."""
    rng = np.random.default_rng(3)
    along = along_nm * 1852.0 * rng.standard_normal(n)
    across = across_nm * 1852.0 * rng.standard_normal(n)
    lon, lat = destination(51.0, 41.0, np.full(n, bearing_deg), np.abs(along))
    lon = np.where(along < 0, 2 * 51.0 - lon, lon)
    lat = np.where(along < 0, 2 * 41.0 - lat, lat)
    lon, lat = destination(lon, lat, np.full(n, bearing_deg + 90.0), np.abs(across))
    flip_lon, flip_lat = destination(lon, lat, np.full(n, bearing_deg - 90.0), 2 * np.abs(across))
    lon = np.where(across < 0, flip_lon, lon)
    lat = np.where(across < 0, flip_lat, lat)
    base = drift_cloud(n, hours=1)
    return replace(base, lon=np.vstack([lon, lon]), lat=np.vstack([lat, lat]))


def test_a_turned_frame_round_trips_and_keeps_areas() -> None:
    frame = GridFrame(
        lon0=51.0, lat0=41.0, x0_nm=-10, y0_nm=-10, cell_nm=0.5, nx=40, ny=40, rotation_deg=30.0
    )
    # a point 5 NM on bearing 060 lies on the turned x axis (30 deg anticlockwise from east)
    lon, lat = destination(51.0, 41.0, 60.0, 5 * 1852.0)
    x, y = frame.to_xy_nm(lon, lat)
    assert float(x) == pytest.approx(5.0, abs=0.01)
    assert float(y) == pytest.approx(0.0, abs=0.01)
    back = frame.to_lonlat(x, y)
    assert float(back[0]) == pytest.approx(float(lon), abs=1e-7)
    assert float(back[1]) == pytest.approx(float(lat), abs=1e-7)
    assert frame.bearing_deg(90.0) == pytest.approx(60.0)
    with pytest.raises(InputError, match="rotation_deg=400"):
        replace(frame, rotation_deg=400.0)


@pytest.mark.parametrize("bearing", [0.0, 45.0, 60.0, 135.0])
def test_the_principal_axis_of_an_elongated_cloud(bearing: float) -> None:
    result = elongated(bearing)
    angle = principal_axis_deg(result.lon[0], result.lat[0])
    expected = (90.0 - bearing + 90.0) % 180.0 - 90.0  # anticlockwise from east, (-90, 90]
    assert abs((angle - expected + 90.0) % 180.0 - 90.0) < 3.0
    round_cloud = elongated(bearing, 3.0, 3.0)
    assert principal_axis_deg(round_cloud.lon[0], round_cloud.lat[0]) == 0.0


def test_rectangles_lie_along_the_cloud_and_find_more() -> None:
    result = elongated(45.0)
    turned = run_frame(result, axis_at=T0)
    assert abs(turned.rotation_deg - 45.0) < 3.0
    north_up = run_frame(result, along_cloud=False)
    assert north_up.rotation_deg == 0.0
    plans = {}
    for name, frame in (("turned", turned), ("north-up", north_up)):
        grid = from_drift(result, T0, frame=frame, water=open_water)
        plans[name] = plan_search(grid, [SHIP], RAFT)
    a = plans["turned"].assignments[0]
    assert a.outline is not None
    # the area's sides run along 045/135 (or 225/315), not north-south or east-west
    lon, lat = a.outline
    dx = np.diff(lon) * math.cos(math.radians(41.0))
    dy = np.diff(lat)
    sides = np.hypot(dx, dy) > 1e-3
    bearings = np.degrees(np.arctan2(dx[sides], dy[sides])) % 90.0
    assert np.all(np.abs(bearings - 45.0) < 5.0)
    assert plans["turned"].pos > plans["north-up"].pos + 0.02
