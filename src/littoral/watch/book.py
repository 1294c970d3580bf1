"""The lifecycle of alerts: open, update, close, with stable ids and bounded evidence.

The id of an alert is made of its rule, its subject (vessels, area) and its start in event
time, e.g. ``loitering:273123456:20260501T101500Z``: the same thing seen again in a replay
gets the same id, and the store upserts by it, so an alert is never raised twice.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from littoral.records.alerts import Alert, AlertStatus, Evidence, Priority


def to_datetime(t_s: float) -> datetime:
    """Return the UTC datetime of an epoch time in seconds."""
    return datetime.fromtimestamp(t_s, UTC)


def stamp(t_s: float) -> str:
    """Return a compact UTC stamp of an epoch time, e.g. ``20260501T101500Z``."""
    return to_datetime(t_s).strftime("%Y%m%dT%H%M%SZ")


class AlertBook:
    """All alerts of one engine, and the ones that changed since they were last handed out.

    Parameters
    ----------
    max_evidence
        Most evidence positions kept per alert: the first ``max_evidence // 2`` and the latest.
    update_interval_s
        An open alert whose evidence grows is handed out again at most this often.
    """

    def __init__(self, max_evidence: int, update_interval_s: float) -> None:
        self.max_evidence = max_evidence
        self.update_interval_s = update_interval_s
        self.alerts: dict[str, Alert] = {}
        self._published_s: dict[str, float] = {}
        self._changed: dict[str, Alert] = {}

    def open(
        self,
        rule: str,
        subject: str,
        priority: Priority,
        mmsis: tuple[int, ...],
        start_s: float,
        lon: float,
        lat: float,
        reason: str,
        evidence: list[Evidence] | None = None,
        details: dict[str, object] | None = None,
    ) -> Alert:
        """Open an alert, or return the existing one with the same id."""
        alert_id = f"{rule}:{subject}:{stamp(start_s)}"
        existing = self.alerts.get(alert_id)
        if existing is not None:
            return existing
        alert = Alert(
            id=alert_id,
            rule=rule,
            priority=priority,
            mmsis=mmsis,
            start=to_datetime(start_s),
            lon=float(lon),
            lat=float(lat),
            reason=reason,
            details=dict(details or {}),
        )
        for item in evidence or []:
            self._add_evidence(alert, item)
        self.alerts[alert_id] = alert
        self._publish(alert, start_s)
        return alert

    def add_evidence(self, alert: Alert, item: Evidence, now_s: float) -> None:
        """Add one position to an open alert; hand it out again if it is due."""
        self._add_evidence(alert, item)
        if now_s - self._published_s.get(alert.id, now_s) >= self.update_interval_s:
            self._publish(alert, now_s)

    def update(self, alert: Alert, now_s: float, **details: object) -> None:
        """Record changed facts of an alert and hand it out now."""
        alert.details.update(details)
        self._publish(alert, now_s)

    def close(self, alert: Alert, end_s: float, **details: object) -> None:
        """Close an alert at ``end_s`` (event time)."""
        alert.end = to_datetime(end_s)
        alert.status = AlertStatus.CLOSED
        alert.details.update(details)
        self._publish(alert, end_s)

    def reopen(self, alert: Alert, now_s: float, **details: object) -> None:
        """Open a closed alert again (a merged encounter, a corrected gap)."""
        alert.end = None
        alert.status = AlertStatus.OPEN
        alert.details.update(details)
        self._publish(alert, now_s)

    def prune(self, before_s: float) -> int:
        """Forget closed alerts that ended before ``before_s``; return how many.

        Rules keep what they may still change (a gap a late report may cut, an encounter that
        may merge) themselves; the book only needs recent alerts.
        """
        old = [
            key
            for key, a in self.alerts.items()
            if a.end is not None and a.end.timestamp() < before_s and key not in self._changed
        ]
        for key in old:
            del self.alerts[key]
            self._published_s.pop(key, None)
        return len(old)

    def drain(self) -> list[Alert]:
        """Return copies of the alerts changed since the last call, in order of change."""
        out = [
            dataclasses.replace(a, evidence=list(a.evidence), details=dict(a.details))
            for a in self._changed.values()
        ]
        self._changed.clear()
        return out

    def _publish(self, alert: Alert, now_s: float) -> None:
        self._published_s[alert.id] = now_s
        self._changed.pop(alert.id, None)
        self._changed[alert.id] = alert

    def _add_evidence(self, alert: Alert, item: Evidence) -> None:
        if alert.evidence and alert.evidence[-1] == item:
            return
        if len(alert.evidence) >= self.max_evidence:
            alert.evidence.pop(self.max_evidence // 2)
        alert.evidence.append(item)
