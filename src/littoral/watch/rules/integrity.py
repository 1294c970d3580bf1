"""Integrity: positions and identities that cannot be true (spoofing, faults, shared MMSIs).

Four checks, each its own alert kind (``details["check"]``):

- ``on_land``: a position on land by the exact land/sea test of :mod:`littoral.geo`, more
  than ``land_margin_m`` inland and more than ``port_radius_m`` from a port (the charted coast
  lies 0-3.5 km from real quays);
- ``speed``: the speed implied by two consecutive positions is over ``max_speed_kn`` (30 kn)
  and the jump is longer than ``min_jump_m`` (so GNSS noise is not a jump);
- ``twin``: one MMSI at two places at once, seen as positions that switch back and forth
  between two tracks, each consistent with itself and impossible from the other
  (``twin_min_switches`` switches);
- ``invalid_mmsi``: a number that fits no ITU-R M.585 format or carries an unallocated MID.

SAR aircraft are exempt from the speed and land checks. An alert stays open while anomalies
of its kind recur and closes ``quiet_s`` after the last one, at the time of the last one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from littoral.geo import haversine_m
from littoral.records.alerts import Alert, Evidence, Priority
from littoral.units import MS_PER_KN
from littoral.watch.book import to_datetime
from littoral.watch.buffer import AIRCRAFT
from littoral.watch.rules.base import BaseRule, Context, Frame
from littoral.watch.rules.distress import _latlon
from littoral.watch.scope import INLAND, WATCHED
from littoral.watch.vessels import Kind


@dataclass(slots=True)
class _Tracks:
    """Two anchors of a vessel whose positions jumped: its main track and the other one."""

    main: tuple[float, float, float]
    other: tuple[float, float, float] | None = None
    on_other: bool = False
    switches: int = 0
    last_event_s: float = 0.0


class Integrity(BaseRule):
    """Rule 5 of the watch (see the module docstring)."""

    name = "integrity"
    sees = frozenset({INLAND, WATCHED})
    """Also positions on land inland of the area, where spoofed positions land."""

    def __init__(self, ctx: Context) -> None:
        self.cfg = ctx.config.integrity
        self.open: dict[tuple[str, int], tuple[Alert, float]] = {}
        self.tracks: dict[int, _Tracks] = {}

    def observe(self, frame: Frame, ctx: Context) -> None:
        """Check identities of new vessels, then land and implied speed."""
        cfg = self.cfg
        vessels = ctx.vessels
        p, geo, v = frame.p, frame.geo, frame.v
        invalid = vessels.kind[frame.numbers] == Kind.INVALID
        for row in frame.starts[invalid].tolist():
            self._event("invalid_mmsi", int(v[row]), frame, row, ctx)
        plane = (p.cls == AIRCRAFT) | (vessels.kind[v] == Kind.SAR_AIRCRAFT)
        land = ((geo.water == 0) | (geo.water == 2)) & ~plane & (geo.port_m > cfg.port_radius_m)
        if land.any():
            rows = np.flatnonzero(land)
            inland = ctx.geo.on_land(p.lon[rows], p.lat[rows], geo.water[rows])
            for row in rows[inland >= cfg.land_margin_m].tolist():
                self._event("on_land", int(v[row]), frame, row, ctx)
        jump = (frame.implied_kn > cfg.max_speed_kn) & (frame.step_m >= cfg.min_jump_m) & ~plane
        suspects = set(self.tracks)
        if jump.any():
            suspects.update(v[jump].tolist())
        if suspects:
            groups = np.flatnonzero(np.isin(frame.numbers, list(suspects)))
            for g in groups.tolist():
                self._walk(frame, g, ctx)

    def _plausible(self, a: tuple[float, float, float], t: float, lon: float, lat: float) -> bool:
        d = float(haversine_m(a[1], a[2], lon, lat))
        if d < self.cfg.min_jump_m:
            return True
        dt = t - a[0]
        return dt > 0 and d / dt / MS_PER_KN <= self.cfg.max_speed_kn

    def _walk(self, frame: Frame, group: int, ctx: Context) -> None:
        number = int(frame.numbers[group])
        p = frame.p
        rows = frame.rows_of(group)
        if p.cls[rows.start] == AIRCRAFT or ctx.vessels.kind[number] == Kind.SAR_AIRCRAFT:
            return
        tracks = self.tracks.get(number)
        if tracks is None:
            first = rows.start
            if np.isnan(frame.prev_t[first]):
                tracks = _Tracks(main=(float(p.t[first]), float(p.lon[first]), float(p.lat[first])))
            else:
                tracks = _Tracks(
                    main=(
                        float(frame.prev_t[first]),
                        float(frame.prev_lon[first]),
                        float(frame.prev_lat[first]),
                    )
                )
            self.tracks[number] = tracks
        for row in rows:
            t, lon, lat = float(p.t[row]), float(p.lon[row]), float(p.lat[row])
            here = (t, lon, lat)
            if self._plausible(tracks.main, t, lon, lat):
                if tracks.on_other:
                    tracks.switches += 1
                    tracks.on_other = False
                tracks.main = here
            elif tracks.other is not None and self._plausible(tracks.other, t, lon, lat):
                if not tracks.on_other:
                    tracks.switches += 1
                    tracks.on_other = True
                tracks.other = here
            else:
                jumped_from = tracks.main
                tracks.other, tracks.main, tracks.on_other = tracks.main, here, False
                tracks.last_event_s = t
                self._event("speed", number, frame, row, ctx, jumped_from)
                continue
            if tracks.switches >= self.cfg.twin_min_switches:
                tracks.last_event_s = t
                away = tracks.main if tracks.on_other else tracks.other
                self._event("twin", number, frame, row, ctx, away or tracks.main)

    def _event(
        self,
        check: str,
        number: int,
        frame: Frame,
        row: int,
        ctx: Context,
        other: tuple[float, float, float] | None = None,
    ) -> None:
        t = float(frame.p.t[row])
        key = (check, number)
        held = self.open.get(key)
        if held is not None and t - held[1] > self.cfg.quiet_s:
            self._close(key, ctx)
            held = None
        evidence = [frame.evidence(row)]
        mmsi = int(ctx.vessels.mmsi[number])
        if other is not None:
            evidence.insert(0, Evidence(mmsi, to_datetime(other[0]), other[1], other[2]))
        if held is None:
            details: dict[str, object] = {**ctx.vessels.facts(number), "check": check, "count": 1}
            if check == "twin" and other is not None:
                # two ships on one number: where each of them is
                details["ships"] = [
                    {"lon": other[1], "lat": other[2], "time": to_datetime(other[0]).isoformat()},
                    {
                        "lon": float(frame.p.lon[row]),
                        "lat": float(frame.p.lat[row]),
                        "time": to_datetime(t).isoformat(),
                    },
                ]
            alert = ctx.book.open(
                self.name,
                f"{check}:{mmsi}",
                Priority.HIGH if check == "twin" else Priority.MEDIUM,
                (mmsi,),
                t,
                float(frame.p.lon[row]),
                float(frame.p.lat[row]),
                self._reason(check, number, frame, row, ctx, other),
                evidence,
                details,
            )
            self.open[key] = (alert, t)
            return
        alert = held[0]
        self.open[key] = (alert, t)
        count = alert.details.get("count", 1)
        alert.details["count"] = (count if isinstance(count, int) else 1) + 1
        for item in evidence:
            ctx.book.add_evidence(alert, item, t)

    def _reason(
        self,
        check: str,
        number: int,
        frame: Frame,
        row: int,
        ctx: Context,
        other: tuple[float, float, float] | None,
    ) -> str:
        label = ctx.vessels.label(number)
        p = frame.p
        if check == "invalid_mmsi":
            return f"Vessel {label} transmits an invalid MMSI"
        if check == "on_land":
            return f"Vessel {label} reports a position on land at {_latlon(p.lon[row], p.lat[row])}"
        assert other is not None
        d = float(haversine_m(other[1], other[2], p.lon[row], p.lat[row]))
        dt = float(p.t[row]) - other[0]
        if check == "twin":
            return (
                f"Vessel {label} at two places at once, {d / 1852:.1f} NM apart: two ships on "
                f"one MMSI, at {_latlon(other[1], other[2])} and "
                f"{_latlon(float(p.lon[row]), float(p.lat[row]))} (MMSI shared or spoofed)"
            )
        speed = "instantly" if dt <= 0 else f"in {dt / 60:.1f} min ({d / dt / MS_PER_KN:.0f} kn)"
        return f"Vessel {label} jumped {d / 1852:.1f} NM {speed}"

    def _close(self, key: tuple[str, int], ctx: Context) -> None:
        alert, last_s = self.open.pop(key)
        ctx.book.close(alert, last_s)

    def advance(self, now_s: float, ctx: Context) -> None:
        """Close the alerts whose anomaly has not recurred for ``quiet_s``."""
        quiet = self.cfg.quiet_s
        for key in [k for k, (_, last) in self.open.items() if last + quiet < now_s]:
            self._close(key, ctx)
        for number in [n for n, tr in self.tracks.items() if tr.last_event_s + quiet < now_s]:
            del self.tracks[number]
