"""A case's records as plain JSON values and back: the case package and joint cases share them.

Times go out as ISO 8601 with their UTC offset and come back aware; a record that lacks a
field, a time without an offset, or a value its table's column cannot hold (null where it
may not be, text where a number goes, text longer than the column, an integer out of
range, a number that is not finite) is refused with the record and the field named.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, Column, Float, Integer, String, Table

from littoral.store.service import Case, CaseLogEntry, CaseScenario, Unit, UtcDateTime

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


_INT32 = 2**31
"""The columns' ``Integer`` is 32 bits on PostgreSQL."""


def unfit(column: Column[Any], value: Any) -> str | None:
    """Return why ``column`` cannot hold ``value`` (a JSON value, times already aware)."""
    if value is None:
        return None if column.nullable else "must not be null"
    kind = column.type
    if isinstance(kind, UtcDateTime):
        return None if isinstance(value, datetime) else "is no time"
    if isinstance(kind, Boolean):
        return None if type(value) is bool else "is not true or false"
    if isinstance(kind, Integer):
        fits = type(value) is int and -_INT32 <= value < _INT32
        return None if fits else "is not an integer of 32 bits"
    if isinstance(kind, Float):
        fits = type(value) in (int, float) and math.isfinite(value)
        return None if fits else "is not a finite number"
    if isinstance(kind, String):
        if type(value) is not str:
            return "is not text"
        if kind.length is not None and len(value) > kind.length:
            return f"is longer than {kind.length} characters"
    return None  # JSON: any JSON value


def restored(
    values: object,
    names: list[str],
    what: str,
    error: Callable[[str], Exception],
    table: Table | None = None,
) -> dict[str, Any]:
    """Return the fields ``names`` of a plain record, times aware; ``error(text)`` is raised.

    With ``table``, each field is checked against its column (:func:`unfit`).
    """
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
            if out[name].tzinfo is not None:
                out[name].astimezone(UTC)  # a time near year 1 or 9999 may not be one in UTC
        except (ValueError, OverflowError):
            raise error(f"{what}.{name}={values[name]!r} is no time") from None
        if out[name].tzinfo is None:
            raise error(f"{what}.{name}={values[name]!r} has no UTC offset")
    if table is not None:
        for name, value in out.items():
            if name in table.c:
                why = unfit(table.c[name], value)
                if why is not None:
                    raise error(f"{what}.{name}={value!r} {why}")
    return out
