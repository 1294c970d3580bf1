"""Run the model: the time step and its CFL check, the run loop, the water budget.

The time step is the largest that divides the output interval into whole steps and keeps the
gravity-wave Courant number ``max(sqrt(g h) sqrt(1/dx^2 + 1/dy^2)) dt`` (over sea cells, at
rest) at or below ``cfl`` (0.9 by default; the forward-backward scheme is stable up to 1).
Each output interval is one call of the compiled loop; after it the state is checked
(a non-finite or absurd sea level stops the run with :class:`InstabilityError`) and the
basin's volume is compared with its start plus the river's inflow.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from littoral.clock import require_utc
from littoral.errors import InputError, LittoralError
from littoral.ocean.grid import OceanGrid
from littoral.ocean.kernel import Params, State, advance, new_state
from littoral.ocean.physics import GRAVITY_MS2, RHO_WATER_KG_M3, stress_field, surface_shear_ms
from littoral.ocean.result import Diagnostics, OceanResult
from littoral.ocean.settings import ModelSettings
from littoral.ocean.wind import WindField

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
MAX_SEA_LEVEL_M = 50.0
"""A sea level beyond this (anywhere) means the run has gone unstable."""


class InstabilityError(LittoralError):
    """The model blew up (a step beyond the CFL limit, or forcing far outside its range)."""


def courant_number(grid: OceanGrid, dt_s: float) -> float:
    """Gravity-wave Courant number of a step on the grid at rest."""
    geo = grid.geometry
    depth = np.where(geo.sea == 1, np.maximum(geo.h, 0.0), 0.0)
    inv = np.sqrt(1.0 / geo.dx[:, None] ** 2 + 1.0 / geo.dy**2)
    return float(np.max(np.sqrt(GRAVITY_MS2 * depth) * inv) * dt_s)


def choose_step(grid: OceanGrid, settings: ModelSettings, output_every_s: float) -> float:
    """Return the time step: ``settings.dt_s`` or the largest that fits ``cfl`` and the output."""
    limit = courant_number(grid, 1.0)
    if settings.dt_s is not None:
        dt = settings.dt_s
        n = output_every_s / dt
        if abs(n - round(n)) > 1e-9:
            raise InputError(f"dt_s={dt!r} does not divide the output interval {output_every_s} s")
        if dt * limit > 1.0 + 1e-12:
            raise InputError(
                f"dt_s={dt!r} gives a Courant number {dt * limit:.3f} > 1: the "
                f"forward-backward scheme is stable up to dt = {1.0 / limit:.1f} s on this grid"
            )
        return dt
    n_sub = max(1, math.ceil(output_every_s * limit / settings.cfl))
    return output_every_s / n_sub


def _params(grid: OceanGrid, s: ModelSettings, dt_s: float) -> Params:
    sj = si = 0
    q = 0.0
    if s.river is not None and s.river.discharge_m3s > 0:
        sea = grid.geometry.sea == 1
        lon2, lat2 = np.meshgrid(grid.lon, grid.lat)
        d2 = ((lon2 - s.river.lon) * np.cos(np.radians(s.river.lat))) ** 2 + (
            lat2 - s.river.lat
        ) ** 2
        k = int(np.argmin(np.where(sea, d2, np.inf)))
        sj, si = divmod(k, grid.shape[1])
        q = s.river.discharge_m3s
    return Params(
        dt=float(dt_s),
        g=GRAVITY_MS2,
        rho_w=RHO_WATER_KG_M3,
        bottom_drag=float(s.bottom_drag),
        ah=float(s.viscosity_m2s),
        h_dry=float(s.dry_depth_m),
        h_min=float(s.min_depth_m),
        nonlinear=int(s.nonlinear),
        drag_law=int(s.drag_law),
        source_j=sj,
        source_i=si,
        source_m3s=float(q),
    )


def level_volume_m3(grid: OceanGrid, state: State) -> float:
    """Water above the rest level: the sum of ``eta x area`` over sea cells (``math.fsum``).

    Summed apart from the water below the rest level (``h x area``, constant), so that a
    change of a cubic metre is not lost in the rounding of a 78,000 km^3 total.
    """
    geo = grid.geometry
    col = np.where(geo.sea == 1, state.eta, 0.0) * geo.area[:, None]
    return math.fsum(col.ravel().tolist())


def rest_volume_m3(grid: OceanGrid) -> float:
    """Water below the rest level: the sum of ``h x area`` over sea cells."""
    geo = grid.geometry
    col = np.where(geo.sea == 1, geo.h, 0.0) * geo.area[:, None]
    return math.fsum(col.ravel().tolist())


def _centres(state: State, sea: npt.NDArray[np.bool_]) -> tuple[F64, F64]:
    u = 0.5 * (state.u[:, :-1] + state.u[:, 1:])
    v = 0.5 * (state.v[:-1, :] + state.v[1:, :])
    return np.where(sea, u, np.nan), np.where(sea, v, np.nan)


def run_model(
    grid: OceanGrid,
    wind: WindField,
    *,
    start: datetime,
    duration: timedelta,
    output_every: timedelta = timedelta(hours=1),
    settings: ModelSettings | None = None,
    initial: State | None = None,
    progress: Callable[[float], None] | None = None,
) -> OceanResult:
    """Run the model from rest (or ``initial``) and return the fields at every output time.

    Raises
    ------
    InputError
        Bad times, a step beyond the CFL limit, or wind that does not cover the run.
    InstabilityError
        If the sea level stops being finite or passes 50 m anywhere.
    """
    settings = settings or ModelSettings()
    start = require_utc(start, "start")
    out_s = output_every.total_seconds()
    dur_s = duration.total_seconds()
    if out_s <= 0 or dur_s <= 0:
        raise InputError(f"duration {duration} and output interval {output_every} must be > 0")
    n_out = round(dur_s / out_s)
    if abs(n_out * out_s - dur_s) > 1e-6:
        raise InputError(f"duration {duration} is not a whole number of {output_every} outputs")
    if wind.start > start or wind.end < start + duration:
        raise InputError(
            f"wind covers {wind.start.isoformat()} to {wind.end.isoformat()}, "
            f"the run {start.isoformat()} to {(start + duration).isoformat()}"
        )
    dt = choose_step(grid, settings, out_s)
    n_sub = round(out_s / dt)
    params = _params(grid, settings, dt)
    state = initial if initial is not None else new_state(grid.geometry)
    kwind = wind.kernel_wind()
    geo = grid.geometry
    sea = geo.sea == 1
    shape = (n_out + 1, *grid.shape)
    zos = np.full(shape, np.nan, dtype=np.float32)
    ubar, vbar = np.full(shape, np.nan, np.float32), np.full(shape, np.nan, np.float32)
    uo, vo = np.full(shape, np.nan, np.float32), np.full(shape, np.nan, np.float32)
    wet = np.zeros(shape, dtype=bool)
    volumes = np.zeros(n_out + 1)
    v_rest = rest_volume_m3(grid)
    above0 = level_volume_m3(grid, state)
    v0 = v_rest + above0
    t0 = start.timestamp()
    wall0 = time.perf_counter()
    max_speed = 0.0

    def record(k: int) -> None:
        nonlocal max_speed
        depth = geo.h + state.eta
        zos[k] = np.where(sea, state.eta, np.nan)
        wet[k] = sea & (depth > settings.dry_depth_m)
        uc, vc = _centres(state, sea)
        ubar[k], vbar[k] = uc, vc
        wk = min(max((t0 + k * out_s - kwind.t0_s) / kwind.dt_s, 0.0), kwind.u.shape[0] - 1.0)
        i = min(int(wk), max(kwind.u.shape[0] - 2, 0))
        a = wk - i if kwind.u.shape[0] > 1 else 0.0
        wu = kwind.u[i].astype(np.float64)
        wv = kwind.v[i].astype(np.float64)
        if a > 0.0:
            wu += a * (kwind.u[i + 1] - wu)
            wv += a * (kwind.v[i + 1] - wv)
        sx, sy = surface_shear_ms(
            *stress_field(wu, wv, settings.drag_law), settings.surface_drift_coef
        )
        uo[k] = np.where(wet[k], uc + sx, np.where(sea, 0.0, np.nan))
        vo[k] = np.where(wet[k], vc + sy, np.where(sea, 0.0, np.nan))
        volumes[k] = level_volume_m3(grid, state) - above0
        max_speed = max(max_speed, float(np.nanmax(np.hypot(uc, vc))))

    record(0)
    for k in range(n_out):
        advance(state, geo, params, kwind, t0 + k * out_s, n_sub)
        peak = float(np.max(np.abs(state.eta)))
        if not math.isfinite(peak) or peak > MAX_SEA_LEVEL_M:
            raise InstabilityError(
                f"sea level {peak!r} m after {(k + 1) * out_s / 3600:g} h "
                f"(dt_s={dt:g}, Courant number {courant_number(grid, dt):.3f})"
            )
        record(k + 1)
        if progress is not None:
            progress((k + 1) / n_out)
    wall = time.perf_counter() - wall0
    inflow = float(state.source_m3[0])
    change = float(volumes[-1])
    volumes += v0
    dry = [int((sea & ~wet[k]).sum()) for k in range(n_out + 1)]
    diag = Diagnostics(
        dt_s=dt,
        courant=courant_number(grid, dt),
        n_steps=n_out * n_sub,
        sea_cells=grid.n_sea,
        cell_steps=n_out * n_sub * grid.n_sea,
        wall_s=wall,
        volume_m3=v0,
        volume_change_m3=change,
        river_inflow_m3=inflow,
        relative_volume_error=abs(change - inflow) / v0 if v0 > 0 else 0.0,
        max_abs_sea_level_m=float(np.nanmax(np.abs(zos))),
        max_speed_ms=max_speed,
        min_dry_cells=min(dry),
        max_dry_cells=max(dry),
    )
    times = np.datetime64(int(t0), "s") + np.arange(n_out + 1) * np.timedelta64(int(out_s), "s")
    return OceanResult(
        grid=grid,
        times=times,
        zos=zos,
        ubar=ubar,
        vbar=vbar,
        uo=uo,
        vo=vo,
        wet=wet,
        diagnostics=diag,
        settings=settings,
        wind_source=wind.source,
        volume_series_m3=volumes,
    )
