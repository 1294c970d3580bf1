"""The status of a drift particle: one table for Python, the numba kernel and the CUDA source.

Every place that needs the codes derives them from :class:`ParticleStatus`: the numba
kernel's constants (:mod:`littoral.drift.kernel`), the CUDA C++ source's ``#define`` lines
(:func:`c_defines`, used by :mod:`littoral.drift.gpu_source`), and the ``flag_values`` and
``flag_meanings`` of exported NetCDF files.
"""

from __future__ import annotations

from enum import IntEnum


class ParticleStatus(IntEnum):
    """Per-particle, per-time status code (stored as ``int8``).

    >>> ParticleStatus(1).name
    'STRANDED'
    """

    ACTIVE = 0
    """Drifting."""
    STRANDED = 1
    """Met the shore (or was seeded on land) and stays where it met it."""
    NOT_RELEASED = 2
    """Not yet released (a release spread over a window)."""
    OUT_OF_FORCING = 3
    """Left the forcing grids and stopped there."""


DESCRIPTIONS: dict[ParticleStatus, str] = {
    ParticleStatus.ACTIVE: "drifting",
    ParticleStatus.STRANDED: "met the shore, or seeded on land",
    ParticleStatus.NOT_RELEASED: "not yet released",
    ParticleStatus.OUT_OF_FORCING: "left the forcing grids",
}
"""One line per status, for file metadata and help texts."""


def c_defines() -> str:
    """Return the C preprocessor lines that define every status code.

    >>> print(c_defines().splitlines()[1])
    #define STRANDED 1
    """
    return "\n".join(f"#define {s.name} {s.value}" for s in ParticleStatus)
