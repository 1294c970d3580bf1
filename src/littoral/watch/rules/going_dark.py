"""Going dark: a vessel that was reporting stops reporting.

Defaults: 6 h of silence anywhere; 1 h where the vessel's last position was inside receiver
coverage or within 10 km of an offshore field. Global Fishing Watch counts AIS gaps of 12 h
and more where reception is good (Welch et al. 2022, Sci. Adv. 8:eabq2109); Skylight raises
dark-activity alerts after a few hours; both weigh a gap by the reception expected there.

A silence that begins within ``min_port_distance_m`` (10 km) of a port is not reported: ships
switch AIS off at their berth (Global Fishing Watch likewise counts only gaps that begin away
from port and shore). Coverage is inferred from the data itself: the sea is cut into cells
(0.2 degrees) and a cell counts as covered by terrestrial receivers once
``coverage_min_reports`` positions were received in it (before the current group of
ticks). A gap in a well-heard cell means more than one in a cell heard only sometimes.

The alert starts at the last report before the silence and is raised once the silence
reaches the threshold; it closes with its duration when the vessel reappears. A report that
arrives late (after its tick was handed out) and falls inside a gap corrects it: the gap is
cut at that report, the part before keeps its alert if it is still long enough (otherwise
that alert is withdrawn), and the part after is opened as a new alert if it is long enough.
"""

from __future__ import annotations

import numpy as np

from littoral.records.alerts import Alert, Evidence, Priority
from littoral.watch.book import to_datetime
from littoral.watch.geoview import REGION
from littoral.watch.rules.base import BaseRule, Context, Frame, group_prev
from littoral.watch.scope import WATCHED
from littoral.watch.vessels import Kind

_HISTORY = 8
"""Closed gaps kept per vessel, for corrections by late data."""


class GoingDark(BaseRule):
    """Rule 2 of the watch (see the module docstring)."""

    name = "going_dark"

    def __init__(self, ctx: Context) -> None:
        cfg = ctx.config.going_dark
        self.cfg = cfg
        west, south, east, north = REGION
        self._cell = cfg.coverage_cell_deg
        self._nx = int(np.ceil((east - west) / self._cell))
        self._ny = int(np.ceil((north - south) / self._cell))
        self.coverage = np.zeros(self._nx * self._ny, dtype=np.int64)
        self._pending = np.zeros(self._nx * self._ny, dtype=np.int64)
        self._epoch = -1
        self.threshold_s = np.zeros(0)
        self.open: dict[int, Alert] = {}
        self.closed: dict[int, list[tuple[Alert, float, float]]] = {}

    def _grow(self, n: int) -> None:
        if len(self.threshold_s) < n:
            grown = np.full(max(n, 2 * len(self.threshold_s)), self.cfg.threshold_s)
            grown[: len(self.threshold_s)] = self.threshold_s
            self.threshold_s = grown

    def _cells(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        west, south, _, _ = REGION
        ix = np.clip(((lon - west) / self._cell).astype(np.int64), 0, self._nx - 1)
        iy = np.clip(((lat - south) / self._cell).astype(np.int64), 0, self._ny - 1)
        return iy * self._nx + ix

    def _thresholds(self, frame: Frame, rows: np.ndarray) -> np.ndarray:
        p = frame.p
        covered = self.coverage[self._cells(p.lon[rows], p.lat[rows])]
        covered = covered >= self.cfg.coverage_min_reports
        near = frame.geo.field_m[rows] <= self.cfg.field_radius_m
        short = self.cfg.covered_threshold_s
        threshold = np.where(covered | near, short, self.cfg.threshold_s)
        # a vessel that falls silent in port has switched off at its berth, not gone dark
        in_port = frame.geo.port_m[rows] < self.cfg.min_port_distance_m
        out: np.ndarray = np.where(in_port, np.inf, threshold)
        return out

    def observe(self, frame: Frame, ctx: Context) -> None:
        """Close or raise the gaps that end in this frame; remember each vessel's threshold."""
        vessels = ctx.vessels
        self._grow(vessels.n)
        if frame.epoch != self._epoch:
            # coverage counts only what was received before this epoch, so every grouping of
            # ticks into frames sees the same coverage
            self.coverage += self._pending
            self._pending[:] = 0
            self._epoch = frame.epoch
        p, v = frame.p, frame.v
        n = len(p)
        rows = np.arange(n)
        threshold = self._thresholds(frame, rows)
        before = group_prev(threshold, frame.first, self.threshold_s[frame.numbers])
        base = np.repeat(frame.starts, np.diff(np.append(frame.starts, n)))
        reports = vessels.n_reports[v] + (rows - base)
        eligible = (vessels.kind[v] == Kind.SHIP) & (reports >= self.cfg.min_reports)
        gaps = eligible & (frame.dt_s >= before)
        if self.open:
            gaps |= frame.first & np.isin(v, list(self.open))
        for row in np.flatnonzero(gaps).tolist():
            self._reappear(int(v[row]), frame, row, float(before[row]), ctx)
        self._pending += np.bincount(self._cells(p.lon, p.lat), minlength=len(self._pending))
        lasts = np.flatnonzero(frame.last)
        self.threshold_s[v[lasts]] = threshold[lasts]

    def _eligible(self, numbers: np.ndarray, ctx: Context) -> np.ndarray:
        vessels = ctx.vessels
        ok: np.ndarray = (vessels.kind[numbers] == Kind.SHIP) & (
            vessels.n_reports[numbers] >= self.cfg.min_reports
        )
        # a vessel last seen outside the zones of interest left them: not silent here
        ok &= vessels.scope[numbers] == WATCHED
        return ok

    def _reappear(
        self, number: int, frame: Frame, row: int, threshold: float, ctx: Context
    ) -> None:
        t = float(frame.p.t[row])
        last_s = float(frame.prev_t[row])
        alert = self.open.pop(number, None)
        if alert is None:
            lon, lat = float(frame.prev_lon[row]), float(frame.prev_lat[row])
            alert = self._open(number, last_s, lon, lat, threshold, ctx)
        self._close(number, alert, last_s, t, frame.evidence(row), ctx)

    def _open(
        self, number: int, last_s: float, lon: float, lat: float, threshold: float, ctx: Context
    ) -> Alert:
        vessels = ctx.vessels
        facts = ctx.geo.facts(np.array([lon]), np.array([lat]))
        where = ctx.where(int(facts.port[0]), float(facts.port_m[0]))
        reason = (
            f"Vessel {vessels.label(number)} silent for over {threshold / 3600:.0f} h "
            f"since {to_datetime(last_s):%Y-%m-%d %H:%M}Z, last seen {where}"
        )
        mmsi = int(vessels.mmsi[number])
        return ctx.book.open(
            self.name,
            str(mmsi),
            Priority.MEDIUM,
            (mmsi,),
            last_s,
            lon,
            lat,
            reason,
            [Evidence(mmsi, to_datetime(last_s), lon, lat)],
            {
                **vessels.facts(number),
                "threshold_s": threshold,
                "raised_at": to_datetime(last_s + threshold).isoformat(),
            },
        )

    def _close(
        self,
        number: int,
        alert: Alert,
        start_s: float,
        end_s: float,
        seen: Evidence,
        ctx: Context,
    ) -> None:
        alert.evidence.append(seen)
        ctx.book.close(alert, end_s, duration_s=end_s - start_s, reappeared=seen.time.isoformat())
        history = self.closed.setdefault(number, [])
        history.append((alert, start_s, end_s))
        del history[:-_HISTORY]

    def advance(self, now_s: float, ctx: Context) -> None:
        """Raise the silences that reached their threshold."""
        vessels = ctx.vessels
        n = vessels.n
        self._grow(n)
        numbers = np.arange(n)
        silent = (vessels.last_t[:n] + self.threshold_s[:n] <= now_s) & self._eligible(numbers, ctx)
        for number in np.flatnonzero(silent).tolist():
            if number not in self.open:
                self.open[number] = self._open(
                    number,
                    float(vessels.last_t[number]),
                    float(vessels.last_lon[number]),
                    float(vessels.last_lat[number]),
                    float(self.threshold_s[number]),
                    ctx,
                )

    def late(self, frame: Frame, ctx: Context) -> None:
        """Cut the gaps that late reports fall into."""
        self._grow(ctx.vessels.n)
        p = frame.p
        for row in range(len(p)):
            number = int(frame.v[row])
            t = float(p.t[row])
            alert = self.open.get(number)
            if alert is not None and t > alert.start.timestamp():
                self._cut_open(number, alert, t, frame, row, ctx)
                continue
            for k, (old, start_s, end_s) in enumerate(self.closed.get(number, [])):
                if start_s < t < end_s:
                    self._cut_closed(number, k, old, start_s, end_s, frame, row, ctx)
                    break

    def _cut_open(
        self, number: int, alert: Alert, t: float, frame: Frame, row: int, ctx: Context
    ) -> None:
        start_s = alert.start.timestamp()
        threshold = float(alert.details.get("threshold_s", self.cfg.threshold_s))  # type: ignore[arg-type]
        del self.open[number]
        if t - start_s >= threshold:
            self._close(number, alert, start_s, t, frame.evidence(row), ctx)
        else:
            ctx.book.close(alert, t, withdrawn=f"late report at {to_datetime(t).isoformat()}")
        # the silence now starts at the late report; advance() raises it again if it is long
        if t > ctx.vessels.last_t[number]:
            ctx.vessels.last_t[number] = t
            ctx.vessels.last_lon[number] = frame.p.lon[row]
            ctx.vessels.last_lat[number] = frame.p.lat[row]

    def _cut_closed(
        self,
        number: int,
        k: int,
        old: Alert,
        start_s: float,
        end_s: float,
        frame: Frame,
        row: int,
        ctx: Context,
    ) -> None:
        t = float(frame.p.t[row])
        threshold = float(old.details.get("threshold_s", self.cfg.threshold_s))  # type: ignore[arg-type]
        history = self.closed[number]
        del history[k]
        if t - start_s >= threshold:
            ctx.book.close(old, t, duration_s=t - start_s, cut_by_late_report=True)
            history.append((old, start_s, t))
        else:
            ctx.book.close(old, end_s, withdrawn=f"late report at {to_datetime(t).isoformat()}")
        if end_s - t >= threshold:
            lon, lat = float(frame.p.lon[row]), float(frame.p.lat[row])
            new = self._open(number, t, lon, lat, threshold, ctx)
            ctx.book.close(new, end_s, duration_s=end_s - t, cut_by_late_report=True)
            history.append((new, t, end_s))
        history.sort(key=lambda item: item[1])
