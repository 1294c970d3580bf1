"""Run every contract test on every backend: SQLite always, PostgreSQL when configured.

PostgreSQL tests need ``LITTORAL_TEST_PG_URL`` (``source .ci/postgres.sh && start_postgres``
sets it); each session works in a schema of its own, dropped at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from littoral.store import SqlStore, open_store

PG_ENV = "LITTORAL_TEST_PG_URL"
_TABLES = (
    "vessels, vessel_tracks, positions, safety_texts, static_reports, quarantine, ingest_runs, "
    "alerts"
)


def _with_search_path(url: str, schema_name: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema_name}"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL schema for this session, or skip with the reason."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against "
                    "(run `source .ci/postgres.sh && start_postgres`)")  # fmt: skip
    schema_name = f"contract_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema_name}"))
    try:
        yield _with_search_path(base, schema_name)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema_name} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty store on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    url: str = request.getfixturevalue("pg_url")
    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {_TABLES} RESTART IDENTITY"))
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    """An open, empty store on each backend."""
    with open_store(store_url) as opened:
        yield opened
