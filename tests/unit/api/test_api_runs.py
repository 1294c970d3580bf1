"""Case computations over HTTP: drift in the background, plan, GPX of a completed search."""

from __future__ import annotations

from typing import Any

import pytest
from api_env import Env

CASE = {
    "title": "Man overboard off Pirallahi",
    "datum_lon": 50.5,
    "datum_lat": 40.5,
    "datum_time": "2026-05-01T11:00:00Z",
    "object_class": "PIW-1",
}
ENVIRONMENT = {
    "wind_from_deg": 340,
    "wind_speed_kn": 20,
    "current_to_deg": 180,
    "current_speed_kn": 0.5,
    "visibility_nm": 10,
    "sea_height_m": 1,
}


def wait(env: Env, run: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    env.services.jobs.wait(run["id"], 120)
    done: dict[str, Any] = env.client.get(f"/api/runs/{run['id']}", headers=headers).json()
    return done


def open_case(env: Env, headers: dict[str, str]) -> int:
    cid: int = env.client.post("/api/cases", json=CASE, headers=headers).json()["id"]
    return cid


def test_drift_needs_forcing_and_runs_in_the_background(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    response = env.client.post(f"/api/cases/{cid}/drift", json={}, headers=az)
    assert response.status_code == 422
    assert "forcing" in response.json()["reason"]
    env.client.put(f"/api/cases/{cid}/environment", json=ENVIRONMENT, headers=az)
    bad = {"coast_action": "bounce"}
    response = env.client.post(f"/api/cases/{cid}/drift", json=bad, headers=az)
    assert response.status_code == 422
    assert "coast_action" in response.text
    body = {"particles": 500, "duration_h": 6, "output_min": 60, "coast_action": "previous"}
    response = env.client.post(f"/api/cases/{cid}/drift", json=body, headers=az)
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    run = wait(env, response.json(), az)
    assert run["status"] == "done", run["message"]
    drift = env.client.get(f"/api/cases/{cid}/drift", headers=az).json()
    assert len(drift["times"]) == 7
    # the run says how it was built: perturbation on by default, as everywhere
    assert drift["request"]["perturbation"].startswith("Perturbation(")
    assert drift["request"]["coast_action"] == "previous"
    assert drift["times"][0] == "2026-05-01T11:00:00Z"
    # a northerly wind and a southward current: the cloud goes south
    assert drift["centroids"][-1][1] < CASE["datum_lat"] - 0.02
    assert "MOST PROBABLE POSITION" in drift["text"]
    frame = env.client.get(f"/api/cases/{cid}/drift/frames/6", headers=az).json()
    assert 0 < len(frame["particles"]) <= 800
    assert frame["containment"]["90"]
    west, south, east, north = frame["heat"]["bounds"]
    assert west < drift["centroids"][-1][0] < east
    assert south < drift["centroids"][-1][1] < north
    png = env.client.get(frame["heat"]["url"], headers=az)
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert env.client.get(f"/api/cases/{cid}/drift/frames/99", headers=az).status_code == 404


def test_another_state_cannot_run_drift_on_a_case(env: Env) -> None:
    cid = open_case(env, env.login("coord.az"))
    response = env.client.post(f"/api/cases/{cid}/drift", json={}, headers=env.login("coord.ru"))
    assert response.status_code == 403


def gpx(points: list[tuple[float, float, str]]) -> bytes:
    rows = "".join(
        f'<trkpt lat="{lat}" lon="{lon}"><time>{t}</time></trkpt>' for lon, lat, t in points
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>SAR-1</name><trkseg>'
        f"{rows}</trkseg></trk></gpx>"
    ).encode()


def test_plan_then_completed_search_updates_the_cloud(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    env.client.put(f"/api/cases/{cid}/environment", json=ENVIRONMENT, headers=az)
    no_units = env.client.post(f"/api/cases/{cid}/plan", json={}, headers=az)
    assert no_units.status_code == 422
    drift = env.client.post(
        f"/api/cases/{cid}/drift", json={"particles": 500, "duration_h": 6}, headers=az
    ).json()
    wait(env, drift, az)
    unit = env.client.post(
        f"/api/cases/{cid}/units",
        json={"name": "SAR-1", "platform": "vessel", "speed_kn": 12, "endurance_h": 6},
        headers=az,
    ).json()
    bad_unit = env.client.post(
        f"/api/cases/{cid}/units",
        json={"name": "H", "platform": "helicopter", "base": "Nowhere"},
        headers=az,
    )
    assert bad_unit.status_code == 422
    assert "Nowhere" in bad_unit.json()["reason"]
    plan_run = env.client.post(
        f"/api/cases/{cid}/plan", json={"start_time": "2026-05-01T14:00:00Z"}, headers=az
    ).json()
    assert wait(env, plan_run, az)["status"] == "done"
    plan = env.client.get(f"/api/cases/{cid}/plan", headers=az).json()
    area = plan["areas"][0]
    assert area["unit"] == "SAR-1"
    assert len(area["polygon"]) == 5
    assert len(area["pattern"]["waypoints"]) >= 2
    assert 0 < plan["pos"] <= plan["bound_pos"] + 1e-6
    # the unit ran its pattern and found nothing: record the track
    way = area["pattern"]["waypoints"]
    hours = ["2026-05-01T14:00:00Z", "2026-05-01T14:30:00Z", "2026-05-01T15:00:00Z"]
    points = [(way[k][0], way[k][1], hours[min(k, 2)]) for k in range(min(3, len(way)))]
    response = env.client.post(
        f"/api/cases/{cid}/units/{unit['id']}/track",
        files={"file": ("sar1.gpx", gpx(points), "application/gpx+xml")},
        headers=az,
    )
    assert response.status_code == 201, response.text
    assert len(response.json()["track"]) == len(points)
    runs = env.client.get(f"/api/cases/{cid}/runs", headers=az).json()
    update = runs[0]
    assert update["kind"] == "drift"
    assert wait(env, update, az)["status"] == "done"
    updated = env.client.get(f"/api/cases/{cid}/drift", headers=az).json()
    assert updated["updated_from_run"] == drift["id"]
    assert 0 < updated["search_pos"] < 1
    assert "UPDATED AFTER SEARCH BY SAR-1" in updated["text"]
    log = [e["action"] for e in env.client.get(f"/api/cases/{cid}/log", headers=az).json()]
    assert log == ["open", "environment", "drift", "unit", "plan", "search", "update"]
    # planned against actual: the plan's figures and what the recorded track did
    coverage = env.client.get(f"/api/cases/{cid}/coverage", headers=az).json()
    assert coverage["planned_pos"] == plan["pos"]
    assert coverage["actual_pos"] == updated["search_pos"]
    (sar1,) = coverage["units"]
    assert sar1["planned"]["track_length_nm"] > 0
    assert sar1["planned"]["on_scene"] <= sar1["planned"]["search_end"]
    assert sar1["actual"]["pieces"] == 1
    assert sar1["actual"]["points"] == len(points)
    assert sar1["actual"]["effort_nm2"] == pytest.approx(
        sar1["actual"]["track_nm"] * area["sweep_width_nm"], rel=1e-2
    )


def test_a_unit_is_linked_to_its_ais_track_by_its_mmsi(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    assert env.client.get(f"/api/cases/{cid}/coverage", headers=az).status_code == 404
    body = {"name": "Helo 7", "platform": "helicopter", "speed_kn": 90, "mmsi": 111423007}
    unit = env.client.post(f"/api/cases/{cid}/units", json=body, headers=az).json()
    assert unit["spec"]["mmsi"] == 111423007
    path = f"/api/cases/{cid}/units/{unit['id']}/mmsi"
    linked = env.client.put(path, json={"mmsi": 111423008}, headers=az)
    assert linked.status_code == 200
    assert linked.json()["spec"]["mmsi"] == 111423008
    bad = env.client.put(path, json={"mmsi": 4230001}, headers=az)
    assert bad.status_code == 422
    assert "mmsi" in bad.text
    unlinked = env.client.put(path, json={"mmsi": None}, headers=az).json()
    assert "mmsi" not in unlinked["spec"]
    other = env.client.put(path, json={"mmsi": 111423008}, headers=env.login("coord.ru"))
    assert other.status_code == 403


def test_bad_uploads_are_refused(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    unit = env.client.post(f"/api/cases/{cid}/units", json={"name": "SAR-1"}, headers=az).json()
    path = f"/api/cases/{cid}/units/{unit['id']}/track"
    for content in (b"", b"not xml", b"<gpx></gpx>", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x/>'):
        response = env.client.post(path, files={"file": ("x.gpx", content)}, headers=az)
        assert response.status_code == 422, content
    response = env.client.post(
        f"/api/cases/{cid}/forcing", files={"file": ("f.nc", b"CDF\x01 nonsense")}, headers=az
    )
    assert response.status_code == 422
    assert env.client.post(path, headers=az).status_code == 422  # no file at all


def test_modelled_currents_for_a_case_then_its_drift_uses_them(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    no_wind = env.client.post(f"/api/cases/{cid}/currents", json={}, headers=az)
    assert no_wind.status_code == 422
    assert "no wind" in no_wind.json()["reason"]
    env.client.put(f"/api/cases/{cid}/environment", json=ENVIRONMENT, headers=az)
    bad = env.client.post(f"/api/cases/{cid}/currents", json={"duration_h": 0}, headers=az)
    assert bad.status_code == 422
    body = {"spin_up_h": 3, "duration_h": 6}
    response = env.client.post(f"/api/cases/{cid}/currents", json=body, headers=az)
    assert response.status_code == 202
    run = wait(env, response.json(), az)
    assert run["status"] == "done", run["message"]
    assert run["summary"]["relative_volume_error"] < 1e-9
    drift = env.client.post(
        f"/api/cases/{cid}/drift", json={"particles": 200, "duration_h": 3}, headers=az
    ).json()
    done = wait(env, drift, az)
    assert done["status"] == "done", done["message"]
    log = env.client.get(f"/api/cases/{cid}/log", headers=az).json()
    assert any(e["action"] == "currents" for e in log)


def test_drift_perturbation_is_turned_off_by_name(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    env.client.put(f"/api/cases/{cid}/environment", json=ENVIRONMENT, headers=az)
    body = {"particles": 100, "duration_h": 1, "output_min": 60, "perturb": False}
    response = env.client.post(f"/api/cases/{cid}/drift", json=body, headers=az)
    assert response.status_code == 202, response.text
    run = wait(env, response.json(), az)
    assert run["status"] == "done", run["message"]
    assert run["summary"]["request"]["perturbation"] is None
    log = env.client.get(f"/api/cases/{cid}/log", headers=az).json()
    assert log[-1]["text"].endswith("perturbation off")
    bad = env.client.post(f"/api/cases/{cid}/drift", json={"perturb": "maybe"}, headers=az)
    assert bad.status_code == 422
    assert "perturb" in bad.json()["reason"]


def test_drift_seeds_a_cone_over_the_release_window(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    env.client.put(f"/api/cases/{cid}/environment", json=ENVIRONMENT, headers=az)
    half = {"particles": 500, "duration_h": 6, "output_min": 60, "release": {"to_radius_m": 900}}
    response = env.client.post(f"/api/cases/{cid}/drift", json=half, headers=az)
    assert response.status_code == 422
    assert "to_radius_m" in response.text
    cone = {"to_lon": 50.8, "to_lat": 40.5, "to_radius_m": 3000, "over_h": 6}
    body = {"particles": 500, "duration_h": 6, "output_min": 60, "release": cone}
    response = env.client.post(f"/api/cases/{cid}/drift", json=body, headers=az)
    assert response.status_code == 202, response.text
    run = wait(env, response.json(), az)
    assert run["status"] == "done", run["message"]
    drift = env.client.get(f"/api/cases/{cid}/drift", headers=az).json()
    assert drift["request"]["seeding"].startswith("ConeSeed(")
    assert drift["request"]["release_end"].startswith("2026-05-01T17:00:00")
    # released eastward along the cone for six hours: the cloud's centre moves east
    assert drift["centroids"][-1][0] > CASE["datum_lon"] + 0.1
    log = env.client.get(f"/api/cases/{cid}/log", headers=az).json()
    assert "in a cone to 40.5000, 50.8000 (radius 3000 m) over 6 h" in str(log)
