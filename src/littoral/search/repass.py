"""A second pass over the middle of a unit's area: coverage that rises toward the centre.

Uniform coverage of one rectangle is not the optimal allocation of effort: Stone's theory
(*Theory of Optimal Search*, 1975/1989, ch. 2; Koopman 1946) spreads effort so the
marginal return ``p(x) exp(-c(x))`` is equal everywhere searched, so a peaked distribution
(the circular normal of a datum, a drift cloud) gets more coverage near its centre. One
unit approaches that with a re-search (IAMSAR Vol. II ch. 5 re-searches an area's most
probable part): after its pattern over the whole area it sails a second one, legs at right
angles to the first and the same track spacing, over a concentric rectangle a fraction
``inner`` of the area's sides. The coverage is ``W / S`` over the area and ``2 W / S`` in
the middle, and the track stays one track of one spacing, judged by plan and update alike
(:mod:`littoral.search.swept`). On a circular normal this reaches 0.99 of the optimum where
one uniform square reaches 0.97, for the same effort.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from littoral.search.frame import FloatArray
from littoral.search.patterns import sweep_xy


@dataclass(frozen=True)
class Repass:
    """The second passes a unit's pattern may try.

    Attributes
    ----------
    inner_sides:
        Sides of the middle rectangle as fractions of the area's, tried in turn.
    grow:
        Sides of the twice-swept area as fractions of the unit's rectangle, tried in turn.
    """

    inner_sides: tuple[float, ...]
    grow: tuple[float, ...]


AMONG_OTHERS = Repass(inner_sides=(0.5, 0.65), grow=(0.9, 1.0))
"""A unit with neighbours: its area is never larger than its rectangle (areas of different
units do not overlap)."""
ALONE = Repass(inner_sides=(0.4, 0.5, 0.6, 0.7, 0.8), grow=(0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5))
"""A unit searching alone: a second pass spreads the first one wider, and a finer choice of
middles costs little with one unit (open sea, one ship at the datum: 0.938 of the bound
with the choices of :data:`AMONG_OTHERS` and the rectangle's size or 1.15 and 1.3 times it,
0.957 with these)."""
ONE_PASS = Repass(inner_sides=(), grow=())
"""No second pass."""


def two_pass_xy(
    cx: float,
    cy: float,
    width_ew: float,
    height_ns: float,
    spacing_nm: float,
    inner: float,
    *,
    creeping: bool = False,
) -> tuple[tuple[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]:
    """Plane waypoints of the two passes: the whole area, then its middle at right angles.

    The first pass is a parallel sweep (legs along the long side) or a creeping line (legs
    across it); the second the other of the two over the middle ``inner`` of each side.
    """
    if not 0.0 < inner < 1.0:
        raise ValueError(f"inner={inner!r} must be in (0, 1)")
    axis = 90.0 if width_ew >= height_ns else 0.0
    long_side, short_side = max(width_ew, height_ns), min(width_ew, height_ns)
    first = sweep_xy(cx, cy, long_side, short_side, spacing_nm, axis, creeping=creeping)
    second = sweep_xy(
        cx, cy, inner * long_side, inner * short_side, spacing_nm, axis, creeping=not creeping
    )
    return first, second


def mirrored_after(
    x: FloatArray, y: FloatArray, cx: float, cy: float, after: tuple[float, float],
    home: tuple[float, float],
) -> tuple[FloatArray, FloatArray]:  # fmt: skip
    """Mirror a pass about ``(cx, cy)`` so it starts nearest ``after`` and ends nearest home."""

    def cost(o: tuple[FloatArray, FloatArray]) -> float:
        join = math.hypot(float(o[0][0]) - after[0], float(o[1][0]) - after[1])
        back = math.hypot(float(o[0][-1]) - home[0], float(o[1][-1]) - home[1])
        return join + back

    return min(mirrors(x, y, cx, cy), key=cost)


def mirrors(
    x: FloatArray, y: FloatArray, cx: float, cy: float
) -> list[tuple[FloatArray, FloatArray]]:
    """Return the four images of a pattern mirrored about the axes through ``(cx, cy)``."""
    return [(sx * (x - cx) + cx, sy * (y - cy) + cy) for sx in (1.0, -1.0) for sy in (1.0, -1.0)]


def joined(*parts: tuple[FloatArray, FloatArray]) -> tuple[FloatArray, FloatArray]:
    """One polyline of the parts in order (straight joins)."""
    return (
        np.concatenate([np.asarray(p[0], dtype=np.float64) for p in parts]),
        np.concatenate([np.asarray(p[1], dtype=np.float64) for p in parts]),
    )
