"""Every vessel of a generated day keeps to the water: plans leg by leg, and every report.

The watch rightly raises an on-land integrity alert for a position ashore, so the only such
reports of a day are the planted spoofed ones. Legs are checked exactly against the shore
(islands included) with :func:`littoral.geo.mask.segment_crossings`; reports are checked at
real AIS rates (``rate_scale=1``), a few tens of metres apart.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from littoral.exercise.fleet import IdentityFactory
from littoral.exercise.motion import Plan
from littoral.exercise.planted import plan_planted
from littoral.exercise.schedules import Spacing
from littoral.exercise.traffic import Traffic, generate_traffic
from littoral.geo import CaspianSea, WaterClass
from littoral.geo.mask import classify_points, segment_crossings

START = datetime(2026, 10, 14, tzinfo=UTC)


@pytest.fixture(scope="module")
def sea() -> CaspianSea:
    return CaspianSea.load()


def _crossing_legs(sea: CaspianSea, plans: list[Plan] | tuple[Plan, ...]) -> list[str]:
    """Describe every leg of the plans that meets the shore or starts off the sea."""
    bad = []
    for v, plan in enumerate(plans):
        x = np.asarray(plan.lon, dtype=np.float64)
        y = np.asarray(plan.lat, dtype=np.float64)
        wet = classify_points(sea.mask, x, y) == WaterClass.SEA
        t = segment_crossings(sea.mask, x[:-1].copy(), y[:-1].copy(), x[1:].copy(), y[1:].copy())
        for i in np.flatnonzero(t >= 0.0):
            bad.append(f"vessel {v}: ({x[i]:.4f}, {y[i]:.4f}) -> ({x[i + 1]:.4f}, {y[i + 1]:.4f})")
        for i in np.flatnonzero(~wet):
            bad.append(f"vessel {v}: knot ({x[i]:.4f}, {y[i]:.4f}) not in the sea")
    return bad


@pytest.mark.parametrize("hours", [6.0, 24.0])
def test_planted_vessels_keep_to_the_water(sea: CaspianSea, hours: float) -> None:
    # the tanker of the ship-to-ship transfer goes on to Baku round Absheron, not across it
    rng = np.random.default_rng(3)
    planted = plan_planted(rng, sea, IdentityFactory(rng), hours, Spacing(1500.0))
    assert _crossing_legs(sea, [p for _, p in planted.vessels]) == []


@pytest.fixture(scope="module", params=[(3, 6.0, 60), (7, 24.0, 200), (2026, 24.0, 120)])
def day(request: pytest.FixtureRequest) -> Traffic:
    seed, hours, vessels = request.param
    return generate_traffic(
        np.random.default_rng(seed), START, hours, vessels, rate_scale=1.0, max_interval_s=180.0
    )


def test_every_leg_of_every_vessel_keeps_to_the_water(sea: CaspianSea, day: Traffic) -> None:
    assert len(day.plans) == len(day.vessels)
    assert _crossing_legs(sea, day.plans) == []


def test_every_report_is_in_the_sea_but_the_spoofed(sea: CaspianSea, day: Traffic) -> None:
    r = day.reports
    cls = classify_points(sea.mask, r.lon, r.lat)
    off = (cls != WaterClass.SEA) & ~r.spoofed
    assert not off.any(), sorted(set(zip(r.mmsi[off].tolist(), cls[off].tolist(), strict=True)))
    assert r.spoofed.sum() == 3
    assert (cls[r.spoofed] == WaterClass.LAND).all()
