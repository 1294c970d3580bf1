"""Several weighted scenarios and objects in one drift: shares, padding, transitions."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from drift_helpers import T0

from littoral.drift import ConstantForcing, PointSeed, run
from littoral.drift.mixture import components_of, run_mixture, scenario_shares
from littoral.drift.scenarios import Scenario, scenario_from_mapping
from littoral.errors import InputError
from littoral.geo import haversine_m
from littoral.records.particle_status import ParticleStatus


def _two(w_a: float, **kw: object) -> list[Scenario]:
    a = scenario_from_mapping({"name": "A", "weight": w_a, "lat": 42.0, "lon": 50.5, **kw}, T0)
    b = scenario_from_mapping(
        {"name": "B", "weight": 1 - w_a, "lat": 42.0, "lon": 51.5, "radius_nm": 2.0}, T0
    )
    return [a, b]


@pytest.mark.parametrize("w_a", [0.2, 0.5, 0.83])
def test_each_scenarios_share_of_the_mixture_is_its_weight(make_request, w_a: float) -> None:
    result = run_mixture(make_request(particles=400, duration=timedelta(hours=2)), _two(w_a))
    shares = scenario_shares(result)
    assert shares["A"] == pytest.approx(w_a, abs=1e-12)
    assert shares["B"] == pytest.approx(1 - w_a, abs=1e-12)
    assert result.weight.sum() == pytest.approx(1.0)
    # every particle of A is about A's datum, of B about B's
    for c in components_of(result):
        lon = result.lon[0, c.start : c.start + c.count]
        assert np.all(np.abs(lon - (50.5 if c.scenario == "A" else 51.5)) < 0.3)


def test_object_mix_splits_a_scenario_by_its_fractions(make_request) -> None:
    objects = [
        {"object_class": "PIW-1", "fraction": 0.6},
        {"object_class": "LIFE-RAFT-DB-11", "fraction": 0.4},
    ]
    result = run_mixture(
        make_request(particles=500, duration=timedelta(hours=1)), _two(0.5, objects=objects)
    )
    comps = {(c.scenario, c.object_class): c for c in components_of(result)}
    w = result.weight
    piw = comps[("A", "PIW-1")]
    raft = comps[("A", "LIFE-RAFT-DB-11")]
    assert w[piw.start : piw.start + piw.count].sum() == pytest.approx(0.3)
    assert w[raft.start : raft.start + raft.count].sum() == pytest.approx(0.2)


def test_a_later_scenario_waits_at_its_seeds_until_its_time(make_request) -> None:
    later = scenario_from_mapping(
        {"name": "late", "lat": 42.0, "lon": 51.0, "time": (T0 + timedelta(hours=3)).isoformat()}
    )
    early = scenario_from_mapping({"name": "early", "lat": 42.0, "lon": 50.0}, T0)
    current = [ConstantForcing.from_observation(wind=(0.0, 0.0), current=(90.0, 1.0))]
    req = make_request(particles=100, duration=timedelta(hours=6), forcing=current)
    result = run_mixture(req, [early, later])
    late = next(c for c in components_of(result) if c.scenario == "late")
    cols = slice(late.start, late.start + late.count)
    assert result.times[0] == np.datetime64("2026-01-10T06:00:00")
    assert np.all(result.status[:3, cols] == ParticleStatus.NOT_RELEASED)
    np.testing.assert_array_equal(result.lon[0, cols], result.lon[3, cols])
    # from its time on it drifts 1 kn for the 3 h left: 3 NM
    moved = haversine_m(result.lon[3, cols], result.lat[3, cols], result.lon[-1, cols],
                        result.lat[-1, cols])  # fmt: skip
    np.testing.assert_allclose(moved, 3 * 1852.0, rtol=1e-3)


def test_transition_drifts_as_the_second_object_after_its_time(make_request) -> None:
    wind = [ConstantForcing.from_observation(wind=(270.0, 20.0), current=(0.0, 0.0))]
    opts = {"forcing": wind, "leeway_spread": False, "jibe_probability_per_h": 0.0}
    speed = {}
    for obj in ("FISHING-VESSEL-1", "LIFE-RAFT-DB-11"):
        one = run(make_request(object_class=obj, particles=2, duration=timedelta(hours=1), **opts))
        speed[obj] = float(haversine_m(one.lon[0], one.lat[0], one.lon[-1], one.lat[-1]).mean())
    assert speed["FISHING-VESSEL-1"] != pytest.approx(speed["LIFE-RAFT-DB-11"], rel=0.05)
    scenario = scenario_from_mapping(
        {
            "name": "sinking",
            "lat": 42.0,
            "lon": 50.0,
            "radius_nm": 0.0,
            "objects": [{"object_class": "FISHING-VESSEL-1", "fraction": 1}],
            "transitions": [
                {"from_object": "FISHING-VESSEL-1", "to_object": "LIFE-RAFT-DB-11", "after_h": 2}
            ],
        },
        T0,
    )
    req = make_request(particles=4, duration=timedelta(hours=5), **opts)
    result = run_mixture(req, [scenario])
    (comp,) = components_of(result)
    assert comp.to_object == "LIFE-RAFT-DB-11"
    assert result.n_times == 6  # hourly outputs, 0..5 h
    d1 = haversine_m(result.lon[0], result.lat[0], result.lon[2], result.lat[2])
    d2 = haversine_m(result.lon[2], result.lat[2], result.lon[5], result.lat[5])
    np.testing.assert_allclose(d1, 2 * speed["FISHING-VESSEL-1"], rtol=5e-3)  # two sides
    np.testing.assert_allclose(d2, 3 * speed["LIFE-RAFT-DB-11"], rtol=5e-3)


def test_a_track_scenario_releases_along_the_line_over_its_window(make_request) -> None:
    track = scenario_from_mapping(
        {
            "name": "voyage",
            "kind": "track",
            "lat": 42.0,
            "lon": 50.0,
            "to_lat": 42.0,
            "to_lon": 51.0,
            "radius_nm": 0.0,
            "time_end": (T0 + timedelta(hours=4)).isoformat(),
        },
        T0,
    )
    result = run_mixture(make_request(particles=200, duration=timedelta(hours=6)), [track])
    assert np.all((result.lon[0] >= 50.0 - 1e-9) & (result.lon[0] <= 51.0 + 1e-9))
    # released in time order along the leg: later releases lie further east
    waiting = result.status[2] == ParticleStatus.NOT_RELEASED
    assert 50 < waiting.sum() < 150
    assert result.lon[0, waiting].min() > result.lon[0, ~waiting].max()  # in time order


def test_zero_weight_scenarios_are_not_drifted_and_all_zero_is_refused(make_request) -> None:
    req = make_request(particles=100, duration=timedelta(hours=1))
    result = run_mixture(req, _two(1.0))
    assert [c.scenario for c in components_of(result)] == ["A"]
    assert scenario_shares(result) == {"A": pytest.approx(1.0)}
    zero = [scenario_from_mapping({"name": "A", "weight": 0, "lat": 42, "lon": 50}, T0)]
    with pytest.raises(InputError, match="weight 0"):
        run_mixture(req, zero)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": "A", "lat": 42}, "needs lat and lon"),
        ({"name": "A", "lat": 42, "lon": 50, "weight": -1}, "weight=-1"),
        ({"name": "A", "lat": 42, "lon": 50, "objects": [{"object_class": "BOAT?"}]}, "BOAT"),
        ({"name": "A", "kind": "track", "lat": 42, "lon": 50}, "needs to_lat"),
        ({"name": "A", "kind": "area", "ring": [[50, 42]]}, "ring of 3"),
        ({"name": "A", "lat": 42, "lon": 50, "colour": "red"}, "unknown field"),
        ({"name": "", "lat": 42, "lon": 50}, "name=''"),
    ],
)
def test_bad_scenarios_are_refused_by_name(values: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        scenario_from_mapping(values, T0)


def test_seeds_of_a_position_scenario_are_its_datum(make_request) -> None:
    a = scenario_from_mapping({"name": "A", "lat": 42.0, "lon": 50.5, "radius_nm": 0}, T0)
    assert a.seeding() == PointSeed(50.5, 42.0, 0.0)
