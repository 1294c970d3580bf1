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
import re
from collections.abc import Sequence
from dataclasses import dataclass
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


def _out(centre: str, kind: Kind, body: dict[str, Any], reports: int = 1) -> Outgoing:
    data = _dump(body)
    return Outgoing(kind=kind, msg_id=message_id(centre, data), data=data, reports=reports)


POSITIONS_PER_MESSAGE = 500
"""Most positions in one message (about 50 kB of JSON, well under NATS's 1 MB payload)."""


def _position_row(r: PositionReport) -> list[Any]:
    return [r.mmsi, _ms(r.time), r.lon, r.lat, r.msg_type, r.source, r.sog_kn, r.cog_deg,
            r.heading_deg, r.nav_status, r.ais_class.value, r.accuracy]  # fmt: skip


def encode_positions(centre: str, reports: Sequence[PositionReport]) -> list[Outgoing]:
    """Return the messages of positions received by ``centre``, in order, batched.

    One message carries up to :data:`POSITIONS_PER_MESSAGE` positions as rows of ``mmsi,
    time_ms, lon, lat, msg_type, receiver, sog_kn, cog_deg, heading_deg, nav_status,
    ais_class, accuracy``: one JetStream message, acknowledgement and de-duplication
    entry for hundreds of reports, not for each one.
    """
    n = POSITIONS_PER_MESSAGE
    out = []
    for i in range(0, len(reports), n):
        rows = [_position_row(r) for r in reports[i : i + n]]
        out.append(_out(centre, Kind.POSITION, {"c": centre, "p": rows}, len(rows)))
    return out


def encode_position(centre: str, r: PositionReport) -> Outgoing:
    """Return the message of one position received by ``centre``'s receiver ``r.source``."""
    (out,) = encode_positions(centre, [r])
    return out


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


def encode_case(centre: str, case_id: int, document: dict[str, Any]) -> Outgoing:
    """Return the message of joint case ``case_id`` of ``centre``, whole.

    ``document`` holds ``case`` (its fields), ``log``, ``units`` and ``scenarios`` (lists of
    fields), in JSON types; a changed case is a new message (its id is its content's).
    """
    return _out(centre, Kind.CASE, {"c": centre, "id": case_id, **document})


def decode_case(data: bytes) -> tuple[str, int, dict[str, Any]]:
    """Return the publishing centre, the case's id there and its document."""
    b = _body(data)
    case_id = _need(b, "id")
    if not isinstance(case_id, int) or isinstance(case_id, bool) or case_id < 1:
        raise InputError(f"case message: id={case_id!r} must be a positive integer")
    if not isinstance(_need(b, "case"), dict):
        raise InputError("case message: case must be an object")
    document: dict[str, Any] = {"case": b["case"]}
    for key in ("log", "units", "scenarios"):
        rows = _need(b, key)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InputError(f"case message: {key} must be a list of objects")
        document[key] = rows
    return str(_need(b, "c")), case_id, document


_ESCAPES = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
"""In a message's JSON, the escapes that can make text no store keeps: NUL, and UTF-16
surrogates (a pair is a character; half of one is not)."""


def unstorable(text: str) -> str | None:
    """Return why ``text`` cannot be stored (PostgreSQL refuses NUL, UTF-8 a lone surrogate)."""
    if "\x00" in text:
        return "holds a NUL character (U+0000)"
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError:
            return "holds half of a UTF-16 surrogate pair"
    return None


def _check_texts(value: Any, where: str) -> None:
    """Raise ``InputError`` naming the first text in ``value`` (nested) no store keeps."""
    if isinstance(value, str):
        why = unstorable(value)
        if why is not None:
            raise InputError(f"federation message: {where}={value!r} {why}")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_texts(key, f"{where} key")
            _check_texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_texts(item, f"{where}[{i}]")


def _body(data: bytes, rows: str | None = None) -> dict[str, Any]:
    """Return a message's JSON object; text that no store keeps is refused.

    ``rows``: the key of a list whose rows are checked one by one by the caller (a bad
    position is kept aside, the batch's other positions are kept).
    """
    try:
        body = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"federation message is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise InputError(f"federation message {body!r} is not a JSON object")
    if _ESCAPES.search(data):  # rare: only then is every text looked at
        _check_texts({k: v for k, v in body.items() if k != rows}, "body")
    return body


def check_origin(claimed: str, via: str) -> None:
    """Refuse a message whose body names another centre than the stream it came on.

    A centre's NATS user should publish only on its own subjects (``docs/federation.md``),
    but the body's centre is its own words: without this check one centre could put
    positions under another's receivers, or replace the copy of another's joint case.
    """
    if claimed != via:
        raise InputError(f"a message on {via!r}'s stream claims to be from {claimed!r}")


def _details(value: Any) -> dict[str, Any]:
    """Return an alert's details, which must be a JSON object (string keys) or nothing.

    ``dict()`` would also take a list of pairs, whose keys need not be text: the alert could
    then not be written back as JSON.
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"details={value!r} is not an object")
    return dict(value)


def _need(body: dict[str, Any], key: str) -> Any:
    try:
        return body[key]
    except KeyError:
        raise InputError(f"federation message has no {key!r}: {body!r}") from None


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opt_text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and type(value) is not str:
        raise ValueError(f"{key}={value!r} is not text")
    return value


def _opt_int(body: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if type(value) is not int or not low <= value <= high:
        raise ValueError(f"{key}={value!r} is not an integer {low}-{high}")
    return value


@dataclass(frozen=True, slots=True)
class DecodedPositions:
    """The positions of one message, its publishing centre, and its bad rows, kept aside."""

    origin: str
    positions: list[PositionReport]
    bad_rows: list[str]


_CLASSES = {c.value: c for c in AisClass}


def _position(row: Any, stamp: str) -> PositionReport:
    # the hot path of a catch-up: exact type tests and positional fields, no enum call
    if type(row) is not list or len(row) < 12:
        raise InputError(f"position row {row!r} is not a list of 12 fields")
    # fields after the twelfth are a newer version's: ignored, so centres upgrade one by one
    m, t, x, y, k, src, sog, cog, hdg, nav, cls, acc = row[:12]
    if type(t) is not int:
        raise InputError(f"bad position row {row!r}: time_ms={t!r} must be integer milliseconds")
    ais_class = _CLASSES.get(cls) if type(cls) is str else None
    if ais_class is None:
        raise InputError(f"bad position row {row!r}: ais_class={cls!r} is not one of {[*_CLASSES]}")
    why = "is not text" if type(src) is not str else unstorable(src)
    if why is not None:
        raise InputError(f"bad position row {row!r}: source={src!r} {why}")
    try:
        source = src
        if stamp and not source.startswith(stamp):
            source = stamp + source
        report = PositionReport(
            int(m),
            _EPOCH + timedelta(milliseconds=t),
            float(x),
            float(y),
            int(k),
            source,
            None if sog is None else float(sog),
            None if cog is None else float(cog),
            None if hdg is None else float(hdg),
            None if nav is None else int(nav),
            ais_class,
            bool(acc),
        )
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"bad position row {row!r}: {exc}") from exc
    # what the store's columns and the picture take: a value out of range is named
    if not (0 <= report.mmsi <= 999_999_999 and 1 <= report.msg_type <= 27):
        raise InputError(f"bad position row {row!r}: mmsi={m!r} or msg_type={k!r} out of range")
    if not (-180.0 <= report.lon <= 180.0 and -90.0 <= report.lat <= 90.0):
        raise InputError(f"bad position row {row!r}: lon={x!r}, lat={y!r} is not a position")
    if report.nav_status is not None and not 0 <= report.nav_status <= 15:
        raise InputError(f"bad position row {row!r}: nav_status={nav!r} is not 0-15")
    return report


def decode_positions(data: bytes, *, stamp_origin: bool = False) -> DecodedPositions:
    """Return the positions of a message; a bad row is kept aside, the others are kept.

    ``stamp_origin`` names each receiver ``centre/receiver`` after the publishing centre.
    Raises ``InputError`` when the message itself is not a batch of positions.
    """
    b = _body(data, rows="p")
    origin = str(_need(b, "c"))
    stamp = f"{origin}/" if stamp_origin else ""
    rows = _need(b, "p")
    if not isinstance(rows, list):
        raise InputError(f"federation message field 'p'={rows!r} is not a list of positions")
    positions: list[PositionReport] = []
    bad: list[str] = []
    for row in rows:
        try:
            positions.append(_position(row, stamp))
        except InputError as exc:
            bad.append(str(exc))
    return DecodedPositions(origin=origin, positions=positions, bad_rows=bad)


def decode_static(data: bytes) -> tuple[str, StaticReport]:
    """Return the publishing centre and the static report of a message."""
    b = _body(data)
    try:
        report = StaticReport(
            mmsi=int(_need(b, "m")),
            time=_time(_need(b, "t"), "t"),
            msg_type=int(_need(b, "k")),
            source=str(b.get("r", "")),
            name=_opt_text(b, "name"),
            callsign=_opt_text(b, "callsign"),
            imo=_opt_int(b, "imo", 0, 999_999_999),
            ship_type=_opt_int(b, "ship_type", 0, 255),
            to_bow_m=_opt_float(b.get("to_bow_m")),
            to_stern_m=_opt_float(b.get("to_stern_m")),
            to_port_m=_opt_float(b.get("to_port_m")),
            to_starboard_m=_opt_float(b.get("to_starboard_m")),
            destination=_opt_text(b, "destination"),
            eta=None if b.get("eta") is None else _time(b["eta"], "eta"),
            draught_m=_opt_float(b.get("draught_m")),
            ais_class=AisClass(b.get("a", "unknown")),
        )
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"bad static message {b!r}: {exc}") from exc
    if not (0 <= report.mmsi <= 999_999_999 and 1 <= report.msg_type <= 27):
        raise InputError(f"bad static message {b!r}: mmsi or msg_type out of range")
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
            details=_details(b.get("details")),
        )
        if not all(0 <= m <= 999_999_999 for m in alert.mmsis):
            raise ValueError(f"mmsis={alert.mmsis!r} out of range")
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"bad alert message {b!r}: {exc}") from exc
    return str(_need(b, "c")), alert
