"""Bayes' rule after an unsuccessful search, on the grid and on the drifting particles.

If a search of POD ``q_j`` in cell ``j`` fails, the probability there becomes
``p_j (1 - q_j) / (1 - sum p_k q_k)`` (Stone 1975, ch. 2; IAMSAR Vol. II ch. 4, "updating
POC"). The POD comes either from the plan itself (its POD per cell) or from the tracks
actually run, by the model the plan was made with: the coverage each leg sweeps and the
plan's POD law (:mod:`littoral.search.swept`), so the tracks of a plan, run as planned, give
back the plan's POS. For a drift result the same rule acts on the particle weights, each
particle judged where it was when the unit passed, so that the cloud keeps drifting with
what the search taught. Cumulative POS is ``1 - prod(1 - POS_k)`` over the rounds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np
import numpy.typing as npt

from littoral.drift.result import DriftResult
from littoral.errors import InputError
from littoral.records.particle_status import ParticleStatus
from littoral.search.allocation import SearchPlan
from littoral.search.detection import DetectionLaw, pod
from littoral.search.frame import FloatArray, GridFrame
from littoral.search.grid import ProbabilityGrid
from littoral.search.priors import positions_at
from littoral.search.sighting import Track, laea_xy_nm
from littoral.search.swept import leg_coverage

CUMULATIVE_POS_ATTR = "search_cumulative_pos"
ROUNDS_ATTR = "search_rounds"


NEAR_MARGIN_NM = 1.0
"""Slack added round a track's box before positions are projected: the strips a track sweeps
lie within half its spacing of its legs, so positions outside the box plus this (and 1 % of
the track's extent, for the plane's curvature) get no coverage and are not projected."""


def _near(track: Track, lon: FloatArray, lat: FloatArray) -> npt.NDArray[np.bool_]:
    """Positions inside the track's lon/lat box widened by its half spacing and a margin."""
    lat_lo, lat_hi = float(np.min(track.lat)), float(np.max(track.lat))
    lon_lo, lon_hi = float(np.min(track.lon)), float(np.max(track.lon))
    extent_nm = 60.0 * max(lat_hi - lat_lo, lon_hi - lon_lo)
    margin_nm = track.swath_nm / 2.0 + NEAR_MARGIN_NM + 0.01 * extent_nm
    d_lat = margin_nm / 60.0
    cos_lat = max(math.cos(math.radians(max(abs(lat_lo), abs(lat_hi)) + d_lat)), 1e-6)
    d_lon = d_lat / cos_lat
    return (
        (lat >= lat_lo - d_lat) & (lat <= lat_hi + d_lat)
        & (lon >= lon_lo - d_lon) & (lon <= lon_hi + d_lon)
    )  # fmt: skip


def _coverage(track: Track, lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Swept coverage of a whole track at positions (degrees); NaN positions get none.

    Only positions near the track are projected and judged (:func:`_near`): on a large
    cloud a unit's track reaches a small part of it.
    """
    lon = np.asarray(lon, dtype=np.float64).ravel()
    lat = np.asarray(lat, dtype=np.float64).ravel()
    out = np.zeros(lon.size)
    at, c = _coverage_near(track, lon, lat)
    out[at] = c
    return out


def _coverage_near(
    track: Track, lon: FloatArray, lat: FloatArray
) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """:func:`_coverage` where it may be above zero: the places of those positions, and it.

    ``lon`` and ``lat``: flat arrays. On a large cloud, cheaper than the whole array.
    """
    at = np.flatnonzero(_near(track, lon, lat))
    if at.size == 0:
        return at, np.zeros(0)
    lon0, lat0, tx, ty = track.plane
    px, py = laea_xy_nm(lon0, lat0, lon[at], lat[at])
    c = leg_coverage(px, py, tx, ty, track.sweep_width_nm, track.swath_nm)
    return at, np.where(np.isfinite(px.ravel()) & np.isfinite(py.ravel()), c, 0.0)


def track_pod(track: Track, lon: FloatArray, lat: FloatArray, law: DetectionLaw) -> FloatArray:
    """POD of one track at positions (degrees), by its swept coverage under ``law``."""
    shape = np.broadcast(np.asarray(lon), np.asarray(lat)).shape
    lon_b = np.broadcast_to(np.asarray(lon, dtype=np.float64), shape).ravel()
    lat_b = np.broadcast_to(np.asarray(lat, dtype=np.float64), shape).ravel()
    return pod(_coverage(track, lon_b, lat_b), law).reshape(shape)


def track_pod_grid(
    frame: GridFrame,
    tracks: Sequence[Track],
    *,
    law: DetectionLaw = DetectionLaw.EXPONENTIAL,
    subsample: int = 3,
) -> FloatArray:
    """POD of the given tracks in every cell, averaged over ``subsample**2`` points per cell."""
    if subsample < 1:
        raise InputError(f"subsample={subsample!r} must be >= 1")
    off = (np.arange(subsample) + 0.5) / subsample
    xs = frame.x0_nm + frame.cell_nm * (np.arange(frame.nx)[:, None] + off[None, :]).ravel()
    ys = frame.y0_nm + frame.cell_nm * (np.arange(frame.ny)[:, None] + off[None, :]).ravel()
    gx, gy = np.meshgrid(xs, ys)
    lon, lat = frame.to_lonlat(gx, gy)
    miss = np.ones(gx.shape)
    for t in tracks:
        miss *= 1.0 - track_pod(t, lon, lat, law)
    q = 1.0 - miss
    return np.asarray(
        q.reshape(frame.ny, subsample, frame.nx, subsample).mean(axis=(1, 3)), dtype=np.float64
    )


def update_grid(grid: ProbabilityGrid, pod: FloatArray) -> tuple[ProbabilityGrid, float]:
    """Posterior grid after an unsuccessful search of POD ``pod`` per cell, and that POS."""
    return grid.after_search(pod)


def update_grid_with_plan(grid: ProbabilityGrid, plan: SearchPlan) -> tuple[ProbabilityGrid, float]:
    """Posterior grid after the plan was carried out without success."""
    if plan.grid.frame != grid.frame:
        raise InputError("the plan was made on another grid")
    return grid.after_search(plan.pod_grid())


def update_grid_with_tracks(
    grid: ProbabilityGrid,
    tracks: Sequence[Track],
    *,
    law: DetectionLaw = DetectionLaw.EXPONENTIAL,
    subsample: int = 3,
) -> tuple[ProbabilityGrid, float]:
    """Posterior grid after the given tracks were run without success (POD by ``law``)."""
    return grid.after_search(track_pod_grid(grid.frame, tracks, law=law, subsample=subsample))


def _reweight(result: DriftResult, pod: FloatArray) -> tuple[DriftResult, float]:
    w = np.asarray(result.weight, dtype=np.float64)
    w = w / w.sum()
    remaining = w * (1.0 - pod)
    pos = float(1.0 - remaining.sum())
    if not remaining.sum() > 0:
        raise InputError("the search detects every particle: nothing left to update")
    attrs = dict(result.attrs)
    before = float(attrs.get(CUMULATIVE_POS_ATTR, "0") or 0)
    attrs[CUMULATIVE_POS_ATTR] = repr(1.0 - (1.0 - before) * (1.0 - pos))
    attrs[ROUNDS_ATTR] = str(int(attrs.get(ROUNDS_ATTR, "0") or 0) + 1)
    return replace(result, weight=remaining / remaining.sum(), attrs=attrs), pos


def particle_pod_from_tracks(
    result: DriftResult,
    tracks: Sequence[Track],
    at: datetime,
    law: DetectionLaw = DetectionLaw.EXPONENTIAL,
    *,
    beyond: bool = False,
) -> FloatArray:
    """POD of each particle: each leg judged where the particles were when it was run.

    A track with times uses, for each leg, the particles at the output time nearest the leg's
    middle; a track without times uses the positions at ``at``. A track's legs add their swept
    coverage on each particle and the POD is ``law`` of the sum; tracks (units) are
    independent. Stranded particles are ashore and cannot be seen from the sea.

    A timed leg outside the drift run is an error, unless ``beyond``: then it is judged on
    the run's nearest cloud, the first or the last (where a plan places an area searched
    after the run ends: see :func:`plan_pod_on_particles`).
    """
    times = result.times.astype("datetime64[s]").astype(np.int64)
    middles: dict[int, FloatArray] = {}  # legs' middle times, by track
    for j, t in enumerate(tracks):  # all checked before any is judged
        if t.times.size == 0:
            continue
        ts = t.times.astype("datetime64[s]").astype(np.int64)
        mid = middles[j] = (ts[:-1] + ts[1:]) / 2
        if not beyond and (mid.min() < times[0] or mid.max() > times[-1]):
            raise InputError(
                f"track {t.name!r} runs from {t.times[0]} to {t.times[-1]} UTC, outside the "
                f"drift run ({result.times[0]} .. {result.times[-1]} UTC)"
            )
    lon_at, lat_at, status_at = positions_at(result, at)
    miss = np.ones(result.n_particles)
    for j, t in enumerate(tracks):
        coverage = np.zeros(result.n_particles)
        if j not in middles:
            afloat = status_at != ParticleStatus.STRANDED
            coverage += np.where(afloat, _coverage(t, lon_at, lat_at), 0.0)
            miss *= 1.0 - pod(coverage, law)
            continue
        nearest = np.abs(middles[j][:, None] - times[None, :]).argmin(axis=1)
        for k in np.unique(nearest):
            legs = np.nonzero(nearest == k)[0]
            lon_k, lat_k, status_k = result.lon[k], result.lat[k], result.status[k]
            for run in np.split(legs, np.nonzero(np.diff(legs) > 1)[0] + 1):
                piece = Track(
                    t.lon[run[0] : run[-1] + 2], t.lat[run[0] : run[-1] + 2], t.sweep_width_nm,
                    t.name, spacing_nm=t.swath_nm,
                )  # fmt: skip
                hit, c = _coverage_near(piece, lon_k, lat_k)
                coverage[hit] += np.where(status_k[hit] != ParticleStatus.STRANDED, c, 0.0)
        miss *= 1.0 - pod(coverage, law)
    return np.asarray(1.0 - miss, dtype=np.float64)


def update_particles(
    result: DriftResult,
    tracks: Sequence[Track],
    at: datetime,
    law: DetectionLaw = DetectionLaw.EXPONENTIAL,
) -> tuple[DriftResult, float]:
    """Reweight particles after the tracks were run without success; return the search's POS.

    ``law`` is the plan's POD law. The result keeps its positions (the cloud drifts on);
    ``attrs`` record the cumulative POS and the number of rounds.
    """
    return _reweight(result, particle_pod_from_tracks(result, tracks, at, law))


def plan_pos_on_particles(
    plan: SearchPlan, result: DriftResult, at: datetime, *, timed: bool = False
) -> float:
    """POS of the plan's own routes on a drift's particles, by the plan's law.

    Untimed, every leg is judged against the cloud at ``at``; ``timed``, each leg against
    the cloud when the unit runs it (from its planned arrival). The plan's POS is reckoned on
    its (smoothed) maps; this is what ``search update`` with the plan's routes finds on the
    particles themselves.
    """
    w = np.asarray(result.weight, dtype=np.float64)
    pod_p = plan_pod_on_particles(plan, result, at, timed=timed)
    return float(np.sum(w * pod_p) / w.sum())


def plan_pod_on_particles(
    plan: SearchPlan, result: DriftResult, at: datetime, *, timed: bool = False
) -> FloatArray:
    """POD of each particle if the plan's routes are run (as :func:`plan_pos_on_particles`).

    ``timed``: a leg run after the drift run ends is judged on its last cloud, the one the
    plan places such a unit's area on (a planner's maps stop at the run's end).
    """
    tracks = [
        a.track(a.window.arrive if timed and a.window is not None else None)
        for a in plan.assignments
        if a.pattern is not None
    ]
    if not tracks:
        return np.zeros(result.n_particles)
    return particle_pod_from_tracks(result, tracks, at, plan.law, beyond=timed)


def update_particles_with_plan(
    result: DriftResult, plan: SearchPlan, at: datetime
) -> tuple[DriftResult, float]:
    """Reweight particles after the plan (its POD per area) was run without success."""
    lon, lat, status = positions_at(result, at)
    frame = plan.grid.frame
    x, y = frame.to_xy_nm(lon, lat)
    ix, iy, inside = frame.cell_of(x, y)
    pod_cells = plan.pod_grid()
    pod = np.where(inside & (status != ParticleStatus.STRANDED), pod_cells[iy, ix], 0.0)
    return _reweight(result, pod)
