"""Safety texts and identity history in the store: what the watch replays beside positions.

The watch raises distress from texts ("MAYDAY", "MOB ACTIVE"), so a replay of stored history
needs them beside the positions: a text received while the watch was off, or just before a
crash, is then still alerted by ``littoral watch run``. The key ``(mmsi, time_ms, msg_type,
text)`` makes re-ingesting the same data a no-op.

Likewise the identity rule judges changes of name, call sign and IMO number; the ``vessels``
row keeps only the latest, so the ingest also stores each static report that changed what
it knew of a vessel (``static_reports``): a few rows per vessel, not one per transmission.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, func, select

from littoral.clock import require_utc
from littoral.errors import InputError
from littoral.records.reports import SafetyReport, StaticReport
from littoral.store import schema
from littoral.store.backend import Backend
from littoral.store.records import from_ms, to_ms

SafetyRow = tuple[int, int, int, str, int | None, str]


def safety_rows(reports: Iterable[SafetyReport]) -> list[SafetyRow]:
    """Return DBAPI rows of ``reports`` in :data:`~littoral.store.schema.SAFETY_COLUMNS` order."""
    return [(r.mmsi, to_ms(r.time), r.msg_type, r.text, r.dest_mmsi, r.source) for r in reports]


def insert_safety_rows(conn: Connection, backend: Backend, rows: Sequence[SafetyRow]) -> int:
    """Insert safety-text rows inside the caller's transaction; return how many were new."""
    if not rows:
        return 0
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(backend.insert_ignore_sql("safety_texts", schema.SAFETY_COLUMNS), rows)
        count = cursor.rowcount
    finally:
        cursor.close()
    return int(count) if count is not None and count >= 0 else 0


class SqlSafetyTexts:
    """Safety texts on SQLAlchemy Core (both backends)."""

    def __init__(self, engine: Engine, backend: Backend) -> None:
        self._engine = engine
        self._backend = backend

    def add(self, reports: Iterable[SafetyReport]) -> int:
        """Store texts; return how many were new (duplicates are ignored)."""
        rows = safety_rows(reports)
        with self._engine.begin() as conn:
            return insert_safety_rows(conn, self._backend, rows)

    def between(self, start: datetime, end: datetime) -> list[SafetyReport]:
        """Return the texts of ``[start, end]`` in order of (time, MMSI, type, text)."""
        require_utc(start, "start")
        require_utc(end, "end")
        if end < start:
            raise InputError(f"end={end.isoformat()!r} is before start={start.isoformat()!r}")
        s = schema.safety_texts
        query = (
            select(s)
            .where(s.c.time_ms.between(to_ms(start), to_ms(end)))
            .order_by(s.c.time_ms, s.c.mmsi, s.c.msg_type, s.c.text)
        )
        with self._engine.connect() as conn:
            return [
                SafetyReport(
                    mmsi=int(r.mmsi),
                    time=from_ms(r.time_ms),
                    msg_type=int(r.msg_type),
                    text=r.text,
                    source=r.source,
                    dest_mmsi=None if r.dest_mmsi is None else int(r.dest_mmsi),
                )
                for r in conn.execute(query)
            ]

    def count(self, mmsi: int | None = None) -> int:
        """Return the number of stored texts (of one MMSI when given)."""
        query = select(func.count()).select_from(schema.safety_texts)
        if mmsi is not None:
            query = query.where(schema.safety_texts.c.mmsi == mmsi)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())


StaticRow = tuple[int, int, int, str | None, str | None, int | None, int | None, str]


def static_rows(reports: Iterable[StaticReport]) -> list[StaticRow]:
    """Return DBAPI rows of ``reports`` in :data:`~littoral.store.schema.STATIC_COLUMNS` order."""
    return [
        (r.mmsi, to_ms(r.time), r.msg_type, r.name, r.callsign, r.imo, r.ship_type, r.source)
        for r in reports
    ]


def insert_static_rows(conn: Connection, backend: Backend, rows: Sequence[StaticRow]) -> int:
    """Insert static-report rows inside the caller's transaction; return how many were new."""
    if not rows:
        return 0
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(backend.insert_ignore_sql("static_reports", schema.STATIC_COLUMNS), rows)
        count = cursor.rowcount
    finally:
        cursor.close()
    return int(count) if count is not None and count >= 0 else 0


class SqlStaticReports:
    """Identity history: the static reports that changed a vessel, on SQLAlchemy Core."""

    def __init__(self, engine: Engine, backend: Backend) -> None:
        self._engine = engine
        self._backend = backend

    def add(self, reports: Iterable[StaticReport]) -> int:
        """Store static reports; return how many were new (duplicates are ignored)."""
        rows = static_rows(reports)
        with self._engine.begin() as conn:
            return insert_static_rows(conn, self._backend, rows)

    def between(self, start: datetime | None, end: datetime) -> list[StaticReport]:
        """Return the reports of ``[start, end]`` (all up to ``end`` without ``start``).

        In order of (time, MMSI, message type).
        """
        require_utc(end, "end")
        s = schema.static_reports
        query = select(s).where(s.c.time_ms <= to_ms(end))
        if start is not None:
            require_utc(start, "start")
            if end < start:
                raise InputError(f"end={end.isoformat()!r} is before start={start.isoformat()!r}")
            query = query.where(s.c.time_ms >= to_ms(start))
        query = query.order_by(s.c.time_ms, s.c.mmsi, s.c.msg_type)
        with self._engine.connect() as conn:
            return [
                StaticReport(
                    mmsi=int(r.mmsi),
                    time=from_ms(r.time_ms),
                    msg_type=int(r.msg_type),
                    source=r.source,
                    name=r.name,
                    callsign=r.callsign,
                    imo=None if r.imo is None else int(r.imo),
                    ship_type=None if r.ship_type is None else int(r.ship_type),
                )
                for r in conn.execute(query)
            ]

    def count(self) -> int:
        """Return the number of stored static reports."""
        query = select(func.count()).select_from(schema.static_reports)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())


class IdentityHistory:
    """Pick, from a stream of static reports, those to keep as identity history.

    Static data repeats every few minutes; a report is kept when a field it carries (name,
    call sign, IMO number, ship type) differs from what the stream said before for that
    MMSI. The first report of each MMSI is kept.

    >>> from datetime import UTC, datetime
    >>> t = datetime(2026, 5, 1, tzinfo=UTC)
    >>> history = IdentityHistory()
    >>> same = [StaticReport(273000001, t, 5, name="A")] * 3
    >>> len(history.changes(same)), len(history.changes([StaticReport(273000001, t, 5, name="B")]))
    (1, 1)
    """

    def __init__(self) -> None:
        self._seen: dict[int, tuple[object, ...]] = {}

    def changes(self, reports: Iterable[StaticReport]) -> list[StaticReport]:
        """Return the reports that change what was known of their vessel, in order."""
        out: list[StaticReport] = []
        known = self._seen
        unknown = (None, None, None, None)
        for r in reports:
            seen = known.get(r.mmsi, unknown)
            name, callsign, imo, ship_type = r.name, r.callsign, r.imo, r.ship_type
            if (
                (name is None or name == seen[0])
                and (callsign is None or callsign == seen[1])
                and (imo is None or imo == seen[2])
                and (ship_type is None or ship_type == seen[3])
            ):
                continue  # (the usual case: the same static data again)
            known[r.mmsi] = (
                seen[0] if name is None else name,
                seen[1] if callsign is None else callsign,
                seen[2] if imo is None else imo,
                seen[3] if ship_type is None else ship_type,
            )
            out.append(r)
        return out
