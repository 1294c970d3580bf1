"""Where each position is, for the rules: water class, distance to ports and fields, zone.

The answers come from :mod:`littoral.geo` in batches. Land and sea use the exact raster test
of :class:`~littoral.geo.CaspianSea` on every point. Distances to the nearest port and the
nearest offshore field are exact great-circle distances to the two candidates nearest to the
centre of the point's grid cell (cells of ``grid_deg``, about 1 km), cached the first time a
cell is used. The zone (state and band) is cached per cell the same way, so it is exact to
within half a cell; the zones are themselves drawn from the GSHHG shore, not from legal
baselines, and are labelled approximate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numba as nb
import numpy as np
import numpy.typing as npt

from littoral.geo import CaspianSea, LandMask, WaterClass, haversine_m, mask_classify, places
from littoral.geo.places import Place

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
BANDS = ("territorial", "fishery", "common")
TERRITORIAL = 0
NO_ZONE = -1
OUTSIDE = -1
"""``water`` code of a point outside the region the watch covers (not judged land or sea)."""

REGION = (45.5, 36.0, 55.0, 48.0)
"""(west, south, east, north) of the region whose points are judged; others are "outside"."""

ZoneLookup = Callable[[FloatArray, FloatArray], IntArray]
"""(lon, lat) arrays -> zone codes ``band * 8 + state index``, ``NO_ZONE`` off the water."""


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
    zone: npt.NDArray[np.int16]


class GeoView:
    """Cached lookups of the Caspian for batches of positions.

    Parameters
    ----------
    zones
        Zone lookup for arrays; ``None`` uses :func:`littoral.geo.zones.zone_at` when present.
    grid_deg
        Cell size of the caches.
    sea
        The sea; defaults to :meth:`CaspianSea.load`.
    """

    def __init__(
        self,
        zones: ZoneLookup | None = None,
        grid_deg: float = 0.01,
        sea: CaspianSea | None = None,
    ) -> None:
        self.sea = sea or CaspianSea.load()
        self.ports = tuple(p for p in places() if p.kind in ("port", "terminal", "naval"))
        self.fields = tuple(places(kind="offshore"))
        self._port_xy = np.array([(p.lon, p.lat) for p in self.ports], dtype=np.float64)
        self._field_xy = np.array([(p.lon, p.lat) for p in self.fields], dtype=np.float64)
        self._zones = zones or default_zones()
        self.grid_deg = grid_deg
        west, south, east, north = REGION
        self._nx = int(np.ceil((east - west) / grid_deg))
        self._ny = int(np.ceil((north - south) / grid_deg))
        size = self._nx * self._ny
        self._known = np.zeros(size, dtype=bool)
        self._ports2 = np.zeros((size, 2), dtype=np.int16)
        self._fields2 = np.zeros((size, 2), dtype=np.int16)
        self._zone = np.full(size, NO_ZONE, dtype=np.int16)

    def facts(self, lon: FloatArray, lat: FloatArray) -> GeoFacts:
        """Return the facts of each point (arrays of equal length)."""
        west, south, _, _ = REGION
        ix = np.floor((lon - west) / self.grid_deg)
        iy = np.floor((lat - south) / self.grid_deg)
        inside = (ix >= 0) & (ix < self._nx) & (iy >= 0) & (iy < self._ny)
        cell = np.where(inside, iy * self._nx + ix, 0).astype(np.int64)
        self._fill(np.unique(cell[inside]))
        water = classify(self.sea.mask, lon, lat)
        water[~inside] = OUTSIDE
        port_m, port = self._nearest(lon, lat, self._port_xy, self._ports2[cell])
        field_m, field = self._nearest(lon, lat, self._field_xy, self._fields2[cell])
        zone = np.where(inside, self._zone[cell], NO_ZONE).astype(np.int16)
        return GeoFacts(water, port_m, port, field_m, field, zone)

    def on_land(self, lon: FloatArray, lat: FloatArray, water: npt.NDArray[np.int8]) -> FloatArray:
        """Return how far inland each point is, metres on WGS 84 (0 where not on land)."""
        out = np.zeros(len(lon))
        land = (water == WaterClass.LAND) | (water == WaterClass.ISLAND)
        if land.any():
            out[land] = self.sea.distance_to_shore_m(lon[land], lat[land])
        return out

    def _nearest(
        self, lon: FloatArray, lat: FloatArray, xy: FloatArray, two: npt.NDArray[np.int16]
    ) -> tuple[FloatArray, IntArray]:
        if len(xy) == 0:
            return np.full(len(lon), np.inf), np.zeros(len(lon), np.int64)
        a = two[:, 0].astype(np.int64)
        b = two[:, 1].astype(np.int64)
        da = haversine_m(lon, lat, xy[a, 0], xy[a, 1])
        db = haversine_m(lon, lat, xy[b, 0], xy[b, 1])
        near_b = db < da
        return np.where(near_b, db, da), np.where(near_b, b, a)

    def _fill(self, cells: IntArray) -> None:
        cells = cells[~self._known[cells]]
        if not len(cells):
            return
        west, south, _, _ = REGION
        cx = (west + (cells % self._nx + 0.5) * self.grid_deg).astype(np.float64)
        cy = (south + (cells // self._nx + 0.5) * self.grid_deg).astype(np.float64)
        for xy, out in ((self._port_xy, self._ports2), (self._field_xy, self._fields2)):
            if len(xy):
                d = haversine_m(cx[:, None], cy[:, None], xy[None, :, 0], xy[None, :, 1])
                order = np.argsort(d, axis=1)[:, :2]
                out[cells, 0] = order[:, 0]
                out[cells, 1] = order[:, -1]
        self._zone[cells] = self._zones(cx, cy)
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


def default_zones() -> ZoneLookup:
    """Return the zone lookup of :mod:`littoral.geo.zones` (no zones where it is absent)."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("littoral.geo.zones") is None:
        return _no_zones
    zones = importlib.import_module("littoral.geo.zones")

    def lookup(lon: FloatArray, lat: FloatArray) -> IntArray:
        out = np.full(len(lon), NO_ZONE, dtype=np.int64)
        for i, (x, y) in enumerate(zip(lon.tolist(), lat.tolist(), strict=True)):
            zone = zones.zone_at(x, y)
            if zone is not None:
                out[i] = zone_code(str(zone.state), str(zone.band).lower())
        return out

    return lookup


def _no_zones(lon: FloatArray, lat: FloatArray) -> IntArray:
    return np.full(len(lon), NO_ZONE, dtype=np.int64)
