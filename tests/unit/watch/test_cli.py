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
