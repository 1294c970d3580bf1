"""Encounters: two vessels side by side, slowly, for a long time, away from ports.

Defaults of Global Fishing Watch (Miller et al. 2018, "Identifying global patterns of
transshipment behavior", Front. Mar. Sci. 5:240): within 500 m for at least 2 h, median speed
under 2 kn, at least 10 km from a port; encounters less than 4 h apart are one encounter.
``preset = "short"`` gives Skylight's standard rendezvous, 250 m for 30 min.

At every tick the latest position of each vessel (not older than ``stale_s``) is put in a
spatial hash of cells at least ``max_distance_m`` wide, so only the vessels of neighbouring
cells are compared: the cost grows with the number of vessels, not its square. A pair close
at consecutive ticks forms a run; the run becomes an alert when it lasts ``min_duration_s``
with a median speed (both vessels, every tick) under ``max_median_speed_kn``. A service
vessel at an offshore field (supply boat at its platform) is not paired, nor is a vessel
faster than ``pair_max_speed_kn`` at that tick (two ships under way together are a convoy).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from littoral.geo import haversine_m
from littoral.records.alerts import Alert, Evidence, Priority
from littoral.watch.book import to_datetime
from littoral.watch.rules.base import BaseRule, Context, Frame
from littoral.watch.vessels import Kind

_M_PER_DEG_LAT = 111_195.0
_COS_REF = float(np.cos(np.radians(41.5)))
_COS_NORTH = float(np.cos(np.radians(48.0)))
_DX = np.array([0, 1, 1, 1, 0])
_DY = np.array([0, -1, 0, 1, 1])


@dataclass(slots=True)
class _Run:
    start_s: float
    last_s: float
    speeds: list[float] = field(default_factory=list)
    alert: Alert | None = None


class Encounter(BaseRule):
    """Rule 4 of the watch (see the module docstring)."""

    name = "encounter"

    def __init__(self, ctx: Context) -> None:
        self.cfg = ctx.config.encounter
        self.port_m = np.zeros(0)
        self.field_m = np.zeros(0)
        self.speed_kn = np.zeros(0)
        self.last_t = np.zeros(0)
        self.lon = np.zeros(0)
        self.lat = np.zeros(0)
        """Latest position of each vessel as of the tick being judged."""
        self.runs: dict[tuple[int, int], _Run] = {}
        self.ended: dict[tuple[int, int], tuple[Alert, list[float]]] = {}
        # cell width in projected metres so that its true width is >= max_distance_m everywhere
        self._cell_m = self.cfg.max_distance_m * _COS_REF / _COS_NORTH * 1.01

    def _grow(self, n: int) -> None:
        if len(self.port_m) >= n:
            return
        size = max(n, 2 * len(self.port_m), 64)
        for name in ("port_m", "field_m", "speed_kn", "last_t", "lon", "lat"):
            old = getattr(self, name)
            new = np.full(size, np.nan)
            new[: len(old)] = old
            setattr(self, name, new)

    def observe(self, frame: Frame, ctx: Context) -> None:
        """Pair the vessels at the end of every tick of the frame."""
        self._grow(ctx.vessels.n)
        p = frame.p
        tick_s = ctx.config.engine.tick_s
        key = np.floor(p.t / tick_s)
        for end_s in frame.ticks.tolist():
            rows = np.flatnonzero(key == round(end_s / tick_s) - 1)
            if not len(rows):
                continue
            # the latest row of each vessel within the tick (rows are by MMSI, then time)
            last = rows[np.append(p.mmsi[rows[1:]] != p.mmsi[rows[:-1]], True)]
            v = frame.v[last]
            self.last_t[v] = p.t[last]
            self.lon[v] = p.lon[last]
            self.lat[v] = p.lat[last]
            self.port_m[v] = frame.geo.port_m[last]
            self.field_m[v] = frame.geo.field_m[last]
            self.speed_kn[v] = frame.speed_kn[last]
            self._tick(end_s, ctx)

    def advance(self, now_s: float, ctx: Context) -> None:
        """End the encounters whose vessels have not been seen together for ``stale_s``."""
        self._expire(now_s, ctx)

    def _expire(self, now_s: float, ctx: Context) -> None:
        cfg = self.cfg
        # a run not seen for longer than stale_s (no tick saw the pair together) has ended
        for key in [k for k, r in self.runs.items() if now_s - r.last_s > cfg.stale_s]:
            self._end(key, ctx)
        for key in [k for k, (a, _) in self.ended.items() if _end(a) + cfg.merge_gap_s < now_s]:
            del self.ended[key]

    def _tick(self, now_s: float, ctx: Context) -> None:
        """Pair the vessels of this tick; extend, raise, merge and end encounters."""
        cfg = self.cfg
        vessels = ctx.vessels
        n = min(vessels.n, len(self.port_m))
        self._expire(now_s, ctx)
        if n < 2:
            return
        ok = (
            (self.last_t[:n] >= now_s - cfg.stale_s)
            & (vessels.kind[:n] == Kind.SHIP)
            & (self.port_m[:n] >= cfg.min_port_distance_m)
            & ~(vessels.service[:n] & (self.field_m[:n] <= cfg.service_radius_m))
            & ~(self.speed_kn[:n] > cfg.pair_max_speed_kn)
        )
        close = self._pairs(np.flatnonzero(ok), self.lon, self.lat)
        seen: set[tuple[int, int]] = set()
        for a, b in close:
            pair = (a, b)
            seen.add(pair)
            self._extend(pair, now_s, ctx)
        for pair in [k for k in self.runs if k not in seen]:
            self._end(pair, ctx)

    def _end(self, key: tuple[int, int], ctx: Context) -> None:
        run = self.runs.pop(key)
        if run.alert is not None:
            ctx.book.close(run.alert, run.last_s, duration_s=run.last_s - _start(run.alert))
            self.ended[key] = (run.alert, run.speeds)

    def _pairs(
        self, cand: np.ndarray, lon_all: np.ndarray, lat_all: np.ndarray
    ) -> list[tuple[int, int]]:
        if len(cand) < 2:
            return []
        lon = lon_all[cand]
        lat = lat_all[cand]
        cx = np.floor(lon * _M_PER_DEG_LAT * _COS_REF / self._cell_m).astype(np.int64)
        cy = np.floor(lat * _M_PER_DEG_LAT / self._cell_m).astype(np.int64)
        key = cx * 4_000_003 + cy
        order = np.argsort(key, kind="stable")
        skey = key[order]
        n = len(cand)
        # half of the 3x3 neighbourhood (same cell, then four neighbours): each pair once
        targets = ((cx[None, :] + _DX[:, None]) * 4_000_003 + (cy[None, :] + _DY[:, None])).ravel()
        lo = np.searchsorted(skey, targets, side="left")
        counts = np.searchsorted(skey, targets, side="right") - lo
        total = int(counts.sum())
        if total == n:  # every candidate alone in its neighbourhood
            return []
        i = np.repeat(np.tile(np.arange(n), len(_DX)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        j = order[np.repeat(lo, counts) + offsets]
        same_cell = np.repeat(np.arange(len(targets)) < n, counts)
        keep = ~same_cell | (i < j)
        i, j = i[keep], j[keep]
        if not len(i):
            return []
        d = haversine_m(lon[i], lat[i], lon[j], lat[j])
        near = d <= self.cfg.max_distance_m
        a = cand[i[near]]
        b = cand[j[near]]
        lo_ab = np.minimum(a, b)
        hi_ab = np.maximum(a, b)
        return sorted(zip(lo_ab.tolist(), hi_ab.tolist(), strict=True))

    def _extend(self, key: tuple[int, int], now_s: float, ctx: Context) -> None:
        cfg = self.cfg
        a, b = key
        run = self.runs.get(key)
        if run is None:
            run = self.runs[key] = _Run(start_s=now_s, last_s=now_s)
            ended = self.ended.pop(key, None)
            if ended is not None and now_s - _end(ended[0]) <= cfg.merge_gap_s:
                merged, run.speeds = ended
                run.alert = merged
                run.start_s = _start(merged)
                ctx.book.reopen(merged, now_s, merged_at=to_datetime(now_s).isoformat())
        run.last_s = now_s
        for number in key:
            speed = float(self.speed_kn[number])
            if not np.isnan(speed):
                run.speeds.append(speed)
        lon = float((self.lon[a] + self.lon[b]) / 2)
        lat = float((self.lat[a] + self.lat[b]) / 2)
        duration = now_s - run.start_s
        if duration < cfg.min_duration_s:
            return
        median = float(np.median(run.speeds)) if run.speeds else 0.0
        if run.alert is None:
            if median >= cfg.max_median_speed_kn:
                return
            run.alert = self._open(key, run, lon, lat, median, ctx)
        alert = run.alert
        alert.lon, alert.lat = lon, lat
        alert.details["duration_s"] = duration
        alert.details["median_speed_kn"] = round(median, 2)
        for number in key:
            ctx.book.add_evidence(alert, self._evidence(number, ctx), now_s)

    def _evidence(self, number: int, ctx: Context) -> Evidence:
        return Evidence(
            int(ctx.vessels.mmsi[number]),
            to_datetime(float(self.last_t[number])),
            float(self.lon[number]),
            float(self.lat[number]),
        )

    def _open(
        self, key: tuple[int, int], run: _Run, lon: float, lat: float, median: float, ctx: Context
    ) -> Alert:
        vessels = ctx.vessels
        a, b = key
        mmsis = tuple(sorted((int(vessels.mmsi[a]), int(vessels.mmsi[b]))))
        facts = ctx.geo.facts(np.array([lon]), np.array([lat]))
        where = ctx.where(int(facts.port[0]), float(facts.port_m[0]))
        reason = (
            f"Encounter of {vessels.label(a)} and {vessels.label(b)} within "
            f"{self.cfg.max_distance_m:g} m since {to_datetime(run.start_s):%Y-%m-%d %H:%M}Z, "
            f"{where}"
        )
        return ctx.book.open(
            self.name,
            f"{mmsis[0]}-{mmsis[1]}",
            Priority.MEDIUM,
            mmsis,
            run.start_s,
            lon,
            lat,
            reason,
            [self._evidence(a, ctx), self._evidence(b, ctx)],
            {
                "vessels": [vessels.facts(a), vessels.facts(b)],
                "median_speed_kn": round(median, 2),
                "raised_at": to_datetime(run.last_s).isoformat(),
            },
        )


def _start(alert: Alert) -> float:
    return alert.start.timestamp()


def _end(alert: Alert) -> float:
    return alert.end.timestamp() if alert.end is not None else alert.start.timestamp()
