"""The live picture over HTTP: vessels fed as real NMEA, filters, track, alerts, base map."""

from __future__ import annotations

from datetime import timedelta

import pyais
from api_env import START, Env

from littoral.records.alerts import Alert, Priority


def nmea(msg: dict[str, object]) -> list[str]:
    lines: list[str] = pyais.encode_dict(msg)
    return lines


def feed(env: Env, headers: dict[str, str], *lines: str) -> dict[str, int]:
    response = env.client.post(
        "/api/feed/nmea",
        content="\n".join(lines),
        headers={**headers, "content-type": "text/plain"},
    )
    assert response.status_code == 200, response.text
    counts: dict[str, int] = response.json()
    return counts


def fleet(env: Env, admin: dict[str, str]) -> None:
    lines = [
        *nmea(
            {
                "type": 1,
                "mmsi": 423000001,
                "lon": 50.1,
                "lat": 40.3,
                "speed": 10.5,
                "course": 90,
                "heading": 91,
            }
        ),
        *nmea(
            {
                "type": 5,
                "mmsi": 423000001,
                "shipname": "KAPITAN",
                "ship_type": 70,
                "callsign": "4JAB",
            }
        ),
        *nmea(
            {
                "type": 1,
                "mmsi": 273000002,
                "lon": 48.0,
                "lat": 45.0,
                "speed": 3.0,
                "course": 180,
                "heading": 180,
            }
        ),
        *nmea(
            {
                "type": 1,
                "mmsi": 636000003,
                "lon": 51.5,
                "lat": 38.0,
                "speed": 12.0,
                "course": 10,
                "heading": 12,
            }
        ),
        *nmea({"type": 5, "mmsi": 636000003, "shipname": "FOREIGN TANKER", "ship_type": 80}),
        "!AIVDM,1,1,,A,garbage,0*00",
    ]
    counts = feed(env, admin, *lines)
    assert counts["positions"] == 3
    assert counts["rejected"] == 1


def test_vessels_arrive_from_nmea_and_filter(env: Env) -> None:
    fleet(env, env.login("admin.az"))
    officer = env.login("watch.kz")
    everything = env.client.get("/api/vessels", headers=officer).json()
    assert everything["count"] == 3
    first = everything["vessels"][0]
    assert first["mmsi"] == 273000002
    assert first["flag"] == "RU"
    assert first["littoral"] is True
    box = env.client.get("/api/vessels?bbox=49,39,51,41", headers=officer).json()
    assert [v["mmsi"] for v in box["vessels"]] == [423000001]
    assert box["vessels"][0]["name"] == "KAPITAN"
    assert box["vessels"][0]["category"] == "cargo"
    assert box["vessels"][0]["heading_deg"] == 91
    foreign = env.client.get("/api/vessels?littoral=false", headers=officer).json()
    assert [v["mmsi"] for v in foreign["vessels"]] == [636000003]
    tankers = env.client.get("/api/vessels?type=tanker", headers=officer).json()
    assert [v["mmsi"] for v in tankers["vessels"]] == [636000003]
    by_flag = env.client.get("/api/vessels?flag=az&flag=RU", headers=officer).json()
    assert [v["mmsi"] for v in by_flag["vessels"]] == [273000002, 423000001]


def test_vessel_detail_and_track(env: Env) -> None:
    admin = env.login("admin.az")
    for k in range(3):
        env.clock.advance(timedelta(minutes=1))
        feed(
            env,
            admin,
            *nmea(
                {
                    "type": 1,
                    "mmsi": 423000001,
                    "lon": 50.1 + k / 100,
                    "lat": 40.3,
                    "speed": 10.0,
                    "course": 90,
                }
            ),
        )
    detail = env.client.get("/api/vessels/423000001", headers=admin).json()
    assert detail["mmsi"] == 423000001
    assert len(detail["track"]) == 3
    track = env.client.get("/api/vessels/423000001/track", headers=admin).json()
    assert track["count"] == 3
    assert track["points"][-1][0] == 50.12
    assert env.client.get("/api/vessels/999999999", headers=admin).status_code == 404


def test_one_mmsi_at_two_places_at_once_is_two_ships(env: Env) -> None:
    admin = env.login("admin.az")
    for k in range(4):  # one MMSI off Baku and off Aktau, 190 NM apart, a minute between
        for lon, lat in ((50.1, 40.3 + k / 600), (51.1, 43.6 + k / 600)):
            env.clock.advance(timedelta(seconds=30))
            msg = {"type": 1, "mmsi": 273000009, "lon": lon, "lat": lat, "speed": 10.0}
            feed(env, admin, *nmea(msg))
    listed = env.client.get("/api/vessels", headers=admin).json()["vessels"]
    ships = {v["key"]: v for v in listed if v["mmsi"] == 273000009}
    assert sorted(ships) == ["273000009", "273000009-2"]
    assert ships["273000009"]["lat"] < 41 < ships["273000009-2"]["lat"]
    second = env.client.get("/api/vessels/273000009-2", headers=admin).json()
    assert (second["key"], second["mmsi"], second["ship_number"]) == ("273000009-2", 273000009, 2)
    assert {round(p[0], 1) for p in second["track"]} == {51.1}
    stored = env.client.get("/api/vessels/273000009-2/track", headers=admin).json()
    assert stored["count"] == 4
    assert {p[0] for p in stored["points"]} == {51.1}
    first = env.client.get("/api/vessels/273000009/track", headers=admin).json()
    assert first["count"] == 8  # the MMSI's positions, as received
    assert env.client.get("/api/vessels/273000009-3", headers=admin).status_code == 404
    assert env.client.get("/api/vessels/273000009-x", headers=admin).status_code == 422
    response = env.client.get("/api/vessels/273000009-1", headers=admin)
    assert response.status_code == 422
    assert "273000009-1" in response.text


def test_feed_is_live_only_while_lines_arrive_and_vessels_have_an_age(env: Env) -> None:
    admin = env.login("admin.az")
    status = env.client.get("/api/feed", headers=admin).json()["status"]
    assert status["state"] == "waiting"
    fleet(env, admin)
    status = env.client.get("/api/feed", headers=admin).json()["status"]
    assert status["state"] == "live"
    assert status["last_line_age_s"] == 0
    env.clock.advance(timedelta(seconds=status["live_within_s"] + 1))
    status = env.client.get("/api/feed", headers=admin).json()["status"]
    assert status["state"] == "stale"
    views = env.client.get("/api/vessels", headers=admin).json()
    assert views["now"] == env.clock.now().isoformat()
    assert {v["station"] for v in views["vessels"]} == {"ship"}
    detail = env.client.get("/api/vessels/423000001", headers=admin).json()
    assert detail["age_s"] == status["live_within_s"] + 1
    assert detail["station"] == "ship"


def test_vessel_queries_refuse_bad_values(env: Env) -> None:
    officer = env.login("watch.kz")
    for query in (
        "bbox=1,2,3",
        "bbox=51,40,50,41",
        "bbox=a,b,c,d",
        "type=submarine",
        "limit=0",
        "littoral=maybe",
        "bbox=" + "1" * 200,
    ):
        response = env.client.get(f"/api/vessels?{query}", headers=officer)
        assert response.status_code == 422, query
        assert response.json()["reason"]
    response = env.client.get("/api/vessels/1/track?start=2026-05-01T00:00:00", headers=officer)
    assert response.status_code == 422
    assert "naive" in response.json()["reason"]


def test_feed_is_for_administrators_and_ascii(env: Env) -> None:
    officer = env.login("watch.kz")
    response = env.client.post("/api/feed/nmea", content="!AIVDM", headers=officer)
    assert response.status_code == 403
    admin = env.login("admin.az")
    response = env.client.post("/api/feed/nmea", content="é".encode(), headers=admin)
    assert response.status_code == 422


def distress() -> Alert:
    return Alert(
        id="distress:423000001:20260501T115500Z",
        rule="distress",
        priority=Priority.CRITICAL,
        mmsis=(423000001,),
        start=START - timedelta(minutes=5),
        lon=50.2,
        lat=40.5,
        reason="AIS-SART active",
        details={"lon": 50.2, "lat": 40.5},
    )


def test_alerts_listed_and_acknowledged_with_comment(env: Env) -> None:
    env.services.store.alerts.upsert([distress()], START)
    officer = env.login("watch.kz")
    listed = env.client.get("/api/alerts?status=open", headers=officer).json()
    assert [a["id"] for a in listed] == [distress().id]
    assert listed[0]["priority"] == "CRITICAL"
    path = f"/api/alerts/{distress().id}/acknowledge"
    acked = env.client.post(path, json={"comment": "called MRCC Baku"}, headers=officer).json()
    assert acked["status"] == "acknowledged"
    assert acked["acknowledged_by"] == "watch.kz"
    assert acked["comment"] == "called MRCC Baku"
    assert env.client.get("/api/alerts?status=open", headers=officer).json() == []
    closed = env.client.post(f"/api/alerts/{distress().id}/close", json={}, headers=officer)
    assert closed.json()["status"] == "closed"
    again = env.client.post(path, json={"comment": "x"}, headers=officer)
    assert again.status_code == 422
    assert (
        env.client.post("/api/alerts/nope/acknowledge", json={}, headers=officer).status_code == 404
    )


def test_unacknowledged_distress_is_announced_again_until_acknowledged(env: Env) -> None:
    env.services.store.alerts.upsert([distress()], START)
    feed = env.services.feed
    published = env.services.bus.published
    assert [a.id for a in feed.renotify()] == [distress().id]
    assert env.services.bus.published == published + 1
    assert feed.renotify() == []  # announced a moment ago
    env.clock.advance(timedelta(minutes=5))
    assert [a.id for a in feed.renotify()] == [distress().id]
    officer = env.login("watch.kz")
    path = f"/api/alerts/{distress().id}/acknowledge"
    assert env.client.post(path, json={"comment": "MRCC Baku"}, headers=officer).is_success
    env.clock.advance(timedelta(minutes=10))
    assert feed.renotify() == []


def test_case_from_distress_alert_in_one_action(env: Env) -> None:
    env.services.store.alerts.upsert([distress()], START)
    az = env.login("coord.az")
    response = env.client.post(
        "/api/cases/from-alert", json={"alert_id": distress().id, "persons": 4}, headers=az
    )
    assert response.status_code == 201, response.text
    case = response.json()
    assert case["alert_id"] == distress().id
    assert case["datum_lon"] == 50.2
    assert case["datum_time"] == "2026-05-01T11:55:00Z"
    assert case["mmsi"] == 423000001
    assert case["persons"] == 4
    alert = env.client.get(f"/api/alerts/{distress().id}", headers=az).json()
    assert alert["status"] == "acknowledged"
    assert f"case {case['id']}" in alert["comment"]


def test_base_map_layers(env: Env) -> None:
    officer = env.login("watch.kz")
    sea = env.client.get("/api/geo/sea", headers=officer).json()
    assert sea["features"][0]["geometry"]["type"] == "Polygon"
    west, south, east, north = sea["bbox"]
    assert 46.5 < west < 47.0
    assert 36.5 < south < 36.7
    assert 53.9 < east < 54.2
    assert 47.0 < north < 47.2
    places = env.client.get("/api/geo/places?kind=mrcc", headers=officer).json()
    assert places["features"]
    assert all(f["properties"]["kind"] == "mrcc" for f in places["features"])
    assert "°" in places["features"][0]["properties"]["position"]
    # the MRCC works from Astrakhan, inland: its source says so beside the dot
    assert "inland" in places["features"][0]["properties"]["source"]
    assert env.client.get("/api/geo/zones", headers=officer).json()["type"] == "FeatureCollection"
    assert env.client.get("/api/geo/places?state=XX", headers=officer).status_code == 422


def test_depth_layer_traces_the_shelf_and_the_basins(env: Env) -> None:
    officer = env.login("watch.kz")
    depth = env.client.get("/api/geo/depth", headers=officer).json()
    assert "not for navigation" in depth["attribution"]
    lines = {f["properties"]["depth_m"]: f["geometry"]["coordinates"] for f in depth["features"]}
    assert sorted(lines) == [10, 20, 50, 100, 200, 500]
    deep = [p for line in lines[500] for p in line]
    shallow = [p for line in lines[10] for p in line]
    # the North Caspian is a shelf under 10-20 m: the 500 m line rings only the Derbent
    # depression (780 m near 41.8 N) and the South Caspian basin
    assert deep
    assert all(lat < 43.0 for _, lat in deep)
    assert any(lat > 44.5 for _, lat in shallow)
