"""Log in and out, and the logged-in user's own account (:mod:`littoral.services.accounts`)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from littoral.api.deps import COOKIE_NAME, ServicesDep, UserDep, note, session_token
from littoral.api.schemas import LoginIn, LoginOut, MePatch, Ok, UserOut
from littoral.api.views import user_out
from littoral.services.accounts import AccountDesk
from littoral.services.accounts import login as open_session

router = APIRouter(prefix="/api", tags=["auth"])


@router.post("/auth/login", responses={401: {}, 429: {}})
def login(body: LoginIn, request: Request, response: Response, services: ServicesDep) -> LoginOut:
    """Open a session; also sets the page's HttpOnly cookie. Failed attempts are rate-limited."""
    note(request, attempted_user=body.name)
    client = request.client.host if request.client else "unknown"
    session = open_session(services, body.name, body.password, client)
    user = session.user
    request.state.user = user
    response.set_cookie(
        COOKIE_NAME,
        session.token,
        max_age=int(services.settings.token_ttl_s),
        httponly=True,
        samesite="strict",
        secure=services.settings.secure_cookie,
        path="/",
    )
    return LoginOut(token=session.token, expires=session.expires, user=user_out(user))


@router.post("/auth/logout")
def logout(request: Request, response: Response, user: UserDep, services: ServicesDep) -> Ok:
    """End the current session."""
    token = session_token(request)
    if token:
        AccountDesk(services, user).logout(token)
    response.delete_cookie(COOKIE_NAME, path="/")
    return Ok()


@router.get("/me")
def me(user: UserDep) -> UserOut:
    """Return the logged-in user's account."""
    return user_out(user)


@router.patch("/me")
def update_me(body: MePatch, request: Request, user: UserDep, services: ServicesDep) -> UserOut:
    """Change the logged-in user's page language."""
    changed = AccountDesk(services, user).set_language(body.language)
    note(request, language=body.language)
    return user_out(changed)
