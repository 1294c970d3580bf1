"""Pins the direction conventions of docs/conventions.md and the Leeway crosswind sign."""

from datetime import timedelta

import numpy as np
import pytest

from littoral.drift import ConstantForcing, PointSeed, get_object, run
from littoral.drift.forcing import current_components_ms, wind_components_ms
from littoral.drift.leeway import LEFT, RIGHT, class_constants, leeway_velocity


def test_wind_is_from_and_current_is_toward() -> None:
    u, v = wind_components_ms(0.0, 10.0)  # northerly wind blows toward the south
    assert abs(u) < 1e-12
    assert v < 0
    u, v = wind_components_ms(270.0, 10.0)  # westerly wind blows toward the east
    assert u > 0
    assert abs(v) < 1e-12
    u, v = current_components_ms(90.0, 1.0)  # current setting east
    assert u > 0
    assert abs(v) < 1e-12


def test_positive_crosswind_is_right_of_downwind() -> None:
    consts = class_constants(get_object("PIW-1"))  # right slope +0.54 %, left -0.54 %
    # wind blowing toward the north at 10 m/s: downwind north, right of downwind is east
    u_r, v_r = leeway_velocity(0.0, 10.0, consts, 0.0, 0.0, RIGHT, 1.0)
    u_l, v_l = leeway_velocity(0.0, 10.0, consts, 0.0, 0.0, LEFT, 1.0)
    assert v_r == pytest.approx(0.096)
    assert v_l == pytest.approx(0.096)
    assert u_r == pytest.approx(0.054)  # the right branch moves east of a north-going wind
    assert u_l == pytest.approx(-0.054)
    # wind toward the east: right of downwind is south
    u_r, v_r = leeway_velocity(10.0, 0.0, consts, 0.0, 0.0, RIGHT, 1.0)
    assert v_r < 0
    assert u_r > 0


def test_cloud_splits_right_and_left_of_the_wind(make_request) -> None:
    # A southerly wind (from 180) blows north: right-drifters go east, left-drifters west.
    forcing = [ConstantForcing.from_observation(wind=(180.0, 20.0), current=(0.0, 0.0))]
    res = run(
        make_request(
            forcing=forcing,
            seeding=PointSeed(51.0, 42.0),
            leeway_spread=False,
            jibe_probability_per_h=0.0,
            duration=timedelta(hours=12),
            particles=100,
        )
    )
    east = res.lon[-1] > 51.0
    assert east.sum() == 50
    assert (res.lon[-1] < 51.0).sum() == 50
    assert np.all(res.lat[-1] > 42.0)
