"""Where each position is, for the rules: water class, distance to ports and fields, zone.

The answers come from :mod:`littoral.geo` in batches. Land and sea use the exact raster test
of :class:`~littoral.geo.CaspianSea` on every point. Distances to the nearest port and the
nearest offshore field are exact great-circle distances to the two candidates nearest to the
centre of the point's grid cell (cells of ``grid_deg``, about 1 km), cached the first time a
cell is used. The zone (sector state and band) is cached per cell the same way, with the
cell centre's distance to shore; a point whose cell centre lies within a kilometre of a band
limit (15 or 25 NM from shore) gets its own distance to shore, so bands are exact, and a
water point in a cell whose centre is on land asks :func:`littoral.geo.zones.zone_at`
itself. The zones are drawn from the GSHHG shore, not from legal baselines: approximate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numba as nb
import numpy as np
import numpy.typing as npt

from littoral.geo import CaspianSea, LandMask, WaterClass, haversine_m, mask_classify, places
from littoral.geo.places import Place
from littoral.geo.shore import ShoreIndex, shore_distance_m

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

STATES = ("AZ", "IR", "KZ", "RU", "TM")
STATE_NAMES = {
    "AZ": "Azerbaijan",
    "IR": "Iran",
    "KZ": "Kazakhstan",
    "RU": "Russia",
    "TM": "Turkmenistan",
}
BANDS = ("territorial", "fishery", "common", "internal")
TERRITORIAL = 0
INTERNAL = 3
NO_ZONE = -1
OUTSIDE = -1
"""``water`` code of a point outside the region the watch covers (not judged land or sea)."""

REGION = (45.5, 36.0, 55.0, 48.0)
"""(west, south, east, north) of the region whose points are judged; others are "outside"."""

ZoneLookup = Callable[[FloatArray, FloatArray], tuple[IntArray, FloatArray]]
"""(lon, lat) arrays -> (zone codes ``band * 8 + state index``, ``NO_ZONE`` off the water;
distances to shore in metres)."""
BAND_LIMITS_M = (15 * 1852.0, 25 * 1852.0)
"""Outer limits of the territorial and fishery bands (2018 Convention, art. 7 and 9)."""
EXACT_WITHIN_M = 21_000.0
"""Distances to ports and fields are exact within this of one (beyond every threshold plus a
cell); farther away the distance from the cell centre stands (within 800 m)."""
_UNSURE_M = 1000.0
"""More than half the diagonal of a 0.01-degree cell."""


def zone_code(state: str, band: str) -> int:
    """Return the zone code of a state and band."""
    return BANDS.index(band) * 8 + STATES.index(state)


def zone_words(code: int) -> tuple[str, str]:
    """Return (state name, band) of a zone code, e.g. ("Azerbaijan", "territorial")."""
    return STATE_NAMES[STATES[code % 8]], BANDS[code // 8]


def short_name(place: Place) -> str:
    """Return a place name without its notes: "Baku Bay (old port...)" -> "Baku Bay"."""
    return place.name.split(" (")[0].split(",")[0].strip()


@dataclass(slots=True)
class GeoFacts:
    """Per-point answers, aligned with the queried arrays."""

    water: npt.NDArray[np.int8]
    """``WaterClass`` code, or ``OUTSIDE``."""
    port_m: FloatArray
    port: IntArray
    """Index into :attr:`GeoView.ports`."""
    field_m: FloatArray
    field: IntArray
    """Index into :attr:`GeoView.fields`."""


class GeoView:
    """Cached lookups of the Caspian for batches of positions.

    Parameters
    ----------
    grid_deg
        Cell size of the caches.
    sea
        The sea; defaults to :meth:`CaspianSea.load`.
    """

    def __init__(self, grid_deg: float = 0.01, sea: CaspianSea | None = None) -> None:
        self.sea = sea or CaspianSea.load()
        self.ports = tuple(p for p in places() if p.kind in ("port", "terminal", "naval"))
        self.fields = tuple(places(kind="offshore"))
        self._port_xy = np.array([(p.lon, p.lat) for p in self.ports], dtype=np.float64)
        self._field_xy = np.array([(p.lon, p.lat) for p in self.fields], dtype=np.float64)
        self.grid_deg = grid_deg
        west, south, east, north = REGION
        self._nx = int(np.ceil((east - west) / grid_deg))
        self._ny = int(np.ceil((north - south) / grid_deg))
        size = self._nx * self._ny
        self._known = np.zeros(size, dtype=bool)
        self._ports2 = np.zeros((size, 2), dtype=np.int16)
        self._fields2 = np.zeros((size, 2), dtype=np.int16)
        self._port_c = np.zeros(size)
        self._field_c = np.zeros(size)
        self._zones = _zone_table(grid_deg)

    def facts(self, lon: FloatArray, lat: FloatArray) -> GeoFacts:
        """Return the facts of each point (arrays of equal length)."""
        west, south, _, _ = REGION
        ix = np.floor((lon - west) / self.grid_deg)
        iy = np.floor((lat - south) / self.grid_deg)
        inside = (ix >= 0) & (ix < self._nx) & (iy >= 0) & (iy < self._ny)
        cell = np.where(inside, iy * self._nx + ix, 0).astype(np.int64)
        unknown = ~self._known[cell] & inside
        if unknown.any():
            self._fill(np.unique(cell[unknown]))
        water = classify(self.sea.mask, lon, lat)
        water[~inside] = OUTSIDE
        port_m, port = self._nearest(lon, lat, self._port_xy, self._ports2, self._port_c, cell)
        field_m, field = self._nearest(lon, lat, self._field_xy, self._fields2, self._field_c, cell)
        return GeoFacts(water, port_m, port, field_m, field)

    def _cells(self, lon: FloatArray, lat: FloatArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        west, south, _, _ = REGION
        ix = np.floor((lon - west) / self.grid_deg)
        iy = np.floor((lat - south) / self.grid_deg)
        inside = (ix >= 0) & (ix < self._nx) & (iy >= 0) & (iy < self._ny)
        return np.where(inside, iy * self._nx + ix, 0).astype(np.int64), inside

    def zones(
        self, lon: FloatArray, lat: FloatArray, water: npt.NDArray[np.int8]
    ) -> npt.NDArray[np.int16]:
        """Return the zone code of each point (``NO_ZONE`` on land and outside the region)."""
        cell, inside = self._cells(lon, lat)
        table = self._zones
        table.fill(np.unique(cell[inside]))
        zone = np.where(inside, table.zone[cell], NO_ZONE).astype(np.int16)
        wet = inside & ((water == WaterClass.SEA) | (water == WaterClass.KARA_BOGAZ_GOL))
        zone[~wet] = NO_ZONE
        centre = table.shore_m[cell]
        unsure = wet & (zone != NO_ZONE) & (zone // 8 < 3)
        unsure &= (np.abs(centre - BAND_LIMITS_M[0]) < _UNSURE_M) | (
            np.abs(centre - BAND_LIMITS_M[1]) < _UNSURE_M
        )
        if unsure.any():
            d = shore_distances(self.sea.shore_index, lon[unsure], lat[unsure])
            band = np.where(d <= BAND_LIMITS_M[0], 0, np.where(d <= BAND_LIMITS_M[1], 1, 2))
            zone[unsure] = band * 8 + zone[unsure] % 8
        orphan = wet & (zone == NO_ZONE)
        if orphan.any():
            zone[orphan], _ = table.lookup(lon[orphan], lat[orphan])
        return zone

    def on_land(self, lon: FloatArray, lat: FloatArray, water: npt.NDArray[np.int8]) -> FloatArray:
        """Return how far inland each point is, metres on WGS 84 (0 where not on land)."""
        out = np.zeros(len(lon))
        land = (water == WaterClass.LAND) | (water == WaterClass.ISLAND)
        if land.any():
            out[land] = shore_distances(self.sea.shore_index, lon[land], lat[land])
        return out

    def _nearest(
        self,
        lon: FloatArray,
        lat: FloatArray,
        xy: FloatArray,
        two: npt.NDArray[np.int16],
        centre_m: FloatArray,
        cell: IntArray,
    ) -> tuple[FloatArray, IntArray]:
        if len(xy) == 0:
            return np.full(len(lon), np.inf), np.zeros(len(lon), np.int64)
        dist = centre_m[cell]
        index = two[cell, 0].astype(np.int64)
        # every threshold of the rules is 20 km or less: far from all places the cell's figure
        # is as good as the exact one; near one, measure
        near = np.flatnonzero(dist < EXACT_WITHIN_M)
        if len(near):
            a = index[near]
            b = two[cell[near], 1].astype(np.int64)
            da = haversine_m(lon[near], lat[near], xy[a, 0], xy[a, 1])
            db = haversine_m(lon[near], lat[near], xy[b, 0], xy[b, 1])
            near_b = db < da
            dist[near] = np.where(near_b, db, da)
            index[near] = np.where(near_b, b, a)
        return dist, index

    def _fill(self, cells: IntArray) -> None:
        cells = cells[~self._known[cells]]
        if not len(cells):
            return
        west, south, _, _ = REGION
        cx = (west + (cells % self._nx + 0.5) * self.grid_deg).astype(np.float64)
        cy = (south + (cells // self._nx + 0.5) * self.grid_deg).astype(np.float64)
        for xy, out, centre in (
            (self._port_xy, self._ports2, self._port_c),
            (self._field_xy, self._fields2, self._field_c),
        ):
            if len(xy):
                d = haversine_m(cx[:, None], cy[:, None], xy[None, :, 0], xy[None, :, 1])
                order = np.argsort(d, axis=1)[:, :2]
                out[cells, 0] = order[:, 0]
                out[cells, 1] = order[:, -1]
                centre[cells] = d[np.arange(len(cells)), order[:, 0]]
        self._known[cells] = True


@nb.njit(cache=True)
def classify(mask: LandMask, lon: FloatArray, lat: FloatArray) -> npt.NDArray[np.int8]:
    """Return the ``WaterClass`` codes of points, serially.

    Batches here are small; a thread pool costs more than it saves on them.
    """
    out = np.empty(lon.shape[0], dtype=np.int8)
    for i in range(lon.shape[0]):
        out[i] = mask_classify(mask, lon[i], lat[i])
    return out


@nb.njit(cache=True)
def shore_distances(index: ShoreIndex, lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Return the distances to shore of points, metres on WGS 84, serially."""
    out = np.empty(lon.shape[0])
    for i in range(lon.shape[0]):
        out[i] = shore_distance_m(index, lon[i], lat[i])
    return out


class _ZoneTable:
    """Zone code and distance to shore of every cell centre, filled a block at a time.

    Zones never change, so one table serves every engine of the process; a block of 64 x 64
    cells is filled in one call of the zone lookup the first time one of its cells is asked.
    """

    BLOCK = 64

    def __init__(self, grid_deg: float) -> None:
        west, south, east, north = REGION
        self.grid_deg = grid_deg
        self.nx = int(np.ceil((east - west) / grid_deg))
        self.ny = int(np.ceil((north - south) / grid_deg))
        self.zone = np.full(self.nx * self.ny, NO_ZONE, dtype=np.int16)
        self.shore_m = np.zeros(self.nx * self.ny)
        self.bnx = -(-self.nx // self.BLOCK)
        self.known = np.zeros(self.bnx * -(-self.ny // self.BLOCK), dtype=bool)
        self.lookup = default_zones()

    def fill(self, cells: IntArray) -> None:
        b = self.BLOCK
        blocks = np.unique((cells // self.nx) // b * self.bnx + (cells % self.nx) // b)
        for block in blocks[~self.known[blocks]].tolist():
            by, bx = divmod(block, self.bnx)
            ix = np.arange(bx * b, min((bx + 1) * b, self.nx))
            iy = np.arange(by * b, min((by + 1) * b, self.ny))
            gx, gy = np.meshgrid(ix, iy)
            cell = (gy * self.nx + gx).ravel()
            west, south, _, _ = REGION
            cx = west + (gx.ravel() + 0.5) * self.grid_deg
            cy = south + (gy.ravel() + 0.5) * self.grid_deg
            self.zone[cell], self.shore_m[cell] = self.lookup(cx, cy)
            self.known[block] = True


@cache
def _zone_table(grid_deg: float) -> _ZoneTable:
    return _ZoneTable(grid_deg)


def default_zones() -> ZoneLookup:
    """Return the zone lookup of :mod:`littoral.geo.zones` (no zones where it is absent)."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("littoral.geo.zones") is None:
        return _no_zones
    zones = importlib.import_module("littoral.geo.zones")
    # littoral.geo.zones.Band: TERRITORIAL 1, FISHERY 2, COMMON 3, INTERNAL 4 (0 not water)
    band_index = np.array([NO_ZONE, 0, 1, 2, 3], dtype=np.int64)

    def lookup(lon: FloatArray, lat: FloatArray) -> tuple[IntArray, FloatArray]:
        answer = zones.zone_at(lon, lat)
        band = np.asarray(answer.band, dtype=np.int64)
        state = np.asarray(answer.state)
        out = np.full(len(lon), NO_ZONE, dtype=np.int64)
        for k, code in enumerate(STATES):
            here = (state == code) & (band > 0) & (band < len(band_index))
            out[here] = band_index[band[here]] * 8 + k
        return out, np.asarray(answer.distance_to_shore_m, dtype=np.float64)

    return lookup


def _no_zones(lon: FloatArray, lat: FloatArray) -> tuple[IntArray, FloatArray]:
    return np.full(len(lon), NO_ZONE, dtype=np.int64), np.full(len(lon), np.nan)
