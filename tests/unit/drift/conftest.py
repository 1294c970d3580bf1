"""Fixtures of the drift tests."""

from typing import Any

import pytest
from drift_helpers import request


@pytest.fixture
def make_request() -> Any:
    return request
