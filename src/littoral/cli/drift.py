r"""``littoral drift``: run a Leeway drift, list the object classes.

Examples::

    littoral drift run --object PIW-1 --lat 40.2 --lon 50.4 --time 2026-01-10T06:00Z \\
        --radius-m 500 --wind 340/25 --current 160/0.6 --out case.nc --geojson case.geojson
    littoral drift objects raft
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from littoral.cli.args import latitude, longitude, position, position_and_radius
from littoral.cli.paths import check_output_file
from littoral.cli.progress import ProgressBar
from littoral.clock import require_utc
from littoral.errors import InputError
from littoral.units import M_PER_NM

if TYPE_CHECKING:
    from littoral.drift import DriftRequest, DriftResult
    from littoral.drift.output import OutputSink
    from littoral.drift.scenarios import Scenario
    from littoral.services import DriftParams, DriftScene

_DURATION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(s|sec|min|m|h|d)\s*$", re.IGNORECASE)
_UNITS_S = {"s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> timedelta:
    """Parse ``"48h"``, ``"10min"``, ``"90s"``, ``"2d"`` into a timedelta."""
    m = _DURATION.match(text)
    if not m:
        raise InputError(f"duration {text!r} is not like 48h, 10min, 90s or 2d")
    return timedelta(seconds=float(m.group(1)) * _UNITS_S[m.group(2).lower()])


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time with a zone (``2026-01-10T06:00Z``)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"time {text!r} is not ISO 8601 (2026-01-10T06:00Z)") from exc
    return require_utc(value, "time")


def parse_vector(text: str, what: str) -> tuple[float, float]:
    """Parse ``DEG/KN`` (e.g. ``340/25``) into (degrees, knots)."""
    parts = text.split("/")
    try:
        deg, kn = float(parts[0]), float(parts[1])
    except (IndexError, ValueError) as exc:
        raise InputError(f"{what} {text!r} is not DEG/KN, e.g. 340/25") from exc
    if len(parts) != 2 or not 0 <= deg <= 360 or kn < 0:
        raise InputError(f"{what} {text!r}: direction 0..360 and speed >= 0 knots")
    return deg, kn


def _forcing_line(attrs: dict[str, str], gaps_filled: str | None = None) -> str:
    gaps = attrs.get("forcing_fill", "none")
    if gaps_filled is not None and not gaps.startswith("none"):
        gaps += f" ({gaps_filled} gap values filled)"
    return (
        f"current: {attrs.get('current_choice', 'on-scene value')}; "
        f"gaps: {gaps}; past the end: {attrs.get('forcing_hold_last', 'no')}"
    )


def drift_params(args: argparse.Namespace) -> DriftParams:
    """Return the drift parameters of the options; an option not given keeps the default.

    The defaults are the web service's and the exercise's (:class:`DriftParams`).
    """
    from littoral.services import DriftParams

    d = DriftParams()
    step = parse_duration(args.step) if args.step else None
    output = parse_duration(args.output_step) if args.output_step else None
    duration = parse_duration(args.duration) if args.duration else None
    return DriftParams(
        duration_h=d.duration_h if duration is None else duration.total_seconds() / 3600.0,
        particles=d.particles if args.particles is None else args.particles,
        step_min=d.step_min if step is None else abs(step.total_seconds()) / 60.0,
        output_min=d.output_min if output is None else output.total_seconds() / 60.0,
        seed=d.seed if args.seed is None else args.seed,
        datum_radius_nm=(d.datum_radius_nm if args.radius_m is None else args.radius_m / M_PER_NM),
        perturb=d.perturb if args.perturb is None else args.perturb,
        backward=args.backward,
        jibe_probability_per_h=d.jibe_probability_per_h if args.jibe is None else args.jibe,
        coast=not args.no_coast,
        coast_action=args.coast,
        device=args.device,
    )


def drift_scene(args: argparse.Namespace) -> DriftScene:
    """Return what drifts, from where and when, and its forcing, as the options say."""
    from littoral.services import DriftScene, OnScene

    wind = parse_vector(args.wind, "--wind") if args.wind else None
    current = parse_vector(args.current, "--current") if args.current else None
    if args.line_to and args.cone_to:
        raise InputError("give --line-to or --cone-to, not both")
    line_to = cone_to = None
    if args.line_to:
        line_to = (args.line_to.lon, args.line_to.lat)
    elif args.cone_to:
        end, r1 = args.cone_to
        cone_to = (end.lon, end.lat, r1)
    return DriftScene(
        object_class=args.object,
        lon=args.lon,
        lat=args.lat,
        time=parse_time(args.time),
        on_scene=None if wind is None and current is None else OnScene(wind=wind, current=current),
        wind_files=tuple(args.wind_file or ()),
        current_files=tuple(args.current_file or ()),
        current_from=args.current_from,
        stokes_files=(args.stokes_file,) if args.stokes_file else (),
        fill=args.fill,
        hold_last=args.hold_last,
        line_to=line_to,
        cone_to=cone_to,
        radius_shape=args.radius_kind,
        release_end=parse_time(args.release_end) if args.release_end else None,
    )


def _run(args: argparse.Namespace) -> int:
    from littoral.drift.summary import centroid
    from littoral.records.particle_status import ParticleStatus
    from littoral.services import drift_request

    if not (args.out or args.geojson or args.density):
        raise InputError("nothing to write: give --out, --geojson and/or --density")
    check_output_file(args.out, "--out")
    check_output_file(args.geojson, "--geojson")
    check_output_file(args.density, "--density")
    params = drift_params(args)
    _check_output_step(args, params)
    request = drift_request(drift_scene(args), params)
    print(f"forcing: {_forcing_line(request.attrs)}", file=sys.stderr)
    progress = ProgressBar(enabled=not args.quiet)
    from littoral.drift.ensemble import connect, ensemble_size, run_ensemble

    if args.scenarios is not None:
        result = _run_scenarios(request, args, progress)
    elif args.dask is None and ensemble_size(request) == 1:
        result = _run_streaming(request, args, progress)
    else:
        client = connect(args.dask) if args.dask else None
        try:
            (result,) = run_ensemble([request], client=client, progress=progress)
        finally:
            if client is not None:
                client.close()
        from littoral.drift.output import DensityWriter, TrajectoryWriter, feed

        sinks: list[OutputSink] = [TrajectoryWriter(args.out)] if args.out else []
        if args.density:
            sinks.append(DensityWriter(args.density, args.density_cell_m))
        feed(result, sinks)
        if args.geojson:
            result.to_geojson(args.geojson)
    wrote = [f for f in (args.out, args.geojson, args.density) if f]
    last = result.status[-1]
    c = centroid(result, result.n_times - 1)
    where = f"{c[1]:.4f}N {c[0]:.4f}E" if c else "none released"
    print(
        f"{result.object_class}: {result.n_particles} particles, "
        f"{int((last == ParticleStatus.STRANDED).sum())} stranded, "
        f"{int((last == ParticleStatus.OUT_OF_FORCING).sum())} out of forcing; "
        f"centroid at {result.times[-1]!s}Z: {where}; wrote {', '.join(wrote)}"
    )
    filled = result.attrs.get("forcing_gap_cells_filled", "0")
    print(f"forcing: {_forcing_line(request.attrs, filled)}")
    return 0


def read_scenarios(path: Path, default_time: datetime) -> list[Scenario]:
    """Read ``[[scenario]]`` tables from a TOML file; a bad one is named with its file."""
    import tomllib

    from littoral.drift.scenarios import scenario_from_mapping

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"--scenarios {str(path)!r}: {exc}") from exc
    tables = data.get("scenario")
    if not isinstance(tables, list) or not tables:
        raise InputError(f"--scenarios {str(path)!r} holds no [[scenario]] table")
    out = []
    for k, table in enumerate(tables, 1):
        try:
            out.append(scenario_from_mapping(table, default_time))
        except InputError as exc:
            raise InputError(f"{path.name}: scenario {k}: {exc}") from exc
    return out


def _run_scenarios(
    request: DriftRequest, args: argparse.Namespace, progress: ProgressBar | None
) -> DriftResult:
    from littoral.drift.mixture import run_mixture, scenario_shares
    from littoral.drift.output import DensityWriter, TrajectoryWriter, feed

    scenarios = read_scenarios(args.scenarios, request.time)
    result = run_mixture(request, scenarios, progress=progress)
    sinks: list[OutputSink] = [TrajectoryWriter(args.out)] if args.out else []
    if args.density:
        sinks.append(DensityWriter(args.density, args.density_cell_m))
    feed(result, sinks)
    if args.geojson:
        result.to_geojson(args.geojson)
    shares = ", ".join(f"{k} {v:.1%}" for k, v in scenario_shares(result).items())
    print(f"scenarios: {shares}")
    return result


def _check_output_step(args: argparse.Namespace, params: DriftParams) -> None:
    """Refuse a duration that is not a whole number of output steps, naming both options."""
    duration = args.duration or f"{params.duration_h:g}h"
    output = args.output_step or f"{params.output_min:g}min"
    if not params.output_min > 0:
        raise InputError(f"--output-step {output!r} must be longer than zero")
    ratio = abs(params.duration_h) * 60.0 / params.output_min
    if abs(ratio - round(ratio)) > 1e-9 or round(ratio) < 1:
        raise InputError(
            f"--duration {duration!r} must be a whole number of --output-step {output!r}: "
            "change one of them (e.g. --output-step 30min)"
        )


def _run_streaming(
    request: DriftRequest, args: argparse.Namespace, progress: ProgressBar | None
) -> DriftResult:
    # One run in this process: the files are written while the kernel computes, and only
    # the output times of the GeoJSON summary stay in memory.
    from littoral.drift import run
    from littoral.drift.output import CentroidTrack, DensityWriter, TrajectoryWriter
    from littoral.drift.summary import summary_time_indices

    sinks: list[OutputSink] = [TrajectoryWriter(args.out)] if args.out else []
    if args.density:
        sinks.append(DensityWriter(args.density, args.density_cell_m))
    track = CentroidTrack()
    if args.geojson:
        sinks.append(track)
    out_s = abs(request.output_step.total_seconds())
    n_out = round(abs(request.duration.total_seconds()) / out_s) + 1
    keep = sorted({0, n_out - 1, *summary_time_indices(n_out, out_s)})
    result = run(request, progress=progress, sinks=sinks, keep=keep)
    if args.geojson:
        indices = [keep.index(k) for k in summary_time_indices(n_out, out_s)]
        result.to_geojson(
            args.geojson, time_indices=indices, centroid_track=(track.times, track.lon, track.lat)
        )
    return result


def _objects(args: argparse.Namespace) -> int:
    from littoral.drift import search_objects

    found = search_objects(args.search or "")
    if not found:
        raise InputError(f"no Leeway object class matches {args.search!r}")
    print(f"{'CLASS':<24} {'DW SLOPE':>8} {'DW OFFSET':>9}  DESCRIPTION")
    print(f"{'':<24} {'%':>8} {'cm/s':>9}")
    for obj in found:
        print(
            f"{obj.key:<24} {obj.downwind_slope_pct:8.2f} {obj.downwind_offset_cm_s:+9.2f}"
            f"  {obj.description}"
        )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``littoral drift run`` and ``littoral drift objects``."""
    drift = subparsers.add_parser("drift", help="Leeway drift of a person, raft or boat")
    sub = drift.add_subparsers(dest="drift_command", metavar="ACTION")
    r = sub.add_parser("run", help="run a drift and write a CF trajectory NetCDF file")
    r.add_argument("--object", required=True, help="Leeway class, e.g. PIW-1")
    r.add_argument(
        "--lat", type=latitude, required=True, help="last known latitude: 40.9 or '40 54.0N'"
    )
    r.add_argument(
        "--lon", type=longitude, required=True, help="last known longitude: 50.6 or '050 36.0E'"
    )
    r.add_argument("--time", required=True, help="time of the position, e.g. 2026-01-10T06:00Z")
    from littoral.services import DriftParams

    d = DriftParams()
    r.add_argument(
        "--radius-m",
        type=float,
        help=f"position uncertainty, metres (default {d.datum_radius_nm:g} NM)",
    )
    r.add_argument("--radius-kind", choices=("normal", "uniform"), default="normal")
    r.add_argument(
        "--line-to",
        type=position,
        help="seed along a line to a position (LAT,LON or '40 54N 50 36E') instead of a point",
    )
    r.add_argument(
        "--cone-to",
        type=position_and_radius,
        help="seed a cone to POSITION,RADIUS_M (40.9,50.6,2000 or '40 54N 50 36E,2000'): "
        "position and radius (from --radius-m) move over the release window (--release-end)",
    )
    r.add_argument("--release-end", help="release evenly from --time to this time")
    r.add_argument(
        "--scenarios",
        type=Path,
        help="TOML file of [[scenario]] tables (weighted positions, tracks or areas, each "
        "with its objects and transitions): drift their mixture; the run starts at the "
        "earliest scenario and ends at --time + --duration",
    )
    r.add_argument("--duration", help=f"length of the run (default {d.duration_h:g}h)")
    r.add_argument("--step", help=f"time step (default {d.step_min:g}min)")
    r.add_argument("--output-step", help=f"output interval (default {d.output_min:g}min)")
    r.add_argument("--backward", action="store_true", help="backtrack (negative time step)")
    r.add_argument("--particles", type=int, help=f"ensemble size (default {d.particles})")
    wind = r.add_mutually_exclusive_group()
    wind.add_argument("--wind", help="wind FROM_DEG/SPEED_KN, e.g. 340/25")
    wind.add_argument(
        "--wind-file",
        action="append",
        help="GRIB, NetCDF, OPeNDAP URL, directory or glob (one time series), or CSV "
        "time,from_deg,speed_kn; repeat for ensemble members",
    )
    cur = r.add_mutually_exclusive_group()
    cur.add_argument("--current", help="current TO_DEG/SPEED_KN, e.g. 160/0.6")
    cur.add_argument(
        "--current-file",
        action="append",
        help="like --wind-file (a model's uo/vo, littoral's `currents run` output included)",
    )
    cur.add_argument(
        "--current-from",
        choices=("wind", "none"),
        help="without a current product: wind (IAMSAR wind-driven current) or none",
    )
    r.add_argument(
        "--fill",
        choices=("nearest", "hold", "zero"),
        help="fill gaps (missing values) in gridded forcing; without it a gap refuses the run",
    )
    r.add_argument(
        "--hold-last", action="store_true", help="hold the last forcing field past its end"
    )
    r.add_argument(
        "--jibe",
        type=float,
        help=f"jibe probability per hour (default {d.jibe_probability_per_h:g})",
    )
    r.add_argument(
        "--perturb",
        action=argparse.BooleanOptionalAction,
        help="correlated forcing perturbation (default on; --no-perturb turns it off)",
    )
    r.add_argument("--no-coast", action="store_true", help="ignore the shore")
    r.add_argument(
        "--coast",
        choices=("stranding", "previous"),
        default="stranding",
        help="at the shore: strand, or go back to the last water position and drift on",
    )
    r.add_argument(
        "--stokes-file",
        help="wave model Stokes drift (ERA5 ust/vst, CMEMS VSDX/VSDY): added to the motion",
    )
    r.add_argument("--seed", type=int, help=f"random seed, recorded (default {d.seed})")
    r.add_argument("--device", choices=("cpu", "gpu"), default="cpu", help="gpu needs CuPy")
    r.add_argument("--dask", help="run the ensemble members on a Dask scheduler, tcp://HOST:PORT")
    r.add_argument("--out", help="trajectory NetCDF file (CF, OpenDrift's layout)")
    r.add_argument("--geojson", help="GeoJSON summary: centroid track, 50/90 %% areas")
    r.add_argument(
        "--density", help="probability grids at every output time (NetCDF), without trajectories"
    )
    r.add_argument("--density-cell-m", type=float, default=1000.0, help="density cell, metres")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_run)
    o = sub.add_parser("objects", help="list or search the Leeway object classes")
    o.add_argument("search", nargs="?", help="text in the class id or description")
    o.set_defaults(func=_objects)

    def _help(_args: argparse.Namespace) -> int:
        drift.print_help(sys.stderr)
        return 2

    drift.set_defaults(func=_help)
