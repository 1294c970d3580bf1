"""A PostgreSQL outage gives 503 with Retry-After (never 500), and the service recovers.

The service reaches PostgreSQL through a TCP relay that the test cuts and restores, so the
outage is a real one: connections drop and new ones are refused.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from api_env import PASSWORD, START, make_settings
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from tcp_proxy import TcpProxy

from littoral.api import create_app
from littoral.api.services import Services
from littoral.clock import FixedClock
from littoral.store import open_store

pytestmark = pytest.mark.postgres

CASE = {
    "title": "outage",
    "datum_lon": 50.5,
    "datum_lat": 40.5,
    "datum_time": "2026-05-01T11:00:00Z",
}


@pytest.fixture
def relayed_pg() -> Iterator[tuple[str, TcpProxy]]:
    base = os.environ.get("LITTORAL_TEST_PG_URL")
    if not base:
        pytest.skip("LITTORAL_TEST_PG_URL is not set: no PostgreSQL server to test against")
    schema_name = f"outage_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema_name}"))
    parts = urlsplit(base)
    proxy = TcpProxy((parts.hostname or "localhost", parts.port or 5432))
    relayed = base.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")
    try:
        yield f"{relayed}?options=-csearch_path%3D{schema_name}", proxy
    finally:
        proxy.cut()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema_name} CASCADE"))
        admin.dispose()


def test_outage_is_503_with_retry_after_and_the_service_recovers(
    relayed_pg: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    url, proxy = relayed_pg
    settings = make_settings(tmp_path, db_url=url)
    clock = FixedClock(START)
    store = open_store(url)
    app = create_app(settings, store, clock)
    with TestClient(app) as client:
        services: Services = app.state.services
        services.service.add_user(
            "coord.az", "AZ", "coordinator", services.hasher.hash(PASSWORD), clock.now()
        )
        login = client.post("/api/auth/login", json={"name": "coord.az", "password": PASSWORD})
        client.cookies.clear()
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        acknowledged = [client.post("/api/cases", json=CASE, headers=headers).json()["id"]]
        assert client.get("/health").status_code == 200

        proxy.cut()
        for _ in range(3):
            health = client.get("/health")
            assert health.status_code == 503
            assert health.headers["retry-after"] == "5"
            assert health.json()["database"].startswith("error")
            write = client.post("/api/cases", json=CASE, headers=headers)
            assert write.status_code == 503, write.text
            assert write.headers["retry-after"] == "5"
            assert write.json()["error"] == "store_unavailable"
        nul = client.post("/api/cases", json={**CASE, "title": "a\x00"}, headers=headers)
        assert nul.status_code == 422  # refused before the database is asked

        proxy.restore()
        cut_over = time.monotonic()
        while client.get("/health").status_code != 200:
            assert time.monotonic() - cut_over < 5.0, "no recovery within 5 s"
            time.sleep(0.1)
        again = client.post("/api/cases", json=CASE, headers=headers)
        assert again.status_code == 201, again.text
        acknowledged.append(again.json()["id"])
        listed = client.get("/api/cases", headers=headers).json()
        assert {c["id"] for c in listed} >= set(acknowledged)
        entries, _ = services.service.audit(limit=100)
        assert [e.status_code for e in entries].count(503) == 3  # kept, written on recovery
        assert services.service.verify_audit().ok
    store.close()
