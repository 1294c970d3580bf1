"""Plans: one rectangle, pattern and track spacing per unit, as good as the bound allows.

Each unit searches one rectangle of the grid; rectangles of different units do not overlap.
A unit's effort is ``W * L``: its corrected sweep width times the track it can run, its
search speed times the productive part (IAMSAR: 85 %) of the endurance left after transit
from base to the area's centre and back. Spread evenly over an area ``A`` it gives coverage
``C = W L / A``, track spacing ``S = A / L`` and POD by the plan's law (one law per plan,
:class:`~littoral.search.detection.DetectionModel`); the unit's probability of success is
``POS = POD * POC`` (IAMSAR Vol. II ch. 4-5). The planner places the units one after another
(largest effort first) on the best free rectangle, then lets each move again while the
others stay (a few rounds of coordinate ascent). The pattern laid in each rectangle, whole
legs and cross-legs, fits the unit's search time; its figures are those of the coverage its
legs sweep (:mod:`littoral.search.swept`), the model ``littoral search update`` judges the
tracks with, and the plan is compared with the unconstrained optimum of
:mod:`littoral.search.optimal` for the same effort under the same law.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np

from littoral.clock import require_utc
from littoral.errors import InputError
from littoral.search.detection import DetectionLaw, DetectionModel, SweepWidth, pod
from littoral.search.facilities import SearchUnit
from littoral.search.frame import FloatArray, GridFrame
from littoral.search.grid import ProbabilityGrid
from littoral.search.optimal import OptimalAllocation, water_filling
from littoral.search.patterns import (
    Pattern,
    PatternKind,
    expanding_square_xy,
    sector_xy,
    sweep_xy,
)
from littoral.search.rectangles import Rect, UnitScore, best_rect, box, summed_area
from littoral.search.repass import (
    ALONE,
    AMONG_OTHERS,
    CENTRED,
    ONE_PASS,
    PLACES,
    Repass,
    inner_centre,
    joined,
    mirrored_after,
    mirrors,
    two_pass_xy,
)
from littoral.search.seaway import Seaway, lay_on_water, path_length_nm
from littoral.search.sighting import Track
from littoral.search.sweep_tables import Platform
from littoral.search.swept import cell_coverage
from littoral.search.weather import Weather
from littoral.search.window import UnitWindow, unit_window

NEAR_BEST = 0.97
"""Candidate sets of rectangles scoring at least this fraction of the best are laid out in
full (the :data:`LAID_OUT` best of them), and the one whose patterns find most is kept."""
LAID_OUT = 4
"""At most this many candidate sets of rectangles are laid out in full."""


@dataclass(frozen=True)
class Assignment:
    """What one unit is asked to do, and what it is expected to achieve.

    Attributes
    ----------
    unit:
        The unit.
    sweep_width:
        Its corrected sweep width for this search.
    rect:
        Cells of its area on the grid, or ``None`` when it cannot contribute.
    pattern:
        Waypoints of its pattern, or ``None``.
    area_nm2, spacing_nm, coverage, pod, poc, pos:
        IAMSAR figures of its search: coverage
        ``C = W / S``; ``pos`` the probability its swept legs (turns and cross-legs
        included) detect the object; ``poc`` the probability in its rectangle and in every
        cell its strips reach beyond it; ``pod = pos / poc`` (at most 1).
    transit_nm:
        Length of the transit from base to the commence search point (water path).
    time_on_scene_h:
        Time to run the pattern at search speed.
    note:
        Why a unit has no area, or a warning.
    pod_cells:
        POD of the unit's pattern in every cell of the grid (``None`` without a pattern).
    outline:
        ``(lon, lat)`` of the closed ring of the water part of the area its pattern covers.
    route_out, route_back:
        ``(lon, lat)`` of its transit from base to the CSP and from the last waypoint home
        (round land for vessels: :mod:`littoral.search.seaway`).
    window:
        The unit's time on scene, daylight and weather, when the plan was timed.
    model:
        The unit's own detection conditions (its weather), when the plan was timed.
    """

    unit: SearchUnit
    sweep_width: SweepWidth
    rect: Rect | None
    pattern: Pattern | None
    area_nm2: float
    spacing_nm: float
    coverage: float
    pod: float
    poc: float
    pos: float
    transit_nm: float
    time_on_scene_h: float
    note: str = ""
    pod_cells: FloatArray | None = field(default=None, repr=False, compare=False)
    outline: tuple[FloatArray, FloatArray] | None = field(default=None, repr=False, compare=False)
    route_out: tuple[FloatArray, FloatArray] | None = field(default=None, repr=False, compare=False)
    route_back: tuple[FloatArray, FloatArray] | None = field(
        default=None, repr=False, compare=False
    )
    window: UnitWindow | None = None
    model: DetectionModel | None = None

    @property
    def swept_coverage(self) -> float:
        """Coverage of the effort laid: ``C = Z / A`` with effort ``Z = W L`` (IAMSAR Vol. II).

        ``L`` is the pattern's length on water (legs, joins and turns); below
        :attr:`coverage` (``W / S``) when endurance or land cut the pattern short, which is
        why POD can fall short of what ``W / S`` promises. 0 without an area.
        """
        if self.area_nm2 <= 0.0 or self.pattern is None:
            return 0.0
        return self.sweep_width.corrected_nm * self.pattern.length_nm / self.area_nm2

    def track(self, start: datetime | None = None) -> Track:
        """Return the unit's pattern as a :class:`Track` with its sweep width.

        With ``start`` (UTC, the time at the CSP) each waypoint gets the time the unit reaches
        it at search speed.
        """
        if self.pattern is None:
            raise InputError(f"unit {self.unit.name!r} has no pattern in this plan")
        p = self.pattern
        times = np.zeros(0, dtype="datetime64[s]")
        if start is not None:
            t0 = np.datetime64(require_utc(start, "start").replace(tzinfo=None), "s")
            frame = GridFrame.local(float(p.lon.mean()), float(p.lat.mean()))
            x, y = frame.to_xy_nm(p.lon, p.lat)
            along = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
            secs = np.round(along / self.unit.speed_kn * 3600.0).astype(np.int64)
            times = t0 + secs.astype("timedelta64[s]")
        return Track(
            p.lon, p.lat, self.sweep_width.corrected_nm, self.unit.name, times,
            spacing_nm=p.spacing_nm,
        )  # fmt: skip


@dataclass(frozen=True)
class SearchPlan:
    """A plan for all units, and how it compares with the best possible.

    Attributes
    ----------
    grid:
        The probability grid it was made on.
    model:
        Detection conditions, with the one POD law of the plan, its bound and its update.
    assignments:
        One per unit, in the order the units were given.
    bound:
        The unconstrained optimum (water-filling) for the units' effort.
    """

    grid: ProbabilityGrid
    model: DetectionModel
    assignments: list[Assignment]
    bound: OptimalAllocation
    extra: dict[str, float] = field(default_factory=dict)
    """Further figures, such as ``pos_particles`` (the POS on a drift's particles)."""
    unit_grids: list[ProbabilityGrid] | None = None
    """Each unit's map (the cloud at the middle of its own search), when they differ."""

    @property
    def pos(self) -> float:
        """Probability of success of the plan: ``sum(p * pod_grid())``.

        When the units search the cloud at different times, ``1 - prod(1 - POS_u)`` of
        their POS, each on the map of its own time (their chances taken as independent; the
        drift's particles, judged leg by leg at the time of each leg, give the exact figure:
        :func:`littoral.search.update.plan_pos_on_particles`).
        """
        return _plan_pos(self.grid, self.assignments, timed=self.unit_grids is not None)

    @property
    def law(self) -> DetectionLaw:
        """The plan's POD law (its figures, its bound and its update use it)."""
        return self.model.law

    @property
    def ratio_to_bound(self) -> float:
        """Plan POS over the unconstrained optimum under the same law (<= 1)."""
        return self.pos / self.bound.pos if self.bound.pos > 0 else 0.0

    def pod_grid(self) -> FloatArray:
        """POD of the plan in every cell: units search independently, misses multiply."""
        return _pod_grid(self.grid.frame.shape, self.assignments)


def _base_xy(grid: ProbabilityGrid, unit: SearchUnit) -> tuple[float, float]:
    bx, by = grid.frame.to_xy_nm(unit.base_lon, unit.base_lat)
    return float(bx), float(by)


def _unit_score(
    grid: ProbabilityGrid,
    unit: SearchUnit,
    w_nm: float,
    law: DetectionLaw,
    seaway: Seaway | None = None,
    *,
    repass: Repass = ONE_PASS,
) -> UnitScore:
    """How ``unit`` scores areas: its effort left after the way out and back to each.

    A vessel's way is measured by water round land on ``seaway``
    (:meth:`~littoral.search.seaway.Seaway.distance_from`), an aircraft's straight.
    """
    frame = grid.frame
    bx, by = _base_xy(grid, unit)
    if seaway is not None and unit.platform is Platform.VESSEL:
        distance = seaway.distance_from(bx, by)
    else:

        def distance(x_nm: FloatArray, y_nm: FloatArray) -> FloatArray:
            return np.asarray(np.hypot(x_nm - bx, y_nm - by))

    def effort_at(x_nm: FloatArray, y_nm: FloatArray) -> FloatArray:
        d_nm = distance(x_nm, y_nm)
        hours = np.maximum(
            0.0, unit.endurance_h - unit.reserve_hours - 2.0 * d_nm / unit.transit_speed_kn
        )
        return np.asarray(w_nm * unit.speed_kn * hours * unit.productive_fraction)

    per_diag = w_nm * unit.speed_kn * unit.productive_fraction / unit.transit_speed_kn
    two_pass = unit.pattern in (PatternKind.PARALLEL, PatternKind.CREEPING)
    return UnitScore(
        frame.x0_nm, frame.y0_nm, frame.cell_nm, effort_at, law, per_diag,
        w_nm / unit.min_spacing_nm, repass.inner_sides if two_pass else (),
    )  # fmt: skip


def _combined(scores: Sequence[UnitScore]) -> UnitScore:
    def effort_at(x_nm: FloatArray, y_nm: FloatArray) -> FloatArray:
        return np.asarray(sum(s.effort_at(x_nm, y_nm) for s in scores))

    s0 = scores[0]
    return UnitScore(s0.x0_nm, s0.y0_nm, s0.cell_nm, effort_at, s0.law)  # split: no diagonal


def nearest_probability_nm(grid: ProbabilityGrid, unit: SearchUnit) -> float:
    """Distance from the base to the nearest cell holding probability, less half a diagonal.

    No search of the map can start nearer.
    """
    gx, gy = grid.frame.centres_xy_nm()
    wet = grid.p > 0
    if not wet.any():
        return math.inf
    bx, by = _base_xy(grid, unit)
    d = float(np.min(np.hypot(gx[wet] - bx, gy[wet] - by)))
    return max(0.0, d - grid.frame.cell_nm * math.sqrt(0.5))


def upper_bound(
    grid: ProbabilityGrid,
    units: Sequence[SearchUnit],
    widths: Sequence[float],
    law: DetectionLaw = DetectionLaw.EXPONENTIAL,
) -> OptimalAllocation:
    """Water-filling bound under ``law``.

    Every unit's effort counts as if it searched at the nearest cell holding probability.
    """
    total = 0.0
    for unit, w in zip(units, widths, strict=True):
        total += w * unit.speed_kn * unit.search_hours(nearest_probability_nm(grid, unit))
    return water_filling(grid.p, grid.cell_area_nm2, total, law)


class _Planner:
    """Search state shared by the two strategies (greedy, and split of a common area)."""

    def __init__(
        self,
        grids: list[ProbabilityGrid],
        scores: list[UnitScore],
        square: list[bool],
        base_xy: list[tuple[float, float]],
        coarse_side: int,
    ) -> None:
        # each unit scores areas on the map of its own search time; the split start and the
        # non-overlap test use their mean
        self.ps = [g.p for g in grids]
        self.p_sats = [summed_area(p) for p in self.ps]
        self.p = np.mean(self.ps, axis=0) if len(grids) > 1 else grids[0].p
        self.scores = scores
        self.square = square
        self.base_xy = base_xy
        self.coarse_side = coarse_side
        self.n = len(scores)

    def blocked_except(self, rects: list[Rect | None], i: int) -> np.ndarray:
        b = np.zeros(self.p.shape, dtype=np.bool_)
        for k, r in enumerate(rects):
            if k != i and r is not None:
                b[r.row0 : r.row1, r.col0 : r.col1] = True
        return b

    def total(self, rects: list[Rect | None]) -> float:
        return sum(
            self.scores[i].score(self.p_sats[i], r) for i, r in enumerate(rects) if r is not None
        )

    def order(self) -> list[int]:
        # largest effort first: it takes the densest area, the others fit round it
        zero = np.array([0.0])
        return sorted(range(self.n), key=lambda i: -float(self.scores[i].effort_at(
            zero + self.base_xy[i][0], zero + self.base_xy[i][1])[0]))  # fmt: skip

    def ascend(self, rects: list[Rect | None], rounds: int) -> list[Rect | None]:
        """Let each unit move to its best free rectangle while the others stay."""
        rects = list(rects)
        for _ in range(rounds):
            changed = False
            for i in self.order():
                cur = rects[i]
                cur_v = self.scores[i].score(self.p_sats[i], cur) if cur is not None else 0.0
                r, v = best_rect(
                    self.ps[i], self.blocked_except(rects, i), self.scores[i],
                    square=self.square[i], coarse_side=self.coarse_side, current=cur,
                )  # fmt: skip
                if r is not None and v > cur_v + 1e-9:
                    rects[i], changed = r, True
            if not changed:
                break
        return rects

    def greedy(self) -> list[Rect | None]:
        rects: list[Rect | None] = [None] * self.n
        for i in self.order():
            rects[i], _ = best_rect(
                self.ps[i], self.blocked_except(rects, i), self.scores[i],
                square=self.square[i], coarse_side=self.coarse_side,
            )  # fmt: skip
        return rects

    def split(self, *, across: bool = False) -> list[Rect | None]:
        """One area for all the effort, cut into pieces of equal coverage, one per unit.

        The area is first cut across its longer side, or with ``across`` across its shorter
        one (on a coast the better cut depends on where the shore runs).
        """
        rects: list[Rect | None] = [None] * self.n
        whole, _ = best_rect(
            self.p, np.zeros(self.p.shape, dtype=np.bool_), _combined(self.scores),
            coarse_side=self.coarse_side,
        )  # fmt: skip
        if whole is None:
            return rects
        efforts = [s.effort(whole) for s in self.scores]
        live = [i for i in range(self.n) if efforts[i] > 0]
        self._cut(whole, live, efforts, rects, across=across)
        return rects

    def _cut(
        self,
        r: Rect,
        group: list[int],
        efforts: list[float],
        out: list[Rect | None],
        *,
        across: bool = False,
    ) -> None:
        if not group:
            return
        if len(group) == 1:
            i = group[0]
            if self.square[i]:
                n = min(r.n_rows, r.n_cols)
                r = Rect(r.row0, r.row0 + n, r.col0, r.col0 + n)
            out[i] = r
            return
        ordered = sorted(group, key=lambda i: -efforts[i])
        a: list[int] = []
        b: list[int] = []
        for i in ordered:
            (a if sum(efforts[k] for k in a) <= sum(efforts[k] for k in b) else b).append(i)
        frac = sum(efforts[k] for k in a) / sum(efforts[k] for k in group)
        along_cols = (r.n_cols >= r.n_rows) != across
        side = r.n_cols if along_cols else r.n_rows
        if side < 2:
            self._cut(r, [ordered[0]], efforts, out)
            return
        cut = min(side - 1, max(1, round(side * frac)))
        axis = 0 if along_cols else 1
        mean_a = float(np.mean([self.base_xy[k][axis] for k in a]))
        mean_b = float(np.mean([self.base_xy[k][axis] for k in b]))
        if mean_a > mean_b:  # the group based further east (north) takes that side
            a, b = b, a
            cut = side - cut
        if along_cols:
            ra = Rect(r.row0, r.row1, r.col0, r.col0 + cut)
            rb = Rect(r.row0, r.row1, r.col0 + cut, r.col1)
        else:
            ra = Rect(r.row0, r.row0 + cut, r.col0, r.col1)
            rb = Rect(r.row0 + cut, r.row1, r.col0, r.col1)
        self._cut(ra, a, efforts, out)
        self._cut(rb, b, efforts, out)


def _realise_all(
    grids: list[ProbabilityGrid],
    units: Sequence[SearchUnit],
    sweeps: Sequence[SweepWidth],
    scores: Sequence[UnitScore],
    rects: list[Rect | None],
    windows: Sequence[UnitWindow | None],
    order: list[int],
    model: DetectionModel,
    seaway: Seaway,
    *,
    repass: Repass,
    done: dict[tuple[Rect | None, ...], Assignment],
) -> list[Assignment]:
    """Lay every unit's pattern in its rectangle, in ``order``.

    Each is laid on what the units laid before it miss (largest effort first), so a second
    pass or a wider area never buys what another unit already sweeps. A unit with no search
    time in daylight (its window without conditions) gets no area. ``done`` holds the units
    laid for other sets of rectangles, by the rectangles of the units up to and including
    each: a unit whose rectangle and predecessors' rectangles are the same is laid once.
    """
    laid: dict[int, Assignment] = {}
    miss = np.ones(grids[0].frame.shape)
    for k, i in enumerate(order):
        w = windows[i]
        key = tuple(rects[j] for j in order[: k + 1])
        a = done.get(key)
        if a is None:
            a = realise(
                grids[i], units[i], sweeps[i], scores[i],
                rects[i] if w is None or w.conditions is not None else None, model, seaway,
                others_miss=miss if laid else None, repass=repass,
            )  # fmt: skip
            done[key] = a
        laid[i] = a
        if a.pod_cells is not None:
            miss = miss * (1.0 - a.pod_cells)
    return [laid[i] for i in range(len(units))]


def _pod_grid(shape: tuple[int, int], assignments: Sequence[Assignment]) -> FloatArray:
    """POD of the assignments in every cell: units search independently, misses multiply."""
    miss = np.ones(shape)
    for a in assignments:
        if a.pod_cells is not None:
            miss *= 1.0 - a.pod_cells
    return np.asarray(1.0 - miss, dtype=np.float64)


def _plan_pos(grid: ProbabilityGrid, assignments: Sequence[Assignment], *, timed: bool) -> float:
    """Return a plan's POS: on ``grid``, or ``1 - prod(1 - POS_u)`` when ``timed``.

    Timed, each unit's POS is on the map of its own search time.
    """
    if timed:
        return float(1.0 - np.prod([1.0 - a.pos for a in assignments]))
    return float(np.sum(grid.p * _pod_grid(grid.frame.shape, assignments)))


@dataclass(frozen=True, kw_only=True)
class PlanTiming:
    """When the units are tasked and where the weather on scene comes from.

    Attributes
    ----------
    tasked:
        When the units may leave their bases (UTC).
    weather:
        Wind, sea and visibility on scene at each unit's search time.
    map_at:
        The probability map at a time on the plan's frame (from a drift run), or ``None``.
    """

    tasked: datetime
    weather: Weather
    map_at: Callable[[datetime], ProbabilityGrid] | None = None


def probability_centre(grid: ProbabilityGrid) -> tuple[float, float]:
    """``(lon, lat)`` of the probability's centre of mass (on the equal-area plane)."""
    gx, gy = grid.frame.centres_xy_nm()
    lon, lat = grid.frame.to_lonlat(np.sum(grid.p * gx), np.sum(grid.p * gy))
    return float(lon), float(lat)


def _timed_units(
    grid: ProbabilityGrid,
    units: Sequence[SearchUnit],
    model: DetectionModel,
    timing: PlanTiming,
) -> tuple[list[SearchUnit], list[DetectionModel], list[UnitWindow]]:
    """Each unit as its daylight allows (endurance less the dark hours) and its weather."""
    lon, lat = probability_centre(grid)
    effective: list[SearchUnit] = []
    models: list[DetectionModel] = []
    windows: list[UnitWindow] = []
    for u in units:
        w = unit_window(u, timing.tasked, lon, lat, timing.weather)
        windows.append(w)
        reserve = u.reserve_hours
        endurance = max(reserve + 1e-6, u.endurance_h - w.dark_h)
        effective.append(replace(u, endurance_h=endurance, reserve_h=reserve))
        c = w.conditions
        models.append(
            model
            if c is None
            else replace(model, wind_kn=c.wind_kn, sea_m=c.sea_m, visibility_nm=c.visibility_nm)
        )
    return effective, models, windows


def plan_search(
    grid: ProbabilityGrid,
    units: Sequence[SearchUnit],
    model: DetectionModel,
    *,
    timing: PlanTiming | None = None,
    seaway: Seaway | None = None,
    rounds: int = 2,
    coarse_side: int = 56,
    repass: bool = True,
) -> SearchPlan:
    """Give each unit a rectangle, pattern and spacing that maximise the plan's POS.

    Three starts are tried: units placed one by one (largest effort first) on their best free
    rectangle, and one common area cut into pieces of equal coverage, first across its longer
    side or across its shorter one; each that scores within
    :data:`NEAR_BEST` of the better is then improved by letting every unit move while the
    others stay. Of these sets of rectangles, those
    whose scores come within :data:`NEAR_BEST` of the best have their patterns laid, and the
    set whose patterns find most is kept.

    With ``timing`` each unit searches in daylight only and with the weather on scene at its
    own search time (:mod:`littoral.search.window`); ``model`` then gives the object and the
    law. Without it every unit uses ``model``'s conditions. ``seaway`` is the water the
    patterns and transits keep to (default: the Caspian for a grid built on it, else open
    water).

    With ``repass`` a parallel sweep or creeping line may sweep the middle of its area a
    second time when that finds more (:mod:`littoral.search.repass`); without it every
    pattern is one pass.

    Raises
    ------
    InputError
        With no unit, or two units of one name.
    """
    if not units:
        raise InputError("a search plan needs at least one unit")
    names = [u.name for u in units]
    if len(set(names)) != len(names):
        raise InputError(f"unit names must differ: {names!r}")
    given = list(units)
    models = [model] * len(units)
    windows: list[UnitWindow | None] = [None] * len(units)
    if timing is not None:
        units, models, timed = _timed_units(grid, units, model, timing)
        windows = list(timed)
    if seaway is None:
        seaway = (
            Seaway.caspian(
                grid.frame, np.array([u.base_lon for u in units]),
                np.array([u.base_lat for u in units]),
            )
            if grid.coast
            else Seaway.open_sea(grid.frame)
        )  # fmt: skip
    sweeps = [u.sweep_width(m) for u, m in zip(units, models, strict=True)]
    passes = (ALONE if len(units) == 1 else AMONG_OTHERS) if repass else ONE_PASS
    scores = [
        _unit_score(grid, u, s.corrected_nm, model.law, seaway, repass=passes)
        for u, s in zip(units, sweeps, strict=True)
    ]
    grids = [grid] * len(units)
    if timing is not None and timing.map_at is not None:
        grids = [
            timing.map_at(w.middle) if w is not None and w.conditions is not None else grid
            for w in windows
        ]
        for g in grids:
            if g.frame != grid.frame:
                raise InputError("map_at must give maps on the plan's frame")
    planner = _Planner(
        grids,
        scores,
        [u.pattern in (PatternKind.EXPANDING_SQUARE, PatternKind.SECTOR) for u in units],
        [_base_xy(grid, u) for u in units],
        coarse_side,
    )
    starts = [planner.greedy()]
    if len(units) > 1:
        starts += [planner.split(), planner.split(across=True)]
    # a start scoring far below the best is not worth improving: the ascent moves one
    # unit at a time and does not rescue it
    raw = [planner.total(r) for r in starts]
    candidates: list[list[Rect | None]] = []
    for start, score in zip(starts, raw, strict=True):
        tries = [start]
        if score >= NEAR_BEST * max(raw):
            tries.append(planner.ascend(start, rounds))
        for rects in tries:
            if rects not in candidates:
                candidates.append(rects)
    # the rectangles' scores rank the candidates; the patterns laid in them (whole legs,
    # second passes, strips spilling over the edges) decide between those that score near
    # the best: the coordinate ascent can trade a realised gain for a scored one
    totals = [planner.total(r) for r in candidates]
    ranked = sorted(range(len(candidates)), key=lambda k: -totals[k])[:LAID_OUT]
    near = [candidates[k] for k in ranked if totals[k] >= NEAR_BEST * totals[ranked[0]]]
    done: dict[tuple[Rect | None, ...], Assignment] = {}
    realised = [
        _realise_all(grids, units, sweeps, scores, r, windows, planner.order(), model, seaway,
                     repass=passes, done=done)
        for r in near
    ]  # fmt: skip
    own_maps = any(g is not grid for g in grids)
    assignments = max(realised, key=lambda a: _plan_pos(grid, a, timed=own_maps))
    if timing is not None:
        assignments = [
            replace(
                a, unit=u, window=w, model=m,
                note="; ".join(t for t in (w.note if w else "", a.note) if t),
            )
            for a, u, w, m in zip(assignments, given, windows, models, strict=True)
        ]  # fmt: skip
    if own_maps:
        # units search at different times, each on its own map: the plan's figure is
        # 1 - prod(1 - POS_u), and each POS_u is at most that unit's optimum alone on its map
        alone = [
            upper_bound(g, [u], [sw.corrected_nm], model.law)
            for g, u, sw in zip(grids, units, sweeps, strict=True)
        ]
        bound = OptimalAllocation(
            coverage=np.zeros(grid.frame.shape), lam=math.nan,
            pos=float(1.0 - np.prod([1.0 - b.pos for b in alone])),
            effort_nm2=float(sum(b.effort_nm2 for b in alone)),
        )  # fmt: skip
    else:
        bound = upper_bound(grid, units, [s.corrected_nm for s in sweeps], model.law)
    timed_maps = list(grids) if own_maps else None
    return SearchPlan(
        grid=grid, model=model, assignments=assignments, bound=bound, unit_grids=timed_maps
    )


def realise(
    grid: ProbabilityGrid,
    unit: SearchUnit,
    sweep: SweepWidth,
    score: UnitScore,
    rect: Rect | None,
    model: DetectionModel,
    seaway: Seaway | None = None,
    *,
    repass: Repass = AMONG_OTHERS,
    others_miss: FloatArray | None = None,
) -> Assignment:
    """Turn a unit's rectangle into a pattern of whole legs that fits its search time.

    The pattern is laid on the water (legs cut at the coast, joined over water); a vessel's
    transit out and back follows the shortest water path; legs, joins and both transits
    count against its endurance, less the reserve. Its figures are those of the coverage its
    legs sweep, under the plan's law.
    """
    w_nm = sweep.corrected_nm
    if rect is None:
        return Assignment(
            unit, sweep, None, None, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            note="no area: transit leaves no search time, or no probability is left free",
        )  # fmt: skip
    sea = seaway if seaway is not None else Seaway.open_sea(grid.frame)
    frame = grid.frame
    bx, by = _base_xy(grid, unit)
    vessel = unit.platform is Platform.VESSEL
    home = sea.nearest_water(bx, by) if vessel else (bx, by)
    cx, cy = score.centre_nm(rect)
    near = nearest_probability_nm(grid, unit)
    width_ew = rect.n_cols * frame.cell_nm
    height_ns = rect.n_rows * frame.cell_nm
    _, wet_area = sea.clip_area(*_ring(cx, cy, width_ew, height_ns))
    # a unit based inside its own area may search from the moment it leaves: its way to the
    # CSP and home again are then legs of its track, at search speed, not unsearched transit;
    # both ways are laid and the better kept (the extra legs overlap the pattern's strips).
    # The sector and expanding square begin at the datum as IAMSAR draws them.
    inside = (
        unit.pattern in (PatternKind.PARALLEL, PatternKind.CREEPING)
        and abs(home[0] - cx) <= width_ew / 2
        and abs(home[1] - cy) <= height_ns / 2
    )
    job = _Job(grid, sea, unit, home, near, w_nm, model.law, cx, cy, vessel, others_miss)
    best: _Laid | None = None
    for from_base in (False, True) if inside else (False,):
        out_nm = 0.0 if from_base else math.hypot(cx - bx, cy - by)
        budget0 = unit.speed_kn * unit.search_hours(max(out_nm, near))
        placed = _Placer(cx, cy, home, from_base)

        def fits(x: FloatArray, y: FloatArray, placed: _Placer = placed) -> bool:
            # pattern with straight joins, transits as the crow flies (a quick estimate: the
            # routes round land come after, and cut the pattern short if they must)
            xw, yw = lay_on_water(sea, *placed(x, y), route_joins=False)
            return xw.size < 2 or _length(xw, yw) <= job.budget_nm(xw, yw)

        for x, y, s, ew, ns in _lay_pattern(
            unit.pattern, cx, cy, width_ew, height_ns, max(wet_area, 1e-9), budget0,
            fits=fits, min_spacing_nm=unit.min_spacing_nm,
        ):  # fmt: skip
            laid = _fit(sea, unit, home, near, *lay_on_water(sea, *placed(x, y)), vessel=vessel)
            if laid is None:
                continue
            # a sector's legs each sweep their own strip (coverage 1 along them)
            strip = w_nm if unit.pattern is PatternKind.SECTOR else s
            cells = pattern_pod_cells(grid, laid.x, laid.y, w_nm, strip, model.law)
            value = _value(grid.p, others_miss, cells)
            if best is None or value > best.value:
                best = replace(
                    laid, pos=float(np.sum(grid.p * cells)), value=value, spacing_nm=s, ew=ew,
                    ns=ns, cells=cells,
                )  # fmt: skip
    if best is not None and unit.pattern in (PatternKind.PARALLEL, PatternKind.CREEPING):
        best = _second_pass(
            job, best, (width_ew, height_ns), (False, True) if inside else (False,), repass
        )
    if best is None:
        return Assignment(
            unit, sweep, None, None, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            note="no area: no water in its rectangle, or transit leaves no search time",
        )  # fmt: skip
    s, x, y = best.spacing_nm, best.x, best.y
    area_poly, area = sea.clip_area(*_ring(cx, cy, best.ew, best.ns))
    length = _length(x, y)
    note = best.note
    lon, lat = frame.to_lonlat(x, y)
    pattern = Pattern(unit.pattern, lon, lat, s, unit.name, x, y)
    # POC of what it searches: its rectangle and every cell its strips reach (the strips of
    # the outer legs, turns and cross-legs spill over the rectangle's edge), so that
    # POS = POC x POD with POD <= 1 (a rectangle's POC alone gave "POD 120 %")
    searched = np.zeros(grid.p.shape, dtype=np.bool_)
    if best.cells is not None:
        searched |= best.cells > 0
    searched[rect.row0 : rect.row1, rect.col0 : rect.col1] = True
    poc = float(np.sum(grid.p[searched]))
    land = float((~grid.water[rect.row0 : rect.row1, rect.col0 : rect.col1]).mean())
    if land > 0:
        note = (note + "; " if note else "") + f"{land:.0%} of its rectangle is land"
    return Assignment(
        unit=unit, sweep_width=sweep, rect=rect, pattern=pattern, area_nm2=area, spacing_nm=s,
        coverage=w_nm / s, pod=best.pos / poc if poc > 0 else 0.0, poc=poc, pos=best.pos,
        transit_nm=best.out_nm, time_on_scene_h=length / unit.speed_kn, note=note,
        pod_cells=best.cells, outline=_outline(frame, area_poly),
        route_out=frame.to_lonlat(best.out[:, 0], best.out[:, 1]),
        route_back=frame.to_lonlat(best.back[:, 0], best.back[:, 1]),
    )  # fmt: skip


@dataclass(frozen=True)
class _Placer:
    """Where a pattern goes.

    Mirrored so its ends are nearest home; with ``from_base`` begun and ended at home (the
    unit searching on its way out and back).
    """

    cx: float
    cy: float
    home: tuple[float, float]
    from_base: bool

    def __call__(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        x, y = _nearest_corners(x, y, self.cx, self.cy, self.home)
        if self.from_base:
            x = np.concatenate([[self.home[0]], x, [self.home[0]]])
            y = np.concatenate([[self.home[1]], y, [self.home[1]]])
        return x, y


@dataclass(frozen=True)
class _Job:
    """One unit's area being laid: what scoring and fitting a pattern need."""

    grid: ProbabilityGrid
    sea: Seaway
    unit: SearchUnit
    home: tuple[float, float]
    near_nm: float
    w_nm: float
    law: DetectionLaw
    cx: float
    cy: float
    vessel: bool
    others_miss: FloatArray | None = None

    def budget_nm(self, x: FloatArray, y: FloatArray) -> float:
        """Search miles left by the way out to ``(x[0], y[0])`` and home from the end."""
        u, (hx, hy) = self.unit, self.home
        transit = math.hypot(x[0] - hx, y[0] - hy) + math.hypot(x[-1] - hx, y[-1] - hy)
        return (
            u.speed_kn
            * u.on_scene_hours(max(transit, 2.0 * self.near_nm))
            * (u.productive_fraction)
        )


_Images = tuple[int, int, bool]
"""Which mirror image of each pass (:func:`~littoral.search.repass.mirrors`) and whether
the middle is swept first."""


def _compose(
    job: _Job,
    sides: tuple[float, float],
    inner: float,
    base_legs: bool,
    spacing_nm: float,
    at: tuple[float, float] = CENTRED,
    images: _Images | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Lay the two passes over an area of ``sides``, joined.

    Without ``images`` the first pass's ends are placed nearest home and the second starts
    nearest the first's end; with them, each pass is the mirror image they name, and the
    middle may come first.
    """
    first, second = two_pass_xy(
        job.cx, job.cy, *sides, spacing_nm, inner,
        creeping=job.unit.pattern is PatternKind.CREEPING, inner_at=at,
    )  # fmt: skip
    ix, iy = inner_centre(job.cx, job.cy, *sides, inner, at)
    if images is None:
        first = _nearest_corners(*first, job.cx, job.cy, job.home)
        end = (float(first[0][-1]), float(first[1][-1]))
        second = mirrored_after(*second, ix, iy, end, job.home)
    else:
        first = mirrors(*first, job.cx, job.cy)[images[0]]
        second = mirrors(*second, ix, iy)[images[1]]
        if images[2]:
            first, second = second, first
    if not base_legs:
        return joined(first, second)
    at_home = (np.array([job.home[0]]), np.array([job.home[1]]))
    return joined(at_home, first, second, at_home)


@dataclass(frozen=True)
class _TwoPass:
    """One way of sweeping an area twice in the middle (:func:`_second_pass`)."""

    area: tuple[float, float]
    inner: float
    base_legs: bool
    at: tuple[float, float]
    spacing_nm: float
    images: _Images | None = None

    def compose(self, job: _Job, inner: float | None = None) -> tuple[FloatArray, FloatArray]:
        return _compose(
            job, self.area, self.inner if inner is None else inner, self.base_legs,
            self.spacing_nm, self.at, self.images,
        )  # fmt: skip


def _second_pass(
    job: _Job,
    best: _Laid,
    sides: tuple[float, float],
    from_base: tuple[bool, ...],
    repass: Repass,
) -> _Laid:
    """Return the better of ``best`` and the area swept twice in the middle.

    (:mod:`littoral.search.repass`): for each middle, each way out (from base or not) and
    each size of area ``repass`` allows, the track spacing that spends the search time in
    whole legs, and the middle widened until the time left after them is spent too
    (:func:`_filled`). With :attr:`~littoral.search.repass.Repass.images`, the best few
    are laid again in every mirror image of each pass and with the middle swept first: a
    unit based inside its area searches on its way out and home, and which image puts those
    ways over the most probable water is found by trying them.
    """
    first_budget_nm = job.budget_nm(best.x, best.y)
    gain = job.grid.p if job.others_miss is None else job.grid.p * job.others_miss
    gain_sat = summed_area(gain)
    tries = itertools.product(from_base, repass.inner_sides, repass.grow, (False, True))
    found: list[tuple[float, _TwoPass]] = []
    for base_legs, inner, g, moved in tries:
        area = (sides[0] * g, sides[1] * g)
        at = _richest_place(job, gain_sat, area, inner) if moved else CENTRED
        if moved and at == CENTRED:
            continue
        s = _spacing(job, area, inner, base_legs, at, first_budget_nm)
        if s is None:
            continue
        way = _TwoPass(area, inner, base_legs, at, s)
        filled = replace(way, inner=_filled(job, way, repass.fill))
        # alone, the middle as given is kept too: it may be the better seed for the images
        for w in (way, filled) if repass.images or filled == way else (filled,):
            laid = _laid_twice(job, w)
            if laid is None:
                continue
            found.append((laid.value, w))
            if laid.value > best.value:
                best = laid
    found.sort(key=lambda t: -t[0])
    for _, way in found[: repass.images]:
        for images in itertools.product(range(4), range(4), (False, True)):
            mirrored = replace(way, images=images)
            filled = replace(mirrored, inner=_filled(job, mirrored, repass.fill))
            for w in (mirrored, filled) if filled != mirrored else (mirrored,):
                laid = _laid_twice(job, w)
                if laid is not None and laid.value > best.value:
                    best = laid
    return best


def _filled(job: _Job, way: _TwoPass, more: float) -> float:
    """Return the widest middle, at most ``more`` wider (a share of the sides), that fits.

    The spacing is chosen for whole legs, which leaves up to a leg's time unspent (3 % of
    a ship's track on the open-sea bench); a wider middle spends it.
    """
    lo, hi = way.inner, min(0.95, way.inner + more)
    if hi <= lo:
        return way.inner
    x, y = way.compose(job, hi)
    if _length(x, y) <= job.budget_nm(x, y):
        return hi
    for _ in range(10):
        mid = 0.5 * (lo + hi)
        x, y = way.compose(job, mid)
        lo, hi = (mid, hi) if _length(x, y) <= job.budget_nm(x, y) else (lo, mid)
    return lo


def _spacing(
    job: _Job,
    area: tuple[float, float],
    inner: float,
    base_legs: bool,
    at: tuple[float, float],
    first_budget_nm: float,
) -> float | None:
    """Return the track spacing whose two passes spend the search time in whole legs."""
    s = max(area[0] * area[1] * (1.0 + inner * inner) / first_budget_nm, 1e-3)
    for _ in range(3):
        x, y = _compose(job, area, inner, base_legs, s, at)
        budget = job.budget_nm(x, y)
        if budget <= 0:
            break
        s = max(s * _length(x, y) / budget, 1e-3)
    # then widen until the whole legs fit (their number jumps; a pattern cut short
    # loses its end, the second pass)
    for _ in range(6):
        x, y = _compose(job, area, inner, base_legs, s, at)
        budget = job.budget_nm(x, y)
        if budget <= 0 or _length(x, y) <= budget:
            break
        s *= max(1.02, _length(x, y) / budget)
    return None if s < job.unit.min_spacing_nm else s


def _laid_twice(job: _Job, way: _TwoPass) -> _Laid | None:
    """Lay ``way`` on the water with its transits and judge it.

    Its legs over the whole area are a whole number of spacings apart
    (:func:`~littoral.search.patterns.sweep_xy` rounds the spacing to fill the area
    across them): that distance is the track's spacing, the width of each leg's strip, so
    the strips of the first pass meet edge to edge.
    """
    x, y = way.compose(job)
    laid = _fit(
        job.sea, job.unit, job.home, job.near_nm, *lay_on_water(job.sea, x, y),
        vessel=job.vessel,
    )  # fmt: skip
    if laid is None:
        return None
    # a parallel sweep's legs run along the long side, a creeping line's across it
    across = max(way.area) if job.unit.pattern is PatternKind.CREEPING else min(way.area)
    s = across / max(1, round(across / way.spacing_nm))
    cells = pattern_pod_cells(job.grid, laid.x, laid.y, job.w_nm, s, job.law)
    where = "the middle" if way.at == CENTRED else f"the {_SIDE_NAMES[way.at]} part"
    note = f"swept twice over {where}, {way.inner:.0%} of its sides"
    return replace(
        laid, pos=float(np.sum(job.grid.p * cells)),
        value=_value(job.grid.p, job.others_miss, cells), spacing_nm=s, ew=way.area[0],
        ns=way.area[1], cells=cells,
        note="; ".join(t for t in (note, laid.note) if t),
    )  # fmt: skip


_SIDE_NAMES = {
    (ax, ay): ("north" if ay == 1.0 else "south" if ay == 0.0 else "")
    + ("east" if ax == 1.0 else "west" if ax == 0.0 else "")
    for ax, ay in PLACES
}


def _richest_place(
    job: _Job, gain_sat: FloatArray, sides: tuple[float, float], inner: float
) -> tuple[float, float]:
    """Where in the area a twice-swept rectangle ``inner`` of its sides holds most.

    ``gain_sat`` is the summed-area table of what a sweep of the unit gains per cell (the
    probability the units laid before it leave); of equals, the middle.
    """
    f = job.grid.frame
    ny, nx = f.shape

    def held(at: tuple[float, float]) -> float:
        ix, iy = inner_centre(job.cx, job.cy, *sides, inner, at)
        hw, hh = inner * sides[0] / 2.0, inner * sides[1] / 2.0
        c0 = min(max(round((ix - hw - f.x0_nm) / f.cell_nm), 0), nx)
        c1 = min(max(round((ix + hw - f.x0_nm) / f.cell_nm), 0), nx)
        r0 = min(max(round((iy - hh - f.y0_nm) / f.cell_nm), 0), ny)
        r1 = min(max(round((iy + hh - f.y0_nm) / f.cell_nm), 0), ny)
        return box(gain_sat, Rect(r0, r1, c0, c1)) if r1 > r0 and c1 > c0 else 0.0

    middle = held(CENTRED)
    best = max(PLACES, key=held)
    return best if held(best) > middle * (1.0 + 1e-9) else CENTRED


@dataclass(frozen=True, kw_only=True)
class _Laid:
    """A pattern on water that fits the unit's time, with its transits."""

    x: FloatArray
    y: FloatArray
    out: FloatArray
    back: FloatArray
    out_nm: float
    note: str = ""
    pos: float = 0.0
    value: float = 0.0
    """What the plan gains by it: its POS on what the units laid before it leave."""
    spacing_nm: float = 0.0
    ew: float = 0.0
    ns: float = 0.0
    cells: FloatArray | None = None


def _fit(
    sea: Seaway,
    unit: SearchUnit,
    home: tuple[float, float],
    near_nm: float,
    x: FloatArray,
    y: FloatArray,
    *,
    vessel: bool,
) -> _Laid | None:
    """Add the transits and cut the pattern to the search time they leave."""
    if x.size < 2:
        return None
    note = ""
    for _ in range(4):
        out = sea.route(home[0], home[1], float(x[0]), float(y[0])) if vessel else np.array(
            [home, (x[0], y[0])]
        )  # fmt: skip
        back = sea.route(float(x[-1]), float(y[-1]), home[0], home[1]) if vessel else np.array(
            [(x[-1], y[-1]), home]
        )  # fmt: skip
        if out is None or back is None:
            return None
        transit = max(path_length_nm(out) + path_length_nm(back), 2.0 * near_nm)
        budget = unit.speed_kn * unit.on_scene_hours(transit) * unit.productive_fraction
        if budget <= 0:
            return None
        if _length(x, y) <= budget * (1 + 1e-9):
            return _Laid(x=x, y=y, out=out, back=back, out_nm=path_length_nm(out), note=note)
        x, y = _truncate(x, y, budget * 0.999)
        note = "the pattern stops short: the search time ends before it"
    return None


def _value(p: FloatArray, others_miss: FloatArray | None, cells: FloatArray) -> float:
    """POS of a pattern's cells on ``p``, of what the other units miss when given."""
    return float(np.sum(p * cells if others_miss is None else p * others_miss * cells))


def _ring(cx: float, cy: float, ew: float, ns: float) -> tuple[FloatArray, FloatArray]:
    return (
        cx + np.array([-ew, ew, ew, -ew, -ew]) / 2,
        cy + np.array([-ns, -ns, ns, ns, -ns]) / 2,
    )


def _outline(frame: GridFrame, area: Any) -> tuple[FloatArray, FloatArray] | None:
    """Exterior ring of the largest water part of an area, in degrees."""
    parts = [g for g in getattr(area, "geoms", [area]) if g.geom_type == "Polygon"]
    if not parts:
        return None
    big = max(parts, key=lambda g: g.area)
    xy = np.asarray(big.exterior.coords)
    return frame.to_lonlat(xy[:, 0], xy[:, 1])


def _lay_pattern(
    kind: PatternKind,
    cx: float,
    cy: float,
    width_ew: float,
    height_ns: float,
    area: float,
    budget_nm: float,
    fits: Callable[[FloatArray, FloatArray], bool] | None = None,
    min_spacing_nm: float = 0.0,
) -> list[tuple[FloatArray, FloatArray, float, float, float]]:
    """Candidate plane waypoints ``(x, y, spacing, east-west side, north-south side)``.

    The legs are whole: either as many as fit the search time over the whole rectangle, or
    one more, over a rectangle shortened along the legs until the pattern fits.
    """
    long_side, short_side = max(width_ew, height_ns), min(width_ew, height_ns)
    axis_deg = 90.0 if width_ew >= height_ns else 0.0
    ideal_s = area / budget_nm if budget_nm > 0 else math.inf
    if kind is PatternKind.SECTOR:
        # nine legs of the radius (IAMSAR VS), as large as the area and the time allow;
        # "spacing" is the radius, the leg length
        radius = min(long_side / 2.0, budget_nm / 9.0) if budget_nm > 0 else long_side / 2.0
        radius = max(radius, 1e-3)
        while True:
            x, y = sector_xy(cx, cy, radius)
            if fits is None or fits(x, y) or radius < 1e-3:
                return [(x, y, radius, 2 * radius, 2 * radius)]
            radius *= 0.9
    square = kind is PatternKind.EXPANDING_SQUARE
    creeping = kind is PatternKind.CREEPING
    across = long_side if square or creeping else short_side

    def lay(n: int, leg_nm: float) -> tuple[FloatArray, FloatArray, float, float, float]:
        s = across / n
        if square:
            x, y = expanding_square_xy(cx, cy, long_side, s, first_leg_deg=0.0)
            x, y = _recentre_square(x, y, cx, cy)
            return x, y, s, width_ew, height_ns
        if creeping:
            x, y = sweep_xy(cx, cy, long_side, leg_nm, s, axis_deg, creeping=True)
            ew, ns = (long_side, leg_nm) if axis_deg == 90.0 else (leg_nm, long_side)
            return x, y, s, ew, ns
        x, y = sweep_xy(cx, cy, leg_nm, short_side, s, axis_deg)
        ew, ns = (leg_nm, short_side) if axis_deg == 90.0 else (short_side, leg_nm)
        return x, y, s, ew, ns

    leg_full = short_side if creeping else long_side
    n = max(1, round(across / ideal_s)) if math.isfinite(ideal_s) else 1
    most = max(1, math.floor(across / min_spacing_nm + 1e-9)) if min_spacing_nm > 0 else n
    n = min(n, most)
    while True:
        full = lay(n, leg_full)
        ok = fits(full[0], full[1]) if fits else _length(full[0], full[1]) <= budget_nm
        if ok or n == 1:
            break
        n -= 1
    out = [full]
    if not square and math.isfinite(ideal_s) and n + 1 <= most:
        m = n + 1
        s = across / m
        # m legs of length l and (m - 1) cross-legs of s: m l + (m - 1) s = budget
        leg = min((budget_nm - (m - 1) * s) / m, leg_full)
        if fits is not None and leg > 0:
            # the longest legs that fit, transits included
            lo, hi = 0.0, leg_full
            for _ in range(8):
                mid = 0.5 * (lo + hi)
                lo, hi = (mid, hi) if fits(*lay(m, mid)[:2]) else (lo, mid)
            leg = lo
        if 0 < leg < leg_full:
            out.append(lay(m, leg))
    return out


def _length(x: FloatArray, y: FloatArray) -> float:
    return float(np.hypot(np.diff(x), np.diff(y)).sum())


def _truncate(x: FloatArray, y: FloatArray, length_nm: float) -> tuple[FloatArray, FloatArray]:
    """Cut a polyline after ``length_nm``."""
    seg = np.hypot(np.diff(x), np.diff(y))
    along = np.concatenate([[0.0], np.cumsum(seg)])
    k = int(np.searchsorted(along, length_nm, side="right"))
    k = min(max(k, 1), seg.size)
    f = (length_nm - along[k - 1]) / seg[k - 1] if seg[k - 1] > 0 else 0.0
    ex = x[k - 1] + f * (x[k] - x[k - 1])
    ey = y[k - 1] + f * (y[k] - y[k - 1])
    return np.append(x[:k], ex), np.append(y[:k], ey)


def pattern_pod_cells(
    grid: ProbabilityGrid,
    x: FloatArray,
    y: FloatArray,
    sweep_width_nm: float,
    spacing_nm: float,
    law: DetectionLaw,
) -> FloatArray:
    """POD of a track (plane NM) in every cell: the law of the cell's mean swept coverage.

    The strips are clipped to the cells exactly, so the coverage spent over the grid is the
    track's effort: with a concave law no pattern beats the water-filling bound.
    """
    f = grid.frame
    cov = cell_coverage(f.x0_nm, f.y0_nm, f.cell_nm, f.nx, f.ny, x, y, sweep_width_nm, spacing_nm)
    return np.where(grid.water, pod(cov, law), 0.0)


def _nearest_corners(
    x: FloatArray, y: FloatArray, cx: float, cy: float, home: tuple[float, float]
) -> tuple[FloatArray, FloatArray]:
    """Mirror the pattern about the area's axes so its two ends are nearest home.

    Of the four mirror images the one with the shortest way out to the CSP and back from
    the last waypoint (as the crow flies) is kept; of equals, the one with the nearer CSP.
    """
    bx, by = home

    def ways(o: tuple[FloatArray, FloatArray]) -> tuple[float, float]:
        out = math.hypot(float(o[0][0]) - bx, float(o[1][0]) - by)
        back = math.hypot(float(o[0][-1]) - bx, float(o[1][-1]) - by)
        return round(out + back, 9), out

    return min(mirrors(x, y, cx, cy), key=ways)


def _recentre_square(
    x: FloatArray, y: FloatArray, cx: float, cy: float
) -> tuple[FloatArray, FloatArray]:
    """Shift an expanding square so its bounding box is centred on the area's centre."""
    mx = (float(x.min()) + float(x.max())) / 2
    my = (float(y.min()) + float(y.max())) / 2
    return x + (cx - mx), y + (cy - my)
