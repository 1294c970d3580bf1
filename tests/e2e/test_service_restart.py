"""``littoral serve`` as a process: live events, SIGTERM, and resuming on the same database."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_service import PASSWORD, NmeaServer, Service, start_service
from test_map_page import positions

pytestmark = pytest.mark.slow


def login(url: str) -> dict[str, str]:
    response = httpx.post(f"{url}/api/auth/login", json={"name": "coord.az", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def listen(url: str, headers: dict[str, str], events: list[tuple[str, Any]]) -> None:
    kind = ""
    with httpx.stream("GET", f"{url}/api/events", headers=headers, timeout=30) as response:
        for line in response.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))


def test_live_events_clean_stop_and_resume(service: Service, tmp_path: Path) -> None:
    headers = login(service.url)
    events: list[tuple[str, Any]] = []
    threading.Thread(target=listen, args=(service.url, headers, events), daemon=True).start()
    time.sleep(1.0)
    service.feed.send(positions(0))
    wanted = {423000105, 636000100}
    deadline = time.monotonic() + 20
    moved: set[int] = set()
    while not moved >= wanted and time.monotonic() < deadline:
        time.sleep(0.2)
        moved = {v["mmsi"] for kind, data in list(events) if kind == "positions" for v in data}
    assert moved >= wanted
    case = httpx.post(
        f"{service.url}/api/cases",
        json={
            "title": "restart",
            "datum_lon": 50.5,
            "datum_lat": 40.5,
            "datum_time": "2026-05-01T11:00:00Z",
        },
        headers=headers,
    ).json()
    deadline = time.monotonic() + 10
    while not any(kind == "case" for kind, _ in events) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert any(kind == "case" and data["case_id"] == case["id"] for kind, data in events)
    assert httpx.get(f"{service.url}/api/vessels", headers=headers).json()["count"] == 20

    code, output = service.stop()  # the open event stream must not hold the stop up
    assert code == 0, output
    assert "service stopped" in output

    feed = NmeaServer()
    again = start_service(tmp_path, feed, add_users=False)
    try:
        # the session, the picture and the case survived the restart, before any new report
        assert httpx.get(f"{again.url}/api/me", headers=headers).json()["name"] == "coord.az"
        assert httpx.get(f"{again.url}/api/vessels", headers=headers).json()["count"] == 20
        restored = httpx.get(f"{again.url}/api/cases/{case['id']}", headers=headers).json()
        assert restored["title"] == "restart"
        runs = httpx.get(f"{again.url}/api/feed", headers=headers).json()
        assert runs["sources"] == [f"tcp://127.0.0.1:{feed.port}"]
    finally:
        code, output = again.stop()
        feed.close()
    assert code == 0, output
