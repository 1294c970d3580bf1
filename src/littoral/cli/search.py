"""The ``littoral search`` commands: ``plan`` a search and ``update`` after one.

``littoral search plan`` reads a drift result (or a datum with its probable error) and a
units file, and writes the plan: GeoJSON, KML, a GPX route per unit, a readable summary and
a PNG map. ``littoral search update`` applies Bayes' rule to a drift result's particle
weights after the tracks in GPX files were searched without success.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from littoral.cli.paths import check_output_file, check_output_folder
from littoral.clock import require_utc
from littoral.errors import InputError, NotFoundError
from littoral.geo.coords import parse_coordinate

if TYPE_CHECKING:
    from collections.abc import Callable

    from littoral.drift import DriftResult
    from littoral.search.allocation import SearchPlan
    from littoral.search.frame import GridFrame
    from littoral.search.grid import ProbabilityGrid


def _time(text: str, option: str = "--at") -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{option}={text!r} is not an ISO 8601 time (e.g. 2026-03-01T12:00Z)"
        ) from None
    return require_utc(value, option)


def _search_object(text: str | None, drift_class: str | None) -> tuple[str, str]:
    """Table object and a note on where it came from."""
    from littoral.search.objects import sweep_object_for
    from littoral.search.sweep_tables import search_objects

    wanted = text if text is not None else drift_class
    if not wanted:
        raise InputError("give --object (a Leeway class such as PIW-1, or a table object)")
    names = {n.lower(): n for n in search_objects()}
    if wanted.lower() in names:
        return names[wanted.lower()], "table object"
    try:
        choice = sweep_object_for(wanted)
    except NotFoundError as exc:
        raise InputError(f"--object={wanted!r}: {exc}") from None
    return choice.search_object, f"Leeway class {wanted}: {choice.rule}"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "unit"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``littoral search plan`` and ``littoral search update``."""
    parser = subparsers.add_parser(
        "search",
        help="search planning: plan areas and patterns for units, update after a search",
        description="Search planning by IAMSAR and optimal search theory.",
    )
    sub = parser.add_subparsers(dest="search_command", metavar="ACTION")
    plan = sub.add_parser(
        "plan",
        help="plan a search for the units of a units file",
        description=(
            "Plan one area, pattern and track spacing per unit to maximise the probability of "
            "success; writes plan.geojson, plan.kml, one GPX route per unit, summary.txt and "
            "map.png to --out."
        ),
    )
    src = plan.add_mutually_exclusive_group(required=True)
    src.add_argument("--drift", type=Path, help="drift result (CF trajectory NetCDF)")
    src.add_argument(
        "--datum",
        nargs=2,
        metavar=("LAT", "LON"),
        help="datum: 41.5 51.0 or '41 30N' '051 00E'",
    )
    plan.add_argument("--error-nm", type=float, help="total probable error E of the datum, NM")
    plan.add_argument("--at", help="time of the probability map, ISO 8601 UTC; with --drift")
    plan.add_argument(
        "--depart",
        help="when the units may leave their bases, ISO 8601 UTC (default: --at); daylight "
        "and the weather on scene follow from it",
    )
    plan.add_argument("--units", type=Path, required=True, help="units file (TOML)")
    _conditions(plan)
    plan.add_argument(
        "--law",
        choices=["exponential", "inverse-cube"],
        default="exponential",
        help="POD law for the figures (default exponential)",
    )
    plan.add_argument("--cell-nm", type=float, help="grid cell size, NM (default: automatic)")
    plan.add_argument("--out", type=Path, required=True, help="output folder")
    plan.set_defaults(func=run_plan)

    upd = sub.add_parser(
        "update",
        help="update a drift result after an unsuccessful search",
        description=(
            "Lower the weights of the particles the searched tracks were likely to see "
            "(Bayes' rule), so the cloud drifts on with what the search taught."
        ),
    )
    upd.add_argument("--drift", type=Path, required=True, help="drift result (NetCDF)")
    upd.add_argument(
        "--searched", type=Path, action="append", required=True,
        help="GPX file of tracks or routes searched (repeatable)",
    )  # fmt: skip
    upd.add_argument(
        "--at", required=True, help="time of the search, for tracks without times (UTC)"
    )
    upd.add_argument(
        "--plan", type=Path,
        help="plan.geojson of the plan searched: its POD law, sweep widths and track spacings",
    )  # fmt: skip
    upd.add_argument("--units", type=Path, help="units file: GPX names match unit names")
    upd.add_argument(
        "--law", choices=["exponential", "inverse-cube"],
        help="POD law without --plan (default exponential, as search plan)",
    )  # fmt: skip
    upd.add_argument("--sweep-width-nm", type=float, help="one sweep width for every track")
    _conditions(upd, required=False)
    upd.add_argument("--out", type=Path, required=True, help="updated drift result (NetCDF)")
    upd.set_defaults(func=run_update)


def _conditions(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument("--object", help="Leeway class (PIW-1, ...) or sweep width table object")
    p.add_argument("--visibility-nm", type=float, help="meteorological visibility, NM")
    p.add_argument(
        "--wind-kn", type=float,
        help="wind speed on scene, kn (default: the drift's wind at each unit's search time)",
    )  # fmt: skip
    p.add_argument("--sea-m", type=float, help="significant wave height on scene, m")


def run_plan(args: argparse.Namespace) -> int:
    """Handle ``littoral search plan``."""
    check_output_folder(args.out, "--out")

    from littoral.drift.netcdf import read_netcdf
    from littoral.search.allocation import PlanTiming, plan_search
    from littoral.search.detection import DetectionLaw, DetectionModel
    from littoral.search.export import assignment_gpx, plan_geojson, plan_kml
    from littoral.search.facilities import load_units
    from littoral.search.printable import plan_page
    from littoral.search.priors import Datum, from_datum, from_drift, run_frame
    from littoral.search.report import plan_summary, plot_plan
    from littoral.search.update import plan_pos_on_particles
    from littoral.search.weather import Weather, WeatherGiven, wind_from_drift

    units = load_units(args.units)
    if args.cell_nm is not None and not args.cell_nm > 0:
        raise InputError(f"--cell-nm={args.cell_nm!r} must be > 0")
    given = WeatherGiven(wind_kn=args.wind_kn, sea_m=args.sea_m, visibility_nm=args.visibility_nm)
    drift_class = None
    weather = Weather(given)
    if args.drift is not None:
        if args.at is None:
            raise InputError("--at is needed with --drift (the time of the probability map)")
        result = read_netcdf(args.drift)
        drift_class = result.object_class
        # the frame holds the whole run: each unit's area goes on the cloud of its own time
        # turned to the cloud's principal axis at the map's time: rectangles along the cloud
        frame = run_frame(result, cell_nm=args.cell_nm, axis_at=_time(args.at))
        grid = from_drift(result, _time(args.at), frame=frame)
        reader, record = wind_from_drift(result, [args.drift.parent, Path.cwd()])
        weather = Weather(given, reader, record)
        title = f"Search plan for {args.drift.name} at {args.at}"
    else:
        if args.error_nm is None:
            raise InputError("--error-nm is needed with --datum")
        lat, lon = parse_coordinate(args.datum[0], "lat"), parse_coordinate(args.datum[1], "lon")
        grid = from_datum(Datum(lon, lat, args.error_nm))
        title = f"Search plan about {lat:.4f}N {lon:.4f}E, E = {args.error_nm:g} NM"
    depart_text = args.depart or args.at
    if depart_text is None:
        raise InputError(
            "give --depart (when the units may leave base): daylight and the weather on scene "
            "depend on it"
        )
    obj, source = _search_object(args.object, drift_class)
    model = DetectionModel(obj, 10.0, law=DetectionLaw(args.law))  # conditions: per unit
    map_at = None
    if args.drift is not None:
        map_at = _maps(result, grid.frame)
    timing = PlanTiming(tasked=_time(depart_text, "--depart"), weather=weather, map_at=map_at)
    plan = plan_search(grid, units, model, timing=timing)
    timed = False
    if args.drift is not None:
        # the GPX routes carry times when the run covers them; the routes are judged leg by
        # leg on the cloud when each unit runs it (after the run's end, on its last cloud)
        timed = _within_run(plan, result)
        plan.extra["pos_particles"] = plan_pos_on_particles(
            plan, result, _time(args.at), timed=True
        )
    scenarios = "" if args.drift is None else _plan_scenarios(plan, result, args.at)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.geojson").write_text(json.dumps(plan_geojson(plan), indent=1), encoding="utf-8")
    (out / "plan.kml").write_text(plan_kml(plan), encoding="utf-8")
    for a in plan.assignments:
        if a.pattern is not None:
            (out / f"{_safe(a.unit.name)}.gpx").write_text(
                assignment_gpx(a, timed=timed), encoding="utf-8"
            )
    warning = ""
    if args.drift is not None and not timed:
        last = str(result.times[-1].astype("datetime64[m]"))
        warning = (
            f"Warning: the drift run ends {last} UTC, before some units finish searching: "
            "their areas lie on the run's last cloud, and their legs after its end are judged "
            "on it; run the drift longer\n"
        )
    summary = warning + plan_summary(plan, title=title).replace(
        f"Search object: {obj};", f"Search object: {obj} ({source});", 1
    )
    summary += scenarios
    (out / "summary.txt").write_text(summary, encoding="utf-8")
    plot_plan(plan, out / "map.png", title=title)
    (out / "report.html").write_text(
        plan_page(
            plan,
            title=title,
            summary_text=summary,
            map_name="map.png",
            warning=warning.strip().removeprefix("Warning: "),
        ),
        encoding="utf-8",
    )
    print(summary, end="")
    print(
        f"written to {out}/: plan.geojson, plan.kml, summary.txt, map.png, report.html "
        "(printable), one GPX per unit"
    )
    return 0


def scenario_lines(title: str, before: dict[str, float], after: dict[str, float]) -> str:
    """Return each scenario's share before and after, one line each, under ``title``."""
    rows = [
        f"  {name}: {share:.1%} -> {after.get(name, 0.0):.1%}" for name, share in before.items()
    ]
    return f"{title}:\n" + "\n".join(rows) + "\n"


def _plan_scenarios(plan: SearchPlan, result: DriftResult, at_text: str) -> str:
    """Return the scenarios' shares now and if the plan finds nothing ('' for one scenario)."""
    from littoral.drift.mixture import components_of
    from littoral.search.scenarios import particle_shares_after
    from littoral.search.update import plan_pod_on_particles

    if not components_of(result):
        return ""
    pod = plan_pod_on_particles(plan, result, _time(at_text), timed=True)
    before, after = particle_shares_after(result, pod)
    return scenario_lines("Scenarios (share now -> if this plan finds nothing)", before, after)


def _maps(result: DriftResult, frame: GridFrame) -> Callable[[datetime], ProbabilityGrid]:
    """Return the drift's probability map at a time (clamped to the run), on ``frame``."""
    from datetime import UTC

    from littoral.search.priors import from_drift

    first = datetime.fromtimestamp(int(result.times[0].astype("datetime64[s]").astype(int)), UTC)
    last = datetime.fromtimestamp(int(result.times[-1].astype("datetime64[s]").astype(int)), UTC)

    def at(t: datetime) -> ProbabilityGrid:
        return from_drift(result, min(max(t.replace(microsecond=0), first), last), frame=frame)

    return at


def _within_run(plan: SearchPlan, result: DriftResult) -> bool:
    """Whether every unit's planned search lies within the drift run."""
    t0 = result.times[0].astype("datetime64[s]")
    t1 = result.times[-1].astype("datetime64[s]")
    for a in plan.assignments:
        if a.pattern is None:
            continue
        if a.window is None:
            return False
        times = a.track(a.window.arrive).times
        if times.min() < t0 or times.max() > t1:
            return False
    return True


def _cloud_centre(result: DriftResult, at: datetime) -> tuple[float, float]:
    """Weighted mean position of the particles at ``at`` (the weather is read there)."""
    import numpy as np

    from littoral.search.priors import positions_at

    lon, lat, _ = positions_at(result, at)
    ok = np.isfinite(lon) & np.isfinite(lat)
    w = np.asarray(result.weight, dtype=np.float64)[ok]
    return float(np.average(lon[ok], weights=w)), float(np.average(lat[ok], weights=w))


def run_update(args: argparse.Namespace) -> int:
    """Handle ``littoral search update``."""
    check_output_file(args.out, "--out")
    from littoral.drift.mixture import components_of, scenario_shares
    from littoral.drift.netcdf import read_netcdf, write_netcdf
    from littoral.search.detection import DetectionLaw, DetectionModel
    from littoral.search.export import read_gpx, read_plan_detection
    from littoral.search.facilities import load_units
    from littoral.search.sighting import Track
    from littoral.search.update import CUMULATIVE_POS_ATTR, ROUNDS_ATTR, update_particles
    from littoral.search.weather import Weather, WeatherGiven, wind_from_drift

    result = read_netcdf(args.drift)
    at = _time(args.at)
    widths: dict[str, float] = {}
    spacings: dict[str, float] = {}
    law = DetectionLaw(args.law or "exponential")
    source = "units"
    if args.plan is not None:
        if args.law is not None or args.sweep_width_nm is not None or args.units is not None:
            raise InputError("--plan gives the law and sweep widths: drop --law, --units, "
                             "--sweep-width-nm")  # fmt: skip
        recorded = read_plan_detection(args.plan)
        law, widths, spacings = recorded.law, recorded.sweep_width_nm, recorded.spacing_nm
        source = f"plan {args.plan.name}"
    elif args.sweep_width_nm is not None:
        if not args.sweep_width_nm > 0:
            raise InputError(f"--sweep-width-nm={args.sweep_width_nm!r} must be > 0")
    elif args.units is not None:
        obj, _ = _search_object(args.object, result.object_class)
        reader, record = wind_from_drift(result, [args.drift.parent, Path.cwd()])
        given = WeatherGiven(
            wind_kn=args.wind_kn, sea_m=args.sea_m, visibility_nm=args.visibility_nm
        )
        lon_c, lat_c = _cloud_centre(result, at)
        c = Weather(given, reader, record).at(at, lon_c, lat_c)
        model = DetectionModel(obj, c.visibility_nm, wind_kn=c.wind_kn, sea_m=c.sea_m, law=law)
        widths = {u.name: u.sweep_width(model).corrected_nm for u in load_units(args.units)}
    else:
        raise InputError("give --plan, --sweep-width-nm, or --units with --visibility-nm")
    tracks: list[Track] = []
    for path in args.searched:
        for g in read_gpx(path):
            if args.sweep_width_nm is not None:
                w = float(args.sweep_width_nm)
            elif g.name in widths:
                w = widths[g.name]
            else:
                raise InputError(
                    f"{path.name}: track {g.name!r} matches no unit of the {source} "
                    f"({', '.join(widths)}); name the track after its unit"
                )
            tracks.append(Track(g.lon, g.lat, w, g.name, g.times, spacing_nm=spacings.get(g.name)))
    updated, pos = update_particles(result, tracks, at, law)
    write_netcdf(updated, args.out)
    if components_of(result):
        print(
            scenario_lines(
                "Scenarios (share before -> after this search)",
                scenario_shares(result),
                scenario_shares(updated),
            ),
            end="",
        )
    print(
        f"{len(tracks)} track(s) searched without success ({law} law): "
        f"POS of this search {pos:.1%}; "
        f"cumulative POS {float(updated.attrs[CUMULATIVE_POS_ATTR]):.1%} over "
        f"{updated.attrs[ROUNDS_ATTR]} round(s); written to {args.out}"
    )
    return 0
