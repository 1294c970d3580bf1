"""The application factory: ``create_app(settings, store, clock) -> FastAPI``.

Nothing is built at import. The factory wires the services, the routers, the JSON error
handlers and the middleware; the app's lifespan starts the background work (feeds, watch,
live updates) and, on shutdown, stops it, flushes and closes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from littoral import __version__
from littoral.api.errors import document_errors, install_error_handlers
from littoral.api.guards import SecurityHeaders, UnstorableText
from littoral.api.middleware import AuditLog, Authenticate, BodyLimit
from littoral.api.services import Services
from littoral.clock import Clock
from littoral.services.settings import ApiSettings
from littoral.store import Store


def create_app(settings: ApiSettings, store: Store, clock: Clock) -> FastAPI:
    """Build the littoral web service.

    Parameters
    ----------
    settings:
        Validated settings (:class:`~littoral.services.settings.ServiceSettings`).
    store:
        The open store (:func:`littoral.store.open_store`); the service adds its own tables
        (users, sessions, cases, audit) on the same engine.
    clock:
        Tells session expiry, audit and case times.

    Returns
    -------
    FastAPI
        The app; serve it with uvicorn (``littoral serve``) or drive it with a test client.
    """
    from littoral.api.routers import (
        auth,
        cases,
        geo,
        health,
        intake,
        live,
        packages,
        picture,
        runs,
        scenarios,
        users,
        web,
    )

    services = Services.build(settings, store, clock)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services.start()
        try:
            yield
        finally:
            services.stop()

    app = FastAPI(
        title="littoral",
        version=__version__,
        description="Shared maritime picture, watch alerts and SAR cases of the Caspian states.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's interactive page loads its scripts from a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.services = services
    install_error_handlers(app)
    for module in (
        health,
        auth,
        users,
        picture,
        intake,
        geo,
        live,
        packages,
        cases,
        scenarios,
        runs,
        web,
    ):
        app.include_router(module.router)
    web.mount_static(app)
    _document_errors(app)
    # outermost last: headers, body size, audit, session, then text checks on the body
    app.add_middleware(UnstorableText)
    app.add_middleware(Authenticate, sessions=lambda: services.sessions)
    app.add_middleware(AuditLog, store=lambda: services.service, clock=clock)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def _document_errors(app: FastAPI) -> None:
    """Make the OpenAPI document list every error status an operation may answer."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
