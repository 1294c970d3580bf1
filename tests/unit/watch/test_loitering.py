from datetime import timedelta

from littoral.geo import destination
from littoral.records import AlertStatus, Priority
from littoral.watch import Engine

from .scripts import ACG, AKTAU, OPEN_SEA, T0, of, run, static, track

SHIP = 436_222_333
M = timedelta(minutes=1)


def drift(mmsi=SHIP, where=OPEN_SEA, minutes=150, speed_kn=1.0, **kw):
    return track(mmsi, T0, *where, minutes=minutes, speed_kn=speed_kn, course_deg=0.0, **kw)


def test_slow_for_two_hours_raises_at_two_hours():
    records = drift()
    engine = Engine()
    engine.process([static(SHIP, "DRIFTER"), *[r for r in records if r.time < T0 + 117 * M]])
    engine.finish(T0 + 117 * M)
    assert of(engine, "loitering") == []
    handed = engine.process([r for r in records if T0 + 117 * M <= r.time <= T0 + 120 * M])
    handed += engine.finish(T0 + 120 * M)
    (alert,) = of(engine, "loitering")
    assert alert.id in [a.id for a in handed]
    assert alert.start == T0
    assert alert.details["raised_at"] == (T0 + 120 * M).isoformat()
    assert alert.priority == Priority.MEDIUM
    assert alert.reason.startswith("Vessel DRIFTER (Kazakhstan, 436222333) loitering under 2 kn")


def test_run_ends_when_the_vessel_speeds_up():
    slow = drift()
    fast = track(SHIP, slow[-1].time + 3 * M, *OPEN_SEA, minutes=30, speed_kn=12.0)
    engine, _ = run(slow + fast)
    (alert,) = of(engine, "loitering")
    assert alert.status == AlertStatus.CLOSED
    assert alert.end == slow[-1].time
    assert alert.details["duration_s"] == 150 * 60


def test_implied_speed_is_used_when_sog_is_missing():
    engine, _ = run(drift(sog=False))
    assert len(of(engine, "loitering")) == 1


def test_just_short_of_two_hours_raises_nothing():
    slow = drift(minutes=117)
    fast = track(SHIP, slow[-1].time + 3 * M, *OPEN_SEA, minutes=30, speed_kn=12.0)
    engine, _ = run(slow + fast)
    assert of(engine, "loitering") == []


def test_just_over_the_speed_raises_nothing():
    engine, _ = run(drift(speed_kn=2.1))
    assert of(engine, "loitering") == []


def test_port_distance_decides():
    inside = destination(AKTAU[0], AKTAU[1], 270.0, 9_500.0)
    outside = destination(AKTAU[0], AKTAU[1], 270.0, 10_500.0)
    near = drift(mmsi=436_000_001, where=(float(inside[0]), float(inside[1])), speed_kn=0.5)
    far = drift(mmsi=436_000_002, where=(float(outside[0]), float(outside[1])), speed_kn=0.5)
    engine, _ = run(near + far)
    assert [a.mmsis for a in of(engine, "loitering")] == [(436_000_002,)]


def test_near_an_offshore_field_it_is_high_priority():
    engine, _ = run([static(SHIP, "STRANGER", ship_type=70), *drift(where=ACG)])
    (alert,) = of(engine, "loitering")
    assert alert.priority == Priority.HIGH
    assert alert.details["field"] == "ACG complex"


def test_service_vessel_at_its_platform_is_not_loitering():
    engine, _ = run([static(SHIP, "SUPPLIER", ship_type=52), *drift(where=ACG)])
    assert of(engine, "loitering") == []
