"""Two centres, two real services: a case exported by one is imported by the other, whole.

Each centre runs ``littoral serve`` with its own SQLite store and data folder. Baku (AZ) signs
with the key ``littoral case keygen`` wrote; Astrakhan (RU) trusts Baku's public key, and
Baku trusts Astrakhan's. A case with scenarios, units, a drift and a plan goes from Baku to
Astrakhan; Astrakhan's own package of the imported case then holds the same case, log,
units, scenarios, runs, drift clouds (byte for byte) and plans as Baku's. A package with one
byte changed is refused over HTTP and on the command line.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import xarray as xr

pytestmark = pytest.mark.slow

PASSWORD = "two-centres-one-case"
CASE = {
    "title": "Fishing boat Ulduz",
    "datum_lon": 50.9,
    "datum_lat": 40.6,
    "datum_time": "2026-05-01T11:00:00Z",
    "object_class": "PIW-1",
    "persons": 2,
    "description": "flooding",
}
ENVIRONMENT = {
    "wind_from_deg": 340,
    "wind_speed_kn": 20,
    "current_to_deg": 180,
    "current_speed_kn": 0.5,
    "visibility_nm": 10,
    "sea_height_m": 1,
}


def littoral(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LITTORAL_PASSWORD": PASSWORD}
    return subprocess.run(
        [sys.executable, "-m", "littoral.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def centre(folder: Path, user: str, state: str, *keys: str) -> Iterator[httpx.Client]:
    """Run ``littoral serve`` on its own store and data folder; yield a logged-in client."""
    folder.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{folder / 'centre.db'}"
    added = littoral("users", "add", user, "--state", state, "--role", "coordinator", "--db", db)
    assert added.returncode == 0, added.stderr
    port = _port()
    command = [sys.executable, "-m", "littoral.cli.main", "serve", "--db", db, "--port", str(port)]
    command += ["--data-dir", str(folder / "data"), "--no-watch", *keys]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the service did not start"
            time.sleep(0.3)
        with httpx.Client(base_url=url, timeout=120) as client:
            login = client.post("/api/auth/login", json={"name": user, "password": PASSWORD})
            assert login.status_code == 200, login.text
            client.cookies.clear()
            client.headers["Authorization"] = f"Bearer {login.json()['token']}"
            yield client
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _done(client: httpx.Client, run: dict[str, Any]) -> None:
    deadline = time.monotonic() + 300
    while True:
        state = client.get(f"/api/runs/{run['id']}").json()
        if state["status"] in ("done", "failed", "interrupted"):
            assert state["status"] == "done", state
            return
        assert time.monotonic() < deadline, state
        time.sleep(0.5)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _document(members: dict[str, bytes]) -> dict[str, Any]:
    """The package's case.json without the ids that are the sender's own."""
    doc: dict[str, Any] = json.loads(members["case.json"])
    doc.pop("source_case_id")
    for run in doc["runs"]:
        run.pop("id")
        run["data"] = run["data"] is not None
    return doc


def _cloud(blob: bytes, folder: Path, name: str) -> tuple[np.ndarray, np.ndarray]:
    path = folder / name
    path.write_bytes(blob)
    with xr.open_dataset(path) as ds:
        return ds["lon"].values.copy(), ds["lat"].values.copy()


def _build_case(baku: httpx.Client) -> int:
    cid = int(baku.post("/api/cases", json=CASE).json()["id"])
    assert baku.put(f"/api/cases/{cid}/environment", json=ENVIRONMENT).status_code == 200
    for scenario in (
        {"name": "last seen", "weight": 0.7, "lat": 40.6, "lon": 50.9, "radius_nm": 0.5},
        {"name": "fishing ground", "weight": 0.3, "lat": 40.7, "lon": 50.8, "radius_nm": 1.0},
    ):
        added = baku.post(f"/api/cases/{cid}/scenarios", json=scenario)
        assert added.status_code == 201, added.text
    unit = {"name": "SAR-1", "platform": "vessel", "speed_kn": 12, "endurance_h": 6}
    assert baku.post(f"/api/cases/{cid}/units", json=unit).status_code == 201
    baku.post(f"/api/cases/{cid}/log", json={"text": "owner called: 2 POB"})
    drift = baku.post(f"/api/cases/{cid}/drift", json={"particles": 300, "duration_h": 5})
    assert drift.status_code == 202, drift.text
    _done(baku, drift.json())
    plan = baku.post(f"/api/cases/{cid}/plan", json={"start_time": "2026-05-01T13:00:00Z"})
    _done(baku, plan.json())
    return cid


def test_a_case_goes_from_one_centre_to_another_whole(tmp_path: Path) -> None:
    for code in ("AZ", "RU"):
        made = littoral("case", "keygen", "--centre", code, "--out", str(tmp_path / code))
        assert made.returncode == 0, made.stderr
    for here, there in (("AZ", "RU"), ("RU", "AZ")):
        (tmp_path / f"trusted-by-{here}").mkdir()
        shutil.copy(tmp_path / there / f"{there}.pub", tmp_path / f"trusted-by-{here}")

    def keys(code: str) -> list[str]:
        return ["--package-key", str(tmp_path / code / f"{code}.key"),
                "--trusted-keys", str(tmp_path / f"trusted-by-{code}")]  # fmt: skip

    with (
        centre(tmp_path / "baku", "coord.az", "AZ", *keys("AZ")) as baku,
        centre(tmp_path / "astrakhan", "coord.ru", "RU", *keys("RU")) as astrakhan,
    ):
        cid = _build_case(baku)
        sent = baku.get(f"/api/cases/{cid}/package")
        assert sent.status_code == 200, sent.text
        assert sent.headers["content-type"] == "application/zip"
        package = sent.content

        # one changed byte anywhere is refused, and nothing is made
        tampered = bytearray(package)
        tampered[len(tampered) // 2] ^= 0xFF
        refused = astrakhan.post(
            "/api/cases/import",
            content=bytes(tampered),
            headers={"Content-Type": "application/zip"},
        )
        assert refused.status_code == 422
        assert refused.json()["reason"].startswith("the package")  # names what is wrong
        assert astrakhan.get("/api/cases").json() == []

        taken = astrakhan.post(
            "/api/cases/import", content=package, headers={"Content-Type": "application/zip"}
        )
        assert taken.status_code == 201, taken.text
        imported = taken.json()
        assert imported["sender"] == "AZ"
        new = imported["case"]["id"]
        run_ids = {int(k): v for k, v in imported["run_ids"].items()}

        # what each service shows of the case is the same but for the ids
        def same(path_a: str, path_b: str, drop: tuple[str, ...]) -> None:
            a, b = baku.get(path_a).json(), astrakhan.get(path_b).json()
            strip = lambda x: {k: v for k, v in x.items() if k not in drop}  # noqa: E731
            if isinstance(a, list):
                assert [strip(x) for x in a] == [strip(x) for x in b], path_a
            else:
                assert strip(a) == strip(b), path_a

        same(f"/api/cases/{cid}", f"/api/cases/{new}", ("id", "editable"))
        same(f"/api/cases/{cid}/log", f"/api/cases/{new}/log", ("id", "case_id"))
        same(f"/api/cases/{cid}/units", f"/api/cases/{new}/units", ("id", "case_id"))
        same(f"/api/cases/{cid}/scenarios", f"/api/cases/{new}/scenarios", ("id", "case_id"))
        same(f"/api/cases/{cid}/plan", f"/api/cases/{new}/plan", ())
        assert astrakhan.get(f"/api/cases/{new}/sam").status_code == 200

        # Astrakhan's own package of the imported case holds what Baku sent
        back = astrakhan.get(f"/api/cases/{new}/package")
        assert back.status_code == 200
        sent_members, back_members = _members(package), _members(back.content)
        assert _document(sent_members) == _document(back_members)
        for old, now in run_ids.items():
            for name in ("runs/run-{}.npz", "plans/plan-{}.gpx"):
                a_name, b_name = name.format(old), name.format(now)
                assert (a_name in sent_members) == (b_name in back_members)
                if a_name in sent_members:
                    assert sent_members[a_name] == back_members[b_name], a_name
        drifts = [n for n in sent_members if n.startswith("drift/")]
        assert drifts
        for name in drifts:
            old = int(name.split("-")[1].split(".")[0])
            lon_a, lat_a = _cloud(sent_members[name], tmp_path, "a.nc")
            lon_b, lat_b = _cloud(back_members[f"drift/run-{run_ids[old]}.nc"], tmp_path, "b.nc")
            np.testing.assert_array_equal(lon_a, lon_b)
            np.testing.assert_array_equal(lat_a, lat_b)
        for language in ("en", "ru"):
            sitrep = sent_members[f"messages/sitrep.{language}.txt"].decode().splitlines()
            again = back_members[f"messages/sitrep.{language}.txt"].decode().splitlines()
            assert sitrep[1:] == again[1:]  # all but the date-time group of the writing
        assert any(n.startswith("messages/sam-plan-") for n in sent_members)

    # the command line refuses the same tampered package, naming why
    (tmp_path / "tampered.zip").write_bytes(bytes(tampered))
    db = f"sqlite:///{tmp_path / 'astrakhan' / 'centre.db'}"
    cli = littoral("case", "import", str(tmp_path / "tampered.zip"), "--db", db, "--state", "RU",
                   "--trusted", str(tmp_path / "trusted-by-RU"), "--data-dir",
                   str(tmp_path / "astrakhan" / "data"))  # fmt: skip
    assert cli.returncode == 2
    assert cli.stderr.startswith("littoral: error: ")
    assert "Traceback" not in cli.stderr
