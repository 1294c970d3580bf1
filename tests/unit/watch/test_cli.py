import json
from datetime import timedelta

import pytest

from littoral.cli.main import main
from littoral.store import open_store
from littoral.tracks.state import VesselState

from .scripts import OPEN_SEA, T0, track

SART = 970_123_456
SHIP = 436_222_333


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "picture.sqlite"
    store = open_store(path)
    drifting = track(SHIP, T0, *OPEN_SEA, minutes=150, speed_kn=1.0, course_deg=0.0)
    sart = track(SART, T0 + timedelta(hours=1), 51.5, 41.5, minutes=10, every_s=60, nav_status=14)
    store.positions.add(drifting + sart)
    store.vessels.upsert(
        [
            VesselState(
                mmsi=SHIP, first_seen=T0, last_seen=drifting[-1].time, name="DRIFTER", ship_type=70
            ),
            VesselState(mmsi=SART, first_seen=sart[0].time, last_seen=sart[-1].time),
        ]
    )
    store.close()
    return path


def test_watch_run_stores_and_prints_alerts(db, capsys):
    assert main(["watch", "run", "--db", str(db)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {x["rule"] for x in lines} == {"loitering", "distress"}
    loiter = next(x for x in lines if x["rule"] == "loitering")
    assert loiter["reason"].startswith("Vessel DRIFTER (Kazakhstan, 436222333) loitering")
    assert loiter["start"] == "2026-05-01T06:00:00Z"
    store = open_store(db)
    stored = {s.alert.id: s.alert for s in store.alerts.find()}
    store.close()
    assert set(stored) == {x["id"] for x in lines}
    # a second run over the same history changes nothing
    assert main(["watch", "run", "--db", str(db), "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert "CRITICAL" in table
    assert "DRIFTER" in table
    store = open_store(db)
    assert len(store.alerts.find()) == len(stored)
    store.close()


def test_time_window_and_bad_times(db, capsys):
    assert (
        main(
            [
                "watch",
                "run",
                "--db",
                str(db),
                "--no-store",
                "--from",
                "2026-05-01T06:30Z",
                "--to",
                "2026-05-01T07:30Z",
            ]
        )
        == 0
    )
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["rule"] for x in lines] == ["distress"]
    store = open_store(db)
    assert store.alerts.find() == []
    store.close()
    assert main(["watch", "run", "--db", str(db), "--from", "2026-05-01T06:30"]) == 2
    assert "naive" in capsys.readouterr().err
    assert main(["watch", "run", "--db", str(db), "--from", "yesterday"]) == 2
    assert "--from='yesterday'" in capsys.readouterr().err


def test_bad_rules_file_is_refused(db, tmp_path, capsys):
    rules = tmp_path / "rules.toml"
    rules.write_text("[loitering]\nmax_speed_kn = -2\n")
    assert main(["watch", "run", "--db", str(db), "--rules", str(rules)]) == 2
    assert "loitering.max_speed_kn=-2" in capsys.readouterr().err


def test_watch_run_counts_traffic_outside_the_area_and_raises_nothing_for_it(tmp_path, capsys):
    path = tmp_path / "world.sqlite"
    store = open_store(path)
    houston = track(SHIP, T0, -95.0, 29.7, minutes=240, speed_kn=0.5)  # loitering, far away
    store.positions.add(houston)
    store.vessels.upsert([VesselState(mmsi=SHIP, first_seen=T0, last_seen=houston[-1].time)])
    store.close()
    assert main(["watch", "run", "--db", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{len(houston)} outside the area of application" in captured.err


def test_live_ingest_prints_unacknowledged_distress_again_until_acknowledged(tmp_path):
    from littoral.cli.ais_picture import DistressReminder
    from littoral.clock import FixedClock
    from littoral.records import Alert, Priority

    clock = FixedClock(T0)
    mob = Alert("distress:beacon:972000001:x", "distress", Priority.CRITICAL, (972000001,), T0,
                51.0, 42.0, "DISTRESS: MOB device active")  # fmt: skip
    with open_store(tmp_path / "live.sqlite") as store:
        store.alerts.upsert([mob], T0)
        reminder = DistressReminder(store, clock, interval_s=300.0, check_s=5.0)
        reminder.announced([mob])  # printed by the ingest when raised
        assert reminder.check(0.0) == []
        clock.advance(timedelta(minutes=5))
        assert reminder.check(1.0) == []  # checked less than 5 s ago
        (line,) = reminder.check(6.0)
        printed = json.loads(line)
        assert (printed["id"], printed["priority"], printed["renotify"]) == (
            mob.id, "CRITICAL", True,
        )  # fmt: skip
        store.alerts.acknowledge(mob.id, "officer.aliyev", "MRCC Baku informed", clock.now())
        clock.advance(timedelta(minutes=10))
        assert reminder.check(20.0) == []
