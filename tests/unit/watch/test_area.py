import json
from datetime import timedelta

from littoral.records import AlertStatus, Priority
from littoral.watch.config_file import config_from_mapping

from .scripts import OPEN_SEA, T0, of, run, track

BOX = [[50.9, 41.9], [51.1, 41.9], [51.1, 42.1], [50.9, 42.1], [50.9, 41.9]]
WEST = (50.8, 42.0)
M = timedelta(minutes=1)


def config(**filters):
    return config_from_mapping({"area": [{"name": "Box", "polygon": BOX, **filters}]})


def crossing(mmsi, speed_kn=10.0):
    # from 50.8E due east through the box (50.9-51.1E) and out beyond 51.1E
    return track(mmsi, T0, *WEST, minutes=150, speed_kn=speed_kn, every_s=60)


def test_entry_raises_and_exit_closes():
    engine, _ = run(crossing(273_000_001), config=config(priority="high"))
    (alert,) = of(engine, "area")
    assert alert.priority == Priority.HIGH
    assert alert.status == AlertStatus.CLOSED
    assert alert.reason.startswith("Vessel 273000001 (Russian Federation) entered area Box")
    assert 50.9 <= alert.lon <= 50.91
    assert 51.1 <= alert.evidence[-1].lon <= 51.11


def test_a_vessel_first_seen_inside_has_entered():
    engine, _ = run(track(273_000_001, T0, *OPEN_SEA, minutes=10), config=config())
    assert len(of(engine, "area")) == 1


def test_flag_filter():
    records = crossing(273_000_001) + crossing(352_000_002)
    engine, _ = run(records, config=config(non_littoral=True))
    assert [a.mmsis for a in of(engine, "area")] == [(352_000_002,)]
    engine, _ = run(records, config=config(flags=["RU"]))
    assert [a.mmsis for a in of(engine, "area")] == [(273_000_001,)]
    engine, _ = run(records, config=config(flags=["Panama"]))
    assert [a.mmsis for a in of(engine, "area")] == [(352_000_002,)]


def test_speed_filter():
    records = crossing(273_000_001, speed_kn=10.0) + crossing(273_000_002, speed_kn=4.0)
    engine, _ = run(records, config=config(max_speed_kn=5.0))
    assert [a.mmsis for a in of(engine, "area")] == [(273_000_002,)]


def test_area_from_geojson_file(tmp_path):
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [BOX]},
    }
    (tmp_path / "box.geojson").write_text(json.dumps(feature))
    (tmp_path / "rules.toml").write_text('[[area]]\nname = "Box"\ngeojson = "box.geojson"\n')
    from littoral.watch import load_config

    engine, _ = run(crossing(273_000_001), config=load_config(tmp_path / "rules.toml"))
    assert len(of(engine, "area")) == 1
