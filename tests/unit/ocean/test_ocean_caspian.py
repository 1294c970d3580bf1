"""The model on the Caspian: water budget over 7 days, the CFL limit, the surge, drying."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from littoral.ocean import (
    InstabilityError,
    ModelSettings,
    WindField,
    caspian_grid,
    courant_number,
    rectangle_grid,
    run_model,
    volga,
)
from littoral.ocean.kernel import new_state

START = datetime(2026, 1, 10, tzinfo=UTC)


def storm(grid, days: int, step_h: int = 3) -> WindField:  # type: ignore[no-untyped-def]
    """A storm whose direction turns and whose speed varies in time and space."""
    n = days * 24 // step_h + 1
    t = np.arange(n)[:, None, None] * step_h * 3600.0
    lon2, lat2 = np.meshgrid(grid.lon, grid.lat)
    speed = 12.0 + 8.0 * np.sin(2 * np.pi * t / 86400.0 / 3) * np.cos(np.radians(lat2 - 42))
    turn = 2 * np.pi * t / (86400.0 * days) + np.radians(lon2 - 50.0)
    sea = grid.geometry.sea == 1
    u = np.where(sea, speed * np.cos(turn), 0.0).astype(np.float32)
    v = np.where(sea, speed * np.sin(turn), 0.0).astype(np.float32)
    return WindField(start=START, step=timedelta(hours=step_h), u=u, v=v, source="storm")


def test_grid_is_the_sea_polygon_with_the_shared_depths() -> None:
    grid = caspian_grid()
    assert grid.shape == (183, 84)
    assert 7500 < grid.n_sea < 8400
    depth = grid.depth_m
    assert np.nanmin(depth) == 5.0
    assert np.nanmax(depth) == 912.0
    lowered = caspian_grid(rest_level_bs_m=-29.2)
    assert np.nanmin(lowered.depth_m) == pytest.approx(3.3)
    area_km2 = grid.cell_area_m2()[grid.geometry.sea == 1].sum() / 1e6
    assert 360_000 < area_km2 < 390_000  # the sea polygon's 378,667 km2, in cells


def test_water_is_conserved_over_seven_days_with_drying_and_the_volga() -> None:
    grid = caspian_grid(coarsen=2, rest_level_bs_m=-30.5)
    days = 7
    settings = ModelSettings(river=volga())
    res = run_model(
        grid,
        storm(grid, days),
        start=START,
        duration=timedelta(days=days),
        output_every=timedelta(hours=6),
        settings=settings,
    )
    d = res.diagnostics
    assert d.max_dry_cells > d.min_dry_cells  # the north dried and flooded
    assert d.river_inflow_m3 == pytest.approx(volga().discharge_m3s * days * 86400.0)
    assert d.relative_volume_error < 1e-9
    # Without the river the volume does not move at all, to rounding of the sum.
    res0 = run_model(
        grid,
        storm(grid, days),
        start=START,
        duration=timedelta(days=days),
        output_every=timedelta(hours=6),
    )
    spread = np.ptp(res0.volume_series_m3) / res0.diagnostics.volume_m3
    assert spread < 1e-12


@pytest.mark.parametrize(("coarsen", "n_out"), [(1, 36), (2, 62)])
def test_stable_at_the_cfl_limit_and_not_beyond(coarsen: int, n_out: int) -> None:
    # the native grid for about one day, the coarsened one for about three
    grid = caspian_grid(coarsen=coarsen)
    limit_dt = 1.0 / courant_number(grid, 1.0)
    # an output interval of 40 steps at the limit (to the microsecond, below it)
    every = timedelta(microseconds=math.floor(limit_dt * 40 * 1e6))
    res = run_model(
        grid,
        storm(grid, 3),
        start=START,
        duration=every * n_out,
        output_every=every,
        settings=ModelSettings(cfl=1.0),
    )
    assert res.diagnostics.courant == pytest.approx(1.0, abs=1e-6)
    assert res.diagnostics.courant <= 1.0
    assert np.isfinite(res.zos[-1][grid.geometry.sea == 1]).all()
    assert res.diagnostics.max_abs_sea_level_m < 6.0
    with pytest.raises(ValueError, match="Courant number"):
        run_model(
            grid,
            storm(grid, 3),
            start=START,
            duration=timedelta(seconds=round(limit_dt * 1.2 * 10)),
            output_every=timedelta(seconds=round(limit_dt * 1.2 * 10)),
            settings=ModelSettings(dt_s=round(limit_dt * 1.2 * 10) / 10),
        )


def test_a_step_beyond_the_limit_blows_up() -> None:
    from littoral.ocean.kernel import advance
    from littoral.ocean.model import _params

    grid = caspian_grid()
    dt = 1.15 / courant_number(grid, 1.0)
    wind = storm(grid, 1)
    state = new_state(grid.geometry)
    params = _params(grid, ModelSettings(), dt)
    advance(state, grid.geometry, params, wind.kernel_wind(), START.timestamp(), 600)
    peak = np.max(np.abs(state.eta))
    assert not np.isfinite(peak) or peak > 100.0


def test_easterly_storm_raises_the_west_and_lowers_the_east_of_the_north_caspian() -> None:
    grid = caspian_grid(coarsen=2)
    end = timedelta(days=2)
    wind = WindField.uniform(grid, u_ms=-20.0, v_ms=0.0, start=START, end=START + end)
    res = run_model(grid, wind, start=START, duration=end, output_every=timedelta(hours=6))
    lon2, lat2 = np.meshgrid(grid.lon, grid.lat)
    z = res.zos[-1]
    west = np.nanmax(np.where((lon2 < 48.0) & (lat2 > 44.5), z, np.nan))
    east = np.nanmin(np.where((lon2 > 51.5) & (lat2 > 45.0), z, np.nan))
    assert west > 1.0
    assert east < -1.0


def test_a_beach_floods_and_dries_without_negative_depth() -> None:
    # A basin 60 km long: 6 m deep in the west, its bed rising to 1 m above the rest level.
    nx = 30
    bed = np.linspace(6.0, -1.0, nx)[None, :].repeat(3, axis=0)
    grid = rectangle_grid(nx=nx, ny=3, dx_m=2000.0, dy_m=2000.0, depth_m=bed)
    dry0 = int((bed < 0).sum())
    span = timedelta(hours=24)
    u = np.zeros((3, 3, nx), np.float32)
    u[0], u[1], u[2] = 25.0, 25.0, -25.0
    wind = WindField(start=START, step=timedelta(hours=12), u=u, v=np.zeros_like(u), source="t")
    state = new_state(grid.geometry)
    v0 = float((grid.geometry.h + state.eta).sum())
    res = run_model(grid, wind, start=START, duration=span, output_every=timedelta(minutes=30))
    wet = res.wet.sum(axis=(1, 2))
    assert wet[0] == 3 * nx - dry0
    assert wet.max() > wet[0]  # the onshore wind floods the beach
    assert wet[-1] < wet.max()  # and the offshore wind dries it again
    depth = grid.geometry.h[None] + res.zos
    assert np.nanmin(depth) >= -1e-6  # float32 output of a level near 1 m
    volume = (grid.geometry.h[None] + res.zos.astype(np.float64)).sum(axis=(1, 2))
    assert np.allclose(volume, v0, rtol=1e-6)  # float32 output; the state is exact


def test_bad_settings_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"cfl=1\.5"):
        ModelSettings(cfl=1.5)
    with pytest.raises(ValueError, match="rest_level_bs_m=-10"):
        caspian_grid(rest_level_bs_m=-10)
    grid = rectangle_grid(nx=4, ny=1, dx_m=1000.0, dy_m=1000.0, depth_m=5.0)
    wind = WindField.uniform(grid, u_ms=1.0, v_ms=0.0, start=START, end=START + timedelta(hours=1))
    with pytest.raises(ValueError, match="wind covers"):
        run_model(grid, wind, start=START, duration=timedelta(hours=2))
    with pytest.raises(ValueError, match="whole number"):
        run_model(grid, wind, start=START, duration=timedelta(minutes=90))


def test_instability_error_is_a_littoral_error() -> None:
    from littoral.errors import LittoralError

    assert issubclass(InstabilityError, LittoralError)
