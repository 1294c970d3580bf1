"""Validated settings of the service (web, command line, exercise), never built at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from littoral.errors import InputError


class ServiceSettings(BaseModel):
    """Everything the service needs to know besides its store and its clock.

    Attributes
    ----------
    db_url:
        SQLAlchemy URL of the store (SQLite file or PostgreSQL).
    feeds:
        AIS sources the service ingests in the background (``tcp://host:port``,
        ``udp://host:port``, or a file path), in the syntax of :mod:`littoral.ais`.
    data_dir:
        Folder for uploaded forcing files and other case files.
    token_ttl_s:
        How long a login session lasts.
    login_max_failures, login_window_s, login_max_delay_s:
        Login attempts per user name and per client address that are free within the window;
        each further failure doubles the wait before the next attempt (1 s, 2 s, 4 s, ... at
        most ``login_max_delay_s``), refused meanwhile with 429 and ``Retry-After``.
    trusted_proxies:
        Addresses of reverse proxies whose ``X-Forwarded-For`` names the client; from any
        other peer the header is ignored. Empty (the default): trusted from nobody.
    max_body_bytes:
        Largest request body accepted (a forcing file upload included).
    argon2_time_cost, argon2_memory_kib:
        Password hashing cost (RFC 9106 second recommendation by default).
    cookie_secure:
        Send the session cookie only over HTTPS. ``None`` (the default) means yes, unless the
        service listens on loopback only (a laptop, or a server behind a TLS proxy on the same
        host that sets it explicitly).
    watch:
        Run the watch rules over the ingested positions in the background.
    watch_rules:
        TOML rules file of the watch engine (``docs/watch.md``); the defaults without one.
    watch_lateness_s:
        Override of the engine's reorder window; a single nearby receiver may use 30 s so a
        distress alert is raised within about a minute and a half.
    warm_base_map:
        Trace the base map layers (zones take seconds) in the background at start.
    max_streams_per_user, max_streams_total:
        Live event streams (``GET /api/events``) one account, and the whole service, may hold.
    max_runs_per_user, max_runs_per_state:
        Runs (drift, plan, update, currents) one account, and one state, may have queued or
        running at once; one more is refused with 429 naming the cap.
    max_run_memory_mb:
        Largest memory a drift run is estimated to need (particles x outputs); a bigger one
        is refused before it starts, naming this limit.
    result_cache_mb:
        Memory for drift results kept unpacked for the map page (least recently used first
        out).
    stream_session_check_s:
        How often an open stream checks that its session still exists (at most 5 s).
    feed_live_s:
        The feed is "live" only while some line arrived within this many seconds; after that
        it is "stale" (the picture shown is as old as its newest message).
    effort_interval_s:
        How often the AIS reports of units linked by their MMSI become searched effort
        (:mod:`littoral.services.effort`); 0 turns it off.
    package_key:
        The centre's Ed25519 private key file (``<CENTRE>.key``, from ``littoral case
        keygen``) that signs the case packages this service exports; none: no export.
    trusted_keys:
        Folder of the trusted centres' public keys (``<CENTRE>.pub``) that case packages
        are verified against on import; none: no import.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    db_url: str = "sqlite:///littoral.db"
    feeds: tuple[str, ...] = ()
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    data_dir: Path = Path("littoral-data")
    token_ttl_s: float = Field(default=8 * 3600.0, gt=0, le=30 * 24 * 3600.0)
    login_max_failures: int = Field(default=5, ge=1, le=1000)
    login_window_s: float = Field(default=300.0, gt=0)
    login_max_delay_s: float = Field(default=60.0, gt=0, le=3600.0)
    trusted_proxies: tuple[str, ...] = ()
    max_body_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    argon2_time_cost: int = Field(default=3, ge=1, le=20)
    argon2_memory_kib: int = Field(default=65536, ge=32, le=4 * 1024 * 1024)
    cookie_secure: bool | None = None
    watch: bool = True
    watch_rules: Path | None = None
    watch_lateness_s: float | None = Field(default=None, ge=0, le=3600)
    picture_ttl_s: float = Field(default=3 * 3600.0, gt=0)
    job_workers: int = Field(default=2, ge=1, le=16)
    warm_base_map: bool = True
    max_streams_per_user: int = Field(default=5, ge=1, le=100)
    max_streams_total: int = Field(default=200, ge=1, le=10_000)
    stream_session_check_s: float = Field(default=5.0, gt=0, le=5.0)
    max_runs_per_user: int = Field(default=2, ge=1, le=100)
    max_runs_per_state: int = Field(default=4, ge=1, le=1000)
    max_run_memory_mb: float = Field(default=1024.0, gt=0, le=1024.0 * 1024)
    result_cache_mb: float = Field(default=512.0, gt=0, le=1024.0 * 1024)
    feed_live_s: float = Field(default=120.0, gt=0, le=24 * 3600.0)
    effort_interval_s: float = Field(default=20.0, ge=0, le=60.0)
    package_key: Path | None = None
    trusted_keys: Path | None = None

    @property
    def secure_cookie(self) -> bool:
        """Whether the session cookie carries the ``Secure`` attribute."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.host not in LOOPBACK_HOSTS


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
"""Listening addresses that only this machine reaches."""


def build_settings(**values: object) -> ServiceSettings:
    """Build settings from keyword values; a bad value is an :class:`InputError` naming it."""
    try:
        return ServiceSettings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}={err.get('input')!r}: {err['msg']}"
            for err in exc.errors()
        )
        raise InputError(f"invalid service settings: {problems}") from exc


ApiSettings = ServiceSettings
"""The name the web service's factory has long used for the same settings."""
