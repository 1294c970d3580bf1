"""Accounts, managed by administrators, each within their own state; and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from littoral.api.accounts import require_own_state
from littoral.api.deps import AdminDep, ServicesDep, note
from littoral.api.routers.auth import user_out
from littoral.api.schemas import AuditOut, AuditPage, UserIn, UserOut, UserPatch, from_record

router = APIRouter(prefix="/api", tags=["users"])

NamePath = Annotated[str, Path(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


@router.get("/users")
def list_users(user: AdminDep, services: ServicesDep) -> list[UserOut]:
    """Return every account of every state."""
    return [user_out(u) for u in services.service.list_users()]


@router.post("/users", status_code=201)
def add_user(body: UserIn, request: Request, user: AdminDep, services: ServicesDep) -> UserOut:
    """Create an account in the administrator's own state."""
    require_own_state(user, body.state, f"new user {body.name!r}")
    created = services.service.add_user(
        body.name,
        body.state,
        body.role,
        services.hasher.hash(body.password),
        services.clock.now(),
        body.language,
    )
    note(request, target_user=body.name, role=body.role, user_state=body.state)
    return user_out(created)


@router.patch("/users/{name}")
def change_user(
    name: NamePath, body: UserPatch, request: Request, user: AdminDep, services: ServicesDep
) -> UserOut:
    """Change the role, language or password of an account, or disable it."""
    target = services.service.user_by_name(name)
    require_own_state(user, target.state, f"user {name!r}")
    values: dict[str, object] = {}
    if body.role is not None:
        values["role"] = body.role
    if body.disabled is not None:
        values["disabled"] = body.disabled
    if body.language is not None:
        values["language"] = body.language
    if body.password is not None:
        values["password_hash"] = services.hasher.hash(body.password)
    if values:
        services.service.update_user(target.id, **values)
        services.sessions.forget_user(target.id)
    note(request, target_user=name, changed=sorted(values))
    return user_out(services.service.user_by_name(name))


@router.get("/audit")
def audit(
    user: AdminDep,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    """Return the audit log of every write, newest first."""
    entries, total = services.service.audit(limit, offset)
    return AuditPage(
        total=total,
        entries=[from_record(AuditOut, e) for e in entries],
    )
