"""Run a Leeway drift: seed particles, prepare the forcing, run the kernel, collect results.

The model is the Leeway ensemble of Allen and Plourde (1999) and Breivik and Allen (2008):
each particle moves with the total surface current plus its own leeway in the 10 m wind
(:mod:`littoral.drift.leeway`), optionally plus the waves' Stokes drift, integrated on the
sphere by the explicit midpoint method (:mod:`littoral.drift.kernel`).

Before anything runs, the forcing is resolved for every seed position and the whole time
span (a :class:`~littoral.errors.ForcingError` names the variable, place and time missing),
and the part of each gridded field that the cloud can reach (the seed area padded by
``max_drift_speed_ms * duration``) is read into memory for the kernel.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from littoral import __version__
from littoral.clock import require_utc
from littoral.drift.drive import Kernel, drive, keep_index
from littoral.drift.forcing.combined import ForcingSet
from littoral.drift.forcing.grid import GridField, Reach, epoch_s
from littoral.drift.forcing.names import CURRENT, STOKES, WIND
from littoral.drift.kernel import drift_kernel
from littoral.drift.kernel_args import (
    Draws,
    Field,
    Forcing,
    KernelArgs,
    Output,
    Params,
    Scratch,
    Shore,
    State,
)
from littoral.drift.leeway import class_constants, draw_coefficients
from littoral.drift.objects import get_object
from littoral.drift.output import OutputSink, RunInfo
from littoral.drift.request import Capsizing as Capsizing
from littoral.drift.request import DriftRequest as DriftRequest
from littoral.drift.request import Perturbation as Perturbation
from littoral.drift.result import DriftResult, ParticleStatus
from littoral.errors import InputError
from littoral.geo.mask import LandMask
from littoral.geo.water import WaterClass
from littoral.units import EARTH_RADIUS_M

ProgressCallback = Callable[[float], None]
"""Called with the fraction of the run done (0..1) between kernel chunks."""


def open_water_mask() -> LandMask:
    """Return a land mask with no shore at all (one sea cell covering the globe)."""
    return LandMask(
        lon0=-180.0,
        lat0=-90.0,
        inv_cell=1.0 / 360.0,
        nx=1,
        ny=1,
        cell_class=np.full((1, 1), WaterClass.SEA, dtype=np.int8),
        cell_mixed=np.full((1, 1), -1, dtype=np.int32),
        mixed_state=np.zeros(0, dtype=np.int8),
        mixed_start=np.zeros(1, dtype=np.int32),
        mixed_edges=np.zeros(0, dtype=np.int32),
        ex0=np.zeros(0),
        ey0=np.zeros(0),
        ex1=np.zeros(0),
        ey1=np.zeros(0),
        ebit=np.zeros(0, dtype=np.int8),
        eshore=np.zeros(0, dtype=np.bool_),
    )


def shore_clearance(mask: LandMask) -> npt.NDArray[np.int32]:
    """Chessboard distance, in mask cells, from each cell to the nearest one not pure water."""
    from scipy.ndimage import distance_transform_cdt

    cls = mask.cell_class  # (a shore cell is MIXED: not water here)
    water = (cls == WaterClass.SEA) | (cls == WaterClass.KARA_BOGAZ_GOL)
    if water.all():
        return np.full(water.shape, np.iinfo(np.int32).max, dtype=np.int32)
    out: npt.NDArray[np.int32] = distance_transform_cdt(water, metric="chessboard").astype(np.int32)
    return out


def _contiguous(mask: LandMask) -> LandMask:
    # One array layout for every mask, so the kernel compiles (and caches) once.
    return mask._replace(
        ex0=np.ascontiguousarray(mask.ex0),
        ey0=np.ascontiguousarray(mask.ey0),
        ex1=np.ascontiguousarray(mask.ex1),
        ey1=np.ascontiguousarray(mask.ey1),
    )


@dataclass(frozen=True, slots=True)
class _Steps:
    dt_s: float
    n_steps: int
    out_every: int
    t0_s: float


def _steps(req: DriftRequest) -> _Steps:
    dt_s = req.step.total_seconds()
    dur_s = req.duration.total_seconds()
    out_s = req.output_step.total_seconds()
    if dt_s == 0:
        raise InputError("step=0 is not a time step")
    if dur_s <= 0:
        raise InputError(f"duration={req.duration} must be positive")
    n_steps = round(dur_s / abs(dt_s))
    if not math.isclose(n_steps * abs(dt_s), dur_s, rel_tol=1e-9):
        raise InputError(f"duration={req.duration} is not a whole number of steps of {req.step}")
    out_every = round(out_s / abs(dt_s))
    if out_every < 1 or not math.isclose(out_every * abs(dt_s), abs(out_s), rel_tol=1e-9):
        raise InputError(f"output_step={req.output_step} must be a multiple of step={req.step}")
    if n_steps % out_every:
        raise InputError(f"duration={req.duration} must be a multiple of {req.output_step}")
    return _Steps(dt_s, n_steps, out_every, epoch_s(require_utc(req.time, "time")))


def _release_steps(
    req: DriftRequest, s: _Steps
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    n = req.particles
    if req.release_end is None:
        return np.zeros(n, dtype=np.int64), np.zeros(n)
    end_s = epoch_s(require_utc(req.release_end, "release_end"))
    span = end_s - s.t0_s
    if span * s.dt_s < 0:
        raise InputError(
            f"release_end={req.release_end.isoformat()} lies against the run's direction"
        )
    if abs(span) > s.n_steps * abs(s.dt_s):
        raise InputError(f"release_end={req.release_end.isoformat()} is after the run ends")
    frac = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(1)
    k = np.ceil(frac * span / s.dt_s - 1e-9).astype(np.int64)
    return np.maximum(k, 0), frac


def _inverse_geometry(fld: GridField) -> npt.NDArray[np.float64]:
    # [lon0, 1/dlon, lat0, 1/dlat]: the kernel multiplies instead of dividing.
    g = fld.geometry()
    return np.array([g[0], 1.0 / g[1], g[2], 1.0 / g[3]])


def _time_index(fld: GridField, s: _Steps) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    half = (s.t0_s + 0.5 * s.dt_s * np.arange(2 * s.n_steps + 1)).astype(np.float64)
    return fld.time_weights(half)


def _load_forcing(
    req: DriftRequest, s: _Steps, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
) -> list[GridField]:
    # Resolve each quantity for the seed positions over the whole span (or raise), then
    # read the part of its grid that the cloud can reach.
    t_end_s = s.t0_s + s.dt_s * s.n_steps
    fset = ForcingSet(list(req.forcing))
    reach_deg = req.max_drift_speed_ms * s.n_steps * abs(s.dt_s) / (EARTH_RADIUS_M * np.pi / 180)
    coslat = max(math.cos(math.radians(min(abs(float(lat.max())), 89.0))), 0.05)
    bbox = (
        float(lon.min()) - reach_deg / coslat,
        float(lat.min()) - reach_deg,
        float(lon.max()) + reach_deg / coslat,
        float(lat.max()) + reach_deg,
    )
    pairs = [WIND, CURRENT] + ([STOKES] if req.stokes else [])
    # A gap in the forcing refuses the run only where the cloud can be by then.
    seeds = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    reach = Reach(seed_box=seeds, t0_s=s.t0_s, speed_ms=req.max_drift_speed_ms)
    fields: list[GridField] = []
    for pair in pairs:
        reader = fset.resolve(pair, s.t0_s, t_end_s, lon, lat)
        fields.append(reader.field(pair, bbox, s.t0_s, t_end_s, reach))
    return fields


def _initial_status(
    req: DriftRequest,
    release_k: npt.NDArray[np.int64],
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    mask: LandMask | None,
) -> tuple[npt.NDArray[np.int8], int, LandMask]:
    # Released now or later; seeds on land strand at once (counted; all on land is refused).
    n = lon.size
    status = np.full(n, ParticleStatus.NOT_RELEASED, dtype=np.int8)
    status[release_k == 0] = ParticleStatus.ACTIVE
    on_land = 0
    if req.coast:
        if mask is None:
            from littoral.geo import CaspianSea

            mask = CaspianSea.load().mask
        from littoral.geo.mask import classify_points

        cls = classify_points(mask, lon, lat)
        land = (cls == WaterClass.LAND) | (cls == WaterClass.ISLAND)
        on_land = int(land.sum())
        if on_land == n:
            raise InputError(f"every seed position is on land (first: {lat[0]:.4f}N {lon[0]:.4f}E)")
        status[land] = ParticleStatus.STRANDED
    kernel_mask = _contiguous(mask) if (req.coast and mask is not None) else open_water_mask()
    return status, on_land, kernel_mask


def run(
    request: DriftRequest,
    *,
    progress: ProgressCallback | None = None,
    rng: np.random.Generator | None = None,
    mask: LandMask | None = None,
    sinks: Sequence[OutputSink] = (),
    keep: Sequence[int] | None = None,
) -> DriftResult:
    """Run a drift simulation.

    Parameters
    ----------
    request:
        What to run.
    progress:
        Optional callback with the fraction done.
    rng:
        Random generator; default ``numpy.random.default_rng(request.seed)``. Every random
        number of the run comes from it (the kernel's streams are keyed by one draw).
    mask:
        Land mask for the coast; default the Caspian's (``littoral.geo.CaspianSea``) when
        ``request.coast`` is true.
    sinks:
        Outputs fed while the kernel computes (:mod:`littoral.drift.output`: a trajectory
        file, density grids, a centroid track); each is closed at the end, also on error.
    keep:
        Output time indices the returned result holds (negative from the end); default
        all. With sinks and a few kept times, memory does not grow with the output times.

    Returns
    -------
    DriftResult
        Positions and status at the kept output times, seed and provenance.
    """
    req = request
    obj = get_object(req.object_class)
    if req.particles < 1:
        raise InputError(f"particles={req.particles!r} must be >= 1")
    if not 0.0 <= req.jibe_probability_per_h < 1.0:
        raise InputError(f"jibe_probability_per_h={req.jibe_probability_per_h!r} not in [0, 1)")
    if req.device not in ("cpu", "gpu"):
        raise InputError(f"device={req.device!r} must be 'cpu' or 'gpu'")
    if req.device == "gpu":
        from littoral.drift.gpu import require_gpu

        require_gpu()  # before any work: no CuPy or no GPU is said at once
    if req.capsizing is not None and req.step.total_seconds() < 0:
        raise InputError("capsizing cannot run backward in time (negative step)")
    s = _steps(req)
    gen = rng if rng is not None else np.random.default_rng(req.seed)
    n = req.particles

    release_k, frac = _release_steps(req, s)
    lon, lat = req.seeding.positions(n, frac, gen)
    coeffs = draw_coefficients(obj, n, gen, perturb=req.leeway_spread)
    pert = req.perturbation
    if pert is not None:
        if not (pert.correlation_time_s > 0 and pert.wind_sigma_ms >= 0):
            raise InputError(f"perturbation={pert!r} needs tau > 0 and sigmas >= 0")
        sig = np.array([pert.wind_sigma_ms, pert.current_sigma_ms], dtype=np.float64)
        ou = gen.standard_normal((n, 4)) * np.repeat(sig, 2)[None, :]
    else:
        sig = np.zeros(2)
        ou = np.zeros((1, 4))
    key = np.uint64(gen.integers(0, 2**63 - 1, dtype=np.int64))

    fields = _load_forcing(req, s, lon, lat)
    index = [_time_index(f, s) for f in fields]
    # The kernel's layout: (ny, nx, nt, 2).
    # float64 in the kernel: mixed float32 arithmetic there is twice as slow.
    kdata = [np.ascontiguousarray(f.data.transpose(1, 2, 0, 3), dtype=np.float64) for f in fields]
    kgeom = [_inverse_geometry(f) for f in fields]
    stokes_k = 2 if req.stokes else 0

    status, on_land, kernel_mask = _initial_status(req, release_k, lon, lat, mask)

    n_out = s.n_steps // s.out_every + 1
    out_times = (
        np.datetime64(round(s.t0_s), "s")
        + np.arange(n_out) * np.timedelta64(round(s.dt_s * s.out_every), "s")
    ).astype("datetime64[s]")
    kept_idx = keep_index(keep, n_out)
    p_jibe = req.jibe_probability_per_h
    cap = req.capsizing or Capsizing()
    params = Params(
        dt_s=s.dt_s,
        out_every=s.out_every,
        out_first=0,
        consts=class_constants(obj),
        jibe_rate=-math.log(1.0 - p_jibe) / 3600.0 if p_jibe > 0 else 0.0,
        capsize_on=req.capsizing is not None,
        capsize_fraction=cap.leeway_fraction,
        capsize_wind_ms=cap.wind_threshold_ms,
        capsize_sigma_ms=cap.wind_sigma_ms,
        ou_on=pert is not None,
        ou_tau_s=pert.correlation_time_s if pert else 1.0,
        ou_sigma=sig,
        key=key,
        stokes_on=req.stokes,
        coast_on=req.coast,
        coast_previous=req.coast_action == "previous",
    )
    state = State(
        lon=lon,
        lat=lat,
        status=status,
        side=coeffs.side.copy(),
        capsized=np.zeros(n, dtype=np.int8),
        age_s=np.zeros(n),
        jibe_n=np.zeros(n, dtype=np.int64),
        next_jibe_s=np.full(n, -1.0),
        hazard=np.zeros(n),
        ou=ou,
    )
    draws = Draws(
        release_k=release_k,
        z_dw=coeffs.z_downwind,
        z_cw=coeffs.z_crosswind,
        capsize_threshold=coeffs.capsize_threshold,
    )
    grids = [Field(kdata[i], kgeom[i], index[i][0], index[i][1]) for i in (0, 1, stokes_k)]
    args = KernelArgs(
        params=params,
        state=state,
        draws=draws,
        forcing=Forcing(wind=grids[0], cur=grids[1], stokes=grids[2]),
        # the clearance raster: once per run (a distance transform)
        shore=Shore(mask=kernel_mask, clearance=shore_clearance(kernel_mask)),
        out=Output(np.empty((0, n)), np.empty((0, n)), np.empty((0, n), np.int8)),  # see drive
        scratch=Scratch(mid_lon=np.empty(n), mid_lat=np.empty(n), live=np.zeros(n, np.bool_)),
    )
    kernel: Kernel
    if req.device == "gpu":
        from littoral.drift.gpu import drift_kernel_gpu

        kernel = drift_kernel_gpu
        chunk = s.n_steps  # one launch: the state stays on the device for the whole run
    else:
        kernel = drift_kernel
        chunk = max(1, (n_out - 1) // 20) * s.out_every
    try:
        for sink in sinks:
            sink.start(out_times, lon.copy(), lat.copy())
        kept = drive(kernel, args, n_steps=s.n_steps, chunk_steps=chunk, sinks=sinks, keep=keep,
                     progress=progress)  # fmt: skip
        attrs = _provenance(req, obj.description, fields, s, on_land)
        weight = np.full(n, 1.0 / n)
        info = RunInfo(seed=int(req.seed), object_class=obj.key, weight=weight, attrs=attrs)
        for sink in sinks:
            sink.finish(info)
    finally:
        for sink in sinks:
            sink.close()
    return DriftResult(
        times=out_times[kept_idx],
        lon=kept.lon,
        lat=kept.lat,
        status=kept.status,
        weight=weight,
        seed=int(req.seed),
        object_class=obj.key,
        attrs=attrs,
    )


def _provenance(
    req: DriftRequest, description: str, fields: list[GridField], s: _Steps, on_land: int
) -> dict[str, str]:
    pert = req.perturbation
    return {
        "model": "Leeway (Allen and Plourde 1999; Breivik and Allen 2008)",
        "littoral_version": __version__,
        "object_description": description,
        "forcing_wind": fields[0].source,
        "forcing_current": fields[1].source,
        "forcing_stokes": fields[2].source if req.stokes else "none",
        "forcing_filled_cells": str(sum(f.filled_cells for f in fields)),
        "forcing_gap_cells_filled": str(sum(f.gap_cells for f in fields)),
        "time_step_s": f"{s.dt_s:g}",
        "direction": "backward" if s.dt_s < 0 else "forward",
        "integration": "explicit midpoint (RK2) on the sphere",
        "jibe_probability_per_h": f"{req.jibe_probability_per_h:g}",
        "leeway_spread": str(req.leeway_spread).lower(),
        "capsizing": repr(req.capsizing) if req.capsizing else "off",
        "perturbation": repr(pert) if pert else "off",
        "coast": f"Caspian shore (littoral.geo), {req.coast_action}" if req.coast else "off",
        "seeded_on_land": str(on_land),
        "seeding": repr(req.seeding),
        "release_end": req.release_end.isoformat() if req.release_end else "",
        "crosswind_sign": "positive = right of downwind",
        "device": req.device,
        **req.attrs,
    }
