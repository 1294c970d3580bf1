"""How littoral writes its own values in JSON: UTC times as ISO 8601 with ``Z``, enums by value.

Used as the ``default`` of :func:`json.dumps` wherever records leave the program (stored alert
details, command-line JSON lines), so every writer spells a time or an enum the same way.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum


def json_default(value: object) -> object:
    """Return a JSON-ready stand-in for ``value``, or raise :class:`TypeError` when there is none.

    Parameters
    ----------
    value:
        A value :mod:`json` cannot write itself.

    Returns
    -------
    object
        An ISO 8601 string for a datetime (``+00:00`` written ``Z``), an enum's value, or a
        list for a tuple or set.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> json_default(datetime(2026, 5, 1, tzinfo=UTC))
    '2026-05-01T00:00:00Z'
    """
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
