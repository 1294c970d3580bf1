"""Clocks are passed in, never read from the system deep inside the code.

A replay runs on message time; a test runs on a :class:`FixedClock` it advances by hand.
"""

from datetime import UTC, datetime, timedelta
from typing import Protocol

from littoral.errors import InputError


def require_utc(value: datetime, name: str = "time") -> datetime:
    """Return ``value`` in UTC; refuse a naive datetime.

    Raises
    ------
    InputError
        If ``value`` has no timezone.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(f"{name}={value.isoformat()!r} is naive; give a timezone (UTC)")
    return value.astimezone(UTC)


class Clock(Protocol):
    """Something that tells the time, always timezone-aware UTC."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        ...


class SystemClock:
    """The wall clock of this machine."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until advanced; for tests and replays."""

    def __init__(self, start: datetime) -> None:
        self._now = require_utc(start, "start")

    def now(self) -> datetime:
        """Return the clock's current time."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._now = self._now + delta

    def set(self, when: datetime) -> None:
        """Set the clock to ``when`` (UTC-aware)."""
        self._now = require_utc(when, "when")
