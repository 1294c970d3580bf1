"""Coverage swept by a track, and its POD under the plan's law: one model for plan and update.

IAMSAR Vol. II (ch. 4-5) defines coverage as ``C = W / S``: sweep width over track spacing,
or effort ``W * L`` over the area ``A`` it is spread on. littoral applies that definition
leg by leg: each leg of a track spacing ``S`` sweeps the strip of width ``S`` centred on it
(flat ends) with coverage ``W / S``; where strips of one unit overlap (turns, cross-legs,
crossing tracks) their coverage adds; POD is the plan's law of the summed coverage,
``1 - exp(-C)`` (exponential) or ``erf(sqrt(pi) C / 2)`` (inverse cube over parallel tracks;
Koopman 1946/1980). Different units search independently: their misses multiply.

The integral of a track's coverage over the plane is exactly its effort ``W * L``, and both
laws are concave, so no swept track does better than the water-filling optimum for the same
effort (:mod:`littoral.search.optimal`): the bound stays a bound. The planner scores each
realised pattern on the grid with the law of each cell's mean coverage (strips clipped to
the cells exactly, so the plan spends exactly its effort), and ``littoral search update``
judges the tracks run with the same model on the drifting particles, point by point.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from littoral.search.detection import DetectionLaw, pod
from littoral.search.frame import FloatArray


def leg_coverage(
    px: FloatArray,
    py: FloatArray,
    x: FloatArray,
    y: FloatArray,
    sweep_width_nm: float,
    spacing_nm: float,
) -> FloatArray:
    """Coverage of the track ``(x, y)`` (plane NM, its legs in order) at points ``(px, py)``.

    Each leg adds ``sweep_width_nm / spacing_nm`` within ``spacing_nm / 2`` of it, between
    its ends.
    """
    px = np.asarray(px, dtype=np.float64).ravel()
    py = np.asarray(py, dtype=np.float64).ravel()
    out = np.zeros(px.size)
    ax, ay = x[:-1], y[:-1]
    dx, dy = np.diff(x), np.diff(y)
    length = np.hypot(dx, dy)
    keep = length > 0
    if not keep.any() or px.size == 0:
        return out
    ax, ay, dx, dy, length = ax[keep], ay[keep], dx[keep], dy[keep], length[keep]
    ux, uy = dx / length, dy / length
    count = _leg_counts if px.size * ax.size >= PARALLEL_FROM else _leg_counts_serial
    count(px, py, ax, ay, ux, uy, length, spacing_nm / 2.0, out)
    return out * (sweep_width_nm / spacing_nm)


@nb.njit(cache=True, inline="always")
def _count_at(
    x: float,
    y: float,
    ax: FloatArray,
    ay: FloatArray,
    ux: FloatArray,
    uy: FloatArray,
    length: FloatArray,
    half: float,
) -> int:  # pragma: no cover - compiled
    n = 0
    for k in range(ax.shape[0]):
        qx = x - ax[k]
        qy = y - ay[k]
        along = qx * ux[k] + qy * uy[k]
        if along >= 0.0 and along < length[k] and abs(qx * uy[k] - qy * ux[k]) < half:
            n += 1
    return n


@nb.njit(cache=True, parallel=True)
def _leg_counts(
    px: FloatArray,
    py: FloatArray,
    ax: FloatArray,
    ay: FloatArray,
    ux: FloatArray,
    uy: FloatArray,
    length: FloatArray,
    half: float,
    out: FloatArray,
) -> None:  # pragma: no cover - compiled
    """How many legs' strips (within ``half`` across, between the ends) hold each point."""
    for i in nb.prange(px.shape[0]):
        out[i] = _count_at(px[i], py[i], ax, ay, ux, uy, length, half)


@nb.njit(cache=True)
def _leg_counts_serial(
    px: FloatArray,
    py: FloatArray,
    ax: FloatArray,
    ay: FloatArray,
    ux: FloatArray,
    uy: FloatArray,
    length: FloatArray,
    half: float,
    out: FloatArray,
) -> None:  # pragma: no cover - compiled
    """:func:`_leg_counts` in one thread, for small counts."""
    for i in range(px.shape[0]):
        out[i] = _count_at(px[i], py[i], ax, ay, ux, uy, length, half)


PARALLEL_FROM = 200_000
"""Point-leg pairs from which the strip count runs in parallel: below it, starting the
threads costs more than they save."""


def cell_coverage(
    x0_nm: float,
    y0_nm: float,
    cell_nm: float,
    n_cols: int,
    n_rows: int,
    x: FloatArray,
    y: FloatArray,
    sweep_width_nm: float,
    spacing_nm: float,
) -> FloatArray:
    """Mean coverage of each cell of a block ``(n_rows, n_cols)`` from the track ``(x, y)``.

    Exact: each leg's strip is clipped to the cells it touches (Sutherland and Hodgman 1974,
    "Reentrant polygon clipping", *CACM* 17; tested against shapely), so the coverage of the
    block integrates to the track's effort ``W * L`` (less what falls outside it).
    """
    out = np.zeros((n_rows, n_cols))
    c = sweep_width_nm / spacing_nm
    half = spacing_nm / 2.0
    cell_area = cell_nm * cell_nm
    for k in range(x.size - 1):
        dx, dy = float(x[k + 1] - x[k]), float(y[k + 1] - y[k])
        length = math.hypot(dx, dy)
        if length == 0:
            continue
        if dx == 0.0 or dy == 0.0:
            # a strip along a grid axis: its overlap with each cell is a product of spans
            sx0, sx1 = sorted((float(x[k]), float(x[k + 1])))
            sy0, sy1 = sorted((float(y[k]), float(y[k + 1])))
            if dx == 0.0:
                sx0, sx1 = sx0 - half, sx1 + half
            else:
                sy0, sy1 = sy0 - half, sy1 + half
            i0 = max(0, math.floor((sx0 - x0_nm) / cell_nm))
            i1 = min(n_cols, math.ceil((sx1 - x0_nm) / cell_nm))
            j0 = max(0, math.floor((sy0 - y0_nm) / cell_nm))
            j1 = min(n_rows, math.ceil((sy1 - y0_nm) / cell_nm))
            if i1 <= i0 or j1 <= j0:
                continue
            ex = x0_nm + cell_nm * np.arange(i0, i1 + 1)
            ey = y0_nm + cell_nm * np.arange(j0, j1 + 1)
            ox = np.clip(np.minimum(ex[1:], sx1) - np.maximum(ex[:-1], sx0), 0.0, None)
            oy = np.clip(np.minimum(ey[1:], sy1) - np.maximum(ey[:-1], sy0), 0.0, None)
            out[j0:j1, i0:i1] += c * np.outer(oy, ox) / cell_area
            continue
        nx, ny = -dy / length * half, dx / length * half
        qx = np.array([x[k] + nx, x[k + 1] + nx, x[k + 1] - nx, x[k] - nx], dtype=np.float64)
        qy = np.array([y[k] + ny, y[k + 1] + ny, y[k + 1] - ny, y[k] - ny], dtype=np.float64)
        i0 = max(0, math.floor((qx.min() - x0_nm) / cell_nm))
        i1 = min(n_cols, math.ceil((qx.max() - x0_nm) / cell_nm))
        j0 = max(0, math.floor((qy.min() - y0_nm) / cell_nm))
        j1 = min(n_rows, math.ceil((qy.max() - y0_nm) / cell_nm))
        if i1 <= i0 or j1 <= j0:
            continue
        block = out[j0:j1, i0:i1]
        _add_convex_cell_areas(
            qx, qy, x0_nm + i0 * cell_nm, y0_nm + j0 * cell_nm, cell_nm, c / cell_area, block
        )
    return out


@nb.njit(cache=True)
def _clip_half_plane(
    px: FloatArray, py: FloatArray, n: int, axis: int, bound: float, keep_above: bool
) -> tuple[FloatArray, FloatArray, int]:  # pragma: no cover - compiled
    """Cut the polygon ``(px, py)[:n]`` to one side of a line (one Sutherland-Hodgman step).

    The line is ``x = bound`` (``axis`` 0) or ``y = bound`` (``axis`` 1).
    """
    ox = np.empty(n + 4)
    oy = np.empty(n + 4)
    m = 0
    for k in range(n):
        ax, ay = px[k], py[k]
        bx, by = px[(k + 1) % n], py[(k + 1) % n]
        a = ax if axis == 0 else ay
        b = bx if axis == 0 else by
        a_in = a >= bound if keep_above else a <= bound
        b_in = b >= bound if keep_above else b <= bound
        if a_in:
            ox[m], oy[m] = ax, ay
            m += 1
        if a_in != b_in:
            t = (bound - a) / (b - a)
            ox[m], oy[m] = ax + t * (bx - ax), ay + t * (by - ay)
            m += 1
    return ox, oy, m


@nb.njit(cache=True)
def _add_convex_cell_areas(
    qx: FloatArray,
    qy: FloatArray,
    x0: float,
    y0: float,
    cell: float,
    scale: float,
    out: FloatArray,
) -> None:  # pragma: no cover - compiled
    """Add ``scale`` times the area of the convex polygon ``(qx, qy)`` in each cell of ``out``.

    The block's rows run north from ``y0`` and its columns east from ``x0``.
    """
    rows, cols = out.shape
    for j in range(rows):
        ya, yb = y0 + j * cell, y0 + (j + 1) * cell
        # the row's band first: most of the polygon's cells are cut once, not four times
        bx, by, nb_ = _clip_half_plane(qx, qy, qx.size, 1, ya, True)
        bx, by, nb_ = _clip_half_plane(bx, by, nb_, 1, yb, False)
        if nb_ < 3:
            continue
        for i in range(cols):
            xa, xb = x0 + i * cell, x0 + (i + 1) * cell
            cx, cy, nc = _clip_half_plane(bx, by, nb_, 0, xa, True)
            cx, cy, nc = _clip_half_plane(cx, cy, nc, 0, xb, False)
            if nc < 3:
                continue
            area = 0.0
            for k in range(nc):
                area += cx[k] * cy[(k + 1) % nc] - cx[(k + 1) % nc] * cy[k]
            out[j, i] += scale * abs(area) / 2.0


def swept_pod(
    px: FloatArray,
    py: FloatArray,
    x: FloatArray,
    y: FloatArray,
    sweep_width_nm: float,
    spacing_nm: float,
    law: DetectionLaw,
) -> FloatArray:
    """POD of one unit's track at points, under ``law`` (see the module docstring)."""
    return pod(leg_coverage(px, py, x, y, sweep_width_nm, spacing_nm), law)
