"""``CaspianSea``: the water polygon with its islands and Kara-Bogaz-Gol, and fast point tests.

Built once per process from the shipped GSHHG-derived polygon (see :mod:`littoral.geo.polygon`
and ``data/NOTICE.md``). Point tests run on the lookup raster of :mod:`littoral.geo.mask` and
give the same answers as an exact polygon test (``shapely.contains_xy``).

The line is GSHHG (from CIA World Data Bank II, 1970s): it is not a legal baseline, ports lie
0-3.5 km from it, and the northern shore is out of date since the sea level fell to about
-29 m (Baltic system).
"""

from __future__ import annotations

import threading
from functools import cache

import numpy as np
import numpy.typing as npt
import shapely

from littoral.geo import mask as _mask
from littoral.geo.mask import LandMask
from littoral.geo.polygon import Rings, load_rings
from littoral.geo.shore import (
    ShoreIndex,
    brute_force_index,
    build_shore_index,
    shore_distances_m,
    shore_nearest_many,
)
from littoral.geo.water import WaterClass

ArrayLike = npt.ArrayLike
_BRUTE_FORCE_BELOW = 2000  # fewer points than this: skip building the index


def _flat(lon: ArrayLike, lat: ArrayLike) -> tuple[npt.NDArray[np.float64], ...]:
    x, y = np.broadcast_arrays(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return np.ascontiguousarray(x).ravel(), np.ascontiguousarray(y).ravel(), np.asarray(x.shape)


class CaspianSea:
    """The Caspian Sea: polygons, and vectorised point tests on (lon, lat) degree arrays.

    Use :meth:`load`; it builds the object once per process and returns the same one after.

    Attributes
    ----------
    rings : Rings
        The shipped rings.
    mask : LandMask
        The lookup raster, for compiled kernels (:mod:`littoral.geo.mask`).
    polygon : shapely.Polygon
        The sea: without Kara-Bogaz-Gol, islands as holes.
    kara_bogaz_gol : shapely.Polygon
        The Kara-Bogaz-Gol lagoon, cut from the sea at its strait, its island as a hole.
    islands : shapely.MultiPolygon
        The islands of the sea and of Kara-Bogaz-Gol.
    water : shapely.Polygon
        Sea and Kara-Bogaz-Gol together, islands as holes.
    shore : shapely.MultiLineString
        The shore: the outer boundary of ``water`` and every island (the strait cut is not
        shore).
    bbox : tuple of float
        (west, south, east, north) of the sea, degrees.
    """

    def __init__(self, rings: Rings, mask: LandMask) -> None:
        self.rings = rings
        self.mask = mask
        self.polygon = shapely.Polygon(rings.sea_exterior, rings.sea_islands)
        self.kara_bogaz_gol = shapely.Polygon(rings.kbg_exterior, rings.kbg_islands)
        self.islands = shapely.MultiPolygon(
            [shapely.Polygon(r) for r in rings.sea_islands + rings.kbg_islands]
        )
        self.water = shapely.Polygon(
            shapely.union(
                shapely.Polygon(rings.sea_exterior), shapely.Polygon(rings.kbg_exterior)
            ).exterior,
            rings.sea_islands + rings.kbg_islands,
        )
        self.shore = shapely.MultiLineString(
            [
                self.water.exterior.coords[:],
                *(np.vstack([r, r[:1]]) for r in rings.sea_islands + rings.kbg_islands),
            ]
        )
        west, south, east, north = self.polygon.bounds
        self.bbox: tuple[float, float, float, float] = (west, south, east, north)
        self._shore_index: ShoreIndex | None = None
        self._brute_index: ShoreIndex | None = None
        self._lock = threading.Lock()

    @property
    def shore_index(self) -> ShoreIndex:
        """The shore distance index (built on first use, about a second), for compiled kernels.

        ``littoral.geo.shore.shore_distance_m(index, lon, lat)`` is callable from ``@njit`` code.
        """
        with self._lock:
            if self._shore_index is None:
                self._shore_index = build_shore_index(self.mask)
            return self._shore_index

    @classmethod
    def load(cls) -> CaspianSea:
        """Return the Caspian, built on first call (tens of milliseconds) and shared afterwards."""
        return _load()

    def classify(self, lon: ArrayLike, lat: ArrayLike) -> npt.NDArray[np.int8]:
        """``WaterClass`` codes (int8) at the points; NaN and far points are LAND.

        Examples
        --------
        >>> sea = CaspianSea.load()
        >>> WaterClass(sea.classify(51.0, 42.0))
        <WaterClass.SEA: 1>
        """
        x, y, shape = _flat(lon, lat)
        return _mask.classify_points(self.mask, x, y).reshape(shape)

    def contains(self, lon: ArrayLike, lat: ArrayLike) -> npt.NDArray[np.bool_]:
        """Tell where points are in the sea (not on an island, not in Kara-Bogaz-Gol)."""
        x, y, shape = _flat(lon, lat)
        return _mask.points_in_class(self.mask, x, y, int(WaterClass.SEA)).reshape(shape)

    def distance_to_shore_m(self, lon: ArrayLike, lat: ArrayLike) -> npt.NDArray[np.float64]:
        """Return the distance in metres on WGS 84 from each point to the nearest shore.

        Shore is the outer boundary of the water (sea and Kara-Bogaz-Gol) and every island;
        the strait cut is not shore. Points on land get their distance to the shore too.
        NaN positions give NaN. Within 0.01 % (and 1 m) of the geodesic distance; see
        :mod:`littoral.geo.shore`.

        Examples
        --------
        >>> sea = CaspianSea.load()
        >>> 290 < float(sea.distance_to_shore_m(49.85453, 40.34008)) < 310
        True
        """
        x, y, shape = _flat(lon, lat)
        return shore_distances_m(self._index_for(x.size), x, y).reshape(shape)

    def nearest_shore_edge(
        self, lon: ArrayLike, lat: ArrayLike
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """Return the distance to shore (m) and the number of the nearest shore edge.

        Edge numbers index ``shore_index.edge``: the land mask's edges where
        ``mask.eshore`` is true, ring after ring in the order of ``rings``; -1 for NaN.
        """
        x, y, shape = _flat(lon, lat)
        dist, edge = shore_nearest_many(self._index_for(x.size), x, y)
        return dist.reshape(shape), edge.reshape(shape)

    def _index_for(self, n: int) -> ShoreIndex:
        if n < _BRUTE_FORCE_BELOW and self._shore_index is None:
            with self._lock:
                if self._brute_index is None:
                    self._brute_index = brute_force_index(self.mask)
                return self._brute_index
        return self.shore_index

    def contains_water(self, lon: ArrayLike, lat: ArrayLike) -> npt.NDArray[np.bool_]:
        """Tell where points are in the sea or in Kara-Bogaz-Gol."""
        c = self.classify(lon, lat)
        out: npt.NDArray[np.bool_] = (c == WaterClass.SEA) | (c == WaterClass.KARA_BOGAZ_GOL)
        return out


@cache
def _load() -> CaspianSea:
    rings = load_rings()
    return CaspianSea(rings, _mask.build_mask(rings))
