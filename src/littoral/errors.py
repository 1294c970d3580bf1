"""The exception hierarchy of littoral: one root, one class per kind of failure.

Bulk paths (an AIS feed, a particle cloud) count and mark bad items instead of raising per
item; these exceptions are for the edges, where a person or a program gave a bad value.
"""


class LittoralError(Exception):
    """Root of every error littoral raises on purpose."""


class InputError(LittoralError, ValueError):
    """A value given by a user or a file is invalid; the message names the value."""


class DecodeError(LittoralError, ValueError):
    """An AIS sentence or message could not be decoded."""


class StoreError(LittoralError):
    """The store could not read or write."""


class ForcingError(LittoralError):
    """Forcing data is missing or does not cover the requested place and time."""


class NotFoundError(LittoralError, LookupError):
    """A named thing (vessel, case, object class, user) does not exist."""


class PermissionDeniedError(LittoralError):
    """The acting user may not do this."""


class AuthenticationError(LittoralError):
    """No valid identity: a wrong name or password, or a missing, unknown or expired session."""


class TooManyAttemptsError(AuthenticationError):
    """Too many failed logins; try again after ``retry_after_s`` seconds."""

    def __init__(self, retry_after_s: float) -> None:
        super().__init__(f"too many failed logins; retry after {retry_after_s:.0f} s")
        self.retry_after_s = retry_after_s


class QuotaError(LittoralError):
    """A limit of the service would be exceeded; the message names the limit."""
