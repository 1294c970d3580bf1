"""A surface current derived from the wind, for seas without a current product.

No global ocean current product covers the Caspian (the global NEMO and FESOM
configurations leave it out), so a coordinator often has a wind forecast and nothing for
the current. The manual method of the IAMSAR Manual (Vol. II, Appendix N, "local wind
current") then estimates the wind-driven surface current from the wind alone: a current
setting downwind at a fixed fraction of the wind speed. :class:`WindDrivenCurrent` applies
that rule at every grid point and time of a wind reader:

    current = factor * (wind vector rotated by deflection_deg clockwise)

with :data:`IAMSAR_RULE` (3 % of the wind speed, downwind) by default. The rule is a
stand-in for a real current: it has no inertia, no coastal set-up and no circulation; the
drift run records that it was chosen. littoral's own circulation model (``littoral
currents run``, CF NetCDF ``uo``/``vo``) or a national centre's model output are read as
ordinary current files instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from littoral.drift.forcing.base import Bbox, ForcingReader, sample_reader
from littoral.drift.forcing.grid import Coverage, GridField, Reach
from littoral.drift.forcing.names import CURRENT, WIND
from littoral.errors import ForcingError, InputError


@dataclass(frozen=True, kw_only=True, slots=True)
class WindCurrentRule:
    """Wind current as a fraction of the 10 m wind, turned by a fixed angle.

    Attributes
    ----------
    factor:
        Current speed over wind speed (0..0.1).
    deflection_deg:
        Angle from downwind to the current's direction, degrees clockwise (-90..90).
    source:
        Where the numbers come from.
    """

    factor: float
    deflection_deg: float
    source: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.factor <= 0.1:
            raise InputError(f"wind current factor={self.factor!r} must be in 0..0.1")
        if not -90.0 <= self.deflection_deg <= 90.0:
            raise InputError(f"wind current deflection_deg={self.deflection_deg!r} not in -90..90")


IAMSAR_RULE = WindCurrentRule(
    factor=0.03,
    deflection_deg=0.0,
    source="IAMSAR Manual Vol. II, Appendix N, local wind current: downwind, 3 % of wind speed",
)


class WindDrivenCurrent:
    """The surface current of a rule applied to a wind reader's field.

    Parameters
    ----------
    wind:
        A reader providing the 10 m wind.
    rule:
        The rule; default :data:`IAMSAR_RULE`.
    """

    def __init__(self, wind: ForcingReader, rule: WindCurrentRule = IAMSAR_RULE) -> None:
        if not all(n in wind.variables for n in WIND):
            raise InputError(f"a wind-driven current needs a wind; {wind.name} has none")
        self.wind = wind
        self.rule = rule

    @property
    def name(self) -> str:
        """Provenance text."""
        return f"wind-driven current ({self.rule.source}) from {self.wind.name}"

    @property
    def n_members(self) -> int:
        """Ensemble members of the wind."""
        from littoral.drift.forcing.members import n_members

        return n_members(self.wind)

    def member(self, k: int) -> WindDrivenCurrent:
        """Return the current of member ``k`` of the wind."""
        from littoral.drift.forcing.members import member_of

        return WindDrivenCurrent(member_of(self.wind, k), self.rule)

    @property
    def variables(self) -> frozenset[str]:
        """The current's CF names."""
        return frozenset(CURRENT)

    def coverage(self, name: str) -> Coverage:
        """Return the wind's coverage."""
        return self.wind.coverage(WIND[CURRENT.index(name)])

    def field(
        self,
        names: tuple[str, str],
        bbox: Bbox,
        t0_s: float,
        t1_s: float,
        reach: Reach | None = None,
    ) -> GridField:
        """Return the wind's field turned into the current by the rule."""
        if tuple(names) != CURRENT:
            raise ForcingError(f"{self.name} has only {CURRENT}")
        w = self.wind.field(WIND, bbox, t0_s, t1_s, reach)
        a = math.radians(self.rule.deflection_deg)
        u, v = w.data[..., 0].astype(np.float64), w.data[..., 1].astype(np.float64)
        # Clockwise rotation by a (bearings turn clockwise; u east, v north).
        data = np.empty_like(w.data)
        data[..., 0] = self.rule.factor * (u * math.cos(a) + v * math.sin(a))
        data[..., 1] = self.rule.factor * (-u * math.sin(a) + v * math.cos(a))
        return GridField(names=CURRENT, times_s=w.times_s, lon=w.lon, lat=w.lat, data=data,
                         source=f"{self.name}: {w.source}", filled_cells=w.filled_cells,
                         gap_cells=w.gap_cells)  # fmt: skip

    def sample(
        self,
        names: Sequence[str],
        time: datetime,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> dict[str, npt.NDArray[np.float64]]:
        """Values at points."""
        return sample_reader(self, names, time, lon, lat)
