"""The service's long-lived parts, made once by :func:`littoral.api.create_app`.

One :class:`Services` object holds the settings, the store and the service's own tables, the
clock, sessions and the login limiter, the live picture, the event bus and the run pool. The
routers reach it through typed dependencies (:mod:`littoral.api.deps`), never through globals.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from littoral.api.accounts import LoginLimiter, PasswordHasher, Sessions
from littoral.api.events import EventBus
from littoral.api.feeds import Feed
from littoral.api.jobs import Jobs
from littoral.api.picture import LivePicture
from littoral.api.settings import ApiSettings
from littoral.clock import Clock
from littoral.drift.result import DriftResult
from littoral.store import Store
from littoral.store.service import ServiceStore

if TYPE_CHECKING:
    from littoral.watch.engine import Engine


@dataclass
class Services:
    """Everything a request handler may need."""

    settings: ApiSettings
    store: Store
    service: ServiceStore
    clock: Clock
    hasher: PasswordHasher
    sessions: Sessions
    limiter: LoginLimiter
    bus: EventBus
    jobs: Jobs
    picture: LivePicture
    feed: Feed
    stopping: threading.Event = field(default_factory=threading.Event)
    lifespans: int = 0
    results: dict[int, DriftResult] = field(default_factory=dict)
    frames: dict[tuple[int, int], tuple[dict[str, Any], bytes]] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: ApiSettings, store: Store, clock: Clock) -> Services:
        """Make the parts and create the service's tables when they are missing."""
        service = ServiceStore(store.engine)
        service.create()
        service.fail_unfinished_runs(clock.now())
        bus = EventBus(
            max_per_owner=settings.max_streams_per_user, max_total=settings.max_streams_total
        )
        picture = LivePicture(clock, settings.picture_ttl_s)
        watch = _watch_engine(settings)
        renotify_s = watch.config.distress.renotify_s if watch is not None else 300.0
        feed = Feed(store, picture, bus, clock, settings.feeds, watch=watch, renotify_s=renotify_s)
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
            picture=picture,
            feed=feed,
        )

    def start(self) -> None:
        """Restore the picture from the store and start the feed; called by the lifespan.

        Lifespans may nest (a tool that loads the OpenAPI document through the app while it
        runs): only the outermost starts and stops the background work.
        """
        self.lifespans += 1
        if self.lifespans > 1:
            return
        self.stopping.clear()
        self.service.purge_sessions(self.clock.now())
        self.picture.restore(self.store.vessels.all())
        self.feed.start()
        if self.settings.warm_base_map:
            warm = threading.Thread(target=_warm_base_map, name="littoral-warm", daemon=True)
            warm.start()

    def stop(self) -> None:
        """Stop the background work, finish running jobs, flush and close."""
        self.lifespans -= 1
        if self.lifespans > 0:
            return
        self.stopping.set()
        self.feed.stop()
        self.jobs.shutdown()


def _warm_base_map() -> None:
    """Trace the base map layers once, so the first page load does not wait for them."""
    from littoral.api.routers.geo import sea_geojson
    from littoral.api.zones_layer import zones_geojson

    sea_geojson()
    zones_geojson()


def _watch_engine(settings: ApiSettings) -> Engine | None:
    """Build the watch engine of the settings, or ``None`` when the watch is off."""
    if not settings.watch:
        return None
    import dataclasses

    from littoral.watch import Engine, WatchConfig, load_config

    config = WatchConfig() if settings.watch_rules is None else load_config(settings.watch_rules)
    if settings.watch_lateness_s is not None:
        engine_config = dataclasses.replace(config.engine, lateness_s=settings.watch_lateness_s)
        config = dataclasses.replace(config, engine=engine_config)
    return Engine(config)
