"""The web service's long-lived parts, made once by :func:`littoral.api.create_app`.

One :class:`Services` object is the use cases' :class:`~littoral.services.ServiceContext`
(store and service tables, clock, sessions and the login limiter, event bus, run pool) plus
what only the web service keeps: the live picture, the feed, the drift frame caches. The
routers reach it through typed dependencies (:mod:`littoral.api.deps`), never through globals,
and act through the use cases of :mod:`littoral.services`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from littoral.api.feeds import Feed
from littoral.api.picture import LivePicture
from littoral.clock import Clock
from littoral.services.context import ServiceContext
from littoral.services.effort import EffortLoop, LiveEffort
from littoral.services.results import ResultCache
from littoral.services.settings import ServiceSettings
from littoral.store import Store

if TYPE_CHECKING:
    from littoral.watch.engine import Engine


@dataclass(kw_only=True)
class Services(ServiceContext):
    """Everything a request handler may need."""

    picture: LivePicture
    feed: Feed
    stopping: threading.Event = field(default_factory=threading.Event)
    lifespans: int = 0
    results: ResultCache
    frames: dict[tuple[int, int], tuple[dict[str, Any], bytes]] = field(default_factory=dict)
    effort: EffortLoop | None = None

    @classmethod
    def build(
        cls, settings: ServiceSettings, store: Store, clock: Clock, *, audit_calls: bool = False
    ) -> Services:
        """Make the parts and create the service's tables when they are missing.

        The audit middleware writes one entry per HTTP write, so the use cases do not.
        """
        parts = ServiceContext.parts(settings, store, clock, audit_calls=audit_calls)
        parts["service"].fail_unfinished_runs(clock.now())  # runs of a stopped service
        picture = LivePicture(clock, settings.picture_ttl_s)
        watch = _watch_engine(settings)
        renotify_s = watch.config.distress.renotify_s if watch is not None else 300.0
        feed = Feed(
            store,
            picture,
            parts["bus"],
            clock,
            settings.feeds,
            watch=watch,
            renotify_s=renotify_s,
            live_s=settings.feed_live_s,
        )
        results = ResultCache(int(settings.result_cache_mb * 2**20))
        return cls(**parts, picture=picture, feed=feed, results=results)

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
        if self.settings.effort_interval_s > 0:
            self.effort = EffortLoop(LiveEffort(self), self.settings.effort_interval_s)
            self.effort.start()
        if self.settings.warm_base_map:
            warm = threading.Thread(target=_warm_base_map, name="littoral-warm", daemon=True)
            warm.start()

    def stop(self) -> None:
        """Stop the background work, finish running jobs, flush and close."""
        self.lifespans -= 1
        if self.lifespans > 0:
            return
        self.stopping.set()
        if self.effort is not None:
            self.effort.stop()
        self.feed.stop()
        self.jobs.shutdown()


def _warm_base_map() -> None:
    """Trace the base map layers once, so the first page load does not wait for them."""
    from littoral.api.routers.geo import sea_geojson
    from littoral.api.zones_layer import zones_geojson

    sea_geojson()
    zones_geojson()


def _watch_engine(settings: ServiceSettings) -> Engine | None:
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
