"""littoral's use cases without HTTP: cases, runs, accounts, the one drift request builder.

The web service (:mod:`littoral.api`), the command line (:mod:`littoral.cli`) and the exercise
(:mod:`littoral.exercise`) all act through this layer, as a user, so permission checks, the
case log, events and audit apply to every caller alike:

- :class:`ServiceContext`: the store and the service's tables, clock, event bus, run pool;
- :class:`CaseDesk`: open (by hand or from an alert), edit, on-scene data, log, units,
  forcing, close, reopen, SITREP;
- :class:`RunDesk`: drift, plan, a recorded search and the update after it, and the
  case's modelled currents (:class:`CurrentsParams`, :mod:`littoral.services.currents`);
- :class:`AccountDesk` and :func:`login`: accounts, sessions, the audit log;
- :func:`drift_request` with :class:`DriftScene` and :class:`DriftParams`: the one place where
  a drift request is built, with one set of defaults;
- :class:`~littoral.services.intake.IntakeDesk`: a SIT 185 message or a DSC call opens or
  updates a case, or raises a latched distress alert (:mod:`littoral.services.intake`);
- :func:`~littoral.services.opportunity.ships_of_opportunity`: the vessels near a datum that
  could help, with their ETA;
- :mod:`littoral.services.ingest`: the ingest pipeline (sources, decoder, picture, watch and
  store, in durable batches).

Nothing here imports FastAPI; nothing is built at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from littoral.lazy import lazy_names

if TYPE_CHECKING:
    from littoral.services.accounts import AccountDesk, Role, login, system_user
    from littoral.services.cases import CaseDesk
    from littoral.services.context import ServiceContext
    from littoral.services.currents import CurrentsParams
    from littoral.services.requests import (
        DriftParams,
        DriftScene,
        ForcingFile,
        Observation,
        OnScene,
        PlanParams,
        Release,
        drift_request,
    )
    from littoral.services.runs import RunDesk
    from littoral.services.settings import ServiceSettings, build_settings
    from littoral.store.service import Case, Run, Unit, User

_HOMES = {
    "AccountDesk": "littoral.services.accounts",
    "Case": "littoral.store.service",
    "CaseDesk": "littoral.services.cases",
    "CurrentsParams": "littoral.services.currents",
    "DriftParams": "littoral.services.requests",
    "DriftScene": "littoral.services.requests",
    "ForcingFile": "littoral.services.requests",
    "Observation": "littoral.services.requests",
    "OnScene": "littoral.services.requests",
    "PlanParams": "littoral.services.requests",
    "Release": "littoral.services.requests",
    "Role": "littoral.services.accounts",
    "Run": "littoral.store.service",
    "RunDesk": "littoral.services.runs",
    "ServiceContext": "littoral.services.context",
    "ServiceSettings": "littoral.services.settings",
    "Unit": "littoral.store.service",
    "User": "littoral.store.service",
    "build_settings": "littoral.services.settings",
    "drift_request": "littoral.services.requests",
    "login": "littoral.services.accounts",
    "system_user": "littoral.services.accounts",
}
"""Where each name of :data:`__all__` is defined: imported on first use (:func:`__getattr__`)."""

__all__ = [
    "AccountDesk",
    "Case",
    "CaseDesk",
    "CurrentsParams",
    "DriftParams",
    "DriftScene",
    "ForcingFile",
    "Observation",
    "OnScene",
    "PlanParams",
    "Release",
    "Role",
    "Run",
    "RunDesk",
    "ServiceContext",
    "ServiceSettings",
    "Unit",
    "User",
    "build_settings",
    "drift_request",
    "login",
    "system_user",
]

__getattr__, __dir__ = lazy_names(globals(), _HOMES, __all__)
