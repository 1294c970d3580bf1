from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from littoral.exercise.person import PersonTrack
from littoral.exercise.searchsim import fly
from littoral.search import (
    DetectionModel,
    Platform,
    SearchUnit,
    from_datum,
    plan_search,
)
from littoral.search.priors import Datum

T0 = datetime(2026, 10, 14, 8, tzinfo=UTC)


def _person(lon: float, lat: float) -> PersonTrack:
    t = T0.timestamp() + np.arange(0.0, 24 * 3600.0, 60.0)
    return PersonTrack(
        t, np.full(t.size, lon), np.full(t.size, lat), np.zeros(t.size, dtype=bool), "PIW-1"
    )


def _plan() -> object:
    grid = from_datum(Datum(50.7, 41.5, 1.0))
    unit = SearchUnit(
        "test boat", "KZ", Platform.VESSEL, 12.0, 20.0, 51.2, 43.6, transit_speed_kn=20.0,
        height_ft=14.0,
    )  # fmt: skip
    model = DetectionModel(search_object="Person in Water", visibility_nm=10.0)
    return plan_search(grid, [unit], model)


def test_a_person_in_the_middle_of_the_area_is_usually_seen_and_one_far_away_never() -> None:
    plan = _plan()
    a = plan.assignments[0]  # type: ignore[attr-defined]
    seen = 0
    for seed in range(20):
        s = fly(a, T0, T0 - timedelta(hours=3), _person(50.7, 41.5), np.random.default_rng(seed))
        assert s is not None
        assert 0.0 <= s.pod_true <= 1.0
        seen += s.detected_at is not None
    assert seen >= 10
    far = fly(a, T0, T0 - timedelta(hours=3), _person(52.5, 40.5), np.random.default_rng(1))
    assert far is not None
    assert far.detected_at is None
    assert far.pod_true < 1e-6


def test_same_seed_same_sortie() -> None:
    plan = _plan()
    a = plan.assignments[0]  # type: ignore[attr-defined]
    one = fly(a, T0, T0 - timedelta(hours=3), _person(50.71, 41.51), np.random.default_rng(5))
    two = fly(a, T0, T0 - timedelta(hours=3), _person(50.71, 41.51), np.random.default_rng(5))
    assert one is not None
    assert two is not None
    assert one.detected_at == two.detected_at
    assert np.array_equal(one.lon, two.lon)
    assert one.commence >= T0
