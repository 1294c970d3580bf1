"""Shared fixtures: the test corpora kept in ``tests/data`` (see its README)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Path of the test corpora shipped with the tests (``tests/data``)."""
    return DATA
