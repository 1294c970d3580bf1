"""Closed-form cases: constant current moves by exactly u*t; no forcing stays put."""

from datetime import timedelta

import numpy as np
import pytest
from drift_helpers import T0, rhumb_destination

from littoral.drift import ConstantForcing, PointSeed, run
from littoral.drift.forcing import current_components_ms
from littoral.errors import InputError
from littoral.geo import haversine_m


@pytest.mark.parametrize("to_deg", [90.0, 45.0, 200.0])
def test_constant_current_moves_every_particle_by_u_t_to_1_m(make_request, to_deg) -> None:
    forcing = [ConstantForcing.from_observation(wind=(0.0, 0.0), current=(to_deg, 1.5))]
    req = make_request(seeding=PointSeed(51.0, 42.0, 20_000.0), forcing=forcing, particles=300)
    res = run(req)
    u, v = current_components_ms(to_deg, 1.5)
    t_s = 48 * 3600.0
    lon1, lat1 = rhumb_destination(res.lon[0], res.lat[0], u, v, t_s)
    err_m = haversine_m(res.lon[-1], res.lat[-1], lon1, lat1)
    assert np.max(err_m) < 1.0
    # and the distance travelled is u*t (about 133 km)
    assert np.all(res.status[-1] == 0)


def test_zero_forcing_and_zero_perturbation_stays_put(make_request) -> None:
    res = run(make_request(seeding=PointSeed(51.0, 42.0, 5000.0)))
    np.testing.assert_array_equal(res.lon[-1], res.lon[0])
    np.testing.assert_array_equal(res.lat[-1], res.lat[0])


def test_backtracking_returns_to_the_start(make_request) -> None:
    forcing = [ConstantForcing.from_observation(wind=(30.0, 18.0), current=(120.0, 0.8))]
    fwd = run(make_request(forcing=forcing, leeway_spread=False, jibe_probability_per_h=0.0))
    end = T0 + timedelta(hours=48)
    back = run(
        make_request(
            forcing=forcing,
            seeding=PointSeed(float(fwd.lon[-1, 0]), float(fwd.lat[-1, 0])),
            time=end,
            step=timedelta(minutes=-10),
            leeway_spread=False,
            jibe_probability_per_h=0.0,
            particles=2,
        )
    )
    assert back.times[-1] == fwd.times[0]
    assert back.attrs["direction"] == "backward"
    # a particle on the same side of the wind retraces the path
    same = back.status[-1] == 0
    assert same.any()
    d = haversine_m(back.lon[-1], back.lat[-1], fwd.lon[0, 0], fwd.lat[0, 0])
    assert np.min(d) < 1.0


def test_bad_steps_are_refused_by_name(make_request) -> None:
    with pytest.raises(InputError, match="step=0"):
        run(make_request(step=timedelta(0)))
    with pytest.raises(InputError, match="output_step"):
        run(make_request(output_step=timedelta(minutes=25)))
    with pytest.raises(InputError, match="particles=0"):
        run(make_request(particles=0))
