"""Sessions that really end, progressive and atomic login throttling, the last admin, audit."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import httpx
from api_env import PASSWORD, START, Env, make_settings
from served import serve

from littoral.api import create_app
from littoral.api.services import Services
from littoral.cli.serve import uvicorn_config
from littoral.clock import FixedClock
from littoral.store import open_store


def _patch(env: Env, name: str, body: dict[str, object]) -> httpx.Response:
    admin = env.login("admin.az")
    return env.client.patch(f"/api/users/{name}", json=body, headers=admin)


def test_password_role_and_disable_end_every_session(env: Env) -> None:
    password = PASSWORD
    for change in (
        {"password": "a-new-password-1"},
        {"role": "watch_officer"},
        {"disabled": True},
    ):
        old = env.login("coord.az", password)
        password = str(change.get("password", password))
        assert env.client.get("/api/me", headers=old).status_code == 200
        assert _patch(env, "coord.az", change).status_code == 200
        response = env.client.get("/api/me", headers=old)
        assert response.status_code == 401, change
    assert _patch(env, "coord.az", {"disabled": False}).status_code == 200
    assert env.client.get("/api/me", headers=old).status_code == 401  # never revived
    stored = env.services.service.engine
    with stored.connect() as conn:
        from sqlalchemy import text

        left = conn.execute(text("SELECT count(*) FROM sessions s JOIN users u ON u.id = "
                                 "s.user_id WHERE u.name = 'coord.az'")).scalar_one()  # fmt: skip
    assert left == 0


def test_audit_records_old_and_new_values(env: Env) -> None:
    assert _patch(env, "coord.az", {"role": "admin", "password": "a-new-password-2"}).is_success
    entries = env.client.get("/api/audit", headers=env.login("admin.az")).json()["entries"]
    patch = next(e for e in entries if e["method"] == "PATCH")
    assert patch["detail"]["changes"] == {
        "role": {"old": "coordinator", "new": "admin"},
        "password": "changed",
    }
    assert "a-new-password-2" not in str(entries)


def test_the_last_enabled_admin_of_a_state_stays(env: Env) -> None:
    for change in ({"role": "coordinator"}, {"disabled": True}):
        response = _patch(env, "admin.az", change)
        assert response.status_code == 422
        assert "last enabled administrator of AZ" in response.json()["reason"]
    assert _patch(env, "coord.az", {"role": "admin"}).status_code == 200
    assert _patch(env, "admin.az", {"role": "coordinator"}).status_code == 200


def test_throttle_delays_progressively_instead_of_locking_out(env: Env) -> None:
    bad = {"name": "coord.az", "password": "x" * 9}
    good = {"name": "coord.az", "password": PASSWORD}
    for _ in range(env.settings.login_max_failures):
        assert env.client.post("/api/auth/login", json=bad).status_code == 401
    waits = []
    for _ in range(4):
        refused = env.client.post("/api/auth/login", json=good)
        assert refused.status_code == 429
        waits.append(int(refused.headers["retry-after"]))
        env.clock.advance(timedelta(seconds=waits[-1]))
        assert env.client.post("/api/auth/login", json=bad).status_code == 401
    assert waits == [1, 2, 4, 8]  # doubling, not a five-minute lock
    env.clock.advance(timedelta(seconds=16))
    assert env.client.post("/api/auth/login", json=good).status_code == 200


def test_fifty_parallel_guesses_reach_the_password_check_at_most_three_times(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path)  # three free attempts
    clock = FixedClock(START)
    store = open_store(settings.db_url)
    app = create_app(settings, store, clock)
    services: Services = app.state.services
    services.service.add_user(
        "coord.az", "AZ", "coordinator", services.hasher.hash(PASSWORD), clock.now()
    )
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    with serve(app) as url:
        start = threading.Barrier(50)

        def guess(i: int) -> None:
            start.wait()
            r = httpx.post(
                f"{url}/api/auth/login",
                json={"name": "coord.az", "password": f"guess-{i:04d}"},
                timeout=60,
            )
            with lock:
                statuses[r.status_code] += 1

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    store.close()
    assert statuses[401] <= settings.login_max_failures, statuses
    assert statuses[401] + statuses[429] == 50, statuses


def test_forwarded_for_is_ignored_unless_a_proxy_is_configured(env: Env) -> None:
    config = uvicorn_config(env.app, env.settings)
    assert config.proxy_headers is False
    trusting = env.settings.model_copy(update={"trusted_proxies": ("10.0.0.5",)})
    config = uvicorn_config(env.app, trusting)
    assert config.proxy_headers is True
    assert config.forwarded_allow_ips == ["10.0.0.5"]
