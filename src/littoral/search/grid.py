"""The probability map of a search: where the search object is, cell by cell.

A :class:`ProbabilityGrid` holds, on a :class:`~littoral.search.frame.GridFrame`, the
probability of containment (POC) of every water cell. It always sums to one: probability
already stranded on shore, or that fell outside the frame, is reported apart
(``stranded_probability``, ``outside_probability``, as fractions of the whole prior), as IAMSAR
Vol. II (ch. 4) keeps the possibility "on shore" out of the search-area POC.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError
from littoral.search.frame import FloatArray, GridFrame

BoolArray = npt.NDArray[np.bool_]
WaterMask = Callable[[FloatArray, FloatArray], BoolArray]
"""``water(lon, lat) -> bool array``: True where a position is at sea."""


def open_water(lon: FloatArray, lat: FloatArray) -> BoolArray:
    """Water mask that calls every position sea (open ocean, or a test)."""
    return np.ones(np.broadcast(lon, lat).shape, dtype=np.bool_)


def caspian_water(lon: FloatArray, lat: FloatArray) -> BoolArray:
    """Water mask of the Caspian Sea (islands and shore are land), from :mod:`littoral.geo`."""
    from littoral.geo import CaspianSea

    return np.asarray(CaspianSea.load().contains(lon, lat), dtype=np.bool_)


def fixed_water(mask: BoolArray) -> WaterMask:
    """Water mask that returns an already computed cell mask (same frame)."""

    def _mask(lon: FloatArray, lat: FloatArray) -> BoolArray:
        return mask

    return _mask


def water_cells(frame: GridFrame, water: WaterMask | None) -> BoolArray:
    """Water flag of every cell of ``frame``, judged at the cell centre."""
    mask_fn = caspian_water if water is None else water
    lon, lat = frame.centres_lonlat()
    mask = np.asarray(mask_fn(lon, lat), dtype=np.bool_)
    if mask.shape != frame.shape:
        raise InputError(f"water mask returned shape {mask.shape}, expected {frame.shape}")
    return mask


@dataclass(frozen=True)
class ProbabilityGrid:
    """Probability of containment per cell, over water only; sums to one.

    Attributes
    ----------
    frame:
        Geometry of the grid.
    p:
        POC of each cell, ``(ny, nx)``, zero on land, summing to one.
    water:
        True for the water cells, ``(ny, nx)``.
    stranded_probability:
        Share of the whole prior already stranded on shore (not in ``p``).
    outside_probability:
        Share of the whole prior that lay outside the frame (not in ``p``).
    cumulative_pos:
        Probability of success of all the searches applied so far (relative to the prior
        before the first one).
    coast:
        True when the water is the Caspian polygon (plans then keep to its water, see
        :mod:`littoral.search.seaway`); False for open water.
    """

    frame: GridFrame
    p: FloatArray
    water: BoolArray
    stranded_probability: float = 0.0
    outside_probability: float = 0.0
    cumulative_pos: float = 0.0
    coast: bool = False

    def __post_init__(self) -> None:
        if self.p.shape != self.frame.shape or self.water.shape != self.frame.shape:
            raise InputError(
                f"probability shape {self.p.shape} / water shape {self.water.shape} "
                f"do not match the frame {self.frame.shape}"
            )

    @classmethod
    def from_mass(
        cls,
        frame: GridFrame,
        mass: npt.ArrayLike,
        water: BoolArray,
        *,
        stranded_probability: float = 0.0,
        outside_probability: float = 0.0,
    ) -> ProbabilityGrid:
        """Normalise non-negative cell masses to a grid; mass on land moves to the nearest water.

        Raises
        ------
        InputError
            If there is no water cell, a negative or non-finite mass, or no mass at all.
        """
        m = np.array(mass, dtype=np.float64)
        if m.shape != frame.shape:
            raise InputError(f"mass shape {m.shape} does not match the frame {frame.shape}")
        if not np.all(np.isfinite(m)) or (m < 0).any():
            raise InputError("cell masses must be finite and non-negative")
        if not water.any():
            raise InputError("the search grid holds no water cell")
        m = move_land_mass_to_water(m, water)
        total = float(m.sum())
        if not total > 0:
            raise InputError("no probability falls on the water cells of the grid")
        return cls(
            frame=frame,
            p=m / total,
            water=water.copy(),
            stranded_probability=float(stranded_probability),
            outside_probability=float(outside_probability),
        )

    @property
    def cell_area_nm2(self) -> float:
        """Area of one cell, NM²."""
        return self.frame.cell_area_nm2

    @property
    def density(self) -> FloatArray:
        """Probability density per NM², ``(ny, nx)``."""
        return self.p / self.frame.cell_area_nm2

    def total(self) -> float:
        """Sum of the cell probabilities (one, to rounding)."""
        return float(self.p.sum())

    def after_search(self, pod: npt.ArrayLike) -> tuple[ProbabilityGrid, float]:
        """Bayes' rule after an unsuccessful search with the given POD per cell.

        Returns the posterior grid and the POS of this search
        (``sum(p * pod)``); the posterior's ``cumulative_pos`` is updated.
        """
        pod_a = np.asarray(pod, dtype=np.float64)
        if pod_a.shape != self.frame.shape:
            raise InputError(f"pod shape {pod_a.shape} does not match the grid {self.frame.shape}")
        if not np.all(np.isfinite(pod_a)) or (pod_a < 0).any() or (pod_a > 1).any():
            raise InputError("pod must lie in [0, 1] in every cell")
        remaining = self.p * (1.0 - pod_a)
        pos = float(self.p.sum() - remaining.sum())
        left = float(remaining.sum())
        if not left > 0:
            raise InputError("the search detects the object with certainty: nothing left to update")
        cumulative = 1.0 - (1.0 - self.cumulative_pos) * (1.0 - pos)
        return replace(self, p=remaining / left, cumulative_pos=cumulative), pos


def mixture(grids: Sequence[ProbabilityGrid], weights: Sequence[float]) -> ProbabilityGrid:
    """Weighted mixture of scenario grids on one frame (e.g. two possible distress positions).

    Each grid's ``stranded`` and ``outside`` shares are mixed with the same weights.
    """
    if len(grids) == 0 or len(grids) != len(weights):
        raise InputError(f"need one weight per grid: {len(grids)} grids, {len(weights)} weights")
    w = np.asarray(weights, dtype=np.float64)
    if not np.all(np.isfinite(w)) or (w < 0).any() or not w.sum() > 0:
        raise InputError(f"scenario weights {list(weights)!r} must be non-negative, not all zero")
    w = w / w.sum()
    frame = grids[0].frame
    for g in grids[1:]:
        if g.frame != frame:
            raise InputError("scenario grids must share one frame (build them with frame=...)")
    on_grid = np.array(
        [1.0 - g.stranded_probability - g.outside_probability for g in grids], dtype=np.float64
    )
    mass = sum(
        (wi * oi * g.p for wi, oi, g in zip(w, on_grid, grids, strict=True)), np.zeros(frame.shape)
    )
    stranded = float(sum(wi * g.stranded_probability for wi, g in zip(w, grids, strict=True)))
    outside = float(sum(wi * g.outside_probability for wi, g in zip(w, grids, strict=True)))
    out = ProbabilityGrid.from_mass(
        frame, mass, grids[0].water, stranded_probability=stranded, outside_probability=outside
    )
    return replace(out, coast=grids[0].coast)


def move_land_mass_to_water(mass: FloatArray, water: BoolArray) -> FloatArray:
    """Give the mass of land cells to their nearest water cell (coastline cells are coarse)."""
    on_land = (~water) & (mass > 0)
    if not on_land.any():
        return mass
    from scipy.ndimage import distance_transform_edt

    _, (iy, ix) = distance_transform_edt(~water, return_indices=True)
    out = np.where(water, mass, 0.0)
    ly, lx = np.nonzero(on_land)
    np.add.at(out, (iy[ly, lx], ix[ly, lx]), mass[ly, lx])
    return out
