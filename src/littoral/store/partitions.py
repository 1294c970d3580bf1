"""PostgreSQL positions: daily range partitions on time, a PostGIS point with a GiST index.

On PostgreSQL the ``positions`` table is partitioned by range of ``time_ms``, one partition
per UTC day (``positions_20261204`` holds ``[2026-12-04T00:00Z, 2026-12-05T00:00Z)``), made
on demand by the ingest before a batch that needs it. Every query with a time bound names
its bounds as constants, so the planner prunes the partitions outside them before it opens
any (PostgreSQL 15, 5.11.4 "Partition Pruning"). Old history leaves by dropping whole
partitions (:meth:`PgPositionLayout.drop_before`), which costs the same for a day of ten
rows as for a day of a million and leaves no dead rows behind for ``VACUUM``.

Each partition has the key ``(mmsi, time_ms, lon, lat)`` (one vessel's track is one range
of it), a BRIN index on ``time_ms`` (rows arrive nearly in time order, so a few pages of
summaries find an hour) and a GiST index on ``geom``, a PostGIS ``geometry(Point,4326)``
generated from ``lon`` and ``lat`` by the server, so no writer can make the two disagree.
The choice is argued in ``docs/design/0004-position-partitions.md``.

PostGIS may live in any schema (``public`` usually); its type, functions and operator are
named with that schema, so the store works whatever the connection's ``search_path``.

Sources: PostgreSQL 15 manual, 5.11 "Table Partitioning", 11.15 "BRIN Indexes", COPY;
PostGIS 3.3 manual, 4.9 "Spatial Indexes" and ``ST_MakeEnvelope``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Computed,
    Connection,
    Engine,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlalchemy.types import UserDefinedType

from littoral.errors import InputError, StoreError
from littoral.store import schema

DAY_MS = 86_400_000
"""Width of one partition: a UTC day in milliseconds."""

PG_SCHEMA_VERSION = 2
"""``store_meta.schema_version`` of a PostgreSQL store with partitioned positions."""

_EPOCH_DAY = date(1970, 1, 1)
_LOCK_KEY = 0x6C6974746F72616C  # "litoral" as bytes: serialises partition DDL across writers
_BOUNDS = re.compile(r"FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)")


@dataclass(frozen=True, slots=True, kw_only=True)
class Partition:
    """One daily partition of ``positions``: ``[start_ms, end_ms)``."""

    name: str
    start_ms: int
    end_ms: int

    @property
    def day(self) -> date:
        """The UTC day the partition holds."""
        return _EPOCH_DAY + timedelta(days=self.start_ms // DAY_MS)


def day_of(time_ms: int) -> int:
    """Return the UTC day number (days since 1970-01-01) of ``time_ms``."""
    return time_ms // DAY_MS


def partition_name(day: int) -> str:
    """Return the name of the partition of day number ``day``.

    >>> partition_name(20_000)
    'positions_20241004'
    """
    d = _EPOCH_DAY + timedelta(days=day)
    return f"positions_{d.year:04d}{d.month:02d}{d.day:02d}"


class _Geometry(UserDefinedType[Any]):
    """PostGIS ``geometry(Point,4326)`` named with the schema PostGIS is installed in."""

    cache_ok = True

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def get_col_spec(self, **_kw: Any) -> str:
        return f"{self.namespace}.geometry(Point,4326)"


def quote_identifier(name: str) -> str:
    """Return ``name`` quoted as a PostgreSQL identifier.

    >>> print(quote_identifier("public"), quote_identifier('a"b'))
    "public" "a""b"
    """
    return '"' + name.replace('"', '""') + '"'


def positions_table(namespace: str) -> Table:
    """Return the partitioned ``positions`` table: the columns of the SQLite table, ``geom``.

    ``namespace`` is the schema of PostGIS. Built on a metadata of its own, so
    ``schema.metadata.create_all`` never makes an unpartitioned one.
    """
    namespace = quote_identifier(namespace)
    columns = [c._copy() for c in schema.positions.columns]
    point = f"{namespace}.st_setsrid({namespace}.st_makepoint(lon, lat), 4326)"
    table = Table(
        "positions",
        MetaData(),
        *columns,
        Column("geom", _Geometry(namespace), Computed(point, persisted=True), nullable=False),
        PrimaryKeyConstraint("mmsi", "time_ms", "lon", "lat", name="positions_key"),
        postgresql_partition_by="RANGE (time_ms)",
    )
    Index("positions_geom", table.c.geom, postgresql_using="gist")
    # autosummarize: a filled block range is summarised by autovacuum soon after, so a
    # recent hour is not read as "unsummarised, may match" until the next VACUUM
    Index(
        "positions_time",
        table.c.time_ms,
        postgresql_using="brin",
        postgresql_with={"autosummarize": "on"},
    )
    return table


def postgis_namespace(conn: Connection) -> str | None:
    """Return the schema PostGIS is installed in, or None when it is not installed."""
    found = conn.execute(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'postgis'"
        )
    ).scalar_one_or_none()
    return None if found is None else str(found)


def require_postgis(engine: Engine, url: str) -> str:
    """Return the schema PostGIS is installed in, installing it when the role may.

    Raises
    ------
    StoreError
        Naming the database and what to run, when PostGIS is missing and cannot be created.
    """
    with engine.connect() as conn:
        found = postgis_namespace(conn)
        if found is not None:
            return found
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            found = postgis_namespace(conn)
    except SQLAlchemyError as exc:
        database = engine.url.database
        raise StoreError(
            f"store {url} needs the PostGIS extension, and this role may not create it "
            f"({exc.__class__.__name__}): install the package (Debian: "
            f"postgresql-15-postgis-3), then as a superuser run "
            f"`psql -d {database} -c 'CREATE EXTENSION postgis'`"
        ) from exc
    if found is None:  # pragma: no cover - CREATE EXTENSION succeeded
        raise StoreError(f"store {url}: PostGIS was created but cannot be found")
    return found


def positions_kind(conn: Connection) -> str | None:
    """Return ``"partitioned"``, ``"table"`` (schema 1) or None when there is no ``positions``."""
    kind = conn.execute(
        text("SELECT relkind FROM pg_class WHERE oid = to_regclass('positions')")
    ).scalar_one_or_none()
    if kind is None:
        return None
    return "partitioned" if kind == "p" else "table"


def create_positions(conn: Connection, namespace: str) -> None:
    """Create the partitioned ``positions`` table and its indexes in ``conn``'s transaction."""
    table = positions_table(namespace)
    conn.execute(CreateTable(table))
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        conn.execute(CreateIndex(index))


def create_partition(conn: Connection, day: int) -> str:
    """Create the partition of day number ``day`` in ``conn``'s transaction; return its name."""
    name = partition_name(day)
    conn.execute(
        text(
            f"CREATE TABLE {name} PARTITION OF positions "
            f"FOR VALUES FROM ({day * DAY_MS}) TO ({(day + 1) * DAY_MS})"
        )
    )
    return name


def list_partitions(conn: Connection) -> list[Partition]:
    """Return the partitions of ``positions``, oldest first."""
    rows = conn.execute(
        text(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass('positions')"
        )
    )
    found: list[Partition] = []
    for name, bound in rows:
        match = _BOUNDS.search(str(bound))
        if match is None:  # a partition someone attached by hand with other bounds
            raise StoreError(f"partition {name!r} of positions has bounds {bound!r}, not a day")
        found.append(
            Partition(name=str(name), start_ms=int(match.group(1)), end_ms=int(match.group(2)))
        )
    return sorted(found, key=lambda p: p.start_ms)


class PgPositionLayout:
    """The partitions of one PostgreSQL store: made on demand, listed, dropped by age.

    Knows which days have a partition already, so an ingest batch costs no DDL once its
    day exists; :meth:`forget` clears that after another process dropped partitions.
    """

    def __init__(self, engine: Engine, namespace: str) -> None:
        self._engine = engine
        self._namespace = namespace
        self._known: set[int] = set()
        self._lock = threading.Lock()

    @property
    def namespace(self) -> str:
        """The schema PostGIS is installed in."""
        return self._namespace

    def ensure(self, days: Iterable[int]) -> list[str]:
        """Create the partitions of ``days`` that do not exist yet; return the new names.

        Each is created in a short transaction of its own (creating a partition locks the
        parent table), under an advisory lock so that two writers never race for one name.
        """
        with self._lock:
            missing = sorted(set(days) - self._known)
            if not missing:
                return []
            made: list[str] = []
            with self._engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
                existing = {p.start_ms // DAY_MS for p in list_partitions(conn)}
                made.extend(create_partition(conn, day) for day in missing if day not in existing)
                self._known.update(existing)
                self._known.update(missing)
            return made

    def forget(self) -> None:
        """Forget which partitions exist (another process may have dropped some)."""
        with self._lock:
            self._known.clear()

    def partitions(self) -> list[Partition]:
        """Return the partitions, oldest first."""
        with self._engine.connect() as conn:
            return list_partitions(conn)

    def sizes(self) -> dict[str, tuple[int, int]]:
        """Return each partition's estimated rows (from the last ``ANALYZE``) and bytes."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT c.relname, greatest(c.reltuples, 0)::bigint, "
                    "pg_total_relation_size(c.oid) FROM pg_inherits i "
                    "JOIN pg_class c ON c.oid = i.inhrelid "
                    "WHERE i.inhparent = to_regclass('positions')"
                )
            )
            return {str(name): (int(count), int(size)) for name, count, size in rows}

    def drop_before(self, cutoff: datetime, *, dry_run: bool = False) -> list[Partition]:
        """Drop every partition whose whole day is before ``cutoff``; return them.

        A partition holding any time at or after ``cutoff`` is kept, so nothing younger
        than the cutoff is ever lost. Each drop is its own short transaction.
        """
        if cutoff.tzinfo is None or cutoff.utcoffset() is None:
            raise InputError(f"cutoff={cutoff!r} must be timezone-aware (UTC)")
        cutoff_ms = round(cutoff.timestamp() * 1000)
        old = [p for p in self.partitions() if p.end_ms <= cutoff_ms]
        if dry_run:
            return old
        with self._lock:
            for partition in old:
                with self._engine.begin() as conn:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
                    conn.execute(text(f"DROP TABLE IF EXISTS {partition.name}"))
                self._known.discard(partition.start_ms // DAY_MS)
        return old

    def clustered(self) -> set[str]:
        """Return the partitions already rewritten in vessel order (:meth:`cluster_before`)."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    "JOIN pg_index x ON x.indrelid = c.oid AND x.indisprimary "
                    "WHERE i.inhparent = to_regclass('positions') AND x.indisclustered"
                )
            )
            return {str(r[0]) for r in rows}

    def cluster_before(self, cutoff: datetime, *, dry_run: bool = False) -> list[Partition]:
        """Rewrite each finished day before ``cutoff`` in vessel order; return those rewritten.

        Positions arrive in time order, so one vessel's day is spread over as many heap
        pages as it has reports and a 30-day track reads thousands of pages. ``CLUSTER``
        on the partition's key ``(mmsi, time_ms, lon, lat)`` puts each vessel's day on a
        few pages (PostgreSQL 15 manual, ``CLUSTER``). Each partition is rewritten once
        (its key is then marked clustered), under an exclusive lock on that day only, in
        its own transaction, then analysed. Reports of a finished day that arrive later (a
        federation backlog) are appended unclustered; that costs their own pages only.
        """
        if cutoff.tzinfo is None or cutoff.utcoffset() is None:
            raise InputError(f"cutoff={cutoff!r} must be timezone-aware (UTC)")
        cutoff_ms = round(cutoff.timestamp() * 1000)
        done = self.clustered()
        todo = [p for p in self.partitions() if p.end_ms <= cutoff_ms and p.name not in done]
        if dry_run:
            return todo
        for partition in todo:
            with self._engine.begin() as conn:
                key = conn.execute(
                    text(
                        "SELECT i.relname FROM pg_index x JOIN pg_class i "
                        "ON i.oid = x.indexrelid WHERE x.indrelid = to_regclass(:t) "
                        "AND x.indisprimary"
                    ),
                    {"t": partition.name},
                ).scalar_one()
                # names are the partitions' own, from the catalogue
                table, index = quote_identifier(partition.name), quote_identifier(str(key))
                conn.execute(text(f"CLUSTER {table} USING {index}"))
                conn.execute(text(f"ANALYZE {quote_identifier(partition.name)}"))
        return todo


def retention_cutoff(now: datetime, keep_days: int) -> datetime:
    """Return the time before which positions go when ``keep_days`` days are kept.

    >>> retention_cutoff(datetime(2026, 12, 4, 18, tzinfo=UTC), 30).isoformat()
    '2026-11-04T18:00:00+00:00'
    """
    if keep_days < 1:
        raise InputError(f"keep_days={keep_days!r} must be >= 1")
    if now.tzinfo is None or now.utcoffset() is None:
        raise InputError(f"now={now!r} must be timezone-aware (UTC)")
    return now.astimezone(UTC) - timedelta(days=keep_days)


def days_of(times_ms: Iterable[int]) -> set[int]:
    """Return the day numbers of ``times_ms``."""
    return {t // DAY_MS for t in times_ms}
