"""A case's computations: forcing file, drift, plan, completed searches (GPX) and the update.

Each starts a background run and answers 202 at once with the run; progress comes on the
event stream (``run`` events) and from ``GET /api/runs/{id}``.
"""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from littoral.api.cases import CaseDesk, case_out, run_out, unit_out
from littoral.api.deps import MAX_ROW_ID, RowId, ServicesDep, UserDep, note
from littoral.api.runs import (
    drift_work,
    frame_json,
    heat_png,
    plan_work,
    unpack_result,
    update_work,
)
from littoral.api.schemas import CaseOut, DriftIn, PlanIn, RunOut, UnitOut
from littoral.api.services import Services
from littoral.drift.result import DriftResult
from littoral.errors import InputError, NotFoundError
from littoral.store.service import Run

router = APIRouter(prefix="/api", tags=["runs"])

CaseId = RowId
RunId = RowId
UnitId = RowId
FrameIndex = Annotated[int, Path(ge=0, le=10_000)]


def _case_dir(services: Services, case_id: int) -> FsPath:
    folder = services.settings.data_dir / "cases" / str(case_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def _save_upload(upload: UploadFile, target: FsPath, limit: int) -> None:
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise InputError(f"upload is larger than {limit} bytes")
            out.write(chunk)
    if size == 0:
        target.unlink(missing_ok=True)
        raise InputError("upload is empty")


@router.post("/cases/{case_id}/forcing")
async def attach_forcing(
    case_id: CaseId, file: UploadFile, request: Request, user: UserDep, services: ServicesDep
) -> CaseOut:
    """Attach a CF NetCDF forcing file (wind and/or current) to the case."""
    from anyio import to_thread

    from littoral.drift import NetCDFForcing

    desk = CaseDesk(services, user)
    desk.editable(case_id)
    folder = _case_dir(services, case_id)
    target = folder / f"forcing-{services.clock.now():%Y%m%dT%H%M%S}.nc"
    await _save_upload(file, target, services.settings.max_body_bytes)
    try:
        await to_thread.run_sync(NetCDFForcing, target)
    except InputError:
        target.unlink(missing_ok=True)
        raise
    case = services.service.update_case(case_id, forcing_file=str(target))
    desk.log(case_id, "forcing", f"forcing file attached: {file.filename or target.name}"[:2000])
    note(request, case_id=case_id, forcing=target.name)
    return case_out(case, user)


@router.post("/cases/{case_id}/drift", status_code=202)
def start_drift(
    case_id: CaseId, body: DriftIn, request: Request, user: UserDep, services: ServicesDep
) -> RunOut:
    """Start a drift run from the datum; progress on the event stream."""
    desk = CaseDesk(services, user)
    case = desk.editable(case_id)
    work = drift_work(case, body.model_dump(), case.forcing_file)
    run = services.jobs.submit(case_id, "drift", work)
    desk.log(
        case_id,
        "drift",
        f"drift run {run.id}: {body.particles} particles, {body.duration_h:g} h, seed {body.seed}",
    )
    note(request, case_id=case_id, run_id=run.id)
    return run_out(run)


@router.post("/cases/{case_id}/plan", status_code=202)
def start_plan(
    case_id: CaseId, body: PlanIn, request: Request, user: UserDep, services: ServicesDep
) -> RunOut:
    """Start a search plan for the committed units, on the latest drift cloud or the datum."""
    desk = CaseDesk(services, user)
    case = desk.editable(case_id)
    units = services.service.units(case_id)
    drift_run = services.service.latest_run(case_id, "drift")
    work = plan_work(case, units, drift_run, body.model_dump(), services.clock.now())
    run = services.jobs.submit(case_id, "plan", work)
    desk.log(case_id, "plan", f"plan run {run.id} for {', '.join(u.name for u in units)}")
    note(request, case_id=case_id, run_id=run.id)
    return run_out(run)


@router.post("/cases/{case_id}/units/{unit_id}/track", status_code=201)
async def record_search(
    case_id: CaseId,
    unit_id: UnitId,
    file: UploadFile,
    request: Request,
    user: UserDep,
    services: ServicesDep,
) -> UnitOut:
    """Record a completed search: the unit's GPX track; then update the drift cloud (Bayes)."""
    from anyio import to_thread

    from littoral.search import read_gpx

    desk = CaseDesk(services, user)
    case, unit = desk.unit_editable(case_id, unit_id)
    target = (
        _case_dir(services, case_id) / f"unit-{unit_id}-{services.clock.now():%Y%m%dT%H%M%S}.gpx"
    )
    await _save_upload(file, target, min(services.settings.max_body_bytes, 20 * 1024 * 1024))
    try:
        tracks = await to_thread.run_sync(read_gpx, target)
    except InputError:
        target.unlink(missing_ok=True)
        raise
    points: list[list[Any]] = []
    for t in tracks:
        for k in range(len(t.lon)):
            when = (
                str(t.times[k]) + "Z"
                if len(t.times) == len(t.lon) and str(t.times[k]) != "NaT"
                else ""
            )
            points.append([round(float(t.lon[k]), 6), round(float(t.lat[k]), 6), when])
    if len(points) < 2:
        raise InputError("the GPX file holds fewer than two track points")
    services.service.set_unit_track(unit_id, points)
    desk.log(case_id, "search", f"search by {unit.name} recorded: {len(points)} track points")
    drift_run = services.service.latest_run(case_id, "drift")
    if drift_run is not None:
        timed = [p for p in points if p[2]]
        run = services.jobs.submit(
            case_id,
            "drift",
            update_work(
                case,
                unit,
                timed if len(timed) == len(points) else [[p[0], p[1], ""] for p in points],
                drift_run,
            ),
        )
        desk.log(case_id, "update", f"update run {run.id} after the search by {unit.name}")
        note(request, run_id=run.id)
    note(request, case_id=case_id, unit_id=unit_id, points=len(points))
    return unit_out(services.service.unit(unit_id))


@router.get("/runs/{run_id}")
def get_run(run_id: RunId, user: UserDep, services: ServicesDep) -> RunOut:
    """Return a run and its progress."""
    return run_out(services.service.run(run_id))


def _latest(services: Services, case_id: int, kind: str) -> Run:
    services.service.case(case_id)
    run = services.service.latest_run(case_id, kind)
    if run is None:
        raise NotFoundError(f"case {case_id} has no finished {kind} run")
    return run


def _result(services: Services, run: Run) -> DriftResult:
    cache = services.results
    if run.id not in cache:
        if run.data is None:
            raise NotFoundError(f"run {run.id} holds no particles")
        if len(cache) >= 4:
            cache.pop(next(iter(cache)))
        cache[run.id] = unpack_result(run.data)
    return cache[run.id]


@router.get("/cases/{case_id}/drift")
def latest_drift(case_id: CaseId, user: UserDep, services: ServicesDep) -> dict[str, Any]:
    """Return the latest drift cloud's times, centroid track and figures."""
    run = _latest(services, case_id, "drift")
    return {"run_id": run.id, **run.summary}


def _frame(services: Services, run: Run, index: int) -> tuple[dict[str, Any], bytes]:
    """Return one output time of a drift run (JSON and heat map), computed once."""
    key = (run.id, index)
    cache = services.frames
    if key not in cache:
        result = _result(services, run)
        if index >= result.n_times:
            raise NotFoundError(f"drift run {run.id} has {result.n_times} output times; no {index}")
        frame = frame_json(result, index)
        png, bounds = heat_png(result, index)
        frame["run_id"] = run.id
        frame["heat"] = {
            "bounds": bounds,
            "url": f"/api/cases/{run.case_id}/drift/frames/{index}/heat.png?run={run.id}",
        }
        if len(cache) >= 256:
            cache.pop(next(iter(cache)))
        cache[key] = (frame, png)
    return cache[key]


@router.get("/cases/{case_id}/drift/frames/{index}")
def drift_frame(
    case_id: CaseId, index: FrameIndex, user: UserDep, services: ServicesDep
) -> JSONResponse:
    """Return one output time of the latest drift: particles, 50 % and 90 % areas, heat map."""
    frame, _ = _frame(services, _latest(services, case_id, "drift"), index)
    return JSONResponse(frame)


@router.get("/cases/{case_id}/drift/frames/{index}/heat.png", response_class=Response)
def drift_heat(
    case_id: CaseId,
    index: FrameIndex,
    user: UserDep,
    services: ServicesDep,
    run: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
) -> Response:
    """Return the probability heat map of one output time (of ``run``, else the latest)."""
    if run is None:
        chosen = _latest(services, case_id, "drift")
    else:
        chosen = services.service.run(run)
        if chosen.case_id != case_id or chosen.kind != "drift" or chosen.status != "done":
            raise NotFoundError(f"run {run} is not a finished drift run of case {case_id}")
    _, png = _frame(services, chosen, index)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})


@router.get("/cases/{case_id}/plan")
def latest_plan(case_id: CaseId, user: UserDep, services: ServicesDep) -> dict[str, Any]:
    """Return the latest search plan: areas, patterns, spacing, POD, POC, POS per unit."""
    run = _latest(services, case_id, "plan")
    return {"run_id": run.id, **run.summary}
