"""Small inputs built by hand for the search tests."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from littoral.drift.result import DriftResult, ParticleStatus

T0 = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def drift_cloud(
    n: int = 2000,
    *,
    lon0: float = 51.0,
    lat0: float = 41.0,
    spread_deg: float = 0.05,
    speed_deg_h: float = 0.01,
    hours: int = 6,
    seed: int = 7,
) -> DriftResult:
    """A cloud drifting east at a constant rate, no stranding."""
    rng = np.random.default_rng(seed)
    lon_s = lon0 + spread_deg * rng.standard_normal(n)
    lat_s = lat0 + spread_deg * rng.standard_normal(n)
    k = np.arange(hours + 1, dtype=np.float64)[:, None]
    lon = lon_s[None, :] + speed_deg_h * k
    lat = np.repeat(lat_s[None, :], hours + 1, axis=0)
    start = np.datetime64(T0.replace(tzinfo=None), "s")
    times = start + np.arange(hours + 1) * np.timedelta64(3600, "s")
    return DriftResult(
        times=times,
        lon=lon,
        lat=lat,
        status=np.full(lon.shape, ParticleStatus.ACTIVE, dtype=np.int8),
        weight=np.full(n, 1.0 / n),
        seed=seed,
        object_class="PIW-1",
    )
