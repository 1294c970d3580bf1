"""``GET /health``: the only route that needs no login."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from littoral import __version__
from littoral.api.deps import ServicesDep
from littoral.api.errors import RETRY_AFTER_S
from littoral.jsonvalues import json_default

router = APIRouter(tags=["health"])


@router.get("/health", responses={503: {"description": "The database does not answer"}})
def health(services: ServicesDep) -> JSONResponse:
    """Say whether the service and its database answer; 503 when the database does not."""
    try:
        with services.service.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # a health check reports, it does not fail
        database = f"error: {type(exc).__name__}"
    body: dict[str, Any] = {
        "status": "ok" if database == "ok" else "degraded",
        "version": __version__,
        "database": database,
        "time": json_default(services.clock.now()),
    }
    if database == "ok":
        return JSONResponse(body)
    return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})
