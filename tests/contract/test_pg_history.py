"""History on PostgreSQL: daily partitions, pruning, retention, COPY ingest, schema upgrade.

Run against the real server of ``LITTORAL_TEST_PG_URL`` (with PostGIS), each test in a
schema of its own; skipped when the variable is not set, as the other PostgreSQL tests.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, create_engine, select, text

from littoral.cli.main import main
from littoral.errors import InputError, StoreError
from littoral.records import AisClass, PositionReport
from littoral.store import BoundingBox, SqlStore, open_store, schema
from littoral.store.partitions import DAY_MS, partition_name, retention_cutoff
from littoral.store.pgcopy import copy_positions
from littoral.store.position_queries import (
    in_view_query_postgresql,
    track_query,
    window_query,
)
from littoral.store.records import to_ms
from littoral.store.repos import PositionRow, insert_positions, position_rows
from littoral.tracks import VesselState

pytestmark = pytest.mark.postgres

PG_ENV = "LITTORAL_TEST_PG_URL"
T0 = datetime(2026, 5, 1, tzinfo=UTC)
CASPIAN = BoundingBox(46.5, 36.5, 54.5, 47.2)
NORTH = BoundingBox(48.0, 44.0, 52.0, 47.0)


@pytest.fixture
def pg() -> Iterator[str]:
    """URL of a new, empty schema (dropped afterwards); skip without a server."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against")
    name = f"history_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    try:
        yield f"{base}?options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


def _tracks(vessels: int, days: float, step_min: float, seed: int) -> list[PositionReport]:
    """Seeded vessels sailing straight legs across the Caspian, one report per ``step_min``."""
    rng = np.random.default_rng(seed)
    reports: list[PositionReport] = []
    steps = int(days * 24 * 60 / step_min)
    for k in range(vessels):
        mmsi = 273_000_000 + k
        lon, lat = rng.uniform(47.5, 53.0), rng.uniform(37.5, 46.5)
        heading = rng.uniform(0.0, 360.0)
        offset = rng.uniform(0.0, step_min)
        for i in range(steps):
            if rng.random() < 0.02:
                heading = rng.uniform(0.0, 360.0)
            lon = float(np.clip(lon + 0.01 * np.sin(np.radians(heading)), 47.0, 54.0))
            lat = float(np.clip(lat + 0.01 * np.cos(np.radians(heading)), 37.0, 47.0))
            reports.append(
                PositionReport(
                    mmsi=mmsi, time=T0 + timedelta(minutes=offset + i * step_min),
                    lon=lon, lat=lat, msg_type=1, source=f"rx{k % 3}", sog_kn=10.0,
                    cog_deg=float(heading), heading_deg=None if k % 4 == 0 else float(heading),
                    nav_status=0, ais_class=AisClass.A,
                )
            )  # fmt: skip
    return reports


def _vessels(reports: list[PositionReport]) -> list[VesselState]:
    first: dict[int, datetime] = {}
    last: dict[int, PositionReport] = {}
    for r in reports:
        first.setdefault(r.mmsi, r.time)
        if r.mmsi not in last or r.time >= last[r.mmsi].time:
            last[r.mmsi] = r
    return [
        VesselState(
            mmsi=m,
            first_seen=first[m],
            last_seen=r.time,
            message_count=1,
            lon=r.lon,
            lat=r.lat,
            position_time=r.time,
            name=f"SHIP {m % 1000}",
        )
        for m, r in sorted(last.items())
    ]


def _fill(store: SqlStore, reports: list[PositionReport]) -> None:
    store.write_batch(reports, _vessels(reports))


def _scanned(engine: Engine, query: Any) -> set[str]:
    """Return the relations an ``EXPLAIN`` of ``query`` (with bound parameters) reads."""
    compiled = query.compile(dialect=engine.dialect)
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params
        ).scalar_one()
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            found.add(str(node["Relation Name"]))
        for child in node.get("Plans", []):
            walk(child)

    walk((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"])
    return found


def _days(start: datetime, end: datetime) -> set[str]:
    first, last = to_ms(start) // DAY_MS, to_ms(end) // DAY_MS
    return {partition_name(d) for d in range(first, last + 1)}


def test_positions_are_partitioned_by_day_with_a_postgis_point(pg: str) -> None:
    with open_store(pg) as store:
        reports = _tracks(3, 2.5, 60.0, seed=1)
        _fill(store, reports)
        layout = store.partitions
        assert layout is not None
        names = [p.name for p in layout.partitions()]
        assert names == ["positions_20260501", "positions_20260502", "positions_20260503"]
        with store.engine.connect() as conn:
            assert (
                conn.execute(
                    text("SELECT relkind FROM pg_class WHERE oid = to_regclass('positions')")
                ).scalar_one()
                == "p"
            )
            geom_type = conn.execute(
                text(
                    "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                    "WHERE attrelid = to_regclass('positions_20260502') AND attname = 'geom'"
                )
            ).scalar_one()
            assert geom_type.endswith("geometry(Point,4326)")
            methods: dict[str, str] = dict(
                conn.execute(
                    text(
                        "SELECT a.attname, am.amname FROM pg_index i "
                        "JOIN pg_class c ON c.oid = i.indexrelid "
                        "JOIN pg_am am ON am.oid = c.relam "
                        "JOIN pg_attribute a ON a.attrelid = i.indrelid "
                        "AND a.attnum = i.indkey[0] "
                        "WHERE i.indrelid = to_regclass('positions_20260502')"
                    )
                ).all()
            )
            assert methods == {"mmsi": "btree", "geom": "gist", "time_ms": "brin"}
            # the server makes the point from lon and lat: they cannot disagree
            x, y, n = conn.execute(
                text(
                    f"SELECT max(abs({layout.namespace}.st_x(geom) - lon)), "
                    f"max(abs({layout.namespace}.st_y(geom) - lat)), count(*) FROM positions"
                )
            ).one()
            assert (x, y, n) == (0.0, 0.0, len(reports))
        assert layout.ensure({to_ms(T0) // DAY_MS}) == []  # exists: no DDL
        assert store.positions.count() == len(reports)


def test_every_history_query_reads_only_the_partitions_of_its_time(pg: str) -> None:
    with open_store(pg) as store:
        _fill(store, _tracks(4, 40.0, 240.0, seed=2))
        layout = store.partitions
        assert layout is not None
        assert len(layout.partitions()) == 40
        engine = store.engine
        start, end = T0 + timedelta(days=5, hours=3), T0 + timedelta(days=35, hours=3)
        track = track_query(273_000_001, to_ms(start), to_ms(end))
        assert _scanned(engine, track) == _days(start, end)
        assert len(_days(start, end)) == 31
        at = T0 + timedelta(days=20, hours=12)
        hour = 3_600_000
        for bbox in (None, NORTH, CASPIAN):
            query = in_view_query_postgresql(bbox, to_ms(at), hour, layout.namespace)
            assert _scanned(engine, query) == {"positions_20260521", "vessels"}
        # a window across midnight reads the two days it spans
        midnight = T0 + timedelta(days=10, minutes=30)
        query = in_view_query_postgresql(NORTH, to_ms(midnight), hour, layout.namespace)
        assert _scanned(engine, query) == {"positions_20260510", "positions_20260511", "vessels"}
        replay = window_query(to_ms(at), to_ms(at) + hour - 1, None)
        assert _scanned(engine, replay) == {"positions_20260521"}
        # the repositories run these very queries
        assert store.positions.track(273_000_001, start, end)
        assert store.vessels.find(CASPIAN, at=at, max_age=timedelta(hours=6))


def test_retention_drops_old_days_and_keeps_recent_ones(pg: str) -> None:
    now = datetime(2026, 5, 11, 12, 0, tzinfo=UTC)
    with open_store(pg) as store, open_store(pg) as other:
        _fill(store, _tracks(2, 11.0, 120.0, seed=3))
        other.positions.add(_tracks(1, 0.5, 60.0, seed=4))  # knows day 1 has a partition
        layout = store.partitions
        assert layout is not None
        assert len(layout.partitions()) == 11
        cutoff = retention_cutoff(now, 5)  # 2026-05-06T12:00Z
        planned = layout.drop_before(cutoff, dry_run=True)
        assert len(layout.partitions()) == 11
        dropped = layout.drop_before(cutoff)
        assert [p.name for p in dropped] == [p.name for p in planned]
        assert [p.day.day for p in dropped] == [1, 2, 3, 4, 5]
        kept = layout.partitions()
        assert [p.day.day for p in kept] == [6, 7, 8, 9, 10, 11]  # the 6th holds 12:00 on
        assert store.positions.track(273_000_000, None, cutoff) != []  # 06 00:00-12:00 kept
        oldest = min(p.time for p in store.positions.track(273_000_000))
        assert oldest >= datetime(2026, 5, 6, tzinfo=UTC)
        # another writer that knew the dropped day writes to it again: it is remade
        assert other.positions.add(_tracks(1, 0.5, 60.0, seed=5)) > 0
        assert "positions_20260501" in [p.name for p in layout.partitions()]
    with pytest.raises(InputError, match="keep_days=0"):
        retention_cutoff(now, 0)


def test_retention_from_the_command_line(pg: str, capsys: pytest.CaptureFixture[str]) -> None:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with open_store(pg) as store:
        for age_days in (40, 31, 2, 0):
            when = today - timedelta(days=age_days) + timedelta(hours=1)
            store.positions.add(
                [PositionReport(mmsi=273_000_001, time=when, lon=50.0, lat=42.0, msg_type=1)]
            )
    argv = ["db", "retention", "--db", pg, "--keep-days", "30", "--json"]
    assert main([*argv, "--dry-run"]) == 0
    planned = json.loads(capsys.readouterr().out)
    assert planned["dry_run"] is True
    assert len(planned["partitions"]) == 2
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["partitions"] == planned["partitions"]
    assert main(["db", "partitions", "--db", pg, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    with open_store(pg) as store:
        assert store.positions.count() == 2


def _heap_pages(engine: Engine, name: str, mmsi: int) -> int:
    """Distinct heap pages of one vessel's rows in partition ``name``."""
    pages = f"SELECT count(DISTINCT (ctid::text::point)[0]) FROM {name} WHERE mmsi = :m"
    with engine.connect() as conn:
        return int(conn.execute(text(pages), {"m": mmsi}).scalar_one())


def test_cluster_puts_finished_days_in_vessel_order_once(
    pg: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(pg) as store:
        feed = sorted(_tracks(40, 3.0, 2.0, seed=8), key=lambda r: r.time)  # as a feed
        for i in range(0, len(feed), 20_000):
            _fill(store, feed[i : i + 20_000])
        layout = store.partitions
        assert layout is not None
        before = {m: store.positions.track(m) for m in (273_000_003, 273_000_031)}
        spread = _heap_pages(store.engine, "positions_20260502", 273_000_003)
        cutoff = datetime(2026, 5, 3, tzinfo=UTC)  # the 3rd is not finished
        planned = layout.cluster_before(cutoff, dry_run=True)
        assert [p.day.day for p in planned] == [1, 2]
        assert layout.clustered() == set()
        done = layout.cluster_before(cutoff)
        assert [p.name for p in done] == [p.name for p in planned]
        assert layout.clustered() == {"positions_20260501", "positions_20260502"}
        assert layout.cluster_before(cutoff) == []  # each day rewritten once
        # one vessel's day: 720 reports were on one page each of a few dozen; now a few
        packed = _heap_pages(store.engine, "positions_20260502", 273_000_003)
        assert packed * 4 <= spread, (packed, spread)
        assert {m: store.positions.track(m) for m in before} == before  # same answers
    assert main(["db", "cluster", "--db", pg, "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["partitions"] == ["positions_20260503"]  # long finished by today


def _odd_rows() -> list[PositionRow]:
    """Rows the text COPY format must escape, NULLs, repeats and a key seen twice."""
    base = to_ms(T0)
    rows: list[PositionRow] = [
        (273000001, base, 50.123456789012345, 42.5, 12.3, 45.0, None, 0, 1, "baku"),
        (273000001, base, 50.123456789012345, 42.5, 99.9, 1.0, 2.0, 3, 3, "repeat"),  # same key
        (273000002, base + 1, -0.0, 1e-300, None, None, None, None, 18, "tab\there"),
        (273000003, base + 2, 49.0, 40.0, 0.0, 359.9, 511.0, 15, 1, "back\\slash\nnewline"),
        (273000004, base - 5 * DAY_MS, 51.0, 41.0, 102.2, 0.1, 0.0, 8, 27, "Ақтау ∂ \\N"),
        (273000004, base + 3 * DAY_MS, 51.0, 41.0, 1.0, 2.0, 3.0, 4, 1, ""),
    ]
    return rows


def test_copy_ingest_stores_the_same_rows_as_the_insert_path(pg: str) -> None:
    rows = _odd_rows()
    reports = _tracks(5, 1.0, 10.0, seed=6)
    with open_store(pg) as store:
        layout = store.partitions
        assert layout is not None
        layout.ensure({r[1] // DAY_MS for r in rows})
        table = schema.positions
        order = (table.c.mmsi, table.c.time_ms, table.c.lon, table.c.lat)

        def stored() -> list[tuple[Any, ...]]:
            with store.engine.connect() as conn:
                return [tuple(r) for r in conn.execute(select(table).order_by(*order))]

        with store.engine.begin() as conn:
            by_insert = insert_positions(conn, store._backend, rows)
        inserted = stored()
        with store.engine.begin() as conn:
            conn.execute(text("TRUNCATE positions"))
            by_copy = copy_positions(conn, rows)
            again = copy_positions(conn, rows)  # the same batch twice: nothing new
        assert (by_copy, again) == (by_insert, 0) == (5, 0)
        assert stored() == inserted
        assert "tab\there" in {r[9] for r in inserted}
        assert "Ақтау ∂ \\N" in {r[9] for r in inserted}
        # the ingest's path (write_batch) copies: same rows as the insert path, idempotent
        with store.engine.begin() as conn:
            conn.execute(text("TRUNCATE positions"))
        assert store.write_batch(reports, _vessels(reports)) == len(reports)
        assert store.write_batch(reports, _vessels(reports)) == 0
        copied = stored()
        with store.engine.begin() as conn:
            conn.execute(text("TRUNCATE positions"))
            insert_positions(conn, store._backend, position_rows(reports))
        assert stored() == copied


def test_the_same_questions_get_the_same_answers_on_sqlite_and_postgresql(
    pg: str, tmp_path: Path
) -> None:
    reports = _tracks(12, 3.0, 7.0, seed=7)
    with open_store(pg) as post, open_store(tmp_path / "s.sqlite") as lite:
        for store in (post, lite):
            _fill(store, reports)
        questions: list[tuple[BoundingBox | None, datetime, timedelta]] = [
            (None, T0 + timedelta(days=1, hours=5), timedelta(hours=1)),
            (NORTH, T0 + timedelta(days=2, minutes=10), timedelta(minutes=30)),
            (CASPIAN, T0 + timedelta(days=1), timedelta(hours=3)),  # across midnight
            (BoundingBox(49.0, 40.0, 51.0, 43.0), T0 + timedelta(hours=30), timedelta(hours=2)),
        ]
        for bbox, at, age in questions:
            a = post.vessels.find(bbox, at=at, max_age=age)
            b = lite.vessels.find(bbox, at=at, max_age=age)
            assert a, (bbox, at)
            assert [(v.mmsi, v.position_time, v.lon, v.lat, v.cog_deg, v.name) for v in a] == [
                (v.mmsi, v.position_time, v.lon, v.lat, v.cog_deg, v.name) for v in b
            ]
        start, end = T0 + timedelta(hours=20), T0 + timedelta(hours=50)
        for mmsi in (273_000_000, 273_000_005, 273_000_011):
            track = post.positions.track(mmsi, start, end)
            assert track
            assert track == lite.positions.track(mmsi, start, end)
        window = (T0 + timedelta(hours=23), T0 + timedelta(hours=25, minutes=30))
        replay_pg = [p for chunk in post.positions.between(*window, chunk_size=100) for p in chunk]
        replay_lite = [
            p for chunk in lite.positions.between(*window, chunk_size=100) for p in chunk
        ]
        assert replay_pg
        assert replay_pg == replay_lite
        assert post.positions.count() == lite.positions.count() == len(reports)


def test_a_schema_1_store_is_refused_until_upgraded(
    pg: str, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = _tracks(3, 2.0, 30.0, seed=8)
    engine = create_engine(pg.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        schema.metadata.create_all(engine)  # the old layout: positions in one table
        with engine.begin() as conn:
            conn.execute(schema.store_meta.insert().values(key="schema_version", value="1"))
            insert_positions(conn, _backend(), position_rows(reports))
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="littoral db upgrade --db"):
        open_store(pg)
    assert main(["db", "upgrade", "--db", pg, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["needed"], report["moved"], report["partitions"]) == (True, len(reports), 2)
    with open_store(pg) as store:
        assert store.positions.count() == len(reports)
        assert store.positions.track(273_000_001) == sorted(
            store.positions.track(273_000_001), key=lambda p: (p.time, p.lon, p.lat)
        )
        with store.engine.connect() as conn:
            version = conn.execute(
                select(schema.store_meta.c.value).where(schema.store_meta.c.key == "schema_version")
            ).scalar_one()
        assert version == "2"
    assert main(["db", "upgrade", "--db", pg]) == 0
    assert "nothing to upgrade" in capsys.readouterr().out


def _backend() -> Any:
    from littoral.store.backend import POSTGRESQL

    return POSTGRESQL


def test_a_database_without_postgis_is_refused_with_what_to_run() -> None:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against")
    name = f"history_nogis_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            superuser = conn.execute(
                text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            ).scalar_one()
            conn.execute(text(f"CREATE DATABASE {name}"))
        url = base.rsplit("/", 1)[0] + f"/{name}"
        if superuser:  # a superuser's store creates PostGIS itself
            with open_store(url) as store:
                assert store.partitions is not None
        else:  # the test role of .ci/postgres.sh may not: the message says what to do
            with pytest.raises(StoreError, match="needs the PostGIS extension") as caught:
                open_store(url)
            assert f"psql -d {name} -c 'CREATE EXTENSION postgis'" in str(caught.value)
            assert "postgresql-15-postgis-3" in str(caught.value)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
