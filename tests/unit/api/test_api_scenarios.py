"""A case's weighted scenarios over HTTP: add, list, reweight, drift as a mixture, plan, update."""

from __future__ import annotations

import pytest
from api_env import Env
from test_api_runs import ENVIRONMENT, gpx, open_case, wait

WEST = {"name": "A", "weight": 0.7, "lat": 40.5, "lon": 50.5, "radius_nm": 0.5}
EAST = {
    "name": "voyage",
    "weight": 0.3,
    "kind": "track",
    "lat": 40.5,
    "lon": 50.9,
    "to_lat": 40.6,
    "to_lon": 51.0,
    "time": "2026-05-01T10:00:00Z",
    "time_end": "2026-05-01T12:00:00Z",
    "objects": [
        {"object_class": "PIW-1", "fraction": 0.6},
        {"object_class": "LIFE-RAFT-DB-11", "fraction": 0.4},
    ],
    "transitions": [{"from_object": "PIW-1", "to_object": "PIW-4", "after_h": 3}],
}


def test_scenarios_are_added_listed_reweighted_and_removed(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    path = f"/api/cases/{cid}/scenarios"
    assert env.client.get(path, headers=az).json() == []
    # before any drift there is no share in a cloud yet
    listed = env.client.post(path, json=WEST, headers=az)
    assert listed.status_code == 201, listed.text
    listed = env.client.post(path, json=EAST, headers=az).json()
    assert [(s["name"], s["share"]) for s in listed] == [("A", 0.7), ("voyage", 0.3)]
    assert listed[1]["spec"]["objects"][1]["object_class"] == "LIFE-RAFT-DB-11"
    assert listed[0]["spec"]["time"] == "2026-05-01T11:00:00+00:00"  # the datum's time
    assert listed[0]["share_now"] is None
    # refused, by name: a clash, a bad object, a track with no end, an unknown field
    assert env.client.post(path, json=WEST, headers=az).status_code == 422
    bad = dict(WEST, name="B", objects=[{"object_class": "SUBMARINE-9"}])
    response = env.client.post(path, json=bad, headers=az)
    assert response.status_code == 422
    assert "SUBMARINE-9" in response.text
    response = env.client.post(path, json={"name": "C", "kind": "track", "lat": 40, "lon": 50},
                               headers=az)  # fmt: skip
    assert response.status_code == 422
    assert "to_lat" in response.json()["reason"]
    assert env.client.post(path, json=dict(WEST, name="D", colour=1), headers=az).status_code == 422
    # reweighting needs a reason, known names and one scenario left possible
    weights = f"{path}/weights"
    no_reason = env.client.put(weights, json={"weights": {"A": 0}}, headers=az)
    assert no_reason.status_code == 422
    unknown = env.client.put(weights, json={"weights": {"Z": 1}, "reason": "x"}, headers=az)
    assert unknown.status_code == 404
    none_left = {"weights": {"A": 0, "voyage": 0}, "reason": "x"}
    assert env.client.put(weights, json=none_left, headers=az).status_code == 422
    body = {"weights": {"A": 0.2}, "reason": "the crew was seen on the voyage line"}
    listed = env.client.put(weights, json=body, headers=az).json()
    assert [round(s["share"], 4) for s in listed] == [0.4, 0.6]
    assert listed[0]["reason"] == "the crew was seen on the voyage line"
    # another state may read, not change
    ru = env.login("coord.ru")
    assert env.client.put(weights, json=body, headers=ru).status_code == 403
    assert len(env.client.get(path, headers=ru).json()) == 2
    half = {"reason": "fix", "lat": 40.4}
    assert env.client.post(f"{path}/A/resolve", json=half, headers=az).status_code == 422
    fix = {"reason": "position confirmed by the crew", "lat": 40.45, "lon": 50.55, "radius_nm": 0.3}
    listed = env.client.post(f"{path}/A/resolve", json=fix, headers=az).json()
    assert [(s["name"], s["share"]) for s in listed] == [("A", 1.0), ("voyage", 0.0)]
    assert (listed[0]["spec"]["lat"], listed[0]["spec"]["radius_nm"]) == (40.45, 0.3)
    assert listed[1]["reason"] == "ruled out: position confirmed by the crew"
    gone = env.client.post(f"{path}/voyage/remove", json={"reason": "entered twice"}, headers=az)
    assert [s["name"] for s in gone.json()] == ["A"]
    log = env.client.get(f"/api/cases/{cid}/log", headers=az).json()
    texts = [e["text"] for e in log if e["action"] == "scenario"]
    assert texts[0].startswith("scenario added: A (weight 0.7)")
    assert "A 0.7 to 0.2 (the crew was seen on the voyage line)" in texts[2]
    assert texts[3].startswith("scenario A kept at 40°27.0′N 050°33.0′E; voyage set to 0")
    assert texts[4] == "scenario voyage removed (entered twice)"


def test_a_case_of_scenarios_drifts_plans_and_updates_on_the_mixture(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    env.client.put(f"/api/cases/{cid}/environment", json=ENVIRONMENT, headers=az)
    for scenario in (WEST, EAST):
        env.client.post(f"/api/cases/{cid}/scenarios", json=scenario, headers=az)
    body = {"particles": 600, "duration_h": 6, "output_min": 60}
    drift = wait(env, env.client.post(f"/api/cases/{cid}/drift", json=body, headers=az).json(), az)
    assert drift["status"] == "done", drift["message"]
    summary = drift["summary"]
    assert summary["scenarios"] == {"A": 0.7, "voyage": 0.3}
    assert summary["times"][0] == "2026-05-01T10:00:00Z"  # the earliest scenario's time
    unit = env.client.post(
        f"/api/cases/{cid}/units",
        json={"name": "SAR-1", "platform": "vessel", "speed_kn": 12, "endurance_h": 2},
        headers=az,
    ).json()
    plan_run = env.client.post(
        f"/api/cases/{cid}/plan", json={"start_time": "2026-05-01T13:00:00Z"}, headers=az
    ).json()
    plan_run = wait(env, plan_run, az)
    assert plan_run["status"] == "done", plan_run["message"]
    changes = {c["name"]: c for c in plan_run["summary"]["scenario_changes"]}
    assert changes["A"]["before"] == 0.7
    assert sum(c["after"] for c in changes.values()) == pytest.approx(1, abs=1e-5)
    assert "units_after_drift_end" not in plan_run["summary"]
    late = env.client.post(
        f"/api/cases/{cid}/plan", json={"start_time": "2026-05-01T15:20:00Z"}, headers=az
    ).json()
    late = wait(env, late, az)
    assert late["status"] == "done", late["message"]
    # the drift ends at 16:00; the unit searches on after it (judged on its last cloud)
    assert late["summary"]["units_after_drift_end"] == ["SAR-1"]
    late_changes = {c["name"]: c for c in late["summary"]["scenario_changes"]}
    assert sum(c["after"] for c in late_changes.values()) == pytest.approx(1, abs=1e-5)
    # a search over A's datum that finds nothing moves weight from A to the voyage
    points = [
        (50.47, 40.47, "2026-05-01T13:00:00Z"),
        (50.53, 40.47, "2026-05-01T13:20:00Z"),
        (50.53, 40.50, "2026-05-01T13:30:00Z"),
        (50.47, 40.50, "2026-05-01T13:50:00Z"),
    ]
    response = env.client.post(
        f"/api/cases/{cid}/units/{unit['id']}/track",
        files={"file": ("sar1.gpx", gpx(points), "application/gpx+xml")},
        headers=az,
    )
    assert response.status_code == 201, response.text
    update = wait(env, env.client.get(f"/api/cases/{cid}/runs", headers=az).json()[0], az)
    assert update["status"] == "done", update["message"]
    after = {c["name"]: c for c in update["summary"]["scenario_changes"]}
    pos = update["summary"]["search_pos"]
    assert pos > 0
    assert after["A"]["after"] < 0.7 < after["A"]["before"] + 1e-9
    assert after["voyage"]["after"] > 0.3
    # Bayes: the voyage, far from the track, keeps its mass, now out of 1 - POS
    assert after["voyage"]["after"] == pytest.approx(0.3 / (1 - pos), rel=2e-3)
    listed = env.client.get(f"/api/cases/{cid}/scenarios", headers=az).json()
    assert [s["share"] for s in listed] == [0.7, 0.3]  # the weights as given
    assert listed[1]["share_now"] == pytest.approx(after["voyage"]["after"], abs=1e-6)


def test_without_a_drift_the_plan_allocates_on_the_position_scenarios(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    env.client.put(f"/api/cases/{cid}/environment", json=ENVIRONMENT, headers=az)
    env.client.post(f"/api/cases/{cid}/scenarios", json=WEST, headers=az)
    far = {"name": "B", "weight": 0.3, "lat": 40.2, "lon": 51.2, "radius_nm": 1.0}
    env.client.post(f"/api/cases/{cid}/scenarios", json=far, headers=az)
    env.client.post(
        f"/api/cases/{cid}/units",
        json={"name": "SAR-1", "platform": "vessel", "speed_kn": 12, "endurance_h": 4,
              "base_lat": 40.5, "base_lon": 50.5},
        headers=az,
    )  # fmt: skip
    body = {"start_time": "2026-05-01T11:00:00Z"}
    run = wait(env, env.client.post(f"/api/cases/{cid}/plan", json=body, headers=az).json(), az)
    assert run["status"] == "done", run["message"]
    changes = {c["name"]: c for c in run["summary"]["scenario_changes"]}
    assert (changes["A"]["before"], changes["B"]["before"]) == (0.7, 0.3)
    # the unit searches where most of the probability is, A: weight moves to B by Bayes
    assert changes["A"]["after"] < 0.7
    assert changes["B"]["after"] == pytest.approx(1 - changes["A"]["after"], abs=1e-5)
    # a track scenario needs a drift first
    env.client.post(f"/api/cases/{cid}/scenarios", json=dict(EAST, weight=0.1), headers=az)
    refused = env.client.post(f"/api/cases/{cid}/plan", json=body, headers=az)
    assert refused.status_code == 422
    assert "drift the case first" in refused.json()["reason"]
