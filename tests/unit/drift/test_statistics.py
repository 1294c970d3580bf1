"""Seeded statistical checks of the Leeway ensemble against its closed-form moments."""

from datetime import timedelta

import numpy as np
import pytest
from drift_helpers import T0
from scipy.stats import norm

from littoral.drift import ConstantForcing, Perturbation, PointSeed, get_object, run
from littoral.drift.leeway import LEFT, draw_coefficients
from littoral.units import EARTH_RADIUS_M, MS_PER_KN

M_PER_DEG = EARTH_RADIUS_M * np.pi / 180


def _north_south_m(res, k=-1):
    return (res.lat[k] - res.lat[0]) * M_PER_DEG


def _east_west_m(res, k=-1):
    return (res.lon[k] - res.lon[0]) * M_PER_DEG * np.cos(np.radians(res.lat[0]))


def test_coefficient_draws_follow_the_reference_rules() -> None:
    obj = get_object("PIW-1")
    c = draw_coefficients(obj, 100_000, np.random.default_rng(5))
    slope = obj.downwind_slope_pct + c.z_downwind * obj.downwind_std_cm_s / 20
    assert slope.min() >= 0.0  # negative downwind slopes were redrawn
    assert np.sum(c.side == LEFT) == 50_000  # half on each side
    # the redraw truncates z at -slope*20/std = -1.6: mean of the truncated normal
    a = -obj.downwind_slope_pct * 20 / obj.downwind_std_cm_s
    assert c.z_downwind.mean() == pytest.approx(norm.pdf(a) / norm.sf(a), abs=0.01)
    assert c.z_crosswind.std() == pytest.approx(1.0, abs=0.01)


def test_mean_downwind_drift_matches_the_closed_form(make_request) -> None:
    wind_kn = 20.0
    w = wind_kn * MS_PER_KN
    forcing = [ConstantForcing.from_observation(wind=(0.0, wind_kn), current=(0.0, 0.0))]
    res = run(make_request(forcing=forcing, particles=4000, duration=timedelta(hours=24),
                           jibe_probability_per_h=0.0))  # fmt: skip
    obj = get_object("PIW-1")
    a = -obj.downwind_slope_pct * 20 / obj.downwind_std_cm_s
    mean_eps = obj.downwind_std_cm_s * norm.pdf(a) / norm.sf(a)
    speed = ((obj.downwind_slope_pct + mean_eps / 20) * w + mean_eps / 2) / 100
    expected_m = -speed * 24 * 3600  # a northerly wind drives south
    got = _north_south_m(res).mean()
    sem = _north_south_m(res).std() / np.sqrt(4000)
    assert abs(got - expected_m) < 4 * sem
    # crosswind: half at +0.54 % of W, half at -0.54 %, each with its residual spread:
    # a two-normal mixture of variance mu^2 + sigma^2
    ew = _east_west_m(res)
    mu = obj.right_slope_pct * w / 100 * 24 * 3600
    sigma = obj.right_std_cm_s * (w / 20 + 0.5) / 100 * 24 * 3600
    assert abs(ew.mean()) < 4 * ew.std() / np.sqrt(4000)
    assert ew.std() == pytest.approx(np.hypot(mu, sigma), rel=0.05)


def test_same_seed_same_result_other_seed_other_result(make_request) -> None:
    forcing = [ConstantForcing.from_observation(wind=(300.0, 25.0), current=(45.0, 0.4))]
    kw = {"forcing": forcing, "perturbation": Perturbation(), "particles": 300,
          "seeding": PointSeed(51.0, 42.0, 2000.0)}  # fmt: skip
    a = run(make_request(seed=11, **kw))
    b = run(make_request(seed=11, **kw))
    c = run(make_request(seed=12, **kw))
    np.testing.assert_array_equal(a.lon, b.lon)
    np.testing.assert_array_equal(a.lat, b.lat)
    assert not np.array_equal(a.lon, c.lon)
    assert a.seed == 11


def test_jibing_rate_mixes_sides(make_request) -> None:
    # PIW-1 in a 20 kn southerly, no spread: a particle's east-west position tells how long
    # it spent on each side. Without jibing |x| is the same for all; with 4 %/h some cross.
    forcing = [ConstantForcing.from_observation(wind=(180.0, 20.0), current=(0.0, 0.0))]
    kw = {"forcing": forcing, "leeway_spread": False, "particles": 4000}
    no_jibe = run(make_request(jibe_probability_per_h=0.0, **kw))
    jibe = run(make_request(**kw))
    x0 = np.abs(_east_west_m(no_jibe))
    assert np.ptp(x0) < 1e-6 * x0.max()
    x = np.abs(_east_west_m(jibe))
    # P(no jibe in 48 h) = 0.96**48
    never = np.isclose(x, x0[0], rtol=1e-9)
    assert never.mean() == pytest.approx(0.96**48, abs=0.03)


def test_perturbation_spread_does_not_depend_on_the_time_step(make_request) -> None:
    forcing = [ConstantForcing.from_observation(wind=(0.0, 0.0), current=(0.0, 0.0))]
    pert = Perturbation(wind_sigma_ms=0.0, current_sigma_ms=0.1, correlation_time_s=3 * 3600)
    spreads = []
    for step in (5, 30):
        res = run(make_request(forcing=forcing, perturbation=pert, particles=3000,
                               step=timedelta(minutes=step), duration=timedelta(hours=24),
                               leeway_spread=False))  # fmt: skip
        spreads.append(_north_south_m(res).std())
    # OU displacement variance: 2 s^2 tau^2 (t/tau - 1 + exp(-t/tau))
    t, tau, s = 24 * 3600.0, 3 * 3600.0, 0.1
    expected = np.sqrt(2 * s**2 * tau**2 * (t / tau - 1 + np.exp(-t / tau)))
    for sp in spreads:
        assert sp == pytest.approx(expected, rel=0.08)
    assert spreads[0] == pytest.approx(spreads[1], rel=0.1)
    assert T0.tzinfo is not None


def test_capsizing_in_a_storm_cuts_the_leeway(make_request) -> None:
    from littoral.drift import Capsizing
    from littoral.errors import InputError

    # 40 m/s: hourly capsize probability 0.5 + 0.5 tanh(2) = 0.98, so almost all capsize
    # within the first hour and keep 40 % of their leeway after.
    forcing = [ConstantForcing.from_observation(wind=(0.0, 40.0 / MS_PER_KN), current=(0.0, 0.0))]
    kw = {"forcing": forcing, "leeway_spread": False, "jibe_probability_per_h": 0.0,
          "duration": timedelta(hours=12), "particles": 500}  # fmt: skip
    plain = -_north_south_m(run(make_request(**kw)))
    capsized = -_north_south_m(run(make_request(capsizing=Capsizing(), **kw)))
    ratio = capsized / plain
    assert np.all(ratio < 0.5)
    rate_per_h = -np.log(1 - (0.5 + 0.5 * np.tanh(2.0)))
    expected = 0.4 + 0.6 / (12 * rate_per_h)  # mean time before capsizing is 1/rate
    assert ratio.mean() == pytest.approx(expected, rel=0.03)
    with pytest.raises(InputError, match="capsizing"):
        run(make_request(capsizing=Capsizing(), step=timedelta(minutes=-10)))
