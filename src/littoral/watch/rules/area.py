"""Area entry: a vessel matching a filter enters a user-defined polygon.

Each area of the rules file (``[[area]]``, GeoJSON Polygon or MultiPolygon) has an optional
filter: flag codes or country names (``flags``), non-littoral flags only (``non_littoral``),
AIS ship types (``ship_types``), and a speed range (``min_speed_kn``, ``max_speed_kn``). A
vessel "is in" the area while its position is inside and it passes the filter; the alert
opens at the first such position after one that was not (or at the vessel's first position)
and closes at the first position that is not. Points are tested in batches with
``shapely.contains_xy`` after a bounding-box cut.
"""

from __future__ import annotations

import numpy as np
import shapely

from littoral.records.alerts import Alert, Priority
from littoral.watch.book import to_datetime
from littoral.watch.config import AreaConfig
from littoral.watch.rules.base import BaseRule, Context, Frame


class AreaEntry(BaseRule):
    """Rule 7 of the watch, for one area (see the module docstring)."""

    def __init__(self, ctx: Context, area: AreaConfig) -> None:
        self.area = area
        self.name = "area"
        self.shape = shapely.MultiPolygon(
            [shapely.Polygon(rings[0], rings[1:]) for rings in area.polygons]
        )
        shapely.prepare(self.shape)
        self.bounds = shapely.bounds(self.shape)
        self.priority = Priority[area.priority]
        self.inside = np.zeros(0, dtype=bool)
        self.open: dict[int, Alert] = {}
        self._flags = {f.upper() for f in area.flags}
        self._types = set(area.ship_types)

    def _passes(self, numbers: np.ndarray, ctx: Context) -> np.ndarray:
        vessels = ctx.vessels
        ok = np.ones(len(numbers), dtype=bool)
        if self.area.non_littoral:
            ok &= vessels.non_littoral[numbers]
        if self._flags or self._types:
            for k, number in enumerate(numbers.tolist()):
                if not ok[k]:
                    continue
                ident = vessels.identities[number]
                if self._flags and not (
                    (ident.flag or "").upper() in self._flags
                    or ident.flag_name.upper() in self._flags
                ):
                    ok[k] = False
                if self._types and vessels.ship_types[number] not in self._types:
                    ok[k] = False
        return ok

    def observe(self, frame: Frame, ctx: Context) -> None:
        """Find entries and exits."""
        n_vessels = ctx.vessels.n
        if len(self.inside) < n_vessels:
            grown = np.zeros(max(n_vessels, 2 * len(self.inside), 64), dtype=bool)
            grown[: len(self.inside)] = self.inside
            self.inside = grown
        p = frame.p
        west, south, east, north = self.bounds
        box = (p.lon >= west) & (p.lon <= east) & (p.lat >= south) & (p.lat <= north)
        group_ok = self._passes(frame.numbers, ctx)
        box &= np.repeat(group_ok, np.diff(np.append(frame.starts, len(p))))
        if self.area.min_speed_kn is not None:
            box &= frame.speed_kn >= self.area.min_speed_kn
        if self.area.max_speed_kn is not None:
            box &= frame.speed_kn <= self.area.max_speed_kn
        now = np.zeros(len(p), dtype=bool)
        if box.any():
            rows = np.flatnonzero(box)
            now[rows] = shapely.contains_xy(self.shape, p.lon[rows], p.lat[rows])
        before = np.empty(len(p), dtype=bool)
        if len(p):
            before[1:] = now[:-1]
            before[frame.first] = self.inside[frame.numbers]
        for row in np.flatnonzero(now != before).tolist():
            number = int(frame.v[row])
            if now[row]:
                self._enter(frame, row, number, ctx)
            elif number in self.open:
                alert = self.open.pop(number)
                alert.evidence.append(frame.evidence(row))
                ctx.book.close(
                    alert, float(p.t[row]), left=to_datetime(float(p.t[row])).isoformat()
                )
        lasts = np.flatnonzero(frame.last)
        self.inside[frame.v[lasts]] = now[lasts]

    def _enter(self, frame: Frame, row: int, number: int, ctx: Context) -> None:
        vessels = ctx.vessels
        mmsi = int(vessels.mmsi[number])
        speed = frame.speed_kn[row]
        moving = "" if np.isnan(speed) else f" at {speed:.1f} kn"
        reason = f"Vessel {vessels.label(number)} entered area {self.area.name}{moving}"
        self.open[number] = ctx.open_at(
            frame,
            row,
            number,
            self.name,
            f"{self.area.name}:{mmsi}",
            self.priority,
            reason,
            {**vessels.facts(number), "area": self.area.name},
        )
