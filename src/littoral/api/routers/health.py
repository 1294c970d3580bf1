"""``GET /health``: the only route that needs no login."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from littoral import __version__
from littoral.api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(services: ServicesDep) -> dict[str, Any]:
    """Say whether the service and its database answer."""
    try:
        with services.service.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # a health check reports, it does not fail
        database = f"error: {type(exc).__name__}"
    return {
        "status": "ok" if database == "ok" else "degraded",
        "version": __version__,
        "database": database,
        "time": services.clock.now(),
    }
