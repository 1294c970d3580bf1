from datetime import timedelta

from littoral.records import AlertStatus
from littoral.watch import Engine

from .scripts import ACG, OPEN_SEA, T0, of, run, track

SHIP = 273_111_222
H = timedelta(hours=1)


def sailing(mmsi=SHIP, start=T0, where=OPEN_SEA, minutes=120, speed_kn=10.0, every_s=600):
    return track(mmsi, start, *where, minutes=minutes, speed_kn=speed_kn, every_s=every_s)


def test_silence_of_six_hours_raises_at_six_hours_not_before():
    records = sailing()
    last = records[-1].time
    engine, _ = run(records, until=last + 6 * H - timedelta(minutes=1))
    assert of(engine, "going_dark") == []
    handed = engine.finish(last + 6 * H)
    (alert,) = of(engine, "going_dark")
    assert alert.start == last
    assert alert.status == AlertStatus.OPEN
    assert alert.details["threshold_s"] == 6 * 3600
    assert [a.id for a in handed] == [alert.id]
    assert "silent for over 6 h" in alert.reason


def test_near_an_offshore_field_one_hour_is_enough():
    records = sailing(where=ACG, minutes=60, speed_kn=2.0)
    last = records[-1].time
    engine, _ = run(records, until=last + H - timedelta(minutes=1))
    assert of(engine, "going_dark") == []
    engine.finish(last + H)
    (alert,) = of(engine, "going_dark")
    assert alert.details["threshold_s"] == 3600


def test_inside_inferred_receiver_coverage_one_hour_is_enough():
    cell = (51.05, 42.05)  # inside one 0.2-degree coverage cell, away from its edges
    anchored = track(423_000_001, T0, *cell, minutes=60, every_s=60)  # 61 reports here
    passing = sailing(start=T0, where=cell, minutes=60, speed_kn=2.0)
    last = passing[-1].time
    engine, _ = run(anchored + passing, until=last + H)
    alerts = {a.mmsis[0]: a for a in of(engine, "going_dark")}
    assert alerts[SHIP].start == last
    assert alerts[SHIP].details["threshold_s"] == 3600


def test_reappearance_closes_with_duration():
    before = sailing()
    after = sailing(start=before[-1].time + 7 * H, minutes=30)
    engine, _ = run(before + after)
    (alert,) = of(engine, "going_dark")
    assert alert.status == AlertStatus.CLOSED
    assert alert.end == after[0].time
    assert alert.details["duration_s"] == 7 * 3600


def test_silence_just_short_of_threshold_raises_nothing():
    before = sailing()
    after = sailing(start=before[-1].time + 6 * H - timedelta(minutes=10), minutes=30)
    engine, _ = run(before + after, until=after[-1].time)
    assert of(engine, "going_dark") == []


def test_aids_to_navigation_and_barely_seen_vessels_do_not_go_dark():
    aton = sailing(mmsi=992_731_234, speed_kn=0.0)
    brief = sailing(mmsi=273_999_999, minutes=20)  # three reports
    engine, _ = run(aton + brief, until=T0 + 12 * H)
    assert of(engine, "going_dark") == []


def test_late_report_inside_open_gap_withdraws_and_reopens_from_it():
    records = sailing()
    last = records[-1].time
    engine, _ = run(records, until=last + 7 * H)
    (first,) = of(engine, "going_dark")
    late = track(SHIP, last + 3 * H, *OPEN_SEA, minutes=0)
    handed = engine.process(late)
    assert engine.stats["late"] == 1
    assert [a.id for a in handed] == [first.id]
    assert handed[0].status == AlertStatus.CLOSED
    assert "withdrawn" in handed[0].details
    engine.finish(last + 9 * H - timedelta(minutes=1))
    assert len(of(engine, "going_dark")) == 1
    engine.finish(last + 9 * H)
    second = of(engine, "going_dark")[1]
    assert second.start == last + 3 * H
    assert second.status == AlertStatus.OPEN


def test_late_report_inside_closed_gap_cuts_it_in_two():
    before = sailing()
    a = before[-1].time
    after = sailing(start=a + 14 * H, minutes=30)
    engine, _ = run(before + after)
    engine.process(track(SHIP, a + 7 * H, *OPEN_SEA, minutes=0))
    gaps = sorted(of(engine, "going_dark"), key=lambda x: x.start)
    assert [(g.start, g.end) for g in gaps] == [(a, a + 7 * H), (a + 7 * H, a + 14 * H)]
    assert all(g.status == AlertStatus.CLOSED for g in gaps)


def test_same_records_give_same_alert_ids():
    ids = []
    for _ in range(2):
        engine, _ = run(sailing(), until=T0 + 12 * H, engine=Engine())
        ids.append([a.id for a in engine.alerts])
    assert ids[0] == ids[1]
    assert ids[0] == [f"going_dark:{SHIP}:20260501T080000Z"]


def test_falling_silent_in_port_is_not_going_dark():
    from littoral.geo import destination

    from .scripts import AKTAU

    berth = destination(AKTAU[0], AKTAU[1], 270.0, 2_000.0)
    records = sailing(where=(float(berth[0]), float(berth[1])), speed_kn=0.0)
    engine, _ = run(records, until=records[-1].time + 12 * H)
    assert of(engine, "going_dark") == []


def test_late_report_of_a_vessel_never_seen_is_counted_and_harmless():
    records = sailing()
    engine, _ = run(records, until=records[-1].time + 7 * H)
    engine.process(track(423_777_888, T0 + H, *OPEN_SEA, minutes=0))
    assert engine.stats["late"] == 1
    assert [a.mmsis for a in of(engine, "going_dark")] == [(SHIP,)]
