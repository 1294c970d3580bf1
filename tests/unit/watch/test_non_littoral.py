from datetime import timedelta

import pytest

from littoral.records import AlertStatus
from littoral.watch.config import NonLittoralConfig, WatchConfig

from .scripts import OPEN_SEA, T0, of, run, static, track

ALPHA = 352_001_234
H = timedelta(hours=1)


def test_foreign_ship_seen_in_the_sea():
    engine, _ = run([static(ALPHA, "ALPHA"), *track(ALPHA, T0, *OPEN_SEA, minutes=30)])
    (alert,) = of(engine, "non_littoral")
    assert alert.start == T0
    assert alert.details["event"] == "seen"
    assert alert.reason.startswith(
        "Non-littoral vessel ALPHA (Panama, 352001234) seen in the Caspian Sea"
    )
    assert "NM off Kuryk port" in alert.reason


def test_not_seen_again_within_the_window_but_after_it():
    cfg = WatchConfig(non_littoral=NonLittoralConfig(window_s=24 * 3600, territorial=False))
    records = track(ALPHA, T0, *OPEN_SEA, minutes=30)
    records += track(ALPHA, T0 + 12 * H, *OPEN_SEA, minutes=30)  # back after a 12 h silence
    records += track(ALPHA, T0 + 36 * H, *OPEN_SEA, minutes=30)  # and after the window
    engine, _ = run(records, config=cfg)
    alerts = of(engine, "non_littoral")
    assert [a.start for a in alerts] == [T0, T0 + 36 * H]
    assert alerts[0].status == AlertStatus.CLOSED
    assert alerts[0].end == T0 + 30 * timedelta(minutes=1)


def test_littoral_ships_and_stations_that_are_not_ships_are_not_reported():
    records = []
    for mmsi in (
        273_001_234,  # Russia
        423_001_234,  # Azerbaijan
        993_521_234,  # aid to navigation (Panama MID)
        111_352_123,  # SAR aircraft (Panama MID)
        970_012_345,  # AIS-SART
        3_521_234,  # coast station 003521234
        983_521_234,  # craft of a parent ship
    ):
        records += track(mmsi, T0, *OPEN_SEA, minutes=10, nav_status=15)
    engine, _ = run(records)
    assert of(engine, "non_littoral") == []


def test_entering_a_territorial_band_raises_within_one_report_and_leaving_closes():
    zones = pytest.importorskip("littoral.geo.zones")
    band_territorial, zone_at = zones.Band.TERRITORIAL, zones.zone_at
    inbound = track(ALPHA, T0, 51.2, 40.3, minutes=90, speed_kn=12.0, course_deg=270.0, every_s=60)
    back = inbound[-1]
    outbound = track(
        ALPHA,
        back.time + timedelta(minutes=1),
        back.lon,
        back.lat,
        minutes=90,
        speed_kn=12.0,
        course_deg=90.0,
        every_s=60,
    )
    russian = track(273_001_234, T0, 51.2, 40.3, minutes=90, speed_kn=12.0, course_deg=270.0)
    records = [static(ALPHA, "ALPHA"), *inbound, *outbound, *russian]
    engine, _ = run(records)
    bands = zone_at([r.lon for r in inbound], [r.lat for r in inbound]).band
    crossing = inbound[int((bands == band_territorial).argmax())].time
    (entered,) = [a for a in of(engine, "non_littoral") if a.details["event"] == "territorial"]
    assert entered.mmsis == (ALPHA,)
    assert entered.start == crossing
    assert entered.reason.startswith(
        "Non-littoral vessel ALPHA (Panama, 352001234) entered Azerbaijan territorial waters "
    )
    assert entered.reason.endswith("NM off Baku Bay")
    assert entered.status == AlertStatus.CLOSED
    assert back.time < entered.end <= back.time + timedelta(minutes=80)
