"""Alert intake: a SIT 185 message or DSC sentences, as text, open a case or raise an alert.

Each route is a call to :class:`littoral.services.intake.IntakeDesk`.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request

from littoral.api.deps import CoordinatorDep, ServicesDep, note
from littoral.errors import InputError
from littoral.services.intake import MAX_TEXT_CHARS, IntakeDesk

router = APIRouter(prefix="/api/alerts", tags=["alerts"])


@router.post(
    "/intake",
    openapi_extra={"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def intake(request: Request, user: CoordinatorDep, services: ServicesDep) -> dict[str, Any]:
    """Take in a SIT 185 message or DSC sentences (``text/plain``): open or update a case.

    A SIT 185 message opens a case from its likelier position, or updates the open case of the
    same beacon; a DSC distress raises a latched distress alert and offers a case
    (``offer_case``), opened with ``POST /api/cases/from-alert``.
    """
    body = await request.body()
    if len(body) > MAX_TEXT_CHARS:
        raise InputError(f"alert text of {len(body)} bytes is over {MAX_TEXT_CHARS}")
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError as exc:
        raise InputError(f"an alert message must be ASCII text; byte {exc.start} is not") from None
    result = await to_thread.run_sync(IntakeDesk(services, user).intake, text)
    note(request, action=result.action, alert_id=result.alert_id, case_id=result.case_id)
    return {
        "action": result.action,
        "alert_id": result.alert_id,
        "case_id": result.case_id,
        "offer_case": result.offer_case,
        "alert": result.alert.to_json(),
    }
