"""Request and response bodies of the service (pydantic models, bounded so junk is refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from littoral.clock import require_utc

Name = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
Password = Annotated[str, Field(min_length=8, max_length=256)]
StateCode = Literal["AZ", "IR", "KZ", "RU", "TM"]
RoleName = Literal["watch_officer", "coordinator", "admin"]
Language = Literal["en", "ru"]
Text200 = Annotated[str, Field(max_length=200)]
Text2000 = Annotated[str, Field(max_length=2000)]
UtcTime = Annotated[datetime, AfterValidator(require_utc)]
Lon = Annotated[float, Field(ge=-180.0, le=180.0)]
Lat = Annotated[float, Field(ge=-90.0, le=90.0)]


class Strict(BaseModel):
    """A request body that refuses unknown fields."""

    model_config = ConfigDict(extra="forbid")


class LoginIn(Strict):
    """Credentials."""

    name: Name
    password: Password


class UserOut(BaseModel):
    """An account as others see it (never its hash)."""

    name: str
    state: str
    role: str
    language: str
    disabled: bool
    created: datetime


class LoginOut(BaseModel):
    """A new session: the token to send as ``Authorization: Bearer`` and when it expires."""

    token: str
    expires: datetime
    user: UserOut


class UserIn(Strict):
    """A new account."""

    name: Name
    state: StateCode
    role: RoleName
    password: Password
    language: Language = "en"


class UserPatch(Strict):
    """Changes to an account by an administrator."""

    role: RoleName | None = None
    disabled: bool | None = None
    password: Password | None = None
    language: Language | None = None


class MePatch(Strict):
    """Changes a user makes to their own account."""

    language: Language


class AuditOut(BaseModel):
    """One audit entry."""

    id: int
    time: datetime
    user_name: str | None
    state: str | None
    method: str
    path: str
    status_code: int
    detail: dict[str, Any]


class AuditPage(BaseModel):
    """A page of the audit log, newest first."""

    total: int
    entries: list[AuditOut]


class Ok(BaseModel):
    """A write that returns nothing else."""

    ok: bool = True
