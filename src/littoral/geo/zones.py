"""States and their waters: median-line sectors and 15 + 10 NM bands, all approximate.

The 2018 Convention on the Legal Status of the Caspian Sea (Aktau, 12 August 2018) gives each
Party territorial waters up to 15 NM from its baselines and a 10 NM fishery zone beyond; the
rest is common maritime space. The baselines are left to a later agreement and the seabed is
divided by neighbours' agreements, so everything here is an **approximation** drawn from the
GSHHG shore line, which is not a legal baseline:

- Each stretch of shore belongs to a state. The stretches are cut at the coastal end points of
  the five land borders (``data/land_borders.csv``, each with its source and confidence),
  snapped to the nearest vertex of the sea's outer ring. Islands belong to the state of the
  nearest mainland shore; Kara-Bogaz-Gol and its shore are Turkmen.
- **Sector** (median-line partition): a water point belongs to the state of the nearest shore
  edge, i.e. the equidistance principle (Convention on the Continental Shelf 1958, art. 6;
  UNCLOS art. 15) applied to this shore line without any modification.
- **Band**: within its sector, a point up to 15 NM from the shore is TERRITORIAL, up to 25 NM
  FISHERY, beyond that COMMON. Kara-Bogaz-Gol is INTERNAL (Turkmen).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from importlib import resources
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError
from littoral.geo.distance import haversine_m
from littoral.geo.sea import CaspianSea
from littoral.geo.water import RING_KBG_EXTERIOR, RING_SEA_EXTERIOR, WaterClass
from littoral.units import M_PER_NM

STATES: tuple[str, ...] = ("AZ", "IR", "KZ", "RU", "TM")
"""The five littoral states (ISO 3166 alpha-2), in the order of the state numbers used here."""
TERRITORIAL_NM = 15.0
FISHERY_NM = 10.0


class Band(IntEnum):
    """Which band of a state's waters a point is in (approximate, see the module notes)."""

    NOT_WATER = 0
    TERRITORIAL = 1
    FISHERY = 2
    COMMON = 3
    INTERNAL = 4


@dataclass(frozen=True)
class LandBorder:
    """The coastal end point of a land border, as given and as snapped to the shore line.

    Attributes
    ----------
    name : str
        "RU-KZ" etc.
    states : tuple of str
        The two states.
    lon, lat : float
        The end point as the source gives it, degrees.
    confidence, source : str
        How well it is known and where from.
    shore_vertex : int
        The vertex of the sea's outer ring it is snapped to.
    shore_lon, shore_lat : float
        That vertex.
    snap_m : float
        Distance from the given point to the vertex.
    """

    name: str
    states: tuple[str, str]
    lon: float
    lat: float
    confidence: str
    source: str
    shore_vertex: int
    shore_lon: float
    shore_lat: float
    snap_m: float


class Zones(NamedTuple):
    """Answer of :func:`zone_at`, arrays shaped like the input.

    Attributes
    ----------
    state : ndarray of str
        State of the sector ("AZ", "IR", "KZ", "RU", "TM"), "" where not water.
    band : ndarray of int8
        :class:`Band` codes.
    distance_to_shore_m : ndarray of float64
        Distance to the nearest shore (which is the sector state's shore).
    """

    state: npt.NDArray[np.str_]
    band: npt.NDArray[np.int8]
    distance_to_shore_m: npt.NDArray[np.float64]


def _read_borders() -> list[dict[str, str]]:
    ref = resources.files("littoral.geo") / "data" / "land_borders.csv"
    with ref.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


class ZoneMap:
    """The states' shore stretches and the zone lookup built on them; use :func:`zone_map`."""

    def __init__(self, sea: CaspianSea) -> None:
        self.sea = sea
        rings = sea.rings
        exterior = rings.sea_exterior
        borders = []
        for row in _read_borders():
            lon, lat = float(row["lon"]), float(row["lat"])
            d = haversine_m(lon, lat, exterior[:, 0], exterior[:, 1])
            v = int(np.argmin(d))
            a, b = row["state_a"], row["state_b"]
            if a not in STATES or b not in STATES:
                raise InputError(f"land border {row['border']!r}: unknown state {a!r} or {b!r}")
            borders.append(
                LandBorder(
                    name=row["border"],
                    states=(a, b),
                    lon=lon,
                    lat=lat,
                    confidence=row["confidence"],
                    source=row["source"],
                    shore_vertex=v,
                    shore_lon=float(exterior[v, 0]),
                    shore_lat=float(exterior[v, 1]),
                    snap_m=float(d[v]),
                )
            )
        self.borders: tuple[LandBorder, ...] = tuple(sorted(borders, key=lambda b: b.shore_vertex))
        self.vertex_state = self._exterior_states(len(exterior))
        self.edge_state = self._edge_states()

    def _exterior_states(self, n: int) -> npt.NDArray[np.int8]:
        """State number of each edge of the sea's outer ring (edge v runs from vertex v)."""
        out = np.full(n, -1, dtype=np.int8)
        k = len(self.borders)
        for i in range(k):
            here, nxt = self.borders[i], self.borders[(i + 1) % k]
            common = set(here.states) & set(nxt.states)
            if len(common) != 1:
                raise InputError(
                    f"land borders {here.name} and {nxt.name} are neighbours along the shore "
                    "but share no single state"
                )
            state = STATES.index(common.pop())
            lo, hi = here.shore_vertex, nxt.shore_vertex
            if hi > lo:
                out[lo:hi] = state
            else:  # the stretch that wraps past the ring's first vertex
                out[lo:] = state
                out[:hi] = state
        return out

    def _edge_states(self) -> npt.NDArray[np.int8]:
        """State number of each shore edge of ``sea.shore_index`` (the mask's shore edges)."""
        rings = self.sea.rings
        exterior = rings.sea_exterior
        parts = []
        tm = STATES.index("TM")
        for k in range(len(rings.kinds)):
            ring = rings.ring(k)
            kind = int(rings.kinds[k])
            if kind == RING_SEA_EXTERIOR:
                parts.append(self.vertex_state)
            elif kind == RING_KBG_EXTERIOR:
                parts.append(np.full(len(ring), tm, dtype=np.int8))
            else:  # an island: the state of the nearest mainland shore
                d = haversine_m(ring[0, 0], ring[0, 1], exterior[:, 0], exterior[:, 1])
                parts.append(np.full(len(ring), self.vertex_state[int(np.argmin(d))]))
        per_mask_edge = np.concatenate(parts)
        return np.ascontiguousarray(per_mask_edge[self.sea.mask.eshore])

    def zone_at(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> Zones:
        """Return the sector state, band and distance to shore of each point.

        Examples
        --------
        >>> z = zone_map().zone_at(49.95, 40.30)   # off Baku
        >>> str(z.state), Band(z.band).name
        ('AZ', 'TERRITORIAL')
        """
        x, y = np.broadcast_arrays(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        shape = x.shape
        x, y = np.ascontiguousarray(x).ravel(), np.ascontiguousarray(y).ravel()
        cls = self.sea.classify(x, y)
        dist, edge = self.sea.nearest_shore_edge(x, y)
        sea = cls == WaterClass.SEA
        kbg = cls == WaterClass.KARA_BOGAZ_GOL
        state_no = np.where(edge >= 0, self.edge_state[np.maximum(edge, 0)], len(STATES))
        state_no = np.where(kbg, STATES.index("TM"), np.where(sea, state_no, len(STATES)))
        band = np.full(x.shape, Band.NOT_WATER, dtype=np.int8)
        territorial_m = TERRITORIAL_NM * M_PER_NM
        fishery_m = (TERRITORIAL_NM + FISHERY_NM) * M_PER_NM
        band[sea] = Band.COMMON
        band[sea & (dist <= fishery_m)] = Band.FISHERY
        band[sea & (dist <= territorial_m)] = Band.TERRITORIAL
        band[kbg] = Band.INTERNAL
        names = np.array([*STATES, ""])
        return Zones(
            state=names[state_no].reshape(shape),
            band=band.reshape(shape),
            distance_to_shore_m=dist.reshape(shape),
        )

    def median_line(
        self, state_a: str, state_b: str, step_deg: float = 0.02, tol_deg: float = 1e-5
    ) -> npt.NDArray[np.float64]:
        """Points (lon, lat) on the computed median line between two states' sectors.

        A grid of ``step_deg`` over the sea is classified; wherever two neighbouring grid
        points fall in the two sectors, the segment between them is bisected down to
        ``tol_deg``. Returns an (n, 2) array, north to south.

        Raises
        ------
        InputError
            For an unknown state code.
        """
        for s in (state_a, state_b):
            if s not in STATES:
                raise InputError(f"state={s!r} is not one of {', '.join(STATES)}")
        west, south, east, north = self.sea.bbox
        lons = np.arange(west, east, step_deg)
        lats = np.arange(south, north, step_deg)
        gx, gy = np.meshgrid(lons, lats)
        st = self.zone_at(gx, gy).state
        p0: list[npt.NDArray[np.float64]] = []
        p1: list[npt.NDArray[np.float64]] = []
        for a_sl, b_sl in (
            ((slice(None), slice(None, -1)), (slice(None), slice(1, None))),
            ((slice(None, -1), slice(None)), (slice(1, None), slice(None))),
        ):
            sa, sb = st[a_sl], st[b_sl]
            hit = ((sa == state_a) & (sb == state_b)) | ((sa == state_b) & (sb == state_a))
            first_is_a = (sa == state_a)[hit]
            xa, ya, xb, yb = gx[a_sl][hit], gy[a_sl][hit], gx[b_sl][hit], gy[b_sl][hit]
            p0.append(np.column_stack([np.where(first_is_a, xa, xb), np.where(first_is_a, ya, yb)]))
            p1.append(np.column_stack([np.where(first_is_a, xb, xa), np.where(first_is_a, yb, ya)]))
        lo, hi = np.concatenate(p0), np.concatenate(p1)  # lo in sector a, hi in sector b
        while len(lo) and np.max(np.abs(hi - lo)) > tol_deg:
            mid = (lo + hi) / 2.0
            in_a = self.zone_at(mid[:, 0], mid[:, 1]).state == state_a
            lo = np.where(in_a[:, None], mid, lo)
            hi = np.where(in_a[:, None], hi, mid)
        points = (lo + hi) / 2.0
        return points[np.argsort(-points[:, 1])]


@cache
def zone_map() -> ZoneMap:
    """Return the zone map of the Caspian, built on first call and shared afterwards."""
    return ZoneMap(CaspianSea.load())


def zone_at(lon: npt.ArrayLike, lat: npt.ArrayLike) -> Zones:
    """Return the sector state, band and distance to shore of each point (see :class:`Zones`)."""
    return zone_map().zone_at(lon, lat)


def line_distances_m(
    points: npt.ArrayLike, line: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Distances between a cloud of points on one line and the vertices of another line.

    Parameters
    ----------
    points : array_like, shape (n, 2)
        (lon, lat) points on the first line (e.g. :meth:`ZoneMap.median_line`).
    line : array_like, shape (m, 2)
        (lon, lat) vertices of the second line, in order (e.g. agreed turning points).

    Returns
    -------
    (from_points, from_line) : tuple of ndarray
        Metres from each point to the polyline ``line``, and from each vertex of ``line`` to
        the nearest point of the cloud; measured in an azimuthal equidistant projection (WGS
        84) centred on the line.
    """
    import shapely
    from pyproj import CRS, Transformer

    pts = np.asarray(points, dtype=np.float64)
    ln = np.asarray(line, dtype=np.float64)
    lon0, lat0 = ln.mean(axis=0)
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +ellps=WGS84")
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    px, py = fwd.transform(pts[:, 0], pts[:, 1])
    lx, ly = fwd.transform(ln[:, 0], ln[:, 1])
    polyline = shapely.LineString(np.column_stack([lx, ly]))
    from_points = shapely.distance(shapely.points(px, py), polyline)
    cloud = shapely.MultiPoint(np.column_stack([px, py]))
    from_line = shapely.distance(shapely.points(lx, ly), cloud)
    return np.asarray(from_points, dtype=np.float64), np.asarray(from_line, dtype=np.float64)
