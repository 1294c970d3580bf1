"""The outcome of a drift run: where every particle was at each output time.

:mod:`littoral.drift` produces it; :mod:`littoral.search` turns it into a probability map and
updates its ``weight`` after an unsuccessful search, so the cloud keeps drifting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import numpy.typing as npt


class ParticleStatus(IntEnum):
    """Per-particle, per-time status code."""

    ACTIVE = 0
    STRANDED = 1
    NOT_RELEASED = 2
    OUT_OF_FORCING = 3


@dataclass
class DriftResult:
    """Particle positions over time.

    Attributes
    ----------
    times:
        Output times, ``datetime64[s]`` in UTC, shape ``(n_times,)``.
    lon, lat:
        Degrees, shape ``(n_times, n_particles)``.
    status:
        :class:`ParticleStatus` codes, ``int8``, shape ``(n_times, n_particles)``.
    weight:
        Probability weight of each particle, shape ``(n_particles,)``, summing to one.
        A Bayesian update after an unsuccessful search lowers the weights of particles that
        were likely to be seen.
    seed:
        Seed of the random generator that drew the particles; same seed, same result.
    object_class:
        Leeway object class name (e.g. ``"PIW-1"``).
    attrs:
        Provenance: forcing, version, settings; written into exported files.
    """

    times: npt.NDArray[np.datetime64]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    status: npt.NDArray[np.int8]
    weight: npt.NDArray[np.float64]
    seed: int
    object_class: str
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def n_particles(self) -> int:
        """Number of particles."""
        return int(self.lon.shape[1])

    @property
    def n_times(self) -> int:
        """Number of output times."""
        return int(self.lon.shape[0])
