from datetime import timedelta

from littoral.records import AlertStatus, Priority
from littoral.records.reports import SafetyReport

from .scripts import AKTAU, OPEN_SEA, T0, of, run, track

SART = 970_123_456


def test_sart_positions_raise_critical_at_first_report_with_sar_case_facts():
    engine, handed = run(track(SART, T0, *OPEN_SEA, minutes=10, every_s=60, nav_status=14))
    (alert,) = of(engine, "distress")
    assert alert.priority == Priority.CRITICAL
    assert alert.start == T0
    assert alert.details["mmsi"] == SART
    assert alert.details["lon"] == OPEN_SEA[0]
    assert alert.details["lat"] == OPEN_SEA[1]
    assert alert.details["time"] == (T0 + timedelta(minutes=10)).isoformat()
    assert "AIS-SART" in alert.reason
    assert "42°00.0′N 051°00.0′E" in alert.reason
    assert any(a.id == alert.id for a in handed)


def test_distress_is_latched_open_and_marked_silent_after_quiet_period():
    records = track(SART, T0, *OPEN_SEA, minutes=10, every_s=60, nav_status=14)
    engine, handed = run(records, until=T0 + timedelta(days=10))
    (alert,) = of(engine, "distress")
    assert alert.status == AlertStatus.OPEN
    assert alert.end is None
    assert alert.details["silent_since"] == (T0 + timedelta(minutes=10)).isoformat()
    # the silence was handed out (so the store shows it), the alert was never closed
    assert [a.status for a in handed if a.id == alert.id][-1] == AlertStatus.OPEN
    assert "silent_since" in [a for a in handed if a.id == alert.id][-1].details


def test_beacon_heard_again_after_silence_opens_a_second_alert_and_keeps_the_first():
    first = track(SART, T0, *OPEN_SEA, minutes=5, every_s=60, nav_status=14)
    again = track(SART, T0 + timedelta(hours=2), *OPEN_SEA, minutes=5, every_s=60, nav_status=14)
    engine, _ = run(first + again)
    alerts = of(engine, "distress")
    assert len(alerts) == 2
    assert all(a.status == AlertStatus.OPEN and a.end is None for a in alerts)


def test_sart_in_test_mode_is_not_distress():
    engine, _ = run(track(SART, T0, *OPEN_SEA, minutes=10, every_s=60, nav_status=15))
    assert of(engine, "distress") == []


def test_ship_with_sart_active_status_raises():
    engine, _ = run(track(273_456_789, T0, *OPEN_SEA, minutes=5, nav_status=14))
    assert len(of(engine, "distress")) == 1


def test_safety_text_raises_and_joins_the_beacon_alert():
    records = [
        *track(SART, T0, *OPEN_SEA, minutes=5, every_s=60, nav_status=14),
        SafetyReport(mmsi=SART, time=T0 + timedelta(minutes=1), msg_type=14, text="SART ACTIVE"),
    ]
    engine, _ = run(records)
    (alert,) = of(engine, "distress")
    assert alert.details["text"] == "SART ACTIVE"


def test_safety_text_alone_raises_and_test_text_does_not():
    text = SafetyReport(mmsi=972_000_001, time=T0, msg_type=14, text="MOB ACTIVE")
    test = SafetyReport(mmsi=972_000_002, time=T0, msg_type=14, text="MOB TEST")
    engine, _ = run([text, test])
    (alert,) = of(engine, "distress")
    assert alert.mmsis == (972_000_001,)
    assert alert.details["lon"] is None  # position unknown until the device reports one


def test_aground_at_sea_raises_and_stays_open_when_refloated():
    ship = 423_111_222
    aground = track(ship, T0, *OPEN_SEA, minutes=30, nav_status=6)
    afloat = track(ship, T0 + timedelta(minutes=33), *OPEN_SEA, minutes=9, nav_status=0)
    engine, _ = run(aground + afloat)
    (alert,) = of(engine, "distress")
    assert alert.priority == Priority.CRITICAL
    assert "aground" in alert.reason
    assert alert.end is None
    assert alert.details["refloated"] == (T0 + timedelta(minutes=33)).isoformat()


def test_aground_in_port_is_not_distress():
    engine, _ = run(track(436_000_001, T0, AKTAU[0] - 0.02, AKTAU[1], minutes=30, nav_status=6))
    assert of(engine, "distress") == []
