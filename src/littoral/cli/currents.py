r"""``littoral currents``: model the Caspian's wind-driven currents and sea level.

Examples::

    littoral currents run --wind 90/40 --start 2026-01-10T00:00Z --duration 7d \\
        --out currents.nc
    littoral currents run --wind era5_wind.nc --start 2026-01-10T00:00Z --duration 3d \\
        --volga 7900 --out currents.nc
    littoral drift run --object PIW-1 --lat 45.2 --lon 49.6 --time 2026-01-11T00:00Z \\
        --wind 90/40 --current-file currents.nc --out piw.nc
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from littoral.cli.paths import check_output_file
from littoral.cli.progress import ProgressBar
from littoral.errors import InputError

if TYPE_CHECKING:
    from littoral.drift.forcing.base import ForcingReader
    from littoral.ocean import OceanResult

_VECTOR = re.compile(r"^\s*\d+(\.\d*)?\s*/\s*\d+(\.\d*)?\s*$")


def wind_readers(text: str) -> list[ForcingReader]:
    """Readers for ``--wind``: ``FROM_DEG/SPEED_KN``, or a file, folder, glob or URL.

    Files are opened by content (CF NetCDF, GRIB, a CSV of observations), as for
    ``littoral drift run --wind-file``; a folder or glob is one time series.
    """
    from littoral.cli.drift import parse_vector
    from littoral.drift import ConstantForcing
    from littoral.drift.forcing.detect import open_forcing

    if _VECTOR.match(text) and not Path(text).exists():
        return [ConstantForcing.from_observation(wind=parse_vector(text, "--wind"))]
    return [open_forcing(text, "wind")]


def summary(result: OceanResult, out: str) -> str:
    """Return a few lines a duty officer and a modeller both read: step, budget, extremes."""
    import numpy as np

    d = result.diagnostics
    grid = result.grid
    z = result.zos
    k_hi = np.unravel_index(int(np.nanargmax(z)), z.shape)
    k_lo = np.unravel_index(int(np.nanargmin(z)), z.shape)

    def at(k: tuple[np.intp, ...]) -> str:
        return (
            f"{float(z[k]):+.2f} m at {grid.lat[k[1]]:.2f}N {grid.lon[k[2]]:.2f}E "
            f"({str(result.times[k[0]])[:16]}Z)"
        )

    level = grid.rest_level_bs_m
    rate = d.cell_steps / d.wall_s if d.wall_s > 0 else float("nan")
    return "\n".join(
        [
            f"grid: {grid.name}; {d.sea_cells} sea cells",
            f"step: {d.dt_s:.1f} s, Courant number {d.courant:.3f} (stable up to 1), "
            f"{d.n_steps} steps in {d.wall_s:.1f} s ({rate / 1e6:.1f} M cell-steps/s)",
            f"water: {d.volume_m3 / 1e9:,.0f} km3, change {d.volume_change_m3:+.3e} m3, "
            f"river {d.river_inflow_m3:+.3e} m3, relative error {d.relative_volume_error:.1e}",
            f"sea level (above {level:+.2f} m BS): highest {at(k_hi)}, lowest {at(k_lo)}",
            f"dry sea cells: {d.min_dry_cells} to {d.max_dry_cells}; "
            f"fastest depth-mean current {d.max_speed_ms:.2f} m/s",
            f"wind: {result.wind_source}",
            f"wrote {out}",
        ]
    )


def _run(args: argparse.Namespace) -> int:
    from littoral.cli.drift import parse_duration, parse_time
    from littoral.ocean import (
        DragLaw,
        ModelSettings,
        caspian_grid,
        run_model,
        volga,
        wind_from_readers,
    )

    check_output_file(args.out, "--out")
    start = parse_time(args.start)
    duration = parse_duration(args.duration)
    every = parse_duration(args.output_step)
    if duration <= timedelta(0):
        raise InputError(f"--duration {args.duration!r} must be > 0")
    grid = caspian_grid(rest_level_bs_m=args.rest_level, coarsen=args.coarsen)
    wind = wind_from_readers(
        wind_readers(args.wind),
        grid,
        start=start,
        end=start + duration,
        step=min(every, timedelta(hours=1)),
    )
    settings = ModelSettings(
        cfl=args.cfl,
        drag_law=DragLaw.WU_1982 if args.drag_law == "wu82" else DragLaw.LARGE_POND_1981,
        river=volga(args.volga) if args.volga > 0 else None,
        surface_drift_coef=args.surface_drift_coef,
    )

    progress = ProgressBar(enabled=not args.quiet)

    result = run_model(
        grid,
        wind,
        start=start,
        duration=duration,
        output_every=every,
        settings=settings,
        progress=progress,
    )
    progress.close()
    result.to_netcdf(args.out)
    print(summary(result, args.out))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``littoral currents run``."""
    cur = subparsers.add_parser("currents", help="the Caspian's wind-driven currents and surge")
    sub = cur.add_subparsers(dest="currents_command", metavar="ACTION")
    r = sub.add_parser("run", help="run the shallow-water model and write CF NetCDF (uo, vo, zos)")
    r.add_argument(
        "--wind",
        required=True,
        help="FROM_DEG/SPEED_KN (e.g. 90/40), a CF NetCDF or CSV wind file, or a folder of "
        "NetCDF files read as one time series",
    )
    r.add_argument("--start", required=True, help="start time, e.g. 2026-01-10T00:00Z")
    r.add_argument("--duration", default="7d", help="e.g. 7d, 48h")
    r.add_argument("--output-step", default="1h", help="time between outputs")
    r.add_argument("--out", required=True, help="output NetCDF file")
    r.add_argument(
        "--rest-level",
        type=float,
        default=-27.5,
        help="still-water level, m in the Baltic system (the depth grid's -27.5 by default)",
    )
    r.add_argument("--volga", type=float, default=0.0, help="Volga inflow, m3/s (mean 7900)")
    r.add_argument("--drag-law", choices=("lp81", "wu82"), default="lp81")
    r.add_argument("--cfl", type=float, default=0.9, help="gravity-wave Courant number, <= 1")
    r.add_argument("--coarsen", type=int, default=1, help="merge N x N cells (1, 2, 3, 4)")
    r.add_argument(
        "--surface-drift-coef",
        type=float,
        default=0.55,
        help="surface wind drift over the depth mean, in air friction velocities (Wu 1975)",
    )
    r.add_argument("--quiet", action="store_true", help="no progress")
    r.set_defaults(func=_run)

    def _help(_args: argparse.Namespace) -> int:
        cur.print_help(sys.stderr)
        return 2

    cur.set_defaults(func=_help)
