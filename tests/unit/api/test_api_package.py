"""Case packages over HTTP: export signed by the centre's key, import from a trusted centre."""

from __future__ import annotations

import shutil
from pathlib import Path

from api_env import START, Env, make_settings
from fastapi.testclient import TestClient
from test_api_cases import open_case

from littoral.api import create_app
from littoral.clock import FixedClock
from littoral.services.package_sign import generate_keys
from littoral.store import open_store

ZIP = {"Content-Type": "application/zip"}


def test_without_keys_the_service_says_which_option_is_missing(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)["id"]
    export = env.client.get(f"/api/cases/{cid}/package", headers=az)
    assert export.status_code == 422
    assert "--package-key" in export.json()["reason"]
    taken = env.client.post("/api/cases/import", content=b"PK", headers={**az, **ZIP})
    assert taken.status_code == 422
    assert "--trusted-keys" in taken.json()["reason"]
    watcher = env.login("watch.kz")
    assert env.client.get(f"/api/cases/{cid}/package", headers=watcher).status_code == 403


def test_a_centre_imports_its_own_signed_package(env: Env, tmp_path: Path) -> None:
    private, public = generate_keys("AZ", tmp_path / "keys")
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    shutil.copy(public, trusted)
    settings = make_settings(tmp_path / "signed", package_key=private, trusted_keys=trusted)
    (tmp_path / "signed").mkdir()
    store = open_store(settings.db_url)
    app = create_app(settings, store, FixedClock(START))
    try:
        with TestClient(app) as client:
            services = app.state.services
            services.service.add_user(
                "coord.az", "AZ", "coordinator", services.hasher.hash("pass phrase 42"), START
            )
            token = client.post(
                "/api/auth/login", json={"name": "coord.az", "password": "pass phrase 42"}
            ).json()["token"]
            client.cookies.clear()
            az = {"Authorization": f"Bearer {token}"}
            case = client.post(
                "/api/cases",
                json={"title": "Ulduz", "datum_lon": 50.5, "datum_lat": 40.5,
                      "datum_time": "2026-05-01T11:00:00Z", "object_class": "PIW-1"},
                headers=az,
            ).json()  # fmt: skip
            client.post(f"/api/cases/{case['id']}/log", json={"text": "owner called"}, headers=az)
            package = client.get(f"/api/cases/{case['id']}/package", headers=az)
            assert package.status_code == 200
            assert 'filename="case-AZ-' in package.headers["content-disposition"]
            taken = client.post("/api/cases/import", content=package.content, headers={**az, **ZIP})
            assert taken.status_code == 201, taken.text
            body = taken.json()
            assert body["sender"] == "AZ"
            assert body["source_case_id"] == case["id"]
            new = body["case"]["id"]
            assert new != case["id"]
            assert body["case"]["title"] == "Ulduz"
            log = client.get(f"/api/cases/{new}/log", headers=az).json()
            assert [e["text"] for e in log][-1] == "owner called"
            bad = bytearray(package.content)
            bad[100] ^= 0x20
            refused = client.post("/api/cases/import", content=bytes(bad), headers={**az, **ZIP})
            assert refused.status_code == 422
            assert refused.json()["reason"].startswith("the package")
    finally:
        store.close()
