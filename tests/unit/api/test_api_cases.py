"""SAR cases: each state edits only its own; every action is logged; SITREP in IAMSAR layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api_env import START, Env

from littoral.services.joint_cases import JointCases
from littoral.store import open_store

CASE = {
    "title": "Fishing boat Kapitan",
    "datum_lon": 50.2,
    "datum_lat": 40.508333,
    "datum_time": "2026-05-01T11:30:00Z",
    "object_class": "PIW-1",
    "persons": 3,
    "description": "engine failure, taking water",
}


def open_case(env: Env, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = env.client.post("/api/cases", json={**CASE, **overrides}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_open_case_belongs_to_the_users_state(env: Env) -> None:
    az = env.login("coord.az")
    case = open_case(env, az)
    assert case["state"] == "AZ"
    assert case["datum_text"] == "40°30.5′N 050°12.0′E"
    assert case["editable"] is True
    ru = env.login("coord.ru")
    seen = env.client.get(f"/api/cases/{case['id']}", headers=ru).json()
    assert seen["editable"] is False
    assert [c["id"] for c in env.client.get("/api/cases", headers=ru).json()] == [case["id"]]


def test_wrong_state_is_403_on_every_write_to_another_states_case(env: Env) -> None:
    case = open_case(env, env.login("coord.az"))
    ru = env.login("coord.ru")
    cid = case["id"]
    writes = [
        ("patch", f"/api/cases/{cid}", {"title": "mine now"}),
        ("put", f"/api/cases/{cid}/environment", {"wind_from_deg": 0, "wind_speed_kn": 20}),
        ("post", f"/api/cases/{cid}/log", {"text": "hello"}),
        ("post", f"/api/cases/{cid}/drift", {}),
        ("post", f"/api/cases/{cid}/plan", {}),
        ("post", f"/api/cases/{cid}/close", {"outcome": "false_alarm"}),
    ]
    for method, path, body in writes:
        response = env.client.request(method.upper(), path, json=body, headers=ru)
        assert response.status_code == 403, (path, response.text)
        assert response.json()["error"] == "forbidden"
        assert "AZ" in response.json()["reason"]
    assert env.client.get(f"/api/cases/{cid}", headers=ru).json()["title"] == CASE["title"]


def test_watch_officer_cannot_open_cases(env: Env) -> None:
    response = env.client.post("/api/cases", json=CASE, headers=env.login("watch.kz"))
    assert response.status_code == 403


def test_case_input_is_validated(env: Env) -> None:
    az = env.login("coord.az")
    bad = [
        {**CASE, "datum_lat": 91.0},
        {**CASE, "datum_time": "2026-05-01T11:30:00"},  # naive
        {**CASE, "title": "x" * 201},
        {**CASE, "persons": -1},
        {**CASE, "extra": 1},
        {**CASE, "title": "'; DROP TABLE sar_cases; --", "description": "y" * 3000},
    ]
    for body in bad:
        response = env.client.post("/api/cases", json=body, headers=az)
        assert response.status_code == 422, body
        assert response.json()["reason"]
    sql_title = open_case(env, az, title="Robert'); DROP TABLE sar_cases;--")
    assert sql_title["title"] == "Robert'); DROP TABLE sar_cases;--"
    assert env.client.get("/api/cases/999999", headers=az).status_code == 404
    assert env.client.get("/api/cases/0", headers=az).status_code == 422
    assert env.client.get("/api/cases/abc", headers=az).status_code == 422


def test_case_life_is_logged_and_reported(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)["id"]
    env_body = {
        "wind_from_deg": 340,
        "wind_speed_kn": 25,
        "current_to_deg": 180,
        "current_speed_kn": 0.5,
        "visibility_nm": 5,
        "sea_height_m": 2,
    }
    assert env.client.put(f"/api/cases/{cid}/environment", json=env_body, headers=az).is_success
    unit = env.client.post(
        f"/api/cases/{cid}/units",
        json={"name": "SAR-101", "platform": "vessel", "speed_kn": 20, "endurance_h": 6},
        headers=az,
    ).json()
    assert unit["state"] == "AZ"
    env.client.post(f"/api/cases/{cid}/log", json={"text": "called owner"}, headers=az)
    text = env.client.get(f"/api/cases/{cid}/sitrep", headers=az).text
    for heading in (
        "A. IDENTITY OF CASUALTY",
        "B. POSITION",
        "H. WEATHER ON SCENE",
        "K. SEARCH AREA",
        "N. ADDITIONAL INFORMATION",
    ):
        assert heading in text
    assert "40°30.5′N 050°12.0′E AT 011130Z MAY 26" in text
    assert "WIND 340/25 KN" in text
    assert "SAR-101 (AZ, VESSEL, 20 KN, ENDURANCE 6 H)" in text
    html = env.client.get(f"/api/cases/{cid}/sitrep.html", headers=az)
    assert html.headers["content-type"].startswith("text/html")
    assert "Ctrl+P" in html.text
    assert "<script" not in html.text
    assert "onclick" not in html.text
    persian = env.client.get(f"/api/cases/{cid}/sitrep.html?lang=fa", headers=az).text
    assert "dir='rtl'" in persian
    assert "شناسایی حادثه‌دیده" in persian
    assert "011130Z MAY 26" in persian
    russian = env.client.get(f"/api/cases/{cid}/sitrep?lang=ru", headers=az).text
    assert "A. ОПОЗНАНИЕ ТЕРПЯЩЕГО БЕДСТВИЕ" in russian
    assert "SAR-101 (AZ, СУДНО, 20 УЗ, АВТОНОМНОСТЬ 6 Ч)" in russian
    azeri = env.client.get(f"/api/cases/{cid}/sitrep?lang=az", headers=az).text
    assert "H. HADİSƏ YERİNDƏ HAVA" in azeri
    assert env.client.get(f"/api/cases/{cid}/sitrep?lang=xx", headers=az).status_code == 422
    closed = env.client.post(
        f"/api/cases/{cid}/close", json={"outcome": "rescued", "text": "3 POB safe"}, headers=az
    ).json()
    assert closed["status"] == "closed"
    assert closed["editable"] is False
    again = env.client.post(f"/api/cases/{cid}/log", json={"text": "late"}, headers=az)
    assert again.status_code == 422
    log = env.client.get(f"/api/cases/{cid}/log", headers=az).json()
    assert [e["action"] for e in log] == ["open", "environment", "unit", "note", "close"]
    assert all(e["user_name"] == "coord.az" for e in log)
    assert "FINAL" in env.client.get(f"/api/cases/{cid}/sitrep", headers=az).text


def test_case_writes_are_audited_with_the_case(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)["id"]
    env.client.post(
        f"/api/cases/{cid}/close", json={"outcome": "other"}, headers=env.login("coord.ru")
    )
    entries = env.client.get("/api/audit", headers=env.login("admin.az")).json()["entries"]
    by_path = {(e["path"], e["user_name"]): e for e in entries}
    assert by_path[("/api/cases", "coord.az")]["detail"] == {"case_id": cid}
    assert by_path[(f"/api/cases/{cid}/close", "coord.ru")]["status_code"] == 403


def test_joint_case_takes_other_states_units_each_reported_by_its_own(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)["id"]
    ru = env.login("coord.ru")
    unit = env.client.post(f"/api/cases/{cid}/units", json={"name": "RU-SAR-7"}, headers=ru)
    assert unit.status_code == 201
    assert unit.json()["state"] == "RU"
    env.add_user("coord.kz", "KZ", "coordinator")
    kz = env.login("coord.kz")
    gpx = (
        b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        b'<trkpt lat="40.5" lon="50.2"/><trkpt lat="40.6" lon="50.3"/></trkseg></trk></gpx>'
    )
    path = f"/api/cases/{cid}/units/{unit.json()['id']}/track"
    refused = env.client.post(path, files={"file": ("t.gpx", gpx)}, headers=kz)
    assert refused.status_code == 403
    for headers in (ru, az):  # the unit's own state, and the case's state
        response = env.client.post(path, files={"file": ("t.gpx", gpx)}, headers=headers)
        assert response.status_code == 201, response.text
    log = env.client.get(f"/api/cases/{cid}/log", headers=kz).json()
    assert "unit RU-SAR-7 of RU committed" in log[1]["text"]
    assert log[1]["user_name"] == "coord.ru"


def test_closed_case_is_reopened_with_a_reason_by_its_own_state(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)["id"]
    open_again = env.client.post(f"/api/cases/{cid}/reopen", json={"reason": "x"}, headers=az)
    assert open_again.status_code == 422
    assert "only a closed case" in open_again.json()["reason"]
    env.client.post(f"/api/cases/{cid}/close", json={"outcome": "not_found"}, headers=az)
    late = env.client.post(f"/api/cases/{cid}/log", json={"text": "debris seen"}, headers=az)
    assert late.status_code == 422
    assert "reopen it first" in late.json()["reason"]
    other = env.client.post(
        f"/api/cases/{cid}/reopen", json={"reason": "mine"}, headers=env.login("coord.ru")
    )
    assert other.status_code == 403
    empty = env.client.post(f"/api/cases/{cid}/reopen", json={"reason": ""}, headers=az)
    assert empty.status_code == 422
    reopened = env.client.post(
        f"/api/cases/{cid}/reopen", json={"reason": "debris sighted by a ferry"}, headers=az
    )
    assert reopened.status_code == 200, reopened.text
    body = reopened.json()
    assert body["status"] == "open"
    assert body["outcome"] is None
    assert body["closed"] is None
    assert body["editable"] is True
    log = env.client.get(f"/api/cases/{cid}/log", headers=az).json()
    assert log[-1]["action"] == "reopen"
    assert log[-1]["text"] == "reopened (was not_found): debris sighted by a ferry"
    entries = env.client.get("/api/audit", headers=env.login("admin.az")).json()["entries"]
    audited = [e for e in entries if e["path"] == f"/api/cases/{cid}/reopen"]
    assert {e["status_code"] for e in audited} == {200, 403, 422}
    ok = next(e for e in audited if e["status_code"] == 200)
    assert ok["detail"] == {"case_id": cid, "reason": "debris sighted by a ferry"}


def test_a_case_is_marked_joint_once_by_its_own_state(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)["id"]
    other = env.client.post(f"/api/cases/{cid}/joint", headers=env.login("coord.ru"))
    assert other.status_code == 403
    marked = env.client.post(f"/api/cases/{cid}/joint", headers=az)
    assert marked.status_code == 200, marked.text
    assert marked.json()["id"] == cid
    again = env.client.post(f"/api/cases/{cid}/joint", headers=az)
    assert again.status_code == 422
    assert "already joint" in again.json()["reason"]
    log = env.client.get(f"/api/cases/{cid}/log", headers=az).json()
    assert [e["action"] for e in log].count("joint") == 1
    missing = env.client.post("/api/cases/99999/joint", headers=az)
    assert missing.status_code == 404


def test_a_copy_of_another_centres_joint_case_is_read_only(env: Env, tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'home.db'}") as home_store:
        home = JointCases("az", home_store)
        case = home.service.add_case(
            state="AZ", title="Ferry aground", status="open", created=START,
            created_by="coord.az", datum_lon=50.6, datum_lat=40.5, datum_time=START,
            object_class="PIW", persons=1, description="", environment={},
        )  # fmt: skip
        home.service.add_log(case.id, START, "coord.az", "joint", "marked joint")
        (message,) = home.changed()
    with open_store(env.settings.db_url) as store:
        local = JointCases("kz", store).take(message.data)
    az = env.login("coord.az")
    shown = env.client.get(f"/api/cases/{local}", headers=az).json()
    assert (shown["copy_of"], shown["editable"], shown["can_commit_units"]) == ("az", False, False)
    refused = env.client.post(f"/api/cases/{local}/log", json={"text": "seen"}, headers=az)
    assert refused.status_code == 422
    assert "copy of centre 'az'" in refused.json()["reason"]
    own = open_case(env, az)["id"]
    assert env.client.get(f"/api/cases/{own}", headers=az).json()["copy_of"] is None


def test_an_instrument_unit_needs_a_published_sweep_width(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)["id"]
    flir = {"name": "Helo FLIR", "platform": "helicopter", "speed_kn": 90, "sensor": "flir"}
    response = env.client.post(f"/api/cases/{cid}/units", json=flir, headers=az)
    assert response.status_code == 422
    assert "sensor='flir' has no sweep width" in response.json()["reason"]
    flir |= {"sweep_width_nm": 1.2, "sweep_width_source": "centre FLIR trials 2025, table 2"}
    unit = env.client.post(f"/api/cases/{cid}/units", json=flir, headers=az).json()
    assert unit["spec"]["sensor"] == "flir"
    assert unit["spec"]["sweep_width_nm"] == 1.2
