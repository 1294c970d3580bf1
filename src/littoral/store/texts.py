"""Safety texts in the store: every type 12/14 text (and binary distress text) once each.

The watch raises distress from texts ("MAYDAY", "MOB ACTIVE"), so a replay of stored history
needs them beside the positions: a text received while the watch was off, or just before a
crash, is then still alerted by ``littoral watch run``. The key ``(mmsi, time_ms, msg_type,
text)`` makes re-ingesting the same data a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, func, select

from littoral.clock import require_utc
from littoral.errors import InputError
from littoral.records.reports import SafetyReport
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
