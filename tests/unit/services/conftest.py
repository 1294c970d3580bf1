"""A service context on a real SQLite file with a fixed clock, as a command makes one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from littoral.clock import FixedClock
from littoral.services import ServiceContext, build_settings
from littoral.store import open_store

START = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[ServiceContext]:
    settings = build_settings(
        db_url=f"sqlite:///{tmp_path / 'littoral.db'}",
        data_dir=tmp_path / "data",
        argon2_time_cost=1,
        argon2_memory_kib=32,
        watch=False,
    )
    store = open_store(settings.db_url)
    context = ServiceContext.build(settings, store, FixedClock(START))
    try:
        yield context
    finally:
        context.close()
        store.close()
