from datetime import timedelta

from littoral.geo import destination
from littoral.records import AlertStatus, Priority
from littoral.watch import Engine
from littoral.watch.config import EncounterConfig, WatchConfig

from .scripts import ACG, AKTAU, OPEN_SEA, T0, of, run, static, track

A, B = 273_100_001, 352_100_002
M = timedelta(minutes=1)
H = timedelta(hours=1)


def pair(apart_m=300.0, minutes=150, where=OPEN_SEA, start=T0, speed_kn=0.5, every_s=120):
    other = destination(where[0], where[1], 0.0, apart_m)
    a = track(A, start, *where, minutes=minutes, speed_kn=speed_kn, every_s=every_s)
    b = track(
        B,
        start + timedelta(seconds=30),
        float(other[0]),
        float(other[1]),
        minutes=minutes,
        speed_kn=speed_kn,
        every_s=every_s,
    )
    return a + b


def test_two_hours_side_by_side_raises_at_two_hours():
    engine = Engine()
    records = sorted(pair(), key=lambda r: r.time)
    engine.process([r for r in records if r.time < T0 + 118 * M])
    engine.finish(T0 + 118 * M)
    assert of(engine, "encounter") == []
    engine.process([r for r in records if T0 + 118 * M <= r.time < T0 + 122 * M])
    engine.finish(T0 + 122 * M)
    (alert,) = of(engine, "encounter")
    assert alert.mmsis == (A, B)
    assert alert.priority == Priority.MEDIUM
    assert T0 <= alert.start <= T0 + 2 * M
    assert "Encounter of 273100001 (Russian Federation) and 352100002 (Panama)" in alert.reason
    assert {e.mmsi for e in alert.evidence} == {A, B}


def test_encounter_closes_when_they_part():
    records = pair() + track(A, T0 + 153 * M, *OPEN_SEA, minutes=60, speed_kn=10.0, course_deg=180)
    engine, _ = run(records + pair(start=T0 + 153 * M, minutes=60, apart_m=20_000)[60:])
    (alert,) = of(engine, "encounter")
    assert alert.status == AlertStatus.CLOSED
    assert T0 + 148 * M <= alert.end <= T0 + 152 * M


def test_just_over_the_distance_raises_nothing():
    engine, _ = run(pair(apart_m=520.0))
    assert of(engine, "encounter") == []


def test_just_short_of_the_time_raises_nothing():
    engine, _ = run(pair(minutes=115) + pair(start=T0 + 118 * M, apart_m=5_000, minutes=60))
    assert of(engine, "encounter") == []


def test_too_fast_raises_nothing():
    engine, _ = run(pair(speed_kn=3.0))
    assert of(engine, "encounter") == []


def test_near_a_port_raises_nothing():
    near = destination(AKTAU[0], AKTAU[1], 270.0, 6_000.0)
    engine, _ = run(pair(where=(float(near[0]), float(near[1]))))
    assert of(engine, "encounter") == []


def test_service_vessel_at_its_platform_is_not_an_encounter():
    records = [static(A, "SUPPLIER", ship_type=52), *pair(where=ACG)]
    engine, _ = run(records)
    assert of(engine, "encounter") == []


def test_short_form_finds_a_brief_close_rendezvous():
    short = WatchConfig(encounter=EncounterConfig(max_distance_m=250.0, min_duration_s=1800.0))
    records = pair(apart_m=200.0, minutes=40)
    engine, _ = run(records, config=short)
    assert len(of(engine, "encounter")) == 1
    engine, _ = run(records)
    assert of(engine, "encounter") == []


def test_encounters_less_than_four_hours_apart_merge():
    first = pair()
    second = pair(start=T0 + 150 * M + 3 * H)
    engine, _ = run(first + second, until=T0 + 12 * H)
    (alert,) = of(engine, "encounter")
    assert alert.start <= T0 + 2 * M
    assert alert.end >= T0 + 150 * M + 3 * H + 148 * M


def test_encounters_more_than_four_hours_apart_stay_apart():
    first = pair()
    second = pair(start=T0 + 150 * M + 5 * H)
    engine, _ = run(first + second)
    assert len(of(engine, "encounter")) == 2


def test_the_pair_is_found_among_many_vessels():
    crowd = []
    for k in range(300):
        where = destination(OPEN_SEA[0], OPEN_SEA[1], (k * 37) % 360, 2_000.0 + 700.0 * k)
        crowd += track(
            423_500_000 + k, T0, float(where[0]), float(where[1]), minutes=150, every_s=600
        )
    engine, _ = run(crowd + pair())
    assert [a.mmsis for a in of(engine, "encounter")] == [(A, B)]
