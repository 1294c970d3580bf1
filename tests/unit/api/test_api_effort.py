"""Live effort through the web service: the alert, the plan, AIS lines in, the POS refreshed.

The service's own pass (``effort_interval_s``) records a linked helicopter's type 9 reports
posted to the feed as its searched effort, with nothing uploaded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyais
import pytest
from api_env import PASSWORD, Env, make_settings
from fastapi.testclient import TestClient

from littoral.api import create_app
from littoral.clock import FixedClock
from littoral.exercise.nmea import tag_block
from littoral.store import open_store

ALERTS = Path(__file__).resolve().parents[2] / "data" / "alerts"
DETECTED = datetime(2026, 12, 4, 9, 45, tzinfo=UTC)
HELO = 111_423_007


@pytest.fixture
def fast_env(tmp_path: Path) -> Iterator[Env]:
    settings = make_settings(tmp_path, effort_interval_s=0.05)
    clock = FixedClock(DETECTED)
    store = open_store(settings.db_url)
    app = create_app(settings, store, clock)
    with TestClient(app) as client:
        environment = Env(app, client, clock, settings, tmp_path / "littoral.db")
        environment.add_user("admin.az", "AZ", "admin", PASSWORD)
        environment.add_user("coord.az", "AZ", "coordinator", PASSWORD)
        yield environment
    store.close()


def _wait_run(env: Env, run_id: int, headers: dict[str, str]) -> None:
    env.services.jobs.wait(run_id, 120)
    run = env.client.get(f"/api/runs/{run_id}", headers=headers).json()
    assert run["status"] == "done", run["message"]


def test_the_service_turns_posted_ais_into_searched_effort(fast_env: Env) -> None:
    env = fast_env
    az, admin = env.login("coord.az"), env.login("admin.az")
    text = {**az, "Content-Type": "text/plain"}
    for name in ("sit185_initial_ambiguous.txt", "sit185_confirmed.txt"):
        response = env.client.post(
            "/api/alerts/intake", content=(ALERTS / name).read_text(), headers=text
        )
        assert response.status_code == 200, response.text
    cid = response.json()["case_id"]
    env.client.put(
        f"/api/cases/{cid}/environment",
        json={"wind_from_deg": 320, "wind_speed_kn": 14, "current_to_deg": 160,
              "current_speed_kn": 0.4, "visibility_nm": 10, "sea_height_m": 1},
        headers=az,
    )  # fmt: skip
    unit = env.client.post(
        f"/api/cases/{cid}/units",
        json={"name": "Helo 7", "platform": "helicopter", "speed_kn": 90, "endurance_h": 3,
              "base_lon": 50.7, "base_lat": 40.3, "mmsi": HELO},
        headers=az,
    ).json()  # fmt: skip
    drift = env.client.post(
        f"/api/cases/{cid}/drift", json={"particles": 300, "duration_h": 6}, headers=az
    ).json()
    _wait_run(env, drift["id"], az)
    plan = env.client.post(
        f"/api/cases/{cid}/plan", json={"start_time": "2026-12-04T09:50:00Z"}, headers=az
    ).json()
    _wait_run(env, plan["id"], az)
    (area,) = env.client.get(f"/api/cases/{cid}/plan", headers=az).json()["areas"]
    on_scene = datetime.fromisoformat(area["on_scene"]).replace(microsecond=0)
    (lon0, lat0), (lon1, lat1) = area["pattern"]["waypoints"][:2]
    lines = []
    for k in range(7):  # a minute along the first leg, a report every 10 s
        when = on_scene + timedelta(seconds=1 + 10 * k)
        f = k / 6 * 0.2
        (sentence,) = pyais.encode_dict(
            {"type": 9, "mmsi": HELO, "lon": lon0 + f * (lon1 - lon0),
             "lat": lat0 + f * (lat1 - lat0), "speed": 90, "alt": 500},
            sentence_type="VDM",
        )  # fmt: skip
        lines.append(tag_block("AZ-BAK", int(when.timestamp())) + sentence)
    posted = env.client.post(
        "/api/feed/nmea", content="\n".join(lines), headers={**admin, "Content-Type": "text/plain"}
    )
    assert posted.status_code == 200, posted.text
    vessel = env.client.get(f"/api/vessels/{HELO}", headers=az).json()
    assert vessel["lon"] is not None  # the type 9 reports reached the picture
    env.clock.set(on_scene + timedelta(seconds=80))
    deadline = time.monotonic() + 60.0
    coverage = {}
    while time.monotonic() < deadline:
        coverage = env.client.get(f"/api/cases/{cid}/coverage", headers=az).json()
        if coverage["updates"]:
            break
        time.sleep(0.1)
    (helo,) = coverage["units"]
    assert (helo["unit_id"], helo["mmsi"]) == (unit["id"], HELO)
    assert helo["actual"]["points"] == 7
    assert helo["actual"]["track_nm"] > 0
    assert coverage["cumulative_pos"] is not None
    log = env.client.get(f"/api/cases/{cid}/log", headers=az).json()
    assert any(e["user_name"] == "live-effort" and e["action"] == "update" for e in log)
