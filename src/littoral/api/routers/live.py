"""Live updates (Server-Sent Events) and the feed: lines posted by hand, feed statistics."""

from __future__ import annotations

from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from littoral.ais.records import RawLine
from littoral.api.deps import AdminDep, ServicesDep, UserDep, note, session_token
from littoral.api.errors import DATABASE_UNAVAILABLE, error_body
from littoral.errors import InputError
from littoral.services.events import TooManyStreamsError

router = APIRouter(prefix="/api", tags=["live"])

EVENT_KINDS = frozenset({"positions", "alert", "case", "run"})
MAX_FEED_LINES = 20_000


@router.get(
    "/events",
    response_class=StreamingResponse,
    response_model=None,
    responses={429: {"description": "Too many live streams for this user or the service"}},
)
async def events(
    request: Request,
    user: UserDep,
    services: ServicesDep,
    kinds: Annotated[str | None, Query(max_length=100, pattern=r"^[a-z,]+$")] = None,
) -> StreamingResponse | JSONResponse:
    """Stream live updates as Server-Sent Events: ``positions``, ``alert``, ``case``, ``run``.

    The stream checks its session every few seconds and ends (with a ``session`` event) on
    logout, expiry or a disabled account. Streams are capped per user and in total.
    """
    wanted = None
    if kinds is not None:
        wanted = frozenset(k for k in kinds.split(",") if k)
        if not wanted or not wanted <= EVENT_KINDS:
            raise InputError(f"kinds={kinds!r} must be among {sorted(EVENT_KINDS)}")
    try:
        sub = services.bus.subscribe(wanted, owner=user.name)
    except TooManyStreamsError as exc:
        return JSONResponse(
            error_body("too_many_streams", exc.reason),
            status_code=429,
            headers={"Retry-After": "30"},
        )
    token = session_token(request)

    async def alive() -> bool:
        try:
            found = await to_thread.run_sync(services.sessions.user, token)
        except DATABASE_UNAVAILABLE:
            return True  # cannot tell during an outage; checked again in a few seconds
        return found is not None and found.id == user.id

    return StreamingResponse(
        services.bus.stream(
            sub, services.stopping, alive=alive, check_s=services.settings.stream_session_check_s
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post(
    "/feed/nmea",
    openapi_extra={"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def post_nmea(request: Request, user: AdminDep, services: ServicesDep) -> dict[str, int]:
    """Feed NMEA lines (one per line, ``text/plain``) into the picture, as a receiver would."""
    body = await request.body()
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError as exc:
        raise InputError(f"NMEA must be ASCII text; byte {exc.start} is not") from None
    lines = text.splitlines()
    if len(lines) > MAX_FEED_LINES:
        raise InputError(f"{len(lines)} lines in one request; at most {MAX_FEED_LINES}")
    now = services.clock.now()
    source = f"http:{user.name}"
    raw = [RawLine(line, source, now) for line in lines]
    counts = await to_thread.run_sync(services.feed.process, raw)
    note(request, **counts)
    return counts


@router.get("/feed")
def feed_stats(user: UserDep, services: ServicesDep) -> dict[str, Any]:
    """Return the feed's state (live or stale) and running counts: lines, rejects, vessels."""
    return {
        "sources": list(services.settings.feeds),
        "status": services.feed.status(),
        "stats": services.feed.stats,
        "live_clients": services.bus.subscribers,
    }
