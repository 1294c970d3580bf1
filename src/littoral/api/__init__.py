"""The littoral web service: shared picture, alerts, SAR cases, accounts and the map page.

:func:`create_app` builds the FastAPI application from settings, an open store and a clock;
nothing is created at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from littoral.clock import Clock
    from littoral.services.settings import ApiSettings
    from littoral.store import Store

__all__ = ["create_app"]


def create_app(settings: ApiSettings, store: Store, clock: Clock) -> FastAPI:
    """Build the web service; see :func:`littoral.api.app.create_app`."""
    from littoral.api.app import create_app as _create_app

    return _create_app(settings, store, clock)
