"""Chance that a unit running a track sees an object at a given position.

Koopman's inverse-cube law: an observer at height ``h`` sees a small object at horizontal
range ``r`` at a rate proportional to ``h / r**3``. Integrated along a straight leg the
exponent has a closed form, so a track of any number of points gives
``P = 1 - exp(-a * sum over legs of [y / (x**2 sqrt(x**2 + y**2))] / 2)``, with ``x`` the
lateral range to the leg, ``y`` the along-track distances of its ends, and ``a = W**2 / (4 pi)``
so that the lateral range curve of an endless leg, ``1 - exp(-W**2 / (4 pi x**2))``, has area
``W`` (Koopman 1980, *Search and Screening*, ch. 3). Over parallel legs at spacing ``S`` it
averages to ``erf(sqrt(pi) W / (2 S))``, the inverse-cube POD of IAMSAR: the same sweep width
physics as the planner's tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError
from littoral.search.frame import FloatArray, GridFrame

_CHUNK = 2_000_000


@dataclass(frozen=True)
class Track:
    """A track run by a search unit.

    Attributes
    ----------
    lon, lat:
        Positions in order, degrees.
    sweep_width_nm:
        Corrected sweep width of the unit for the object sought.
    name:
        Unit or track name.
    times:
        ``datetime64[s]`` UTC of each position, or an empty array when unknown.
    """

    lon: FloatArray
    lat: FloatArray
    sweep_width_nm: float
    name: str = ""
    times: npt.NDArray[np.datetime64] = field(
        default_factory=lambda: np.zeros(0, dtype="datetime64[s]")
    )

    def __post_init__(self) -> None:
        if self.lon.shape != self.lat.shape or self.lon.ndim != 1 or self.lon.size < 2:
            raise InputError(f"track {self.name!r} needs at least two positions")
        if not (math.isfinite(self.sweep_width_nm) and self.sweep_width_nm > 0):
            raise InputError(
                f"track {self.name!r}: sweep_width_nm={self.sweep_width_nm!r} must be > 0"
            )
        if self.times.size not in (0, self.lon.size):
            raise InputError(f"track {self.name!r}: one time per position, or none")


def _exponent(
    px: FloatArray,
    py: FloatArray,
    ax: FloatArray,
    ay: FloatArray,
    bx: FloatArray,
    by: FloatArray,
    w_nm: float,
) -> FloatArray:
    """Sum over legs of the inverse-cube exponent for points ``(px, py)`` (plane NM)."""
    out = np.zeros(px.shape)
    dx, dy = bx - ax, by - ay
    length = np.hypot(dx, dy)
    keep = length > 0
    ax, ay, dx, dy, length = ax[keep], ay[keep], dx[keep], dy[keep], length[keep]
    if length.size == 0:
        return out
    ux, uy = dx / length, dy / length
    a = w_nm * w_nm / (4.0 * math.pi)
    floor = (1e-9 * w_nm) ** 2
    step = max(1, _CHUNK // length.size)
    for s in range(0, px.size, step):
        qx = px[s : s + step, None] - ax[None, :]
        qy = py[s : s + step, None] - ay[None, :]
        y1 = -(qx * ux + qy * uy)
        y2 = y1 + length
        x2 = np.maximum((qx * uy - qy * ux) ** 2, floor)
        r1 = np.sqrt(x2 + y1 * y1)
        r2 = np.sqrt(x2 + y2 * y2)
        same = y1 * y2 > 0
        den = np.where(same, (y2 * r1 + y1 * r2) * r1 * r2, 1.0)
        stable = (y2 * y2 - y1 * y1) / den
        direct = (y2 / r2 - y1 / r1) / x2
        out[s : s + step] = 0.5 * a * np.where(same, stable, direct).sum(axis=1)
    return out


def detection_probability(track: Track, lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
    """Probability that the unit on ``track`` detects an object at each ``(lon, lat)``.

    The object is taken as still during the track (drift is handled by the caller, see
    :func:`littoral.search.update.update_particles`).
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    shape = np.broadcast(lon_a, lat_a).shape
    frame = GridFrame.local(float(np.mean(track.lon)), float(np.mean(track.lat)))
    tx, ty = frame.to_xy_nm(track.lon, track.lat)
    px, py = frame.to_xy_nm(
        np.broadcast_to(lon_a, shape).ravel(), np.broadcast_to(lat_a, shape).ravel()
    )
    e = _exponent(px, py, tx[:-1], ty[:-1], tx[1:], ty[1:], track.sweep_width_nm)
    e = np.where(np.isfinite(px) & np.isfinite(py), e, 0.0)
    return np.asarray(-np.expm1(-e), dtype=np.float64).reshape(shape)


def draw_detection(
    track: Track, lon: npt.ArrayLike, lat: npt.ArrayLike, rng: np.random.Generator
) -> npt.NDArray[np.bool_]:
    """Draw whether the unit on ``track`` detects an object at each position (seeded)."""
    p = detection_probability(track, lon, lat)
    return np.asarray(rng.random(p.shape) < p, dtype=np.bool_)
