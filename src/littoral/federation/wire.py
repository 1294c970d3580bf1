"""The bodies of federation messages (compact JSON) and their ids.

A message's id is a digest of its body, which holds the publishing centre, the receiver and
the receive time: the same report published again (after a lost acknowledgement, or a
restart) has the same id, and JetStream drops the copy inside its de-duplication window; a
copy outside the window is dropped by the store's keys. Two receivers hearing one
transmission make two messages with two ids: their merge into one position with two
receivers is the receiving centre's (:mod:`littoral.services.federation`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from littoral.errors import InputError
from littoral.federation.transport import Kind, Outgoing
from littoral.records.alerts import Alert, AlertStatus, Evidence, Priority
from littoral.records.reports import AisClass, PositionReport, StaticReport

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ms(t: datetime) -> int:
    return round(t.timestamp() * 1000.0)


def _time(ms: Any, key: str) -> datetime:
    if not isinstance(ms, int) or isinstance(ms, bool):
        raise InputError(f"{key}={ms!r} must be integer milliseconds since 1970")
    return _EPOCH + timedelta(milliseconds=ms)


def _dump(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


def message_id(centre: str, data: bytes) -> str:
    """Return the id of a body published by ``centre``: ``centre:`` and 24 hex digits."""
    return f"{centre}:{hashlib.blake2b(data, digest_size=12).hexdigest()}"


def _out(centre: str, kind: Kind, body: dict[str, Any]) -> Outgoing:
    data = _dump(body)
    return Outgoing(kind=kind, msg_id=message_id(centre, data), data=data)


def encode_position(centre: str, r: PositionReport) -> Outgoing:
    """Return the message of a position received by ``centre``'s receiver ``r.source``."""
    return _out(
        centre,
        Kind.POSITION,
        {
            "c": centre,
            "m": r.mmsi,
            "t": _ms(r.time),
            "x": r.lon,
            "y": r.lat,
            "k": r.msg_type,
            "r": r.source,
            "s": r.sog_kn,
            "g": r.cog_deg,
            "h": r.heading_deg,
            "n": r.nav_status,
            "a": r.ais_class.value,
            "q": r.accuracy,
        },
    )


def encode_static(centre: str, r: StaticReport) -> Outgoing:
    """Return the message of a static report received by ``centre``."""
    return _out(
        centre,
        Kind.STATIC,
        {
            "c": centre,
            "m": r.mmsi,
            "t": _ms(r.time),
            "k": r.msg_type,
            "r": r.source,
            "name": r.name,
            "callsign": r.callsign,
            "imo": r.imo,
            "ship_type": r.ship_type,
            "to_bow_m": r.to_bow_m,
            "to_stern_m": r.to_stern_m,
            "to_port_m": r.to_port_m,
            "to_starboard_m": r.to_starboard_m,
            "destination": r.destination,
            "eta": None if r.eta is None else _ms(r.eta),
            "draught_m": r.draught_m,
            "a": r.ais_class.value,
        },
    )


def encode_alert(centre: str, a: Alert) -> Outgoing:
    """Return the message of an alert raised or changed at ``centre``."""
    return _out(
        centre,
        Kind.ALERT,
        {
            "c": centre,
            "id": a.id,
            "rule": a.rule,
            "priority": int(a.priority),
            "mmsis": list(a.mmsis),
            "start": _ms(a.start),
            "end": None if a.end is None else _ms(a.end),
            "lon": a.lon,
            "lat": a.lat,
            "reason": a.reason,
            "status": a.status.value,
            "evidence": [[e.mmsi, _ms(e.time), e.lon, e.lat] for e in a.evidence],
            "details": a.details,
        },
    )


def _body(data: bytes) -> dict[str, Any]:
    try:
        body = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"federation message is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise InputError(f"federation message {body!r} is not a JSON object")
    return body


def _need(body: dict[str, Any], key: str) -> Any:
    try:
        return body[key]
    except KeyError:
        raise InputError(f"federation message has no {key!r}: {body!r}") from None


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def decode_position(data: bytes) -> tuple[str, PositionReport]:
    """Return the publishing centre and the position of a message (``InputError`` if bad)."""
    b = _body(data)
    try:
        report = PositionReport(
            mmsi=int(_need(b, "m")),
            time=_time(_need(b, "t"), "t"),
            lon=float(_need(b, "x")),
            lat=float(_need(b, "y")),
            msg_type=int(_need(b, "k")),
            source=str(b.get("r", "")),
            sog_kn=_opt_float(b.get("s")),
            cog_deg=_opt_float(b.get("g")),
            heading_deg=_opt_float(b.get("h")),
            nav_status=None if b.get("n") is None else int(b["n"]),
            ais_class=AisClass(b.get("a", "unknown")),
            accuracy=bool(b.get("q", False)),
        )
    except (TypeError, ValueError) as exc:
        raise InputError(f"bad position message {b!r}: {exc}") from exc
    return str(_need(b, "c")), report


def decode_static(data: bytes) -> tuple[str, StaticReport]:
    """Return the publishing centre and the static report of a message."""
    b = _body(data)
    try:
        report = StaticReport(
            mmsi=int(_need(b, "m")),
            time=_time(_need(b, "t"), "t"),
            msg_type=int(_need(b, "k")),
            source=str(b.get("r", "")),
            name=b.get("name"),
            callsign=b.get("callsign"),
            imo=b.get("imo"),
            ship_type=b.get("ship_type"),
            to_bow_m=_opt_float(b.get("to_bow_m")),
            to_stern_m=_opt_float(b.get("to_stern_m")),
            to_port_m=_opt_float(b.get("to_port_m")),
            to_starboard_m=_opt_float(b.get("to_starboard_m")),
            destination=b.get("destination"),
            eta=None if b.get("eta") is None else _time(b["eta"], "eta"),
            draught_m=_opt_float(b.get("draught_m")),
            ais_class=AisClass(b.get("a", "unknown")),
        )
    except (TypeError, ValueError) as exc:
        raise InputError(f"bad static message {b!r}: {exc}") from exc
    return str(_need(b, "c")), report


def decode_alert(data: bytes) -> tuple[str, Alert]:
    """Return the publishing centre and the alert of a message."""
    b = _body(data)
    try:
        end = b.get("end")
        alert = Alert(
            id=str(_need(b, "id")),
            rule=str(_need(b, "rule")),
            priority=Priority(int(_need(b, "priority"))),
            mmsis=tuple(int(m) for m in _need(b, "mmsis")),
            start=_time(_need(b, "start"), "start"),
            lon=float(_need(b, "lon")),
            lat=float(_need(b, "lat")),
            reason=str(_need(b, "reason")),
            end=None if end is None else _time(end, "end"),
            status=AlertStatus(b.get("status", "open")),
            evidence=[
                Evidence(mmsi=int(m), time=_time(t, "evidence"), lon=float(x), lat=float(y))
                for m, t, x, y in _need(b, "evidence")
            ],
            details=dict(b.get("details") or {}),
        )
    except (TypeError, ValueError) as exc:
        raise InputError(f"bad alert message {b!r}: {exc}") from exc
    return str(_need(b, "c")), alert
