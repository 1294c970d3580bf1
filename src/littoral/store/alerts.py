"""Watch alerts in the store: upsert by id, list by status, acknowledge or close by hand.

An update from the watch engine never undoes what an officer did: an open alert that was
acknowledged stays acknowledged until the engine (or an officer) closes it, and an alert an
officer closed by hand (its ``end`` is the officer's time) stays closed, whatever a replay or
a latched distress alert hands out again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, case, inspect, select, update

from littoral.errors import InputError, NotFoundError
from littoral.jsonvalues import json_default
from littoral.records.alerts import Alert, AlertStatus, Evidence, Priority
from littoral.store import schema
from littoral.store.backend import Backend
from littoral.store.protocol import StoredAlert
from littoral.store.records import from_ms, opt_from_ms, to_ms


def position_known(alert: Alert) -> bool:
    """Whether the alert has a real position (:attr:`Alert.position_known`)."""
    return alert.position_known


def alert_row(alert: Alert, at: datetime) -> dict[str, Any]:
    """Return the ``alerts`` row of ``alert`` (acknowledgement columns excluded).

    ``lon`` and ``lat`` are ``None`` (SQL NULL) when the position is not known
    (:func:`position_known`); they read back as 0.0, with ``details["position_known"]``
    False, as the watch engine made them.
    """
    known = position_known(alert)
    evidence = [
        {"mmsi": e.mmsi, "time_ms": to_ms(e.time), "lon": e.lon, "lat": e.lat}
        for e in alert.evidence
    ]
    return {
        "id": alert.id,
        "rule": alert.rule,
        "priority": int(alert.priority),
        "mmsis": json.dumps(list(alert.mmsis)),
        "start_ms": to_ms(alert.start),
        "end_ms": None if alert.end is None else to_ms(alert.end),
        "lon": alert.lon if known else None,
        "lat": alert.lat if known else None,
        "reason": alert.reason,
        "status": alert.status.value,
        "evidence": json.dumps(evidence),
        "details": json.dumps(alert.details, default=json_default, sort_keys=True),
        "updated_ms": to_ms(at),
    }


def stored_alert(row: Any) -> StoredAlert:
    """Return the :class:`StoredAlert` of an ``alerts`` row."""
    alert = Alert(
        id=row.id,
        rule=row.rule,
        priority=Priority(row.priority),
        mmsis=tuple(int(m) for m in json.loads(row.mmsis)),
        start=from_ms(row.start_ms),
        lon=0.0 if row.lon is None else row.lon,
        lat=0.0 if row.lat is None else row.lat,
        reason=row.reason,
        end=opt_from_ms(row.end_ms),
        status=AlertStatus(row.status),
        evidence=[
            Evidence(mmsi=e["mmsi"], time=from_ms(e["time_ms"]), lon=e["lon"], lat=e["lat"])
            for e in json.loads(row.evidence)
        ],
        details=dict(json.loads(row.details)),
    )
    return StoredAlert(
        alert=alert,
        updated=from_ms(row.updated_ms),
        acknowledged_by=row.acknowledged_by,
        acknowledged=opt_from_ms(row.acknowledged_ms),
        comment=row.comment,
    )


def upsert_alerts(
    conn: Connection,
    backend: Backend,
    alerts: Iterable[Alert],
    at: datetime,
    null_position: bool = True,
) -> None:
    """Insert or update alerts inside the caller's transaction."""
    upsert_alert_rows(conn, backend, [alert_row(a, at) for a in alerts], null_position)


def null_position_allowed(engine: Engine) -> bool:
    """Whether the store's ``alerts.lon`` and ``alerts.lat`` may be NULL.

    Stores made before it was allowed keep their NOT NULL columns: a store is never altered.
    """
    columns = {c["name"]: c for c in inspect(engine).get_columns("alerts")}
    return bool(columns["lon"]["nullable"]) and bool(columns["lat"]["nullable"])


def upsert_alert_rows(
    conn: Connection,
    backend: Backend,
    rows: Sequence[dict[str, Any]],
    null_position: bool = True,
) -> None:
    """Insert or update rows made by :func:`alert_row` inside the caller's transaction.

    ``null_position=False`` (an older store) writes an unknown position as 0.0, 0.0.
    """
    if not rows:
        return
    if not null_position:
        rows = [r if r["lon"] is not None else {**r, "lon": 0.0, "lat": 0.0} for r in rows]
    table = schema.alerts
    statement = backend.insert(table)
    acknowledged = AlertStatus.ACKNOWLEDGED.value
    by_hand = (
        (table.c.status == AlertStatus.CLOSED.value)
        & table.c.acknowledged_by.is_not(None)
        & (table.c.end_ms == table.c.acknowledged_ms)
    )
    keep_status = case(
        (by_hand, table.c.status),
        (
            (table.c.status == acknowledged)
            & (statement.excluded.status == AlertStatus.OPEN.value),
            acknowledged,
        ),
        else_=statement.excluded.status,
    )
    sets = {c.name: statement.excluded[c.name] for c in table.columns if c.name in rows[0]}
    del sets["id"]
    sets["status"] = keep_status
    sets["end_ms"] = case((by_hand, table.c.end_ms), else_=statement.excluded.end_ms)
    conn.execute(statement.on_conflict_do_update(index_elements=["id"], set_=sets), rows)


class SqlAlerts:
    """:class:`~littoral.store.protocol.AlertRepository` on SQLAlchemy Core."""

    def __init__(self, engine: Engine, backend: Backend, null_position: bool = True) -> None:
        self._engine = engine
        self._backend = backend
        self.null_position = null_position
        """Whether an unknown position is stored as NULL (else 0.0: a store made before)."""

    def upsert(self, alerts: Iterable[Alert], at: datetime) -> None:
        """Insert or update alerts by ``id``; an acknowledgement survives an update."""
        with self._engine.begin() as conn:
            upsert_alerts(conn, self._backend, alerts, at, self.null_position)

    def get(self, alert_id: str) -> StoredAlert:
        """Return one alert; raise ``NotFoundError`` if unknown."""
        with self._engine.connect() as conn:
            row = conn.execute(select(schema.alerts).where(schema.alerts.c.id == alert_id)).first()
        if row is None:
            raise NotFoundError(f"alert id={alert_id!r} is not in the store")
        return stored_alert(row)

    def find(
        self, status: AlertStatus | None = None, limit: int = 1000, rule: str | None = None
    ) -> list[StoredAlert]:
        """Return alerts, distress first, then highest priority, then newest.

        Of one status and one rule when given.
        """
        if limit <= 0:
            raise InputError(f"limit={limit!r} must be > 0")
        a = schema.alerts
        distress_first = case((a.c.rule == "distress", 0), else_=1)
        query = (
            select(a)
            .order_by(distress_first, a.c.priority.desc(), a.c.start_ms.desc(), a.c.id)
            .limit(limit)
        )
        if status is not None:
            query = query.where(a.c.status == AlertStatus(status).value)
        if rule is not None:
            query = query.where(a.c.rule == rule)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [stored_alert(r) for r in rows]

    def acknowledge(self, alert_id: str, user: str, comment: str, at: datetime) -> StoredAlert:
        """Mark an open alert acknowledged by ``user`` with ``comment``; return it.

        Raises
        ------
        NotFoundError
            If there is no such alert.
        InputError
            If ``user`` is empty or the alert is closed.
        """
        return self._set(alert_id, user, comment, at, AlertStatus.ACKNOWLEDGED)

    def close(self, alert_id: str, user: str, comment: str, at: datetime) -> StoredAlert:
        """Close an alert by hand (``end`` set to ``at``); return it."""
        return self._set(alert_id, user, comment, at, AlertStatus.CLOSED)

    def _set(
        self, alert_id: str, user: str, comment: str, at: datetime, status: AlertStatus
    ) -> StoredAlert:
        if not user.strip():
            raise InputError(f"user={user!r} must name the officer")
        a = schema.alerts
        at_ms = to_ms(at)
        with self._engine.begin() as conn:
            row = conn.execute(select(a.c.status).where(a.c.id == alert_id)).first()
            if row is None:
                raise NotFoundError(f"alert id={alert_id!r} is not in the store")
            if row.status == AlertStatus.CLOSED.value:
                raise InputError(f"alert id={alert_id!r} is closed; it cannot be {status.value}")
            values: dict[str, Any] = {
                "status": status.value,
                "acknowledged_by": user,
                "acknowledged_ms": at_ms,
                "comment": comment,
                "updated_ms": at_ms,
            }
            if status is AlertStatus.CLOSED:
                values["end_ms"] = at_ms
            conn.execute(update(a).where(a.c.id == alert_id).values(**values))
        return self.get(alert_id)
