"""Names of centres: lower-case letters, digits and ``_``, as NATS subjects and domains need."""

from __future__ import annotations

import re

from littoral.errors import InputError

_CENTRE = re.compile(r"[a-z][a-z0-9_]{0,31}")


def check_centre(name: str, key: str) -> str:
    """Return ``name`` if it can name a centre, else raise ``InputError`` naming ``key``.

    >>> check_centre("az", "centre")
    'az'
    """
    if not isinstance(name, str) or _CENTRE.fullmatch(name) is None:
        raise InputError(
            f"{key}={name!r} must be 1-32 lower-case letters, digits or '_', starting with a "
            "letter (it names NATS subjects and a JetStream domain)"
        )
    return name
