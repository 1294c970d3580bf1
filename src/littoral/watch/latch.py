"""Latched distress: open distress alerts nobody has acknowledged are announced again.

The watch never closes a distress alert (see :mod:`littoral.watch.rules.distress`); the
store knows which ones an officer has acknowledged. :class:`Renotifier` decides, from the
store's open (unacknowledged) distress alerts and the clock, which are due to be announced
again, at most once every ``interval_s`` each. Acknowledging an alert takes it out of the
store's open list, which ends its announcements.

Examples
--------
>>> from datetime import UTC, datetime, timedelta
>>> from littoral.records.alerts import Alert, Priority
>>> t0 = datetime(2026, 5, 1, tzinfo=UTC)
>>> mob = Alert("distress:beacon:972000001:x", "distress", Priority.CRITICAL, (972000001,),
...             t0, 51.0, 42.0, "DISTRESS")
>>> renotify = Renotifier(300.0)
>>> [a.id for a in renotify.due([mob], t0)], renotify.due([mob], t0 + timedelta(minutes=1))
(['distress:beacon:972000001:x'], [])
>>> len(renotify.due([mob], t0 + timedelta(minutes=5)))
1
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from littoral.clock import require_utc
from littoral.errors import InputError
from littoral.records.alerts import Alert, AlertStatus

LATCHED_RULES = frozenset({"distress"})
"""Rules whose alerts the watch never closes and announces until acknowledged."""


def is_latched(alert: Alert) -> bool:
    """Whether the alert stays open until a person acknowledges it."""
    return alert.rule in LATCHED_RULES


class Renotifier:
    """Which unacknowledged latched alerts are due to be announced again.

    Parameters
    ----------
    interval_s
        Least time between two announcements of the same alert (> 0).
    """

    def __init__(self, interval_s: float) -> None:
        if not interval_s > 0:
            raise InputError(f"interval_s={interval_s!r} must be > 0")
        self.interval_s = float(interval_s)
        self._sent: dict[str, datetime] = {}

    def announced(self, alerts: Iterable[Alert], now: datetime) -> None:
        """Record that these alerts were just announced (by the watch itself)."""
        require_utc(now, "now")
        for alert in alerts:
            if is_latched(alert):
                self._sent[alert.id] = now

    def due(self, open_alerts: Iterable[Alert], now: datetime) -> list[Alert]:
        """Return the latched, open, unacknowledged alerts due again; record them as sent.

        ``open_alerts`` are the store's alerts with status ``open`` (acknowledged and closed
        ones are not due whatever is passed).
        """
        require_utc(now, "now")
        out: list[Alert] = []
        still_open: set[str] = set()
        for alert in open_alerts:
            if not is_latched(alert) or alert.status is not AlertStatus.OPEN:
                continue
            still_open.add(alert.id)
            last = self._sent.get(alert.id)
            if last is None or (now - last).total_seconds() >= self.interval_s:
                self._sent[alert.id] = now
                out.append(alert)
        for key in [k for k in self._sent if k not in still_open]:
            del self._sent[key]  # acknowledged or closed: forget it
        return out
