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

Distances are taken on the Lambert azimuthal equal-area plane of the WGS 84 ellipsoid centred
on the track's mean position, the projection of :class:`~littoral.search.frame.GridFrame`,
computed in closed form by :mod:`littoral.search.laea` (Snyder 1987, *Map Projections: A
Working Manual*, eqs. 3-12, 24-13 to 24-19, as PROJ's ``laea``); it agrees with pyproj to
about 1e-12 NM and costs no transformer per track, so a call on a short track costs
microseconds. The track's plane coordinates are kept with the track.
:func:`leg_detection_probability` gives each leg's own chance; legs act independently, so a
track's is ``1 - prod(1 - p_leg)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError
from littoral.search.frame import FloatArray
from littoral.search.laea import laea_forward_nm

_CHUNK = 2_000_000


def laea_xy_nm(
    lon0: float, lat0: float, lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Project degrees to the WGS 84 Lambert azimuthal equal-area plane centred on (lon0, lat0).

    The same coordinates (NM east and north of the centre) as
    ``GridFrame.local(lon0, lat0).to_xy_nm(lon, lat)``, in closed form (Snyder 1987,
    eqs. 24-13 to 24-19; :func:`littoral.search.laea.laea_forward_nm`).
    """
    return laea_forward_nm(lon0, lat0, lon, lat)


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
    spacing_nm:
        Track spacing the unit ran at (from its plan), for the swept coverage of
        :mod:`littoral.search.swept`; ``None`` when unknown, then taken as the sweep width
        (each leg sweeps a strip of width ``W`` at coverage 1).
    """

    lon: FloatArray
    lat: FloatArray
    sweep_width_nm: float
    name: str = ""
    times: npt.NDArray[np.datetime64] = field(
        default_factory=lambda: np.zeros(0, dtype="datetime64[s]")
    )
    spacing_nm: float | None = None

    def __post_init__(self) -> None:
        if self.lon.shape != self.lat.shape or self.lon.ndim != 1 or self.lon.size < 2:
            raise InputError(f"track {self.name!r} needs at least two positions")
        if not (math.isfinite(self.sweep_width_nm) and self.sweep_width_nm > 0):
            raise InputError(
                f"track {self.name!r}: sweep_width_nm={self.sweep_width_nm!r} must be > 0"
            )
        if self.times.size not in (0, self.lon.size):
            raise InputError(f"track {self.name!r}: one time per position, or none")
        if self.spacing_nm is not None and not (
            math.isfinite(self.spacing_nm) and self.spacing_nm > 0
        ):
            raise InputError(f"track {self.name!r}: spacing_nm={self.spacing_nm!r} must be > 0")

    @property
    def swath_nm(self) -> float:
        """Track spacing for the swept coverage: the plan's, else the sweep width."""
        return self.spacing_nm if self.spacing_nm is not None else self.sweep_width_nm

    @cached_property
    def plane(self) -> tuple[float, float, FloatArray, FloatArray]:
        """Projection centre (the mean position) and the track's plane coordinates, NM.

        Computed once per track; see :func:`laea_xy_nm`.
        """
        lon0, lat0 = float(np.mean(self.lon)), float(np.mean(self.lat))
        tx, ty = laea_xy_nm(lon0, lat0, self.lon, self.lat)
        return lon0, lat0, tx, ty

    @property
    def n_legs(self) -> int:
        """Number of legs (positions less one)."""
        return int(self.lon.size - 1)


def _leg_terms(
    qx: FloatArray,
    qy: FloatArray,
    ux: FloatArray,
    uy: FloatArray,
    length: FloatArray,
    a: float,
    floor: float,
) -> FloatArray:
    """Inverse-cube exponent of each leg (columns) at each point (rows), legs from the origin."""
    y1 = -(qx * ux + qy * uy)
    y2 = y1 + length
    x2 = np.maximum((qx * uy - qy * ux) ** 2, floor)
    r1 = np.sqrt(x2 + y1 * y1)
    r2 = np.sqrt(x2 + y2 * y2)
    same = y1 * y2 > 0
    den = np.where(same, (y2 * r1 + y1 * r2) * r1 * r2, 1.0)
    stable = (y2 * y2 - y1 * y1) / den
    direct = (y2 / r2 - y1 / r1) / x2
    return np.asarray(0.5 * a * np.where(same, stable, direct), dtype=np.float64)


def _exponent(
    px: FloatArray,
    py: FloatArray,
    ax: FloatArray,
    ay: FloatArray,
    bx: FloatArray,
    by: FloatArray,
    w_nm: float,
    *,
    per_leg: bool = False,
) -> FloatArray:
    """Inverse-cube exponent for points ``(px, py)`` (plane NM), summed over legs or per leg.

    With ``per_leg`` the result is ``(points, legs)`` (zero for legs of no length).
    """
    dx, dy = bx - ax, by - ay
    length = np.hypot(dx, dy)
    keep = length > 0
    out = np.zeros((px.size, ax.size) if per_leg else px.shape)
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
        terms = _leg_terms(qx, qy, ux, uy, length, a, floor)
        if per_leg:
            out[s : s + step, keep] = terms
        else:
            out[s : s + step] = terms.sum(axis=1)
    return out


def _points_xy(
    track: Track, lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[tuple[int, ...], FloatArray, FloatArray, FloatArray, FloatArray]:
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    shape = np.broadcast(lon_a, lat_a).shape
    lon0, lat0, tx, ty = track.plane
    px, py = laea_xy_nm(
        lon0, lat0, np.broadcast_to(lon_a, shape).ravel(), np.broadcast_to(lat_a, shape).ravel()
    )
    return shape, px, py, tx, ty


def detection_probability(track: Track, lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
    """Probability that the unit on ``track`` detects an object at each ``(lon, lat)``.

    The object is taken as still during the track (drift is handled by the caller, see
    :func:`littoral.search.update.update_particles`).

    Parameters
    ----------
    track:
        The track run, with the unit's corrected sweep width.
    lon, lat:
        Object positions, degrees (broadcast together; NaN gives 0).

    Returns
    -------
    numpy.ndarray
        Probabilities shaped like the broadcast positions.
    """
    shape, px, py, tx, ty = _points_xy(track, lon, lat)
    e = _exponent(px, py, tx[:-1], ty[:-1], tx[1:], ty[1:], track.sweep_width_nm)
    e = np.where(np.isfinite(px) & np.isfinite(py), e, 0.0)
    return np.asarray(-np.expm1(-e), dtype=np.float64).reshape(shape)


def leg_detection_probability(track: Track, lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
    """Probability that each leg of ``track`` alone detects an object at each ``(lon, lat)``.

    Legs act independently (their inverse-cube exponents add), so the chance of a run of legs
    ``i..j`` is ``1 - prod(1 - p[..., i:j + 1])``, and over all legs it is
    :func:`detection_probability`. A simulation that places the object anew for each piece of
    a track (a drifting person) takes each piece's legs at that piece's position.

    Parameters
    ----------
    track:
        The track run, with the unit's corrected sweep width.
    lon, lat:
        Object positions, degrees (broadcast together; NaN gives 0).

    Returns
    -------
    numpy.ndarray
        Shape ``(*positions_shape, track.n_legs)``.
    """
    shape, px, py, tx, ty = _points_xy(track, lon, lat)
    e = _exponent(px, py, tx[:-1], ty[:-1], tx[1:], ty[1:], track.sweep_width_nm, per_leg=True)
    e = np.where((np.isfinite(px) & np.isfinite(py))[:, None], e, 0.0)
    return np.asarray(-np.expm1(-e), dtype=np.float64).reshape((*shape, track.n_legs))


def draw_detection(
    track: Track, lon: npt.ArrayLike, lat: npt.ArrayLike, rng: np.random.Generator
) -> npt.NDArray[np.bool_]:
    """Draw whether the unit on ``track`` detects an object at each position (seeded)."""
    p = detection_probability(track, lon, lat)
    return np.asarray(rng.random(p.shape) < p, dtype=np.bool_)
