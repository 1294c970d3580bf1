"""Bulk position insert on PostgreSQL with ``COPY``: the ingest's write path there.

``COPY ... FROM STDIN`` sends a batch as one stream instead of one statement per row, but
it cannot skip rows whose key exists, and re-ingesting the same file must add nothing. So
the batch is copied into a temporary table of the session (emptied at every commit), then
moved with one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``, which also routes each row
to its daily partition and counts the new ones. The partitions a batch needs are made
beforehand (:meth:`~littoral.store.partitions.PgPositionLayout.ensure`).

Source: PostgreSQL 15 manual, COPY and INSERT (``ON CONFLICT``); psycopg 3, "Using COPY TO
and COPY FROM" (``Cursor.copy``, ``Copy.write_row``).
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
_COPY = f"COPY {INCOMING} ({_NAMES}) FROM STDIN"
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
    cursor = cast("psycopg.Cursor[Any]", conn.connection.cursor())
    try:
        # IF NOT EXISTS each time: a rolled-back first batch also rolls back the CREATE.
        cursor.execute(_CREATE)
        with cursor.copy(_COPY) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
        cursor.execute(_MOVE)
        count = cursor.rowcount
    finally:
        cursor.close()
    return int(count) if count is not None and count >= 0 else 0
