"""One alert from several copies: alerts raised about the same thing at several centres.

While a link is down, two centres' watches may raise an alert about the same vessel from
their own receivers, each under its own id. When the copies meet, they become one alert: the
copies of one rule about the same vessels whose times overlap (within ``tolerance``) are
merged into the copy that started first (ties: the smaller id), with the evidence of all of
them, the highest priority, open while any copy is open. The merge depends only on the set
of copies, not on the order they arrive in, so every centre ends with the same alert. The
copies are remembered in ``details["federation"]``: ``centres`` and ``copies`` (id to
centre, start, end and status, times in ms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from littoral.records.alerts import Alert, AlertStatus, Evidence

TOLERANCE = timedelta(minutes=10)
"""Two copies whose times are further apart than this are two alerts."""

MAX_EVIDENCE = 500
"""Most evidence positions kept on a merged alert (the latest)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class Copy:
    """One centre's copy of an alert, as remembered on the merged alert."""

    id: str
    centre: str
    start_ms: int
    end_ms: int | None
    status: str


def _ms(t: datetime) -> int:
    return round(t.timestamp() * 1000.0)


def copies_of(alert: Alert, centre: str) -> dict[str, Copy]:
    """Return the copies an alert stands for (itself, from ``centre``, if never merged)."""
    federation = alert.details.get("federation")
    if isinstance(federation, dict) and isinstance(federation.get("copies"), dict):
        found = {}
        for key, value in federation["copies"].items():
            c, start, end, status = value
            found[key] = Copy(id=key, centre=c, start_ms=start, end_ms=end, status=status)
        return found
    end = None if alert.end is None else _ms(alert.end)
    own = Copy(
        id=alert.id, centre=centre, start_ms=_ms(alert.start), end_ms=end, status=alert.status
    )
    return {alert.id: own}


def overlaps(a: Alert, b: Alert, tolerance: timedelta = TOLERANCE) -> bool:
    """Whether ``a`` and ``b`` are about the same thing: rule, vessels and time."""
    if a.rule != b.rule or a.mmsis != b.mmsis:
        return False
    if a.end is not None and b.start > a.end + tolerance:
        return False
    return not (b.end is not None and a.start > b.end + tolerance)


def merge(
    incoming: Alert, origin: str, stored: Sequence[Alert], here: str
) -> tuple[Alert, list[str]]:
    """Merge ``incoming`` (raised at centre ``origin``) with the ``stored`` alerts it overlaps.

    ``here`` is the centre whose store holds ``stored`` (an alert stored there and never
    merged was raised there). Returns the merged alert and the ids of the stored rows it
    replaces.
    """
    copies: dict[str, Copy] = {}
    by_id: dict[str, Alert] = {}
    for alert in stored:
        copies.update(copies_of(alert, here))
        by_id[alert.id] = alert
    copies.update(copies_of(incoming, origin))
    by_id[incoming.id] = incoming
    first = min(copies.values(), key=lambda c: (c.start_ms, c.id))
    base = by_id.get(first.id, incoming)
    evidence: dict[tuple[int, datetime, float, float], Evidence] = {}
    for alert in (*stored, incoming):
        for e in alert.evidence:
            evidence[(e.mmsi, e.time, e.lon, e.lat)] = e
    kept = sorted(evidence.values(), key=lambda e: (e.time, e.mmsi, e.lon, e.lat))
    open_copies = [c for c in copies.values() if c.end_ms is None]
    end_ms = None if open_copies else max(c.end_ms or 0 for c in copies.values())
    details: dict[str, Any] = dict(base.details)
    details["federation"] = {
        "centres": sorted({c.centre for c in copies.values()}),
        "copies": {
            c.id: [c.centre, c.start_ms, c.end_ms, c.status]
            for c in sorted(copies.values(), key=lambda c: c.id)
        },
    }
    merged = replace(
        base,
        id=first.id,
        start=_EPOCH + timedelta(milliseconds=first.start_ms),
        end=None if end_ms is None else _EPOCH + timedelta(milliseconds=end_ms),
        status=AlertStatus.OPEN if open_copies else AlertStatus.CLOSED,
        priority=max(a.priority for a in (*stored, incoming)),
        evidence=kept[-MAX_EVIDENCE:],
        details=details,
    )
    gone = [a.id for a in stored if a.id != merged.id]
    return merged, gone
