from datetime import timedelta

from littoral.geo import destination
from littoral.records import AlertStatus, Priority
from littoral.records.reports import PositionReport

from .scripts import OPEN_SEA, T0, of, run, track

SHIP = 423_333_444
INLAND = (48.5, 41.0)
"""Azerbaijan, foothills of the Greater Caucasus: 130 km from the nearest port."""
M = timedelta(minutes=1)


def checks(engine):
    return sorted(a.details["check"] for a in of(engine, "integrity"))


def test_position_on_land_raises():
    engine, _ = run(track(SHIP, T0, *INLAND, minutes=9))
    assert checks(engine) == ["on_land"]
    (alert,) = of(engine, "integrity")
    assert alert.details["count"] == 4
    assert "on land at 41°00.0′N 048°30.0′E" in alert.reason


def test_quays_on_the_charted_coast_are_not_on_land():
    # Baku Bay port point and the shore line there differ by up to a few km
    engine, _ = run(track(SHIP, T0, 49.86, 40.37, minutes=9))
    assert checks(engine) == []


def test_implied_speed_over_thirty_knots_raises_and_under_does_not():
    far = destination(*OPEN_SEA, 90.0, 31 * 1852.0 / 6)  # 31 kn for 10 minutes
    near = destination(*OPEN_SEA, 90.0, 29 * 1852.0 / 6)  # 29 kn for 10 minutes
    jumper = [*track(SHIP, T0, *OPEN_SEA, minutes=0)]
    jumper += track(SHIP, T0 + 10 * M, float(far[0]), float(far[1]), minutes=0)
    honest = [*track(423_000_002, T0, *OPEN_SEA, minutes=0)]
    honest += track(423_000_002, T0 + 10 * M, float(near[0]), float(near[1]), minutes=0)
    engine, _ = run(jumper + honest)
    (alert,) = of(engine, "integrity")
    assert alert.mmsis == (SHIP,)
    assert alert.details["check"] == "speed"
    assert alert.start == T0 + 10 * M
    assert "jumped 5.2 NM in 10.0 min (31 kn)" in alert.reason


def test_gnss_noise_is_not_a_jump():
    noisy = [
        PositionReport(
            mmsi=SHIP,
            time=T0 + timedelta(seconds=2 * k),
            lon=51.0 + 0.003 * (k % 2),
            lat=42.0,
            msg_type=1,
        )
        for k in range(10)
    ]  # 250 m back and forth every 2 s
    engine, _ = run(noisy)
    assert checks(engine) == []


def test_one_mmsi_at_two_places_at_once():
    other = destination(*OPEN_SEA, 45.0, 60 * 1852.0)
    records = []
    for k in range(12):
        x, y = OPEN_SEA if k % 2 == 0 else (float(other[0]), float(other[1]))
        records += track(SHIP, T0 + timedelta(seconds=30 * k), x, y, minutes=0)
    engine, _ = run(records)
    twin = [a for a in of(engine, "integrity") if a.details["check"] == "twin"]
    assert len(twin) == 1
    assert twin[0].priority == Priority.HIGH
    assert "two places at once, 60.0 NM apart: two ships on one MMSI" in twin[0].reason
    ships = twin[0].details["ships"]
    assert len(ships) == 2
    places = sorted((round(s["lon"], 3), round(s["lat"], 3)) for s in ships)
    assert places == sorted([OPEN_SEA, (round(float(other[0]), 3), round(float(other[1]), 3))])


def test_sar_aircraft_may_fly_fast():
    fast = destination(*OPEN_SEA, 90.0, 120 * 1852.0 / 6)
    plane = [
        PositionReport(mmsi=111_273_456, time=T0, lon=OPEN_SEA[0], lat=OPEN_SEA[1], msg_type=9),
        PositionReport(
            mmsi=111_273_456, time=T0 + 10 * M, lon=float(fast[0]), lat=float(fast[1]), msg_type=9
        ),
        PositionReport(
            mmsi=111_273_456, time=T0 + 20 * M, lon=INLAND[0], lat=INLAND[1], msg_type=9
        ),
    ]
    engine, _ = run(plane)
    assert checks(engine) == []


def test_invalid_mmsi_raises_once_and_closes_when_quiet():
    engine, _ = run(
        track(100_123_456, T0, *OPEN_SEA, minutes=30), until=T0 + 3 * timedelta(hours=1)
    )
    (alert,) = of(engine, "integrity")
    assert alert.details["check"] == "invalid_mmsi"
    assert alert.status == AlertStatus.CLOSED
    assert "invalid MMSI" in alert.reason


def test_just_inside_the_coast_line_is_not_on_land():
    from littoral.geo import CaspianSea, WaterClass

    sea = CaspianSea.load()
    beach, inland = (48.936, 41.5), (48.925, 41.5)  # Azerbaijan coast north of Siyazan
    assert sea.classify(*beach) == WaterClass.LAND
    assert float(sea.distance_to_shore_m(*beach)) < 500
    assert float(sea.distance_to_shore_m(*inland)) > 500
    engine, _ = run(track(SHIP, T0, *beach, minutes=9))
    assert checks(engine) == []
    engine, _ = run(track(SHIP, T0, *inland, minutes=9))
    assert checks(engine) == ["on_land"]
