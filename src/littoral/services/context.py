"""The parts every use case needs, made once by whoever runs littoral.

The web service, a command and the exercise each make one.

A :class:`ServiceContext` holds the store and the service's own tables, the clock, the event
bus, the run pool and the password hasher. The use cases (:class:`~littoral.services.CaseDesk`,
:class:`~littoral.services.RunDesk`, :class:`~littoral.services.AccountDesk`) are made from a
context and the acting user, so permission checks, the case log, events and audit apply to
every caller alike.

Audit: under the web service each HTTP write is audited by its middleware (method, path,
status and the facts the router noted), so ``audit_calls`` is off there; a command or the
exercise sets it on, and each use case then writes one audit entry itself (method ``CALL``,
path the use case's name, e.g. ``cases.open``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from littoral.clock import Clock
from littoral.services.accounts import LoginLimiter, PasswordHasher, Sessions
from littoral.services.events import EventBus
from littoral.services.jobs import Jobs
from littoral.services.settings import ServiceSettings
from littoral.store.service import ServiceStore

if TYPE_CHECKING:
    from littoral.store import Store


@dataclass(kw_only=True)
class ServiceContext:
    """Everything a use case may need; made by :meth:`build`."""

    settings: ServiceSettings
    store: Store
    service: ServiceStore
    clock: Clock
    hasher: PasswordHasher
    sessions: Sessions
    limiter: LoginLimiter
    bus: EventBus
    jobs: Jobs
    audit_calls: bool = True

    @classmethod
    def parts(
        cls, settings: ServiceSettings, store: Store, clock: Clock, *, audit_calls: bool
    ) -> dict[str, Any]:
        """Make the parts (creating the service's tables when missing), as keyword values."""
        service = ServiceStore(store.engine, runs_dir=settings.data_dir / "runs")
        service.create()
        bus = EventBus(
            max_per_owner=settings.max_streams_per_user, max_total=settings.max_streams_total
        )
        return {
            "settings": settings,
            "store": store,
            "service": service,
            "clock": clock,
            "hasher": PasswordHasher(settings.argon2_time_cost, settings.argon2_memory_kib),
            "sessions": Sessions(service, clock, settings.token_ttl_s),
            "limiter": LoginLimiter(
                clock,
                settings.login_max_failures,
                settings.login_window_s,
                max_delay_s=settings.login_max_delay_s,
            ),
            "bus": bus,
            "jobs": Jobs(
                service,
                bus,
                clock,
                settings.job_workers,
                max_per_user=settings.max_runs_per_user,
                max_per_state=settings.max_runs_per_state,
            ),
            "audit_calls": audit_calls,
        }

    @classmethod
    def build(
        cls, settings: ServiceSettings, store: Store, clock: Clock, *, audit_calls: bool = True
    ) -> ServiceContext:
        """Make a context on an open ``store`` (a command or the exercise; audits each call)."""
        return cls(**cls.parts(settings, store, clock, audit_calls=audit_calls))

    @property
    def data_dir(self) -> Path:
        """Folder for the cases' files (forcing files, searched tracks)."""
        return self.settings.data_dir

    def case_dir(self, case_id: int) -> Path:
        """Return (creating it) the folder of case ``case_id``'s files."""
        folder = self.data_dir / "cases" / str(case_id)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def close(self) -> None:
        """Finish running jobs (the store stays open: its owner closes it)."""
        self.jobs.shutdown()


@contextmanager
def opened(db: str | None, clock: Clock, **settings: object) -> Iterator[ServiceContext]:
    """Open the store ``db`` (``None``: the default) and a context on it; close both after.

    For a command or the exercise: each use case it calls writes its own audit entry.
    ``settings`` are further :class:`ServiceSettings` values (``data_dir``...).
    """
    from littoral.services.settings import build_settings
    from littoral.store import open_store

    store = open_store(db)
    try:
        ctx = ServiceContext.build(build_settings(db_url=store.url, **settings), store, clock)
        try:
            yield ctx
        finally:
            ctx.close()
    finally:
        store.close()
