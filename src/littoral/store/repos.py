"""Vessel, position, quarantine and ingest-run repositories on SQLAlchemy Core.

Shared by both backends; what differs (parameter style, upsert syntax) comes from the
:class:`~littoral.store.backend.Backend` they are given. Position inserts, the hot path of an
ingest, go straight to the DBAPI cursor's ``executemany``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import chain
from typing import Any, overload

from sqlalchemy import Connection, Engine, func, select

from littoral.clock import require_utc
from littoral.errors import InputError, NotFoundError
from littoral.records.reports import AisClass, PositionReport
from littoral.store import schema
from littoral.store.backend import Backend
from littoral.store.hourly import INSERT_ROW_SQL, hours
from littoral.store.hourly import positions as hourly_positions
from littoral.store.partitions import PgPositionLayout, days_of
from littoral.store.pgcopy import copy_positions
from littoral.store.position_queries import (
    in_view_query_postgresql,
    in_view_query_sqlite,
    track_query,
    window_query,
)
from littoral.store.records import (
    BoundingBox,
    IngestRun,
    QuarantinedLine,
    QuarantineEntry,
    StoredPosition,
    fast_ms,
    from_ms,
    opt_from_ms,
    to_ms,
)
from littoral.store.track_columns import TrackColumns, read_postgresql, read_sqlite
from littoral.tracks.state import VesselState

PositionRow = tuple[
    int, int, float, float, float | None, float | None, float | None, int | None, int, str
]


class FlatRows(Sequence[PositionRow]):
    """Position rows kept as one flat list of values, row after row.

    A decode worker's positions arrive as columns; interleaving them into one list costs
    about a third of making a tuple per row (0.03 s against 0.1 s for 218,000 rows of ten),
    and SQLite takes the values in blocks of rows as they are
    (:func:`littoral.store.background.start_sqlite_write`). Read as a sequence, the rows are
    tuples made on demand.

    Examples
    --------
    >>> rows = FlatRows.of_columns([[1, 2], [10, 20]])
    >>> rows.values, len(rows), list(rows), rows[1], rows.column(1)
    ([1, 10, 2, 20], 2, [(1, 10), (2, 20)], (2, 20), [10, 20])
    """

    __slots__ = ("values", "width")

    def __init__(self, values: list[Any], width: int) -> None:
        if width <= 0 or len(values) % width:
            raise InputError(f"{len(values)} values are no whole rows of {width}")
        self.values = values
        self.width = width

    @classmethod
    def of_columns(cls, columns: Sequence[Sequence[Any]]) -> FlatRows:
        """Return the rows of equally long ``columns``."""
        width = len(columns)
        count = len(columns[0]) if columns else 0
        values: list[Any] = [None] * (width * count)
        for k, column in enumerate(columns):
            if len(column) != count:
                raise InputError(f"column {k} holds {len(column)} values, not {count}")
            values[k::width] = column
        return cls(values, width)

    def column(self, k: int) -> list[Any]:
        """Return the values of column ``k``."""
        return self.values[k :: self.width]

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        """Add ``rows`` (flat rows of the same width, or rows one by one) at the end."""
        if isinstance(rows, FlatRows):
            if rows.width != self.width:
                raise InputError(f"rows of {rows.width} values, not {self.width}")
            self.values.extend(rows.values)
            return
        given = list(rows)
        if any(len(row) != self.width for row in given):
            raise InputError(f"rows of other than {self.width} values")
        self.values.extend(chain.from_iterable(given))

    def __len__(self) -> int:
        return len(self.values) // self.width

    @overload
    def __getitem__(self, index: int) -> PositionRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[PositionRow]: ...

    def __getitem__(self, index: int | slice) -> PositionRow | list[PositionRow]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        count = len(self)
        if not -count <= index < count:
            raise IndexError(f"row {index} of {count}")
        start = (index % count) * self.width
        return tuple(self.values[start : start + self.width])

    def __iter__(self) -> Iterator[PositionRow]:
        return zip(*[iter(self.values)] * self.width, strict=True)


def position_rows(reports: Iterable[PositionReport]) -> list[PositionRow]:
    """Return DBAPI rows of ``reports`` in :data:`~littoral.store.schema.POSITION_COLUMNS` order.

    Receive times repeat (a tag block's ``c:`` is to the second), so each distinct time is
    converted once.
    """
    cache: dict[datetime, int] = {}
    rows: list[PositionRow] = []
    append = rows.append
    for r in reports:
        t = r.time
        ms = cache.get(t)
        if ms is None:
            ms = cache[t] = fast_ms(t)
        append(
            (r.mmsi, ms, r.lon, r.lat, r.sog_kn, r.cog_deg, r.heading_deg, r.nav_status,
             r.msg_type, r.source)
        )  # fmt: skip
    return rows


def insert_positions(conn: Connection, backend: Backend, rows: Sequence[PositionRow]) -> int:
    """Insert position rows inside the caller's transaction; return how many were new."""
    if not rows:
        return 0
    if backend.name == "sqlite":
        sql = INSERT_ROW_SQL  # (the hour of the key with each row)
    else:
        sql = backend.insert_ignore_sql("positions", schema.POSITION_COLUMNS)
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows)
        count = cursor.rowcount
    finally:
        cursor.close()
    return int(count) if count is not None and count >= 0 else 0


def write_positions(
    engine: Engine,
    layout: PgPositionLayout | None,
    rows: Sequence[PositionRow],
    write: Callable[[Connection], int],
) -> int:
    """Run ``write`` in one transaction once the partitions of ``rows`` exist; return it.

    On PostgreSQL the days of ``rows`` get their partitions first. When another process
    dropped one meanwhile (retention), the partitions are looked up again and the
    transaction is run once more.
    """
    if layout is None:
        with engine.begin() as conn:
            return write(conn)
    days = days_of(r[1] for r in rows)
    layout.ensure(days)
    try:
        with engine.begin() as conn:
            return write(conn)
    except Exception as exc:
        if "no partition of relation" not in str(exc):
            raise
    layout.forget()
    layout.ensure(days)
    with engine.begin() as conn:
        return write(conn)


def add_positions(
    conn: Connection, backend: Backend, layout: PgPositionLayout | None, rows: Sequence[PositionRow]
) -> int:
    """Insert position rows in the caller's transaction: ``COPY`` on PostgreSQL."""
    if layout is None:
        return insert_positions(conn, backend, rows)
    return copy_positions(conn, rows)


VESSEL_COLUMNS = tuple(c.name for c in schema.vessels.columns)
TRACK_COLUMNS = (*VESSEL_COLUMNS, "track")
"""Columns of a ``vessel_tracks`` row: a vessel row, then its track number."""


def vessel_values(state: VesselState) -> tuple[Any, ...]:
    """Return the ``vessels`` row of ``state`` as values in the table's column order."""
    eta = state.eta
    static_time = state.static_time
    position_time = state.position_time
    return (
        state.mmsi,
        state.ais_class.value,
        state.mid,
        state.flag,
        state.flag_code,
        state.is_littoral,
        state.name,
        state.callsign,
        state.imo,
        state.ship_type,
        state.to_bow_m,
        state.to_stern_m,
        state.to_port_m,
        state.to_starboard_m,
        state.destination,
        None if eta is None else to_ms(eta),
        state.draught_m,
        None if static_time is None else fast_ms(static_time),
        state.lon,
        state.lat,
        None if position_time is None else fast_ms(position_time),
        state.sog_kn,
        state.cog_deg,
        state.heading_deg,
        state.nav_status,
        fast_ms(state.first_seen),
        fast_ms(state.last_seen),
        state.message_count,
        state.last_text,
    )


def vessel_row(state: VesselState) -> dict[str, Any]:
    """Return the ``vessels`` row of ``state`` by column name."""
    return dict(zip(VESSEL_COLUMNS, vessel_values(state), strict=True))


def vessel_state(row: Any) -> VesselState:
    """Return the :class:`VesselState` of a ``vessels`` row (with an empty history)."""
    return _state(row, {key: i for i, key in enumerate(row._mapping.keys())})


def vessel_states(result: Any) -> list[VesselState]:
    """Return :func:`vessel_state` of every row of ``result``, fetched at once.

    The column positions are looked up once for the whole answer, not per row and field
    (the whole sea's 1,500 vessels cost a third of what they did).
    """
    where = {key: i for i, key in enumerate(result.keys())}
    return [_state(row, where) for row in result.fetchall()]


_PLAIN = ("lon", "lat", "sog_kn", "cog_deg", "heading_deg", "nav_status", "name", "callsign",
          "imo", "ship_type", "to_bow_m", "to_stern_m", "to_port_m", "to_starboard_m",
          "destination", "draught_m", "mid", "flag", "flag_code", "last_text")  # fmt: skip
"""The fields of :class:`VesselState` stored as they are, under their own names."""

_TIMES = (("first_seen", "first_seen_ms"), ("last_seen", "last_seen_ms"))
_OPT_TIMES = (("position_time", "position_time_ms"), ("eta", "eta_ms"),
              ("static_time", "static_time_ms"))  # fmt: skip
"""Times stored as milliseconds: (field, column)."""


def _state(row: Any, at: dict[str, int]) -> VesselState:
    fields: dict[str, Any] = {name: row[at[name]] for name in _PLAIN}
    fields.update((name, from_ms(row[at[column]])) for name, column in _TIMES)
    fields.update((name, opt_from_ms(row[at[column]])) for name, column in _OPT_TIMES)
    track = at.get("track")  # the vessels table has none: the MMSI's first ship
    stored_class = row[at["ais_class"]]
    return VesselState(
        mmsi=int(row[at["mmsi"]]),
        track=0 if track is None else int(row[track] or 0),
        message_count=int(row[at["message_count"]]),
        ais_class=_AIS_CLASSES.get(stored_class) or AisClass(stored_class),
        is_littoral=bool(row[at["is_littoral"]]),
        **fields,
    )


_AIS_CLASSES = {c.value: c for c in AisClass}


def vessel_rows(
    states: Iterable[VesselState],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Return the ``vessels`` rows and the ``vessel_tracks`` rows of ``states``."""
    rows: list[tuple[Any, ...]] = []
    tracks: list[tuple[Any, ...]] = []
    for state in states:
        if state.track:
            tracks.append((*vessel_values(state), state.track))
        else:
            rows.append(vessel_values(state))
    return rows, tracks


def upsert_vessels(conn: Connection, backend: Backend, states: Iterable[VesselState]) -> None:
    """Insert or replace vessel rows inside the caller's transaction (DBAPI ``executemany``)."""
    upsert_vessel_rows(conn, backend, *vessel_rows(states))


def upsert_vessel_rows(
    conn: Connection,
    backend: Backend,
    rows: Sequence[tuple[Any, ...]],
    tracks: Sequence[tuple[Any, ...]] = (),
) -> None:
    """Insert or replace rows made by :func:`vessel_rows` inside the caller's transaction."""
    if not rows and not tracks:
        return
    cursor = conn.connection.cursor()
    try:
        if rows:
            cursor.executemany(backend.upsert_sql("vessels", VESSEL_COLUMNS, ("mmsi",)), rows)
        if tracks:
            sql = backend.upsert_sql("vessel_tracks", TRACK_COLUMNS, ("mmsi", "track"))
            cursor.executemany(sql, tracks)
    finally:
        cursor.close()


QuarantineRow = tuple[int, str, str, str]


def quarantine_rows(lines: Iterable[QuarantinedLine]) -> list[QuarantineRow]:
    """Return DBAPI rows ``(time_ms, source, reason, line)`` of quarantined lines."""
    return [(to_ms(q.time), q.source, q.reason, q.line) for q in lines]


def insert_quarantine(conn: Connection, backend: Backend, lines: Iterable[QuarantinedLine]) -> int:
    """Insert quarantined lines inside the caller's transaction; return how many were new."""
    return insert_quarantine_rows(conn, backend, quarantine_rows(lines))


def insert_quarantine_rows(
    conn: Connection, backend: Backend, rows: Sequence[QuarantineRow]
) -> int:
    """Insert rows of :func:`quarantine_rows` in the caller's transaction; return new ones."""
    if not rows:
        return 0
    cursor = conn.connection.cursor()
    try:
        sql = backend.insert_ignore_sql("quarantine", ("time_ms", "source", "reason", "line"))
        cursor.executemany(sql, rows)
        count = cursor.rowcount
    finally:
        cursor.close()
    return int(count) if count is not None and count >= 0 else 0


class SqlVessels:
    """:class:`~littoral.store.protocol.VesselRepository` on SQLAlchemy Core."""

    def __init__(
        self, engine: Engine, backend: Backend, layout: PgPositionLayout | None = None
    ) -> None:
        self._engine = engine
        self._backend = backend
        self._layout = layout

    @property
    def _hourly(self) -> bool:
        """Whether the positions are SQLite's, keyed by hour first (no partition layout)."""
        return self._layout is None

    def upsert(self, states: Iterable[VesselState]) -> None:
        """Insert or replace the rows of these vessels."""
        with self._engine.begin() as conn:
            upsert_vessels(conn, self._backend, states)

    def get(self, mmsi: int, track: int = 0) -> VesselState:
        """Return one vessel (ship ``track`` of the MMSI); raise ``NotFoundError`` if unknown."""
        if track:
            t = schema.vessel_tracks
            query = select(t).where(t.c.mmsi == mmsi, t.c.track == track)
        else:
            query = select(schema.vessels).where(schema.vessels.c.mmsi == mmsi)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            name = f"mmsi={mmsi!r}" if not track else f"vessel {mmsi}-{track + 1}"
            raise NotFoundError(f"{name} is not in the store")
        return vessel_state(row)

    def all(self) -> list[VesselState]:
        """Return every vessel, by MMSI (the other ships of an MMSI after its first)."""
        return self.find()

    def count(self) -> int:
        """Return the number of vessels (each ship of a shared MMSI counted)."""
        with self._engine.connect() as conn:
            return sum(
                int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in (schema.vessels, schema.vessel_tracks)
            )

    def find(
        self,
        bbox: BoundingBox | None = None,
        at: datetime | None = None,
        max_age: timedelta = timedelta(hours=1),
    ) -> list[VesselState]:
        """Return vessels whose latest position (or latest at ``at``) is in ``bbox``."""
        if bbox is not None:
            bbox.check()
        if at is None:
            found: list[VesselState] = []
            with self._engine.connect() as conn:
                for v in (schema.vessels, schema.vessel_tracks):
                    query = select(v)
                    if bbox is not None:
                        query = query.where(
                            v.c.lon.between(bbox.west, bbox.east),
                            v.c.lat.between(bbox.south, bbox.north),
                        )
                    found.extend(vessel_states(conn.execute(query)))
            found.sort(key=_by_key)
            return found
        if max_age <= timedelta(0):
            raise InputError(f"max_age={max_age!r} must be > 0")
        return self._find_at(bbox, to_ms(at), int(max_age.total_seconds() * 1000))

    def _find_at(self, bbox: BoundingBox | None, at_ms: int, age_ms: int) -> list[VesselState]:
        if self._layout is None:  # (SQLite's positions: keyed by hour first)
            query = in_view_query_sqlite(bbox, at_ms, age_ms)
        else:
            query = in_view_query_postgresql(bbox, at_ms, age_ms, self._layout.namespace)
        states: dict[int, VesselState] = {}
        with self._engine.connect() as conn:
            result = conn.execute(query)
            at = {key: i for i, key in enumerate(result.keys())}
            mmsi, p_time = at["mmsi"], at["p_time_ms"]
            p_lon, p_lat, p_sog, p_cog = at["p_lon"], at["p_lat"], at["p_sog_kn"], at["p_cog_deg"]
            p_heading, p_status = at["p_heading_deg"], at["p_nav_status"]
            for row in result.fetchall():
                if row[mmsi] in states:
                    continue  # two positions in the same millisecond: keep the first
                state = _state(row, at)
                state.position_time = from_ms(row[p_time])
                state.lon, state.lat = row[p_lon], row[p_lat]
                state.sog_kn, state.cog_deg = row[p_sog], row[p_cog]
                state.heading_deg, state.nav_status = row[p_heading], row[p_status]
                states[state.mmsi] = state
        return list(states.values())


def _by_key(state: VesselState) -> tuple[int, int]:
    return state.mmsi, state.track


class SqlPositions:
    """:class:`~littoral.store.protocol.PositionRepository` on SQLAlchemy Core.

    ``layout`` is the partitioning of a PostgreSQL store (None on SQLite).
    """

    def __init__(
        self, engine: Engine, backend: Backend, layout: PgPositionLayout | None = None
    ) -> None:
        self._engine = engine
        self._backend = backend
        self._layout = layout

    @property
    def _hourly(self) -> bool:
        """Whether the positions are SQLite's, keyed by hour first (no partition layout)."""
        return self._layout is None

    def add(self, reports: Iterable[PositionReport]) -> int:
        """Store positions; return how many were new."""
        rows = position_rows(reports)
        if not rows:
            return 0
        return write_positions(
            self._engine,
            self._layout,
            rows,
            lambda conn: add_positions(conn, self._backend, self._layout, rows),
        )

    def track(
        self, mmsi: int, start: datetime | None = None, end: datetime | None = None
    ) -> list[StoredPosition]:
        """Return the positions of ``mmsi`` in ``[start, end]``, oldest first."""
        if start is not None and end is not None and end < start:
            raise InputError(f"end={end.isoformat()!r} is before start={start.isoformat()!r}")
        query = track_query(
            mmsi,
            None if start is None else to_ms(start),
            None if end is None else to_ms(end),
            hourly=self._hourly,
        )
        with self._engine.connect() as conn:
            return [
                StoredPosition(
                    int(r[0]), from_ms(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], int(r[8]), r[9]
                )
                for r in conn.execute(query)
            ]

    def track_columns(
        self, mmsi: int, start: datetime | None = None, end: datetime | None = None
    ) -> TrackColumns:
        """Return :meth:`track` as columns (numpy arrays), without the receivers."""
        if start is not None and end is not None and end < start:
            raise InputError(f"end={end.isoformat()!r} is before start={start.isoformat()!r}")
        first = None if start is None else to_ms(start)
        last = None if end is None else to_ms(end)
        read = read_postgresql if self._backend.name == "postgresql" else read_sqlite
        with self._engine.connect() as conn:
            return read(conn, mmsi, first, last)

    def between(
        self,
        start: datetime,
        end: datetime,
        chunk_size: int = 10_000,
        window: timedelta = timedelta(hours=1),
    ) -> Iterator[list[StoredPosition]]:
        """Yield every position in ``[start, end]`` in time order, ``chunk_size`` at a time.

        The order is (time, MMSI, lon, lat). The range is read ``window`` by window, each
        sorted by the database. On SQLite the positions are clustered by hour, then vessel
        (:mod:`littoral.store.hourly`): each window is one range of the key. On PostgreSQL
        each window is read from its partition through the time index. Memory holds one
        chunk here and one window in the database.
        """
        require_utc(start, "start")
        require_utc(end, "end")
        if end < start:
            raise InputError(f"end={end.isoformat()!r} is before start={start.isoformat()!r}")
        if chunk_size <= 0:
            raise InputError(f"chunk_size={chunk_size!r} must be > 0")
        if window <= timedelta(0):
            raise InputError(f"window={window!r} must be > 0")
        first, last = to_ms(start), to_ms(end)
        step = max(1, int(window.total_seconds() * 1000))
        cache: dict[int, datetime] = {}
        out: list[StoredPosition] = []
        with self._engine.connect() as conn:
            low = first
            while low <= last:
                high = min(low + step - 1, last)
                for r in conn.execute(window_query(low, high, hourly=self._hourly)):
                    ms = r[1]
                    time = cache.get(ms)
                    if time is None:
                        if len(cache) >= 4096:
                            cache.clear()
                        time = cache[ms] = from_ms(ms)
                    out.append(
                        StoredPosition(
                            int(r[0]), time, r[2], r[3], r[4], r[5], r[6], r[7], int(r[8]), r[9]
                        )
                    )
                    if len(out) >= chunk_size:
                        yield out
                        out = []
                low = high + 1
        if out:
            yield out

    def count(self, mmsi: int | None = None) -> int:
        """Return the number of positions (of one MMSI when given)."""
        p = hourly_positions if self._hourly else schema.positions
        query = select(func.count()).select_from(p)
        if mmsi is not None:
            query = query.where(p.c.mmsi == mmsi)
            if self._hourly:  # (SQLite: by hour, then vessel)
                query = query.where(p.c.hour.in_(hours(None, None)))
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())


class SqlQuarantine:
    """:class:`~littoral.store.protocol.QuarantineRepository` on SQLAlchemy Core."""

    def __init__(self, engine: Engine, backend: Backend) -> None:
        self._engine = engine
        self._backend = backend

    def add(self, lines: Iterable[QuarantinedLine]) -> int:
        """Keep rejected lines; return how many were new."""
        with self._engine.begin() as conn:
            return insert_quarantine(conn, self._backend, lines)

    def recent(self, reason: str | None = None, limit: int = 100) -> list[QuarantineEntry]:
        """Return the latest quarantined lines, newest first."""
        if limit <= 0:
            raise InputError(f"limit={limit!r} must be > 0")
        q = schema.quarantine
        query = select(q).order_by(q.c.time_ms.desc(), q.c.id.desc()).limit(limit)
        if reason is not None:
            query = query.where(q.c.reason == reason)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            QuarantineEntry(line=r.line, source=r.source, reason=r.reason, time=from_ms(r.time_ms))
            for r in rows
        ]

    def count_by_reason(self) -> dict[str, int]:
        """Return the number of quarantined lines per reason."""
        q = schema.quarantine
        query = select(q.c.reason, func.count()).group_by(q.c.reason).order_by(q.c.reason)
        with self._engine.connect() as conn:
            return {str(r[0]): int(r[1]) for r in conn.execute(query)}


class SqlIngestRuns:
    """:class:`~littoral.store.protocol.IngestRunRepository` on SQLAlchemy Core."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, run: IngestRun) -> IngestRun:
        """Store one run; return it with its ``id``."""
        values = {
            "started_ms": to_ms(run.started),
            "finished_ms": to_ms(run.finished),
            "sources": json.dumps(list(run.sources)),
            "lines": run.lines,
            "messages": run.messages,
            "positions_stored": run.positions_stored,
            "vessels": run.vessels,
            "rejects": run.rejects,
            "counts": json.dumps(run.counts, sort_keys=True),
        }
        with self._engine.begin() as conn:
            result = conn.execute(schema.ingest_runs.insert().values(**values))
            key = result.inserted_primary_key
        run.id = int(key[0]) if key is not None else None
        return run

    def recent(self, limit: int = 20) -> list[IngestRun]:
        """Return the latest runs, newest first."""
        r = schema.ingest_runs
        query = select(r).order_by(r.c.id.desc()).limit(limit)
        with self._engine.connect() as conn:
            return [
                IngestRun(
                    started=from_ms(row.started_ms),
                    finished=from_ms(row.finished_ms),
                    sources=tuple(json.loads(row.sources)),
                    lines=row.lines,
                    messages=row.messages,
                    positions_stored=row.positions_stored,
                    vessels=row.vessels,
                    rejects=row.rejects,
                    counts=dict(json.loads(row.counts)),
                    id=int(row.id),
                )
                for row in conn.execute(query)
            ]
