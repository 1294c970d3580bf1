"""Each unit of the first round searches from its own arrival on scene."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from littoral.errors import InputError
from littoral.exercise import sar
from littoral.exercise.person import PersonTrack
from littoral.exercise.responders import Commitment, commit_units
from littoral.exercise.weather import OnScene, khazri_day
from littoral.geo import haversine_m
from littoral.search import from_datum, plan_search
from littoral.search.priors import Datum
from littoral.units import M_PER_NM

TASKED = datetime(2026, 10, 14, 7, 30, tzinfo=UTC)
DATUM = (50.9, 41.6)  # on the Baku - Aktau ferry route


@pytest.fixture(scope="module")
def commitments() -> list[Commitment]:
    return commit_units(*DATUM)


def _person() -> PersonTrack:
    t = TASKED.timestamp() + np.arange(0.0, 24 * 3600.0, 60.0)
    lon, lat = np.full(t.size, DATUM[0]), np.full(t.size, DATUM[1])
    return PersonTrack(t, lon, lat, np.zeros(t.size, dtype=bool), "PIW-1")


def test_arrivals_follow_each_units_transit(commitments: list[Commitment]) -> None:
    arrivals = sar.arrival_times(commitments, TASKED)
    for c, t in zip(commitments, arrivals, strict=True):
        expected = c.distance_nm / c.role.transit_speed_kn
        assert (t - TASKED).total_seconds() / 3600.0 == pytest.approx(expected)
    assert len({t.replace(second=0, microsecond=0) for t in arrivals}) > 1


def test_window_and_map_time(commitments: list[Commitment]) -> None:
    arrivals = sar.arrival_times(commitments, TASKED)
    first, last = sar.search_window(commitments, arrivals, 4.0)
    assert first == min(arrivals)
    ends = [
        t + timedelta(hours=sar.on_scene_hours(c, 4.0))
        for c, t in zip(commitments, arrivals, strict=True)
    ]
    assert last == max(ends)
    # a ship's time on scene is the round's search time over the productive share
    ship = next(c for c in commitments if c.role.endurance_h is None)
    assert sar.on_scene_hours(ship, 4.0) == pytest.approx(4.0 / 0.85, abs=0.01)


def test_first_round_units_start_on_their_own_arrival(commitments: list[Commitment]) -> None:
    grid = from_datum(Datum(DATUM[0], DATUM[1], 3.0))
    units = [c.unit(4.0) for c in commitments]
    plan = plan_search(grid, units, sar.detection_model(_on_scene(), TASKED))
    sorties = sar.fly_round(plan, _person(), np.random.default_rng(3), depart=TASKED)
    assert len(sorties) == len(commitments)
    by_name = {a.unit.name: a for a in plan.assignments}
    starts = []
    for s in sorties:
        a = by_name[s.unit_name]
        assert s.depart == TASKED
        assert a.pattern is not None
        csp = a.pattern.commence_search_point
        transit_h = float(haversine_m(a.unit.base_lon, a.unit.base_lat, *csp)) / M_PER_NM
        transit_h /= a.unit.transit_speed_kn
        assert (s.commence - TASKED).total_seconds() == pytest.approx(transit_h * 3600.0, abs=1.0)
        assert s.time_s[0] == pytest.approx(s.commence.timestamp())
        starts.append(s.commence)
    # the helicopter does not wait for the ships
    assert max(starts) - min(starts) > timedelta(minutes=30)
    # a later round: everyone starts together, each leaving base in time
    later = TASKED + timedelta(hours=8)
    again = sar.fly_round(plan, _person(), np.random.default_rng(3), commence=later)
    assert {s.commence for s in again} == {later}
    with pytest.raises(InputError):
        sar.fly_round(plan, _person(), np.random.default_rng(3))


def _on_scene() -> OnScene:
    return khazri_day(np.random.default_rng(1), TASKED.replace(hour=0, minute=0), 24.0)


def test_sorties_keep_to_the_plans_daylight_windows(commitments: list[Commitment]) -> None:
    from littoral.search.allocation import PlanTiming
    from littoral.search.weather import Weather, WeatherGiven

    grid = from_datum(Datum(DATUM[0], DATUM[1], 3.0))
    units = [c.unit(4.0) for c in commitments]
    dusk = TASKED.replace(hour=12, minute=0)  # sunset at Baku about 14:00 UTC in October
    weather = Weather(WeatherGiven(wind_kn=10, sea_m=1, visibility_nm=10))
    plan = plan_search(
        grid, units, sar.detection_model(_on_scene(), dusk),
        timing=PlanTiming(tasked=dusk, weather=weather),
    )  # fmt: skip
    sorties = {s.unit_name: s for s in sar.fly_round(plan, _person(), np.random.default_rng(3),
                                                     depart=dusk)}  # fmt: skip
    waited = 0
    for a in plan.assignments:
        if a.pattern is None:
            assert a.unit.name not in sorties
            continue
        assert a.window is not None
        s = sorties[a.unit.name]
        assert s.depart == max(dusk, a.window.depart)
        assert s.commence >= a.window.arrive - timedelta(seconds=1)
        assert s.end <= a.window.search_end + timedelta(seconds=61)
        waited += a.window.depart > dusk
    assert waited >= 1  # someone waited for the next sunrise, and flew then
