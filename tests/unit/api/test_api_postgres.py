"""The service's own tables on PostgreSQL: accounts, cases, log, runs with data, audit.

Needs ``LITTORAL_TEST_PG_URL`` (``source .ci/postgres.sh && start_postgres``); the test works
in a schema of its own, dropped at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_env import PASSWORD, START, make_settings
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from littoral.api import create_app
from littoral.api.services import Services
from littoral.clock import FixedClock
from littoral.store import open_store

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = os.environ.get("LITTORAL_TEST_PG_URL")
    if not base:
        pytest.skip("LITTORAL_TEST_PG_URL is not set: no PostgreSQL server to test against")
    schema_name = f"api_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema_name}"))
    try:
        yield f"{base}?options=-csearch_path%3D{schema_name}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema_name} CASCADE"))
        admin.dispose()


def test_service_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, db_url=pg_url)
    clock = FixedClock(START)
    store = open_store(pg_url)
    app = create_app(settings, store, clock)
    with TestClient(app) as client:
        services: Services = app.state.services
        services.service.add_user(
            "coord.az", "AZ", "coordinator", services.hasher.hash(PASSWORD), clock.now()
        )
        services.service.add_user(
            "admin.az", "AZ", "admin", services.hasher.hash(PASSWORD), clock.now()
        )
        login = client.post("/api/auth/login", json={"name": "coord.az", "password": PASSWORD})
        client.cookies.clear()
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        case = client.post(
            "/api/cases",
            json={
                "title": "on PG",
                "datum_lon": 50.5,
                "datum_lat": 40.5,
                "datum_time": "2026-05-01T11:00:00Z",
            },
            headers=headers,
        ).json()
        client.put(
            f"/api/cases/{case['id']}/environment",
            json={"wind_from_deg": 0, "wind_speed_kn": 15},
            headers=headers,
        )
        run = client.post(
            f"/api/cases/{case['id']}/drift",
            json={"particles": 200, "duration_h": 2},
            headers=headers,
        ).json()
        services.jobs.wait(run["id"], 120)
        drift = client.get(f"/api/cases/{case['id']}/drift", headers=headers).json()
        assert len(drift["times"]) == 5
        frame = client.get(f"/api/cases/{case['id']}/drift/frames/4", headers=headers)
        assert frame.status_code == 200
        log = client.get(f"/api/cases/{case['id']}/log", headers=headers).json()
        assert [e["action"] for e in log] == ["open", "environment", "drift"]
        admin_login = client.post(
            "/api/auth/login", json={"name": "admin.az", "password": PASSWORD}
        )
        client.cookies.clear()
        admin = {"Authorization": f"Bearer {admin_login.json()['token']}"}
        audit = client.get("/api/audit", headers=admin).json()
        assert audit["total"] == 5
        assert audit["entries"][-1]["time"] == "2026-05-01T12:00:00Z"
    store.close()
