from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from littoral.exercise.person import drift_person
from littoral.exercise.weather import OnScene, khazri_day
from littoral.geo import CaspianSea, haversine_m

T0 = datetime(2026, 10, 14, tzinfo=UTC)


def _constant(wind_ms: float, wind_from: float, current_ms: float, current_to: float) -> OnScene:
    times = np.array([np.datetime64(int(T0.timestamp()) + 3600 * k, "s") for k in range(8)])
    n = times.size
    return OnScene(
        times=times,
        wind_speed_ms=np.full(n, wind_ms),
        wind_from_deg=np.full(n, wind_from),
        current_speed_ms=np.full(n, current_ms),
        current_to_deg=np.full(n, current_to),
    )


def test_no_wind_constant_current_moves_exactly_current_times_time() -> None:
    scene = _constant(0.0, 0.0, 0.5, 90.0)
    track = drift_person(
        np.random.default_rng(0), scene, T0.timestamp(), 50.5, 42.0, CaspianSea.load()
    )
    k = int(np.searchsorted(track.time_s, T0.timestamp() + 3600.0))
    d = haversine_m(track.lon[0], track.lat[0], track.lon[k], track.lat[k])
    assert d == pytest.approx(0.5 * 3600.0, rel=1e-3)
    assert track.lat[k] == pytest.approx(42.0, abs=1e-4)  # due east
    assert not track.stranded.any()


def test_leeway_of_a_person_in_a_northerly_goes_south_at_about_one_percent_of_the_wind() -> None:
    scene = _constant(10.0, 0.0, 0.0, 0.0)
    south = []
    for seed in range(40):
        track = drift_person(
            np.random.default_rng(seed), scene, T0.timestamp(), 50.5, 42.0, CaspianSea.load()
        )
        k = int(np.searchsorted(track.time_s, T0.timestamp() + 3600.0))
        south.append((track.lat[0] - track.lat[k]) * 111_195.0 / 3600.0)
    # PIW-1: downwind 0.96 % of the wind, offset 0, residual std 12 cm/s (Allen and Plourde 1999)
    assert np.mean(south) == pytest.approx(0.096, abs=0.05)


def test_the_person_strands_on_the_shore_and_stays() -> None:
    scene = _constant(0.0, 0.0, 1.0, 270.0)  # a strong westward set off the Dagestan coast
    track = drift_person(
        np.random.default_rng(1), scene, T0.timestamp(), 47.70, 42.90, CaspianSea.load()
    )
    assert track.stranded.any()
    k = int(np.argmax(track.stranded))
    assert np.all(track.lon[k:] == track.lon[k])
    assert CaspianSea.load().contains(track.lon[k], track.lat[k])


def test_khazri_day_is_seeded_and_covers_a_day_past_the_traffic() -> None:
    a = khazri_day(np.random.default_rng(3), T0, 12.0)
    b = khazri_day(np.random.default_rng(3), T0, 12.0)
    assert np.array_equal(a.wind_speed_ms, b.wind_speed_ms)
    assert a.epoch_s()[0] <= T0.timestamp() - 3600
    assert a.epoch_s()[-1] >= T0.timestamp() + (12 + 24) * 3600
