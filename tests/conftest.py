"""Shared fixtures: the read-only reference folder ``../shared`` when it exists."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Path of the shared reference data; skip the test where it is not beside the checkout."""
    if not SHARED.is_dir():
        pytest.skip(f"reference folder {SHARED.name}/ beside the checkout is not present")
    return SHARED
