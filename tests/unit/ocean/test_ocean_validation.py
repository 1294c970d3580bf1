"""The shallow-water model against closed forms: set-up, seiche, inertial oscillation."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from littoral.ocean import ModelSettings, WindField, rectangle_grid, run_model
from littoral.ocean.grid import OceanGrid
from littoral.ocean.kernel import new_state
from littoral.ocean.physics import GRAVITY_MS2, RHO_WATER_KG_M3, DragLaw, stress_field

START = datetime(2026, 1, 10, tzinfo=UTC)
LINEAR = ModelSettings(nonlinear=False, bottom_drag=0.0, viscosity_m2s=0.0)


def ramped_wind(grid: OceanGrid, u_ms: float, ramp: timedelta, end: timedelta) -> WindField:
    """Wind rising linearly from calm to ``u_ms`` over ``ramp``, then steady until ``end``."""
    step = ramp / 12
    n = round(end / step) + 1
    ramp_frac = np.clip(np.arange(n) * step / ramp, 0.0, 1.0).astype(np.float32)
    u = ramp_frac[:, None, None] * np.full(grid.shape, u_ms, np.float32)
    return WindField(start=START, step=step, u=u, v=np.zeros_like(u), source="ramp")


def test_steady_setup_slope_is_tau_over_rho_g_h() -> None:
    depth_m, wind_ms = 20.0, 10.0
    grid = rectangle_grid(nx=50, ny=3, dx_m=2000.0, dy_m=2000.0, depth_m=depth_m)
    days = timedelta(days=2)
    wind = ramped_wind(grid, wind_ms, timedelta(hours=12), days)
    res = run_model(grid, wind, start=START, duration=days, output_every=timedelta(minutes=15))
    tau, _ = stress_field(np.array([wind_ms]), np.array([0.0]), DragLaw.LARGE_POND_1981)
    expected = float(tau[0]) / (RHO_WATER_KG_M3 * GRAVITY_MS2 * depth_m)
    # the mean over the last day (several seiche periods) is the steady state
    eta = np.nanmean(res.zos[-96:, 1, :].astype(np.float64), axis=0)
    x = np.arange(grid.shape[1]) * 2000.0
    slope = np.polyfit(x, eta, 1)[0]
    assert slope == pytest.approx(expected, rel=0.02)
    assert abs(float(np.nanmean(eta))) < 1e-9  # no water made or lost


@pytest.mark.parametrize(("n_cells", "depth_m"), [(40, 10.0), (60, 50.0)])
def test_seiche_period_is_2L_over_sqrt_gH(n_cells: int, depth_m: float) -> None:
    dx = 5000.0
    grid = rectangle_grid(nx=n_cells, ny=1, dx_m=dx, dy_m=dx, depth_m=depth_m)
    length = n_cells * dx
    state = new_state(grid.geometry)
    x = (np.arange(n_cells) + 0.5) * dx
    state.eta[0, :] = 0.01 * np.cos(np.pi * x / length)
    period_s = 2 * length / math.sqrt(GRAVITY_MS2 * depth_m)
    span = timedelta(seconds=4 * period_s // 60 * 60)
    wind = WindField.uniform(grid, u_ms=0.0, v_ms=0.0, start=START, end=START + span)
    res = run_model(
        grid,
        wind,
        start=START,
        duration=span,
        output_every=timedelta(minutes=1),
        settings=LINEAR,
        initial=state,
    )
    west = res.zos[:, 0, 0].astype(np.float64)
    t = np.arange(west.size) * 60.0
    up = np.flatnonzero((west[:-1] < 0) & (west[1:] >= 0))
    crossings = t[up] - west[up] * 60.0 / (west[up + 1] - west[up])
    measured = float(np.mean(np.diff(crossings)))
    assert len(crossings) >= 3
    assert measured == pytest.approx(period_s, rel=0.02)
    assert measured == pytest.approx(period_s, rel=0.005)  # the scheme does better than 2 %


def test_inertial_oscillation_turns_at_f() -> None:
    f = 1.0e-4
    grid = rectangle_grid(nx=100, ny=100, dx_m=20_000.0, dy_m=20_000.0, depth_m=2.0, f_per_s=f)
    state = new_state(grid.geometry)
    state.u[:, 1:-1] = 0.1
    span = timedelta(hours=36)
    wind = WindField.uniform(grid, u_ms=0.0, v_ms=0.0, start=START, end=START + span)
    res = run_model(
        grid,
        wind,
        start=START,
        duration=span,
        output_every=timedelta(minutes=10),
        settings=LINEAR,
        initial=state,
    )
    u = res.ubar[:, 50, 50].astype(np.float64)
    v = res.vbar[:, 50, 50].astype(np.float64)
    t = np.arange(u.size) * 600.0
    angle = np.unwrap(np.arctan2(v, u))
    omega = -np.polyfit(t, angle, 1)[0]  # clockwise in the northern hemisphere
    assert omega == pytest.approx(f, rel=0.01)
    # Sielecki's order keeps the amplitude: the speed wobbles by about f dt / 4 within a
    # period (dt = 600 s here) but neither grows nor decays from one period to the next.
    speed = np.hypot(u, v)
    per = round(2 * np.pi / f / 600.0)
    assert speed.max() == pytest.approx(0.1, rel=0.02)
    assert speed.min() == pytest.approx(0.1, rel=0.02)
    assert speed[per : 2 * per].max() == pytest.approx(speed[:per].max(), rel=1e-3)


def test_wind_setup_is_the_same_with_wu_1982_law_scaled() -> None:
    # The two drag laws differ only in C_D: the set-up scales with it.
    grid = rectangle_grid(nx=30, ny=1, dx_m=2000.0, dy_m=2000.0, depth_m=10.0)
    days = timedelta(days=1)
    wind = ramped_wind(grid, 15.0, timedelta(hours=6), days)
    out = {}
    for law in DragLaw:
        res = run_model(
            grid,
            wind,
            start=START,
            duration=days,
            output_every=timedelta(minutes=30),
            settings=ModelSettings(drag_law=law),
        )
        out[law] = float(np.mean(res.zos[-24:, 0, -1]) - np.mean(res.zos[-24:, 0, 0]))
    lp = (0.49 + 0.065 * 15) / (0.8 + 0.065 * 15)
    assert out[DragLaw.LARGE_POND_1981] / out[DragLaw.WU_1982] == pytest.approx(lp, rel=0.02)
