"""The watch engine: runs the rules over a stream of reports, in event time.

Reports go into a reorder buffer (:mod:`littoral.watch.buffer`); whole ticks come out once
the watermark (latest report time minus ``lateness_s``) has passed them, in a canonical
order, so the same reports give the same alerts whatever order they arrived in within the
lateness, live or in replay. For each tick the engine computes, for all positions at once,
each vessel's previous position, the step and implied speed, and the geography (land or sea,
nearest port and offshore field, zone); then each rule looks at the tick, and then at the
time that has passed.

Examples
--------
>>> from datetime import UTC, datetime, timedelta
>>> from littoral.records.reports import PositionReport
>>> engine = Engine()
>>> t0 = datetime(2026, 5, 1, tzinfo=UTC)
>>> sart = [PositionReport(mmsi=970123456, time=t0 + timedelta(minutes=m), lon=51.0,
...                        lat=42.0, msg_type=1, nav_status=14) for m in range(3)]
>>> [a.rule for a in engine.process(sart) + engine.finish(t0 + timedelta(minutes=10))]
['distress']
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

import numpy as np

from littoral.clock import require_utc
from littoral.geo import haversine_m
from littoral.records.alerts import Alert
from littoral.records.reports import PositionReport, SafetyReport, StaticReport
from littoral.units import MS_PER_KN
from littoral.watch.book import AlertBook
from littoral.watch.buffer import FloatArray, Positions, ReorderBuffer, Slice
from littoral.watch.config import WatchConfig
from littoral.watch.geoview import GeoView
from littoral.watch.identity import identify
from littoral.watch.rules.area import AreaEntry
from littoral.watch.rules.base import Context, Frame, Rule, group_prev
from littoral.watch.rules.distress import Distress
from littoral.watch.rules.encounter import Encounter
from littoral.watch.rules.going_dark import GoingDark
from littoral.watch.rules.identity import IdentityChange
from littoral.watch.rules.integrity import Integrity
from littoral.watch.rules.interference import Interference
from littoral.watch.rules.loitering import Loitering
from littoral.watch.rules.non_littoral import NonLittoral
from littoral.watch.scope import AREA, INLAND, OUTSIDE, WATCHED, Scope
from littoral.watch.vessels import Vessels

Record = PositionReport | StaticReport | SafetyReport


class Engine:
    """Run the watch rules over reports and keep the alerts' lifecycle.

    Parameters
    ----------
    config
        Thresholds and areas; the documented defaults when omitted.
    geo
        Geography lookups; built from :mod:`littoral.geo` when omitted.

    Attributes
    ----------
    stats : collections.Counter
        Counts of what was seen: ``positions``, ``statics``, ``safety``, ``late`` (arrived
        after their tick was handed out), ``naive_time`` and ``unknown`` (refused records),
        ``outside`` (positions outside the area of application, never alerted) and
        ``area_only`` (in the area, outside the zones of interest: distress only).
    """

    def __init__(self, config: WatchConfig | None = None, geo: GeoView | None = None) -> None:
        self.config = config or WatchConfig()
        ecfg = self.config.engine
        self.book = AlertBook(ecfg.max_evidence, ecfg.update_interval_s)
        self.vessels = Vessels(identify, self.config.loitering.service_ship_types)
        self.ctx = Context(
            self.book, self.vessels, geo or GeoView(grid_deg=ecfg.grid_deg), self.config
        )
        self.scope = Scope(self.config.scope, self.ctx.geo)
        self.buffer = ReorderBuffer(ecfg.lateness_s, ecfg.tick_s)
        self.rules: list[Rule] = self._rules()
        self.stats: Counter[str] = Counter()
        self.now_s = -math.inf
        self._pruned_s = -math.inf

    def _rules(self) -> list[Rule]:
        cfg, ctx = self.config, self.ctx
        rules: list[Rule] = []
        if cfg.distress.enabled:
            rules.append(Distress(ctx))
        if cfg.integrity.enabled:
            rules.append(Integrity(ctx))
        if cfg.non_littoral.enabled:
            rules.append(NonLittoral(ctx))
        if cfg.going_dark.enabled:
            rules.append(GoingDark(ctx))
        if cfg.loitering.enabled:
            rules.append(Loitering(ctx))
        if cfg.encounter.enabled:
            rules.append(Encounter(ctx))
        if cfg.identity.enabled:
            rules.append(IdentityChange(ctx))
        if cfg.interference.enabled:
            rules.append(Interference(ctx))
        rules.extend(AreaEntry(ctx, area) for area in cfg.areas)
        return rules

    @property
    def alerts(self) -> list[Alert]:
        """Return the alerts raised so far, in order of opening.

        All open ones, and those closed within ``engine.keep_closed_s`` of the latest event
        time.
        """
        return list(self.book.alerts.values())

    def process(self, records: Iterable[Record]) -> list[Alert]:
        """Take reports; return the alerts opened, updated or closed as event time advanced.

        Records are counted in :attr:`stats`; one with a naive time or of another type is
        counted and left out, never raised on (this is a bulk path).
        """
        self._take(records)
        self._run(self.buffer.release())
        return self.book.drain()

    def finish(self, until: datetime) -> list[Alert]:
        """Hand out everything buffered and advance event time to ``until``.

        Use it at the end of a replay (silences up to ``until`` are raised) or on a live
        feed's timer. Reports older than ``until`` that arrive afterwards count as late.
        """
        until_s = require_utc(until, "until").timestamp()
        self._run(self.buffer.release(until_s), until_s)
        if until_s > self.now_s:
            self._advance(until_s)
        return self.book.drain()

    def _take(self, records: Iterable[Record]) -> None:
        items = records if isinstance(records, list) else list(records)
        positions = [r for r in items if type(r) is PositionReport]
        statics: list[StaticReport] = []
        safety: list[SafetyReport] = []
        if len(positions) != len(items):
            statics = [r for r in items if type(r) is StaticReport]
            safety = [r for r in items if type(r) is SafetyReport]
            other = len(items) - len(positions) - len(statics) - len(safety)
            if other:
                self.stats["unknown"] += other
        naive = sum(1 for r in positions if r.time.tzinfo is None)
        naive += sum(1 for x in statics if x.time.tzinfo is None)
        naive += sum(1 for y in safety if y.time.tzinfo is None)
        if naive:
            self.stats["naive_time"] += naive
            positions = [r for r in positions if r.time.tzinfo is not None]
            statics = [r for r in statics if r.time.tzinfo is not None]
            safety = [r for r in safety if r.time.tzinfo is not None]
        columns = Positions.from_reports(positions) if positions else Positions.empty()
        good = np.isfinite(columns.t) & np.isfinite(columns.lon) & np.isfinite(columns.lat)
        if not good.all():
            self.stats["bad_position"] += int((~good).sum())
            columns = columns.take(good)
        self.stats["positions"] += len(columns)
        self.stats["statics"] += len(statics)
        self.stats["safety"] += len(safety)
        late_pos, late_static, late_safety = self.buffer.add(columns, statics, safety)
        for report in self.vessels.changes(late_static):
            self._apply_static(report)
        for text in late_safety:
            for rule in self.rules:
                rule.safety(text, self.ctx)
        if len(late_pos):
            self.stats["late"] += len(late_pos) + len(late_static) + len(late_safety)
            late_pos = late_pos.take(self.scope.classify(late_pos.lon, late_pos.lat) == WATCHED)
        if len(late_pos):
            order = np.lexsort((late_pos.lat, late_pos.lon, late_pos.t, late_pos.mmsi))
            frame = self._frame(
                late_pos.take(order), np.array([self.buffer.released_s]), -1, late=True
            )
            for rule in self.rules:
                rule.late(frame, self.ctx)

    def _apply_static(self, report: StaticReport) -> None:
        """Show the rules a static report that changes a vessel, then apply it."""
        if self.vessels.changes([report]):
            for rule in self.rules:
                rule.static(report, self.ctx)
            self.vessels.apply_static(report)

    def _run(self, slices: Iterable[Slice], until_s: float = math.inf) -> None:
        """Run the rules over released ticks, several ticks per frame where that is safe.

        Ticks are grouped into one frame (one pass of every rule) within an epoch of
        ``engine.batch_ticks`` ticks; a tick with static data that changes a vessel, or with
        a safety text, ends the frame, so every report is judged with what was known at its
        tick and any grouping gives the same alerts.
        """
        tick_s = self.config.engine.tick_s
        span_s = tick_s * self.config.engine.batch_ticks
        pending: list[Slice] = []
        epoch = -1
        for piece in slices:
            piece_epoch = math.floor((piece.end_s - tick_s) / span_s)
            changes = self.vessels.changes(piece.statics)
            if pending and (piece_epoch != epoch or changes):
                self._batch(pending, epoch, until_s)
                pending = []
            epoch = piece_epoch
            for report in changes:
                self._apply_static(report)
            pending.append(piece)
            if piece.safety:
                self._batch(pending, epoch, until_s)
                pending = []
                for text in piece.safety:
                    for rule in self.rules:
                        rule.safety(text, self.ctx)
        if pending:
            self._batch(pending, epoch, until_s)

    def _batch(self, slices: list[Slice], epoch: int, until_s: float) -> None:
        with_positions = [piece for piece in slices if len(piece.positions)]
        if with_positions:
            p = Positions.concat([piece.positions for piece in with_positions])
            if len(with_positions) > 1:
                p = p.take(np.lexsort((p.lat, p.lon, p.t, p.mmsi)))
            ticks = np.array([piece.end_s for piece in with_positions])
            scope = self.scope.classify(p.lon, p.lat)
            watched = scope == WATCHED
            if watched.all():
                frame = self._frame(p, ticks, epoch)
                for rule in self.rules:
                    rule.observe(frame, self.ctx)
                self._remember(frame)
            else:
                self._observe_scoped(p, scope, ticks, epoch)
        self._advance(min(slices[-1].end_s, until_s))

    def _observe_scoped(
        self, p: Positions, scope: np.ndarray, ticks: FloatArray, epoch: int
    ) -> None:
        """Show each rule the rows of the scope classes it sees (:attr:`Rule.sees`).

        Rows outside are counted and never alerted; each vessel's latest position (any
        scope) is still remembered, so a vessel reporting outside is not silent.
        """
        self.stats["outside"] += int((scope == OUTSIDE).sum())
        self.stats["inland"] += int((scope == INLAND).sum())
        self.stats["area_only"] += int((scope == AREA).sum())
        frames: dict[frozenset[int], Frame | None] = {}
        for key in {rule.sees for rule in self.rules} | {frozenset({WATCHED})}:
            shown = np.isin(scope, list(key))
            frames[key] = self._frame(p.take(shown), ticks, epoch) if shown.any() else None
        for rule in self.rules:
            seen = frames[rule.sees]
            if seen is not None:
                rule.observe(seen, self.ctx)
        watched = frames[frozenset({WATCHED})]
        if watched is not None:
            self._remember(watched)
        # the latest position and scope class of every vessel of the batch, whatever its scope
        last = np.empty(len(p), dtype=bool)
        last[-1] = True
        last[:-1] = p.mmsi[1:] != p.mmsi[:-1]
        rows = np.flatnonzero(last)
        numbers, _ = self.vessels.lookup(p.mmsi[rows])
        v = self.vessels
        later = p.t[rows] >= np.nan_to_num(v.last_t[numbers], nan=-np.inf)
        rows, numbers = rows[later], numbers[later]
        v.last_t[numbers] = p.t[rows]
        v.last_lon[numbers] = p.lon[rows]
        v.last_lat[numbers] = p.lat[rows]
        v.scope[numbers] = scope[rows]

    def _advance(self, now_s: float) -> None:
        self.now_s = now_s
        for rule in self.rules:
            rule.advance(now_s, self.ctx)
        keep_s = self.config.engine.keep_closed_s
        if now_s - self._pruned_s > keep_s / 7:
            self.book.prune(now_s - keep_s)
            self._pruned_s = now_s

    def _remember(self, frame: Frame) -> None:
        v = self.vessels
        lasts = np.flatnonzero(frame.last)
        numbers = frame.v[lasts]
        v.scope[numbers] = WATCHED
        v.last_t[numbers] = frame.p.t[lasts]
        v.last_lon[numbers] = frame.p.lon[lasts]
        v.last_lat[numbers] = frame.p.lat[lasts]
        v.n_reports[frame.numbers] += np.diff(np.append(frame.starts, len(frame.p)))

    def _frame(self, p: Positions, ticks: FloatArray, epoch: int, late: bool = False) -> Frame:
        n = len(p)
        change = np.empty(n, dtype=bool)
        change[0] = True
        change[1:] = p.mmsi[1:] != p.mmsi[:-1]
        starts = np.flatnonzero(change)
        numbers, _ = self.vessels.lookup(p.mmsi[starts])
        counts = np.diff(np.append(starts, n))
        v = np.repeat(numbers, counts)
        last = np.empty(n, dtype=bool)
        last[-1] = True
        last[:-1] = change[1:]
        vs = self.vessels
        if late:
            prev_t = np.full(n, np.nan)
            prev_lon = np.full(n, np.nan)
            prev_lat = np.full(n, np.nan)
        else:
            prev_t = group_prev(p.t, change, vs.last_t[numbers])
            prev_lon = group_prev(p.lon, change, vs.last_lon[numbers])
            prev_lat = group_prev(p.lat, change, vs.last_lat[numbers])
        dt = p.t - prev_t
        step = haversine_m(prev_lon, prev_lat, p.lon, p.lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            implied = np.where(dt > 0, step / dt / MS_PER_KN, np.where(step > 0, np.inf, 0.0))
        implied[np.isnan(prev_t)] = np.nan
        speed = np.where(np.isnan(p.sog), implied, p.sog)
        geo = self.ctx.geo.facts(p.lon, p.lat)
        return Frame(
            ticks=ticks,
            epoch=epoch,
            p=p,
            v=v,
            starts=starts,
            numbers=numbers,
            first=change,
            last=last,
            prev_t=prev_t,
            prev_lon=prev_lon,
            prev_lat=prev_lat,
            dt_s=dt,
            step_m=step,
            implied_kn=implied,
            speed_kn=speed,
            geo=geo,
        )
