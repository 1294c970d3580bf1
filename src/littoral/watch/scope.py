"""Regional scope: where the watch rules apply, and what is counted but never alerted.

A rescue centre of the Caspian acts on the Caspian and its approaches; a feed from an
aggregator or a receiver on the Volga-Don brings traffic from elsewhere that must be kept
(the picture and the store take every valid position) but never alerted. Each position gets
one of four classes:

- ``OUTSIDE``: outside the area of application and the Caspian region. Counted
  (``Engine.stats["outside"]``), never seen by a rule, distress included.
- ``INLAND``: in the Caspian region (:data:`littoral.watch.geoview.REGION`) but on land
  beyond the shore margin. Counted (``stats["inland"]``); only the integrity rule sees it, so
  a ship whose position is spoofed onto land is still reported.
- ``AREA``: inside the area but outside the zones of interest: only distress applies.
- ``WATCHED``: inside the zones of interest (the whole area when none are set): every rule.

The default area is the Caspian with its islands and Kara-Bogaz-Gol, the shore within
``scope.shore_margin_m`` (ports, quays and river mouths lie up to a few km inland of the
GSHHG shore line) and, with ``scope.approaches``, the Volga delta, the lower Volga and
Akhtuba from Astrakhan to Volgograd, and the entrance of the Volga-Don Ship Canal
(Krasnoarmeysk lock 1 to Kalach-na-Donu). That corridor is drawn by hand around the river
valley from OpenStreetMap at about 10 km: approximate. A state sets its zones of interest
with ``scope.states`` (the median-line sectors of :mod:`littoral.geo.zones`) and
``[[zone]]`` polygons. Classes are cached per cell of ``CELL_DEG`` (about 5 km): the shore
margin is 25 km, so a cell's centre answers for the whole cell; zone polygons are tested
exactly.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

from littoral.geo import WaterClass
from littoral.watch.config import ScopeConfig
from littoral.watch.geoview import REGION, STATES, GeoView, classify, shore_distances

FloatArray = npt.NDArray[np.float64]
Classes = npt.NDArray[np.int8]

OUTSIDE = 0
INLAND = 1
AREA = 2
WATCHED = 3

CELL_DEG = 0.05
"""Cell size of the cached area test (about 5 km)."""

VOLGA_APPROACHES: tuple[tuple[float, float], ...] = (
    (47.2, 45.6),
    (49.6, 45.6),
    (49.6, 46.5),
    (48.5, 46.9),
    (47.6, 47.5),
    (46.5, 48.3),
    (45.2, 49.0),
    (44.5, 49.0),
    (43.3, 48.9),
    (43.3, 48.4),
    (44.3, 48.3),
    (45.2, 47.9),
    (46.3, 47.2),
    (47.0, 46.5),
    (47.2, 45.6),
)
"""(lon, lat) ring around the Volga delta, the lower Volga and Akhtuba to Volgograd and the
Volga-Don Ship Canal entrance (Krasnoarmeysk 48.52 N 44.56 E, Kalach-na-Donu 48.69 N
43.53 E): approximate."""

_BOX = (43.0, 36.0, 55.5, 49.5)
"""(west, south, east, north) of the cached grid: the region and the Volga approaches."""


class Scope:
    """Classify positions as outside, in the area, or watched.

    Parameters
    ----------
    config
        The ``[scope]`` settings and zones of interest.
    geo
        The geography (sea, land mask, shore index, zones).
    """

    def __init__(self, config: ScopeConfig, geo: GeoView) -> None:
        self.config = config
        self.geo = geo
        west, south, east, north = _BOX
        self._nx = int(np.ceil((east - west) / CELL_DEG))
        self._ny = int(np.ceil((north - south) / CELL_DEG))
        self._cells = np.full(self._nx * self._ny, -1, dtype=np.int8)
        self._approaches = shapely.Polygon(VOLGA_APPROACHES) if config.approaches else None
        if self._approaches is not None:
            shapely.prepare(self._approaches)
        polygons = [
            shapely.Polygon(rings[0], rings[1:]) for zone in config.zones for rings in zone.polygons
        ]
        self._zones = shapely.MultiPolygon(polygons) if polygons else None
        if self._zones is not None:
            shapely.prepare(self._zones)
        self._states = np.array([STATES.index(s) for s in config.states], dtype=np.int64)
        self.has_zones = self._zones is not None or len(self._states) > 0

    def classify(self, lon: FloatArray, lat: FloatArray) -> Classes:
        """Return ``OUTSIDE``, ``INLAND``, ``AREA`` or ``WATCHED`` for each position."""
        out = np.full(len(lon), WATCHED, dtype=np.int8)
        if not self.config.enabled or not len(lon):
            return out
        cells = self._in_area(lon, lat)
        in_area = cells == WATCHED
        out[~in_area] = cells[~in_area]
        if self.has_zones:
            rows = np.flatnonzero(in_area)
            wanted = np.zeros(len(rows), dtype=bool)
            if self._zones is not None:
                wanted |= shapely.contains_xy(self._zones, lon[rows], lat[rows])
            if len(self._states):
                water = classify(self.geo.sea.mask, lon[rows], lat[rows])
                zone = self.geo.zones(lon[rows], lat[rows], water)
                wanted |= (zone >= 0) & np.isin(zone % 8, self._states)
            out[rows[~wanted]] = AREA
        return out

    def _in_area(self, lon: FloatArray, lat: FloatArray) -> Classes:
        """Return the class of each position's cell: ``OUTSIDE``, ``INLAND`` or ``WATCHED``."""
        west, south, _, _ = _BOX
        finite = np.isfinite(lon) & np.isfinite(lat)
        ix = np.floor((np.where(finite, lon, -999.0) - west) / CELL_DEG)
        iy = np.floor((np.where(finite, lat, -999.0) - south) / CELL_DEG)
        inside = (ix >= 0) & (ix < self._nx) & (iy >= 0) & (iy < self._ny)
        cell = np.where(inside, iy * self._nx + ix, 0).astype(np.int64)
        unknown = inside & (self._cells[cell] < 0)
        if unknown.any():
            self._fill(np.unique(cell[unknown]))
        found: Classes = np.where(inside, self._cells[cell], OUTSIDE).astype(np.int8)
        return found

    def _fill(self, cells: npt.NDArray[np.int64]) -> None:
        west, south, _, _ = _BOX
        cx = (west + (cells % self._nx + 0.5) * CELL_DEG).astype(np.float64)
        cy = (south + (cells // self._nx + 0.5) * CELL_DEG).astype(np.float64)
        rw, rs, re, rn = REGION
        out = np.full(len(cells), OUTSIDE, dtype=np.int8)
        region = (cx >= rw) & (cx < re) & (cy >= rs) & (cy < rn)
        rows = np.flatnonzero(region)
        if len(rows):
            out[rows] = INLAND
            water = classify(self.geo.sea.mask, cx[rows], cy[rows])
            wet = (water == WaterClass.SEA) | (water == WaterClass.KARA_BOGAZ_GOL)
            wet |= water == WaterClass.ISLAND
            out[rows[wet]] = WATCHED
            dry = rows[~wet]
            if len(dry):
                d = shore_distances(self.geo.sea.shore_index, cx[dry], cy[dry])
                out[dry[d <= self.config.shore_margin_m]] = WATCHED
        if self._approaches is not None:
            out[shapely.contains_xy(self._approaches, cx, cy)] = WATCHED
        self._cells[cells] = out
