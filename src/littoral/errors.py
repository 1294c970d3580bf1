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
