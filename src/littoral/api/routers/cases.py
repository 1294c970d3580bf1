"""SAR cases: open, edit, units, log, joint, close, reopen, SITREP, and their lists.

Each route is a call to :class:`littoral.services.CaseDesk`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from littoral.api.deps import RowId, ServicesDep, UserDep, note
from littoral.api.schemas import (
    CaseFromAlertIn,
    CaseIn,
    CaseOut,
    CasePatch,
    CloseIn,
    EnvironmentIn,
    Language,
    LogOut,
    NoteIn,
    ReopenIn,
    RunOut,
    UnitIn,
    UnitLinkIn,
    UnitOut,
)
from littoral.api.views import case_out, log_out, run_out, unit_out
from littoral.services.cases import CaseDesk
from littoral.services.coverage import case_coverage
from littoral.services.opportunity import Opportunity
from littoral.services.sam import SamOptions, SearchActionMessage

router = APIRouter(prefix="/api/cases", tags=["cases"])

CaseId = RowId


@router.get("")
def list_cases(
    user: UserDep,
    services: ServicesDep,
    status: Annotated[Literal["open", "closed"] | None, Query()] = None,
) -> list[CaseOut]:
    """Return every case of every state, newest first."""
    return [case_out(c, user) for c in CaseDesk(services, user).all(status)]


@router.post("", status_code=201)
def open_case(body: CaseIn, request: Request, user: UserDep, services: ServicesDep) -> CaseOut:
    """Open a case of the user's state from a datum given by hand."""
    case = CaseDesk(services, user).open(**body.model_dump())
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
    """Return one case (a copy of another centre's joint case says whose, and is read-only)."""
    desk = CaseDesk(services, user)
    return case_out(desk.get(case_id), user, copy_of=desk.copy_of(case_id))


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
    """Attach on-scene wind (from) and current (toward), visibility, sea state, observations."""
    case = CaseDesk(services, user).set_on_scene(case_id, body.on_scene())
    note(request, case_id=case_id, environment=case.environment)
    return case_out(case, user)


@router.post("/{case_id}/log", status_code=201)
def add_note(
    case_id: CaseId, body: NoteIn, request: Request, user: UserDep, services: ServicesDep
) -> list[LogOut]:
    """Write a free-text entry in the case log."""
    entries = CaseDesk(services, user).note(case_id, body.text)
    note(request, case_id=case_id)
    return log_out(entries)


@router.get("/{case_id}/log")
def case_log(case_id: CaseId, user: UserDep, services: ServicesDep) -> list[LogOut]:
    """Return the case log: every action with its time and user."""
    return log_out(CaseDesk(services, user).entries(case_id))


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
    return [unit_out(u) for u in CaseDesk(services, user).units(case_id)]


@router.put("/{case_id}/units/{unit_id}/mmsi")
def link_unit(
    case_id: CaseId,
    unit_id: RowId,
    body: UnitLinkIn,
    request: Request,
    user: UserDep,
    services: ServicesDep,
) -> UnitOut:
    """Link a unit to its AIS track by its MMSI: its reports then become searched effort."""
    unit = CaseDesk(services, user).link_unit(case_id, unit_id, body.mmsi)
    note(request, case_id=case_id, unit_id=unit_id, mmsi=body.mmsi)
    return unit_out(unit)


@router.get("/{case_id}/coverage")
def coverage(case_id: CaseId, user: UserDep, services: ServicesDep) -> dict[str, Any]:
    """Return the latest plan's coverage per unit against what each has searched so far."""
    CaseDesk(services, user).get(case_id)
    return case_coverage(services, case_id)


@router.post("/{case_id}/close")
def close_case(
    case_id: CaseId, body: CloseIn, request: Request, user: UserDep, services: ServicesDep
) -> CaseOut:
    """Close the case with its outcome."""
    note(request, case_id=case_id, outcome=body.outcome)
    return case_out(CaseDesk(services, user).close(case_id, body.outcome, body.text), user)


@router.post("/{case_id}/reopen")
def reopen_case(
    case_id: CaseId, body: ReopenIn, request: Request, user: UserDep, services: ServicesDep
) -> CaseOut:
    """Reopen a closed case of the user's state; the reason goes into the case log."""
    note(request, case_id=case_id, reason=body.reason)
    return case_out(CaseDesk(services, user).reopen(case_id, body.reason), user)


@router.post("/{case_id}/joint")
def mark_joint(case_id: CaseId, request: Request, user: UserDep, services: ServicesDep) -> CaseOut:
    """Mark the case joint: the federated centres get it, with every update."""
    note(request, case_id=case_id)
    return case_out(CaseDesk(services, user).mark_joint(case_id), user)


@router.get("/{case_id}/runs")
def list_runs(case_id: CaseId, user: UserDep, services: ServicesDep) -> list[RunOut]:
    """Return the case's background runs (drift, plan, update), newest first."""
    return [run_out(r) for r in CaseDesk(services, user).runs(case_id)]


@router.get("/{case_id}/sitrep", response_class=PlainTextResponse)
def sitrep_text(
    case_id: CaseId, user: UserDep, services: ServicesDep, lang: Language = "en"
) -> str:
    """Return the SITREP (IAMSAR layout) as plain text, in English unless ``lang`` says."""
    return CaseDesk(services, user).sitrep(case_id, lang).text()


@router.get("/{case_id}/sitrep.html", response_class=HTMLResponse)
def sitrep_html(
    case_id: CaseId, user: UserDep, services: ServicesDep, lang: Language | None = None
) -> str:
    """Return the SITREP as a printable page, in the user's language unless ``lang`` says."""
    return CaseDesk(services, user).sitrep(case_id, lang or user.language).html()


SamLanguage = Literal["en", "ru"]


def _sam(
    services: ServicesDep,
    user: UserDep,
    case_id: int,
    lang: SamLanguage,
    plan: int | None,
    osc: str | None,
    report_every_h: float,
) -> SearchActionMessage:
    options = SamOptions(osc=osc, report_every_h=report_every_h)
    return CaseDesk(services, user).sam(case_id, lang, plan, options)


@router.get("/{case_id}/sam", response_class=PlainTextResponse)
def sam_text(
    case_id: CaseId,
    user: UserDep,
    services: ServicesDep,
    lang: SamLanguage = "en",
    plan: Annotated[int | None, Query(ge=1)] = None,
    osc: Annotated[str | None, Query(max_length=64)] = None,
    report_every_h: Annotated[float, Query(gt=0, le=24)] = 2.0,
) -> str:
    """Return the search action message of a plan (the latest by default) as plain text."""
    return _sam(services, user, case_id, lang, plan, osc, report_every_h).text()


@router.get("/{case_id}/sam.html", response_class=HTMLResponse)
def sam_html(
    case_id: CaseId,
    user: UserDep,
    services: ServicesDep,
    lang: SamLanguage = "en",
    plan: Annotated[int | None, Query(ge=1)] = None,
    osc: Annotated[str | None, Query(max_length=64)] = None,
    report_every_h: Annotated[float, Query(gt=0, le=24)] = 2.0,
) -> str:
    """Return the search action message of a plan as a printable page."""
    return _sam(services, user, case_id, lang, plan, osc, report_every_h).html()


@router.get("/{case_id}/opportunity")
def opportunity(
    case_id: CaseId,
    user: UserDep,
    services: ServicesDep,
    radius_nm: Annotated[float, Query(gt=0, le=300)] = 30.0,
    max_age_min: Annotated[float, Query(gt=0, le=7 * 24 * 60)] = 60.0,
) -> list[Opportunity]:
    """Return the ships of opportunity within ``radius_nm`` of the datum, soonest there first."""
    return CaseDesk(services, user).opportunity(case_id, radius_nm, max_age_min * 60.0)


@router.post("/{case_id}/opportunity/{mmsi}", status_code=201)
def commit_opportunity(
    case_id: CaseId,
    mmsi: Annotated[int, Path(ge=1, le=999_999_999)],
    request: Request,
    user: UserDep,
    services: ServicesDep,
) -> UnitOut:
    """Commit a ship of the picture as a search unit, with the defaults of her ship type."""
    unit = CaseDesk(services, user).commit_opportunity(case_id, mmsi)
    note(request, case_id=case_id, unit_id=unit.id, mmsi=mmsi)
    return unit_out(unit)
