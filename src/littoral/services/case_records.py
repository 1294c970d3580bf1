"""A case's records as plain JSON values and back: the case package and joint cases share them.

Times go out as ISO 8601 with their UTC offset and come back aware; a record that lacks a
field, or a time without an offset, is refused with the record and the field named.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from littoral.store.service import Case, CaseLogEntry, CaseScenario, Unit

_KEYS = ("id", "case_id")
CASE_FIELDS = [f.name for f in dataclasses.fields(Case) if f.name != "id"]
LOG_FIELDS = [f.name for f in dataclasses.fields(CaseLogEntry) if f.name not in _KEYS]
UNIT_FIELDS = [f.name for f in dataclasses.fields(Unit) if f.name not in _KEYS]
SCENARIO_FIELDS = [f.name for f in dataclasses.fields(CaseScenario) if f.name not in _KEYS]
TIMES = {"created", "datum_time", "closed", "time", "committed", "updated", "finished"}
"""Fields holding a time, in any of the records."""


def plain(record: object, names: list[str]) -> dict[str, Any]:
    """Return the fields ``names`` of ``record``, times as ISO 8601 text."""
    values = {n: getattr(record, n) for n in names}
    return {n: v.isoformat() if isinstance(v, datetime) else v for n, v in values.items()}


def restored(
    values: object, names: list[str], what: str, error: Callable[[str], Exception]
) -> dict[str, Any]:
    """Return the fields ``names`` of a plain record, times aware; ``error(text)`` is raised."""
    if not isinstance(values, dict):
        raise error(f"{what} is not an object")
    missing = [n for n in names if n not in values]
    if missing:
        raise error(f"{what} lacks {missing}")
    out = {n: values[n] for n in names}
    for name in TIMES & set(names):
        if out[name] is None:
            continue
        try:
            out[name] = datetime.fromisoformat(str(out[name]))
        except ValueError:
            raise error(f"{what}.{name}={out[name]!r} is no time") from None
        if out[name].tzinfo is None:
            raise error(f"{what}.{name}={values[name]!r} has no UTC offset")
    return out
