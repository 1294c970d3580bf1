"""The service's own records: users, sessions, SAR cases, their log, units and runs, and audit.

These tables live on their own :class:`sqlalchemy.MetaData`, created on the same engine as the
picture's tables (SQLite file or PostgreSQL), so one database holds a centre's whole state and
a restart resumes where it stopped. :mod:`littoral.api` writes them, and a federated centre
its copies of the other centres' joint cases (:meth:`ServiceStore.mirror_case`).

Times are stored as naive UTC and handed back timezone-aware; passwords only as argon2 hashes;
session tokens only as their SHA-256 digest, so a copy of the database opens no session.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, RowMapping

from littoral.clock import require_utc
from littoral.errors import InputError, NotFoundError, StoreError
from littoral.store.audit_chain import (
    GENESIS_HASH,
    POSTGRES_TRIGGERS,
    SQLITE_TRIGGERS,
    ChainReport,
    entry_hash,
    verify_chain,
)
from littoral.store.backend import create_tables


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime stored as naive UTC (portable across SQLite and PG)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store as naive UTC."""
        if value is None:
            return None
        return require_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read back as aware UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


metadata = MetaData()

AUDIT_LOCK_KEY = 0x4C4954_41554454
"""PostgreSQL advisory lock key serialising appends to the audit chain."""

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("state", String(2), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("language", String(8), nullable=False, default="en"),
    Column("created", UtcDateTime, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("created", UtcDateTime, nullable=False),
    Column("expires", UtcDateTime, nullable=False, index=True),
)

cases = Table(
    "sar_cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(2), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created", UtcDateTime, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("datum_lon", Float, nullable=False),
    Column("datum_lat", Float, nullable=False),
    Column("datum_time", UtcDateTime, nullable=False),
    Column("object_class", String(64), nullable=False),
    Column("persons", Integer, nullable=False, default=0),
    Column("alert_id", String(200), nullable=True),
    Column("mmsi", Integer, nullable=True),
    Column("description", Text, nullable=False, default=""),
    Column("environment", JSON, nullable=False),
    Column("forcing_file", String(500), nullable=True),
    Column("outcome", String(32), nullable=True),
    Column("outcome_text", Text, nullable=True),
    Column("closed", UtcDateTime, nullable=True),
)

case_log = Table(
    "case_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("sar_cases.id"), nullable=False, index=True),
    Column("time", UtcDateTime, nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("text", Text, nullable=False),
)

case_units = Table(
    "case_units",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("sar_cases.id"), nullable=False, index=True),
    Column("state", String(2), nullable=False),
    Column("name", String(64), nullable=False),
    Column("platform", String(64), nullable=False),
    Column("speed_kn", Float, nullable=False),
    Column("endurance_h", Float, nullable=False),
    Column("spec", JSON, nullable=False),
    Column("committed", UtcDateTime, nullable=False),
    Column("track", JSON, nullable=True),
)

case_scenarios = Table(
    "case_scenarios",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("sar_cases.id"), nullable=False, index=True),
    Column("name", String(64), nullable=False),
    Column("weight", Float, nullable=False),
    Column("spec", JSON, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("updated", UtcDateTime, nullable=False),
    Column("updated_by", String(64), nullable=False),
    UniqueConstraint("case_id", "name", name="case_scenarios_name"),
)
"""A case's weighted search scenarios (``spec``: geometry, times, objects, transitions as
:func:`littoral.drift.scenarios.scenario_from_mapping` reads them); ``reason`` says why the
weight is what it is."""

case_runs = Table(
    "case_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("sar_cases.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("progress", Float, nullable=False, default=0.0),
    Column("created", UtcDateTime, nullable=False),
    Column("finished", UtcDateTime, nullable=True),
    Column("message", Text, nullable=False, default=""),
    Column("summary", JSON, nullable=False),
    Column("data", LargeBinary, nullable=True),
    Column("data_file", String(500), nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("time", UtcDateTime, nullable=False, index=True),
    Column("user_name", String(64), nullable=True),
    Column("state", String(2), nullable=True),
    Column("method", String(8), nullable=False),
    Column("path", String(500), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("detail", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=True),
    Column("entry_hash", String(64), nullable=True),
)


@dataclass(frozen=True, slots=True)
class User:
    """An account of one state with one role."""

    id: int
    name: str
    state: str
    role: str
    password_hash: str
    language: str
    created: datetime
    disabled: bool


@dataclass(frozen=True, slots=True)
class Case:
    """A SAR case of one state: its datum, search object, environment and outcome."""

    id: int
    state: str
    title: str
    status: str
    created: datetime
    created_by: str
    datum_lon: float
    datum_lat: float
    datum_time: datetime
    object_class: str
    persons: int
    alert_id: str | None
    mmsi: int | None
    description: str
    environment: dict[str, Any]
    forcing_file: str | None
    outcome: str | None
    outcome_text: str | None
    closed: datetime | None


@dataclass(frozen=True, slots=True)
class CaseLogEntry:
    """One action on a case, with its time and user."""

    id: int
    case_id: int
    time: datetime
    user_name: str
    action: str
    text: str


@dataclass(frozen=True, slots=True)
class Unit:
    """A search unit committed to a case; ``track`` is its searched track (lon, lat, time)."""

    id: int
    case_id: int
    state: str
    name: str
    platform: str
    speed_kn: float
    endurance_h: float
    spec: dict[str, Any]
    committed: datetime
    track: list[list[Any]] | None


@dataclass(frozen=True, slots=True)
class CaseScenario:
    """A stored search scenario of a case: its weight, why, and its spec."""

    id: int
    case_id: int
    name: str
    weight: float
    spec: dict[str, Any]
    reason: str
    updated: datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class CaseCopy:
    """Another centre's case as received.

    Column values of the case, and of its log, units and scenarios (without ids), times
    aware UTC.
    """

    case: dict[str, Any]
    log: list[dict[str, Any]]
    units: list[dict[str, Any]]
    scenarios: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Run:
    """A background run (drift, plan, update) of a case, its progress and its outcome."""

    id: int
    case_id: int
    kind: str
    status: str
    progress: float
    created: datetime
    finished: datetime | None
    message: str
    summary: dict[str, Any]
    data: bytes | None
    data_file: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One write to the service: who, what, when, and how it ended."""

    id: int
    time: datetime
    user_name: str | None
    state: str | None
    method: str
    path: str
    status_code: int
    detail: dict[str, Any]
    prev_hash: str | None = None
    entry_hash: str | None = None


def _user(row: RowMapping) -> User:
    return User(**dict(row))


def _case(row: RowMapping) -> Case:
    return Case(**dict(row))


def _unit(row: RowMapping) -> Unit:
    return Unit(**dict(row))


def _run(row: RowMapping) -> Run:
    values = dict(row)
    name = values.get("data_file")
    if name and values.get("data") is None:
        try:
            values["data"] = Path(name).read_bytes()
        except OSError as exc:
            raise StoreError(f"the data of run {values['id']} cannot be read: {exc}") from exc
    return Run(**values)


def _insert_id(conn: Connection, table: Table, values: dict[str, Any]) -> int:
    """Insert one row into ``table`` and return its new integer key."""
    key = conn.execute(insert(table).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


class ServiceStore:
    """Repositories of the service's tables on one SQLAlchemy engine.

    Parameters
    ----------
    engine:
        The store's engine; :meth:`create` makes the tables when they are missing.
    """

    def __init__(self, engine: Engine, runs_dir: Path | None = None) -> None:
        self.engine = engine
        self.runs_dir = runs_dir
        """Folder for the runs' data (compressed particles): files, not database blobs. With
        ``None`` the data stays in the database (a store without a data folder)."""
        self._audit_lock = threading.Lock()

    def create(self) -> None:
        """Create the service tables that do not exist yet (existing data is kept).

        The audit table gains its hash-chain columns when an older database lacks them, and
        is made append-only by trigger on both backends.
        """
        create_tables(self.engine, metadata)
        inspector = inspect(self.engine)
        columns = {c["name"] for c in inspector.get_columns("audit_log")}
        run_columns = {c["name"] for c in inspector.get_columns("case_runs")}
        postgres = self.engine.dialect.name == "postgresql"
        with self.engine.begin() as conn:
            for name in ("prev_hash", "entry_hash"):
                if name not in columns:
                    conn.execute(text(f"ALTER TABLE audit_log ADD COLUMN {name} VARCHAR(64)"))
            if "data_file" not in run_columns:
                conn.execute(text("ALTER TABLE case_runs ADD COLUMN data_file VARCHAR(500)"))
            for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
                conn.execute(text(statement))

    def _row(self, table: Table, what: str, row_id: int) -> RowMapping:
        """Return the row of ``table`` with key ``row_id``; a missing one is a NotFoundError."""
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"{what} id={row_id} does not exist")
        return row

    def _update(self, table: Table, row_id: int, values: dict[str, Any]) -> None:
        """Change fields of the row of ``table`` with key ``row_id``."""
        with self.engine.begin() as conn:
            conn.execute(update(table).where(table.c.id == row_id).values(**values))

    # users ----------------------------------------------------------------------------
    def add_user(
        self,
        name: str,
        state: str,
        role: str,
        password_hash: str,
        created: datetime,
        language: str = "en",
    ) -> User:
        """Add an account; a name already taken is an :class:`InputError`."""
        with self.engine.begin() as conn:
            taken = conn.execute(select(users.c.id).where(users.c.name == name)).first()
            if taken is not None:
                raise InputError(f"user name={name!r} is already taken")
            conn.execute(
                insert(users).values(
                    name=name,
                    state=state,
                    role=role,
                    password_hash=password_hash,
                    language=language,
                    created=created,
                    disabled=False,
                )
            )
        return self.user_by_name(name)

    def user_by_name(self, name: str) -> User:
        """Return the account called ``name``."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).mappings().first()
        if row is None:
            raise NotFoundError(f"user name={name!r} does not exist")
        return _user(row)

    def list_users(self) -> list[User]:
        """Return every account, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.name)).mappings().all()
        return [_user(r) for r in rows]

    def update_user(self, user_id: int, **values: Any) -> None:
        """Change fields of an account (language, password hash, role, disabled)."""
        self._update(users, user_id, values)

    # sessions -------------------------------------------------------------------------
    def add_session(
        self, token_sha256: str, user_id: int, created: datetime, expires: datetime
    ) -> None:
        """Record a session by the digest of its token."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(sessions).values(
                    token_sha256=token_sha256, user_id=user_id, created=created, expires=expires
                )
            )

    def session_user(self, token_sha256: str) -> tuple[User, datetime] | None:
        """Return the user and expiry of a session, or ``None`` when there is none."""
        query = (
            select(users, sessions.c.expires)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.token_sha256 == token_sha256)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        values = dict(row)
        expires = values.pop("expires")
        return User(**values), expires

    def delete_session(self, token_sha256: str) -> None:
        """End a session."""
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_sha256 == token_sha256))

    def delete_sessions_of(self, user_id: int) -> int:
        """End every session of one account (password, role or enabled state changed)."""
        with self.engine.begin() as conn:
            result = conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
        return int(result.rowcount)

    def purge_sessions(self, now: datetime) -> int:
        """Delete sessions expired at ``now``; return how many."""
        with self.engine.begin() as conn:
            result = conn.execute(delete(sessions).where(sessions.c.expires <= now))
        return int(result.rowcount)

    # cases ----------------------------------------------------------------------------
    def add_case(self, **values: Any) -> Case:
        """Create a case from its column values and return it."""
        with self.engine.begin() as conn:
            case_id = _insert_id(conn, cases, values)
        return self.case(case_id)

    def case(self, case_id: int) -> Case:
        """Return case ``case_id``."""
        return _case(self._row(cases, "case", case_id))

    def list_cases(self, status: str | None = None, state: str | None = None) -> list[Case]:
        """Return cases, newest first, optionally of one status or state."""
        query = select(cases).order_by(cases.c.id.desc())
        if status is not None:
            query = query.where(cases.c.status == status)
        if state is not None:
            query = query.where(cases.c.state == state)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [_case(r) for r in rows]

    def update_case(self, case_id: int, **values: Any) -> Case:
        """Change fields of a case and return it."""
        self._update(cases, case_id, values)
        return self.case(case_id)

    def add_log(self, case_id: int, time: datetime, user_name: str, action: str, text: str) -> None:
        """Append an entry to a case's log."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(case_log).values(
                    case_id=case_id, time=time, user_name=user_name, action=action, text=text
                )
            )

    def case_log(self, case_id: int) -> list[CaseLogEntry]:
        """Return a case's log, oldest first."""
        query = select(case_log).where(case_log.c.case_id == case_id).order_by(case_log.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [CaseLogEntry(**dict(r)) for r in rows]

    def mirror_case(
        self,
        case_id: int | None,
        copy: CaseCopy,
        also: Callable[[Connection, int], object] | None = None,
    ) -> int:
        """Write another centre's copy of a case: new (``case_id`` ``None``) or replacing.

        The case's fields, log, units and scenarios are replaced whole, in one transaction;
        ``also(conn, case_id)`` writes more in it. Returns the case's id here.
        """
        with self.engine.begin() as conn:
            if case_id is None:
                case_id = _insert_id(conn, cases, copy.case)
            else:
                conn.execute(update(cases).where(cases.c.id == case_id).values(**copy.case))
                for table in (case_log, case_units, case_scenarios):
                    conn.execute(delete(table).where(table.c.case_id == case_id))
            for table, rows in (
                (case_log, copy.log),
                (case_units, copy.units),
                (case_scenarios, copy.scenarios),
            ):
                if rows:
                    conn.execute(insert(table), [{**r, "case_id": case_id} for r in rows])
            if also is not None:
                also(conn, case_id)
        return case_id

    def cases_logged(self, action: str) -> list[int]:
        """Return the ids of the cases whose log holds an entry of ``action``, ascending."""
        query = (
            select(case_log.c.case_id)
            .where(case_log.c.action == action)
            .distinct()
            .order_by(case_log.c.case_id)
        )
        with self.engine.connect() as conn:
            return [int(r[0]) for r in conn.execute(query)]

    # units ----------------------------------------------------------------------------
    def add_unit(self, **values: Any) -> Unit:
        """Commit a unit to a case and return it."""
        with self.engine.begin() as conn:
            unit_id = _insert_id(conn, case_units, values)
        return self.unit(unit_id)

    def unit(self, unit_id: int) -> Unit:
        """Return unit ``unit_id``."""
        return _unit(self._row(case_units, "unit", unit_id))

    def units(self, case_id: int) -> list[Unit]:
        """Return the units committed to a case."""
        query = select(case_units).where(case_units.c.case_id == case_id).order_by(case_units.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [_unit(r) for r in rows]

    def set_unit_spec(self, unit_id: int, spec: dict[str, Any]) -> None:
        """Replace a unit's search spec (its MMSI link, for one)."""
        self._update(case_units, unit_id, {"spec": spec})

    def set_unit_track(self, unit_id: int, track: list[list[Any]]) -> None:
        """Record the track a unit searched, as ``[lon, lat, iso-time]`` points."""
        self._update(case_units, unit_id, {"track": track})

    # scenarios ------------------------------------------------------------------------
    def add_scenario(self, **values: Any) -> CaseScenario:
        """Add a scenario to a case; a name the case already has is refused."""
        query = select(case_scenarios.c.id).where(
            (case_scenarios.c.case_id == values["case_id"])
            & (case_scenarios.c.name == values["name"])
        )
        with self.engine.begin() as conn:
            if conn.execute(query).first() is not None:
                raise InputError(
                    f"case {values['case_id']} already has a scenario named {values['name']!r}"
                )
            scenario_id = _insert_id(conn, case_scenarios, values)
        return self.scenario(scenario_id)

    def scenario(self, scenario_id: int) -> CaseScenario:
        """Return scenario ``scenario_id``."""
        return CaseScenario(**dict(self._row(case_scenarios, "scenario", scenario_id)))

    def scenarios(self, case_id: int) -> list[CaseScenario]:
        """Return a case's scenarios in the order they were added."""
        query = (
            select(case_scenarios)
            .where(case_scenarios.c.case_id == case_id)
            .order_by(case_scenarios.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [CaseScenario(**dict(r)) for r in rows]

    def update_scenario(self, scenario_id: int, **values: Any) -> CaseScenario:
        """Change fields of a scenario (weight, reason, spec, updated, updated_by)."""
        self._update(case_scenarios, scenario_id, values)
        return self.scenario(scenario_id)

    def delete_scenario(self, scenario_id: int) -> None:
        """Remove a scenario."""
        self._row(case_scenarios, "scenario", scenario_id)
        with self.engine.begin() as conn:
            conn.execute(delete(case_scenarios).where(case_scenarios.c.id == scenario_id))

    # runs -----------------------------------------------------------------------------
    def add_run(self, case_id: int, kind: str, created: datetime) -> Run:
        """Record a queued background run."""
        values = {
            "case_id": case_id,
            "kind": kind,
            "status": "queued",
            "progress": 0.0,
            "created": created,
            "message": "",
            "summary": {},
        }
        with self.engine.begin() as conn:
            run_id = _insert_id(conn, case_runs, values)
        return self.run(run_id)

    def run(self, run_id: int) -> Run:
        """Return run ``run_id``."""
        return _run(self._row(case_runs, "run", run_id))

    def update_run(self, run_id: int, **values: Any) -> None:
        """Change the status, progress, summary or data of a run.

        With a ``runs_dir``, data goes to a file of its own there (written whole, then
        renamed into place), and the row keeps only its path.
        """
        data = values.get("data")
        if data is not None and self.runs_dir is not None:
            self.runs_dir.mkdir(parents=True, exist_ok=True)
            target = self.runs_dir / f"run-{run_id}.npz"
            partial = target.with_suffix(".partial")
            partial.write_bytes(data)
            partial.replace(target)
            values = {**values, "data": None, "data_file": str(target.resolve())}
        self._update(case_runs, run_id, values)

    def runs(self, case_id: int, kind: str | None = None) -> list[Run]:
        """Return a case's runs without their data, newest first."""
        cols = [c for c in case_runs.c if c.name != "data"]
        query = select(*cols).where(case_runs.c.case_id == case_id).order_by(case_runs.c.id.desc())
        if kind is not None:
            query = query.where(case_runs.c.kind == kind)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [Run(**dict(r), data=None) for r in rows]

    def latest_run(self, case_id: int, kind: str, status: str = "done") -> Run | None:
        """Return the newest run of a kind and status, with its data, or ``None``."""
        query = (
            select(case_runs)
            .where(case_runs.c.case_id == case_id, case_runs.c.kind == kind)
            .where(case_runs.c.status == status)
            .order_by(case_runs.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _run(row)

    def fail_unfinished_runs(self, now: datetime) -> int:
        """Mark runs left queued or running by a stopped service as interrupted."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(case_runs)
                .where(case_runs.c.status.in_(("queued", "running")))
                .values(status="interrupted", finished=now, message="service stopped")
            )
        return int(result.rowcount)

    # audit ----------------------------------------------------------------------------
    def add_audit(
        self,
        time: datetime,
        user_name: str | None,
        state: str | None,
        method: str,
        path: str,
        status_code: int,
        detail: dict[str, Any],
    ) -> None:
        """Append one entry to the audit chain (see :mod:`littoral.store.audit_chain`)."""
        detail = json.loads(json.dumps(detail, default=str))
        path = path[:500]
        # One writer at a time, so two entries never chain to the same predecessor: a lock
        # in this process, and on PostgreSQL a transaction lock shared by every process.
        with self._audit_lock, self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})
            prev = conn.execute(
                select(audit_log.c.entry_hash).order_by(audit_log.c.id.desc()).limit(1)
            ).scalar()
            prev_hash = prev if prev is not None else GENESIS_HASH
            conn.execute(
                insert(audit_log).values(
                    time=time,
                    user_name=user_name,
                    state=state,
                    method=method,
                    path=path,
                    status_code=status_code,
                    detail=detail,
                    prev_hash=prev_hash,
                    entry_hash=entry_hash(
                        prev_hash,
                        time=time,
                        user_name=user_name,
                        state=state,
                        method=method,
                        path=path,
                        status_code=status_code,
                        detail=detail,
                    ),
                )
            )

    def verify_audit(self, chunk_size: int = 10_000) -> ChainReport:
        """Check the whole audit chain, oldest entry first, reading ``chunk_size`` at a time."""

        def rows() -> Iterator[dict[str, Any]]:
            last = 0
            while True:
                with self.engine.connect() as conn:
                    chunk = (
                        conn.execute(
                            select(audit_log)
                            .where(audit_log.c.id > last)
                            .order_by(audit_log.c.id)
                            .limit(chunk_size)
                        )
                        .mappings()
                        .all()
                    )
                if not chunk:
                    return
                for row in chunk:
                    yield dict(row)
                last = int(chunk[-1]["id"])

        return verify_chain(rows())

    def audit(self, limit: int = 100, offset: int = 0) -> tuple[list[AuditEntry], int]:
        """Return audit entries, newest first, and the total count."""
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            total = int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
        return [AuditEntry(**dict(r)) for r in rows], total
