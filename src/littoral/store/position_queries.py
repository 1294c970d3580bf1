"""The history queries on positions, built for each backend.

Every query with a time bound names the bound as a constant on each reference to
``positions``, so PostgreSQL prunes its daily partitions at plan time (an ``EXPLAIN`` shows
only the days asked for; ``tests/contract/test_pg_history.py`` checks each query). The
answers are the same on both backends:

- a track: one range of the key ``(mmsi, time_ms)`` on PostgreSQL, one range of the key
  per hour of the time on SQLite (whose key is ``(hour, mmsi, time_ms, ...)``,
  :mod:`littoral.store.hourly`);
- a window of time for the replay: on SQLite one range of the key, on PostgreSQL the BRIN
  index on ``time_ms`` of the partition;
- the vessels in a box at a time ``t``: each vessel's last position in
  ``[t - max_age, t]``, kept when it lies in the box. On SQLite one key lookup per known
  vessel and hour of the window. On PostgreSQL the candidates are the vessels with any
  position of the window in the box (the GiST index on ``geom`` and the BRIN index on
  ``time_ms``; PostGIS's ``&&`` compares boxes rounded outwards, so it never misses a
  point), then one key lookup each; the box test on the last position is exact, on ``lon``
  and ``lat``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, literal_column, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import Function

from littoral.store import schema
from littoral.store.hourly import COLUMNS as HOURLY_COLUMNS
from littoral.store.hourly import hour_column, hour_of, hours
from littoral.store.hourly import positions as hourly_positions
from littoral.store.partitions import quote_identifier
from littoral.store.records import BoundingBox

POSITION_FIELDS = ("time_ms", "lon", "lat", "sog_kn", "cog_deg", "heading_deg", "nav_status")
"""Columns of the last position the in-view query returns, each labelled ``p_NAME``."""


def track_query(
    mmsi: int, start_ms: int | None, end_ms: int | None, hourly: bool = False
) -> Select[Any]:
    """Return the positions of ``mmsi`` in ``[start_ms, end_ms]`` (open ends), oldest first.

    ``hourly``: SQLite's table, keyed by hour first (:mod:`littoral.store.hourly`): one
    range of the key per hour of the time asked.
    """
    if hourly:
        p = hourly_positions
        query = select(*HOURLY_COLUMNS).where(p.c.hour.in_(hours(start_ms, end_ms)))
    else:
        p = schema.positions
        query = select(p)
    query = query.where(p.c.mmsi == mmsi).order_by(p.c.time_ms, p.c.lon, p.c.lat)
    if start_ms is not None:
        query = query.where(p.c.time_ms >= start_ms)
    if end_ms is not None:
        query = query.where(p.c.time_ms <= end_ms)
    return query


def window_query(low_ms: int, high_ms: int, hourly: bool = False) -> Select[Any]:
    """Return every position of ``[low_ms, high_ms]`` by (time, MMSI, lon, lat).

    ``hourly`` (SQLite, :mod:`littoral.store.hourly`) reads the window as one range of the
    key, its hours; else (PostgreSQL) through the time index of its partition.
    """
    if hourly:
        h = hourly_positions
        query = select(*HOURLY_COLUMNS).where(
            h.c.hour.between(hour_of(low_ms), hour_of(high_ms)),
            h.c.time_ms.between(low_ms, high_ms),
        )
        return query.order_by(h.c.time_ms, h.c.mmsi, h.c.lon, h.c.lat)
    p = schema.positions
    query = select(p).where(p.c.time_ms.between(low_ms, high_ms))
    return query.order_by(p.c.time_ms, p.c.mmsi, p.c.lon, p.c.lat)


def in_view_query_sqlite(bbox: BoundingBox | None, at_ms: int, age_ms: int) -> Select[Any]:
    """Return the vessels and their last position in ``[at - age, at]``, in ``bbox``.

    SQLite's table is keyed by hour first (:mod:`littoral.store.hourly`): each vessel's last
    position is looked up in each hour of the window.
    """
    p = hourly_positions
    v = schema.vessels
    inner = p.alias("inner_positions")
    window = hours(at_ms - age_ms, at_ms, "window_hours")
    last = (
        select(func.max(inner.c.time_ms))
        .where(
            inner.c.hour.in_(window),
            inner.c.mmsi == v.c.mmsi,
            inner.c.time_ms.between(at_ms - age_ms, at_ms),
        )
        .correlate(v)
        .scalar_subquery()
    )
    here = [p.c[name].label(f"p_{name}") for name in POSITION_FIELDS]
    hour = hour_column(last)
    query = (
        select(v, *here)
        .select_from(v.join(p, and_(p.c.hour == hour, p.c.mmsi == v.c.mmsi, p.c.time_ms == last)))
        .order_by(v.c.mmsi, p.c.lon, p.c.lat)
    )
    if bbox is not None:
        query = query.where(
            p.c.lon.between(bbox.west, bbox.east), p.c.lat.between(bbox.south, bbox.north)
        )
    return query


def in_view_query_postgresql(
    bbox: BoundingBox | None, at_ms: int, age_ms: int, postgis: str
) -> Select[Any]:
    """Return what :func:`in_view_query_sqlite` returns, through the partitions' indexes.

    ``postgis`` is the schema PostGIS is installed in (``public`` usually). Each vessel's
    last position of the window is found by one sort of the window's rows (``DISTINCT ON``)
    rather than a lookup per vessel. Of two positions at the same last millisecond the one
    in the box wins, then the smaller lon and lat: SQLite's choice.
    """
    p = schema.positions
    v = schema.vessels
    low, high = at_ms - age_ms, at_ms
    window = p.c.time_ms.between(low, high)
    last = select(p).where(window)
    order: list[Any] = [p.c.mmsi, p.c.time_ms.desc()]
    if bbox is not None:
        seen = p.alias("seen")
        envelope: Function[Any] = Function(
            "st_makeenvelope",
            bbox.west, bbox.south, bbox.east, bbox.north, 4326,
            packagenames=(postgis,),
        )  # fmt: skip
        overlaps = f"OPERATOR({quote_identifier(postgis)}.&&)"
        geom: ColumnElement[Any] = literal_column(f"{seen.name}.geom")
        candidates = select(seen.c.mmsi).where(
            seen.c.time_ms.between(low, high), geom.op(overlaps, is_comparison=True)(envelope)
        )
        last = last.where(p.c.mmsi.in_(candidates))
        order.append(_inside(p, bbox).desc())
    found = last.order_by(*order, p.c.lon, p.c.lat).ext(distinct_on(p.c.mmsi)).subquery("last")
    here = [found.c[name].label(f"p_{name}") for name in POSITION_FIELDS]
    query = select(v, *here).select_from(found.join(v, v.c.mmsi == found.c.mmsi)).order_by(v.c.mmsi)
    if bbox is not None:
        query = query.where(_inside(found, bbox))
    return query


def _inside(table: Any, bbox: BoundingBox) -> ColumnElement[bool]:
    inside: ColumnElement[bool] = and_(
        table.c.lon.between(bbox.west, bbox.east), table.c.lat.between(bbox.south, bbox.north)
    )
    return inside
