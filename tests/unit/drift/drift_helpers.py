"""Helpers for drift tests: a small open-water request and closed-form sphere motion."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from littoral.drift import ConstantForcing, DriftRequest, PointSeed
from littoral.units import EARTH_RADIUS_M

T0 = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)


def request(**kw: Any) -> DriftRequest:
    base: dict[str, Any] = {
        "object_class": "PIW-1",
        "seeding": PointSeed(51.0, 42.0, 0.0),
        "time": T0,
        "duration": timedelta(hours=48),
        "forcing": [ConstantForcing.from_observation(wind=(0.0, 0.0), current=(0.0, 0.0))],
        "particles": 200,
        "seed": 7,
        "coast": False,
    }
    base.update(kw)
    return DriftRequest(**base)


def rhumb_destination(
    lon0: np.ndarray, lat0: np.ndarray, u_ms: float, v_ms: float, t_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact end of motion at constant east/north velocity on the sphere (a loxodrome)."""
    phi0 = np.radians(lat0)
    phi1 = phi0 + v_ms * t_s / EARTH_RADIUS_M
    if abs(v_ms) < 1e-9 * max(abs(u_ms), 1e-300):
        dlam = u_ms * t_s / (EARTH_RADIUS_M * np.cos(phi0))
    else:
        psi = lambda p: np.log(np.tan(math.pi / 4 + p / 2))  # noqa: E731
        dlam = (u_ms / v_ms) * (psi(phi1) - psi(phi0))
    return lon0 + np.degrees(dlam), np.degrees(phi1)
