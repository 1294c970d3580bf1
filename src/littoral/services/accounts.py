"""Accounts: states, roles, passwords, sessions, the login limit, and the account use cases.

The use cases are :class:`AccountDesk` (add, list, change, the audit log) and :func:`login`.

Passwords are hashed with Argon2id (RFC 9106) through argon2-cffi; a session token is 32
random bytes given to the client once and kept in the store only as its SHA-256 digest. A
session expires ``token_ttl_s`` after login, by the injected clock.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from littoral.clock import Clock
from littoral.errors import (
    AuthenticationError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    TooManyAttemptsError,
)
from littoral.i18n import LANGUAGES
from littoral.services.desk import Desk
from littoral.store.audit_chain import ChainReport
from littoral.store.service import AuditEntry, ServiceStore, User

if TYPE_CHECKING:
    from littoral.services.context import ServiceContext

STATES: tuple[str, ...] = ("AZ", "IR", "KZ", "RU", "TM")
"""The five Caspian littoral states, ISO 3166-1 alpha-2."""


class Role(StrEnum):
    """What an account may do: watch the picture, run SAR cases, or administer."""

    WATCH_OFFICER = "watch_officer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


_ROLE_ALIASES: dict[str, Role] = {
    "watch_officer": Role.WATCH_OFFICER,
    "watch-officer": Role.WATCH_OFFICER,
    "watch": Role.WATCH_OFFICER,
    "officer": Role.WATCH_OFFICER,
    "coordinator": Role.COORDINATOR,
    "sar_coordinator": Role.COORDINATOR,
    "sar-coordinator": Role.COORDINATOR,
    "sar": Role.COORDINATOR,
    "admin": Role.ADMIN,
    "administrator": Role.ADMIN,
}


def parse_role(text: str) -> Role:
    """Return the role named ``text`` (``coordinator``, ``watch-officer``, ``admin``...)."""
    role = _ROLE_ALIASES.get(text.strip().lower())
    if role is None:
        raise InputError(f"role={text!r} is not one of {sorted(set(_ROLE_ALIASES))}")
    return role


def parse_state(text: str) -> str:
    """Return the state code ``text`` in upper case; refuse one that is not littoral."""
    code = text.strip().upper()
    if code not in STATES:
        raise InputError(f"state={text!r} is not one of {list(STATES)}")
    return code


def check_name(name: str) -> str:
    """Return a valid account name: 2-64 letters, digits, dot, dash or underscore."""
    if not 2 <= len(name) <= 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise InputError(f"user name={name!r} must be 2-64 letters, digits, '.', '_' or '-'")
    return name


def check_password(password: str) -> str:
    """Refuse a password shorter than 8 or longer than 256 characters."""
    if not 8 <= len(password) <= 256:
        raise InputError(f"password of length {len(password)} must be 8-256 characters")
    return password


ARGON2_LANES = 4
"""Argon2id parallelism (RFC 9106, second recommended option)."""


class PasswordHasher:
    """Argon2id hashing with the service's cost settings."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        from argon2 import PasswordHasher as _Argon2

        # RFC 9106 section 4, second recommended option: t=3, m=64 MiB, p=4 lanes
        self._hasher = _Argon2(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=ARGON2_LANES
        )
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        """Return the encoded hash of ``password``."""
        return str(self._hasher.hash(password))

    def verify(self, encoded: str, password: str) -> bool:
        """Return whether ``password`` matches ``encoded``."""
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return bool(self._hasher.verify(encoded, password))
        except (VerificationError, InvalidHashError):
            return False

    def dummy_verify(self) -> None:
        """Spend the time of one verification, so an unknown name answers as slowly."""
        if self._dummy is None:
            self._dummy = self.hash(secrets.token_hex(16))
        self.verify(self._dummy, "wrong-password")


def token_digest(token: str) -> str:
    """Return the SHA-256 hex digest under which a session token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    """A fresh session: the secret token (shown once) and when it expires."""

    token: str
    expires: datetime
    user: User


class Sessions:
    """Opens, checks and ends sessions in the service store, on the injected clock.

    A checked session is remembered in memory for ``cache_s`` seconds of wall time, so a
    page polling the picture costs no database query per request; expiry is still checked
    on every request by the injected clock, and logging out or changing the account drops
    the remembered entry at once.
    """

    def __init__(
        self, store: ServiceStore, clock: Clock, ttl_s: float, cache_s: float = 30.0
    ) -> None:
        self._store = store
        self._clock = clock
        self._ttl = timedelta(seconds=ttl_s)
        self._cache_s = cache_s
        self._cache: dict[str, tuple[User, datetime, float]] = {}
        self._lock = threading.Lock()

    def open(self, user: User) -> Session:
        """Start a session for ``user``."""
        token = secrets.token_urlsafe(32)
        now = self._clock.now()
        expires = now + self._ttl
        self._store.add_session(token_digest(token), user.id, now, expires)
        return Session(token=token, expires=expires, user=user)

    def cached_user(self, token: str) -> User | None:
        """Return the user of a session checked in the last ``cache_s``, or ``None``."""
        digest = token_digest(token) if token and len(token) <= 128 else ""
        with self._lock:
            hit = self._cache.get(digest)
        if hit is None:
            return None
        user, expires, seen = hit
        if time.monotonic() - seen > self._cache_s or expires <= self._clock.now():
            with self._lock:
                self._cache.pop(digest, None)
            return None
        return user

    def user(self, token: str) -> User | None:
        """Return the user of a live session, or ``None`` (unknown, expired or disabled)."""
        if not token or len(token) > 128:
            return None
        digest = token_digest(token)
        found = self._store.session_user(digest)
        if found is None:
            return None
        user, expires = found
        if expires <= self._clock.now() or user.disabled:
            return None
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (user, expires, time.monotonic())
        return user

    def forget_user(self, user_id: int) -> None:
        """Drop remembered sessions of an account that changed."""
        with self._lock:
            for digest in [d for d, (u, _, _) in self._cache.items() if u.id == user_id]:
                del self._cache[digest]

    def close(self, token: str) -> None:
        """End the session of ``token``."""
        digest = token_digest(token)
        with self._lock:
            self._cache.pop(digest, None)
        self._store.delete_session(digest)


class LoginLimiter:
    """Progressive delay of login attempts per key (the account name, the client address).

    Each key may try ``free_attempts`` times freely; after ``n`` more failures it must wait
    ``base_delay_s * 2**(n-1)`` seconds (at most ``max_delay_s``) before its next attempt. A
    failure is forgotten ``window_s`` after it happened, a success clears the key. Nobody is
    locked out for long: the real owner of a guessed name waits seconds, not minutes, while a
    guesser's rate halves with every miss.

    :meth:`reserve` checks and counts an attempt in one step under a lock, before the
    password is hashed, so concurrent guesses are counted too: of any burst, at most
    ``free_attempts`` reach the password check.
    """

    def __init__(
        self,
        clock: Clock,
        free_attempts: int,
        window_s: float,
        base_delay_s: float = 1.0,
        max_delay_s: float = 60.0,
    ) -> None:
        self._clock = clock
        self._free = free_attempts
        self._window = timedelta(seconds=window_s)
        self._base_s = base_delay_s
        self._max_s = max_delay_s
        self._attempts: defaultdict[str, deque[datetime]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _delay_s(self, failures: int) -> float:
        extra = failures - self._free
        if extra < 0:
            return 0.0
        return float(min(self._max_s, self._base_s * 2.0**extra))

    def reserve(self, *keys: str) -> float:
        """Count one attempt against every key and return 0, or return the wait in seconds.

        A refused attempt (wait > 0) is not counted.
        """
        now = self._clock.now()
        with self._lock:
            wait = 0.0
            for key in keys:
                times = self._attempts.get(key)
                if not times:
                    continue
                while times and times[0] <= now - self._window:
                    times.popleft()
                if not times:
                    del self._attempts[key]
                    continue
                ready = times[-1] + timedelta(seconds=self._delay_s(len(times)))
                wait = max(wait, (ready - now).total_seconds())
            if wait > 0:
                return wait
            for key in keys:
                self._attempts[key].append(now)
            return 0.0

    def succeed(self, *keys: str) -> None:
        """Forget the attempts of keys after a successful login."""
        with self._lock:
            for key in keys:
                self._attempts.pop(key, None)


def require_role(user: User, *roles: Role) -> None:
    """Refuse ``user`` unless their role is one of ``roles`` (administrators always pass)."""
    if user.role == Role.ADMIN or user.role in roles:
        return
    raise PermissionDeniedError(
        f"user {user.name!r} with role {user.role!r} may not do this; "
        f"needs {[str(r) for r in roles]}"
    )


def require_own_state(user: User, state: str, what: str) -> None:
    """Refuse ``user`` editing ``what`` that belongs to another state."""
    if user.state != state:
        raise PermissionDeniedError(
            f"{what} belongs to state {state}; user {user.name!r} of {user.state} may only read it"
        )


SYSTEM_USER_ID = 0
"""Key of an acting user who is not a stored account (the command line)."""


def system_user(name: str, state: str, role: Role = Role.ADMIN) -> User:
    """Return an acting user that is no stored account: the command line of an installation.

    It passes the same permission checks as an account of ``state`` with ``role``, and its
    name is written in the audit log; it cannot log in.
    """
    from datetime import UTC

    return User(
        id=SYSTEM_USER_ID,
        name=check_name(name),
        state=parse_state(state),
        role=Role(role).value,
        password_hash="!",  # noqa: S106 (no hash matches it: this user cannot log in)
        language="en",
        created=datetime(1970, 1, 1, tzinfo=UTC),
        disabled=True,
    )


def login(ctx: ServiceContext, name: str, password: str, client: str) -> Session:
    """Open a session for ``name`` with ``password``; failures are counted per name and client.

    Raises
    ------
    TooManyAttemptsError
        While the name or the client address has too many recent failures.
    AuthenticationError
        On a wrong name or password, or a disabled account (one message for all three).
    """
    keys = (f"name:{name.lower()}", f"addr:{client}")
    wait_s = ctx.limiter.reserve(*keys)
    if wait_s > 0:
        raise TooManyAttemptsError(wait_s)
    try:
        user: User | None = ctx.service.user_by_name(name)
    except NotFoundError:
        user = None
    if user is None:
        ctx.hasher.dummy_verify()  # an unknown name answers as slowly as a known one
        ok = False
    else:
        ok = not user.disabled and ctx.hasher.verify(user.password_hash, password)
    if not ok or user is None:
        raise AuthenticationError("wrong user name or password")
    ctx.limiter.succeed(*keys)
    return ctx.sessions.open(user)


class AccountDesk(Desk):
    """The account use cases of one acting user."""

    def _announce(self, action: str, name: str) -> None:
        self.ctx.bus.publish("account", {"action": action, "name": name, "by": self.user.name})

    def list_users(self) -> list[User]:
        """Return every account of every state (administrators only)."""
        require_role(self.user, Role.ADMIN)
        return self.ctx.service.list_users()

    def add_user(
        self, name: str, state: str, role: str, password: str, language: str = "en"
    ) -> User:
        """Create an account in the administrator's own state."""
        require_role(self.user, Role.ADMIN)
        name = check_name(name)
        state = parse_state(state)
        role_value = parse_role(role).value
        if language not in LANGUAGES:
            raise InputError(f"language={language!r} is not one of {list(LANGUAGES)}")
        require_own_state(self.user, state, f"new user {name!r}")
        created = self.ctx.service.add_user(
            name,
            state,
            role_value,
            self.ctx.hasher.hash(check_password(password)),
            self.ctx.clock.now(),
            language,
        )
        self.audit("users.add", target_user=name, role=role_value, user_state=state)
        self._announce("add", name)
        return created

    def change_user(
        self,
        name: str,
        *,
        role: str | None = None,
        disabled: bool | None = None,
        language: str | None = None,
        password: str | None = None,
    ) -> User:
        """Change the role, language or password of an account of the own state, or disable it.

        A change of password, role or enabled state ends every session of the account (a
        re-enabled account logs in afresh). The last enabled administrator of a state can be
        neither demoted nor disabled. The audit entry records old and new values (a password
        only as "changed").
        """
        require_role(self.user, Role.ADMIN)
        target = self.ctx.service.user_by_name(name)
        require_own_state(self.user, target.state, f"user {name!r}")
        values: dict[str, object] = {}
        changes: dict[str, object] = {}
        if role is not None and parse_role(role).value != target.role:
            values["role"] = parse_role(role).value
            changes["role"] = {"old": target.role, "new": values["role"]}
        if disabled is not None and disabled != target.disabled:
            values["disabled"] = disabled
            changes["disabled"] = {"old": target.disabled, "new": disabled}
        if language is not None and language != target.language:
            if language not in LANGUAGES:
                raise InputError(f"language={language!r} is not one of {list(LANGUAGES)}")
            values["language"] = language
            changes["language"] = {"old": target.language, "new": language}
        if password is not None:
            values["password_hash"] = self.ctx.hasher.hash(check_password(password))
            changes["password"] = "changed"  # noqa: S105 (never the value itself)
        if not values:
            return target
        if target.role == Role.ADMIN and not target.disabled:
            demoted = values.get("role", Role.ADMIN) != Role.ADMIN or values.get("disabled")
            if demoted and self._enabled_admins(target.state) <= 1:
                raise InputError(
                    f"user {name!r} is the last enabled administrator of {target.state}; "
                    "make another administrator first"
                )
        self.ctx.service.update_user(target.id, **values)
        revoked = 0
        if values.keys() & {"role", "disabled", "password_hash"}:
            revoked = self.ctx.service.delete_sessions_of(target.id)
        self.ctx.sessions.forget_user(target.id)
        self.audit("users.change", target_user=name, changes=changes, sessions_ended=revoked)
        self._announce("change", name)
        return self.ctx.service.user_by_name(name)

    def _enabled_admins(self, state: str) -> int:
        return sum(
            1
            for u in self.ctx.service.list_users()
            if u.state == state and u.role == Role.ADMIN and not u.disabled
        )

    def set_language(self, language: str) -> User:
        """Change the acting user's own page language."""
        if language not in LANGUAGES:
            raise InputError(f"language={language!r} is not one of {list(LANGUAGES)}")
        self.ctx.service.update_user(self.user.id, language=language)
        self.ctx.sessions.forget_user(self.user.id)
        self.audit("me.language", language=language)
        return self.ctx.service.user_by_name(self.user.name)

    def logout(self, token: str) -> None:
        """End the session of ``token``."""
        self.ctx.sessions.close(token)

    def verify_audit(self) -> ChainReport:
        """Check the audit log's hash chain from its first entry (administrators only)."""
        require_role(self.user, Role.ADMIN)
        return self.ctx.service.verify_audit()

    def audit_page(self, limit: int, offset: int) -> tuple[list[AuditEntry], int]:
        """Return a page of the audit log, newest first, and its total (administrators only)."""
        require_role(self.user, Role.ADMIN)
        return self.ctx.service.audit(limit, offset)
