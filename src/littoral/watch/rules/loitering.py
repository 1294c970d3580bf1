"""Loitering: slow for a long time, away from ports.

Defaults after Global Fishing Watch (Miller et al. 2018, Front. Mar. Sci. 5:240; GFW events
documentation): speed under 2 kn for at least 2 h, at least 10 km from a port. A run is a
sequence of consecutive positions each slower than ``max_speed_kn`` (reported SOG, or the
speed implied by the previous position where SOG is missing) and far enough from ports; a
silence longer than ``max_gap_s`` ends it. The alert is raised at the first position that
makes the run ``min_duration_s`` long and closes at the run's last slow position. Within
5 km of an offshore oil and gas field it is high priority; a vessel of a service type (tug,
supply, pilot...) within 20 km of a field centre, where its platforms stand, is at work there
and not reported at all.
"""

from __future__ import annotations

import numpy as np

from littoral.records.alerts import Alert, Priority
from littoral.watch.book import to_datetime
from littoral.watch.geoview import OUTSIDE, short_name
from littoral.watch.rules.base import BaseRule, Context, Frame
from littoral.watch.vessels import Kind


class Loitering(BaseRule):
    """Rule 3 of the watch (see the module docstring)."""

    name = "loitering"

    def __init__(self, ctx: Context) -> None:
        self.cfg = ctx.config.loitering
        self.run_start = np.zeros(0)
        self.run_last = np.zeros(0)
        self.run_dist = np.zeros(0)
        self.due_s = np.zeros(0)
        """When an open alert next takes fresh evidence."""
        self.is_open = np.zeros(0, dtype=bool)
        self.high = np.zeros(0, dtype=bool)
        self.open: dict[int, Alert] = {}

    def _grow(self, n: int) -> None:
        if len(self.run_start) >= n:
            return
        size = max(n, 2 * len(self.run_start), 64)
        for name in ("run_start", "run_last", "run_dist", "due_s"):
            old = getattr(self, name)
            new = np.full(size, np.nan)
            new[: len(old)] = old
            setattr(self, name, new)
        for name in ("is_open", "high"):
            old_flags = getattr(self, name)
            flags = np.zeros(size, dtype=bool)
            flags[: len(old_flags)] = old_flags
            setattr(self, name, flags)

    def observe(self, frame: Frame, ctx: Context) -> None:
        """Extend, raise and end loitering runs."""
        cfg = self.cfg
        vessels = ctx.vessels
        self._grow(vessels.n)
        p, geo, v = frame.p, frame.geo, frame.v
        at_work = vessels.service[v] & (geo.field_m <= cfg.service_radius_m)
        slow = (
            (frame.speed_kn < cfg.max_speed_kn)
            & (geo.port_m >= cfg.min_port_distance_m)
            & (vessels.kind[v] == Kind.SHIP)
            & ~at_work
            & ((geo.water == 1) | (geo.water == 3) | (geo.water == OUTSIDE))
        )
        n = len(p)
        idx = np.arange(n)
        within_gap = ~(frame.dt_s > cfg.max_gap_s)
        prev_slow = np.empty(n, dtype=bool)
        if n:
            prev_slow[1:] = slow[:-1]
            prev_slow[frame.first] = ~np.isnan(self.run_start[frame.numbers])
        cont = slow & prev_slow & within_gap
        marker = slow & ~cont
        # row of the latest marker at or before each row, within the same vessel group
        group_base = np.repeat(frame.starts, np.diff(np.append(frame.starts, n)))
        last_marker = np.maximum.accumulate(np.where(marker, idx, -1))
        has_marker = last_marker >= group_base
        step = np.where(cont, np.nan_to_num(frame.step_m), 0.0)
        csum = np.cumsum(step)
        carry_start = self.run_start[v]
        carry_dist = self.run_dist[v]
        mk = np.maximum(last_marker, 0)
        start = np.where(has_marker, p.t[mk], carry_start)
        base = np.where(has_marker, csum[mk], csum[group_base] - step[group_base] - carry_dist)
        dist = csum - base
        long = slow & (p.t - start >= cfg.min_duration_s)
        ended = ~cont & np.append(False, slow[:-1] if n else slow)
        ended[frame.first] = ~cont[frame.first] & ~np.isnan(self.run_start[frame.numbers])
        # Python only where something happens: a run to raise, an alert to close, a change of
        # priority, or an open alert due for fresh evidence
        is_open = self.is_open[v]
        near = (geo.field_m <= cfg.field_radius_m) & ~vessels.service[v]
        busy = (long & ~is_open) | (ended & is_open)
        busy |= long & is_open & ((p.t >= self.due_s[v]) | (near & ~self.high[v]))
        if busy.any():
            for g in np.unique(frame.group_of(np.flatnonzero(busy))).tolist():
                self._walk(frame, g, slow, cont, start, dist, ctx)
        lasts = np.flatnonzero(frame.last)
        lv = v[lasts]
        self.run_start[lv] = np.where(slow[lasts], start[lasts], np.nan)
        self.run_dist[lv] = np.where(slow[lasts], dist[lasts], np.nan)
        self.run_last[lv] = np.where(slow[lasts], p.t[lasts], np.nan)

    def _walk(
        self,
        frame: Frame,
        group: int,
        slow: np.ndarray,
        cont: np.ndarray,
        start: np.ndarray,
        dist: np.ndarray,
        ctx: Context,
    ) -> None:
        number = int(frame.numbers[group])
        p = frame.p
        for row in frame.rows_of(group):
            alert = self.open.get(number)
            if alert is not None and not cont[row]:
                self._close(number, alert, float(frame.prev_t[row]), ctx)
                alert = None
            if not slow[row]:
                continue
            duration = float(p.t[row] - start[row])
            if duration < self.cfg.min_duration_s:
                continue
            near_field = (
                frame.geo.field_m[row] <= self.cfg.field_radius_m
                and not ctx.vessels.service[number]
            )
            avg_kn = float(dist[row]) / duration / (1852.0 / 3600.0)
            now = float(p.t[row])
            if (
                alert is not None
                and now < self.due_s[number]
                and not (near_field and not self.high[number])
            ):
                continue  # nothing new to tell before the next update is due
            self.due_s[number] = now + ctx.book.update_interval_s
            if alert is None:
                self.open[number] = self._open(frame, row, float(start[row]), near_field, ctx)
                self.open[number].details["avg_speed_kn"] = round(avg_kn, 2)
                self.is_open[number] = True
                self.high[number] = near_field
                continue
            if near_field and alert.priority < Priority.HIGH:
                self.high[number] = True
                alert.priority = Priority.HIGH
                alert.reason = self._reason(frame, row, float(start[row]), True, ctx)
                alert.details["field"] = short_name(ctx.geo.fields[int(frame.geo.field[row])])
                ctx.book.update(alert, now)
            alert.details["duration_s"] = duration
            alert.details["avg_speed_kn"] = round(avg_kn, 2)
            alert.lon, alert.lat = float(p.lon[row]), float(p.lat[row])
            ctx.book.add_evidence(alert, frame.evidence(row), now)

    def _reason(
        self, frame: Frame, row: int, start_s: float, near_field: bool, ctx: Context
    ) -> str:
        where = ctx.where(int(frame.geo.port[row]), float(frame.geo.port_m[row]))
        text = (
            f"Vessel {ctx.vessels.label(int(frame.v[row]))} loitering under "
            f"{self.cfg.max_speed_kn:g} kn since {to_datetime(start_s):%Y-%m-%d %H:%M}Z, {where}"
        )
        if near_field:
            field = short_name(ctx.geo.fields[int(frame.geo.field[row])])
            text += f", {frame.geo.field_m[row] / 1000:.1f} km from {field}"
        return text

    def _open(
        self, frame: Frame, row: int, start_s: float, near_field: bool, ctx: Context
    ) -> Alert:
        number = int(frame.v[row])
        mmsi = int(ctx.vessels.mmsi[number])
        details: dict[str, object] = {
            **ctx.vessels.facts(number),
            "duration_s": float(frame.p.t[row]) - start_s,
            "raised_at": to_datetime(float(frame.p.t[row])).isoformat(),
        }
        if near_field:
            details["field"] = short_name(ctx.geo.fields[int(frame.geo.field[row])])
        return ctx.open_at(
            frame,
            row,
            number,
            self.name,
            str(mmsi),
            Priority.HIGH if near_field else Priority.MEDIUM,
            self._reason(frame, row, start_s, near_field, ctx),
            details,
            start_s=start_s,
        )

    def _close(self, number: int, alert: Alert, end_s: float, ctx: Context) -> None:
        del self.open[number]
        self.is_open[number] = False
        ctx.book.close(alert, end_s, duration_s=end_s - alert.start.timestamp())

    def advance(self, now_s: float, ctx: Context) -> None:
        """End the runs of vessels silent for longer than ``max_gap_s``."""
        for number in list(self.open):
            last = float(self.run_last[number])
            if not np.isnan(last) and last + self.cfg.max_gap_s < now_s:
                self._close(number, self.open[number], last, ctx)
                self.run_start[number] = np.nan
                self.run_dist[number] = np.nan
