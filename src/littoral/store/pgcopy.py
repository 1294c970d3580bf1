"""Bulk position insert on PostgreSQL with ``COPY``: the ingest's write path there.

``COPY positions FROM STDIN (FORMAT BINARY)`` sends a batch as one stream of binary
values (no number is printed and parsed again) and lets the server insert it in multi-row
steps, routed to the daily partitions (made beforehand by
:meth:`~littoral.store.partitions.PgPositionLayout.ensure`). ``COPY`` cannot skip a row
whose key exists, and ingesting the same data twice must add nothing, so the batch is
copied inside a savepoint: when a key is already there (a file ingested again, a backlog
replayed) the savepoint is rolled back and the batch goes the slower, idempotent way: copied
into a temporary table of the session (emptied at every commit), then moved with one
``INSERT ... SELECT ... ON CONFLICT DO NOTHING``, which counts the new rows. A live feed
takes the direct way; measured in ``benchmarks/history_bench.py``.

Source: PostgreSQL 15 manual, COPY, SAVEPOINT and INSERT (``ON CONFLICT``); psycopg 3,
"Using COPY TO and COPY FROM" (``Cursor.copy``, ``Copy.write_row``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection

from littoral.store import schema

if TYPE_CHECKING:
    import psycopg

INCOMING = "positions_incoming"
"""The session's temporary table a batch is copied into."""

_NAMES = ", ".join(schema.POSITION_COLUMNS)
_TYPES = {
    "mmsi": "bigint",
    "time_ms": "bigint",
    "lon": "double precision",
    "lat": "double precision",
    "sog_kn": "double precision",
    "cog_deg": "double precision",
    "heading_deg": "double precision",
    "nav_status": "smallint",
    "msg_type": "smallint",
    "source": "text",
}
_CREATE = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {INCOMING} ("
    + ", ".join(f"{c} {_TYPES[c]}" for c in schema.POSITION_COLUMNS)
    + ") ON COMMIT DELETE ROWS"
)
_COPY = f"COPY {INCOMING} ({_NAMES}) FROM STDIN (FORMAT BINARY)"
_COPY_DIRECT = f"COPY positions ({_NAMES}) FROM STDIN (FORMAT BINARY)"
_BINARY_TYPES = [
    {"bigint": "int8", "double precision": "float8", "smallint": "int2", "text": "text"}[_TYPES[c]]
    for c in schema.POSITION_COLUMNS
]
_MOVE = (
    f"INSERT INTO positions ({_NAMES}) SELECT {_NAMES} FROM {INCOMING} "  # noqa: S608
    "ON CONFLICT DO NOTHING"
)


def copy_positions(conn: Connection, rows: Sequence[Sequence[Any]]) -> int:
    """Insert position rows with ``COPY`` inside the caller's transaction; return new ones.

    ``rows`` are in :data:`~littoral.store.schema.POSITION_COLUMNS` order; a row whose key
    is stored already (or repeated in ``rows``) is skipped, as the ``INSERT`` path does.
    """
    if not rows:
        return 0
    import psycopg

    cursor = cast("psycopg.Cursor[Any]", conn.connection.cursor())
    try:
        cursor.execute("SAVEPOINT positions_copy")
        try:
            _copy(cursor, _COPY_DIRECT, rows)
        except psycopg.errors.UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT positions_copy")
            return _copy_skipping_known(cursor, rows)
        cursor.execute("RELEASE SAVEPOINT positions_copy")
        return len(rows)
    finally:
        cursor.close()


def _copy(cursor: psycopg.Cursor[Any], statement: str, rows: Sequence[Sequence[Any]]) -> None:
    with cursor.copy(statement) as copy:
        copy.set_types(_BINARY_TYPES)
        write = copy.write_row
        for row in rows:
            write(row)


def _copy_skipping_known(cursor: psycopg.Cursor[Any], rows: Sequence[Sequence[Any]]) -> int:
    # IF NOT EXISTS each time: a rolled-back first batch also rolls back the CREATE.
    cursor.execute(_CREATE)
    _copy(cursor, _COPY, rows)
    cursor.execute(_MOVE)
    count = cursor.rowcount
    return int(count) if count is not None and count >= 0 else 0
