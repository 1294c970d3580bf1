"""A drift request refuses a bad value when it is made, naming it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from littoral.drift import (
    Capsizing,
    ConstantForcing,
    DriftRequest,
    Perturbation,
    PointSeed,
)
from littoral.errors import InputError

T0 = datetime(2026, 1, 10, 6, tzinfo=UTC)


def make(**overrides: Any) -> DriftRequest:
    values: dict[str, Any] = {
        "object_class": "PIW-1",
        "seeding": PointSeed(50.4, 40.2),
        "time": T0,
        "duration": timedelta(hours=6),
        "forcing": [ConstantForcing.from_observation(wind=(0.0, 10.0), current=(90.0, 0.5))],
    }
    values.update(overrides)
    return DriftRequest(**values)


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"particles": 0}, "particles=0"),
        ({"particles": 2.5}, "particles=2.5"),
        ({"seed": -1}, "seed=-1"),
        ({"object_class": ""}, "object_class=''"),
        ({"time": datetime(2026, 1, 10, 6)}, "naive"),  # noqa: DTZ001 (the bad value)
        ({"duration": timedelta(0)}, "duration=0:00:00"),
        ({"step": timedelta(0)}, "step=0"),
        ({"output_step": timedelta(minutes=25)}, "output_step=0:25:00"),
        ({"jibe_probability_per_h": 1.0}, "jibe_probability_per_h=1.0"),
        ({"device": "tpu"}, "device='tpu'"),
        ({"max_drift_speed_ms": 0.0}, "max_drift_speed_ms=0.0"),
        ({"release_end": T0 - timedelta(hours=1)}, "release_end="),
        ({"release_end": T0 + timedelta(hours=7)}, "after the run ends"),
        ({"capsizing": Capsizing(), "step": timedelta(minutes=-10)}, "capsizing"),
        ({"forcing": ["wind.nc"]}, "forcing\\[0\\]='wind.nc'"),
    ],
)
def test_bad_values_are_refused_on_construction(overrides: dict[str, Any], named: str) -> None:
    with pytest.raises(InputError, match=named):
        make(**overrides)


def test_options_check_their_own_values() -> None:
    with pytest.raises(InputError, match="wind_sigma_ms=-1"):
        Perturbation(wind_sigma_ms=-1)
    with pytest.raises(InputError, match="correlation_time_s=0"):
        Perturbation(correlation_time_s=0)
    with pytest.raises(InputError, match=r"leeway_fraction=1\.5"):
        Capsizing(leeway_fraction=1.5)


def test_description_names_every_choice() -> None:
    a = make(perturbation=Perturbation())
    b = make(perturbation=None)
    assert a.describe() != b.describe()
    assert a.describe() == make(perturbation=Perturbation()).describe()
    assert a.describe()["perturbation"].startswith("Perturbation(")
    assert a.describe()["forcing"] == [a.forcing[0].name]
