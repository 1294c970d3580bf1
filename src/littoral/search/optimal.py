"""The unconstrained optimum of search effort: Koopman's and Stone's water-filling.

For cells of prior ``p_j`` and area ``A_j``, exponential detection and a total effort ``Z``
(NM², the sum of sweep width times track length of every unit), the allocation that
maximises the probability of success gives each cell the coverage
``c_j = max(0, ln(d_j / lambda))``, ``d_j = p_j / A_j``, with ``lambda`` set so that
``sum(A_j c_j) = Z``; then ``POS* = sum over searched cells of (p_j - lambda A_j)``
(Koopman 1957, "The theory of search III"; Stone 1975, *Theory of Optimal Search*, ch. 2).
Under Koopman's inverse-cube law for parallel sweeps, ``POD = erf(sqrt(pi) c / 2)``, the same
condition (``d_j`` times the law's slope ``exp(-pi c**2 / 4)`` equals ``lambda``) gives
``c_j = sqrt((4 / pi) ln(d_j / lambda))``; ``lambda`` is then found by bisection. Both laws
are concave, so the condition is sufficient (Stone 1975, th. 2.2.4).
No real plan, with its rectangles and straight tracks, can do better: it is the bound every
plan is compared with. For a circular normal prior of standard deviation ``sigma`` it is
``1 - (1 + sqrt(H)) exp(-sqrt(H))`` with ``H = Z / (pi sigma**2)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError
from littoral.search.detection import DetectionLaw, pod_inverse_cube

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class OptimalAllocation:
    """Result of water-filling.

    Attributes
    ----------
    coverage:
        Optimal coverage of each cell (same shape as the prior).
    lam:
        The threshold density ``lambda`` (probability per NM²); cells denser than it are searched.
    pos:
        Probability of success of the optimal allocation.
    effort_nm2:
        Total effort spread, NM².
    """

    coverage: FloatArray
    lam: float
    pos: float
    effort_nm2: float


def water_filling(
    p: npt.ArrayLike,
    area_nm2: npt.ArrayLike | float,
    effort_nm2: float,
    law: DetectionLaw = DetectionLaw.EXPONENTIAL,
) -> OptimalAllocation:
    """Optimal allocation of ``effort_nm2`` over cells of prior ``p`` and area ``area_nm2``.

    ``law`` is the POD law of coverage the optimum is taken under (the plan's).

    Raises
    ------
    InputError
        For a negative effort, negative probabilities or non-positive areas.
    """
    prob = np.asarray(p, dtype=np.float64)
    area = np.broadcast_to(np.asarray(area_nm2, dtype=np.float64), prob.shape)
    if not (math.isfinite(effort_nm2) and effort_nm2 >= 0):
        raise InputError(f"effort_nm2={effort_nm2!r} must be >= 0")
    if (prob < 0).any() or not np.all(np.isfinite(prob)):
        raise InputError("probabilities must be finite and >= 0")
    if (area <= 0).any():
        raise InputError("cell areas must be > 0")
    flat_p = prob.ravel()
    flat_a = area.ravel()
    pos_idx = np.nonzero(flat_p > 0)[0]
    coverage = np.zeros(prob.size)
    if effort_nm2 == 0 or pos_idx.size == 0:
        return OptimalAllocation(coverage.reshape(prob.shape), math.inf, 0.0, float(effort_nm2))
    d = flat_p[pos_idx] / flat_a[pos_idx]
    if law is DetectionLaw.INVERSE_CUBE:
        c_all, lam = _inverse_cube_coverage(d, flat_a[pos_idx], effort_nm2)
        coverage[pos_idx] = c_all
        pos = float(np.sum(flat_p[pos_idx] * pod_inverse_cube(c_all)))
        return OptimalAllocation(coverage.reshape(prob.shape), lam, pos, float(effort_nm2))
    order = np.argsort(-d, kind="stable")
    d_s = d[order]
    a_s = flat_a[pos_idx][order]
    cum_a = np.cumsum(a_s)
    cum_alnd = np.cumsum(a_s * np.log(d_s))
    # with the k densest cells searched, ln(lambda) = (sum A ln d - Z) / sum A
    log_lam = (cum_alnd - effort_nm2) / cum_a
    nxt = np.append(np.log(d_s[1:]), -np.inf)
    valid = log_lam >= nxt
    k = int(np.argmax(valid))
    lam_log = float(log_lam[k])
    lam = math.exp(lam_log)
    c = np.maximum(0.0, np.log(d_s[: k + 1]) - lam_log)
    sel = pos_idx[order[: k + 1]]
    coverage[sel] = c
    pos = float(np.sum(flat_p[sel] * -np.expm1(-c)))
    return OptimalAllocation(coverage.reshape(prob.shape), lam, pos, float(effort_nm2))


def _inverse_cube_coverage(
    d: FloatArray, area: FloatArray, effort_nm2: float
) -> tuple[FloatArray, float]:
    """Coverage ``sqrt((4/pi) ln(d / lambda))`` with ``lambda`` bisected to spend the effort."""
    log_d = np.log(d)

    def coverage(log_lam: float) -> FloatArray:
        return np.sqrt((4.0 / math.pi) * np.maximum(0.0, log_d - log_lam))

    hi = float(log_d.max())  # nothing searched
    lo = hi - 1.0
    while float(np.sum(area * coverage(lo))) < effort_nm2:
        lo -= 2.0 * (hi - lo)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if float(np.sum(area * coverage(mid))) > effort_nm2:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-13:
            break
    return coverage(hi), math.exp(hi)


def circular_normal_pos(effort_nm2: float, sigma_nm: float) -> float:
    """Closed-form optimal POS for a circular normal prior: ``1 - (1 + sqrt(H)) e^-sqrt(H)``."""
    if not sigma_nm > 0:
        raise InputError(f"sigma_nm={sigma_nm!r} must be > 0")
    h = effort_nm2 / (math.pi * sigma_nm * sigma_nm)
    r = math.sqrt(h)
    return 1.0 - (1.0 + r) * math.exp(-r)
