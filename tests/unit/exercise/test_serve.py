from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from littoral.exercise.run import ExerciseConfig, ExerciseResult
from littoral.exercise.serve import ShiftedClock, make_login
from littoral.exercise.traffic import generate_traffic
from littoral.services.accounts import PasswordHasher
from littoral.store import open_store
from littoral.store.service import ServiceStore

START = datetime(2026, 10, 14, tzinfo=UTC)


def test_shifted_clock_starts_at_the_given_time_and_runs_on() -> None:
    clock = ShiftedClock(START)
    first = clock.now()
    assert abs((first - START).total_seconds()) < 1.0
    assert clock.now() >= first


def test_login_is_a_coordinator_whose_password_verifies(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    open_store(url).close()
    day = generate_traffic(np.random.default_rng(0), START, 6.0, 12, rate_scale=30.0)
    result = ExerciseResult(ExerciseConfig(out=tmp_path), day, store_url=url)
    name, password = make_login(result, "KZ")
    name2, password2 = make_login(result, "KZ")  # again: the same account, a new password
    assert name == name2
    assert password != password2
    store = open_store(url)
    try:
        (user,) = [u for u in ServiceStore(store.engine).list_users() if u.name == name]
    finally:
        store.close()
    assert user.role == "coordinator"
    assert user.state == "KZ"
    assert PasswordHasher().verify(user.password_hash, password2)
    assert not PasswordHasher().verify(user.password_hash, password)
    assert day.start + timedelta(hours=day.hours) > START
