"""Figures of littoral.ocean: a 7-day whole-Caspian run from a time-varying wind.

Wind: a storm crossing the sea (speed up to 25 m/s, turning), hourly on a 0.25-degree
ERA5-layout CF NetCDF file, read through littoral's forcing reader as the CLI does.
littoral: the compiled kernel through ``run_model`` (hourly output), then NetCDF output.
Peer, in the same run: the same scheme in plain vectorised numpy
(``benchmarks/ocean_numpy_peer.py``), on the same state for a few hundred steps; the two
must agree, and the ratio of sea-cell-steps per second is printed.

Run: ``.venv/bin/python benchmarks/ocean_bench.py``.
"""

from __future__ import annotations

import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import xarray as xr

sys.path.insert(0, str(Path(__file__).resolve().parent))

from littoral.drift import NetCDFForcing
from littoral.ocean import ModelSettings, caspian_grid, run_model, wind_from_readers
from littoral.ocean.kernel import advance, new_state
from littoral.ocean.model import _params, choose_step
from ocean_numpy_peer import advance_numpy

START = datetime(2026, 1, 10, tzinfo=UTC)
DAYS = 7
PEER_STEPS = 300


def storm_file(path: Path) -> None:
    """Hourly 10 m wind of a storm whose centre crosses the Caspian in a week."""
    hours = DAYS * 24 + 1
    lat = np.arange(48.0, 36.0 - 0.01, -0.25)
    lon = np.arange(46.0, 55.01, 0.25)
    t = np.arange(hours)[:, None, None]
    lon2, lat2 = np.meshgrid(lon, lat)
    c_lon = 47.0 + 6.0 * t / hours
    c_lat = 46.0 - 8.0 * t / hours
    dx = (lon2 - c_lon) * np.cos(np.radians(42.0)) * 111.0
    dy = (lat2 - c_lat) * 111.0
    r = np.hypot(dx, dy) + 1.0
    speed = 25.0 * (r / 300.0) * np.exp(1.0 - r / 300.0)  # Rankine-like, 25 m/s at 300 km
    u = (-speed * dy / r + 3.0).astype(np.float32)  # cyclonic, plus a westerly drift
    v = (speed * dx / r).astype(np.float32)
    times = np.datetime64("2026-01-10T00:00", "ns") + np.arange(hours) * np.timedelta64(1, "h")
    ds = xr.Dataset(
        {
            "u10": (("valid_time", "latitude", "longitude"), u),
            "v10": (("valid_time", "latitude", "longitude"), v),
        },
        coords={"valid_time": times, "latitude": lat, "longitude": lon},
    )
    ds["u10"].attrs.update(units="m s**-1", standard_name="eastward_wind")
    ds["v10"].attrs.update(units="m s**-1", standard_name="northward_wind")
    ds.to_netcdf(path)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ocean_bench_"))
    wind_path = tmp / "storm.nc"
    storm_file(wind_path)

    t = time.perf_counter()
    grid = caspian_grid()
    t_grid = time.perf_counter() - t
    t = time.perf_counter()
    wind = wind_from_readers(
        [NetCDFForcing(wind_path)], grid, start=START, end=START + timedelta(days=DAYS)
    )
    t_wind = time.perf_counter() - t
    settings = ModelSettings()

    t = time.perf_counter()
    run_model(grid, wind, start=START, duration=timedelta(hours=1), settings=settings)
    t_first = time.perf_counter() - t

    c0, t = time.process_time(), time.perf_counter()
    res = run_model(grid, wind, start=START, duration=timedelta(days=DAYS), settings=settings)
    t_run = time.perf_counter() - t
    cpu_run = time.process_time() - c0
    t = time.perf_counter()
    res.to_netcdf(str(tmp / "currents.nc"))
    t_write = time.perf_counter() - t
    d = res.diagnostics
    rate = d.cell_steps / t_run

    # Peer: the same steps in numpy, from the same mid-storm state.
    dt = choose_step(grid, settings, 3600.0)
    params = _params(grid, settings, dt)
    kw = wind.kernel_wind()
    state = new_state(grid.geometry)
    t_mid = START.timestamp() + 86400.0
    advance(state, grid.geometry, params, kw, START.timestamp(), round(86400.0 / dt))
    e0, u0, v0 = state.eta.copy(), state.u.copy(), state.v.copy()
    t = time.perf_counter()
    advance(state, grid.geometry, params, kw, t_mid, PEER_STEPS)
    t_numba = time.perf_counter() - t
    t = time.perf_counter()
    e1, u1, v1 = advance_numpy(e0, u0, v0, grid.geometry, params, kw, t_mid, PEER_STEPS)
    t_numpy = time.perf_counter() - t
    diff = max(
        float(np.abs(e1 - state.eta).max()),
        float(np.abs(u1 - state.u).max()),
        float(np.abs(v1 - state.v).max()),
    )
    peer_rate = PEER_STEPS * grid.n_sea / t_numpy
    numba_rate = PEER_STEPS * grid.n_sea / t_numba
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    print(f"grid: {grid.name}; {grid.n_sea} sea cells; built in {t_grid:.2f} s")
    print(f"wind: {wind.source}, {wind.u.shape[0]} hourly frames, sampled in {t_wind:.2f} s")
    print(f"step {d.dt_s:.2f} s, Courant number {d.courant:.3f}, {d.n_steps} steps")
    print(f"first run (kernel compile or cache load + 1 h): {t_first:.2f} s")
    print(
        f"littoral 7-day run: {t_run:.2f} s wall, {cpu_run:.2f} s CPU, "
        f"{rate / 1e6:.2f} M sea-cell-steps/s; NetCDF written in {t_write:.2f} s"
    )
    print(
        f"water: relative volume error {d.relative_volume_error:.1e}; sea level "
        f"{np.nanmin(res.zos):+.2f} to {np.nanmax(res.zos):+.2f} m; "
        f"dry cells up to {d.max_dry_cells}"
    )
    print(f"peak RSS: {rss_mb:.0f} MB")
    print(
        f"peer (same scheme, plain numpy), {PEER_STEPS} steps: {peer_rate / 1e6:.2f} M "
        f"sea-cell-steps/s; littoral on the same steps {numba_rate / 1e6:.2f} M; "
        f"max difference {diff:.1e}"
    )
    print(f"ratio littoral / numpy: {numba_rate / peer_rate:.1f}x")
    total = t_grid + t_wind + t_first + t_run + t_write
    print(f"targets: 7 days < 60 s: {t_run:.1f} s (whole script so far {total:.1f} s); "
          f"memory < 1 GB: {rss_mb:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
