"""The Caspian land mask: a lookup raster with exact shore tests, callable from numba kernels.

The raster covers the water of the Caspian (sea and Kara-Bogaz-Gol) with square cells of
``cell_deg`` degrees. A cell that no shore edge touches holds its class (a
:class:`~littoral.geo.water.WaterClass` code). A cell that shore edges touch ("mixed") holds
the parity state of its centre and the list of those edges; a point in it starts from the
centre's state and flips it for every edge that the segment centre -> point crosses. That is
the even-odd rule (Shimrat 1962; Haines 1994, "Point in polygon strategies", Graphics Gems IV),
so the answers equal an exact polygon test; only points exactly on the shore may differ.

The state is four parity bits, one per kind of ring: the sea's outer ring (bit 1), islands of
the sea (bit 2), the outer ring of Kara-Bogaz-Gol (bit 4), its island (bit 8). The straight
cut across the Kara-Bogaz-Gol strait belongs to both outer rings, so crossing it turns sea into
Kara-Bogaz-Gol; it is not shore.

Stable interface for compiled kernels (``littoral.drift`` calls these from its own ``@njit``
code; do not change the signatures):

- ``mask_classify(mask, lon, lat) -> int``: the ``WaterClass`` code at one point.
- ``mask_segment_crossing(mask, lon0, lat0, lon1, lat1) -> float``: the fraction ``t`` in
  [0, 1] along the segment from (lon0, lat0) to (lon1, lat1), in plain lon/lat coordinates,
  where it first meets the shore, or -1.0 if it meets none. Shore is the outer boundary of the
  water (sea and Kara-Bogaz-Gol together) and every island; the strait cut is not shore, so a
  segment may pass from the sea into Kara-Bogaz-Gol freely.

Segments are straight in lon/lat, as are the polygon's edges (GSHHG vertices are about 0.5 km
apart, so the difference from great-circle arcs is negligible).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba as nb
import numpy as np
import numpy.typing as npt

from littoral.geo.polygon import Rings
from littoral.geo.water import WaterClass

MIXED = np.int8(-1)
"""``LandMask.cell_class`` value of a cell that shore edges cross."""
DEFAULT_CELL_DEG = 0.01
_PAD = 1e-7  # in cells: an edge touching a cell border is listed in both cells

LAND = int(WaterClass.LAND)
SEA = int(WaterClass.SEA)
ISLAND = int(WaterClass.ISLAND)
KBG = int(WaterClass.KARA_BOGAZ_GOL)


class LandMask(NamedTuple):
    """The lookup raster and the shore edges, as plain arrays a numba kernel can take.

    Attributes
    ----------
    lon0, lat0 : float
        South-west corner of the raster, degrees.
    inv_cell : float
        Cells per degree (the same in lon and lat).
    nx, ny : int
        Raster size in cells (lon, lat).
    cell_class : int8 ndarray, shape (ny, nx)
        ``WaterClass`` code of a cell, or ``MIXED`` (-1).
    cell_mixed : int32 ndarray, shape (ny, nx)
        For a mixed cell, its row in ``mixed_state`` and ``mixed_start``; -1 elsewhere.
    mixed_state : int8 ndarray, shape (m,)
        Parity bits at the centre of each mixed cell.
    mixed_start : int32 ndarray, shape (m + 1,)
        Mixed cell ``k`` lists the edges ``mixed_edges[mixed_start[k]:mixed_start[k + 1]]``.
    mixed_edges : int32 ndarray
        Edge numbers.
    ex0, ey0, ex1, ey1 : float64 ndarray, shape (e,)
        Edge end points, degrees.
    ebit : int8 ndarray, shape (e,)
        The parity bit an edge flips.
    eshore : bool ndarray, shape (e,)
        False for the strait cut, True for real shore.
    """

    lon0: float
    lat0: float
    inv_cell: float
    nx: int
    ny: int
    cell_class: npt.NDArray[np.int8]
    cell_mixed: npt.NDArray[np.int32]
    mixed_state: npt.NDArray[np.int8]
    mixed_start: npt.NDArray[np.int32]
    mixed_edges: npt.NDArray[np.int32]
    ex0: npt.NDArray[np.float64]
    ey0: npt.NDArray[np.float64]
    ex1: npt.NDArray[np.float64]
    ey1: npt.NDArray[np.float64]
    ebit: npt.NDArray[np.int8]
    eshore: npt.NDArray[np.bool_]


@nb.njit(cache=True, inline="always")
def _class_of_bits(bits: int) -> int:
    if bits & 10:
        return ISLAND
    if bits & 1:
        return SEA
    if bits & 4:
        return KBG
    return LAND


@nb.njit(cache=True, inline="always")
def _orient(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> float:
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)


@nb.njit(cache=True)
def mask_classify(mask: LandMask, lon: float, lat: float) -> int:
    """Return the ``WaterClass`` code at (lon, lat); LAND outside the raster or for NaN."""
    fx = (lon - mask.lon0) * mask.inv_cell
    fy = (lat - mask.lat0) * mask.inv_cell
    if not (fx >= 0.0 and fy >= 0.0 and fx < mask.nx and fy < mask.ny):
        return LAND
    ix = int(fx)
    iy = int(fy)
    c = mask.cell_class[iy, ix]
    if c >= 0:
        return int(c)
    k = mask.cell_mixed[iy, ix]
    cx = mask.lon0 + (ix + 0.5) / mask.inv_cell
    cy = mask.lat0 + (iy + 0.5) / mask.inv_cell
    bits = int(mask.mixed_state[k])
    for j in range(mask.mixed_start[k], mask.mixed_start[k + 1]):
        e = mask.mixed_edges[j]
        ax = mask.ex0[e]
        ay = mask.ey0[e]
        bx = mask.ex1[e]
        by = mask.ey1[e]
        # does segment centre->point cross edge a->b? (half-open on both lines)
        if (_orient(cx, cy, lon, lat, ax, ay) > 0.0) == (_orient(cx, cy, lon, lat, bx, by) > 0.0):
            continue
        if (_orient(ax, ay, bx, by, cx, cy) > 0.0) == (_orient(ax, ay, bx, by, lon, lat) > 0.0):
            continue
        bits ^= int(mask.ebit[e])
    return _class_of_bits(bits)


@nb.njit(cache=True)
def _cell_first_hit(
    mask: LandMask, k: int, x0: float, y0: float, rx: float, ry: float, tmin: float
) -> float:
    for j in range(mask.mixed_start[k], mask.mixed_start[k + 1]):
        e = mask.mixed_edges[j]
        if not mask.eshore[e]:
            continue
        ax = mask.ex0[e]
        ay = mask.ey0[e]
        sx = mask.ex1[e] - ax
        sy = mask.ey1[e] - ay
        denom = rx * sy - ry * sx
        if denom == 0.0:
            continue  # parallel: a grazing touch is not a crossing
        qx = ax - x0
        qy = ay - y0
        t = (qx * sy - qy * sx) / denom
        u = (qx * ry - qy * rx) / denom
        if 0.0 <= t <= 1.0 and 0.0 <= u <= 1.0 and t < tmin:
            tmin = t
    return tmin


@nb.njit(cache=True)
def mask_segment_crossing(
    mask: LandMask, lon0: float, lat0: float, lon1: float, lat1: float
) -> float:
    """Fraction in [0, 1] along the segment where it first meets the shore, or -1.0.

    Walks the raster cells the segment passes, in order (Amanatides and Woo 1987, "A fast
    voxel traversal algorithm"), testing the shore edges listed in each mixed cell, and stops
    once a cell starts beyond the first hit found.
    """
    x = (lon0 - mask.lon0) * mask.inv_cell
    y = (lat0 - mask.lat0) * mask.inv_cell
    dx = (lon1 - lon0) * mask.inv_cell
    dy = (lat1 - lat0) * mask.inv_cell
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(dx) and math.isfinite(dy)):
        return -1.0
    rx = lon1 - lon0
    ry = lat1 - lat0
    ix = math.floor(x)
    iy = math.floor(y)
    inf = math.inf
    step_x = 1 if dx > 0.0 else -1
    step_y = 1 if dy > 0.0 else -1
    t_delta_x = abs(1.0 / dx) if dx != 0.0 else inf
    t_delta_y = abs(1.0 / dy) if dy != 0.0 else inf
    if dx > 0.0:
        t_max_x = (ix + 1 - x) / dx
    elif dx < 0.0:
        t_max_x = (x - ix) / -dx
    else:
        t_max_x = inf
    if dy > 0.0:
        t_max_y = (iy + 1 - y) / dy
    elif dy < 0.0:
        t_max_y = (y - iy) / -dy
    else:
        t_max_y = inf
    tmin = inf
    t_entry = 0.0
    while t_entry <= 1.0 and t_entry <= tmin:
        if 0 <= ix < mask.nx and 0 <= iy < mask.ny:
            k = mask.cell_mixed[iy, ix]
            if k >= 0:
                tmin = _cell_first_hit(mask, k, lon0, lat0, rx, ry, tmin)
        if t_max_x < t_max_y:
            t_entry = t_max_x
            t_max_x += t_delta_x
            ix += step_x
        else:
            t_entry = t_max_y
            t_max_y += t_delta_y
            iy += step_y
        if t_entry == inf:
            break
    return tmin if tmin <= 1.0 else -1.0


@nb.njit(cache=True, parallel=True)
def classify_points(
    mask: LandMask, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
) -> npt.NDArray[np.int8]:
    """``mask_classify`` over flat arrays, in parallel."""
    out = np.empty(lon.shape[0], dtype=np.int8)
    for i in nb.prange(lon.shape[0]):
        out[i] = mask_classify(mask, lon[i], lat[i])
    return out


@nb.njit(cache=True, parallel=True)
def points_in_class(
    mask: LandMask, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], wanted: int
) -> npt.NDArray[np.bool_]:
    """Tell where ``mask_classify`` gives ``wanted`` (flat arrays, in parallel)."""
    out = np.empty(lon.shape[0], dtype=np.bool_)
    for i in nb.prange(lon.shape[0]):
        out[i] = mask_classify(mask, lon[i], lat[i]) == wanted
    return out


@nb.njit(cache=True, parallel=True)
def segment_crossings(
    mask: LandMask,
    lon0: npt.NDArray[np.float64],
    lat0: npt.NDArray[np.float64],
    lon1: npt.NDArray[np.float64],
    lat1: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """``mask_segment_crossing`` over flat arrays, in parallel."""
    out = np.empty(lon0.shape[0], dtype=np.float64)
    for i in nb.prange(lon0.shape[0]):
        out[i] = mask_segment_crossing(mask, lon0[i], lat0[i], lon1[i], lat1[i])
    return out


# ---- building -------------------------------------------------------------------------


@nb.njit(cache=True)
def _supercover(
    gx0: npt.NDArray[np.float64],
    gy0: npt.NDArray[np.float64],
    gx1: npt.NDArray[np.float64],
    gy1: npt.NDArray[np.float64],
    nx: int,
    ny: int,
    counts: npt.NDArray[np.int32],
    start: npt.NDArray[np.int32],
    fill: npt.NDArray[np.int32],
    out: npt.NDArray[np.int32],
    do_fill: bool,
) -> None:
    """Visit the cells each edge touches (edges in cell units); count them or list them."""
    for e in range(gx0.shape[0]):
        xa, ya, xb, yb = gx0[e], gy0[e], gx1[e], gy1[e]
        if xa > xb:
            xa, ya, xb, yb = xb, yb, xa, ya
        ix_lo = max(math.floor(xa - _PAD), 0)
        ix_hi = min(math.floor(xb + _PAD), nx - 1)
        for ix in range(ix_lo, ix_hi + 1):
            xs = max(xa, float(ix))
            xe = min(xb, float(ix + 1))
            if xb > xa:
                ys = ya + (yb - ya) * (xs - xa) / (xb - xa)
                ye = ya + (yb - ya) * (xe - xa) / (xb - xa)
            else:
                ys, ye = ya, yb
            lo = min(ys, ye) - _PAD
            hi = max(ys, ye) + _PAD
            for iy in range(max(math.floor(lo), 0), min(math.floor(hi), ny - 1) + 1):
                c = iy * nx + ix
                if do_fill:
                    out[start[c] + fill[c]] = e
                    fill[c] += 1
                else:
                    counts[c] += 1


@nb.njit(cache=True)
def _centre_bits(
    gx0: npt.NDArray[np.float64],
    gy0: npt.NDArray[np.float64],
    gx1: npt.NDArray[np.float64],
    gy1: npt.NDArray[np.float64],
    ebit: npt.NDArray[np.int8],
    nx: int,
    ny: int,
) -> npt.NDArray[np.int8]:
    """Parity bits at every cell centre by scanlines (even-odd rule, half-open in y)."""
    bits = np.zeros((ny, nx), dtype=np.int8)
    n = gx0.shape[0]
    xs = np.empty(n, dtype=np.float64)
    bs = np.empty(n, dtype=np.int8)
    for iy in range(ny):
        y = iy + 0.5
        m = 0
        for e in range(n):
            if (gy0[e] > y) != (gy1[e] > y):
                xs[m] = gx0[e] + (y - gy0[e]) * (gx1[e] - gx0[e]) / (gy1[e] - gy0[e])
                bs[m] = ebit[e]
                m += 1
        order = np.argsort(xs[:m])
        state = 0
        j = 0
        for ix in range(nx):
            x = ix + 0.5
            while j < m and xs[order[j]] < x:
                state ^= bs[order[j]]
                j += 1
            bits[iy, ix] = state
    return bits


def _edges(
    rings: Rings,
) -> tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.int8],
    npt.NDArray[np.bool_],
]:
    """Edge arrays (x0, y0, x1, y1, bit, shore) of every ring, each ring closed."""
    from littoral.geo.water import RING_KBG_EXTERIOR, RING_SEA_EXTERIOR

    parts: list[npt.NDArray[np.float64]] = []
    bits: list[npt.NDArray[np.int8]] = []
    shore: list[npt.NDArray[np.bool_]] = []
    cut = rings.strait_cut
    for k in range(len(rings.kinds)):
        r = rings.ring(k)
        a = r
        b = np.roll(r, -1, axis=0)
        parts.append(np.hstack([a, b]))
        bits.append(np.full(len(r), 1 << int(rings.kinds[k]), dtype=np.int8))
        is_shore = np.ones(len(r), dtype=np.bool_)
        if int(rings.kinds[k]) in (RING_SEA_EXTERIOR, RING_KBG_EXTERIOR):
            fwd = np.all(a == cut[0], axis=1) & np.all(b == cut[1], axis=1)
            bwd = np.all(a == cut[1], axis=1) & np.all(b == cut[0], axis=1)
            if np.count_nonzero(fwd | bwd) != 1:
                raise ValueError("strait cut not found exactly once in an outer ring")
            is_shore &= ~(fwd | bwd)
        shore.append(is_shore)
    e = np.vstack(parts)
    return e[:, 0], e[:, 1], e[:, 2], e[:, 3], np.concatenate(bits), np.concatenate(shore)


def build_mask(rings: Rings, cell_deg: float = DEFAULT_CELL_DEG) -> LandMask:
    """Build the lookup raster for the shipped rings.

    Parameters
    ----------
    rings : Rings
        The polygon, from :func:`littoral.geo.polygon.load_rings`.
    cell_deg : float
        Cell size in degrees; 0.01 (about 1 km) keeps the raster near 1 MB.

    Returns
    -------
    LandMask
    """
    ex0, ey0, ex1, ey1, ebit, eshore = _edges(rings)
    inv = 1.0 / cell_deg
    lon0 = math.floor(min(ex0.min(), ex1.min()) * inv - 2) / inv
    lat0 = math.floor(min(ey0.min(), ey1.min()) * inv - 2) / inv
    nx = math.ceil((max(ex0.max(), ex1.max()) - lon0) * inv) + 2
    ny = math.ceil((max(ey0.max(), ey1.max()) - lat0) * inv) + 2
    gx0, gy0 = (ex0 - lon0) * inv, (ey0 - lat0) * inv
    gx1, gy1 = (ex1 - lon0) * inv, (ey1 - lat0) * inv
    counts = np.zeros(nx * ny, dtype=np.int32)
    dummy = np.zeros(1, dtype=np.int32)
    _supercover(gx0, gy0, gx1, gy1, nx, ny, counts, dummy, dummy, dummy, False)
    mixed_cells = np.flatnonzero(counts)
    start_all = np.zeros(nx * ny, dtype=np.int32)
    start_all[mixed_cells] = np.concatenate([[0], np.cumsum(counts[mixed_cells])[:-1]])
    listed = np.empty(int(counts.sum()), dtype=np.int32)
    fill = np.zeros(nx * ny, dtype=np.int32)
    _supercover(gx0, gy0, gx1, gy1, nx, ny, counts, start_all, fill, listed, True)

    centre = _centre_bits(gx0, gy0, gx1, gy1, ebit, nx, ny).ravel()
    lut = np.array([_class_of_bits(b) for b in range(16)], dtype=np.int8)
    cell_class = lut[centre]
    cell_class[mixed_cells] = MIXED
    cell_mixed = np.full(nx * ny, -1, dtype=np.int32)
    cell_mixed[mixed_cells] = np.arange(len(mixed_cells), dtype=np.int32)
    mixed_start = np.zeros(len(mixed_cells) + 1, dtype=np.int32)
    mixed_start[1:] = np.cumsum(counts[mixed_cells])
    return LandMask(
        lon0=float(lon0),
        lat0=float(lat0),
        inv_cell=float(inv),
        nx=nx,
        ny=ny,
        cell_class=cell_class.reshape(ny, nx),
        cell_mixed=cell_mixed.reshape(ny, nx),
        mixed_state=centre[mixed_cells].astype(np.int8),
        mixed_start=mixed_start,
        mixed_edges=listed,
        ex0=ex0,
        ey0=ey0,
        ex1=ex1,
        ey1=ey1,
        ebit=ebit,
        eshore=eshore,
    )
