"""Fast search for the best search rectangle of a unit, with summed-area tables.

The probability in any axis-aligned rectangle of cells is four look-ups in a summed-area
table (Crow 1984, "Summed-area tables for texture mapping"), so every position of every
rectangle shape is scored at once with numpy: first on a coarsened grid, then refined cell by
cell at full resolution by moving edges. Rectangles already given to other units are
"blocked": a candidate that touches a blocked cell is not allowed, so rectangles never overlap.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from littoral.search.detection import DetectionLaw, pod

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Rect:
    """Half-open block of grid cells ``rows [row0, row1) x cols [col0, col1)``."""

    row0: int
    row1: int
    col0: int
    col1: int

    @property
    def n_rows(self) -> int:
        """Cells north-south."""
        return self.row1 - self.row0

    @property
    def n_cols(self) -> int:
        """Cells east-west."""
        return self.col1 - self.col0

    def overlaps(self, other: Rect) -> bool:
        """Whether the two blocks share a cell."""
        return (
            self.row0 < other.row1
            and other.row0 < self.row1
            and self.col0 < other.col1
            and other.col0 < self.col1
        )


def summed_area(a: npt.ArrayLike) -> FloatArray:
    """Summed-area table with a zero first row and column: ``S[i, j] = a[:i, :j].sum()``."""
    arr = np.asarray(a, dtype=np.float64)
    s = np.zeros((arr.shape[0] + 1, arr.shape[1] + 1))
    s[1:, 1:] = arr.cumsum(0).cumsum(1)
    return s


def box(s: FloatArray, r: Rect) -> float:
    """Sum over a rectangle from its summed-area table."""
    return float(s[r.row1, r.col1] - s[r.row0, r.col1] - s[r.row1, r.col0] + s[r.row0, r.col0])


@dataclass(frozen=True)
class UnitScore:
    """How a unit scores a rectangle: ``POS = POD(Z / A) * POC`` under the plan's law.

    Attributes
    ----------
    x0_nm, y0_nm, cell_nm:
        Grid geometry (south-west corner and cell side).
    effort_at:
        Effort ``W * L`` (NM²) available for an area centred at grid coordinates
        ``(x_nm, y_nm)`` (vectorised; transit from base comes out of it).
    law:
        POD law of coverage.
    effort_per_diagonal_nm:
        Effort (NM²) lost per NM of the rectangle's diagonal: the unit reaches its pattern at
        one corner and leaves it near another, so about a diagonal more transit.
    max_coverage:
        Highest coverage the unit may give (its sweep width over its smallest spacing).
    """

    x0_nm: float
    y0_nm: float
    cell_nm: float
    effort_at: Callable[[FloatArray, FloatArray], FloatArray]
    law: DetectionLaw = DetectionLaw.EXPONENTIAL
    effort_per_diagonal_nm: float = 0.0
    max_coverage: float = math.inf
    inner_sides: tuple[float, ...] = ()
    """Middles a second pass may sweep again (:mod:`littoral.search.repass`), as fractions
    of the rectangle's sides; a rectangle scores the best of one pass and these."""

    def centre_nm(self, r: Rect) -> tuple[float, float]:
        """Grid coordinates of the rectangle's centre."""
        cx = self.x0_nm + self.cell_nm * (r.col0 + r.col1) / 2
        cy = self.y0_nm + self.cell_nm * (r.row0 + r.row1) / 2
        return cx, cy

    def effort(self, r: Rect) -> float:
        """Effort available for rectangle ``r``, NM²."""
        cx, cy = self.centre_nm(r)
        diag = math.hypot(r.n_rows, r.n_cols) * self.cell_nm
        z = float(self.effort_at(np.array([cx]), np.array([cy]))[0])
        area = r.n_rows * r.n_cols * self.cell_nm**2
        return min(max(0.0, z - self.effort_per_diagonal_nm * diag), self.max_coverage * area)

    def score(self, p_sat: FloatArray, r: Rect) -> float:
        """POS of searching rectangle ``r`` (uniform coverage, the unit's law).

        With :attr:`inner_sides`, the better of that and coverage ``c`` over ``r`` plus
        ``c`` again over a part of it (in the middle, against an edge or in a corner,
        whichever holds most), the same effort spread over both.
        """
        area = r.n_rows * r.n_cols * self.cell_nm**2
        z = self.effort(r)
        whole = box(p_sat, r)
        best = float(pod(z / area, self.law)) * whole
        for f in self.inner_sides:
            h = max(1, round(f * r.n_rows))
            w = max(1, round(f * r.n_cols))
            # the twice-swept part in the middle, against an edge or in a corner
            middle = max(
                box(p_sat, Rect(i0, i0 + h, j0, j0 + w))
                for i0 in {r.row0, r.row0 + (r.n_rows - h) // 2, r.row1 - h}
                for j0 in {r.col0, r.col0 + (r.n_cols - w) // 2, r.col1 - w}
            )
            c = z / (area + h * w * self.cell_nm**2)
            once, twice = float(pod(c, self.law)), float(pod(2.0 * c, self.law))
            best = max(best, once * whole + (twice - once) * middle)
        return best

    def coarser(self, f: int) -> UnitScore:
        """Return the same unit on a grid of ``f`` times larger cells."""
        return UnitScore(
            self.x0_nm, self.y0_nm, self.cell_nm * f, self.effort_at, self.law,
            self.effort_per_diagonal_nm, self.max_coverage, self.inner_sides,
        )  # fmt: skip


def _sizes(n: int, ratio: float = 1.22) -> list[int]:
    out = {1, n}
    v = 1.0
    while v < n:
        out.add(round(v))
        v *= ratio
    return sorted(s for s in out if 1 <= s <= n)


def best_coarse(
    p: FloatArray, blocked: npt.NDArray[np.bool_], unit: UnitScore, *, square: bool
) -> tuple[Rect | None, float]:
    """Best rectangle over every shape and position of a (coarse) grid; ``None`` if none."""
    ny, nx = p.shape
    ps = summed_area(p)
    bs = summed_area(blocked.astype(np.float64))
    best: tuple[Rect | None, float] = (None, 0.0)
    hs = _sizes(ny)
    ws = _sizes(nx)
    c = unit.cell_nm
    # effort for every possible centre, on a lattice of half cells, computed once
    hx = unit.x0_nm + c * np.arange(2 * nx + 1) / 2
    hy = unit.y0_nm + c * np.arange(2 * ny + 1) / 2
    gx, gy = np.meshgrid(hx, hy)
    effort = unit.effort_at(gx, gy)
    for h in hs:
        band_p = ps[h:, :] - ps[:-h, :]
        band_b = bs[h:, :] - bs[:-h, :]
        for w in [h] if square else ws:
            if square and w > nx:
                continue
            poc = band_p[:, w:] - band_p[:, :-w]
            free = (band_b[:, w:] - band_b[:, :-w]) < 0.5
            z = effort[h : 2 * ny - h + 1 : 2, w : 2 * nx - w + 1 : 2]
            z = np.maximum(0.0, z - unit.effort_per_diagonal_nm * math.hypot(h, w) * c)
            z = np.minimum(z, unit.max_coverage * h * w * c * c)
            pos = pod(z / (h * w * c * c), unit.law) * poc
            pos[~free] = -1.0
            k = int(np.argmax(pos))
            v = float(pos.flat[k])
            if v > best[1]:
                i, j = divmod(k, nx - w + 1)
                best = (Rect(i, i + h, j, j + w), v)
    return best


def refine(
    p_sat: FloatArray,
    b_sat: FloatArray,
    shape: tuple[int, int],
    unit: UnitScore,
    start: Rect,
    *,
    square: bool,
    max_steps: int = 400,
) -> tuple[Rect, float]:
    """Hill-climb a rectangle cell by cell: move one edge or the whole block, keep the best."""
    ny, nx = shape

    def ok(r: Rect) -> bool:
        if not (0 <= r.row0 < r.row1 <= ny and 0 <= r.col0 < r.col1 <= nx):
            return False
        if square and r.n_rows != r.n_cols:
            return False
        return box(b_sat, r) < 0.5

    cur = start
    cur_v = unit.score(p_sat, cur) if ok(cur) else -1.0
    steps = (8, 4, 2, 1)
    for _ in range(max_steps):
        improved = False
        for s in steps:
            moves = (
                [(-s, 0, -s, 0), (s, 0, s, 0), (0, -s, 0, -s), (0, s, 0, s),
                 (-s, s, -s, s), (s, -s, s, -s), (-s, 0, 0, s), (0, s, -s, 0)]
                if square
                else [(-s, 0, 0, 0), (s, 0, 0, 0), (0, -s, 0, 0), (0, s, 0, 0),
                      (0, 0, -s, 0), (0, 0, s, 0), (0, 0, 0, -s), (0, 0, 0, s),
                      (-s, -s, 0, 0), (s, s, 0, 0), (0, 0, -s, -s), (0, 0, s, s)]
            )  # fmt: skip
            for d0, d1, d2, d3 in moves:
                r = Rect(cur.row0 + d0, cur.row1 + d1, cur.col0 + d2, cur.col1 + d3)
                if not ok(r):
                    continue
                v = unit.score(p_sat, r)
                if v > cur_v + 1e-12:
                    cur, cur_v, improved = r, v, True
            if improved:
                break
        if not improved:
            break
    return cur, cur_v


def coarsen(a: FloatArray, f: int) -> FloatArray:
    """Block sums of ``f x f`` cells (the grid is padded with zeros)."""
    ny, nx = a.shape
    py, px = -ny % f, -nx % f
    padded = np.pad(a, ((0, py), (0, px)))
    return np.asarray(
        padded.reshape(padded.shape[0] // f, f, padded.shape[1] // f, f).sum(axis=(1, 3)),
        dtype=np.float64,
    )


def best_rect(
    p: FloatArray,
    blocked: npt.NDArray[np.bool_],
    unit: UnitScore,
    *,
    square: bool = False,
    coarse_side: int = 56,
    current: Rect | None = None,
) -> tuple[Rect | None, float]:
    """Best non-blocked rectangle for a unit: coarse exhaustive search, then refinement.

    With ``current``, the current rectangle is refined too and the better of the two kept.
    """
    ny, nx = p.shape
    f = max(1, math.ceil(max(ny, nx) / coarse_side))
    coarse_unit = unit.coarser(f)
    cp = coarsen(p, f)
    cb = coarsen(blocked.astype(np.float64), f) > 0
    rect, _ = best_coarse(cp, cb, coarse_unit, square=square)
    p_sat = summed_area(p)
    b_sat = summed_area(blocked.astype(np.float64))
    if rect is None:
        if f == 1:
            return None, 0.0
        # the coarse grid saw no free block: start from the densest free fine cell
        free_p = np.where(blocked, -1.0, p)
        k = int(np.argmax(free_p))
        if free_p.flat[k] <= 0:
            return None, 0.0
        i, j = divmod(k, nx)
        start = Rect(i, i + 1, j, j + 1)
    else:
        start = Rect(rect.row0 * f, min(rect.row1 * f, ny), rect.col0 * f, min(rect.col1 * f, nx))
        if square and start.n_rows != start.n_cols:
            n = min(start.n_rows, start.n_cols)
            start = Rect(start.row0, start.row0 + n, start.col0, start.col0 + n)
        if box(b_sat, start) >= 0.5:  # coarse block edges can overlap a neighbour's cells
            start = _shrink_to_free(b_sat, start, square=square)
    r, v = refine(p_sat, b_sat, (ny, nx), unit, start, square=square)
    if current is not None and box(b_sat, current) < 0.5:
        rc, vc = refine(p_sat, b_sat, (ny, nx), unit, current, square=square)
        if vc > v:
            r, v = rc, vc
    if v <= 0:
        return None, 0.0
    return r, v


def _shrink_to_free(b_sat: FloatArray, r: Rect, *, square: bool) -> Rect:
    cur = r
    while box(b_sat, cur) >= 0.5 and (cur.n_rows > 1 or cur.n_cols > 1):
        options = []
        for cand in (
            Rect(cur.row0 + 1, cur.row1, cur.col0, cur.col1),
            Rect(cur.row0, cur.row1 - 1, cur.col0, cur.col1),
            Rect(cur.row0, cur.row1, cur.col0 + 1, cur.col1),
            Rect(cur.row0, cur.row1, cur.col0, cur.col1 - 1),
        ):
            if cand.n_rows >= 1 and cand.n_cols >= 1:
                options.append((box(b_sat, cand), cand))
        if square:
            options = [
                (box(b_sat, c), c)
                for c in (
                    Rect(cur.row0 + 1, cur.row1, cur.col0 + 1, cur.col1),
                    Rect(cur.row0, cur.row1 - 1, cur.col0, cur.col1 - 1),
                    Rect(cur.row0 + 1, cur.row1, cur.col0, cur.col1 - 1),
                    Rect(cur.row0, cur.row1 - 1, cur.col0 + 1, cur.col1),
                )
                if c.n_rows >= 1
            ]
        if not options:
            break
        cur = min(options, key=lambda t: t[0])[1]
    return cur
