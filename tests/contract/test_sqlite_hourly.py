"""SQLite's positions keyed by hour, then vessel (store schema 2, ``littoral.store.hourly``).

The answers are those of a plain reading of the rows, at the edges of hours, across many
hours and before 1970; the reads go through the key (a wrong plan would be a silent scan of
the whole table); a schema 1 file is refused until ``littoral db upgrade`` moves its
positions, which it does without losing or changing one.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, select
from sqlalchemy.dialects import sqlite

from littoral.cli.main import main
from littoral.errors import StoreError
from littoral.records import AisClass, PositionReport
from littoral.store import open_store, schema
from littoral.store.backend import SQLITE
from littoral.store.hourly import HOUR_MS, HOUR_SQL, hour_of
from littoral.store.position_queries import in_view_query_sqlite, track_query
from littoral.store.records import StoredPosition, to_ms
from littoral.store.repos import position_rows

T0 = datetime(2026, 5, 1, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MS = timedelta(milliseconds=1)
HOUR = timedelta(hours=1)
EDGES = [
    T0 - MS, T0, T0 + HOUR - MS, T0 + HOUR, T0 + HOUR + MS, T0 + 5 * HOUR + 7 * MS,
    T0 + timedelta(days=3), EPOCH - MS, EPOCH, EPOCH - HOUR, EPOCH - HOUR - MS,
]  # fmt: skip
"""Times at and beside the edges of hours, days apart, and before 1970."""


@given(st.integers(-(10**14), 10**14))
def test_the_hour_of_sqlite_is_the_hour_of_python(time_ms: int) -> None:
    with sqlite3.connect(":memory:") as conn:
        found = conn.execute(f"SELECT {HOUR_SQL} FROM (SELECT ? AS time_ms)", (time_ms,))
        assert found.fetchone()[0] == hour_of(time_ms) == time_ms // HOUR_MS


def _reports() -> list[PositionReport]:
    reports = []
    for k, mmsi in enumerate((273_000_001, 273_000_002, 422_000_003)):
        for i, time in enumerate(EDGES):
            reports.append(
                PositionReport(
                    mmsi=mmsi, time=time, lon=48.0 + 0.01 * i + k, lat=40.0 + 0.01 * i,
                    msg_type=1, source=f"rx{k}", sog_kn=None if i % 3 else 9.5,
                    cog_deg=12.0, heading_deg=None, nav_status=0, ais_class=AisClass.A,
                )
            )  # fmt: skip
    return reports


def _expected(reports: list[PositionReport], mmsi: int | None, low: Any, high: Any) -> list[Any]:
    rows = [
        r
        for r in position_rows(reports)
        if (mmsi is None or r[0] == mmsi)
        and (low is None or r[1] >= to_ms(low))
        and (high is None or r[1] <= to_ms(high))
    ]
    if mmsi is None:
        return sorted(rows, key=lambda r: (r[1], r[0], r[2], r[3]))
    return sorted(rows, key=lambda r: (r[1], r[2], r[3]))


def _row(p: StoredPosition) -> tuple[Any, ...]:
    return (
        p.mmsi, to_ms(p.time), p.lon, p.lat, p.sog_kn, p.cog_deg, p.heading_deg,
        p.nav_status, p.msg_type, p.source,
    )  # fmt: skip


BOUNDS = [
    (None, None), (T0, None), (None, T0), (T0, T0), (T0 - MS, T0 + HOUR - MS),
    (T0 + HOUR - MS, T0 + HOUR), (T0 + HOUR, T0 + timedelta(days=3)), (EPOCH - HOUR, EPOCH),
    (EPOCH - HOUR - MS, EPOCH - HOUR - MS), (T0 + 2 * HOUR, T0 + 4 * HOUR),
]  # fmt: skip


def test_tracks_windows_and_counts_at_the_edges_of_hours(tmp_path: Path) -> None:
    reports = _reports()
    with open_store(tmp_path / "hourly.sqlite") as store:
        assert store.positions.add(reports) == len(reports)
        assert store.positions.add(reports) == 0  # the same key: stored once
        for mmsi in (273_000_001, 422_000_003):
            assert store.positions.count(mmsi) == len(EDGES)
            for low, high in BOUNDS:
                want = _expected(reports, mmsi, low, high)
                assert [_row(p) for p in store.positions.track(mmsi, low, high)] == want
                columns = store.positions.track_columns(mmsi, low, high)
                assert columns.time_ms.tolist() == [r[1] for r in want]
                assert columns.lon.tolist() == [r[2] for r in want]
        for low, high in BOUNDS:
            if low is None or high is None:
                continue
            found = [
                _row(p)
                for chunk in store.positions.between(low, high, chunk_size=4, window=HOUR / 3)
                for p in chunk
            ]
            assert found == _expected(reports, None, low, high)
        assert store.positions.count(999_999_999) == 0


def _plan(store: Any, query: Any) -> str:
    compiled = query.compile(dialect=sqlite.dialect())
    params = tuple(compiled.params[name] for name in compiled.positiontup)
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params).fetchall()
    return "\n".join(str(row[-1]) for row in rows)


def test_a_track_and_the_vessels_at_a_time_are_read_through_the_key(tmp_path: Path) -> None:
    with open_store(tmp_path / "plans.sqlite") as store:
        store.positions.add(_reports())
        track = _plan(store, track_query(273_000_001, to_ms(T0), to_ms(T0 + HOUR), hourly=True))
        assert "USING PRIMARY KEY (hour=? AND mmsi=? AND time_ms>? AND time_ms<?)" in track
        assert "SCAN positions" not in track
        open_ended = _plan(store, track_query(273_000_001, None, None, hourly=True))
        assert "USING PRIMARY KEY (hour=? AND mmsi=?)" in open_ended
        view = _plan(store, in_view_query_sqlite(None, to_ms(T0), 3_600_000))
        assert "SCAN inner_positions" not in view
        assert "SCAN positions" not in view
        # one lookup per vessel: its last time in each hour of the window, then that row
        assert "SEARCH positions USING PRIMARY KEY (hour=? AND mmsi=? AND time_ms=?)" in view
        assert "USING PRIMARY KEY (hour=? AND mmsi=? AND time_ms>? AND time_ms<?)" in view


def _schema_1_file(path: Path, reports: list[PositionReport]) -> None:
    """Write a store as littoral wrote it before schema 2: positions keyed by vessel."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        schema.metadata.create_all(engine)  # (schema.positions: the key of schema 1)
        with engine.begin() as conn:
            conn.execute(schema.store_meta.insert().values(key="schema_version", value="1"))
            cursor = conn.connection.cursor()
            sql = SQLITE.insert_ignore_sql("positions", schema.POSITION_COLUMNS)
            cursor.executemany(sql, position_rows(reports))
            cursor.close()
    finally:
        engine.dispose()


def test_a_schema_1_file_is_refused_until_upgraded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = _reports()
    path = tmp_path / "old.sqlite"
    _schema_1_file(path, reports)
    with pytest.raises(StoreError, match=r"by vessel \(littoral schema 1\).*littoral db upgrade"):
        open_store(path)
    assert main(["db", "upgrade", "--db", f"sqlite:///{path}", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["needed"], report["moved"]) == (True, len(reports))
    with open_store(path) as store:
        assert store.positions.count() == len(reports)
        for mmsi in (273_000_001, 273_000_002, 422_000_003):
            want = _expected(reports, mmsi, None, None)
            assert [_row(p) for p in store.positions.track(mmsi)] == want
        with store.engine.connect() as conn:
            version = conn.execute(
                select(schema.store_meta.c.value).where(schema.store_meta.c.key == "schema_version")
            ).scalar_one()
        assert version == "2"
    assert main(["db", "upgrade", "--db", str(path)]) == 0
    assert "nothing to upgrade" in capsys.readouterr().out


def test_a_schema_1_file_without_positions_opens_as_schema_2(tmp_path: Path) -> None:
    path = tmp_path / "accounts.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    try:
        tables = [t for t in schema.metadata.sorted_tables if t.name != "positions"]
        schema.metadata.create_all(engine, tables=tables)
        with engine.begin() as conn:
            conn.execute(schema.store_meta.insert().values(key="schema_version", value="1"))
    finally:
        engine.dispose()
    with open_store(f"sqlite:///{path}") as store:
        assert store.positions.add(_reports()[:3]) == 3
        with store.engine.connect() as conn:
            version = conn.execute(
                select(schema.store_meta.c.value).where(schema.store_meta.c.key == "schema_version")
            ).scalar_one()
        assert version == "2"


def test_upgrading_a_missing_file_names_it(tmp_path: Path) -> None:
    from littoral.store.open import upgrade_store

    with pytest.raises(StoreError, match="no such file"):
        upgrade_store(str(tmp_path / "nowhere.sqlite"))
