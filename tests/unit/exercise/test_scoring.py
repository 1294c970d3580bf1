from __future__ import annotations

from datetime import UTC, datetime, timedelta

from littoral.exercise.planted import EventKind, PlantedEvent
from littoral.exercise.scoring import score
from littoral.exercise.stream import RaisedAlert, raised_time
from littoral.records.alerts import Alert, Priority

T0 = datetime(2026, 10, 14, 6, tzinfo=UTC)


def _event(kind: EventKind, mmsis: tuple[int, ...], tolerance_s: float) -> PlantedEvent:
    return PlantedEvent(kind, mmsis, T0, T0, tolerance_s, 50.0, 42.0, "planted")


def _alert(rule: str, mmsis: tuple[int, ...], after_s: float, **details: object) -> RaisedAlert:
    a = Alert(
        id=f"{rule}:{mmsis}:{after_s}",
        rule=rule,
        priority=Priority.HIGH,
        mmsis=mmsis,
        start=T0 + timedelta(seconds=after_s),
        lon=50.0,
        lat=42.0,
        reason="test",
        details=dict(details),
    )
    return RaisedAlert(a, raised_time(a), a.start)


def test_on_time_late_missed_and_false_alerts_are_told_apart() -> None:
    truth = (
        _event(EventKind.DISTRESS, (972000001,), 180.0),
        _event(EventKind.DARK, (423000001,), 3600.0),
        _event(EventKind.SPOOFING, (436000001,), 600.0),
    )
    alerts = [
        _alert("distress", (972000001,), 60.0),
        _alert("going_dark", (423000001,), 0.0, raised_at=(T0 + timedelta(hours=2)).isoformat()),
        _alert("integrity", (273000009,), 30.0),  # names nobody planted: false
        _alert("loitering", (273000010,), 30.0),  # not a scored kind
    ]
    card = score(truth, {a.alert.id: a for a in alerts})
    by_kind = {s.event.kind: s for s in card.scores}
    assert by_kind[EventKind.DISTRESS].on_time
    assert by_kind[EventKind.DISTRESS].late_s == 60.0
    assert by_kind[EventKind.DARK].found
    assert not by_kind[EventKind.DARK].on_time  # raised 2 h after, tolerance 1 h
    assert not by_kind[EventKind.SPOOFING].found
    assert [a.alert.mmsis for a in card.false_alerts] == [(273000009,)]
    assert [a.alert.rule for a in card.other_alerts] == ["loitering"]
    assert not card.passed


def test_a_clean_run_passes() -> None:
    truth = (_event(EventKind.SHIP_TO_SHIP, (1, 2), 1800.0),)
    card = score(truth, {"a": _alert("encounter", (2, 1), 600.0)})
    assert card.passed
