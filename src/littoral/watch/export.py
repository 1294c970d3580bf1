"""Alerts as JSON-ready values and as a readable table, for the command line and the stream."""

from __future__ import annotations

import math
from collections.abc import Sequence

from littoral.records.alerts import Alert


def _iso(value: object) -> object:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def _clean(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return _iso(value)


def alert_to_dict(alert: Alert) -> dict[str, object]:
    """Return an alert as JSON-ready values (ISO 8601 UTC times, no NaN).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from littoral.records.alerts import Priority
    >>> a = Alert("r:1:x", "r", Priority.LOW, (1,), datetime(2026, 5, 1, tzinfo=UTC), 50.0,
    ...           40.0, "why")
    >>> alert_to_dict(a)["start"], alert_to_dict(a)["priority"]
    ('2026-05-01T00:00:00Z', 'LOW')
    """
    return {
        "id": alert.id,
        "rule": alert.rule,
        "priority": alert.priority.name,
        "status": alert.status.value,
        "mmsis": list(alert.mmsis),
        "start": _iso(alert.start),
        "end": _iso(alert.end),
        "lon": _clean(alert.lon) if alert.position_known else None,
        "lat": _clean(alert.lat) if alert.position_known else None,
        "reason": alert.reason,
        "evidence": [
            {"mmsi": e.mmsi, "time": _iso(e.time), "lon": e.lon, "lat": e.lat}
            for e in alert.evidence
        ],
        "details": _clean(alert.details),
    }


def alert_table(alerts: Sequence[Alert]) -> str:
    """Return alerts as a fixed-width table, one line each, newest first within priority."""
    header = f"{'START (UTC)':16}  {'END':16}  {'PRIORITY':8}  {'RULE':12}  REASON"
    lines = [header, "-" * len(header)]
    ordered = sorted(alerts, key=lambda a: (-a.priority, -a.start.timestamp()))
    for a in ordered:
        end = a.end.strftime("%Y-%m-%d %H:%M") if a.end else "open"
        lines.append(
            f"{a.start:%Y-%m-%d %H:%M}  {end:16}  {a.priority.name:8}  {a.rule:12}  {a.reason}"
        )
    return "\n".join(lines)
