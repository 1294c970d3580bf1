"""Quotas: a run too big for memory is refused before it starts; runs per user and state are
capped; the unpacked-result cache stays within its bytes."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from api_env import START, Env
from test_api_runs import ENVIRONMENT, open_case

from littoral.clock import FixedClock
from littoral.drift.result import DriftResult
from littoral.errors import QuotaError
from littoral.services.events import EventBus
from littoral.services.jobs import Jobs, Outcome, Owner, Progress
from littoral.services.results import ResultCache, result_bytes
from littoral.store import open_store
from littoral.store.service import ServiceStore


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_a_run_over_the_memory_budget_is_refused_before_it_starts(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    env.client.put(f"/api/cases/{cid}/environment", json=ENVIRONMENT, headers=az)
    before = _rss_mb()
    big = {"particles": 20_000, "duration_h": 120, "step_min": 1, "output_min": 5}
    for _ in range(3):
        response = env.client.post(f"/api/cases/{cid}/drift", json=big, headers=az)
        assert response.status_code == 429
        reason = response.json()["reason"]
        assert "max_run_memory_mb=1024" in reason
        assert "1411 MiB" in reason
    assert _rss_mb() - before < 100  # nothing was computed
    runs = env.client.get(f"/api/cases/{cid}/runs", headers=az).json()
    assert runs == []
    small = {"particles": 200, "duration_h": 2}
    started = env.client.post(f"/api/cases/{cid}/drift", json=small, headers=az)
    assert started.status_code == 202
    env.services.jobs.wait(started.json()["id"], 120)
    # the particles are a compressed file in the data folder, not a database blob
    from sqlalchemy import text

    with env.services.service.engine.connect() as conn:
        blob, name = conn.execute(
            text("SELECT data, data_file FROM case_runs WHERE id = :i"), {"i": started.json()["id"]}
        ).one()
    assert blob is None
    assert Path(name).is_file()
    assert Path(name).parent == env.settings.data_dir.resolve() / "runs"
    frame = env.client.get(f"/api/cases/{cid}/drift/frames/1", headers=az)
    assert frame.status_code == 200, frame.text


def test_runs_are_capped_per_user_and_per_state(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        service = ServiceStore(store.engine)
        service.create()
        clock = FixedClock(START)
        user = service.add_user("c.az", "AZ", "coordinator", "!", clock.now())
        case = service.add_case(
            state="AZ", title="q", status="open", created=clock.now(), created_by=user.name,
            datum_lon=50.5, datum_lat=40.5, datum_time=clock.now(), object_class="PIW-1",
            persons=1, alert_id=None, mmsi=None, description="", environment={},
        )  # fmt: skip
        jobs = Jobs(service, EventBus(), clock, workers=2, max_per_user=1, max_per_state=2)
        release = threading.Event()

        def blocked(progress: Progress) -> Outcome:
            release.wait(30)
            return Outcome({})

        a1 = Owner(user="a1", state="AZ")
        first = jobs.submit(case.id, "drift", blocked, owner=a1)
        with pytest.raises(QuotaError, match=r"user .a1. already has 1 runs.*at most 1"):
            jobs.submit(case.id, "drift", blocked, owner=a1)
        jobs.submit(case.id, "drift", blocked, owner=Owner(user="a2", state="AZ"))
        with pytest.raises(QuotaError, match=r"state AZ already has 2 runs.*at most 2"):
            jobs.submit(case.id, "drift", blocked, owner=Owner(user="a3", state="AZ"))
        jobs.submit(case.id, "drift", blocked, owner=Owner(user="r1", state="RU"))
        release.set()
        jobs.wait(first.id, 30)
        jobs.shutdown()
        again = Jobs(service, EventBus(), clock, workers=1, max_per_user=1)
        done = again.submit(case.id, "drift", blocked, owner=a1)  # a finished run frees the cap
        again.wait(done.id, 30)
        again.shutdown()


def _result(n: int) -> DriftResult:
    times = np.arange(np.datetime64("2026-05-01T00:00"), np.datetime64("2026-05-01T10:00"),
                      np.timedelta64(1, "h")).astype("datetime64[s]")  # fmt: skip
    shape = (len(times), n)
    return DriftResult(
        times=times,
        lon=np.zeros(shape),
        lat=np.zeros(shape),
        status=np.zeros(shape, dtype=np.int8),
        weight=np.ones(n),
        seed=1,
        object_class="PIW-1",
        attrs={},
    )


def test_result_cache_stays_within_its_bytes() -> None:
    size = result_bytes(_result(1000))
    cache = ResultCache(max_bytes=int(size * 2.5))
    loads = []
    for key in (1, 2, 3, 1, 2, 3):
        cache.get(key, lambda k=key: loads.append(k) or _result(1000))
        assert cache.held_bytes <= cache.max_bytes
    assert loads == [1, 2, 3, 1, 2, 3]  # two fit: least recently used goes first
    assert 3 in cache
    assert 1 not in cache
    cache.get(3, lambda: _result(1))
    assert loads[-1] == 3
    huge = ResultCache(max_bytes=10)
    huge.get(1, lambda: _result(1000))
    assert huge.held_bytes == 0  # handed out, not kept
