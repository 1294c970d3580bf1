"""Log in and out, and the logged-in user's own account."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from littoral.api.deps import COOKIE_NAME, ServicesDep, UserDep, note
from littoral.api.errors import TooManyAttemptsError, UnauthorizedError
from littoral.api.schemas import LoginIn, LoginOut, MePatch, Ok, UserOut, from_record
from littoral.errors import NotFoundError
from littoral.store.service import User

router = APIRouter(prefix="/api", tags=["auth"])


def user_out(user: User) -> UserOut:
    """Return the public view of an account."""
    return from_record(UserOut, user)


@router.post("/auth/login", responses={401: {}, 429: {}})
def login(body: LoginIn, request: Request, response: Response, services: ServicesDep) -> LoginOut:
    """Open a session; also sets the page's HttpOnly cookie. Failed attempts are rate-limited."""
    note(request, attempted_user=body.name)
    client = request.client.host if request.client else "unknown"
    keys = (f"name:{body.name.lower()}", f"addr:{client}")
    wait_s = services.limiter.retry_after_s(*keys)
    if wait_s > 0:
        raise TooManyAttemptsError(wait_s)
    try:
        user: User | None = services.service.user_by_name(body.name)
    except NotFoundError:
        user = None
    if user is None:
        services.hasher.dummy_verify()
        ok = False
    else:
        ok = not user.disabled and services.hasher.verify(user.password_hash, body.password)
    if not ok or user is None:
        services.limiter.fail(*keys)
        raise UnauthorizedError("wrong user name or password")
    services.limiter.succeed(*keys)
    session = services.sessions.open(user)
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
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    token = token or request.cookies.get(COOKIE_NAME)
    if token:
        services.sessions.close(token)
    response.delete_cookie(COOKIE_NAME, path="/")
    return Ok()


@router.get("/me")
def me(user: UserDep) -> UserOut:
    """Return the logged-in user's account."""
    return user_out(user)


@router.patch("/me")
def update_me(body: MePatch, request: Request, user: UserDep, services: ServicesDep) -> UserOut:
    """Change the logged-in user's page language."""
    services.service.update_user(user.id, language=body.language)
    services.sessions.forget_user(user.id)
    note(request, language=body.language)
    return user_out(services.service.user_by_name(user.name))
