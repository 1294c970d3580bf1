"""SQLite's positions, clustered by the hour of their time, then by vessel (store schema 2).

The key of SQLite's ``positions`` is ``(hour, mmsi, time_ms, lon, lat)``, ``hour`` being
``floor(time_ms / 3,600,000)``: a function of ``time_ms``, so two rows have the same key
exactly when they have the same ``(mmsi, time_ms, lon, lat)``, the key of the other backends
and of schema 1. Within an hour the rows are by vessel and time, as before.

Why: a feed's positions come roughly in time order. Under a key that starts with the vessel
every batch lands on one page per vessel heard, all over the table, and every commit writes
each of those pages again to the write-ahead log (2,000 vessels: 16 MB of 8 KB pages per
commit, however few rows). Under the hour they land on the pages of the last hour or two.
Measured on the realistic corpus of ``benchmarks/ais_bench.py`` (218,100 positions of 1,960
vessels, one day, moved in batches of 70,000 and 20,000 rows, ``docs/store.md``): the
inserts take half the time (0.19 s against 0.30 to 0.37 s) and the commits a fifth (0.03 s
against 0.14 to 0.24 s).

What it costs the readers: a vessel's track is one key range per hour of the time asked
(:func:`hours`, a recursive ``WITH`` that SQLite walks as one lookup per hour: a day is 24,
a year 8,760, about ten milliseconds), and a time window is one range of the key for all
vessels, where it was one per vessel. An open end of a time range is the store's first or
last hour.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    MetaData,
    PrimaryKeyConstraint,
    Select,
    Table,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from littoral.store import schema

HOUR_MS = 3_600_000
"""Milliseconds in the hour of the key."""

SQLITE_SCHEMA_VERSION = 2
"""``store_meta.schema_version`` of a SQLite store whose positions are clustered by hour."""


def hour_sql(time_ms: str) -> str:
    """Return SQL of the hour of the SQL ``time_ms`` (one of ours: a name, a parameter).

    Rounded down for a time before 1970 too, as :func:`hour_of` (SQLite's ``/`` of integers
    rounds towards zero, so the remainder is taken off first).

    >>> hour_sql("?2")
    '((?2 - (?2 % 3600000 + 3600000) % 3600000) / 3600000)'
    """
    h = HOUR_MS
    return f"(({time_ms} - ({time_ms} % {h} + {h}) % {h}) / {h})"


def hour_column(time_ms: ColumnElement[Any]) -> ColumnElement[Any]:
    """Return :func:`hour_sql` of an SQL expression built by SQLAlchemy."""
    return (time_ms - (time_ms % HOUR_MS + HOUR_MS) % HOUR_MS) // HOUR_MS


HOUR_SQL = hour_sql("time_ms")
"""SQL of the hour of the column ``time_ms``."""

positions = Table(
    "positions",
    MetaData(),
    Column("hour", BigInteger, nullable=False),
    *(Column(c.name, c.type, nullable=c.nullable) for c in schema.positions.columns),
    PrimaryKeyConstraint("hour", "mmsi", "time_ms", "lon", "lat", name="positions_key"),
    sqlite_with_rowid=False,
)
"""SQLite's ``positions``: the columns of :data:`littoral.store.schema.positions` after the
hour. On a metadata of its own: only a SQLite store makes it."""

COLUMNS = tuple(positions.c[name] for name in schema.POSITION_COLUMNS)
"""The columns of a position row (:data:`~littoral.store.schema.POSITION_COLUMNS`), hour left
out: select these to read rows of the other backends' shape."""

_NAMES = ", ".join(schema.POSITION_COLUMNS)
_NUMBERED = ", ".join(f"?{k}" for k in range(1, len(schema.POSITION_COLUMNS) + 1))
_TIME = schema.POSITION_COLUMNS.index("time_ms") + 1
INSERT_ROW_SQL = (
    f"INSERT INTO positions (hour, {_NAMES}) "  # noqa: S608 (our names only)
    f"VALUES ({hour_sql(f'?{_TIME}')}, {_NUMBERED}) ON CONFLICT DO NOTHING"
)
"""DBAPI SQL inserting one position row (its values in :data:`POSITION_COLUMNS` order), its
hour reckoned by SQLite; a row whose key is stored already is left out."""


def hour_of(time_ms: int) -> int:
    """Return the hour of the key of a time in milliseconds since 1970.

    >>> hour_of(0), hour_of(3_599_999), hour_of(3_600_000), hour_of(-1)
    (0, 0, 1, -1)
    """
    return time_ms // HOUR_MS


def move_sql(source: str, order: str = "rowid") -> str:
    """Return SQL moving the rows of table ``source`` (position columns) into ``positions``.

    In the order of ``order`` (SQL); a row whose key is stored already, in ``positions`` or
    earlier in ``source``, is left out. ``source`` and ``order`` are ours, never user input.
    """
    return (
        f"INSERT INTO positions (hour, {_NAMES}) SELECT {HOUR_SQL}, {_NAMES} "  # noqa: S608
        f"FROM {source} WHERE true ORDER BY {order} ON CONFLICT DO NOTHING"
    )


def hours(low_ms: int | None, high_ms: int | None, name: str = "hours") -> Select[Any]:
    """Return the hours of ``[low_ms, high_ms]`` (an open end: the store's first or last).

    For ``table.c.hour.in_(...)``: SQLite then looks each hour up in the key, the MMSI
    with it. ``name`` names the ``WITH`` table, one name per use in a statement.
    """
    hour = positions.c.hour
    first: ColumnElement[Any] = (
        literal(hour_of(low_ms))
        if low_ms is not None
        else select(func.min(hour)).correlate(None).scalar_subquery()
    )
    last: ColumnElement[Any] = (
        literal(hour_of(high_ms))
        if high_ms is not None
        else select(func.max(hour)).correlate(None).scalar_subquery()
    )
    walk = select(first.label("hour")).cte(name, recursive=True)
    walk = walk.union_all(select((walk.c.hour + 1).label("hour")).where(walk.c.hour < last))
    return select(walk.c.hour)


def hours_sql(low: str, high: str) -> str:
    """Return ``WITH hours(hour) AS (...)`` over the hours from ``low`` to ``high``.

    ``low`` and ``high`` are SQL of times in milliseconds (a parameter each, say: each is
    written once) that may be NULL: an open end is the store's first or last hour.
    """
    first, last = hour_sql("low"), hour_sql("high")
    return (  # (SQL of ours: the caller's low and high are parameters or numbers)
        f"WITH RECURSIVE bounds(low, high) AS (SELECT {low}, {high}), hours(hour) AS ("  # noqa: S608
        f"SELECT coalesce({first}, (SELECT min(hour) FROM positions)) FROM bounds UNION ALL "
        f"SELECT hour + 1 FROM hours, bounds WHERE hour < coalesce({last}, "
        "(SELECT max(hour) FROM positions)))"
    )


def has_hour(conn: Connection) -> bool | None:
    """Whether the store's ``positions`` has the hour (None: there is no ``positions``)."""
    names = [row[1] for row in conn.execute(text("PRAGMA table_info(positions)"))]
    if not names:
        return None
    return "hour" in names
