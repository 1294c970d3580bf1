"""Regional scope: traffic outside the Caspian and its approaches is counted, never alerted."""

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from littoral.ais import Decoder, RawLine
from littoral.errors import InputError
from littoral.records.reports import PositionReport, SafetyReport
from littoral.watch import Engine
from littoral.watch.config_file import config_from_mapping
from littoral.watch.geoview import GeoView
from littoral.watch.scope import AREA, OUTSIDE, WATCHED, Scope

from .scripts import OPEN_SEA, T0, of, run, track

PLACES = {
    "Aktau": ((51.22, 43.61), WATCHED),
    "Astrakhan, Volga delta": ((47.97, 46.45), WATCHED),
    "Volga-Don canal lock 1, Krasnoarmeysk": ((44.56, 48.52), WATCHED),
    "Kalach-na-Donu": ((43.53, 48.69), WATCHED),
    "Atyrau, Ural mouth": ((51.92, 47.10), WATCHED),
    "Kara-Bogaz-Gol": ((53.5, 41.2), WATCHED),
    "Houston": ((-95.0, 29.7), OUTSIDE),
    "Novorossiysk, Black Sea": ((37.8, 44.7), OUTSIDE),
    "Saratov, middle Volga": ((46.0, 51.5), OUTSIDE),
    "Tehran": ((51.4, 35.7), OUTSIDE),
    "Tbilisi": ((44.8, 41.7), OUTSIDE),
}


@pytest.fixture(scope="module")
def geo() -> GeoView:
    return GeoView()


def test_default_area_is_the_caspian_and_its_approaches(geo):
    scope = Scope(config_from_mapping({}).scope, geo)
    lon = np.array([p[0][0] for p in PLACES.values()])
    lat = np.array([p[0][1] for p in PLACES.values()])
    got = dict(zip(PLACES, scope.classify(lon, lat).tolist(), strict=True))
    assert got == {name: want for name, (_, want) in PLACES.items()}


WORLD_PORTS = [(-95.0, 29.7), (4.3, 51.9), (103.8, 1.3), (37.8, 44.7), (-74.0, 40.6)]
"""Houston, Rotterdam, Singapore, Novorossiysk, New York."""


def _traffic(ports: list[tuple[float, float]], n_vessels: int) -> list[PositionReport]:
    """Slow, close and jumping traffic in ports, as an aggregator feed has all over the world."""
    out: list[PositionReport] = []
    for k in range(n_vessels):
        lon, lat = ports[k % len(ports)]
        mmsi = 215_000_000 + k  # Malta: a foreign flag, as the non-littoral rule wants
        # pairs side by side, drifting at 0.5 kn for 4 h: loitering and encounters anywhere
        out += track(mmsi, T0, lon + 0.002 * (k % 2), lat + 0.05 * (k // 10), minutes=240,
                     speed_kn=0.5)  # fmt: skip
    lon, lat = ports[0]
    jumper = 352_000_001
    out += track(jumper, T0, lon, lat, minutes=30)
    out += track(jumper, T0 + timedelta(minutes=33), lon + 1.0, lat + 0.5, minutes=30)
    return out


def test_seventeen_thousand_positions_outside_give_no_alert_and_are_counted():
    records = _traffic(WORLD_PORTS, 210)
    assert len(records) > 17_000
    engine, handed = run(records, until=T0 + timedelta(hours=12))
    assert handed == []
    assert engine.stats["outside"] == len(records)


def test_the_same_traffic_in_the_sea_is_alerted():
    # the traffic is not inert: in the middle Caspian it raises every kind of alert
    engine, _ = run(_traffic([OPEN_SEA], 10), until=T0 + timedelta(hours=12))
    assert engine.stats["outside"] == 0
    for rule in ("loitering", "encounter", "integrity", "non_littoral", "going_dark"):
        assert of(engine, rule), rule


def test_a_beacon_outside_is_not_alerted_and_one_up_the_volga_is():
    outside = track(970_111_111, T0, 37.8, 44.7, minutes=10, every_s=60, nav_status=14)
    volga = track(970_222_222, T0, 47.97, 46.45, minutes=10, every_s=60, nav_status=14)
    text = SafetyReport(mmsi=970_111_111, time=T0 + timedelta(minutes=5), msg_type=14,
                        text="MAYDAY")  # fmt: skip
    engine, _ = run([*outside, *volga, text])
    assert [a.mmsis for a in of(engine, "distress")] == [(970_222_222,)]


def test_a_ship_that_sails_out_of_the_area_has_not_gone_dark():
    ship = 273_000_111  # Russia, from Astrakhan up the Volga and on to Saratov
    inside = track(ship, T0, 50.0, 44.0, minutes=120, speed_kn=10)
    outside = track(ship, T0 + timedelta(minutes=123), 46.0, 51.5, minutes=60, speed_kn=10)
    engine, _ = run(inside + outside, until=T0 + timedelta(hours=24))
    assert of(engine, "going_dark") == []
    assert engine.stats["outside"] == len(outside)


def test_zones_of_interest_limit_routine_rules_but_not_distress():
    config = config_from_mapping(
        {
            "scope": {"states": ["AZ"]},
            "zone": [{"name": "Baku approach", "polygon": [[49.5, 40.0], [50.5, 40.0],
                                                           [50.5, 40.6], [49.5, 40.6]]}],
        }
    )  # fmt: skip
    # two ships side by side in the middle Caspian, Kazakhstan's sector: not watched
    pair = track(273_000_001, T0, *OPEN_SEA, minutes=180) + track(
        273_000_002, T0, OPEN_SEA[0] + 0.002, OPEN_SEA[1], minutes=180
    )
    sart = track(970_333_333, T0, *OPEN_SEA, minutes=10, every_s=60, nav_status=14)
    engine, _ = run(pair + sart, config=config)
    assert of(engine, "encounter") == []
    assert len(of(engine, "distress")) == 1
    assert engine.stats["area_only"] == len(pair) + len(sart)
    # the same pair in Azerbaijan's sector is watched
    az = track(423_000_001, T0, 50.0, 41.0, minutes=180) + track(
        423_000_002, T0, 50.002, 41.0, minutes=180
    )
    engine, _ = run(az, config=config)
    assert len(of(engine, "encounter")) == 1
    scope = Scope(config.scope, GeoView())
    assert scope.classify(np.array([50.0]), np.array([40.3])).tolist() == [WATCHED]
    assert scope.classify(np.array([OPEN_SEA[0]]), np.array([OPEN_SEA[1]])).tolist() == [AREA]


def test_scope_can_be_switched_off_and_is_checked():
    config = config_from_mapping({"scope": {"enabled": False}})
    engine, _ = run(track(970_111_112, T0, 37.8, 44.7, minutes=5, nav_status=14), config=config)
    assert len(of(engine, "distress")) == 1
    with pytest.raises(InputError, match=r"scope.states='XX'"):
        config_from_mapping({"scope": {"states": ["XX"]}})
    with pytest.raises(InputError, match=r"\[\[zone\]\]"):
        config_from_mapping({"scope": {"zones": []}})
    with pytest.raises(InputError, match="zone\\['Z'\\] needs exactly one"):
        config_from_mapping({"zone": [{"name": "Z"}]})


def test_engine_has_a_scope_by_default():
    assert Engine().scope.config.enabled


REAL = Path(__file__).resolve().parents[2] / "data" / "ais" / "real" / "pyais-nmea_data_sample.txt"


@pytest.mark.skipif(not REAL.exists(), reason="no real capture in tests/data")
def test_a_real_capture_from_outside_the_caspian_is_counted_and_never_alerted():
    decoder = Decoder()
    lines = [RawLine(text, "real", T0) for text in REAL.read_text().splitlines()]
    batch = decoder.decode_lines(lines)
    tail = decoder.flush()
    records = [*batch.positions, *tail.positions, *batch.statics, *tail.statics]
    records += [*batch.safety, *tail.safety]
    engine, handed = run(records)
    assert handed == []
    assert engine.stats["outside"] == engine.stats["positions"] > 500
    # the same capture with the scope off: alerts the watch must not raise for the Caspian
    engine, handed = run(records, config=config_from_mapping({"scope": {"enabled": False}}))
    assert handed
