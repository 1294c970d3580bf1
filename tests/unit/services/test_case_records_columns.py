"""A received case record is checked against its table's columns before anything is written."""

from __future__ import annotations

from typing import Any

import pytest

from littoral.errors import InputError
from littoral.services.case_records import CASE_FIELDS, restored
from littoral.store.service import cases

CASE: dict[str, Any] = {
    "state": "ru", "title": "Fishing boat adrift", "status": "open",
    "created": "2026-05-01T08:00:00+00:00", "created_by": "coord.ru", "datum_lon": 47.9,
    "datum_lat": 43.0, "datum_time": "2026-05-01T07:30:00+00:00", "object_class": "PIW",
    "persons": 2, "alert_id": None, "mmsi": None, "description": "", "environment": {},
    "forcing_file": None, "outcome": None, "outcome_text": None, "closed": None,
}  # fmt: skip


def _restored(values: dict[str, Any]) -> dict[str, Any]:
    return restored(values, CASE_FIELDS, "case", InputError, cases)


def test_a_good_record_is_restored_with_aware_times() -> None:
    out = _restored(CASE)
    assert out["created"].utcoffset().total_seconds() == 0
    assert out["persons"] == 2


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        ("state", "russia", "is longer than 2 characters"),
        ("title", None, "must not be null"),
        ("title", ["a"], "is not text"),
        ("persons", 2**40, "is not an integer of 32 bits"),
        ("persons", True, "is not an integer of 32 bits"),
        ("persons", 2.5, "is not an integer of 32 bits"),
        ("datum_lon", float("nan"), "is not a finite number"),
        ("datum_lon", "47.9", "is not a finite number"),
        ("created", None, "must not be null"),
        ("created", "0001-01-01T00:00:00+01:00", "is no time"),
        ("created", "yesterday", "is no time"),
    ],
)
def test_a_value_its_column_cannot_hold_is_refused(field: str, value: Any, why: str) -> None:
    with pytest.raises(InputError) as caught:
        _restored({**CASE, field: value})
    assert f"case.{field}=" in str(caught.value)
    assert why in str(caught.value)
