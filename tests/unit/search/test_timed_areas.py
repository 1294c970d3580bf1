"""Time-aware allocation: each unit's area is placed on the cloud of its own search time."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from littoral.drift.result import DriftResult
from littoral.search.allocation import PlanTiming, SearchPlan, plan_search
from littoral.search.detection import DetectionModel
from littoral.search.facilities import SearchUnit
from littoral.search.grid import ProbabilityGrid, open_water
from littoral.search.priors import from_drift, run_frame
from littoral.search.sweep_tables import Platform
from littoral.search.update import plan_pos_on_particles
from littoral.search.weather import Weather, WeatherGiven

from .helpers import T0, drift_cloud

RAFT = DetectionModel("Raft 4 person", visibility_nm=10)


def _plan_two_units(result: DriftResult, *, hours: int, near_lon: float) -> SearchPlan:
    """Plan two ships (one at ``near_lon``, one at 51.9E) on a run of ``hours`` from T0."""
    last = T0 + timedelta(hours=hours)
    frame = run_frame(result)

    def map_at(t: datetime) -> ProbabilityGrid:
        return from_drift(result, min(max(t, T0), last), frame=frame, water=open_water)

    near = SearchUnit("Near", "AZ", Platform.VESSEL, 12, 4, near_lon, 41.0, 20, 14)
    far = SearchUnit("Far", "KZ", Platform.VESSEL, 12, 10, 51.9, 41.0, 20, 14)
    weather = Weather(WeatherGiven(wind_kn=5, sea_m=0.5, visibility_nm=10))
    timing = PlanTiming(tasked=T0, weather=weather, map_at=map_at)
    return plan_search(map_at(T0), [near, far], RAFT, timing=timing)


def test_each_area_sits_on_the_cloud_of_its_units_time() -> None:
    # a cloud drifting east 0.1 deg (4.5 NM) an hour for 12 h, tasked at 06:00 UTC (daylight)
    result = drift_cloud(n=4000, lon0=51.0, lat0=41.0, spread_deg=0.03, speed_deg_h=0.1,
                         hours=12)  # fmt: skip
    tasked = T0
    plan = _plan_two_units(result, hours=12, near_lon=51.3)
    assert plan.unit_grids is not None
    for a in plan.assignments:
        assert a.pattern is not None
        assert a.window is not None
        # the cloud's centre at the middle of the unit's own search
        lon_c = 51.0 + 0.1 * (a.window.middle - T0) / timedelta(hours=1)
        assert float(np.mean(a.pattern.lon)) == pytest.approx(lon_c, abs=0.06)
    mids = [a.window.middle for a in plan.assignments if a.window is not None]
    assert abs(mids[1] - mids[0]) > timedelta(hours=1)
    # judged leg by leg against the moving particles, the areas placed for each unit's time
    # find far more than the same routes would on the cloud as it was when tasked
    timed = plan_pos_on_particles(plan, result, tasked, timed=True)
    untimed = plan_pos_on_particles(plan, result, tasked)
    assert 0 < plan.pos <= 1
    assert timed > 2 * untimed


def test_legs_after_the_run_are_judged_on_its_last_cloud() -> None:
    """A unit searching after the drift run ends is judged where its area was placed."""
    from littoral.errors import InputError
    from littoral.search.update import particle_pod_from_tracks

    # a run of an hour: both units (over 25 NM away at 12 kn) search after it ends
    result = drift_cloud(n=3000, lon0=51.0, lat0=41.0, spread_deg=0.03, speed_deg_h=0.1,
                         hours=1)  # fmt: skip
    last = T0 + timedelta(hours=1)
    plan = _plan_two_units(result, hours=1, near_lon=51.6)
    tracks = [a.track(a.window.arrive) for a in plan.assignments if a.window is not None]
    assert len(tracks) == 2
    assert all(t.times.min() > np.datetime64(last.replace(tzinfo=None)) for t in tracks)
    with pytest.raises(InputError, match="outside the drift run"):
        particle_pod_from_tracks(result, tracks, T0)
    # every leg after the end: the same as the routes judged on the last cloud
    timed = plan_pos_on_particles(plan, result, T0, timed=True)
    on_last = plan_pos_on_particles(plan, result, last)
    on_first = plan_pos_on_particles(plan, result, T0)
    assert timed == pytest.approx(on_last, rel=1e-12)
    assert timed > 0.3
    assert on_first < timed  # (the cloud was 0.1 deg west of where the areas lie)
    # a case's plan names them (its summary's units_after_drift_end)
    from littoral.services.runs import units_after_run

    assert units_after_run(plan, result) == ["Near", "Far"]
    longer = drift_cloud(n=3000, lon0=51.0, lat0=41.0, spread_deg=0.03, speed_deg_h=0.1,
                         hours=24)  # fmt: skip
    assert units_after_run(plan, longer) == []
