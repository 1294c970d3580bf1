"""GNSS interference: the positions of several vessels jump to one point at about one time.

A spoofing transmitter (or jamming with a fallback position) makes the GNSS receivers around
it report one false position, often an airport or a point inland: on AIS, ships far apart
jump together to the same place. C4ADS "Above Us Only Stars" (2019) and Windward's
GNSS-interference reports describe the pattern in the Black Sea and the eastern
Mediterranean; the Caspian has seen it too. One ship jumping is a fault or spoofing of one
transponder (``integrity``); here the sign is the cluster.

A jump is a step the ``integrity`` rule would call a jump (implied speed over
``integrity.max_speed_kn`` and longer than ``integrity.min_jump_m``); its landing point is
remembered for ``window_s``. When the landing points of at least ``min_vessels`` different
vessels lie within ``radius_m`` of each other inside that window, an alert opens at the
point; later jumps to the same point join it (``details["mmsis"]``, ``count``), and it
closes ``quiet_s`` after the last one. Jumps are judged in time order, so any grouping of
ticks into frames gives the same alerts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from littoral.geo import haversine_m
from littoral.records.alerts import Alert, Evidence, Priority
from littoral.watch.book import to_datetime
from littoral.watch.buffer import AIRCRAFT
from littoral.watch.rules.base import BaseRule, Context, Frame
from littoral.watch.rules.distress import _latlon
from littoral.watch.scope import INLAND, WATCHED
from littoral.watch.vessels import Kind


@dataclass(slots=True)
class _Cluster:
    alert: Alert
    lon: float
    lat: float
    last_s: float
    mmsis: set[int] = field(default_factory=set)


class Interference(BaseRule):
    """Rule 9 of the watch (see the module docstring)."""

    name = "interference"
    sees = frozenset({INLAND, WATCHED})
    """Also positions inland: spoofed positions often fall on land."""

    def __init__(self, ctx: Context) -> None:
        self.cfg = ctx.config.interference
        self.jumps: list[tuple[float, float, float, int]] = []
        """(time, lon, lat, vessel number) of the recent landing points."""
        self.open: list[_Cluster] = []

    def observe(self, frame: Frame, ctx: Context) -> None:
        """Collect the jumps of the frame and look for clusters, in time order."""
        limits = ctx.config.integrity
        p, v = frame.p, frame.v
        plane = (p.cls == AIRCRAFT) | (ctx.vessels.kind[v] == Kind.SAR_AIRCRAFT)
        jump = (frame.implied_kn > limits.max_speed_kn) & (frame.step_m >= limits.min_jump_m)
        rows = np.flatnonzero(jump & ~plane)
        if not len(rows):
            return
        rows = rows[np.lexsort((p.mmsi[rows], p.t[rows]))]
        for row in rows.tolist():
            self._jump(frame, row, ctx)

    def _jump(self, frame: Frame, row: int, ctx: Context) -> None:
        cfg = self.cfg
        p = frame.p
        t, lon, lat = float(p.t[row]), float(p.lon[row]), float(p.lat[row])
        number = int(frame.v[row])
        self.jumps = [j for j in self.jumps if j[0] >= t - cfg.window_s]
        self.jumps.append((t, lon, lat, number))
        for cluster in self.open:
            if float(haversine_m(cluster.lon, cluster.lat, lon, lat)) <= cfg.radius_m:
                self._join(cluster, frame, row, ctx)
                return
        xy = np.array([(j[1], j[2]) for j in self.jumps])
        near = haversine_m(xy[:, 0], xy[:, 1], lon, lat) <= cfg.radius_m
        members = [self.jumps[k] for k in np.flatnonzero(near).tolist()]
        numbers = sorted({m[3] for m in members})
        if len(numbers) < cfg.min_vessels:
            return
        self._open(members, numbers, frame, row, ctx)

    def _open(
        self,
        members: list[tuple[float, float, float, int]],
        numbers: list[int],
        frame: Frame,
        row: int,
        ctx: Context,
    ) -> None:
        vessels = ctx.vessels
        start_s = min(m[0] for m in members)
        lon = float(np.median([m[1] for m in members]))
        lat = float(np.median([m[2] for m in members]))
        mmsis = tuple(sorted(int(vessels.mmsi[n]) for n in numbers))
        facts = ctx.geo.facts(np.array([lon]), np.array([lat]))
        where = ctx.where(int(facts.port[0]), float(facts.port_m[0]))
        reason = (
            f"GNSS interference: positions of {len(mmsis)} vessels jumped to one point at "
            f"{_latlon(lon, lat)}, {where} ({', '.join(vessels.label(n) for n in numbers)})"
        )
        evidence = [
            Evidence(int(vessels.mmsi[m[3]]), to_datetime(m[0]), m[1], m[2])
            for m in sorted(members)
        ]
        alert = ctx.book.open(
            self.name,
            f"{lat:.2f}N{lon:.2f}E",
            Priority.HIGH,
            mmsis,
            start_s,
            lon,
            lat,
            reason,
            evidence,
            {"mmsis": list(mmsis), "count": len(members), "radius_m": self.cfg.radius_m},
        )
        last_s = max(m[0] for m in members)
        self.open.append(_Cluster(alert, lon, lat, last_s, set(mmsis)))

    def _join(self, cluster: _Cluster, frame: Frame, row: int, ctx: Context) -> None:
        t = float(frame.p.t[row])
        mmsi = int(frame.p.mmsi[row])
        cluster.last_s = max(cluster.last_s, t)
        alert = cluster.alert
        count = alert.details.get("count", 0)
        alert.details["count"] = (count if isinstance(count, int) else 0) + 1
        if mmsi not in cluster.mmsis:
            cluster.mmsis.add(mmsi)
            alert.mmsis = tuple(sorted(cluster.mmsis))
            ctx.book.update(alert, t, mmsis=list(alert.mmsis))
        ctx.book.add_evidence(alert, frame.evidence(row), t)

    def advance(self, now_s: float, ctx: Context) -> None:
        """Close the clusters with no jump for ``quiet_s``."""
        quiet = self.cfg.quiet_s
        for cluster in [c for c in self.open if c.last_s + quiet < now_s]:
            self.open.remove(cluster)
            ctx.book.close(cluster.alert, cluster.last_s)
