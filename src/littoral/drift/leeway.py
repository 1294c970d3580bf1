"""Per-particle Leeway coefficients and the leeway velocity of one particle.

Each particle draws its own coefficients once, as the reference implementations do
(Allen 2005, CG-D-05-05; Breivik and Allen 2008)::

    downwind  = (slope_dw + eps_dw / 20) * W + offset_dw + eps_dw / 2      [cm/s]
    crosswind = (slope_s  + eps_s  / 20) * W + offset_s  + eps_s  / 2      [cm/s]

with ``W`` the 10 m wind speed in m/s, ``eps_dw ~ N(0, std_dw)`` (redrawn while the downwind
slope ``slope_dw + eps_dw / 20`` would be negative) and ``eps_s = z_cw * std_s`` for the side
``s`` (right or left of downwind) the particle is on, with one ``z_cw ~ N(0, 1)`` per particle.
Half the particles start on each side. Jibing moves a particle to the other side's slope,
offset and standard deviation, keeping its own ``z_cw``; it happens as a Poisson process of
rate ``-ln(1 - p) / 3600`` per second for a probability ``p`` per hour (4 % by default).

Crosswind sign (``docs/conventions.md``): a positive crosswind leeway moves the object to the
**right** of the downwind direction, i.e. toward ``downwind bearing + 90 degrees``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

from littoral.drift.objects import LeewayObject
from littoral.errors import InputError

RIGHT: int = 0
"""Side code of a particle drifting right of downwind (uses the ``right_*`` coefficients)."""
LEFT: int = 1
"""Side code of a particle drifting left of downwind (uses the ``left_*`` coefficients)."""


@dataclass(frozen=True, slots=True)
class ParticleCoefficients:
    """The random part of each particle's Leeway coefficients, drawn once at seeding.

    Attributes
    ----------
    z_downwind, z_crosswind:
        Standard normal draws; ``eps = z * std`` of the class (and of the current side).
    side:
        :data:`RIGHT` or :data:`LEFT`, ``int8``, the side each particle starts on.
    capsize_threshold:
        ``Exp(1)`` draws: a particle capsizes when its accumulated capsize hazard exceeds it.
    """

    z_downwind: npt.NDArray[np.float64]
    z_crosswind: npt.NDArray[np.float64]
    side: npt.NDArray[np.int8]
    capsize_threshold: npt.NDArray[np.float64]


def class_constants(obj: LeewayObject) -> npt.NDArray[np.float64]:
    """Pack a class's coefficients for the kernel.

    Returns
    -------
    ndarray
        ``[dw_slope, dw_offset, dw_std, r_slope, r_offset, r_std, l_slope, l_offset, l_std]``
        (slopes in %, offsets and stds in cm/s).
    """
    return np.array(
        [
            obj.downwind_slope_pct,
            obj.downwind_offset_cm_s,
            obj.downwind_std_cm_s,
            obj.right_slope_pct,
            obj.right_offset_cm_s,
            obj.right_std_cm_s,
            obj.left_slope_pct,
            obj.left_offset_cm_s,
            obj.left_std_cm_s,
        ],
        dtype=np.float64,
    )


def draw_coefficients(
    obj: LeewayObject, n: int, rng: np.random.Generator, *, perturb: bool = True
) -> ParticleCoefficients:
    """Draw the per-particle coefficients of ``n`` particles of class ``obj``.

    Parameters
    ----------
    obj:
        The object class.
    n:
        Number of particles.
    rng:
        Random generator (seeded by the caller).
    perturb:
        If false, every particle takes the class's mean coefficients (``z = 0``).
    """
    if n < 1:
        raise InputError(f"number of particles n={n!r} must be >= 1")
    if perturb:
        z_dw = rng.standard_normal(n)
        # A draw that makes the downwind slope negative is redrawn (reference behaviour).
        bad = obj.downwind_slope_pct + z_dw * obj.downwind_std_cm_s / 20.0 < 0.0
        while np.any(bad):
            z_dw[bad] = rng.standard_normal(int(bad.sum()))
            bad = obj.downwind_slope_pct + z_dw * obj.downwind_std_cm_s / 20.0 < 0.0
        z_cw = rng.standard_normal(n)
    else:
        z_dw = np.zeros(n)
        z_cw = np.zeros(n)
    side = np.zeros(n, dtype=np.int8)
    side[1::2] = LEFT
    side = rng.permutation(side)
    threshold = rng.standard_exponential(n)
    return ParticleCoefficients(z_dw, z_cw, side, threshold)


@numba.njit(cache=True, inline="always", error_model="numpy")
def leeway_velocity(
    wind_u_ms: float,
    wind_v_ms: float,
    consts: npt.NDArray[np.float64],
    z_dw: float,
    z_cw: float,
    side: int,
    factor: float,
) -> tuple[float, float]:
    """Leeway velocity (eastward, northward; m/s) of one particle in a wind.

    ``wind_u_ms``/``wind_v_ms`` are the CF eastward/northward wind components (the direction
    the air moves toward). ``factor`` scales the leeway (1, or the capsized fraction). A calm
    (zero wind) gives no leeway: the regression's direction is undefined there.
    """
    speed = np.sqrt(wind_u_ms * wind_u_ms + wind_v_ms * wind_v_ms)
    if speed <= 0.0:
        return 0.0, 0.0
    ex = wind_u_ms / speed
    ey = wind_v_ms / speed
    eps_dw = z_dw * consts[2]
    downwind = ((consts[0] + eps_dw / 20.0) * speed + consts[1] + eps_dw / 2.0) * 0.01
    base = 3 if side == 0 else 6
    eps_cw = z_cw * consts[base + 2]
    crosswind = ((consts[base] + eps_cw / 20.0) * speed + consts[base + 1] + eps_cw / 2.0) * 0.01
    # Right of downwind (ex, ey) is (ey, -ex): north-going wind, east-going crosswind.
    u = factor * (downwind * ex + crosswind * ey)
    v = factor * (downwind * ey - crosswind * ex)
    return u, v
