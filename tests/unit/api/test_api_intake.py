"""POST /api/alerts/intake: a SIT 185 message opens a case; a DSC distress raises an alert."""

from __future__ import annotations

from pathlib import Path

from api_env import Env

ALERTS = Path(__file__).resolve().parents[2] / "data" / "alerts"


def _post(env: Env, name: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return env.client.post(
        "/api/alerts/intake",
        content=(ALERTS / name).read_bytes(),
        headers={**headers, "Content-Type": "text/plain"},
    )


def test_sit185_opens_then_updates_a_case(env: Env) -> None:
    az = env.login("coord.az")
    first = _post(env, "sit185_initial_ambiguous.txt", az)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["action"] == "opened"
    assert body["alert"]["beacon_id"] == "34E436DB20FE3FC"
    case = env.client.get(f"/api/cases/{body['case_id']}", headers=az).json()
    assert case["state"] == "AZ"
    assert case["datum_text"] == "40°22.5′N 050°48.0′E"
    log = env.client.get(f"/api/cases/{body['case_id']}/log", headers=az).json()
    assert any("doppler_b 38°41.0′N 051°12.0′E p=0.38" in e["text"] for e in log)
    alert = env.client.get(f"/api/alerts/{body['alert_id']}", headers=az).json()
    assert alert["rule"] == "distress"
    assert alert["status"] == "acknowledged"
    second = _post(env, "sit185_confirmed.txt", az).json()
    assert (second["action"], second["case_id"]) == ("updated", body["case_id"])
    case = env.client.get(f"/api/cases/{body['case_id']}", headers=az).json()
    assert case["datum_text"] == "40°22.8′N 050°47.6′E"


def test_dsc_distress_raises_an_open_alert_and_offers_a_case(env: Env) -> None:
    az = env.login("coord.az")
    body = _post(env, "dsc_distress.nmea", az).json()
    assert body["action"] == "alerted"
    assert body["offer_case"] is True
    alert = env.client.get(f"/api/alerts/{body['alert_id']}", headers=az).json()
    assert alert["status"] == "open"
    assert alert["priority"] == "CRITICAL"
    made = env.client.post("/api/cases/from-alert", json={"alert_id": body["alert_id"]}, headers=az)
    assert made.status_code == 201, made.text
    assert made.json()["mmsi"] == 423112345


def test_dsc_distress_without_position_is_an_alert_with_no_position(env: Env) -> None:
    az = env.login("coord.az")
    body = env.client.post(
        "/api/alerts/intake",
        content=b"$CDDSC,12,4231123450,,05,00,9999999999,8888,,,S,*2F",
        headers={**az, "Content-Type": "text/plain"},
    ).json()
    assert (body["action"], body["offer_case"]) == ("alerted", False)
    alert = env.client.get(f"/api/alerts/{body['alert_id']}", headers=az).json()
    # no position: null, never 0°, 0°, in the alert and in the open list
    assert (alert["status"], alert["lat"], alert["lon"]) == ("open", None, None)
    listed = env.client.get("/api/alerts?status=open", headers=az).json()
    assert [(a["lat"], a["lon"]) for a in listed if a["id"] == body["alert_id"]] == [(None, None)]
    made = env.client.post("/api/cases/from-alert", json={"alert_id": body["alert_id"]}, headers=az)
    assert made.status_code == 422, made.text
    assert "no known position" in made.text


def test_malformed_message_is_422_naming_it(env: Env) -> None:
    az = env.login("coord.az")
    response = env.client.post(
        "/api/alerts/intake",
        content=b"$CDDSC,12,4231123450,,05,00,0402204948,0940,,,S,E*00",
        headers={**az, "Content-Type": "text/plain"},
    )
    assert response.status_code == 422
    assert "checksum" in response.text
    binary = env.client.post(
        "/api/alerts/intake", content=b"\xff\xfe", headers={**az, "Content-Type": "text/plain"}
    )
    assert binary.status_code == 422
    assert "ASCII" in binary.text


def test_watch_officer_may_not_take_in(env: Env) -> None:
    kz = env.login("watch.kz")
    assert _post(env, "sit185_initial_ambiguous.txt", kz).status_code == 403


def test_ships_of_opportunity_near_the_datum(env: Env) -> None:
    from datetime import timedelta

    from littoral.tracks.state import VesselState

    az = env.login("coord.az")
    body = _post(env, "sit185_initial_ambiguous.txt", az).json()
    at = env.clock.now() - timedelta(minutes=10)
    env.services.store.vessels.upsert(
        [
            VesselState(
                mmsi=273000002,
                first_seen=at,
                last_seen=at,
                lon=50.8,
                lat=40.375 + 12.0 / 60.0,
                position_time=at,
                sog_kn=8.0,
            ),
            VesselState(
                mmsi=423000001, first_seen=at, last_seen=at, lon=50.8, lat=43.0, position_time=at
            ),
        ]
    )
    response = env.client.get(f"/api/cases/{body['case_id']}/opportunity", headers=az)
    assert response.status_code == 200, response.text
    (ship,) = response.json()
    assert ship["mmsi"] == 273000002
    assert abs(ship["eta_h"] - 1.5) < 0.01
    assert ship["report_age_s"] == 600.0
    wide = env.client.get(
        f"/api/cases/{body['case_id']}/opportunity?radius_nm=200", headers=az
    ).json()
    assert [s["mmsi"] for s in wide] == [273000002, 423000001]
    bad = env.client.get(f"/api/cases/{body['case_id']}/opportunity?radius_nm=0", headers=az)
    assert bad.status_code == 422


def test_commit_a_ship_of_opportunity_as_a_unit(env: Env) -> None:
    from datetime import timedelta

    from littoral.tracks.state import VesselState

    az = env.login("coord.az")
    body = _post(env, "sit185_initial_ambiguous.txt", az).json()
    at = env.clock.now() - timedelta(minutes=10)
    env.services.store.vessels.upsert(
        [
            VesselState(
                mmsi=273000002,
                first_seen=at,
                last_seen=at,
                lon=50.8,
                lat=40.6,
                position_time=at,
                sog_kn=11.0,
                ship_type=71,
                name="VOLGO-BALT 199",
            )
        ]
    )
    cid = body["case_id"]
    made = env.client.post(f"/api/cases/{cid}/opportunity/273000002", headers=az)
    assert made.status_code == 201, made.text
    unit = made.json()
    assert unit["name"] == "VOLGO-BALT 199 (273000002)"
    assert unit["platform"] == "vessel"
    assert unit["speed_kn"] == 10.0
    log = env.client.get(f"/api/cases/{cid}/log", headers=az).json()
    assert any("cargo defaults" in e["text"] for e in log)
    missing = env.client.post(f"/api/cases/{cid}/opportunity/273999999", headers=az)
    assert missing.status_code == 404
    ru = env.login("coord.ru")
    # another state may commit its own ships to a joint case, not answer as AZ
    assert env.client.post(f"/api/cases/{cid}/opportunity/273000002", headers=ru).status_code == 201
