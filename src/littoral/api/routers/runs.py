"""A case's computations: forcing file, drift, plan, completed searches (GPX) and the update.

Each starts a background run through :class:`littoral.services.RunDesk` and answers 202 at
once with the run; progress comes on the event stream (``run`` events) and from
``GET /api/runs/{id}``.
"""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from littoral.api.deps import MAX_ROW_ID, RowId, ServicesDep, UserDep, note
from littoral.api.schemas import CaseOut, CurrentsIn, DriftIn, PlanIn, RunOut, UnitOut
from littoral.api.services import Services
from littoral.api.views import case_out, run_out, unit_out
from littoral.drift.result import DriftResult
from littoral.errors import InputError, NotFoundError
from littoral.services.cases import CaseDesk
from littoral.services.results import frame_json, heat_png, unpack_result
from littoral.services.runs import RunDesk, track_points
from littoral.store.service import Run, User

router = APIRouter(prefix="/api", tags=["runs"])

CaseId = RowId
RunId = RowId
UnitId = RowId
FrameIndex = Annotated[int, Path(ge=0, le=10_000)]


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

    desk = CaseDesk(services, user)
    desk.editable(case_id)
    target = services.case_dir(case_id) / f"forcing-{services.clock.now():%Y%m%dT%H%M%S}.nc"
    await _save_upload(file, target, services.settings.max_body_bytes)
    label = (file.filename or target.name)[:200]
    case = await to_thread.run_sync(desk.attach_forcing, case_id, target, label)
    note(request, case_id=case_id, forcing=target.name)
    return case_out(case, user)


@router.post("/cases/{case_id}/currents", status_code=202)
def start_currents(
    case_id: CaseId, body: CurrentsIn, request: Request, user: UserDep, services: ServicesDep
) -> RunOut:
    """Model the Caspian's currents from the case's wind; later drifts of the case use them."""
    run = RunDesk(services, user).start_currents(case_id, body.params())
    note(request, case_id=case_id, run_id=run.id)
    return run_out(run)


@router.post("/cases/{case_id}/drift", status_code=202)
def start_drift(
    case_id: CaseId, body: DriftIn, request: Request, user: UserDep, services: ServicesDep
) -> RunOut:
    """Start a drift run from the datum (or a line or cone); progress on the event stream."""
    run = RunDesk(services, user).start_drift(case_id, body.params(), body.release_of())
    note(request, case_id=case_id, run_id=run.id)
    return run_out(run)


@router.post("/cases/{case_id}/plan", status_code=202)
def start_plan(
    case_id: CaseId, body: PlanIn, request: Request, user: UserDep, services: ServicesDep
) -> RunOut:
    """Start a search plan for the committed units, on the latest drift cloud or the datum."""
    run = RunDesk(services, user).start_plan(case_id, body.params())
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

    desk = RunDesk(services, user)
    CaseDesk(services, user).unit_editable(case_id, unit_id)
    stamp = f"{services.clock.now():%Y%m%dT%H%M%S}"
    target = services.case_dir(case_id) / f"unit-{unit_id}-{stamp}.gpx"
    await _save_upload(file, target, min(services.settings.max_body_bytes, 20 * 1024 * 1024))
    try:
        tracks = await to_thread.run_sync(read_gpx, target)
    except InputError:
        target.unlink(missing_ok=True)
        raise
    points: list[list[Any]] = [p for t in tracks for p in track_points(t)]
    if len(points) < 2:
        raise InputError("the GPX file holds fewer than two track points")
    unit, run = desk.record_search(case_id, unit_id, points)
    if run is not None:
        note(request, run_id=run.id)
    note(request, case_id=case_id, unit_id=unit_id, points=len(points))
    return unit_out(unit)


@router.get("/runs/{run_id}")
def get_run(run_id: RunId, user: UserDep, services: ServicesDep) -> RunOut:
    """Return a run and its progress."""
    return run_out(RunDesk(services, user).run(run_id))


def _latest(services: Services, user: User, case_id: int, kind: str) -> Run:
    return RunDesk(services, user).latest(case_id, kind)


def _result(services: Services, run: Run) -> DriftResult:
    data = run.data
    if data is None:
        raise NotFoundError(f"run {run.id} holds no particles")
    return services.results.get(run.id, lambda: unpack_result(data))


@router.get("/cases/{case_id}/drift")
def latest_drift(case_id: CaseId, user: UserDep, services: ServicesDep) -> dict[str, Any]:
    """Return the latest drift cloud's times, centroid track and figures."""
    run = _latest(services, user, case_id, "drift")
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
    frame, _ = _frame(services, _latest(services, user, case_id, "drift"), index)
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
        chosen = _latest(services, user, case_id, "drift")
    else:
        chosen = RunDesk(services, user).run(run)
        if chosen.case_id != case_id or chosen.kind != "drift" or chosen.status != "done":
            raise NotFoundError(f"run {run} is not a finished drift run of case {case_id}")
    _, png = _frame(services, chosen, index)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})


@router.get("/cases/{case_id}/plan")
def latest_plan(case_id: CaseId, user: UserDep, services: ServicesDep) -> dict[str, Any]:
    """Return the latest search plan: areas, patterns, spacing, POD, POC, POS per unit."""
    run = _latest(services, user, case_id, "plan")
    return {"run_id": run.id, **run.summary}
