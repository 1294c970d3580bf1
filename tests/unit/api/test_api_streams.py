"""Live streams end with their session and are capped per user and in total."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_env import PASSWORD, START, make_settings
from served import serve

from littoral.api import create_app
from littoral.api.services import Services
from littoral.clock import FixedClock
from littoral.store import open_store


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    settings = make_settings(
        tmp_path, stream_session_check_s=0.2, max_streams_per_user=2, max_streams_total=3
    )
    clock = FixedClock(START)
    store = open_store(settings.db_url)
    app = create_app(settings, store, clock)
    services: Services = app.state.services
    for name, role in (("coord.az", "coordinator"), ("admin.az", "admin"), ("w.az", "admin")):
        services.service.add_user(name, "AZ", role, services.hasher.hash(PASSWORD), clock.now())
    with serve(app) as url:
        yield url
    store.close()


def _login(url: str, name: str) -> dict[str, str]:
    r = httpx.post(f"{url}/api/auth/login", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


class Listener:
    """Read one event stream in a thread, keeping its lines."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.status = 0
        self.opened = threading.Event()
        self.ended = threading.Event()
        threading.Thread(target=self._run, args=(url, headers), daemon=True).start()
        assert self.opened.wait(10)

    def _run(self, url: str, headers: dict[str, str]) -> None:
        try:
            with httpx.stream("GET", f"{url}/api/events", headers=headers, timeout=30) as r:
                self.status = r.status_code
                self.opened.set()
                for line in r.iter_lines():
                    self.lines.append(line)
        except httpx.HTTPError:
            pass
        finally:
            self.opened.set()
            self.ended.set()


def test_stream_ends_on_logout_and_on_disable(base_url: str) -> None:
    coord = _login(base_url, "coord.az")
    stream = Listener(base_url, coord)
    assert stream.status == 200
    time.sleep(0.5)
    assert not stream.ended.is_set()
    assert httpx.post(f"{base_url}/api/auth/logout", headers=coord).status_code == 200
    assert stream.ended.wait(3), "the stream outlived its session"
    assert "event: session" in stream.lines

    coord = _login(base_url, "coord.az")
    stream = Listener(base_url, coord)
    admin = _login(base_url, "admin.az")
    patch = httpx.patch(f"{base_url}/api/users/coord.az", json={"disabled": True}, headers=admin)
    assert patch.status_code == 200, patch.text
    assert stream.ended.wait(3), "the stream outlived a disabled account"


def test_streams_are_capped_per_user_and_in_total(base_url: str) -> None:
    coord = _login(base_url, "coord.az")
    first, second = Listener(base_url, coord), Listener(base_url, coord)
    assert (first.status, second.status) == (200, 200)
    third = httpx.get(f"{base_url}/api/events", headers=coord)
    assert third.status_code == 429
    assert "at most 2" in third.json()["reason"]
    admin = _login(base_url, "admin.az")
    assert Listener(base_url, admin).status == 200  # another user: 3 in all
    over = httpx.get(f"{base_url}/api/events", headers=_login(base_url, "w.az"))
    assert over.status_code == 429
    assert "3 live streams" in over.json()["reason"]
    httpx.post(f"{base_url}/api/auth/logout", headers=coord)
    assert first.ended.wait(3)
    assert second.ended.wait(3)
    time.sleep(0.3)
    assert Listener(base_url, _login(base_url, "w.az")).status == 200  # room again
