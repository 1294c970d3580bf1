"""Accounts and security: login, 401/403, expiry, rate limit, audit, hostile input."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from api_env import PASSWORD, Env
from sqlalchemy import text


def test_health_needs_no_login(env: Env) -> None:
    response = env.client.get("/health")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_no_token_is_401_with_a_json_reason(env: Env) -> None:
    paths = (
        "/api/me",
        "/api/users",
        "/api/audit",
        "/api/events",
        "/api/vessels",
        "/api/alerts",
        "/api/cases",
        "/api/geo/sea",
        "/api/cases/1/sitrep",
    )
    for path in paths:
        response = env.client.get(path)
        assert response.status_code == 401
        body = response.json()
        assert body["error"] == "unauthorized"
        assert "log in" in body["reason"]
    page = env.client.get("/")  # the page itself loads, and asks for a login
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_garbage_token_is_401(env: Env) -> None:
    response = env.client.get("/api/me", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401


def test_login_gives_a_token_and_a_cookie(env: Env) -> None:
    response = env.client.post("/api/auth/login", json={"name": "coord.az", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {
        "name": "coord.az",
        "state": "AZ",
        "role": "coordinator",
        "language": "en",
        "disabled": False,
        "created": "2026-05-01T12:00:00Z",
    }
    assert "littoral_session" in response.cookies
    assert "httponly" in response.headers["set-cookie"].lower()
    assert env.client.get("/api/me").json()["name"] == "coord.az"  # the cookie works
    env.client.cookies.clear()
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert env.client.get("/api/me", headers=headers).json()["state"] == "AZ"


def test_token_stored_only_as_digest_and_password_only_as_argon2(env: Env) -> None:
    headers = env.login("coord.az")
    token = headers["Authorization"].split()[1]
    with env.services.service.engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(text("SELECT password_hash FROM users"))]
        stored = [r[0] for r in conn.execute(text("SELECT token_sha256 FROM sessions"))]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_expired_token_is_401(env: Env) -> None:
    headers = env.login("coord.az")
    env.clock.advance(timedelta(seconds=env.settings.token_ttl_s - 1))
    assert env.client.get("/api/me", headers=headers).status_code == 200
    env.clock.advance(timedelta(seconds=2))
    response = env.client.get("/api/me", headers=headers)
    assert response.status_code == 401
    assert "expired" in response.json()["reason"]


def test_logout_ends_the_session(env: Env) -> None:
    headers = env.login("coord.az")
    assert env.client.post("/api/auth/logout", headers=headers).status_code == 200
    assert env.client.get("/api/me", headers=headers).status_code == 401


def test_failed_logins_are_rate_limited_then_allowed_again(env: Env) -> None:
    for _ in range(env.settings.login_max_failures):
        bad = {"name": "coord.az", "password": "x" * 9}
        response = env.client.post("/api/auth/login", json=bad)
        assert response.status_code == 401
    response = env.client.post("/api/auth/login", json={"name": "coord.az", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    env.clock.advance(timedelta(seconds=env.settings.login_window_s + 1))
    response = env.client.post("/api/auth/login", json={"name": "coord.az", "password": PASSWORD})
    assert response.status_code == 200


def test_unknown_user_and_wrong_password_answer_alike(env: Env) -> None:
    a = env.client.post("/api/auth/login", json={"name": "nobody", "password": "whatever1"})
    b = env.client.post("/api/auth/login", json={"name": "coord.az", "password": "whatever1"})
    assert a.status_code == b.status_code == 401
    assert a.json() == b.json()


def test_roles_users_and_audit_are_for_administrators(env: Env) -> None:
    coord = env.login("coord.az")
    assert env.client.get("/api/users", headers=coord).status_code == 403
    assert env.client.get("/api/audit", headers=coord).status_code == 403
    admin = env.login("admin.az")
    names = [u["name"] for u in env.client.get("/api/users", headers=admin).json()]
    assert names == ["admin.az", "coord.az", "coord.ru", "watch.kz"]


def test_admin_adds_users_of_own_state_only(env: Env) -> None:
    admin = env.login("admin.az")
    new = {"name": "watch.az", "state": "AZ", "role": "watch_officer", "password": "a" * 10}
    assert env.client.post("/api/users", json=new, headers=admin).status_code == 201
    again = env.client.post("/api/users", json=new, headers=admin)
    assert again.status_code == 422
    assert "already taken" in again.json()["reason"]
    other = dict(new, name="watch.ru", state="RU")
    response = env.client.post("/api/users", json=other, headers=admin)
    assert response.status_code == 403
    assert "RU" in response.json()["reason"]
    env.login("watch.az", "a" * 10)


def test_user_chooses_language(env: Env) -> None:
    headers = env.login("watch.kz")
    response = env.client.patch("/api/me", json={"language": "ru"}, headers=headers)
    assert response.json()["language"] == "ru"
    response = env.client.patch("/api/me", json={"language": "xx"}, headers=headers)
    assert response.status_code == 422
    for code in ("az", "fa", "kk", "tk", "en"):
        response = env.client.patch("/api/me", json={"language": code}, headers=headers)
        assert response.json()["language"] == code


def test_the_page_strings_load_before_login(env: Env) -> None:
    response = env.client.get("/i18n.json")
    assert response.status_code == 200
    catalogues = response.json()
    assert sorted(catalogues) == ["az", "en", "fa", "kk", "ru", "tk"]
    assert catalogues["fa"]["_dir"] == "rtl"
    assert catalogues["kk"]["login.submit"] == "Кіру"


def test_audit_log_records_each_write(env: Env) -> None:
    headers = env.login("watch.kz")
    env.client.patch("/api/me", json={"language": "ru"}, headers=headers)
    env.client.post("/api/auth/login", json={"name": "watch.kz", "password": "wrong-one"})
    env.clock.advance(timedelta(minutes=5))
    admin = env.login("admin.az")
    entries = env.client.get("/api/audit", headers=admin).json()["entries"]
    seen = [(e["user_name"], e["method"], e["path"], e["status_code"]) for e in entries]
    assert seen[:4] == [
        ("admin.az", "POST", "/api/auth/login", 200),
        ("watch.kz", "POST", "/api/auth/login", 401),
        ("watch.kz", "PATCH", "/api/me", 200),
        ("watch.kz", "POST", "/api/auth/login", 200),
    ]
    assert entries[0]["time"] == "2026-05-01T12:05:00Z"
    assert entries[2]["detail"] == {"language": "ru"}
    assert entries[2]["state"] == "KZ"


def test_sql_looking_input_is_refused_cleanly(env: Env) -> None:
    for name in ("admin.az' OR '1'='1", "x'; DROP TABLE users; --"):
        body = {"name": name, "password": "' OR 1=1 --"}
        response = env.client.post("/api/auth/login", json=body)
        assert response.status_code == 422
        assert response.json()["error"] == "invalid_input"
    response = env.client.post(
        "/api/auth/login", json={"name": "admin.az", "password": "' OR '1'='1' --"}
    )
    assert response.status_code == 401
    admin = env.login("admin.az")
    assert len(env.client.get("/api/users", headers=admin).json()) == 4


def test_oversized_input_is_refused_cleanly(env: Env) -> None:
    big = "x" * (env.settings.max_body_bytes + 10)
    response = env.client.post("/api/auth/login", content=big)
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    long_password = {"name": "coord.az", "password": "p" * 5000}
    response = env.client.post("/api/auth/login", json=long_password)
    assert response.status_code == 422
    assert "password" in response.json()["reason"]


def test_bad_requests_are_json_4xx(env: Env) -> None:
    # no route is revealed, and no body is validated, before a session is shown
    assert env.client.get("/api/nothing-here").json()["error"] == "unauthorized"
    headers = env.login("coord.az")
    assert env.client.get("/api/nothing-here", headers=headers).json()["error"] == "not_found"
    refused = env.client.post(
        "/api/cases", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert refused.status_code == 401
    response = env.client.delete("/health")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    response = env.client.post(
        "/api/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
