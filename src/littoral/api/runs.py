"""The work of a case's background runs: drift, search plan, and the update after a search.

Drift is the Leeway ensemble of :mod:`littoral.drift` (Allen and Plourde 1999; Breivik and
Allen 2008) forced by an attached NetCDF file and/or the on-scene wind and current; the plan
is :func:`littoral.search.allocation.plan_search` (IAMSAR Vol. II ch. 4-5; Koopman, Stone) on
the drift cloud at the search time, or on the datum's circular normal when there is no drift;
the update reweights the particles by the inverse-cube POD of the tracks actually run
(:mod:`littoral.search.update`), so the cloud keeps drifting with what the search taught.
Results are stored in the run's ``data`` as compressed numpy arrays.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from littoral.api.formats import format_dtg, format_position
from littoral.api.jobs import Outcome, Progress, Work
from littoral.drift.result import DriftResult, ParticleStatus
from littoral.errors import InputError
from littoral.store.service import Case, Run, Unit


def pack_result(result: DriftResult) -> bytes:
    """Serialise a drift result (float32 positions are ample for display and search)."""
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        times=result.times.astype("datetime64[s]").astype(np.int64),
        lon=result.lon.astype(np.float32),
        lat=result.lat.astype(np.float32),
        status=result.status.astype(np.int8),
        weight=result.weight,
        meta=np.frombuffer(
            json.dumps(
                {"seed": result.seed, "object_class": result.object_class, "attrs": result.attrs}
            ).encode(),
            dtype=np.uint8,
        ),
    )
    return buffer.getvalue()


def unpack_result(data: bytes) -> DriftResult:
    """Read back :func:`pack_result`."""
    with np.load(io.BytesIO(data)) as z:
        meta = json.loads(bytes(z["meta"]).decode())
        return DriftResult(
            times=z["times"].astype("datetime64[s]"),
            lon=z["lon"].astype(np.float64),
            lat=z["lat"].astype(np.float64),
            status=z["status"].astype(np.int8),
            weight=z["weight"].astype(np.float64),
            seed=int(meta["seed"]),
            object_class=str(meta["object_class"]),
            attrs={str(k): str(v) for k, v in meta["attrs"].items()},
        )


def _iso(t: np.datetime64) -> str:
    return str(np.datetime_as_string(t.astype("datetime64[s]"), unit="s")) + "Z"


def _to_datetime(t: np.datetime64) -> datetime:
    seconds = int(t.astype("datetime64[s]").astype(np.int64))
    return datetime.fromtimestamp(seconds, UTC)


def drift_summary(result: DriftResult, note: str = "") -> dict[str, Any]:
    """Return the figures the page and the SITREP show of a drift result."""
    from littoral.drift.summary import centroid

    centres = [centroid(result, k) for k in range(result.n_times)]
    released = (result.status == ParticleStatus.ACTIVE) | (result.status == ParticleStatus.STRANDED)
    stranded = result.status == ParticleStatus.STRANDED
    w = result.weight
    stranded_fraction = [
        float(w[stranded[k]].sum() / max(w[released[k]].sum(), 1e-12))
        for k in range(result.n_times)
    ]
    last = centres[-1]
    text = f"DRIFT {result.object_class}, {result.n_particles} PARTICLES, SEED {result.seed}"
    if last is not None:
        text += (
            f": MOST PROBABLE POSITION {format_position(*last)} AT "
            f"{format_dtg(_to_datetime(result.times[-1]))}"
        )
    if note:
        text += f"; {note}"
    return {
        "times": [_iso(t) for t in result.times],
        "centroids": [None if c is None else [round(c[0], 6), round(c[1], 6)] for c in centres],
        "stranded_fraction": [round(f, 4) for f in stranded_fraction],
        "particles": result.n_particles,
        "seed": result.seed,
        "object_class": result.object_class,
        "cumulative_pos": float(result.attrs.get("cumulative_pos", "0") or 0),
        "text": text,
    }


def drift_work(case: Case, params: dict[str, Any], forcing_path: str | None) -> Work:
    """Return the work of a drift run from the case's datum, object and forcing."""
    env = dict(case.environment)
    if forcing_path is None and "wind_speed_kn" not in env:
        raise InputError(
            f"case {case.id} has no forcing: attach on-scene wind and current or a forcing file"
        )

    def work(progress: Progress) -> Outcome:
        from littoral import drift

        progress(0.02, "reading forcing")
        readers: list[Any] = []
        if forcing_path is not None:
            readers.append(drift.NetCDFForcing(forcing_path))
        if "wind_speed_kn" in env:
            readers.append(
                drift.ConstantForcing.from_observation(
                    wind=(float(env["wind_from_deg"]), float(env["wind_speed_kn"])),
                    current=(float(env["current_to_deg"]), float(env["current_speed_kn"])),
                )
            )
        request = drift.DriftRequest(
            object_class=case.object_class,
            seeding=drift.PointSeed(
                case.datum_lon, case.datum_lat, radius_m=float(params["datum_radius_nm"]) * 1852.0
            ),
            time=case.datum_time,
            duration=timedelta(hours=float(params["duration_h"])),
            forcing=readers,
            step=timedelta(minutes=float(params["step_min"])),
            output_step=timedelta(minutes=float(params["output_min"])),
            particles=int(params["particles"]),
            seed=int(params["seed"]),
            attrs={"case": str(case.id)},
        )
        progress(0.05, "drifting")
        result = drift.run(request, progress=lambda f: progress(0.05 + 0.9 * f, "drifting"))
        progress(0.97, "summarising")
        return Outcome(drift_summary(result), pack_result(result))

    return work


def unit_spec(unit: Unit) -> dict[str, Any]:
    """Return the unit as :func:`littoral.search.facilities.unit_from_mapping` reads it."""
    spec: dict[str, Any] = dict(unit.spec)
    spec.update(
        name=unit.name, state=unit.state, speed_kn=unit.speed_kn, endurance_h=unit.endurance_h
    )
    return spec


def search_units(units: list[Unit]) -> list[Any]:
    """Build the search package's units; a bad one is an :class:`InputError` naming it."""
    from littoral.search.facilities import unit_from_mapping

    return [unit_from_mapping(unit_spec(u), f"unit {u.name!r}") for u in units]


def plan_work(
    case: Case, units: list[Unit], drift_run: Run | None, params: dict[str, Any], now: datetime
) -> Work:
    """Return the work of a search plan for the committed units."""
    if not units:
        raise InputError(f"case {case.id} has no committed unit; commit units first")
    search_units(units)  # refuse bad units at once, not in the background
    env = dict(case.environment)

    def work(progress: Progress) -> Outcome:
        from littoral.search.allocation import plan_search
        from littoral.search.detection import DetectionModel
        from littoral.search.objects import sweep_object_for
        from littoral.search.priors import Datum, from_datum, from_drift

        progress(0.05, "probability map")
        start = params.get("start_time") or now
        basis = "datum"
        if drift_run is not None and drift_run.data is not None:
            result = unpack_result(drift_run.data)
            first, last = _to_datetime(result.times[0]), _to_datetime(result.times[-1])
            start = min(max(start, first), last)
            grid = from_drift(result, start)
            basis = f"drift run {drift_run.id}"
        else:
            grid = from_datum(Datum(case.datum_lon, case.datum_lat, float(params["error_nm"])))
        model = DetectionModel(
            search_object=sweep_object_for(case.object_class).search_object,
            visibility_nm=float(env.get("visibility_nm", 10.0)),
            wind_kn=float(env.get("wind_speed_kn", 0.0)),
            sea_m=float(env.get("sea_height_m", 0.0)),
        )
        progress(0.3, "allocating effort")
        plan = plan_search(grid, search_units(units), model)
        progress(0.9, "writing the plan")
        return Outcome(plan_summary(plan, start, basis))

    return work


def plan_summary(plan: Any, start: datetime, basis: str) -> dict[str, Any]:
    """Return the plan as JSON: per unit its area, pattern, spacing, POD, POC and POS."""
    from littoral.search.export import assignment_figures

    areas = []
    lines = []
    for label, a in zip("ABCDEFGHJKLMNPQRSTUVWXYZ", plan.assignments, strict=False):
        area: dict[str, Any] = {
            "label": label,
            "unit": a.unit.name,
            "state": a.unit.state,
            **assignment_figures(a),
            "sweep_width_nm": round(a.sweep_width.corrected_nm, 3),
            "time_on_scene_h": round(a.time_on_scene_h, 2),
            "note": a.note,
            "polygon": None,
            "pattern": None,
        }
        if a.outline is not None:
            lon, lat = a.outline
            area["polygon"] = [
                [round(float(u), 6), round(float(v), 6)] for u, v in zip(lon, lat, strict=True)
            ]
            corners = ", ".join(
                format_position(float(u), float(v)) for u, v in zip(lon[:4], lat[:4], strict=True)
            )
            lines.append(
                f"AREA {label} FOR {a.unit.name}: {corners}; {a.area_nm2:.0f} NM2, "
                f"S {a.spacing_nm:.1f} NM, POD {a.pod:.0%}, POC {a.poc:.0%}, POS {a.pos:.0%}"
            )
        if a.pattern is not None:
            p = a.pattern
            area["pattern"] = {
                "kind": p.kind.value,
                "waypoints": [
                    [round(float(u), 6), round(float(v), 6)]
                    for u, v in zip(p.lon, p.lat, strict=True)
                ],
                "csp": format_position(*p.commence_search_point),
            }
        areas.append(area)
    lines.append(f"PLAN POS {plan.pos:.0%} ({plan.ratio_to_bound:.0%} OF THE OPTIMUM)")
    return {
        "start": start.isoformat(),
        "basis": basis,
        "pos": round(plan.pos, 4),
        "bound_pos": round(plan.bound.pos, 4),
        "ratio_to_bound": round(plan.ratio_to_bound, 4),
        "areas": areas,
        "text": "\n".join(lines),
    }


def sweep_width_nm(case: Case, unit: Unit) -> float:
    """Corrected sweep width of ``unit`` for the case's object and on-scene weather."""
    from littoral.search.detection import DetectionModel
    from littoral.search.objects import sweep_object_for

    env = dict(case.environment)
    model = DetectionModel(
        search_object=sweep_object_for(case.object_class).search_object,
        visibility_nm=float(env.get("visibility_nm", 10.0)),
        wind_kn=float(env.get("wind_speed_kn", 0.0)),
        sea_m=float(env.get("sea_height_m", 0.0)),
    )
    width: float = search_units([unit])[0].sweep_width(model).corrected_nm
    return width


def update_work(case: Case, unit: Unit, track: list[list[Any]], drift_run: Run) -> Work:
    """Return the work of reweighting the latest drift cloud after ``unit`` searched ``track``."""
    if drift_run.data is None:
        raise InputError(f"drift run {drift_run.id} holds no particles")

    def work(progress: Progress) -> Outcome:
        from littoral.search.sighting import Track
        from littoral.search.update import update_particles

        progress(0.1, "reading the drift cloud")
        result = unpack_result(drift_run.data or b"")
        first, last = result.times[0], result.times[-1]
        times = np.array([np.datetime64(p[2].replace("Z", ""), "s") for p in track])
        if times.min() < first or times.max() > last:
            times = np.zeros(0, dtype="datetime64[s]")  # outside the run: judge at one time
        at_t = times[len(times) // 2] if times.size else last
        at = min(max(_to_datetime(at_t), _to_datetime(first)), _to_datetime(last))
        lon = np.array([float(p[0]) for p in track])
        lat = np.array([float(p[1]) for p in track])
        searched = Track(lon, lat, sweep_width_nm(case, unit), unit.name, times)
        progress(0.4, "Bayesian update")
        updated, pos = update_particles(result, [searched], at)
        note = (
            f"UPDATED AFTER SEARCH BY {unit.name}: POS {pos:.0%}, "
            f"CUMULATIVE POS {float(updated.attrs.get('cumulative_pos', pos)):.0%}"
        )
        summary = drift_summary(updated, note)
        summary["search_pos"] = round(pos, 4)
        summary["updated_from_run"] = drift_run.id
        return Outcome(summary, pack_result(updated))

    return work


def heat_png(result: DriftResult, k: int) -> tuple[bytes, list[float]]:
    """Render the probability at output ``k`` as a PNG; return it and its [W, S, E, N]."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import colormaps
    from matplotlib.image import imsave

    from littoral.drift.summary import density_grid

    grid = density_grid(result, k)
    p = grid.probability
    top = float(p.max())
    scaled = p / top if top > 0 else p
    rgba = colormaps["YlOrRd"](0.25 + 0.75 * np.sqrt(scaled))
    rgba[..., 3] = np.where(scaled > 0, 0.35 + 0.6 * np.sqrt(scaled), 0.0)
    buffer = io.BytesIO()
    imsave(buffer, np.flipud(rgba), format="png")
    bounds = [
        float(grid.lon_edges[0]),
        float(grid.lat_edges[0]),
        float(grid.lon_edges[-1]),
        float(grid.lat_edges[-1]),
    ]
    return buffer.getvalue(), bounds


def frame_json(result: DriftResult, k: int, max_points: int = 800) -> dict[str, Any]:
    """Return one output time of a drift: a sample of particles and the containment areas."""
    from littoral.drift.summary import containment_polygons

    released = (result.status[k] == ParticleStatus.ACTIVE) | (
        result.status[k] == ParticleStatus.STRANDED
    )
    index = np.nonzero(released)[0]
    if index.size > max_points:
        index = index[:: int(np.ceil(index.size / max_points))]
    points = [
        [
            round(float(result.lon[k, i]), 5),
            round(float(result.lat[k, i]), 5),
            int(result.status[k, i]),
            round(float(result.weight[i] * result.n_particles), 3),
        ]
        for i in index
    ]
    return {
        "index": k,
        "time": _iso(result.times[k]),
        "particles": points,
        "containment": {
            "50": containment_polygons(result, k, 0.5),
            "90": containment_polygons(result, k, 0.9),
        },
    }
