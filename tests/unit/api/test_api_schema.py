"""Property tests against the served OpenAPI document: no request, however odd, gets a 500.

Schemathesis generates requests for every operation of ``/api/openapi.json`` (valid and
invalid bodies, paths and queries) and sends them, with a coordinator's session, to the app
on a real SQLite file and on PostgreSQL (when ``LITTORAL_TEST_PG_URL`` is set). Every answer
must also be a status the document lists for that operation. Examples per operation are
bounded (``EXAMPLES``) so each run takes about a minute on a loaded machine.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_env import START, Env, make_settings
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, status_code_conformance
from sqlalchemy import create_engine, text

from littoral.api import create_app
from littoral.clock import FixedClock
from littoral.store import open_store

EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 10}
SKIPPED = {
    "GET /api/events",  # the live stream never ends
    "POST /api/auth/logout",  # would end the session the fuzzing uses
}


@pytest.fixture
def pg_env(tmp_path: Path) -> Iterator[Env]:
    base = os.environ.get("LITTORAL_TEST_PG_URL")
    if not base:
        pytest.skip("LITTORAL_TEST_PG_URL is not set: no PostgreSQL server to test against")
    schema_name = f"fuzz_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema_name}"))
    url = f"{base}?options=-csearch_path%3D{schema_name}"
    settings_ = make_settings(tmp_path, db_url=url)
    clock = FixedClock(START)
    store = open_store(url)
    try:
        app = create_app(settings_, store, clock)
        with TestClient(app) as client:
            environment = Env(app, client, clock, settings_, tmp_path / "unused.db")
            environment.add_user("admin.az", "AZ", "admin")
            environment.add_user("coord.az", "AZ", "coordinator")
            yield environment
    finally:
        store.close()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema_name} CASCADE"))
        admin.dispose()


def test_no_request_gets_a_server_error(env: Env) -> None:
    _fuzz_all(env)


@pytest.mark.postgres
def test_no_request_gets_a_server_error_on_postgresql(pg_env: Env) -> None:
    _fuzz_all(pg_env)


def _fuzz_all(env: Env) -> None:
    headers = env.login("coord.az")
    case_body = {
        "title": "fuzz",
        "datum_lon": 50.5,
        "datum_lat": 40.5,
        "datum_time": "2026-05-01T11:00:00Z",
    }
    assert env.client.post("/api/cases", json=case_body, headers=headers).status_code == 201
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", env.app)
    failures: list[str] = []
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if label in SKIPPED:
            continue
        tested.append(label)
        for mode, examples in EXAMPLES.items():
            try:
                _fuzz(operation, mode, examples, headers)
            except Unsatisfiable:
                continue  # no invalid request exists (an operation without parameters)
            except Exception as exc:  # collect every operation's failure, then report all
                failures.append(f"{label} ({mode.value}): {exc}")
    assert len(tested) >= 30
    assert failures == []


def _fuzz(operation: Any, mode: Any, examples: int, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
        if response.status_code >= 400:
            body = response.json()
            assert body["error"], body
            assert body["reason"], body

    run()
