"""Typed dependencies of the routers: the services, the logged-in user and their role.

A session token comes as ``Authorization: Bearer <token>`` (programs) or in the
``littoral_session`` cookie (the map page; HttpOnly, SameSite=Strict). A write made with the
cookie from another origin is refused, so another site cannot act for a logged-in officer.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from anyio import to_thread
from fastapi import Depends, Path, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from littoral.api.errors import UnauthorizedError
from littoral.api.services import Services
from littoral.errors import PermissionDeniedError
from littoral.services.accounts import Role, require_role
from littoral.store.service import User

COOKIE_NAME = "littoral_session"

MAX_ROW_ID = 2**31 - 1
"""Largest key of a service row (a 32-bit signed integer): the bound of every id in a request."""

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
"""A case, unit or run key in a request path."""

_bearer = HTTPBearer(auto_error=False, description="Session token from POST /api/auth/login")
_cookie = APIKeyCookie(name=COOKIE_NAME, auto_error=False, description="Session of the map page")


def get_services(request: Request) -> Services:
    """Return the services of the app serving ``request``."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def session_token(request: HTTPConnection) -> str:
    """Return the session token a request came with (bearer header first, then cookie)."""
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    return token or request.cookies.get(COOKIE_NAME, "")


def _check_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin is None or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    host = request.headers.get("host", "")
    if urlsplit(origin).netloc != host:
        raise PermissionDeniedError(f"origin {origin!r} may not write with a session cookie")


async def current_user(
    request: Request,
    services: ServicesDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> User:
    """Return the user of the request's session; 401 without a live one."""
    if bearer is not None:
        token = bearer.credentials
    elif cookie is not None:
        _check_origin(request)
        token = cookie
    else:
        raise UnauthorizedError("log in first: no session token (Authorization: Bearer or cookie)")
    user = services.sessions.cached_user(token)
    if user is None:
        user = await to_thread.run_sync(services.sessions.user, token)
    if user is None:
        raise UnauthorizedError("session token is unknown or has expired; log in again")
    request.state.user = user
    return user


UserDep = Annotated[User, Depends(current_user)]


async def officer(user: UserDep) -> User:
    """Return the user, who must be a watch officer, coordinator or administrator."""
    require_role(user, Role.WATCH_OFFICER, Role.COORDINATOR)
    return user


async def coordinator(user: UserDep) -> User:
    """Return the user, who must be a SAR coordinator or administrator."""
    require_role(user, Role.COORDINATOR)
    return user


async def admin(user: UserDep) -> User:
    """Return the user, who must be an administrator."""
    require_role(user, Role.ADMIN)
    return user


OfficerDep = Annotated[User, Depends(officer)]
CoordinatorDep = Annotated[User, Depends(coordinator)]
AdminDep = Annotated[User, Depends(admin)]


def note(request: Request, **detail: object) -> None:
    """Add facts to the audit entry of this request (what was changed)."""
    audit: dict[str, object] = request.state.audit if hasattr(request.state, "audit") else {}
    audit.update(detail)
    request.state.audit = audit
