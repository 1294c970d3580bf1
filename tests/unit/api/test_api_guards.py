"""Security headers on every answer; unstorable text refused alike; no server paths leak."""

from __future__ import annotations

import pytest
from api_env import PASSWORD, Env

from littoral.api.errors import scrub_paths
from littoral.api.guards import find_unstorable

CASE = {
    "title": "guards",
    "datum_lon": 50.5,
    "datum_lat": 40.5,
    "datum_time": "2026-05-01T11:00:00Z",
}


@pytest.mark.parametrize("path", ["/health", "/api/me", "/api/nowhere", "/"])
def test_every_answer_carries_the_security_headers(env: Env, path: str) -> None:
    response = env.client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    if path == "/":
        assert "script-src 'self'" in policy  # the page keeps its own policy
    else:
        assert policy.startswith("default-src 'none'")
    if path.startswith("/api/"):
        assert response.headers["cache-control"] == "no-store"
        assert response.status_code == 401  # anonymous: nothing but the login answers


def test_nul_in_a_json_field_is_422_naming_the_field(env: Env) -> None:
    coord = env.login("coord.az")
    response = env.client.post("/api/cases", json={**CASE, "title": "a\u0000b"}, headers=coord)
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_input",
        "reason": "title: contains the NUL character",
    }
    ok = env.client.post("/api/cases", json={**CASE, "title": "Bakı körfəzi"}, headers=coord)
    assert ok.status_code == 201, ok.text


def test_lone_surrogate_and_nul_in_query_are_422(env: Env) -> None:
    coord = env.login("coord.az")
    body = '{"title": "x\\ud800y", "datum_lon": 50.5, "datum_lat": 40.5, ' + (
        '"datum_time": "2026-05-01T11:00:00Z"}'
    )
    response = env.client.post(
        "/api/cases",
        content=body.encode(),
        headers={**coord, "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "unpaired surrogate" in response.json()["reason"]
    query = env.client.get("/api/vessels?q=%00", headers=coord)
    assert query.status_code == 422
    assert query.json()["reason"] == "query.q: contains the NUL character"


def test_find_unstorable_walks_nested_values() -> None:
    assert find_unstorable({"a": [{"b": "ok"}, {"c": "x\x00"}]}) == (
        "a[1].c",
        "contains the NUL character",
    )
    assert find_unstorable({"a": [1, 2.5, None, True, "fine"]}) is None


def test_server_paths_do_not_leak_in_reasons() -> None:
    assert scrub_paths("no file /var/lib/littoral/data/12/u.nc here") == "no file u.nc here"
    assert scrub_paths("POST /api/cases/7/drift refused") == "POST /api/cases/7/drift refused"


def test_anonymous_junk_is_written_once_then_summed(env: Env) -> None:
    from datetime import timedelta

    for i in range(30):
        env.client.post(f"/api/junk/{i}", json={})  # 401: no session
        env.client.post("/api/auth/login", json={"name": f"guess{i % 3}", "password": "x" * 8})
    env.clock.advance(timedelta(seconds=61))
    admin = env.login("admin.az")  # closes the window: the summaries are written
    entries = env.client.get("/api/audit", headers=admin).json()["entries"]
    anonymous = [e for e in entries if e["status_code"] >= 400]
    kinds = sorted({e["status_code"] for e in anonymous})
    assert kinds == [401, 429]  # junk and wrong passwords, then the throttle's refusals
    assert len(anonymous) == 2 * len(kinds)  # per kind: the first in full, then one summary
    summaries = {e["status_code"]: e["detail"] for e in anonymous if e["path"] == "(aggregated)"}
    assert len(summaries[401]["paths"]) == 10  # samples, not every path
    assert summaries[401]["aggregated"] + summaries[429]["aggregated"] == 58
    assert set(summaries[429]["attempted_users"]) <= {"guess0", "guess1", "guess2"}
    assert env.services.service.verify_audit().ok


def test_wrong_method_is_405_with_allow_and_errors_are_documented(env: Env) -> None:
    response = env.client.delete("/api/me", headers=env.login("coord.az"))
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    spec = env.client.get("/api/openapi.json").json()
    assert spec["components"]["schemas"]["Error"]["required"] == ["error", "reason"]
    for operations in spec["paths"].values():
        for operation in operations.values():
            assert {"401", "403", "404", "422", "503"} <= set(operation["responses"])


def test_loose_edges_are_refused_with_the_reason(env: Env) -> None:
    coord = env.login("coord.az")
    for year in ("0001", "9999"):
        bad = {**CASE, "datum_time": f"{year}-05-01T11:00:00Z"}
        response = env.client.post("/api/cases", json=bad, headers=coord)
        assert response.status_code == 422
        assert "outside 1990-2100" in response.json()["reason"]
    response = env.client.post(
        "/api/cases", json={**CASE, "object_class": "flying carpet"}, headers=coord
    )
    assert response.status_code == 422
    assert "flying carpet" in response.json()["reason"]
    case = env.client.post("/api/cases", json={**CASE, "object_class": "piw-1"}, headers=coord)
    assert case.json()["object_class"] == "PIW-1"
    unit = {"name": "Patrol 1", "base_lon": 49.9}
    response = env.client.post(f"/api/cases/{case.json()['id']}/units", json=unit, headers=coord)
    assert response.status_code == 422
    assert "base_lon given without base_lat" in response.json()["reason"]


def test_event_times_are_iso_and_the_cookie_is_secure_off_loopback(env: Env) -> None:
    from datetime import UTC, datetime

    from littoral.services.events import Event

    wire = Event("case", {"time": datetime(2026, 5, 1, 12, tzinfo=UTC)}).encode()
    assert b'"time":"2026-05-01T12:00:00Z"' in wire
    assert env.settings.secure_cookie is False  # bound to loopback (the test default)
    public = env.settings.model_copy(update={"host": "0.0.0.0"})
    assert public.secure_cookie is True
    forced = public.model_copy(update={"cookie_secure": False})
    assert forced.secure_cookie is False
    login = env.client.post("/api/auth/login", json={"name": "coord.az", "password": PASSWORD})
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "samesite=strict" in cookie.lower()


def test_the_printable_sitrep_loads_nothing(env: Env) -> None:
    coord = env.login("coord.az")
    case = env.client.post("/api/cases", json=CASE, headers=coord).json()
    page = env.client.get(f"/api/cases/{case['id']}/sitrep.html", headers=coord)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'")
    assert "script-src" not in policy
