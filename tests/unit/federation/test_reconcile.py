"""Copies of one alert merge into the same alert whatever the order they arrive in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import permutations

from littoral.federation.reconcile import merge, overlaps
from littoral.records.alerts import Alert, AlertStatus, Evidence, Priority

T = datetime(2026, 5, 1, 8, tzinfo=UTC)


def copy(centre: str, start_min: int, end_min: int | None, ev: list[int]) -> Alert:
    start = T + timedelta(minutes=start_min)
    return Alert(
        id=f"going_dark:1:{centre}:{start_min}", rule="going_dark", priority=Priority.HIGH,
        mmsis=(273000001,), start=start, lon=50.0, lat=41.0, reason=f"from {centre}",
        end=None if end_min is None else T + timedelta(minutes=end_min),
        status=AlertStatus.OPEN if end_min is None else AlertStatus.CLOSED,
        evidence=[Evidence(273000001, T + timedelta(minutes=m), 50.0, 41.0) for m in ev],
    )  # fmt: skip


def fold(copies: list[tuple[str, Alert]], here: str) -> Alert:
    stored: list[Alert] = []
    for origin, alert in copies:
        merged, gone = merge(alert, origin, [a for a in stored if overlaps(a, alert)], here)
        stored = [a for a in stored if a.id not in gone and a.id != merged.id] + [merged]
    (only,) = stored
    return only


def test_merge_does_not_depend_on_order() -> None:
    copies = [("az", copy("az", 0, 20, [0, 5])), ("kz", copy("kz", 3, None, [3, 5, 9])),
              ("ir", copy("ir", 8, 12, [8]))]  # fmt: skip
    results = {
        (m.id, m.start, m.end, m.status, tuple(e.time for e in m.evidence))
        for m in (fold(list(order), "az") for order in permutations(copies))
    }
    assert len(results) == 1
    ((first_id, start, end, status, times),) = results
    assert first_id == "going_dark:1:az:0"
    assert start == T
    assert end is None  # kz's copy is still open
    assert status is AlertStatus.OPEN
    assert [round((t - T).total_seconds() / 60) for t in times] == [0, 3, 5, 8, 9]


def test_far_apart_copies_stay_two() -> None:
    early = copy("az", 0, 5, [0])
    late = copy("kz", 60, None, [60])
    assert not overlaps(early, late)
    assert overlaps(copy("az", 0, 5, [0]), copy("kz", 14, None, [14]))
