"""What differs between SQLite and PostgreSQL: engine set-up, parameter style, upsert.

SQLite runs in WAL mode with ``synchronous=NORMAL``: a committed transaction survives the
process being killed at any moment, and the file is never corrupted (a power cut may lose the
last transactions, not the file). PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, MetaData, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.dml import Insert

SQLITE_PRAGMAS = (
    "PRAGMA page_size=8192",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=10000",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-65536",
    "PRAGMA wal_autocheckpoint=5000",
    "PRAGMA foreign_keys=ON",
)
"""Run on every new SQLite connection: 8 KiB pages for a new file (position inserts a tenth
faster than with 4 KiB; no effect on an existing file); cache 64 MiB; the WAL copied back into
the file every 5,000 pages (40 MiB) rather than every 1,000, which makes bulk ingest a fifth
faster."""


_PRAGMA_WAIT_S = 10.0
"""How long a connection to a new SQLite file waits for another one turning it to WAL."""


def _run_pragma(cursor: Any, pragma: str) -> None:
    """Run ``pragma``; wait while another connection holds the new file it would change.

    Turning a new file to WAL takes it whole, and SQLite answers "database is locked" at
    once, without its busy timeout, while another process (opening the same new file) does
    the same: that is waited out here, up to :data:`_PRAGMA_WAIT_S`.
    """
    deadline = time.monotonic() + _PRAGMA_WAIT_S
    while True:
        try:
            cursor.execute(pragma)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@dataclass(frozen=True)
class Backend:
    """The dialect-specific pieces of a store."""

    name: str
    placeholder: str

    def insert_ignore_sql(self, table: str, columns: Sequence[str]) -> str:
        """Return DBAPI SQL inserting one row and ignoring it when its key exists."""
        marks = ", ".join([self.placeholder] * len(columns))
        names = ", ".join(columns)
        # table and column names are ours, never user input
        return f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608

    def upsert_sql(self, table: str, columns: Sequence[str], keys: Sequence[str]) -> str:
        """Return DBAPI SQL inserting one row or replacing the non-key columns of its key."""
        marks = ", ".join([self.placeholder] * len(columns))
        sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
        return (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "  # noqa: S608
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
        )

    def insert(self, table: Table) -> Any:
        """Return the dialect's INSERT of ``table`` (with ``excluded`` and ``on_conflict_*``)."""
        return sqlite.insert(table) if self.name == "sqlite" else postgresql.insert(table)

    def upsert(self, table: Table, keys: Sequence[str]) -> Insert:
        """Return an INSERT that replaces every non-key column of an existing row."""
        insert = self.insert(table)
        update = {c.name: insert.excluded[c.name] for c in table.columns if c.name not in keys}
        result: Insert = insert.on_conflict_do_update(index_elements=list(keys), set_=update)
        return result


SQLITE = Backend("sqlite", "?")
POSTGRESQL = Backend("postgresql", "%s")


def sqlite_engine(path: str) -> Engine:
    """Return an engine on the SQLite file ``path`` (``:memory:`` for a private database)."""
    if path == ":memory:":
        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        # a connection may finish a write in another thread (littoral.store.background);
        # the pool still lends each to one user at a time
        engine = create_engine(
            f"sqlite:///{path}", connect_args={"timeout": 10.0, "check_same_thread": False}
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            for pragma in SQLITE_PRAGMAS:
                _run_pragma(cursor, pragma)
        finally:
            cursor.close()

    return engine


def create_tables(
    engine: Engine,
    metadata: MetaData,
    tables: Sequence[Table] | None = None,
    extra: Sequence[Table] = (),
) -> None:
    """Create the tables of ``metadata`` (or ``tables`` of it) that are missing.

    ``extra``: tables of other metadata, made with them (in the same transaction on
    SQLite).

    On SQLite the look for each table and its creation run in one ``BEGIN IMMEDIATE``
    transaction. Two processes opening the same new file at once (a centre and its
    ``littoral serve``, say) then take turns: the second waits for the first (the busy
    timeout) and finds its tables, where with a look and a create apart it failed with
    "table ... already exists" or "database is locked".
    """
    if engine.dialect.name != "sqlite":
        metadata.create_all(engine, tables=tables)
        for table in extra:
            table.create(engine, checkfirst=True)
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        metadata.create_all(conn, tables=tables)
        for table in extra:
            table.create(conn, checkfirst=True)
        conn.commit()


def postgresql_engine(url: str) -> Engine:
    """Return an engine on the PostgreSQL database at ``url`` through psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    # A dead or unreachable server must fail a request within seconds (mapped to 503), not
    # hold a worker for the operating system's TCP timeout.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
