"""The store on SQLAlchemy Core: one class, two backends (SQLite and PostgreSQL).

:meth:`SqlStore.write_batch` is the ingest's unit of durability: positions, vessel rows,
quarantined lines and alerts of one batch commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from types import TracebackType

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import SQLAlchemyError

from littoral.errors import StoreError
from littoral.records.alerts import Alert
from littoral.records.reports import PositionReport, SafetyReport, StaticReport
from littoral.store import hourly, schema
from littoral.store.alerts import SqlAlerts, null_position_allowed, upsert_alert_rows
from littoral.store.backend import Backend, create_tables
from littoral.store.background import PendingWrite, start_sqlite_write
from littoral.store.batch import PreparedBatch, prepare_batch
from littoral.store.partitions import (
    PG_SCHEMA_VERSION,
    PgPositionLayout,
    create_positions,
    positions_kind,
    require_postgis,
)
from littoral.store.records import QuarantinedLine
from littoral.store.repos import (
    PositionRow,
    SqlIngestRuns,
    SqlPositions,
    SqlQuarantine,
    SqlVessels,
    add_positions,
    insert_quarantine_rows,
    upsert_vessel_rows,
    write_positions,
)
from littoral.store.texts import (
    SqlSafetyTexts,
    SqlStaticReports,
    insert_safety_rows,
    insert_static_rows,
)
from littoral.tracks.state import VesselState


class SqlStore:
    """A :class:`~littoral.store.protocol.Store` on an SQLAlchemy engine.

    Creating it creates the tables that are missing (it never drops or alters one) and
    refuses a database written by a newer schema. On PostgreSQL the positions are
    partitioned by day with a PostGIS point (:mod:`littoral.store.partitions`); on SQLite
    they are keyed by hour, then vessel (:mod:`littoral.store.hourly`). A store whose
    positions are still as schema 1 kept them (one table; by vessel on SQLite) is refused,
    naming ``littoral db upgrade``.
    """

    def __init__(self, engine: Engine, backend: Backend, url: str) -> None:
        self._engine = engine
        self._backend = backend
        self._url = url
        self._dbapi_error: type[Exception] = engine.dialect.loaded_dbapi.Error
        self._layout: PgPositionLayout | None = None
        try:
            if backend.name == "postgresql":
                self._layout = self._open_postgresql()
            else:
                self._open_sqlite()
            null_position = null_position_allowed(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open store {url}: {exc.__class__.__name__}: {exc}") from exc
        except StoreError:
            engine.dispose()
            raise
        self._vessels = SqlVessels(engine, backend, self._layout)
        self._positions = SqlPositions(engine, backend, self._layout)
        self._quarantine = SqlQuarantine(engine, backend)
        self._safety = SqlSafetyTexts(engine, backend)
        self._statics = SqlStaticReports(engine, backend)
        self._ingest_runs = SqlIngestRuns(engine)
        self._alerts = SqlAlerts(engine, backend, null_position)

    def _open_postgresql(self) -> PgPositionLayout:
        postgis = require_postgis(self._engine, self._url)
        others = [t for t in schema.metadata.sorted_tables if t.name != "positions"]
        schema.metadata.create_all(self._engine, tables=others)
        with self._engine.begin() as conn:
            kind = positions_kind(conn)
            if kind is None:
                create_positions(conn, postgis)
        if kind == "table":
            raise StoreError(
                f"store {self._url} keeps its positions in one table (littoral schema 1); "
                "this littoral keeps them in daily partitions with a PostGIS point: back up "
                f"the database, then run `littoral db upgrade --db '{self._url}'` (with the "
                "password) to move them"
            )
        self._check_version(PG_SCHEMA_VERSION)
        return PgPositionLayout(self._engine, postgis)

    def _open_sqlite(self) -> None:
        others = [t for t in schema.metadata.sorted_tables if t.name != "positions"]
        create_tables(self._engine, schema.metadata, others, extra=[hourly.positions])
        with self._engine.connect() as conn:
            by_hour = hourly.has_hour(conn)
        if by_hour is False:
            raise StoreError(
                f"store {self._url} keeps its positions by vessel (littoral schema 1); this "
                "littoral keeps them by hour, then vessel: back up the file, then run "
                f"`littoral db upgrade --db '{self._url}'` to move them"
            )
        self._check_version(hourly.SQLITE_SCHEMA_VERSION)

    def _check_version(self, version: int) -> None:
        """Refuse a newer schema; record ``version`` on a new or an older store.

        Called once the positions are found as ``version`` keeps them: an older store's were
        made so when it had none.
        """
        meta = schema.store_meta
        with self._engine.begin() as conn:
            found = conn.execute(
                select(meta.c.value).where(meta.c.key == "schema_version")
            ).scalar_one_or_none()
            if found is None:
                statement = self._backend.insert(meta).on_conflict_do_nothing()
                conn.execute(statement, {"key": "schema_version", "value": str(version)})
            elif int(found) > version:
                raise StoreError(
                    f"store {self._url} has schema version {found}; this littoral reads up to "
                    f"{version}: upgrade littoral"
                )
            elif int(found) < version:
                schema.set_schema_version(conn, version)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine; other concerns may create their own tables on it."""
        return self._engine

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._backend.name

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._url

    @property
    def partitions(self) -> PgPositionLayout | None:
        """The daily partitions of positions on PostgreSQL; None on SQLite."""
        return self._layout

    @property
    def vessels(self) -> SqlVessels:
        """Vessel rows."""
        return self._vessels

    @property
    def positions(self) -> SqlPositions:
        """Position rows."""
        return self._positions

    @property
    def safety(self) -> SqlSafetyTexts:
        """Safety texts."""
        return self._safety

    @property
    def statics(self) -> SqlStaticReports:
        """Identity history."""
        return self._statics

    @property
    def quarantine(self) -> SqlQuarantine:
        """Quarantined lines."""
        return self._quarantine

    @property
    def ingest_runs(self) -> SqlIngestRuns:
        """Ingest statistics."""
        return self._ingest_runs

    @property
    def alerts(self) -> SqlAlerts:
        """Watch alerts."""
        return self._alerts

    def write_batch(
        self,
        positions: Sequence[PositionReport],
        vessels: Sequence[VesselState],
        quarantine: Sequence[QuarantinedLine] = (),
        alerts: Sequence[Alert] = (),
        at: datetime | None = None,
        safety: Sequence[SafetyReport] = (),
        statics: Sequence[StaticReport] = (),
        also: Callable[[Connection], object] | None = None,
        *,
        position_rows: Sequence[PositionRow] | None = None,
    ) -> int:
        """Write one ingest batch in one transaction (all or nothing); return new positions.

        ``at`` stamps the alerts' ``updated`` time; when omitted, the latest start or end of
        the alerts themselves is used (event time, never wall time). ``also`` writes more
        in the same transaction (it may run twice: it must ignore rows already there).
        ``position_rows``: the rows of ``positions``, when the caller already has them.
        """
        batch = prepare_batch(
            positions, vessels, quarantine, alerts, at, safety, statics, position_rows
        )
        return self.write_prepared(batch, also)

    def write_prepared(
        self, batch: PreparedBatch, also: Callable[[Connection], object] | None = None
    ) -> int:
        """Write a batch made by :func:`prepare_batch` in one transaction; return new positions.

        The batch holds plain rows only, made where the objects live; the write does not
        look at the objects again.
        """

        def write(conn: Connection) -> int:
            stored = add_positions(conn, self._backend, self._layout, batch.positions)
            upsert_vessel_rows(conn, self._backend, batch.vessels, batch.tracks)
            insert_quarantine_rows(conn, self._backend, batch.quarantine)
            insert_safety_rows(conn, self._backend, batch.safety)
            insert_static_rows(conn, self._backend, batch.statics)
            upsert_alert_rows(conn, self._backend, batch.alerts, self._alerts.null_position)
            if also is not None:
                also(conn)
            return stored

        try:
            return write_positions(self._engine, self._layout, batch.positions, write)
        except (SQLAlchemyError, self._dbapi_error) as exc:
            raise StoreError(f"cannot write to store {self._url}: {exc}") from exc

    def start_write(self, batch: PreparedBatch) -> PendingWrite:
        """Start writing a batch made by :func:`prepare_batch`; wait on what is returned.

        The same transaction as :meth:`write_prepared`. On an SQLite file, the rows are
        handed to SQLite here and the positions' insert and the commit finish in a thread
        (:mod:`littoral.store.background`), while the caller goes on; elsewhere the batch is
        written here. :meth:`PendingWrite.wait` returns the new positions (or raises
        :class:`StoreError`); start no other write before it returned.
        """
        if self._layout is None and self._backend.name == "sqlite" and ":memory:" not in self._url:
            return start_sqlite_write(
                self._engine, self._backend, batch, self._alerts.null_position, self._url
            )
        return PendingWrite(done=self.write_prepared(batch))

    def close(self) -> None:
        """Release connections."""
        self._engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
