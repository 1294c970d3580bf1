"""The service's long-lived parts, made once by :func:`littoral.api.create_app`.

One :class:`Services` object holds the settings, the store and the service's own tables, the
clock, sessions and the login limiter, the live picture, the event bus and the run pool. The
routers reach it through typed dependencies (:mod:`littoral.api.deps`), never through globals.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Engine

from littoral.api.accounts import LoginLimiter, PasswordHasher, Sessions
from littoral.api.events import EventBus
from littoral.api.jobs import Jobs
from littoral.api.settings import ApiSettings
from littoral.clock import Clock
from littoral.store.service import ServiceStore


class StoreLike(Protocol):
    """What the service needs of :func:`littoral.store.open_store`'s result: its engine."""

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine of the store's database."""
        ...


@dataclass
class Services:
    """Everything a request handler may need."""

    settings: ApiSettings
    store: Any
    service: ServiceStore
    clock: Clock
    hasher: PasswordHasher
    sessions: Sessions
    limiter: LoginLimiter
    bus: EventBus
    jobs: Jobs
    stopping: threading.Event = field(default_factory=threading.Event)
    background: list[threading.Thread] = field(default_factory=list)

    @classmethod
    def build(cls, settings: ApiSettings, store: StoreLike, clock: Clock) -> Services:
        """Make the parts and create the service's tables when they are missing."""
        service = ServiceStore(store.engine)
        service.create()
        service.fail_unfinished_runs(clock.now())
        bus = EventBus()
        return cls(
            settings=settings,
            store=store,
            service=service,
            clock=clock,
            hasher=PasswordHasher(settings.argon2_time_cost, settings.argon2_memory_kib),
            sessions=Sessions(service, clock, settings.token_ttl_s),
            limiter=LoginLimiter(clock, settings.login_max_failures, settings.login_window_s),
            bus=bus,
            jobs=Jobs(service, bus, clock, settings.job_workers),
        )

    def start(self) -> None:
        """Start the background work; called by the app's lifespan."""
        self.stopping.clear()

    def stop(self) -> None:
        """Stop the background work, finish running jobs, flush and close."""
        self.stopping.set()
        for thread in self.background:
            thread.join(timeout=10.0)
        self.background.clear()
        self.jobs.shutdown()
