"""The live picture: vessels in view, one vessel and its track, alerts and their handling."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from littoral.api.deps import OfficerDep, ServicesDep, UserDep, note
from littoral.api.feeds import alert_json
from littoral.api.picture import (
    SHIP_TYPE_CATEGORIES,
    parse_vessel_key,
    ship_track,
    track_rows,
    vessel_age_s,
)
from littoral.api.schemas import AckIn, AlertOut, VesselsOut
from littoral.clock import require_utc
from littoral.errors import InputError, NotFoundError
from littoral.records.alerts import AlertStatus
from littoral.store import StoredAlert
from littoral.store.records import BoundingBox

router = APIRouter(prefix="/api", tags=["picture"])

VesselKey = Annotated[str, Path(min_length=1, max_length=12, pattern=r"^[0-9]{1,9}(-[0-9]{1,2})?$")]
AlertId = Annotated[str, Path(min_length=1, max_length=200)]
BBOX_PATTERN = r"^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$"


@router.get("/vessels", response_model=VesselsOut)
async def vessels(
    user: UserDep,
    services: ServicesDep,
    bbox: Annotated[str | None, Query(max_length=100, pattern=BBOX_PATTERN)] = None,
    flag: Annotated[list[str] | None, Query(max_length=20)] = None,
    category: Annotated[list[str] | None, Query(alias="type", max_length=20)] = None,
    littoral: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=20_000)] = 5000,
) -> Response:
    """Return the vessels now in a box (``W,S,E,N``), of some flags or ship types."""
    box = None if bbox is None else BoundingBox.parse(bbox)
    categories = frozenset(c.lower() for c in category or ())
    unknown = sorted(categories - set(SHIP_TYPE_CATEGORIES))
    if unknown:
        raise InputError(f"type={unknown!r} is not among {list(SHIP_TYPE_CATEGORIES)}")
    flags = frozenset(f.strip().upper()[:60] for f in flag or ())
    count, encoded = services.picture.find_encoded(box, flags, categories, littoral, limit)
    now = services.clock.now().isoformat().encode()
    return Response(
        b'{"count":%d,"now":"%s","vessels":%s}' % (count, now, encoded),
        media_type="application/json",
    )


@router.get("/vessels/{key}")
def vessel(key: VesselKey, user: UserDep, services: ServicesDep) -> dict[str, Any]:
    """Return one vessel's identity, latest state and recent track.

    ``key`` is the MMSI, or ``MMSI-2``, ``MMSI-3``... for another ship heard on it at once.
    """
    mmsi, ship = parse_vessel_key(key)
    try:
        return services.picture.detail(mmsi, ship)
    except NotFoundError:
        state = services.store.vessels.get(mmsi, ship)
        data = state.to_dict()
        data["age_s"] = vessel_age_s(state, services.clock.now())
        data["track"] = []
        return data


@router.get("/vessels/{key}/track")
def track(
    key: VesselKey,
    user: UserDep,
    services: ServicesDep,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> dict[str, Any]:
    """Return the stored track of a vessel between ``start`` and ``end`` (UTC)."""
    mmsi, ship = parse_vessel_key(key)
    start = None if start is None else require_utc(start, "start")
    end = None if end is None else require_utc(end, "end")
    if ship:  # another ship on the MMSI: her positions picked out of the MMSI's records
        points = services.store.positions.track(mmsi, start, end)
        points = ship_track(points, services.store.vessels.get(mmsi, ship), services.clock)
        rows = [[p.lon, p.lat, p.time.isoformat(), p.sog_kn, p.cog_deg] for p in points[-limit:]]
    else:  # as columns: a month of a vessel's track without a record per position
        rows = track_rows(services.store.positions.track_columns(mmsi, start, end), limit)
    return {"key": key, "mmsi": mmsi, "count": len(rows), "points": rows}


def stored_json(stored: StoredAlert) -> dict[str, Any]:
    """Return a stored alert as JSON-ready values."""
    return alert_json(
        stored.alert,
        {
            "updated": stored.updated.isoformat(),
            "acknowledged_by": stored.acknowledged_by,
            "acknowledged": None
            if stored.acknowledged is None
            else stored.acknowledged.isoformat(),
            "comment": stored.comment,
        },
    )


@router.get("/alerts")
def alerts(
    user: UserDep,
    services: ServicesDep,
    status: Literal["open", "acknowledged", "closed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[AlertOut]:
    """Return alerts, highest priority then newest first."""
    found = services.store.alerts.find(None if status is None else AlertStatus(status), limit)
    return [AlertOut(**stored_json(a)) for a in found]


@router.get("/alerts/{alert_id}")
def alert(alert_id: AlertId, user: UserDep, services: ServicesDep) -> AlertOut:
    """Return one alert."""
    return AlertOut(**stored_json(services.store.alerts.get(alert_id)))


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(
    alert_id: AlertId, body: AckIn, request: Request, user: OfficerDep, services: ServicesDep
) -> AlertOut:
    """Acknowledge an open alert, with a comment."""
    note(request, alert_id=alert_id, comment=body.comment)
    stored = services.store.alerts.acknowledge(
        alert_id, user.name, body.comment, services.clock.now()
    )
    data = stored_json(stored)
    services.bus.publish("alert", data)
    return AlertOut(**data)


@router.post("/alerts/{alert_id}/close")
def close_alert(
    alert_id: AlertId, body: AckIn, request: Request, user: OfficerDep, services: ServicesDep
) -> AlertOut:
    """Close an alert by hand, with a comment."""
    note(request, alert_id=alert_id, comment=body.comment)
    stored = services.store.alerts.close(alert_id, user.name, body.comment, services.clock.now())
    data = stored_json(stored)
    services.bus.publish("alert", data)
    return AlertOut(**data)
