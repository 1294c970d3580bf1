"""Property: no plan beats the unconstrained optimum under its own law (Koopman; Stone)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from littoral.search.allocation import plan_search
from littoral.search.detection import DetectionLaw, DetectionModel
from littoral.search.facilities import PLANNED_PATTERNS, PatternKind, SearchUnit
from littoral.search.grid import caspian_water, open_water
from littoral.search.priors import Datum, datum_frame, from_datum
from littoral.search.seaway import path_length_nm
from littoral.search.sweep_tables import Platform

PLATFORMS = [
    (Platform.VESSEL, 10.0, 14.0),
    (Platform.HELICOPTER, 90.0, 500.0),
    (Platform.AIRCRAFT, 150.0, 1000.0),
]

unit_st = st.builds(
    lambda k, speed_f, endurance_h, dlon, dlat, pattern: (k, speed_f, endurance_h, dlon, dlat,
                                                          pattern),
    st.integers(0, 2),
    st.floats(0.8, 1.5),
    st.floats(1.0, 12.0),
    st.floats(-0.5, 0.5),
    st.floats(-0.5, 0.5),
    st.sampled_from(list(PLANNED_PATTERNS)),
)  # fmt: skip


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    law=st.sampled_from(list(DetectionLaw)),
    coastal=st.booleans(),
    error_nm=st.floats(1.0, 12.0),
    visibility_nm=st.sampled_from([1.0, 5.0, 10.0, 20.0]),
    specs=st.lists(unit_st, min_size=1, max_size=3),
)
def test_plan_pos_never_beats_the_bound(law, coastal, error_nm, visibility_nm, specs) -> None:
    # open sea in the middle basin, or a datum 5 km off the north Absheron shore
    lon0, lat0 = (50.05, 40.63) if coastal else (51.0, 41.5)
    datum = Datum(lon0, lat0, error_nm)
    grid = from_datum(
        datum,
        frame=datum_frame([datum], max_side_cells=48),
        water=caspian_water if coastal else open_water,
    )
    units = []
    for i, (k, speed_f, endurance_h, dlon, dlat, pattern) in enumerate(specs):
        platform, speed_kn, height_ft = PLATFORMS[k]
        units.append(
            SearchUnit(
                f"u{i}", "AZ", platform, speed_kn * speed_f, endurance_h, lon0 + dlon,
                lat0 + dlat, speed_kn * speed_f * 1.2, height_ft, pattern=pattern,
            )
        )  # fmt: skip
    model = DetectionModel("Person in Water", visibility_nm, law=law)
    plan = plan_search(grid, units, model)
    assert plan.law is law
    assert 0.0 <= plan.pos <= plan.bound.pos * (1 + 1e-9)
    for a in plan.assignments:
        assert 0.0 <= a.pod <= 1.0
        assert a.pos <= a.poc * (1 + 1e-12)
        if a.pattern is not None:
            # every mile counts: the route, the transits out and back, the reserve
            transit = sum(
                path_length_nm(np.column_stack(grid.frame.to_xy_nm(*r)))
                for r in (a.route_out, a.route_back)
            )
            u = a.unit
            hours = u.on_scene_hours(transit) * u.productive_fraction
            assert a.pattern.length_nm <= u.speed_kn * hours * (1 + 1e-6)


def test_pod_is_never_over_one_where_strips_spill_over_the_area() -> None:
    # a small datum 5 km off Absheron searched by an expanding square: the outer legs' strips
    # and turns reach past the rectangle, and its POC alone once gave "POD 120 %"
    datum = Datum(50.05, 40.63, 0.52)
    grid = from_datum(datum, frame=datum_frame([datum], max_side_cells=48), water=caspian_water)
    unit = SearchUnit(
        "u", "AZ", Platform.VESSEL, 14.0, 2.34, 50.188, 40.435, 13.0, 14.0,
        pattern=PatternKind.EXPANDING_SQUARE,
    )  # fmt: skip
    plan = plan_search(grid, [unit], DetectionModel("Person in Water", 1.0))
    (a,) = plan.assignments
    assert a.pattern is not None
    assert a.pod <= 1.0
    assert a.pos <= a.poc * (1 + 1e-12)
    assert a.pos == pytest.approx(a.poc * a.pod, rel=1e-12)
    assert a.pod > 0.5  # a real, thorough search of the spot
