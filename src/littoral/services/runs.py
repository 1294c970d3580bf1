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

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from littoral.errors import InputError, NotFoundError, QuotaError
from littoral.services.cases import CaseDesk
from littoral.services.currents import (
    CURRENTS_KIND,
    CurrentsParams,
    currents_work,
    modelled_currents_file,
)
from littoral.services.desk import Desk
from littoral.services.jobs import Outcome, Owner, Progress, Work
from littoral.services.requests import (
    DriftParams,
    DriftScene,
    ForcingFile,
    OnScene,
    PlanParams,
    Release,
    detection_model,
    drift_request,
)
from littoral.services.results import (
    drift_summary,
    pack_result,
    plan_summary,
    to_datetime,
    unpack_result,
)
from littoral.store.service import Case, Run, Unit

if TYPE_CHECKING:
    from littoral.drift import DriftRequest, DriftResult
    from littoral.drift.scenarios import Scenario
    from littoral.ocean import OceanResult
    from littoral.search import SearchPlan
    from littoral.search.scenarios import ScenarioMap


def drift_work(request: DriftRequest, note: str = "") -> Work:
    """Return the work of a drift run of ``request`` (built by :func:`drift_request`)."""

    def work(progress: Progress) -> Outcome:
        from littoral import drift

        progress(0.05, "drifting")
        result = drift.run(request, progress=lambda f: progress(0.05 + 0.9 * f, "drifting"))
        progress(0.97, "summarising")
        return Outcome(drift_summary(result, note), pack_result(result), value=result)

    return work


def mixture_work(request: DriftRequest, scenarios: list[Scenario], note: str = "") -> Work:
    """Return the work of one drift of several weighted scenarios and objects (a mixture)."""

    def work(progress: Progress) -> Outcome:
        from littoral.drift.mixture import run_mixture, scenario_shares

        progress(0.05, "drifting the scenarios")
        result = run_mixture(
            request, scenarios, progress=lambda f: progress(0.05 + 0.9 * f, "drifting")
        )
        progress(0.97, "summarising")
        summary = drift_summary(result, note)
        summary["scenarios"] = {k: round(v, 6) for k, v in scenario_shares(result).items()}
        return Outcome(summary, pack_result(result), value=result)

    return work


def unit_mapping(unit: Unit) -> dict[str, Any]:
    """Return the unit as :func:`littoral.search.facilities.unit_from_mapping` reads it."""
    spec: dict[str, Any] = {k: v for k, v in unit.spec.items() if k != "mmsi"}
    spec.update(
        name=unit.name, state=unit.state, speed_kn=unit.speed_kn, endurance_h=unit.endurance_h
    )
    return spec


DRIFT_BYTES_PER_PARTICLE_OUTPUT = 51
"""Peak bytes a drift run holds per particle and output time: the float64 positions and the
status (17 B) in the result, the packed float32 copy and its compression, and the unpacked
copy the map page reads (measured: 20,000 particles x 1,441 outputs peaked at 2.1 GB)."""

DRIFT_BYTES_PER_PARTICLE = 512
"""Per-particle state of the kernel (position, leeway draws, perturbation, status)."""


def _described(params: DriftParams, release: Release | None) -> str:
    return params.describe() if release is None else f"{params.describe()}, {release.describe()}"


def drift_memory_mb(request: DriftRequest) -> float:
    """Estimate the peak memory of a drift run, in MiB.

    >>> from datetime import UTC, datetime, timedelta
    >>> from littoral.drift import DriftRequest, PointSeed
    >>> request = DriftRequest(object_class="PIW-1", seeding=PointSeed(50.4, 40.2),
    ...     time=datetime(2026, 1, 10, tzinfo=UTC), duration=timedelta(hours=120),
    ...     forcing=[], particles=20_000, step=timedelta(minutes=1),
    ...     output_step=timedelta(minutes=5))
    >>> round(drift_memory_mb(request))
    1411
    """
    outputs = int(abs(request.duration) / abs(request.output_step)) + 1
    total = request.particles * (
        outputs * DRIFT_BYTES_PER_PARTICLE_OUTPUT + DRIFT_BYTES_PER_PARTICLE
    )
    return total / 2**20


def check_drift_memory(request: DriftRequest, limit_mb: float) -> None:
    """Refuse a drift run estimated to need more than ``limit_mb`` MiB, naming the limit."""
    need = drift_memory_mb(request)
    if need > limit_mb:
        raise QuotaError(
            f"drift of {request.particles} particles with "
            f"{int(abs(request.duration) / abs(request.output_step)) + 1} outputs needs about "
            f"{need:.0f} MiB, over the limit max_run_memory_mb={limit_mb:.0f}; use fewer "
            "particles, a shorter run or a longer output step"
        )


def search_units(units: list[Unit]) -> list[Any]:
    """Build the search package's units; a bad one is an :class:`InputError` naming it."""
    from littoral.search.facilities import unit_from_mapping

    return [unit_from_mapping(unit_mapping(u), f"unit {u.name!r}") for u in units]


def plan_work(
    case: Case,
    units: list[Unit],
    drift_run: Run | None,
    params: PlanParams,
    now: datetime,
    scenarios: list[Scenario] | None = None,
) -> Work:
    """Return the work of a search plan for the committed units.

    Without a drift run, a case's ``scenarios`` (positions only) make the prior: the weighted
    mixture of their circular normals, each of probable error ``max(error_nm, E_s)`` with
    ``E_s`` its radius as a probable error.
    """
    scenario_map = _scenario_map(scenarios or [], params) if drift_run is None else None
    if not units:
        raise InputError(f"case {case.id} has no committed unit; commit units first")
    search_units(units)  # refuse bad units at once, not in the background
    on_scene = OnScene.from_environment(case.environment)

    def work(progress: Progress) -> Outcome:
        from littoral.search.allocation import PlanTiming, plan_search
        from littoral.search.priors import Datum, from_datum, from_drift, run_frame
        from littoral.search.scenarios import share_changes
        from littoral.search.weather import Weather, wind_from_drift

        progress(0.05, "probability map")
        start = params.start_time or now
        basis = "datum"
        reader, record = None, ""
        map_at = None
        result = None
        if drift_run is not None and drift_run.data is not None:
            result = unpack_result(drift_run.data)
            first, last = to_datetime(result.times[0]), to_datetime(result.times[-1])
            start = min(max(start, first), last)
            # the whole run (each unit's area on its own time's cloud), turned to the cloud
            frame = run_frame(result, axis_at=start)
            grid = from_drift(result, start, frame=frame)
            reader, record = wind_from_drift(result)

            def map_at(t: datetime) -> Any:
                return from_drift(result, min(max(t, first), last), frame=frame)

            basis = f"drift run {drift_run.id}"
        elif scenario_map is not None:
            grid = scenario_map.grid()
            basis = "scenarios " + ", ".join(scenario_map.names)
        else:
            grid = from_datum(Datum(case.datum_lon, case.datum_lat, params.error_nm))
        model = detection_model(case.object_class, on_scene, start)
        # each unit's sweep width: the weather at its own daylight search time
        weather = Weather(search_weather(on_scene, start), reader, record)
        progress(0.3, "allocating effort")
        plan = plan_search(
            grid,
            search_units(units),
            model,
            timing=PlanTiming(tasked=start, weather=weather, map_at=map_at),
        )
        progress(0.9, "writing the plan")
        summary = plan_summary(plan, start, basis)
        if result is not None:
            summary.update(plan_scenarios(plan, result, start))
            late = units_after_run(plan, result)
            if late:  # their areas lie on the run's last cloud: drift the case longer
                summary["units_after_drift_end"] = late
        elif scenario_map is not None:
            after = scenario_map.after_search(plan.pod_grid()).shares()
            changes = share_changes(scenario_map.shares(), after)
            summary["scenario_changes"] = [c.to_json() for c in changes]
        return Outcome(summary, value=plan)

    return work


def _scenario_map(scenarios: list[Scenario], params: PlanParams) -> ScenarioMap | None:
    """Return the prior of position scenarios (no drift yet); refuse tracks and areas."""
    from littoral.search.priors import SIGMA_PER_PROBABLE_ERROR, Datum, datum_frame, from_datum
    from littoral.search.scenarios import ScenarioMap

    if not scenarios:
        return None
    others = [s.name for s in scenarios if s.kind != "position"]
    if others:
        raise InputError(
            f"scenarios {others} are tracks or areas: drift the case first, then plan on it"
        )
    datums = [
        Datum(
            float(s.lon or 0.0),
            float(s.lat or 0.0),
            max(params.error_nm, s.radius_nm / SIGMA_PER_PROBABLE_ERROR),
        )
        for s in scenarios
    ]
    frame = datum_frame(datums)
    grids = [from_datum(d, frame=frame) for d in datums]
    return ScenarioMap.of([s.name for s in scenarios], [s.weight for s in scenarios], grids)


def plan_scenarios(plan: SearchPlan, result: DriftResult, at: datetime) -> dict[str, Any]:
    """Return each scenario's share now and after the plan, if it finds nothing (Bayes).

    Empty for a drift of one scenario. The plan's routes are judged on the particles when
    each unit runs them; a leg after the drift run ends on its last cloud, where the plan
    placed that unit's area.
    """
    from littoral.drift.mixture import components_of
    from littoral.search.scenarios import particle_shares_after, share_changes
    from littoral.search.update import plan_pod_on_particles

    if not components_of(result):
        return {}
    pod = plan_pod_on_particles(plan, result, at, timed=True)
    before, after = particle_shares_after(result, pod)
    return {"scenario_changes": [c.to_json() for c in share_changes(before, after)]}


def units_after_run(plan: SearchPlan, result: DriftResult) -> list[str]:
    """Return the units whose planned search goes on after the drift run ends.

    Their areas lie on the run's last cloud, and their legs after its end are judged on it:
    the case should be drifted longer.
    """
    end = result.times[-1].astype("datetime64[s]")
    return [
        a.unit.name
        for a in plan.assignments
        if a.pattern is not None
        and a.window is not None
        and np.max(a.track(a.window.arrive).times) > end
    ]


def search_weather(on_scene: OnScene | None, at: datetime) -> Any:
    """Return the weather a case reports for the planner (wind only when it was reported)."""
    from littoral.search.weather import WeatherGiven

    if on_scene is None:
        return WeatherGiven()
    reported = on_scene.wind is not None or bool(on_scene.observations)
    return WeatherGiven(
        wind_kn=on_scene.wind_kn_at(at) if reported else None,
        sea_m=on_scene.sea_height_m,
        visibility_nm=on_scene.visibility_nm,
    )


def sweep_width_nm(case: Case, unit: Unit, at: datetime | None = None) -> float:
    """Corrected sweep width of ``unit`` for the case's object and on-scene weather at ``at``."""
    model = detection_model(case.object_class, OnScene.from_environment(case.environment), at)
    width: float = search_units([unit])[0].sweep_width(model).corrected_nm
    return width


@dataclasses.dataclass(frozen=True, kw_only=True)
class PlannedDetection:
    """How a plan judged one unit: its POD law, sweep width and track spacing."""

    law: str
    sweep_width_nm: float
    spacing_nm: float

    @classmethod
    def of(cls, plan_run: Run | None, unit_name: str) -> PlannedDetection | None:
        """Return the detection a plan run recorded for ``unit_name``, if it planned the unit."""
        record = (plan_run.summary if plan_run is not None else {}).get("detection")
        units = record.get("units") if isinstance(record, dict) else None
        entry = units.get(unit_name) if isinstance(units, dict) else None
        if not isinstance(entry, dict) or not isinstance(record, dict):
            return None
        return cls(
            law=str(record["law"]),
            sweep_width_nm=float(entry["sweep_width_nm"]),
            spacing_nm=float(entry["spacing_nm"]),
        )


def track_length_nm(track: list[list[Any]]) -> float:
    """Return the great-circle length of a stored track (``[lon, lat, time]`` points), in NM."""
    from littoral.geo.distance import haversine_m
    from littoral.units import M_PER_NM

    if len(track) < 2:
        return 0.0
    lon = np.array([float(p[0]) for p in track])
    lat = np.array([float(p[1]) for p in track])
    return float(np.sum(haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:]))) / M_PER_NM


def update_work(
    case: Case,
    unit: Unit,
    track: list[list[Any]],
    drift_run: Run,
    planned: PlannedDetection | None = None,
) -> Work:
    """Return the work of reweighting the latest drift cloud after ``unit`` searched ``track``.

    With ``planned`` (the unit's detection in the case's plan) the track is judged exactly as
    the plan was costed: its sweep width, spacing and POD law; otherwise by the sweep width
    of the case's conditions under the exponential law.
    """
    if drift_run.data is None:
        raise InputError(f"drift run {drift_run.id} holds no particles")

    def work(progress: Progress) -> Outcome:
        from littoral.drift.mixture import components_of, scenario_shares
        from littoral.search.detection import DetectionLaw
        from littoral.search.scenarios import share_changes
        from littoral.search.sighting import Track
        from littoral.search.update import CUMULATIVE_POS_ATTR, update_particles

        progress(0.1, "reading the drift cloud")
        result = unpack_result(drift_run.data or b"")
        first, last = result.times[0], result.times[-1]
        times = np.array([np.datetime64(p[2].replace("Z", ""), "s") for p in track])
        if times.min() < first or times.max() > last:
            times = np.zeros(0, dtype="datetime64[s]")  # outside the run: judge at one time
        at_t = times[len(times) // 2] if times.size else last
        at = min(max(to_datetime(at_t), to_datetime(first)), to_datetime(last))
        lon = np.array([float(p[0]) for p in track])
        lat = np.array([float(p[1]) for p in track])
        if planned is None:
            width, spacing, law = sweep_width_nm(case, unit, at), None, DetectionLaw.EXPONENTIAL
        else:
            width, spacing = planned.sweep_width_nm, planned.spacing_nm
            law = DetectionLaw(planned.law)
        searched = Track(lon, lat, width, unit.name, times, spacing_nm=spacing)
        progress(0.4, "Bayesian update")
        updated, pos = update_particles(result, [searched], at, law)
        note = (
            f"UPDATED AFTER SEARCH BY {unit.name}: POS {pos:.0%}, "
            f"CUMULATIVE POS {float(updated.attrs.get(CUMULATIVE_POS_ATTR, pos)):.0%}"
        )
        summary = drift_summary(updated, note)
        summary["search_pos"] = round(pos, 6)
        if components_of(result):
            after = scenario_shares(updated)
            changes = share_changes(scenario_shares(result), after)
            summary["scenarios"] = {k: round(v, 6) for k, v in after.items()}
            summary["scenario_changes"] = [c.to_json() for c in changes]
        summary["updated_from_run"] = drift_run.id
        summary["searched"] = {
            "unit_id": unit.id,
            "unit": unit.name,
            "points": len(track),
            "from": track[0][2] or None,
            "to": track[-1][2] or None,
            "track_nm": round(track_length_nm(track), 3),
            "sweep_width_nm": round(width, 4),
            "law": str(law),
        }
        return Outcome(summary, pack_result(updated), value=updated)

    return work


def track_points(track: Any) -> list[list[Any]]:
    """Return a searched track as stored: ``[lon, lat, time or ""]`` per point."""
    points: list[list[Any]] = []
    for k in range(len(track.lon)):
        timed = len(track.times) == len(track.lon) and str(track.times[k]) != "NaT"
        when = str(track.times[k]).split(".")[0] + "Z" if timed else ""
        points.append([round(float(track.lon[k]), 6), round(float(track.lat[k]), 6), when])
    return points


class RunDesk(Desk):
    """The run use cases of one acting user: drift, plan, a recorded search and its update."""

    def _cases(self) -> CaseDesk:
        return CaseDesk(self.ctx, self.user)

    @property
    def _owner(self) -> Owner:
        return Owner(user=self.user.name, state=self.user.state)

    def scene(self, case: Case) -> DriftScene:
        """Return the drift scene of a case, with its latest modelled currents if any.

        The modelled currents come after the case's attached file (which may hold a current
        of its own) and before the on-scene values.
        """
        scene = DriftScene.from_case(case)
        path = modelled_currents_file(self.ctx.service.latest_run(case.id, CURRENTS_KIND))
        if path is None:
            return scene
        files = (*scene.forcing_files, ForcingFile(path=path, kind="current"))
        return dataclasses.replace(scene, forcing_files=files)

    def drift_request(
        self, case_id: int, params: DriftParams, release: Release | None = None
    ) -> DriftRequest:
        """Return the drift request of a case the user may change (built once, here)."""
        case = self._cases().editable(case_id)
        return drift_request(self._released(case, release), params)

    def _released(self, case: Case, release: Release | None) -> DriftScene:
        scene = self.scene(case)
        return scene if release is None else release.apply(scene)

    def _drift(
        self, case_id: int, params: DriftParams, release: Release | None, note: str = ""
    ) -> tuple[DriftRequest, CaseDesk, Work, str]:
        from littoral.services.scenarios import ScenarioDesk

        desk = self._cases()
        case = desk.editable(case_id)
        request = drift_request(self._released(case, release), params)
        check_drift_memory(request, self.ctx.settings.max_run_memory_mb)
        scenarios = ScenarioDesk(self.ctx, self.user).drift_scenarios(case)
        if not scenarios:
            return request, desk, drift_work(request, note), _described(params, release)
        if release is not None:
            raise InputError(
                f"case {case_id} has scenarios, which say where and when the release is; "
                "a release applies to a case without scenarios"
            )
        names = ", ".join(f"{s.name} {s.weight:g}" for s in scenarios)
        described = f"{params.describe()}, scenarios {names}"
        return request, desk, mixture_work(request, scenarios, note), described

    def _currents(self, case_id: int, params: CurrentsParams) -> tuple[Work, CaseDesk]:
        desk = self._cases()
        case = desk.editable(case_id)
        now = self.ctx.clock.now()
        target = self.ctx.case_dir(case_id) / f"currents-{now:%Y%m%dT%H%M%S%f}.nc"
        return currents_work(case, params, target), desk

    def start_currents(self, case_id: int, params: CurrentsParams) -> Run:
        """Model the Caspian's currents from the case's wind, in the background.

        When the run is done the case's drifts use its currents (see :meth:`scene`).
        """
        work, desk = self._currents(case_id, params)
        run = self.ctx.jobs.submit(case_id, CURRENTS_KIND, work, owner=self._owner)
        desk.log(case_id, CURRENTS_KIND, f"modelled currents run {run.id}: {params.describe()}")
        self.audit("runs.currents", case_id=case_id, run_id=run.id)
        return run

    def currents_now(self, case_id: int, params: CurrentsParams) -> tuple[Run, OceanResult]:
        """Model the case's currents on this thread; return the run and the model's result."""
        work, desk = self._currents(case_id, params)
        run, outcome = self.ctx.jobs.run_now(case_id, CURRENTS_KIND, work)
        desk.log(case_id, CURRENTS_KIND, f"modelled currents run {run.id}: {params.describe()}")
        self.audit("runs.currents", case_id=case_id, run_id=run.id)
        result: OceanResult = outcome.value
        return run, result

    def start_drift(self, case_id: int, params: DriftParams, release: Release | None = None) -> Run:
        """Start a drift run of the case in the background; progress on the event bus.

        ``release`` seeds along a line or a cone over a window instead of at the datum.
        """
        _, desk, work, described = self._drift(case_id, params, release)
        run = self.ctx.jobs.submit(case_id, "drift", work, owner=self._owner)
        desk.log(case_id, "drift", f"drift run {run.id}: {described}")
        self.audit("runs.drift", case_id=case_id, run_id=run.id)
        return run

    def drift_now(
        self,
        case_id: int,
        params: DriftParams,
        note: str = "",
        release: Release | None = None,
    ) -> tuple[Run, DriftResult]:
        """Run a drift of the case on this thread; return the run and its result."""
        _, desk, work, described = self._drift(case_id, params, release, note)
        run, outcome = self.ctx.jobs.run_now(case_id, "drift", work)
        desk.log(case_id, "drift", f"drift run {run.id}: {described}")
        self.audit("runs.drift", case_id=case_id, run_id=run.id)
        result: DriftResult = outcome.value
        return run, result

    def _plan(self, case_id: int, params: PlanParams) -> tuple[Work, CaseDesk, str]:
        desk = self._cases()
        case = desk.editable(case_id)
        units = self.ctx.service.units(case_id)
        drift_run = self.ctx.service.latest_run(case_id, "drift")
        scenarios = None
        if drift_run is None:
            from littoral.services.scenarios import ScenarioDesk

            scenarios = ScenarioDesk(self.ctx, self.user).drift_scenarios(case)
        work = plan_work(case, units, drift_run, params, self.ctx.clock.now(), scenarios)
        return work, desk, ", ".join(u.name for u in units)

    def start_plan(self, case_id: int, params: PlanParams) -> Run:
        """Start a search plan for the committed units on the latest drift (else the datum)."""
        work, desk, names = self._plan(case_id, params)
        run = self.ctx.jobs.submit(case_id, "plan", work, owner=self._owner)
        desk.log(case_id, "plan", f"plan run {run.id} for {names}")
        self.audit("runs.plan", case_id=case_id, run_id=run.id)
        return run

    def plan_now(self, case_id: int, params: PlanParams) -> tuple[Run, SearchPlan]:
        """Plan a search on this thread; return the run and the plan."""
        work, desk, names = self._plan(case_id, params)
        run, outcome = self.ctx.jobs.run_now(case_id, "plan", work)
        desk.log(case_id, "plan", f"plan run {run.id} for {names}")
        self.audit("runs.plan", case_id=case_id, run_id=run.id)
        plan: SearchPlan = outcome.value
        return run, plan

    def record_search(
        self,
        case_id: int,
        unit_id: int,
        points: list[list[Any]],
        *,
        now: bool = False,
        after: list[Any] | None = None,
    ) -> tuple[Unit, Run | None]:
        """Record the track a unit searched, then update the latest drift cloud (Bayes).

        ``points`` are ``[lon, lat, time]`` (ISO 8601 UTC, or ``""`` when unknown); with
        ``now`` the update runs on this thread. ``after`` is the point already recorded that
        ``points`` continue (a live track recorded piece by piece): the leg from it is
        searched too, and it is not recorded twice. Returns the unit and the update run, if
        any.
        """
        desk = self._cases()
        case, unit = desk.unit_editable(case_id, unit_id)
        if len(points) < (1 if after is not None else 2):
            raise InputError(f"a searched track needs two or more points, not {len(points)}")
        track = list(unit.track or []) + points
        self.ctx.service.set_unit_track(unit_id, track)
        desk.log(case_id, "search", f"search by {unit.name} recorded: {len(points)} track points")
        self.audit("runs.search", case_id=case_id, unit_id=unit_id, points=len(points))
        drift_run = self.ctx.service.latest_run(case_id, "drift")
        if drift_run is None:
            return self.ctx.service.unit(unit_id), None
        run_points = points if after is None else [after, *points]
        timed = [p for p in run_points if p[2]]
        judged = timed if len(timed) == len(run_points) else [[p[0], p[1], ""] for p in run_points]
        planned = PlannedDetection.of(self.ctx.service.latest_run(case_id, "plan"), unit.name)
        work = update_work(case, unit, judged, drift_run, planned)
        if now:
            run, _ = self.ctx.jobs.run_now(case_id, "drift", work)
        else:
            run = self.ctx.jobs.submit(case_id, "drift", work, owner=self._owner)
        desk.log(case_id, "update", f"update run {run.id} after the search by {unit.name}")
        return self.ctx.service.unit(unit_id), run

    def run(self, run_id: int) -> Run:
        """Return a run and its progress."""
        return self.ctx.service.run(run_id)

    def latest(self, case_id: int, kind: str) -> Run:
        """Return the latest finished run of ``kind`` of a case."""
        self.ctx.service.case(case_id)
        run = self.ctx.service.latest_run(case_id, kind)
        if run is None:
            raise NotFoundError(f"case {case_id} has no finished {kind} run")
        return run
