"""Distress: beacons, distress texts and ships aground at sea, always ``CRITICAL``.

Sources (ITU-R M.585 identities; ITU-R M.1371 navigation status; IEC 61097-14 AIS-SART):

- positions from an AIS-SART (MMSI 970xxyyyy), a man-overboard device (972) or an EPIRB-AIS
  (974), or from any station with navigation status 14 ("AIS-SART active"); a device in test
  mode (status 15 with 970/972/974) is not a distress;
- safety texts (types 12 and 14) with a distress keyword ("SART ACTIVE", "MOB ACTIVE",
  "EPIRB ACTIVE", "MAYDAY", "DISTRESS") and no test keyword ("SART TEST");
- a ship reporting navigation status 6 ("aground") more than ``aground_min_port_distance_m``
  from any port.

The alert carries what a SAR case needs in ``details``: ``lon``, ``lat``, ``time`` (latest
known), ``mmsi``, ``name``, ``cause`` and, for texts, ``text``. Its position follows the
latest report.

A distress alert is latched: the watch never closes it. When the beacon has been silent for
``quiet_s`` it is handed out again with ``details["silent_since"]`` (and a later report of
the same station opens a new alert); when an aground ship reports another status, with
``details["refloated"]``. It stays open until an officer acknowledges it, and closes only by
hand (GMDSS practice: a distress alert is answered by a person, never timed out; IMO
MSC/Circ.1040 rev.1 on false and unresolved alerts).
"""

from __future__ import annotations

import numpy as np

from littoral.records.alerts import Alert, Evidence, Priority
from littoral.records.reports import SafetyReport
from littoral.watch.book import to_datetime
from littoral.watch.rules.base import BaseRule, Context, Frame
from littoral.watch.scope import AREA, OUTSIDE, WATCHED
from littoral.watch.vessels import Kind

SART_ACTIVE = 14
AGROUND = 6
TEST_MODE = 15
_DEVICE = {970: "AIS-SART", 972: "MOB device", 974: "EPIRB-AIS"}


class Distress(BaseRule):
    """Rule 6 of the watch (see the module docstring)."""

    name = "distress"
    sees = frozenset({AREA, WATCHED})
    """Distress is raised in the whole area of application, not only the zones of interest."""

    def __init__(self, ctx: Context) -> None:
        self.cfg = ctx.config.distress
        self.open: dict[tuple[str, int], tuple[Alert, float]] = {}

    def observe(self, frame: Frame, ctx: Context) -> None:
        """Raise or extend distress from positions."""
        p, v = frame.p, frame.v
        vessels = ctx.vessels
        device = vessels.kind[v] == Kind.DISTRESS_DEVICE
        beacon = (device & (p.nav != TEST_MODE)) | (p.nav == SART_ACTIVE)
        aground = (p.nav == AGROUND) & (frame.geo.port_m >= self.cfg.aground_min_port_distance_m)
        aground &= (frame.geo.water == 1) | (frame.geo.water == 3)
        for row in np.flatnonzero(beacon | aground).tolist():
            cause = "beacon" if beacon[row] else "aground"
            number = int(v[row])
            self._event(cause, number, float(p.t[row]), float(p.lon[row]), float(p.lat[row]), ctx)
        held = [n for (cause, n) in self.open if cause == "aground"]
        if held:
            afloat = np.isin(v, held) & (p.nav != AGROUND) & (p.nav >= 0)
            for row in np.flatnonzero(afloat).tolist():
                key = ("aground", int(v[row]))
                if key in self.open:
                    refloated = to_datetime(float(p.t[row])).isoformat()
                    self._latch(key, float(p.t[row]), ctx, refloated=refloated)

    def safety(self, report: SafetyReport, ctx: Context) -> None:
        """Raise or extend distress from a safety text."""
        text = report.text.upper()
        if not any(k in text for k in self.cfg.keywords):
            return
        if any(k in text for k in self.cfg.test_keywords):
            return
        number = ctx.vessels.number(report.mmsi)
        if ctx.vessels.scope[number] == OUTSIDE:
            return  # last seen outside the area of application: kept, never alerted
        lon = float(ctx.vessels.last_lon[number])
        lat = float(ctx.vessels.last_lat[number])
        self._event("text", number, report.time.timestamp(), lon, lat, ctx, report.text.strip())

    def _event(
        self,
        cause: str,
        number: int,
        t: float,
        lon: float,
        lat: float,
        ctx: Context,
        text: str | None = None,
    ) -> None:
        # a beacon and its safety text are one distress; aground is another
        key = ("aground" if cause == "aground" else "beacon", number)
        held = self.open.get(key)
        if held is not None and t - held[1] > self.cfg.quiet_s:
            self._latch(key, held[1], ctx, silent_since=to_datetime(held[1]).isoformat())
            held = None
        mmsi = int(ctx.vessels.mmsi[number])
        has_position = not (np.isnan(lon) or np.isnan(lat))
        if held is None:
            details: dict[str, object] = {
                **ctx.vessels.facts(number),
                "cause": cause,
                "time": to_datetime(t).isoformat(),
                "lon": lon if has_position else None,
                "lat": lat if has_position else None,
                "position_known": has_position,
            }
            if text is not None:
                details["text"] = text
            alert = ctx.book.open(
                self.name,
                f"{key[0]}:{mmsi}",
                Priority.CRITICAL,
                (mmsi,),
                t,
                # the store needs a position: 0/0 until the device reports one (see details)
                lon if has_position else 0.0,
                lat if has_position else 0.0,
                self._reason(cause, number, lon, lat, ctx, text),
                [Evidence(mmsi, to_datetime(t), lon, lat)] if has_position else [],
                details,
            )
            self.open[key] = (alert, t)
            return
        alert = held[0]
        self.open[key] = (alert, max(t, held[1]))
        if text is not None and "text" not in alert.details:
            alert.details["text"] = text
            ctx.book.update(alert, t)
        if has_position and t >= held[1]:
            alert.lon, alert.lat = lon, lat
            alert.details.update(
                time=to_datetime(t).isoformat(), lon=lon, lat=lat, position_known=True
            )
            ctx.book.add_evidence(alert, Evidence(mmsi, to_datetime(t), lon, lat), t)

    def _reason(
        self, cause: str, number: int, lon: float, lat: float, ctx: Context, text: str | None
    ) -> str:
        vessels = ctx.vessels
        label = vessels.label(number)
        mmsi = int(vessels.mmsi[number])
        if np.isnan(lon) or np.isnan(lat):
            where = "position unknown"
        else:
            facts = ctx.geo.facts(np.array([lon]), np.array([lat]))
            where = f"at {_latlon(lon, lat)}, " + ctx.where(
                int(facts.port[0]), float(facts.port_m[0])
            )
        if cause == "beacon":
            device = _DEVICE.get(mmsi // 1_000_000, "AIS-SART")
            return f"DISTRESS: {device} {label} active {where}"
        if cause == "aground":
            return f"DISTRESS: vessel {label} aground {where}"
        return f"DISTRESS: {label} sent {text!r} {where}"

    def _latch(self, key: tuple[str, int], now_s: float, ctx: Context, **details: object) -> None:
        """Stop extending an alert; it stays open until an officer acknowledges and closes it."""
        alert, _ = self.open.pop(key)
        ctx.book.update(alert, now_s, **details)

    def advance(self, now_s: float, ctx: Context) -> None:
        """Mark distress alerts with no report for ``quiet_s`` as silent (never closed)."""
        quiet = self.cfg.quiet_s
        for key in [k for k, (_, last) in self.open.items() if last + quiet < now_s]:
            last_s = self.open[key][1]
            self._latch(key, last_s, ctx, silent_since=to_datetime(last_s).isoformat())


def _latlon(lon: float, lat: float) -> str:
    """Return a position as a mariner writes it, latitude first: 41°30.5′N 050°12.0′E."""
    lat_d, lat_m = divmod(abs(lat) * 60.0, 60.0)
    lon_d, lon_m = divmod(abs(lon) * 60.0, 60.0)
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{int(lat_d):02d}°{lat_m:04.1f}′{ns} {int(lon_d):03d}°{lon_m:04.1f}′{ew}"
