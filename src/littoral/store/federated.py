"""What a federated centre keeps besides the picture: who received each position, merged alerts.

A position heard by several receivers (a centre's own, or another centre's) is stored once,
under the key of the first copy a centre stored (``positions_key``), with that copy's
receiver as its ``source``; ``position_receivers`` lists every other receiver that heard
it, so the picture shows it once, attributed to all of them, and a position heard once
costs no second row. Inserts ignore rows already there, so replaying a federation backlog
is a no-op.

:func:`near_positions` finds the stored copies of reports for that merge, in one query per
batch; :func:`replace_alerts` swaps several copies of one alert for their merged record
in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    and_,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from littoral.errors import StoreError
from littoral.records.alerts import Alert
from littoral.store import schema
from littoral.store.alerts import alert_row, stored_alert, upsert_alert_rows
from littoral.store.hourly import hour_column, hour_of, hours_sql
from littoral.store.hourly import positions as hourly_positions
from littoral.store.records import fast_ms
from littoral.store.sqlstore import SqlStore

federation_metadata = MetaData()
"""The federation's tables, created by :func:`ensure_tables` in the stores of centres only."""

position_receivers = Table(
    "position_receivers",
    federation_metadata,
    Column("mmsi", BigInteger, nullable=False),
    Column("time_ms", BigInteger, nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("receiver", Text, nullable=False),
    PrimaryKeyConstraint("mmsi", "time_ms", "lon", "lat", "receiver", name="receivers_key"),
    sqlite_with_rowid=False,
)
"""Every receiver of each stored position (``receiver`` is ``centre/source``)."""
Index("position_receivers_receiver", position_receivers.c.receiver)

federation_cursors = Table(
    "federation_cursors",
    federation_metadata,
    Column("origin", Text, primary_key=True),
    Column("origin_seq", BigInteger, nullable=False),
)
"""For each other centre, the last of its messages whose effect is stored: its number in that
centre's own log. Written in the transaction that stores the effect, so a centre that
restarts knows which of the others' messages it holds, and sees a hole the moment it opens."""

RECEIVER_COLUMNS = ("mmsi", "time_ms", "lon", "lat", "receiver")


class ReceiverRow(NamedTuple):
    """One receiver of one stored position (the position's key and the receiver's name)."""

    mmsi: int
    time_ms: int
    lon: float
    lat: float
    receiver: str


class NearPosition(NamedTuple):
    """A stored position, with the fields that tell two copies of one message apart."""

    mmsi: int
    time_ms: int
    lon: float
    lat: float
    sog_kn: float | None
    cog_deg: float | None
    heading_deg: float | None
    nav_status: int | None
    msg_type: int
    source: str


federation_outbox = Table(
    "federation_outbox",
    federation_metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("msg_id", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("reports", Integer, nullable=False),
)
"""The centre's own messages to share, written in the transaction that stores what they
carry and removed once the centre's server has acknowledged them: a littoral that dies
between the two publishes them (same ids) when it starts again."""

OUTBOX_COLUMNS = ("msg_id", "kind", "data", "reports")

federation_cases = Table(
    "federation_cases",
    federation_metadata,
    Column("origin", Text, nullable=False),
    Column("origin_id", BigInteger, nullable=False),
    Column("local_id", BigInteger, nullable=False, unique=True),
    PrimaryKeyConstraint("origin", "origin_id", name="federation_cases_key"),
)
"""Another centre's joint case (its centre and id there) and the id of its copy here."""

case_digests = Table(
    "federation_case_digests",
    federation_metadata,
    Column("case_id", BigInteger, primary_key=True),
    Column("digest", Text, nullable=False),
)
"""The digest of each own joint case as last published (a change publishes it again)."""


class OutboxRow(NamedTuple):
    """A message waiting in the outbox: id, kind (subject token), body, reports carried."""

    msg_id: str
    kind: str
    data: bytes
    reports: int


def ensure_tables(store: SqlStore) -> None:
    """Create the federation's tables in ``store`` when missing (never alters one)."""
    for table in (
        position_receivers,
        federation_cursors,
        federation_outbox,
        federation_cases,
        case_digests,
    ):
        try:
            table.create(store.engine, checkfirst=True)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot create {table.name} in {store.url}: {exc}") from exc


def read_cursors(store: SqlStore) -> dict[str, int]:
    """Return, for each other centre, the number of its last message whose effect is stored."""
    table = federation_cursors
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(select(table.c.origin, table.c.origin_seq)).all()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read federation_cursors in {store.url}: {exc}") from exc
    return {str(origin): int(seq) for origin, seq in rows}


class CursorWrite:
    """Move each centre's cursor forward in a batch's own transaction (never back)."""

    def __init__(self, store: SqlStore, cursors: Mapping[str, int]) -> None:
        mark = store._backend.placeholder  # "?" or "%s", never user input
        self._sql = (
            f"INSERT INTO federation_cursors (origin, origin_seq) VALUES ({mark}, {mark}) "  # noqa: S608
            "ON CONFLICT (origin) DO UPDATE SET origin_seq = excluded.origin_seq "
            "WHERE excluded.origin_seq > federation_cursors.origin_seq"
        )
        self._rows = sorted(cursors.items())

    def __call__(self, conn: Connection) -> None:
        """Write the cursors in ``conn``'s transaction."""
        _execute_many(conn, self._sql, self._rows)


def read_outbox(store: SqlStore) -> list[OutboxRow]:
    """Return the messages waiting in the outbox, in the order they were written."""
    t = federation_outbox
    query = select(t.c.msg_id, t.c.kind, t.c.data, t.c.reports).order_by(t.c.seq)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(query).all()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read federation_outbox in {store.url}: {exc}") from exc
    return [OutboxRow(str(i), str(k), bytes(d), int(n)) for i, k, d, n in rows]


def add_outbox(store: SqlStore, rows: Sequence[OutboxRow]) -> None:
    """Write ``rows`` to the outbox in a transaction of their own."""
    if not rows:
        return
    try:
        with store.engine.begin() as conn:
            OutboxWrite(store, rows)(conn)
    except (SQLAlchemyError, store.engine.dialect.loaded_dbapi.Error) as exc:
        raise StoreError(f"cannot write federation_outbox in {store.url}: {exc}") from exc


def remove_outbox(store: SqlStore, msg_ids: Sequence[str]) -> None:
    """Remove the messages ``msg_ids`` from the outbox (their publish was acknowledged)."""
    if not msg_ids:
        return
    t = federation_outbox
    try:
        with store.engine.begin() as conn:
            for start in range(0, len(msg_ids), 500):
                conn.execute(delete(t).where(t.c.msg_id.in_(msg_ids[start : start + 500])))
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot remove from federation_outbox in {store.url}: {exc}") from exc


def case_copies(store: SqlStore) -> dict[tuple[str, int], int]:
    """Return the copies of the others' joint cases: (centre, its id there) to the id here."""
    t = federation_cases
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.origin, t.c.origin_id, t.c.local_id)).all()
    return {(str(o), int(i)): int(local) for o, i, local in rows}


def copy_origin(engine: Engine, case_id: int) -> str | None:
    """Return the centre whose joint case ``case_id`` copies (``None``: a case of its own)."""
    if not inspect(engine).has_table(federation_cases.name):
        return None  # not a federated centre's store
    t = federation_cases
    with engine.connect() as conn:
        found = conn.execute(select(t.c.origin).where(t.c.local_id == case_id)).first()
    return None if found is None else str(found[0])


def add_case_copy(conn: Connection, origin: str, origin_id: int, local_id: int) -> None:
    """Remember, in ``conn``'s transaction, that ``local_id`` is the copy of a joint case."""
    t = federation_cases
    found = conn.execute(
        select(t.c.local_id).where(t.c.origin == origin, t.c.origin_id == origin_id)
    ).first()
    if found is None:
        conn.execute(t.insert().values(origin=origin, origin_id=origin_id, local_id=local_id))


def published_digests(store: SqlStore) -> dict[int, str]:
    """Return the digest of each own joint case as last published."""
    t = case_digests
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.case_id, t.c.digest)).all()
    return {int(i): str(d) for i, d in rows}


def publish_cases(store: SqlStore, rows: Sequence[OutboxRow], digests: Mapping[int, str]) -> None:
    """Put joint cases' messages in the outbox and record their digests, in one transaction."""
    t = case_digests
    try:
        with store.engine.begin() as conn:
            OutboxWrite(store, rows)(conn)
            for case_id, digest in digests.items():
                conn.execute(delete(t).where(t.c.case_id == case_id))
                conn.execute(t.insert().values(case_id=case_id, digest=digest))
    except (SQLAlchemyError, store.engine.dialect.loaded_dbapi.Error) as exc:
        raise StoreError(f"cannot write joint cases to the outbox of {store.url}: {exc}") from exc


class OutboxWrite:
    """Messages to add to the outbox in a batch's own transaction.

    A retried transaction ignores those already there.
    """

    def __init__(self, store: SqlStore, rows: Sequence[OutboxRow]) -> None:
        self._sql = store._backend.insert_ignore_sql("federation_outbox", OUTBOX_COLUMNS)
        self._rows = rows

    def __call__(self, conn: Connection) -> None:
        """Insert the rows in ``conn``'s transaction."""
        _execute_many(conn, self._sql, self._rows)


class ReceiverWrite:
    """Receiver rows to insert in a batch's own transaction (``write_batch(also=...)``).

    ``cursors`` (centre to the number of its last message in the batch) move the
    ``federation_cursors`` forward in the same transaction; ``outbox`` adds the messages
    that share the batch. ``added`` is how many receiver
    rows were new. Rows already there are ignored, so the write may run again (a retried
    transaction) and still count right.
    """

    def __init__(
        self,
        store: SqlStore,
        rows: Sequence[ReceiverRow],
        cursors: Mapping[str, int] | None = None,
        outbox: Sequence[OutboxRow] = (),
    ) -> None:
        self._sql = store._backend.insert_ignore_sql("position_receivers", RECEIVER_COLUMNS)
        self._rows = rows
        self._cursors = CursorWrite(store, cursors or {})
        self._outbox = OutboxWrite(store, outbox)
        self.added = 0

    def __call__(self, conn: Connection) -> None:
        """Insert the rows, move the cursors and fill the outbox, in ``conn``'s transaction."""
        self._cursors(conn)
        self._outbox(conn)
        self.added = _execute_many(conn, self._sql, self._rows)


def _execute_many(conn: Connection, sql: str, rows: Sequence[Sequence[object]]) -> int:
    """Run one DBAPI statement for each row in ``conn``'s transaction; return rows changed."""
    if not rows:
        return 0
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows)
        count = cursor.rowcount
    finally:
        cursor.close()
    return int(count) if count is not None and count >= 0 else 0


def add_receivers(store: SqlStore, rows: Sequence[ReceiverRow]) -> int:
    """Insert receiver rows (those already there are ignored); return how many were new."""
    if not rows:
        return 0
    write = ReceiverWrite(store, rows)
    try:
        with store.engine.begin() as conn:
            write(conn)
    except (SQLAlchemyError, store.engine.dialect.loaded_dbapi.Error) as exc:
        raise StoreError(f"cannot write receivers to {store.url}: {exc}") from exc
    return write.added


def receivers_of(store: SqlStore, mmsi: int, time: datetime) -> list[str]:
    """Return the receivers of the position of ``mmsi`` stored at ``time``, sorted.

    The first is the position's own ``source``; the others are rows of
    ``position_receivers``.
    """
    table, p = position_receivers, schema.positions
    at = fast_ms(time)
    if store.backend == "sqlite":  # (its key begins with the hour: littoral.store.hourly)
        h = hourly_positions
        mine = select(h.c.source).where(
            h.c.hour == hour_of(at), h.c.mmsi == mmsi, h.c.time_ms == at
        )
    else:
        mine = select(p.c.source).where(p.c.mmsi == mmsi, p.c.time_ms == at)
    with store.engine.connect() as conn:
        own = conn.execute(mine).all()
        more = conn.execute(
            select(table.c.receiver).where(and_(table.c.mmsi == mmsi, table.c.time_ms == at))
        ).all()
    return sorted({r[0] for r in own} | {r[0] for r in more})


def receiver_count(store: SqlStore) -> int:
    """Return the number of (position, receiver) pairs: one a position, and each other row."""
    r, p = position_receivers, schema.positions
    same: list[ColumnElement[bool]] = []
    if store.backend == "sqlite":  # (its key begins with the hour: littoral.store.hourly)
        p = hourly_positions
        same.append(hourly_positions.c.hour == hour_column(r.c.time_ms))
    others = (
        select(func.count())
        .select_from(
            r.join(
                p,
                and_(
                    *same,
                    r.c.mmsi == p.c.mmsi,
                    r.c.time_ms == p.c.time_ms,
                    r.c.lon == p.c.lon,
                    r.c.lat == p.c.lat,
                ),
            )
        )
        .where(r.c.receiver != p.c.source)
    )
    with store.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(p)).scalar_one()
        return int(count) + int(conn.execute(others).scalar_one())


def near_positions(
    store: SqlStore, places: Iterable[tuple[int, float, float]], start_ms: int, end_ms: int
) -> list[NearPosition]:
    """Return the stored positions at ``places`` with ``start_ms <= time_ms <= end_ms``.

    ``places`` are ``(mmsi, lon, lat)``: a copy of a transmission has its position exactly.
    The database reads each vessel's key range of the window (on SQLite one per hour of the
    window, :mod:`littoral.store.hourly`) and returns only the rows at one of the places,
    not the vessel's every report of the window.
    """
    wanted = sorted(set(places))
    if not wanted:
        return []
    ph = store._backend.placeholder  # the store's own dialect pieces
    hourly = store.backend == "sqlite"
    columns = "mmsi, time_ms, lon, lat, sog_kn, cog_deg, heading_deg, nav_status, msg_type, source"
    found: list[NearPosition] = []
    try:
        with store.engine.connect() as conn:
            cursor = conn.connection.cursor()
            try:
                for i in range(0, len(wanted), 2000):  # 4 values a place: under SQLite's limit
                    chunk = wanted[i : i + 2000]
                    mmsis = sorted({m for m, _, _ in chunk})
                    # the statement is built from our names and placeholders only; the time
                    # bounds and the vessels make it one key range per vessel
                    sql = (
                        f"SELECT {columns} FROM positions WHERE mmsi IN "  # noqa: S608
                        f"({', '.join([ph] * len(mmsis))}) AND time_ms >= {ph} AND time_ms <= "
                        f"{ph} AND (mmsi, lon, lat) IN (VALUES "
                        f"{', '.join([f'({ph}, {ph}, {ph})'] * len(chunk))})"
                    )
                    params = [*mmsis, start_ms, end_ms, *(v for place in chunk for v in place)]
                    if hourly:  # one range of the key per vessel and hour of the window
                        sql = f"{hours_sql(ph, ph)} {sql} AND hour IN hours"
                        params = [start_ms, end_ms, *params]
                    cursor.execute(sql, params)
                    found.extend(NearPosition(*r) for r in cursor.fetchall())
            finally:
                cursor.close()
    except (SQLAlchemyError, store.engine.dialect.loaded_dbapi.Error) as exc:
        raise StoreError(f"cannot read positions from {store.url}: {exc}") from exc
    return found


def find_alert_copies(store: SqlStore, rule: str, mmsis: Sequence[int]) -> list[Alert]:
    """Return the stored alerts of ``rule`` about exactly ``mmsis`` (any status)."""
    a = schema.alerts
    query = select(a).where(and_(a.c.rule == rule, a.c.mmsis == json.dumps(list(mmsis))))
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [stored_alert(r).alert for r in rows]


def replace_alerts(store: SqlStore, merged: Alert, gone: Sequence[str], at: datetime) -> None:
    """Store ``merged`` and delete the alerts ``gone`` (its other copies), in one transaction."""
    table = schema.alerts
    try:
        with store.engine.begin() as conn:
            if gone:
                conn.execute(delete(table).where(table.c.id.in_(list(gone))))
            upsert_alert_rows(
                conn, store._backend, [alert_row(merged, at)], store.alerts.null_position
            )
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot merge alert {merged.id!r} in {store.url}: {exc}") from exc


__all__ = [
    "NearPosition",
    "ReceiverRow",
    "ReceiverWrite",
    "add_receivers",
    "ensure_tables",
    "find_alert_copies",
    "near_positions",
    "receiver_count",
    "receivers_of",
    "replace_alerts",
]
