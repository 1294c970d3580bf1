"""The same case drifts the same way from the web service, the command line and the exercise.

PIW-1 in the water at 40.2 N 50.4 E, wind from 000 at 25 kn, current toward 180 at 0.6 kn,
every drift option left at its default: the request each interface actually ran (recorded in
its result) is the same, forcing perturbation included.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from littoral.api import create_app
from littoral.cli.main import main
from littoral.clock import FixedClock
from littoral.drift import read_netcdf
from littoral.exercise.casebook import CaseBook
from littoral.exercise.sar import LastKnown
from littoral.exercise.weather import OnScene as Weather
from littoral.records.alerts import Alert, Priority
from littoral.services import AccountDesk, DriftParams, Role, build_settings, system_user
from littoral.store import open_store
from littoral.units import kn_to_ms

pytestmark = pytest.mark.slow  # three drifts, a web service and a command: about 20 s

LON, LAT = 50.4, 40.2
DATUM_TIME = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
WIND = (0.0, 25.0)
CURRENT = (180.0, 0.6)
PASSWORD = "correct horse battery"


def _settings(tmp_path: Path, name: str) -> Any:
    return build_settings(
        db_url=f"sqlite:///{tmp_path / name}",
        data_dir=tmp_path / f"{name}-data",
        argon2_time_cost=1,
        argon2_memory_kib=32,
        watch=False,
        warm_base_map=False,
    )


def through_the_api(tmp_path: Path) -> dict[str, Any]:
    settings = _settings(tmp_path, "api.sqlite")
    store = open_store(settings.db_url)
    try:
        app = create_app(settings, store, FixedClock(DATUM_TIME + timedelta(hours=1)))
        with TestClient(app) as client:
            admin = AccountDesk(app.state.services, system_user("cli", "AZ"))
            admin.add_user("coord.az", "AZ", "coordinator", PASSWORD)
            login = client.post("/api/auth/login", json={"name": "coord.az", "password": PASSWORD})
            client.cookies.clear()
            auth = {"Authorization": f"Bearer {login.json()['token']}"}
            case = client.post(
                "/api/cases",
                json={
                    "title": "Person in the water",
                    "datum_lon": LON,
                    "datum_lat": LAT,
                    "datum_time": DATUM_TIME.isoformat(),
                    "object_class": "PIW-1",
                },
                headers=auth,
            ).json()
            scene = {
                "wind_from_deg": WIND[0],
                "wind_speed_kn": WIND[1],
                "current_to_deg": CURRENT[0],
                "current_speed_kn": CURRENT[1],
            }
            put = client.put(f"/api/cases/{case['id']}/environment", json=scene, headers=auth)
            assert put.status_code == 200, put.text
            started = client.post(f"/api/cases/{case['id']}/drift", json={}, headers=auth)
            assert started.status_code == 202, started.text
            run_id = started.json()["id"]
            deadline = time.monotonic() + 300
            while True:
                run = client.get(f"/api/runs/{run_id}", headers=auth).json()
                if run["status"] in ("done", "failed") or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert run["status"] == "done", run["message"]
            recorded: dict[str, Any] = run["summary"]["request"]
    finally:
        store.close()
    return recorded


def through_the_cli(tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "cli.nc"
    argv = ["drift", "run", "--object", "PIW-1", "--lat", str(LAT), "--lon", str(LON),
            "--time", "2026-01-10T06:00Z", "--wind", "0/25", "--current", "180/0.6",
            "--out", str(out), "--quiet"]  # fmt: skip
    assert main(argv) == 0
    recorded: dict[str, Any] = json.loads(read_netcdf(out).attrs["request"])
    return recorded


def through_the_exercise(tmp_path: Path) -> dict[str, Any]:
    """The exercise's own path: a case opened from the distress alert, on-scene weather."""
    settings = _settings(tmp_path, "exercise.sqlite")
    store = open_store(settings.db_url)
    try:
        alert = Alert(
            id="distress:beacon:972000001:x",
            rule="distress",
            priority=Priority.CRITICAL,
            mmsis=(972000001,),
            start=DATUM_TIME + timedelta(minutes=5),
            lon=LON + 0.01,
            lat=LAT,
            reason="DISTRESS: MOB device 972000001 active",
        )
        store.alerts.upsert([alert], alert.start)
        hours = np.arange(-2, 30)
        times = np.array(
            [np.datetime64(int(DATUM_TIME.timestamp() + 3600 * h), "s") for h in hours]
        )
        weather = Weather(
            times=times,
            wind_speed_ms=np.full(hours.size, float(kn_to_ms(WIND[1]))),
            wind_from_deg=np.full(hours.size, WIND[0]),
            current_speed_ms=np.full(hours.size, float(kn_to_ms(CURRENT[1]))),
            current_to_deg=np.full(hours.size, CURRENT[0]),
        )
        book = CaseBook(store, tmp_path / "exercise-data", alert.start)
        lkp = LastKnown(972000001, LON, LAT, DATUM_TIME, 12)
        book.open(alert, lkp, weather, "AZ", "Person overboard", alert.start)
        result = book.drift(DriftParams(), alert.start + timedelta(minutes=10))
        recorded: dict[str, Any] = json.loads(result.attrs["request"])
        assert {e.user_name for e in book.ctx.service.audit(100, 0)[0]} == {"exercise"}
        assert book.user().role == Role.COORDINATOR
    finally:
        store.close()
    return recorded


def test_api_cli_and_exercise_build_the_same_drift_request(tmp_path: Path) -> None:
    api = through_the_api(tmp_path)
    cli = through_the_cli(tmp_path)
    exercise = through_the_exercise(tmp_path)
    assert api == cli == exercise
    assert api["perturbation"] is not None
    assert api["perturbation"].startswith("Perturbation(")
    assert api["particles"] == DriftParams().particles
    assert api["forcing"] == ["constant wind from 0 deg at 25 kn; current toward 180 deg at 0.6 kn"]
