"""Priors for a search: from a datum with its probable error, from scenarios, from a drift run.

IAMSAR Vol. II (ch. 4) takes the total probable error of the datum as
``E = sqrt(X**2 + Y**2 + De**2)`` (initial position error, search facility navigation error,
drift error) and the position as circular normal about the datum. littoral reads ``E`` as the
radius of the circle holding half the probability, so ``sigma = E / sqrt(2 ln 2)``.
Cell probabilities are the exact integrals of the normal over each cell (products of ``erf``
differences on the equal-area grid). A drift result becomes a prior by binning its particle
weights at the chosen time (Breivik and Allen 2008, the Monte Carlo Leeway method).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
from scipy.special import ndtr

from littoral.clock import require_utc
from littoral.drift.result import DriftResult
from littoral.errors import InputError
from littoral.records.particle_status import ParticleStatus
from littoral.search.frame import FloatArray, GridFrame, principal_axis_deg
from littoral.search.grid import (
    ProbabilityGrid,
    WaterMask,
    fixed_water,
    mixture,
    move_land_mass_to_water,
    water_cells,
)

SIGMA_PER_PROBABLE_ERROR = 1.0 / math.sqrt(2.0 * math.log(2.0))
"""``sigma / E`` for a circular normal whose 50 % circle has radius ``E``."""


def total_probable_error_nm(x_nm: float, y_nm: float, de_nm: float) -> float:
    """IAMSAR total probable error ``E = sqrt(X**2 + Y**2 + De**2)``, NM."""
    for name, v in (("x_nm", x_nm), ("y_nm", y_nm), ("de_nm", de_nm)):
        if not (math.isfinite(v) and v >= 0):
            raise InputError(f"{name}={v!r} must be a non-negative number")
    return math.sqrt(x_nm * x_nm + y_nm * y_nm + de_nm * de_nm)


@dataclass(frozen=True)
class Datum:
    """A most probable position and its total probable error.

    Attributes
    ----------
    lon, lat:
        Degrees.
    error_nm:
        Total probable error ``E`` (radius of the 50 % circle), NM.
    """

    lon: float
    lat: float
    error_nm: float

    def __post_init__(self) -> None:
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            raise InputError(f"datum lon={self.lon!r}, lat={self.lat!r} out of range")
        if not (math.isfinite(self.error_nm) and self.error_nm > 0):
            raise InputError(f"error_nm={self.error_nm!r} must be > 0")

    @property
    def sigma_nm(self) -> float:
        """Standard deviation of each coordinate, NM."""
        return self.error_nm * SIGMA_PER_PROBABLE_ERROR


def datum_frame(
    datums: Sequence[Datum],
    *,
    radius_sigmas: float = 3.5,
    max_side_cells: int = 120,
    cell_nm: float | None = None,
) -> GridFrame:
    """Frame covering every datum out to ``radius_sigmas`` standard deviations."""
    if not datums:
        raise InputError("need at least one datum")
    lon = np.array([d.lon for d in datums])
    lat = np.array([d.lat for d in datums])
    margin = radius_sigmas * max(d.sigma_nm for d in datums)
    centre = (
        (float(lon.mean()), float(lat.mean()))
        if len(datums) > 1
        else (datums[0].lon, datums[0].lat)
    )
    return GridFrame.covering(
        lon, lat, cell_nm=cell_nm, margin_nm=margin, max_side_cells=max_side_cells, centre=centre
    )


def from_datum(
    datum: Datum, *, frame: GridFrame | None = None, water: WaterMask | None = None
) -> ProbabilityGrid:
    """Circular normal prior about a datum (IAMSAR), on a new or given frame.

    The normal is the error of a position afloat, so it is conditioned on water: the part of
    it over land is impossible, dropped, and the rest renormalised (Bayes' rule on "the
    object is at sea"), as :func:`from_drift` drops what its kernel spreads ashore. Moving
    that part to the nearest water instead would pile it on the shoreline: a datum 5 km off
    the Absheron shore with E = 6 NM put 22 % of the probability within 0.3 NM of the beach,
    and plans chased that ridge. Stranding is the drift's to model, not the datum's.

    ``water=None`` uses the Caspian polygon; pass :func:`~littoral.search.grid.open_water`
    for open sea. Without a ``frame`` the grid is turned to the principal axis of the prior
    on water (:func:`~littoral.search.frame.principal_axis_deg`), as a drift run's grid is
    turned to its cloud: a datum off a straight shore is elongated along it, and search
    rectangles then lie along the shore, their legs cut by it less (a datum 5 km off the
    north Absheron shore, one ship: 0.916 of the bound north-up, 0.933 turned). A datum in
    open water is round and keeps the grid north-up.

    Raises
    ------
    InputError
        When no probability of the datum falls on a water cell of the frame.
    """
    if frame is None:
        north_up = from_datum(datum, frame=datum_frame([datum]), water=water)
        lon, lat = north_up.frame.centres_lonlat()
        axis = principal_axis_deg(lon, lat, north_up.p)
        if axis == 0.0:
            return north_up
        frame = replace(north_up.frame, rotation_deg=axis)
    x, y = frame.to_xy_nm(datum.lon, datum.lat)
    s = datum.sigma_nm
    px = np.diff(ndtr((frame.x_edges_nm() - float(x)) / s))
    py = np.diff(ndtr((frame.y_edges_nm() - float(y)) / s))
    mass = np.outer(py, px)
    off_frame = max(0.0, 1.0 - float(mass.sum()))
    mask = water_cells(frame, water)
    afloat = np.where(mask, mass, 0.0)
    on_water = float(afloat.sum())
    if not on_water > 0:
        raise InputError(
            f"no probability of the datum {datum.lat:.4f}N {datum.lon:.4f}E "
            f"(E {datum.error_nm:g} NM) falls on water in the grid"
        )
    grid = ProbabilityGrid.from_mass(
        frame, afloat, mask, outside_probability=off_frame / (on_water + off_frame)
    )
    return replace(grid, coast=water is None)


def from_scenarios(
    datums: Sequence[Datum],
    weights: Sequence[float],
    *,
    frame: GridFrame | None = None,
    water: WaterMask | None = None,
) -> ProbabilityGrid:
    """Weighted mixture of circular normal priors (several possible positions of distress)."""
    frame = frame if frame is not None else datum_frame(datums)
    mask = water_cells(frame, water)
    grids = [from_datum(d, frame=frame, water=fixed_water(mask)) for d in datums]
    return replace(mixture(grids, weights), coast=water is None)


def positions_at(result: DriftResult, at: datetime) -> tuple[FloatArray, FloatArray, np.ndarray]:
    """Particle lon, lat (linear in time between outputs) and status (nearest output) at ``at``."""
    at = require_utc(at, "at")
    if result.n_times == 0 or result.n_particles == 0:
        raise InputError("the drift result holds no particle positions")
    t = np.datetime64(at.replace(tzinfo=None), "s").astype(np.int64).astype(np.float64)
    times = result.times.astype("datetime64[s]").astype(np.int64).astype(np.float64)
    if not times[0] <= t <= times[-1]:
        raise InputError(
            f"at={at.isoformat()!r} is outside the drift run "
            f"({result.times[0]} .. {result.times[-1]} UTC)"
        )
    k = int(np.searchsorted(times, t, side="right")) - 1
    k = min(max(k, 0), result.n_times - 1)
    if k == result.n_times - 1 or times[k + 1] == times[k]:
        return result.lon[k].copy(), result.lat[k].copy(), result.status[k].copy()
    f = (t - times[k]) / (times[k + 1] - times[k])
    lon = (1 - f) * result.lon[k] + f * result.lon[k + 1]
    lat = (1 - f) * result.lat[k] + f * result.lat[k + 1]
    status = result.status[k + 1] if f >= 0.5 else result.status[k]
    # a particle stranded at either end stays where it stranded
    stranded_k = result.status[k] == ParticleStatus.STRANDED
    lon = np.where(stranded_k, result.lon[k], lon)
    lat = np.where(stranded_k, result.lat[k], lat)
    status = np.where(stranded_k, result.status[k], status)
    return lon, lat, status.astype(np.int8)


def _silverman_nm(lon: FloatArray, lat: FloatArray, w: FloatArray) -> float:
    """Silverman's bandwidth for a weighted 2-D cloud, NM (0 for fewer than two particles)."""
    if lon.size < 2:
        return 0.0
    frame = GridFrame.local(float(np.average(lon, weights=w)), float(np.average(lat, weights=w)))
    x, y = frame.to_xy_nm(lon, lat)
    return _silverman_xy_nm(x, y, w)


def _silverman_xy_nm(x: FloatArray, y: FloatArray, w: FloatArray) -> float:
    """Silverman's bandwidth of a weighted cloud already on an equal-area plane, NM.

    The plane's centre hardly matters: over a search area the distances of two such planes
    differ by a part in 10**5 or less.
    """
    if x.size < 2:
        return 0.0
    wn = w / w.sum()
    var = float(np.sum(wn * (x - np.sum(wn * x)) ** 2) + np.sum(wn * (y - np.sum(wn * y)) ** 2))
    n_eff = 1.0 / float(np.sum(wn * wn))
    return float(math.sqrt(var / 2.0) * n_eff ** (-1.0 / 6.0))


def run_frame(
    result: DriftResult,
    *,
    max_side_cells: int = 160,
    cell_nm: float | None = None,
    axis_at: datetime | None = None,
    along_cloud: bool = True,
) -> GridFrame:
    """Return a frame covering every afloat particle of the whole run (maps at many times).

    With ``along_cloud`` the grid is turned to the principal axis of the afloat cloud at
    ``axis_at`` (the search's time; by default over the whole run) with
    :func:`littoral.search.frame.principal_axis_deg`, so search rectangles lie along the
    cloud; a round cloud keeps the grid north-up. ``cell_nm`` fixes the cell size.
    """
    ok = np.isfinite(result.lon) & np.isfinite(result.lat)
    ok &= result.status != ParticleStatus.STRANDED
    if not ok.any():
        raise InputError("the drift result holds no particle afloat")
    lon, lat = result.lon[ok], result.lat[ok]
    rotation = 0.0
    if along_cloud:
        if axis_at is None:
            step = max(1, lon.size // 200_000)  # the axis from a sample of a big run
            rotation = principal_axis_deg(lon[::step], lat[::step])
        else:
            alon, alat, status = positions_at(result, axis_at)
            afloat = status != ParticleStatus.STRANDED
            rotation = principal_axis_deg(alon[afloat], alat[afloat], result.weight[afloat])
    return GridFrame.covering(
        lon, lat, margin_nm=1.0, max_side_cells=max_side_cells, cell_nm=cell_nm,
        rotation_deg=rotation,
    )  # fmt: skip


def from_drift(
    result: DriftResult,
    at: datetime,
    *,
    frame: GridFrame | None = None,
    cell_nm: float | None = None,
    max_side_cells: int = 120,
    water: WaterMask | None = None,
    smooth_nm: float | None = None,
) -> ProbabilityGrid:
    """Bin a drift result's particle weights at time ``at`` into a probability grid.

    Stranded particles are reported as ``stranded_probability``; particles outside a given
    frame as ``outside_probability``; particles in land cells of the grid (the coast is coarser
    than the drift's) count in the nearest water cell. The histogram is smoothed by a Gaussian
    kernel of ``smooth_nm`` (default: Silverman's rule for two dimensions,
    ``sigma * n_eff**(-1/6)`` with Kish's effective number of particles; 0 for none), so a
    cloud of a few thousand particles does not make a speckled map.
    """
    lon, lat, status = positions_at(result, at)
    w = np.asarray(result.weight, dtype=np.float64)
    if w.shape != (result.n_particles,) or not np.all(np.isfinite(w)) or (w < 0).any():
        raise InputError("drift result weights must be finite, non-negative, one per particle")
    total = float(w.sum())
    if not total > 0:
        raise InputError("drift result weights sum to zero")
    w = w / total
    # non-finite or fill values (e.g. -999 from a file) mark positions that do not exist
    finite = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    stranded = (status == ParticleStatus.STRANDED) & finite
    afloat = finite & ~stranded
    if not (afloat & (w > 0)).any():
        raise InputError(f"no particle with weight is afloat at {at.isoformat()}")
    sel = afloat & (w > 0)
    x = y = None
    if frame is not None:
        # one projection serves the bandwidth and the binning
        x, y = frame.to_xy_nm(lon[afloat], lat[afloat])
    if smooth_nm is None:
        if x is not None and y is not None:
            pos = w[afloat] > 0
            smooth_nm = _silverman_xy_nm(x[pos], y[pos], w[afloat][pos])
        else:
            smooth_nm = _silverman_nm(lon[sel], lat[sel], w[sel])
    if not (math.isfinite(smooth_nm) and smooth_nm >= 0):
        raise InputError(f"smooth_nm={smooth_nm!r} must be >= 0")
    if frame is None:
        frame = GridFrame.covering(
            lon[sel], lat[sel], cell_nm=cell_nm, max_side_cells=max_side_cells
        )
        frame = GridFrame.covering(
            lon[sel], lat[sel], cell_nm=frame.cell_nm,
            margin_nm=2 * frame.cell_nm + 3 * smooth_nm, centre=(frame.lon0, frame.lat0),
        )  # fmt: skip
    if x is None or y is None:
        x, y = frame.to_xy_nm(lon[afloat], lat[afloat])
    ix, iy, inside = frame.cell_of(x, y)
    wa = w[afloat]
    flat = iy[inside] * frame.nx + ix[inside]
    binned = np.bincount(flat, weights=wa[inside], minlength=frame.nx * frame.ny)
    mass: FloatArray = np.asarray(binned, dtype=np.float64).reshape(frame.shape)
    mask = water_cells(frame, water)
    if smooth_nm > 0 and mask.any():
        from scipy.ndimage import gaussian_filter

        # particles in coastal land cells first join their nearest water cell; what the
        # kernel then spreads ashore is dropped (renormalised), not piled on the coastline
        inside_mass = float(mass.sum())
        mass = move_land_mass_to_water(mass, mask)
        mass = gaussian_filter(mass, sigma=smooth_nm / frame.cell_nm, mode="constant")
        mass = np.where(mask, mass, 0.0)
        mass *= inside_mass / max(float(mass.sum()), 1e-300)
    grid = ProbabilityGrid.from_mass(
        frame,
        mass,
        mask,
        stranded_probability=float(w[stranded].sum()),
        outside_probability=float(wa[~inside].sum() + w[~finite].sum()),
    )
    return replace(grid, coast=water is None)
