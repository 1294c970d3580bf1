"""Identity: a ship's name, call sign or IMO number changes under the same MMSI.

A ship keeps its IMO number for life and changes name or call sign rarely (a sale, a new
flag); a change seen on the air is worth a look, and one MMSI whose identity alternates
between two sets of static data is two ships sharing a number, or one spoofing another
(Windward and Lloyd's List Intelligence "identity tampering"; IMO Res. A.1106(29) on
keeping AIS static data true; ITU-R M.1371 message types 5, 19 and 24 carry the data).

Compared are the texts as cleaned by :func:`littoral.watch.vessels.clean_text` (padding
``@`` and spaces dropped, one case), and only values both present: a report that leaves a
field out (type 24 part A has no call sign) changes nothing, nor does IMO 0 (not
available). Only ships (ITU-R M.585 ship MMSIs) are judged.

One alert per ship: ``MEDIUM`` for a change, ``HIGH`` once a previous identity comes back
(``details["alternating"]``). Further changes extend it (``details["count"]``, ``changes``);
it closes ``quiet_s`` after the last change, at the time of that change.
"""

from __future__ import annotations

import numpy as np

from littoral.records.alerts import Alert, Priority
from littoral.records.reports import StaticReport
from littoral.watch.book import to_datetime
from littoral.watch.rules.base import BaseRule, Context
from littoral.watch.vessels import Kind, clean_text

_FIELDS = ("name", "callsign", "imo")
_WORDS = {"name": "name", "callsign": "call sign", "imo": "IMO number"}


class IdentityChange(BaseRule):
    """Rule 8 of the watch (see the module docstring)."""

    name = "identity"

    def __init__(self, ctx: Context) -> None:
        self.cfg = ctx.config.identity
        self.open: dict[int, tuple[Alert, float]] = {}
        self.seen: dict[int, list[tuple[object, ...]]] = {}

    def static(self, report: StaticReport, ctx: Context) -> None:
        """Compare a static report with what the vessel said before."""
        vessels = ctx.vessels
        number = vessels.number(report.mmsi)
        if vessels.kind[number] != Kind.SHIP:
            return
        before: dict[str, object] = {
            "name": vessels.names[number],
            "callsign": vessels.callsigns[number],
            "imo": vessels.imos[number],
        }
        after: dict[str, object] = {
            "name": clean_text(report.name),
            "callsign": clean_text(report.callsign),
            "imo": report.imo or None,
        }
        changed = [
            f
            for f in _FIELDS
            if before[f] is not None and after[f] is not None and before[f] != after[f]
        ]
        if not changed:
            return
        t = report.time.timestamp()
        old = tuple(before[f] for f in _FIELDS)
        now = tuple(before[f] if after[f] is None else after[f] for f in _FIELDS)
        history = self.seen.setdefault(number, [old])
        alternating = any(_same(now, seen) for seen in history)
        history.append(now)
        del history[:-8]
        words = ", ".join(f"{_WORDS[f]} {before[f]!s} -> {after[f]!s}" for f in changed)
        change: dict[str, object] = {
            "time": to_datetime(t).isoformat(),
            "fields": changed,
            "to": words,
        }
        self._event(number, t, changed, words, alternating, change, ctx)

    def _event(
        self,
        number: int,
        t: float,
        changed: list[str],
        words: str,
        alternating: bool,
        change: dict[str, object],
        ctx: Context,
    ) -> None:
        vessels = ctx.vessels
        held = self.open.get(number)
        if held is not None and t - held[1] > self.cfg.quiet_s:
            self._close(number, ctx)
            held = None
        mmsi = int(vessels.mmsi[number])
        lon, lat = float(vessels.last_lon[number]), float(vessels.last_lat[number])
        known = not (np.isnan(lon) or np.isnan(lat))
        if held is None:
            reason = f"Vessel {vessels.label(number)} changed its {words}"
            if alternating:
                reason = f"MMSI {mmsi} alternates between two identities ({words}): two ships?"
            alert = ctx.book.open(
                self.name,
                str(mmsi),
                Priority.HIGH if alternating else Priority.MEDIUM,
                (mmsi,),
                t,
                lon if known else 0.0,
                lat if known else 0.0,
                reason,
                None,
                {
                    **vessels.facts(number),
                    "fields": changed,
                    "count": 1,
                    "alternating": alternating,
                    "changes": [change],
                    "position_known": known,
                },
            )
            self.open[number] = (alert, t)
            return
        alert = held[0]
        self.open[number] = (alert, t)
        count = alert.details.get("count", 1)
        changes = alert.details.get("changes", [])
        details: dict[str, object] = {
            "count": (count if isinstance(count, int) else 1) + 1,
            "changes": [*(changes if isinstance(changes, list) else []), change][-10:],
        }
        if alternating and alert.priority != Priority.HIGH:
            alert.priority = Priority.HIGH
            alert.reason = f"MMSI {mmsi} alternates between two identities ({words}): two ships?"
            details["alternating"] = True
        ctx.book.update(alert, t, **details)

    def _close(self, number: int, ctx: Context) -> None:
        alert, last_s = self.open.pop(number)
        ctx.book.close(alert, last_s)

    def advance(self, now_s: float, ctx: Context) -> None:
        """Close the alerts of ships whose identity has not changed for ``quiet_s``."""
        quiet = self.cfg.quiet_s
        for number in [n for n, (_, last) in self.open.items() if last + quiet < now_s]:
            self._close(number, ctx)


def _same(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """Whether two identities agree on every field both have."""
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))
