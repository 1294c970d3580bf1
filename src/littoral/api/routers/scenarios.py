"""A case's weighted search scenarios: list, add, reweight with a reason, remove.

Each route is a call to :class:`littoral.services.scenarios.ScenarioDesk`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from littoral.api.deps import RowId, ServicesDep, UserDep, note
from littoral.api.schemas import (
    ReopenIn,
    ScenarioIn,
    ScenarioOut,
    ScenarioResolveIn,
    ScenarioWeightsIn,
    from_record,
)
from littoral.errors import InputError
from littoral.services.scenarios import ScenarioDesk

router = APIRouter(prefix="/api/cases", tags=["scenarios"])

ScenarioName = Annotated[str, Path(min_length=1, max_length=64)]


def _out(desk: ScenarioDesk, case_id: int) -> list[ScenarioOut]:
    shares = desk.shares(case_id)
    now = desk.shares_now(case_id)
    return [
        from_record(
            ScenarioOut,
            s,
            share=round(shares.get(s.name, 0.0), 6),
            share_now=None if s.name not in now else round(now[s.name], 6),
        )
        for s in desk.scenarios(case_id)
    ]


@router.get("/{case_id}/scenarios")
def list_scenarios(case_id: RowId, user: UserDep, services: ServicesDep) -> list[ScenarioOut]:
    """Return the case's scenarios with their weights and shares."""
    return _out(ScenarioDesk(services, user), case_id)


@router.post("/{case_id}/scenarios", status_code=201)
def add_scenario(
    case_id: RowId, body: ScenarioIn, request: Request, user: UserDep, services: ServicesDep
) -> list[ScenarioOut]:
    """Add a scenario to an open case of the user's state; return all of them."""
    desk = ScenarioDesk(services, user)
    values = body.model_dump(exclude_none=True)
    desk.add_scenario(case_id, values)
    note(request, case_id=case_id, scenario=body.name)
    return _out(desk, case_id)


@router.put("/{case_id}/scenarios/weights")
def reweight(
    case_id: RowId, body: ScenarioWeightsIn, request: Request, user: UserDep, services: ServicesDep
) -> list[ScenarioOut]:
    """Set the weights of named scenarios, with the reason; return all of them."""
    desk = ScenarioDesk(services, user)
    desk.reweight(case_id, body.weights, body.reason)
    note(request, case_id=case_id, weights=body.weights)
    return _out(desk, case_id)


@router.post("/{case_id}/scenarios/{name}/remove")
def remove(
    case_id: RowId,
    name: ScenarioName,
    body: ReopenIn,
    request: Request,
    user: UserDep,
    services: ServicesDep,
) -> list[ScenarioOut]:
    """Remove a scenario entered by mistake, with the reason (to rule one out, weight 0)."""
    desk = ScenarioDesk(services, user)
    desk.remove_scenario(case_id, name, body.reason)
    note(request, case_id=case_id, scenario=name)
    return _out(desk, case_id)


@router.post("/{case_id}/scenarios/{name}/resolve")
def resolve(
    case_id: RowId,
    name: ScenarioName,
    body: ScenarioResolveIn,
    request: Request,
    user: UserDep,
    services: ServicesDep,
) -> list[ScenarioOut]:
    """Keep one scenario (moved to a confirmed lat/lon when given); set the others to 0."""
    if (body.lat is None) != (body.lon is None):
        raise InputError("a confirmed position needs both lat and lon")
    position = None if body.lon is None or body.lat is None else (body.lon, body.lat)
    desk = ScenarioDesk(services, user)
    desk.resolve(case_id, name, position, body.reason, body.radius_nm)
    note(request, case_id=case_id, scenario=name, reason=body.reason)
    return _out(desk, case_id)
