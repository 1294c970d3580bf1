"""GNSS interference: the positions of several ships jump together to one point."""

from datetime import timedelta

from littoral.records import Priority

from .scripts import T0, of, run, track

SPOOF = (49.93, 40.40)
"""A point in the sea off Baku, where the spoofed positions fall."""
SHIPS = {
    273_000_001: (50.6, 41.2),
    423_000_002: (51.2, 40.8),
    436_000_003: (50.9, 39.9),
    422_000_004: (51.5, 41.6),
}


def ship(mmsi: int, lon: float, lat: float, jump_at_min: float | None, to=SPOOF, spread=0.0):
    before = track(mmsi, T0, lon, lat, minutes=60, speed_kn=10, every_s=60)
    if jump_at_min is None:
        return before
    kept = [r for r in before if r.time < T0 + timedelta(minutes=jump_at_min)]
    spoofed = track(mmsi, T0 + timedelta(minutes=jump_at_min), to[0] + spread, to[1],
                    minutes=20, every_s=60)  # fmt: skip
    return kept + spoofed


def test_ships_jumping_to_one_point_raise_one_alert():
    records = []
    for k, (mmsi, (lon, lat)) in enumerate(SHIPS.items()):
        records += ship(mmsi, lon, lat, 30 + 2 * k, spread=0.002 * k)
    engine, _ = run(records, until=T0 + timedelta(hours=3))
    (alert,) = of(engine, "interference")
    assert alert.priority == Priority.HIGH
    assert alert.mmsis == tuple(sorted(SHIPS))
    assert alert.start == T0 + timedelta(minutes=30)
    assert "GNSS interference: positions of 3 vessels" in alert.reason
    assert abs(alert.lon - SPOOF[0]) < 0.01
    assert abs(alert.lat - SPOOF[1]) < 0.01
    assert alert.end is not None  # closed an hour after the last jump


def test_two_ships_or_scattered_jumps_are_not_interference():
    pair = [r for mmsi, (lon, lat) in list(SHIPS.items())[:2]
            for r in ship(mmsi, lon, lat, 30)]  # fmt: skip
    engine, _ = run(pair)
    assert of(engine, "interference") == []
    assert of(engine, "integrity")  # each jump is still an integrity alert
    apart = []
    for k, (mmsi, (lon, lat)) in enumerate(SHIPS.items()):
        apart += ship(mmsi, lon, lat, 30, to=(49.9 + 0.3 * k, 40.2 + 0.2 * k))
    engine, _ = run(apart)
    assert of(engine, "interference") == []


def test_jumps_far_apart_in_time_are_not_one_cluster():
    records = []
    for k, (mmsi, (lon, lat)) in enumerate(list(SHIPS.items())[:3]):
        records += ship(mmsi, lon, lat, 5 + 20 * k)  # 20 min apart, window 15 min
    engine, _ = run(records)
    assert of(engine, "interference") == []
