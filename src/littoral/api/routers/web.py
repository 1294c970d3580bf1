"""The map page and its static files (Leaflet vendored at build time, never a CDN)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from littoral.i18n import all_catalogues
from littoral.web import STATIC_DIR

router = APIRouter(tags=["web"], include_in_schema=False)

PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)
"""Content-Security-Policy of the page: nothing loads from anywhere but this service."""


@router.get("/")
def page() -> FileResponse:
    """Serve the map page (it asks for a login itself)."""
    return FileResponse(
        STATIC_DIR / "index.html",
        headers={"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-cache"},
    )


@router.get("/i18n.json")
def catalogues() -> JSONResponse:
    """Serve the page's strings in every language (public: the login form needs them)."""
    return JSONResponse(all_catalogues(), headers={"Cache-Control": "no-cache"})


def mount_static(app: FastAPI) -> None:
    """Serve ``littoral/web/static`` under ``/static``."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
