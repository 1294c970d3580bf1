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
realised pattern with this model on the grid, and ``littoral search update`` judges the
tracks run with it on the drifting particles, so the plan's POS and the update's agree.
"""

from __future__ import annotations

import numpy as np

from littoral.search.detection import DetectionLaw, pod
from littoral.search.frame import FloatArray

_CHUNK = 4_000_000


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
    half = spacing_nm / 2.0
    c = sweep_width_nm / spacing_nm
    step = max(1, _CHUNK // length.size)
    for s in range(0, px.size, step):
        qx = px[s : s + step, None] - ax[None, :]
        qy = py[s : s + step, None] - ay[None, :]
        along = qx * ux + qy * uy
        across = np.abs(qx * uy - qy * ux)
        inside = (along >= 0.0) & (along < length) & (across < half)
        out[s : s + step] = c * inside.sum(axis=1)
    return out


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
