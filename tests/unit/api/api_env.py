"""Helpers of the service tests: a real SQLite file, a fixed clock, accounts of two states."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from littoral.api import create_app
from littoral.api.services import Services
from littoral.clock import FixedClock
from littoral.services.settings import ApiSettings, build_settings
from littoral.store import open_store

START = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


@dataclass
class Env:
    """A running service on a SQLite file with its clock and a test client."""

    app: FastAPI
    client: TestClient
    clock: FixedClock
    settings: ApiSettings
    db_path: Path

    @property
    def services(self) -> Services:
        services: Services = self.app.state.services
        return services

    def add_user(self, name: str, state: str, role: str, password: str = PASSWORD) -> None:
        s = self.services
        s.service.add_user(name, state, role, s.hasher.hash(password), self.clock.now())

    def login(self, name: str, password: str = PASSWORD) -> dict[str, str]:
        response = self.client.post("/api/auth/login", json={"name": name, "password": password})
        assert response.status_code == 200, response.text
        self.client.cookies.clear()
        return {"Authorization": f"Bearer {response.json()['token']}"}


def make_settings(tmp_path: Path, **overrides: object) -> ApiSettings:
    values: dict[str, object] = {
        "db_url": f"sqlite:///{tmp_path / 'littoral.db'}",
        "data_dir": tmp_path / "data",
        "argon2_time_cost": 1,
        "argon2_memory_kib": 32,
        "token_ttl_s": 3600.0,
        "login_max_failures": 3,
        "login_window_s": 60.0,
        "max_body_bytes": 200_000,
        "watch": False,
        "warm_base_map": False,
    }
    values.update(overrides)
    return build_settings(**values)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    settings = make_settings(tmp_path)
    clock = FixedClock(START)
    store = open_store(settings.db_url)
    app = create_app(settings, store, clock)
    with TestClient(app) as client:
        environment = Env(app, client, clock, settings, tmp_path / "littoral.db")
        environment.add_user("admin.az", "AZ", "admin")
        environment.add_user("coord.az", "AZ", "coordinator")
        environment.add_user("coord.ru", "RU", "coordinator")
        environment.add_user("watch.kz", "KZ", "watch_officer")
        yield environment
    store.close()
