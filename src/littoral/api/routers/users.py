"""Accounts, managed by administrators, each within their own state; and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from littoral.api.deps import AdminDep, ServicesDep, note
from littoral.api.schemas import AuditOut, AuditPage, UserIn, UserOut, UserPatch, from_record
from littoral.api.views import user_out
from littoral.services.accounts import AccountDesk

router = APIRouter(prefix="/api", tags=["users"])

NamePath = Annotated[str, Path(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


@router.get("/users")
def list_users(user: AdminDep, services: ServicesDep) -> list[UserOut]:
    """Return every account of every state."""
    return [user_out(u) for u in AccountDesk(services, user).list_users()]


@router.post("/users", status_code=201)
def add_user(body: UserIn, request: Request, user: AdminDep, services: ServicesDep) -> UserOut:
    """Create an account in the administrator's own state."""
    created = AccountDesk(services, user).add_user(
        body.name, body.state, body.role, body.password, body.language
    )
    note(request, target_user=body.name, role=body.role, user_state=body.state)
    return user_out(created)


@router.patch("/users/{name}")
def change_user(
    name: NamePath, body: UserPatch, request: Request, user: AdminDep, services: ServicesDep
) -> UserOut:
    """Change the role, language or password of an account, or disable it."""
    desk = AccountDesk(services, user)
    changed = desk.change_user(name, **body.model_dump(exclude_none=True))
    note(request, **desk.audited)  # old and new values, sessions ended
    return user_out(changed)


@router.get("/audit")
def audit(
    user: AdminDep,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    """Return the audit log of every write, newest first."""
    entries, total = AccountDesk(services, user).audit_page(limit, offset)
    return AuditPage(
        total=total,
        entries=[from_record(AuditOut, e) for e in entries],
    )
