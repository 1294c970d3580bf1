"""Each scenario's share of the probability, before and after a search (Bayes' rule).

The map a plan allocates on is the weighted mixture of the scenarios' maps,
``p = sum_s w_s p_s`` (SAROPS; Kratzke, Stone and Frost 2010). A search with detection
probability ``q`` per cell (or per particle) that finds nothing leaves scenario ``s`` the
posterior share

    w_s' = w_s (1 - POS_s) / (1 - POS),   POS_s = sum_j p_s,j q_j,   POS = sum_s w_s POS_s,

which is Bayes' rule over the scenarios (Stone 1975, ch. 2): a search over one scenario's
area alone moves weight to the others. :class:`ScenarioMap` holds the scenarios' grids on
one frame; :func:`particle_shares_after` does the same for a mixture drift's particles
(:mod:`littoral.drift.mixture`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from littoral.drift.mixture import scenario_shares
from littoral.drift.result import DriftResult
from littoral.errors import InputError
from littoral.search.grid import ProbabilityGrid, mixture


@dataclass(frozen=True, kw_only=True, slots=True)
class ShareChange:
    """One scenario's share of the probability before and after a search."""

    name: str
    before: float
    after: float

    def to_json(self) -> dict[str, float | str]:
        """Return the change as JSON values (rounded to 1e-6)."""
        return {"name": self.name, "before": round(self.before, 6), "after": round(self.after, 6)}


def share_changes(before: dict[str, float], after: dict[str, float]) -> list[ShareChange]:
    """Pair the shares before and after, in the order of ``before``."""
    return [ShareChange(name=k, before=v, after=after.get(k, 0.0)) for k, v in before.items()]


@dataclass(frozen=True)
class ScenarioMap:
    """Scenario grids on one frame and their weights (normalised on construction)."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    grids: tuple[ProbabilityGrid, ...]

    def __post_init__(self) -> None:
        if not (len(self.names) == len(self.weights) == len(self.grids) > 0):
            raise InputError(
                f"need one name and one weight per grid: {len(self.names)} names, "
                f"{len(self.weights)} weights, {len(self.grids)} grids"
            )
        w = np.asarray(self.weights, dtype=np.float64)
        if not np.all(np.isfinite(w)) or (w < 0).any() or not w.sum() > 0:
            raise InputError(f"scenario weights {list(self.weights)!r} must be >= 0, not all 0")
        object.__setattr__(self, "weights", tuple(float(x) for x in w / w.sum()))

    @classmethod
    def of(
        cls, names: Sequence[str], weights: Sequence[float], grids: Sequence[ProbabilityGrid]
    ) -> ScenarioMap:
        """Build from sequences."""
        return cls(tuple(names), tuple(weights), tuple(grids))

    def grid(self) -> ProbabilityGrid:
        """Return the weighted mixture the planner allocates on."""
        return mixture(list(self.grids), list(self.weights))

    def shares(self) -> dict[str, float]:
        """Return each scenario's share (its weight)."""
        return dict(zip(self.names, self.weights, strict=True))

    def after_search(self, pod: npt.ArrayLike) -> ScenarioMap:
        """Return the scenarios after a search of POD ``pod`` per cell found nothing."""
        q = np.asarray(pod, dtype=np.float64)
        grids = []
        kept = []
        for w, g in zip(self.weights, self.grids, strict=True):
            on_grid = 1.0 - g.stranded_probability - g.outside_probability
            pos_s = on_grid * float(np.sum(g.p * q))
            kept.append(w * (1.0 - pos_s))
            grids.append(g.after_search(q)[0] if pos_s < on_grid else g)
        return ScenarioMap(self.names, tuple(kept), tuple(grids))


def particle_shares_after(
    result: DriftResult, pod: npt.NDArray[np.float64]
) -> tuple[dict[str, float], dict[str, float]]:
    """Return each scenario's share before and after a search of POD ``pod`` per particle."""
    w = np.asarray(result.weight, dtype=np.float64)
    return scenario_shares(result), scenario_shares(result, w * (1.0 - pod))
