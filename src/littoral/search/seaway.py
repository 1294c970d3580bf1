"""Water-only geometry for plans: areas clipped to the sea, legs cut at the coast.

Routes go round land. The sea is the Caspian polygon of :mod:`littoral.geo` (GSHHG),
projected to the plan's equal-area plane (NM) over a window round the search and the units'
bases. Units keep
``SAFETY_NM`` off the shore: patterns and routes use the sea eroded by that distance
(the "navigable" water). The shortest water path between two points is found on a
visibility graph (Lozano-Pérez and Wesley 1979, "An algorithm for planning collision-free
paths among polyhedral obstacles", *CACM* 22): the nodes are the vertices of the simplified
navigable polygon, an edge joins two nodes whose segment stays on water, and Dijkstra's
algorithm (scipy) finds the path. On open water (a grid without land) every straight line is
a water path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from littoral.search.frame import FloatArray, GridFrame

SAFETY_NM = 0.1
"""Distance units keep from the shore line (GSHHG is good to a few hundred metres)."""
SIMPLIFY_NM = 0.3
"""Tolerance of the coast simplification for routing (the routes keep ``SAFETY_NM`` off)."""
WINDOW_MARGIN_NM = 40.0
"""Margin of coast loaded round the search and the bases, for routes that go round a cape."""


@dataclass
class Seaway:
    """The sea of one plan in its plane; ``None`` polygons mean open water.

    Attributes
    ----------
    frame:
        The plan's grid frame (its plane).
    water:
        The sea in the window (plane NM), or ``None`` for open water.
    navigable:
        The sea kept ``SAFETY_NM`` off the shore, or ``None``.
    """

    frame: GridFrame
    water: Any = None
    navigable: Any = None
    _nodes: FloatArray = field(default_factory=lambda: np.zeros((0, 2)), repr=False)
    _graph: Any = field(default=None, repr=False)
    _local_water: Any = field(default=None, repr=False)
    _raster: Any = field(default=None, repr=False)
    _routes: dict[tuple[float, float, float, float], FloatArray | None] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def open_sea(cls, frame: GridFrame) -> Seaway:
        """Open water: no land anywhere."""
        return cls(frame)

    @classmethod
    def caspian(cls, frame: GridFrame, lon: FloatArray, lat: FloatArray) -> Seaway:
        """Load the Caspian round the frame and the points ``(lon, lat)`` (the units' bases)."""
        import shapely

        from littoral.geo import CaspianSea

        xs = np.concatenate([[frame.x0_nm, frame.x0_nm + frame.nx * frame.cell_nm]])
        ys = np.concatenate([[frame.y0_nm, frame.y0_nm + frame.ny * frame.cell_nm]])
        bx, by = frame.to_xy_nm(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        x0 = float(min(xs.min(), bx.min(initial=np.inf))) - WINDOW_MARGIN_NM
        x1 = float(max(xs.max(), bx.max(initial=-np.inf))) + WINDOW_MARGIN_NM
        y0 = float(min(ys.min(), by.min(initial=np.inf))) - WINDOW_MARGIN_NM
        y1 = float(max(ys.max(), by.max(initial=-np.inf))) + WINDOW_MARGIN_NM
        ex = np.array([x0, x1, x1, x0, x0])
        ey = np.array([y0, y0, y1, y1, y0])
        # the window's outline in degrees, densified: the plane's straight lines bend there
        t = np.linspace(0, 1, 41)[:, None]
        px = (ex[:-1] + t * np.diff(ex)).T.ravel()
        py = (ey[:-1] + t * np.diff(ey)).T.ravel()
        wlon, wlat = frame.to_lonlat(px, py)
        box_deg = shapely.Polygon(np.column_stack([wlon, wlat])).buffer(0.05)
        sea_deg = shapely.intersection(CaspianSea.load().polygon, box_deg)

        def project(coords: FloatArray) -> FloatArray:
            x, y = frame.to_xy_nm(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        water = shapely.make_valid(shapely.transform(sea_deg, project))
        water = shapely.intersection(water, shapely.box(x0, y0, x1, y1))
        navigable = shapely.make_valid(water.buffer(-SAFETY_NM))
        shapely.prepare(water)
        shapely.prepare(navigable)
        return cls(frame, water, navigable)

    @property
    def is_open(self) -> bool:
        """True on open water."""
        return self.water is None

    def clip_area(self, x: FloatArray, y: FloatArray) -> tuple[Any, float]:
        """Return the water part of the polygon ``(x, y)`` and its area, NM²."""
        import shapely

        poly = shapely.Polygon(np.column_stack([x, y]))
        if self.water is None:
            return poly, float(poly.area)
        part = shapely.intersection(poly, self.water)
        return part, float(part.area)

    def on_water(self, x: FloatArray, y: FloatArray) -> np.ndarray:
        """Whether each point lies on navigable water."""
        import shapely

        if self.navigable is None:
            return np.ones(np.shape(x), dtype=bool)
        return np.asarray(shapely.covers(self.navigable, shapely.points(x, y)), dtype=bool)

    def segment_clear(self, ax: float, ay: float, bx: float, by: float) -> bool:
        """Whether the straight segment stays on navigable water."""
        import shapely

        if self.navigable is None:
            return True
        return bool(self.navigable.covers(shapely.LineString([(ax, ay), (bx, by)])))

    def clip_segment(self, ax: float, ay: float, bx: float, by: float) -> list[FloatArray]:
        """Pieces of the segment on navigable water, in order from ``a`` to ``b``."""
        import shapely

        if self.navigable is None or self.segment_clear(ax, ay, bx, by):
            return [np.array([[ax, ay], [bx, by]])]
        line = shapely.LineString([(ax, ay), (bx, by)])
        part = shapely.intersection(line, self._local())
        pieces = []
        for g in getattr(part, "geoms", [part]):
            if g.is_empty or g.geom_type != "LineString" or g.length <= 1e-9:
                continue
            c = np.asarray(g.coords)
            if (c[0, 0] - ax) ** 2 + (c[0, 1] - ay) ** 2 > (c[-1, 0] - ax) ** 2 + (
                c[-1, 1] - ay
            ) ** 2:
                c = c[::-1]
            a, b = c[0], c[-1]
            u = (b - a) / max(float(np.hypot(*(b - a))), 1e-12)
            eps = min(1e-4, g.length / 4)  # strictly inside, so routes from the ends exist
            pieces.append(np.array([a + eps * u, b - eps * u]))
        pieces.sort(key=lambda c: math.hypot(c[0, 0] - ax, c[0, 1] - ay))
        return pieces

    def _local(self) -> Any:
        """Return the navigable water over the frame and 5 NM round it (faster to clip)."""
        import shapely

        if self._local_water is None:
            f = self.frame
            box = shapely.box(
                f.x0_nm - 5, f.y0_nm - 5, f.x0_nm + f.nx * f.cell_nm + 5,
                f.y0_nm + f.ny * f.cell_nm + 5,
            )  # fmt: skip
            self._local_water = shapely.intersection(self.navigable, box)
            shapely.prepare(self._local_water)
        return self._local_water

    def nearest_water(self, x: float, y: float) -> tuple[float, float]:
        """Return the nearest point of navigable water (the point itself when on it)."""
        import shapely
        from shapely.ops import nearest_points

        if self.navigable is None or self.on_water(np.array([x]), np.array([y]))[0]:
            return x, y
        p = nearest_points(self.navigable, shapely.Point(x, y))[0]
        # a hair inside, so the point tests as water
        q = shapely.Point(x, y)
        d = max(q.distance(p), 1e-9)
        ix, iy = p.x + (p.x - x) / d * 1e-4, p.y + (p.y - y) / d * 1e-4
        if not self.on_water(np.array([ix]), np.array([iy]))[0]:
            ix, iy = p.x, p.y
        return float(ix), float(iy)

    def distance_from(self, x: float, y: float) -> Callable[[FloatArray, FloatArray], FloatArray]:
        """Distance by water (NM) from ``(x, y)`` to points, as a vectorised function.

        On open water the straight line. Else an estimate on a raster of the navigable water
        (:data:`RASTER_NM` cells, eight-neighbour paths, scaled by the most such a path
        exceeds a straight line) and never below the straight line; a point on land takes
        the value of the nearest water cell, one no water reaches is infinitely far. Good to
        rank areas by how far a vessel must go round land, not to navigate by.
        """
        import shapely
        from scipy.ndimage import distance_transform_edt

        def straight(px: FloatArray, py: FloatArray) -> FloatArray:
            return np.asarray(np.hypot(np.asarray(px) - x, np.asarray(py) - y))

        if self.navigable is None:
            return straight
        if self._raster is None:
            x0, y0, x1, y1 = (float(v) for v in self.navigable.bounds)
            nx = max(1, math.ceil((x1 - x0) / RASTER_NM))
            ny = max(1, math.ceil((y1 - y0) / RASTER_NM))
            gx, gy = np.meshgrid(
                x0 + RASTER_NM * (np.arange(nx) + 0.5), y0 + RASTER_NM * (np.arange(ny) + 0.5)
            )
            wet = np.asarray(shapely.contains_xy(self.navigable, gx, gy), dtype=bool)
            _, nearest = distance_transform_edt(~wet, return_indices=True)
            self._raster = (x0, y0, wet, nearest)
        x0, y0, wet, (ri, ci) = self._raster
        ny, nx = wet.shape
        if not wet.any():
            return straight
        sx, sy = self.nearest_water(x, y)
        col = min(max(int((sx - x0) // RASTER_NM), 0), nx - 1)
        row = min(max(int((sy - y0) // RASTER_NM), 0), ny - 1)
        row, col = int(ri[row, col]), int(ci[row, col])  # the nearest wet cell stands for it
        field = _raster_distance(wet, (row, col), RASTER_NM) / _OCTILE
        field = field[ri, ci]  # land and dry cells: their nearest wet cell's distance

        def by_water(px: FloatArray, py: FloatArray) -> FloatArray:
            px, py = np.asarray(px, dtype=np.float64), np.asarray(py, dtype=np.float64)
            c = np.clip(((px - x0) // RASTER_NM).astype(np.int64), 0, nx - 1)
            r = np.clip(((py - y0) // RASTER_NM).astype(np.int64), 0, ny - 1)
            return np.asarray(np.maximum(straight(px, py), field[r, c]))

        return by_water

    def _build_graph(self) -> None:
        import shapely

        # edges between nodes are tested on a simpler polygon inside the navigable water
        # (eroded by more than the simplification moves it: Douglas-Peucker stays within its
        # tolerance), and the nodes lie inside that one the same way
        inner = self.navigable.buffer(-0.1).simplify(0.08)
        shapely.prepare(inner)
        nav = inner.buffer(-(SIMPLIFY_NM + 0.05)).simplify(SIMPLIFY_NM)
        rings = []
        for poly in getattr(nav, "geoms", [nav]):
            if poly.geom_type != "Polygon":
                continue
            rings.append(np.asarray(poly.exterior.coords)[:-1])
            rings.extend(np.asarray(r.coords)[:-1] for r in poly.interiors)
        nodes = np.vstack(rings) if rings else np.zeros((0, 2))
        n = len(nodes)
        i, j = np.triu_indices(n, 1)
        lines = shapely.linestrings(
            np.stack([nodes[i], nodes[j]], axis=1).reshape(-1, 2),
            indices=np.repeat(np.arange(i.size), 2),
        ) if i.size else np.zeros(0, dtype=object)  # fmt: skip
        ok = shapely.covers(inner, lines) if i.size else np.zeros(0, dtype=bool)
        d = np.hypot(*(nodes[i] - nodes[j]).T)
        dense = np.zeros((n, n))
        dense[i, j] = np.where(ok, d, 0.0)  # zero: no edge (scipy's dense convention)
        self._graph = dense + dense.T
        self._nodes = nodes

    def route(self, ax: float, ay: float, bx: float, by: float) -> FloatArray | None:
        """Shortest water path from ``a`` to ``b`` (both on navigable water), ``(k, 2)``.

        A straight segment when it stays on water; round land otherwise; ``None`` when no
        water path is found in the window.
        """
        direct = np.array([[ax, ay], [bx, by]])
        if self.navigable is None or self.segment_clear(ax, ay, bx, by):
            return direct
        key = (ax, ay, bx, by)
        if key not in self._routes:  # a plan asks the same way round land many times
            self._routes[key] = self._route_round_land(ax, ay, bx, by)
        return self._routes[key]

    def _route_round_land(self, ax: float, ay: float, bx: float, by: float) -> FloatArray | None:
        """Shortest water path on the visibility graph (``a`` to ``b`` not straight)."""
        import shapely
        from scipy.sparse.csgraph import dijkstra

        direct = np.array([[ax, ay], [bx, by]])
        if self._graph is None:
            self._build_graph()
        nodes = self._nodes
        n = len(nodes)
        graph = np.zeros((n + 2, n + 2))
        graph[:n, :n] = self._graph
        for k, (px, py) in enumerate(((ax, ay), (bx, by))):
            lines = shapely.linestrings(
                np.stack([np.repeat([[px, py]], n, axis=0), nodes], axis=1).reshape(-1, 2),
                indices=np.repeat(np.arange(n), 2),
            )
            ok = np.asarray(shapely.covers(self.navigable, lines), dtype=bool)
            d = np.where(ok, np.hypot(nodes[:, 0] - px, nodes[:, 1] - py), 0.0)
            graph[n + k, :n] = d
            graph[:n, n + k] = d
        dist, pred = dijkstra(graph, indices=n, return_predecessors=True)
        if not math.isfinite(float(dist[n + 1])):
            return None
        path = [n + 1]
        while path[-1] != n:
            path.append(int(pred[path[-1]]))
        pts = np.asarray(np.vstack([nodes, direct])[path[::-1]], dtype=np.float64)
        pts.flags.writeable = False  # kept for the next call: shared, never changed
        return pts


RASTER_NM = 0.5
"""Cell of the raster on which :meth:`Seaway.distance_from` finds distances by water."""
_OCTILE = 1.0 + (math.sqrt(2.0) - 1.0) ** 2
"""Bound of an eight-neighbour path over the straight line (about 1.082, at 22.5°)."""


def _raster_distance(wet: np.ndarray, start: tuple[int, int], cell_nm: float) -> FloatArray:
    """Shortest eight-neighbour path over ``wet`` cells from ``start``, NM (inf: not reached)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    ny, nx = wet.shape
    index = np.arange(ny * nx).reshape(ny, nx)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    costs: list[np.ndarray] = []
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):
        a = wet[: ny - dy, max(0, -dx) : nx - max(0, dx)]
        b = wet[dy:, max(0, dx) : nx - max(0, -dx) or None]
        both = a & b
        ia = index[: ny - dy, max(0, -dx) : nx - max(0, dx)][both]
        ib = index[dy:, max(0, dx) : nx - max(0, -dx) or None][both]
        rows += [ia, ib]
        cols += [ib, ia]
        step = cell_nm * (math.sqrt(2.0) if dx and dy else 1.0)
        costs += [np.full(ia.size, step), np.full(ia.size, step)]
    graph = coo_matrix(
        (np.concatenate(costs), (np.concatenate(rows), np.concatenate(cols))),
        shape=(ny * nx, ny * nx),
    ).tocsr()
    d = dijkstra(graph, indices=int(index[start]))
    return np.asarray(d, dtype=np.float64).reshape(ny, nx)


def path_length_nm(xy: FloatArray) -> float:
    """Length of a polyline ``(k, 2)``, NM."""
    return float(np.hypot(*np.diff(xy, axis=0).T).sum()) if len(xy) > 1 else 0.0


def lay_on_water(
    seaway: Seaway, x: FloatArray, y: FloatArray, *, route_joins: bool = True
) -> tuple[FloatArray, FloatArray]:
    """Cut each segment of ``(x, y)`` to its water pieces and join them over water.

    Consecutive pieces are joined by the shortest water path, so no leg crosses land
    (``route_joins=False``: joined straight, a quick estimate of the length).
    """
    if seaway.is_open:
        return x, y
    pieces: list[FloatArray] = []
    for k in range(x.size - 1):
        pieces += seaway.clip_segment(float(x[k]), float(y[k]), float(x[k + 1]), float(y[k + 1]))
    if not pieces:
        return np.zeros(0), np.zeros(0)
    out = [pieces[0]]
    for p in pieces[1:]:
        last = out[-1][-1]
        if route_joins and math.hypot(p[0, 0] - last[0], p[0, 1] - last[1]) > 1e-9:
            join = seaway.route(float(last[0]), float(last[1]), float(p[0, 0]), float(p[0, 1]))
            if join is None:  # cut off from the rest by land: that piece is left out
                continue
            out.append(join[1:])
        out.append(p if math.hypot(p[0, 0] - out[-1][-1][0], p[0, 1] - out[-1][-1][1]) > 1e-9
                   else p[1:])  # fmt: skip
    xy = np.vstack(out)
    keep = np.concatenate([[True], np.hypot(*np.diff(xy, axis=0).T) > 1e-9])
    xy = xy[keep]
    return xy[:, 0].copy(), xy[:, 1].copy()
