"""A vessel's track as columns (numpy arrays): what a chart draws, without a record per point.

A 30-day track of a vessel reporting every few minutes is 7,000 to 30,000 positions. Built
as one Python record per position it costs 2 to 3 microseconds a point in the driver and the
records; as columns the same answer costs a few per cent of that.

- **PostgreSQL:** one row of one array per column, ``array_send(array_agg(column))``, in
  binary: one message, not one per position (a ``COPY`` sends a message per row, and
  reading 30,000 of them cost more than the query). All aggregates of one query see the
  rows in the same order, so the arrays line up. The nullable columns are sent as NaN or
  -1, so every element has a fixed width: a 4-byte length, then a big-endian value. Each
  array is read by one ``numpy.frombuffer`` with a structured dtype, and its header, size
  and every element's length are checked (an array that does not match raises
  ``StoreError``, never a wrong track). The rows are put in the track's order here
  (``numpy.lexsort``), not by the server.
- **SQLite:** the rows of the same query, one range of the key per hour of the time asked
  (:mod:`littoral.store.hourly`), in one ``fetchall``, turned into arrays by numpy.

The answer equals :meth:`~littoral.store.repos.SqlPositions.track` column by column (tested
on both backends in ``tests/contract/test_track_columns.py``): same positions, same order
``(time, lon, lat)``, ``None`` as NaN (floats) or -1 (``nav_status``). The receiver
(``source``) is not among the columns: :meth:`track` has it.

Source: PostgreSQL 15 manual, 8.15 "Arrays" and 9.21 "Aggregate Functions" (``array_agg``),
the binary array form of ``array_send`` (``src/backend/utils/adt/arrayfuncs.c``: dimensions,
null flag, element type OID, then size and lower bound per dimension, then a 32-bit length
and the value of each element); NumPy, structured arrays and ``frombuffer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection

from littoral.errors import StoreError
from littoral.store.hourly import hours_sql

if TYPE_CHECKING:
    import psycopg

COLUMNS = ("time_ms", "lon", "lat", "sog_kn", "cog_deg", "heading_deg", "nav_status", "msg_type")
"""The columns of a track, in this order."""

_FLOATS = ("lon", "lat", "sog_kn", "cog_deg", "heading_deg")


@dataclass(frozen=True)
class TrackColumns:
    """The positions of one vessel, oldest first, one array per column.

    ``sog_kn``, ``cog_deg`` and ``heading_deg`` are NaN where not reported; ``nav_status``
    is -1 where not reported.
    """

    mmsi: int
    time_ms: NDArray[np.int64]
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    sog_kn: NDArray[np.float64]
    cog_deg: NDArray[np.float64]
    heading_deg: NDArray[np.float64]
    nav_status: NDArray[np.int16]
    msg_type: NDArray[np.int16]

    def __len__(self) -> int:
        return int(self.time_ms.size)


def _where(mmsi: int, start_ms: int | None, end_ms: int | None) -> str:
    # integers formatted here, never text from outside: constants the planner prunes on
    where = f"mmsi = {int(mmsi)}"
    if start_ms is not None:
        where += f" AND time_ms >= {int(start_ms)}"
    if end_ms is not None:
        where += f" AND time_ms <= {int(end_ms)}"
    return where


_PG_COLUMNS = (
    "time_ms",
    "lon",
    "lat",
    "coalesce(sog_kn, 'NaN')",
    "coalesce(cog_deg, 'NaN')",
    "coalesce(heading_deg, 'NaN')",
    "coalesce(nav_status, -1)::smallint",
    "msg_type::smallint",
)
_ELEMENTS = {20: (">i8", 8), 701: (">f8", 8), 21: (">i2", 2)}
"""Element type OID: (big-endian dtype, bytes): ``int8``, ``float8``, ``int2``."""


def read_postgresql(
    conn: Connection, mmsi: int, start_ms: int | None, end_ms: int | None
) -> TrackColumns:
    """Return the track of ``mmsi`` in ``[start_ms, end_ms]``: one row of binary arrays."""
    arrays = ", ".join(f"array_send(array_agg({c}))" for c in _PG_COLUMNS)
    sql = f"SELECT {arrays} FROM positions WHERE {_where(mmsi, start_ms, end_ms)}"  # noqa: S608
    cursor = cast("psycopg.Cursor[Any]", conn.connection.cursor())
    try:
        cursor.execute(sql, binary=True)
        row = cursor.fetchone()
    finally:
        cursor.close()
    if row is None or row[0] is None:  # no position: array_agg of nothing is NULL
        return _columns(mmsi, [np.zeros(0) for _ in COLUMNS])
    pairs = zip(COLUMNS, row, strict=True)
    return _columns(mmsi, [_array(mmsi, name, bytes(blob)) for name, blob in pairs])


def _array(mmsi: int, name: str, blob: bytes) -> NDArray[Any]:
    """Return the values of a one-dimensional array without NULLs in PostgreSQL's binary form."""
    head = np.frombuffer(blob, ">i4", 5) if len(blob) >= 20 else np.zeros(0)
    if head.size < 5 or head[0] != 1 or head[1] != 0 or int(head[2]) not in _ELEMENTS:
        raise StoreError(f"track of {mmsi}: column {name} is not a one-dimensional array")
    dtype, width = _ELEMENTS[int(head[2])]
    count = int(head[3])
    if len(blob) != 20 + count * (4 + width):
        raise StoreError(f"track of {mmsi}: column {name} holds {len(blob)} bytes for {count}")
    values = np.frombuffer(blob, np.dtype([("n", ">i4"), ("v", dtype)]), count, 20)
    if np.any(values["n"] != width):
        raise StoreError(f"track of {mmsi}: column {name} has an element of another width")
    return values["v"]


def _columns(mmsi: int, values: list[NDArray[Any]]) -> TrackColumns:
    """Return the columns, sorted as the track is: by time, then lon, then lat."""
    if len({v.size for v in values}) != 1:
        raise StoreError(f"track of {mmsi}: columns of different lengths")
    time_ms, lon, lat = values[0], values[1], values[2]
    order = np.lexsort((lat, lon, time_ms))
    floats = [v[order].astype(np.float64) for v in values[1:6]]
    return TrackColumns(
        mmsi=mmsi,
        time_ms=time_ms[order].astype(np.int64),
        lon=floats[0],
        lat=floats[1],
        sog_kn=floats[2],
        cog_deg=floats[3],
        heading_deg=floats[4],
        nav_status=values[6][order].astype(np.int16),
        msg_type=values[7][order].astype(np.int16),
    )


_UNSET = -999.0
"""What SQLite sends for a missing speed, course or heading (none of them can be negative)."""


def read_sqlite(
    conn: Connection, mmsi: int, start_ms: int | None, end_ms: int | None
) -> TrackColumns:
    """Return the track of ``mmsi`` in ``[start_ms, end_ms]`` from SQLite's rows."""
    where = _where(mmsi, start_ms, end_ms)
    unset = ", ".join(f"ifnull({c}, {_UNSET})" for c in ("sog_kn", "cog_deg", "heading_deg"))
    low, high = (f"{int(t)}" if t is not None else "NULL" for t in (start_ms, end_ms))
    sql = hours_sql(low, high)  # (the table's key begins with the hour: littoral.store.hourly)
    sql += f" SELECT time_ms, lon, lat, {unset}, ifnull(nav_status, -1), msg_type FROM positions "  # noqa: S608
    sql += f"WHERE hour IN hours AND {where} ORDER BY time_ms, lon, lat"
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    table = np.array(rows, dtype=np.float64).reshape(-1, len(COLUMNS))
    values: list[NDArray[Any]] = [np.array([r[0] for r in rows], dtype=np.int64)]  # exact
    for i in range(1, len(COLUMNS)):
        column = table[:, i]
        values.append(np.where(column == _UNSET, np.nan, column) if 3 <= i <= 5 else column)
    return _columns(mmsi, values)
