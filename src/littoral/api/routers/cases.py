"""SAR cases: list, open (by hand or from a distress alert), edit, units, log, close, SITREP."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from littoral.api.cases import CaseDesk, case_out, log_out, run_out, unit_out
from littoral.api.deps import RowId, ServicesDep, UserDep, note
from littoral.api.formats import format_dtg
from littoral.api.schemas import (
    CaseFromAlertIn,
    CaseIn,
    CaseOut,
    CasePatch,
    CloseIn,
    EnvironmentIn,
    LogOut,
    NoteIn,
    RunOut,
    UnitIn,
    UnitOut,
)
from littoral.api.services import Services
from littoral.api.sitrep import Sitrep, build_sitrep

router = APIRouter(prefix="/api/cases", tags=["cases"])

CaseId = RowId


@router.get("")
def list_cases(
    user: UserDep,
    services: ServicesDep,
    status: Annotated[Literal["open", "closed"] | None, Query()] = None,
) -> list[CaseOut]:
    """Return every case of every state, newest first."""
    return [case_out(c, user) for c in services.service.list_cases(status=status)]


@router.post("", status_code=201)
def open_case(body: CaseIn, request: Request, user: UserDep, services: ServicesDep) -> CaseOut:
    """Open a case of the user's state from a datum given by hand."""
    case = CaseDesk(services, user).create(**body.model_dump())
    note(request, case_id=case.id)
    return case_out(case, user)


@router.post("/from-alert", status_code=201)
def open_from_alert(
    body: CaseFromAlertIn, request: Request, user: UserDep, services: ServicesDep
) -> CaseOut:
    """Open a case from a distress alert in one action: datum, time, vessel; ack the alert."""
    case = CaseDesk(services, user).from_alert(
        body.alert_id, body.object_class, body.persons, body.title
    )
    note(request, case_id=case.id, alert_id=body.alert_id)
    return case_out(case, user)


@router.get("/{case_id}")
def get_case(case_id: CaseId, user: UserDep, services: ServicesDep) -> CaseOut:
    """Return one case."""
    return case_out(services.service.case(case_id), user)


@router.patch("/{case_id}")
def change_case(
    case_id: CaseId, body: CasePatch, request: Request, user: UserDep, services: ServicesDep
) -> CaseOut:
    """Change an open case of the user's state."""
    values = body.model_dump(exclude_none=True)
    note(request, case_id=case_id, changed=sorted(values))
    return case_out(CaseDesk(services, user).update(case_id, values), user)


@router.put("/{case_id}/environment")
def set_environment(
    case_id: CaseId, body: EnvironmentIn, request: Request, user: UserDep, services: ServicesDep
) -> CaseOut:
    """Attach on-scene wind (from) and current (toward), visibility and sea state."""
    desk = CaseDesk(services, user)
    desk.editable(case_id)
    env = body.model_dump()
    case = services.service.update_case(case_id, environment=env)
    desk.log(
        case_id,
        "environment",
        f"on scene: wind {body.wind_from_deg:03.0f}/{body.wind_speed_kn:g} kn, current "
        f"{body.current_to_deg:03.0f}/{body.current_speed_kn:g} kn, "
        f"visibility {body.visibility_nm:g} NM",
    )
    note(request, case_id=case_id, environment=env)
    return case_out(case, user)


@router.post("/{case_id}/log", status_code=201)
def add_note(
    case_id: CaseId, body: NoteIn, request: Request, user: UserDep, services: ServicesDep
) -> list[LogOut]:
    """Write a free-text entry in the case log."""
    CaseDesk(services, user).editable(case_id)
    CaseDesk(services, user).log(case_id, "note", body.text)
    note(request, case_id=case_id)
    return log_out(services, case_id)


@router.get("/{case_id}/log")
def case_log(case_id: CaseId, user: UserDep, services: ServicesDep) -> list[LogOut]:
    """Return the case log: every action with its time and user."""
    services.service.case(case_id)
    return log_out(services, case_id)


@router.post("/{case_id}/units", status_code=201)
def commit_unit(
    case_id: CaseId, body: UnitIn, request: Request, user: UserDep, services: ServicesDep
) -> UnitOut:
    """Commit a search unit of the user's state to the case."""
    unit = CaseDesk(services, user).add_unit(case_id, body.model_dump())
    note(request, case_id=case_id, unit_id=unit.id)
    return unit_out(unit)


@router.get("/{case_id}/units")
def list_units(case_id: CaseId, user: UserDep, services: ServicesDep) -> list[UnitOut]:
    """Return the units committed to the case."""
    services.service.case(case_id)
    return [unit_out(u) for u in services.service.units(case_id)]


@router.post("/{case_id}/close")
def close_case(
    case_id: CaseId, body: CloseIn, request: Request, user: UserDep, services: ServicesDep
) -> CaseOut:
    """Close the case with its outcome."""
    note(request, case_id=case_id, outcome=body.outcome)
    return case_out(CaseDesk(services, user).close(case_id, body.outcome, body.text), user)


@router.get("/{case_id}/runs")
def list_runs(case_id: CaseId, user: UserDep, services: ServicesDep) -> list[RunOut]:
    """Return the case's background runs (drift, plan, update), newest first."""
    services.service.case(case_id)
    return [run_out(r) for r in services.service.runs(case_id)]


def _sitrep(services: Services, case_id: int) -> Sitrep:
    case = services.service.case(case_id)
    return build_sitrep(
        case,
        services.service.units(case_id),
        services.service.case_log(case_id),
        services.service.latest_run(case_id, "drift"),
        services.service.latest_run(case_id, "plan"),
        format_dtg(services.clock.now()),
    )


@router.get("/{case_id}/sitrep", response_class=PlainTextResponse)
def sitrep_text(case_id: CaseId, user: UserDep, services: ServicesDep) -> str:
    """Return the SITREP (IAMSAR layout) as plain text."""
    return _sitrep(services, case_id).text()


@router.get("/{case_id}/sitrep.html", response_class=HTMLResponse)
def sitrep_html(case_id: CaseId, user: UserDep, services: ServicesDep) -> str:
    """Return the SITREP as a printable page."""
    return _sitrep(services, case_id).html()
