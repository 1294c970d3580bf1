"""Forcing that is the same everywhere and always."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

from littoral.drift.forcing.base import Bbox, pair_of, sample_reader
from littoral.drift.forcing.grid import Coverage, GridField, Reach
from littoral.drift.forcing.names import (
    CURRENT_U,
    CURRENT_V,
    WIND_U,
    WIND_V,
    current_components_ms,
    wind_components_ms,
)
from littoral.errors import InputError


class ConstantForcing:
    """Constant values of some forcing variables (m/s, CF names).

    Examples
    --------
    >>> f = ConstantForcing.from_observation(wind=(0.0, 20.0), current=(90.0, 0.5))
    >>> sorted(f.variables)[:2]
    ['eastward_sea_water_velocity', 'eastward_wind']
    """

    def __init__(self, values: Mapping[str, float], name: str = "constant") -> None:
        for key, value in values.items():
            pair = pair_of(key)
            if not all(n in values for n in pair):
                raise InputError(f"constant forcing gives {key!r} without its pair {pair!r}")
            if not np.isfinite(value):
                raise InputError(f"constant forcing {key}={value!r} must be finite")
        self._values = {k: float(v) for k, v in values.items()}
        self._name = name

    @classmethod
    def from_observation(
        cls,
        *,
        wind: tuple[float, float] | None = None,
        current: tuple[float, float] | None = None,
    ) -> ConstantForcing:
        """Build from a wind (**from** degrees, knots) and a current (**toward** degrees, knots)."""
        values: dict[str, float] = {}
        parts = []
        if wind is not None:
            values[WIND_U], values[WIND_V] = wind_components_ms(*wind)
            parts.append(f"wind from {wind[0]:g} deg at {wind[1]:g} kn")
        if current is not None:
            values[CURRENT_U], values[CURRENT_V] = current_components_ms(*current)
            parts.append(f"current toward {current[0]:g} deg at {current[1]:g} kn")
        return cls(values, name="constant " + "; ".join(parts) if parts else "constant")

    @property
    def name(self) -> str:
        """Provenance text."""
        return self._name

    @property
    def variables(self) -> frozenset[str]:
        """CF names provided."""
        return frozenset(self._values)

    def coverage(self, name: str) -> Coverage:
        """Everywhere, always."""
        return Coverage()

    def field(
        self,
        names: tuple[str, str],
        bbox: Bbox,
        t0_s: float,
        t1_s: float,
        reach: Reach | None = None,
    ) -> GridField:
        """Return a one-cell grid with two times spanning the run."""
        lo, hi = min(t0_s, t1_s), max(t0_s, t1_s)
        data = np.empty((2, 1, 1, 2), dtype=np.float32)
        data[..., 0] = self._values[names[0]]
        data[..., 1] = self._values[names[1]]
        return GridField(
            names=names,
            times_s=np.array([lo, hi + 1.0]),
            lon=np.zeros(1),
            lat=np.zeros(1),
            data=data,
            source=self._name,
        )

    def sample(
        self,
        names: Sequence[str],
        time: datetime,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> dict[str, npt.NDArray[np.float64]]:
        """Values at points (the constants)."""
        return sample_reader(self, names, time, lon, lat)
