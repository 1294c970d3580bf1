"""A second pass over the middle of a unit's area (littoral.search.repass)."""

from __future__ import annotations

import numpy as np
import pytest

from littoral.search.allocation import plan_search
from littoral.search.detection import DetectionModel
from littoral.search.facilities import SearchUnit
from littoral.search.grid import open_water
from littoral.search.priors import Datum, datum_frame, from_datum
from littoral.search.repass import two_pass_xy
from littoral.search.sweep_tables import Platform
from littoral.search.update import update_grid_with_tracks

DATUM = Datum(51.0, 41.0, 8.0)
MODEL = DetectionModel("Raft 4 person", visibility_nm=10)
SHIP = SearchUnit("Patrol", "AZ", Platform.VESSEL, 12, 10, 51.0, 41.0, 12, 14)


@pytest.fixture(scope="module")
def prior():
    return from_datum(DATUM, frame=datum_frame([DATUM], max_side_cells=120), water=open_water)


def test_second_pass_lies_in_the_middle_at_right_angles() -> None:
    (x1, y1), (x2, y2) = two_pass_xy(0.0, 0.0, 20.0, 10.0, 1.0, 0.5)
    # first pass: legs east-west over the whole area, one spacing apart
    assert np.abs(x1).max() == pytest.approx(10.0)
    assert np.abs(y1).max() == pytest.approx(4.5)
    assert np.allclose(np.diff(y1)[::2], 0.0, atol=1e-9)
    # second pass: legs north-south, inside the middle half of each side
    assert np.abs(x2).max() <= 5.0 + 1e-9
    assert np.abs(y2).max() <= 2.5 + 1e-9
    assert np.allclose(np.diff(x2)[::2], 0.0, atol=1e-9)
    with pytest.raises(ValueError, match="inner"):
        two_pass_xy(0.0, 0.0, 20.0, 10.0, 1.0, 1.0)


def test_one_unit_finds_more_with_a_second_pass(prior) -> None:
    once = plan_search(prior, [SHIP], MODEL, repass=False)
    twice = plan_search(prior, [SHIP], MODEL)
    a = twice.assignments[0]
    assert "swept twice" in a.note
    assert twice.pos > once.pos
    assert twice.pos <= twice.bound.pos
    # more coverage in the middle of the area than at its edge
    assert a.pod_cells is not None
    assert a.rect is not None
    r = a.rect
    middle = a.pod_cells[(r.row0 + r.row1) // 2, (r.col0 + r.col1) // 2]
    edge = a.pod_cells[(r.row0 + r.row1) // 2, r.col0 + 1]
    assert middle > edge


def test_update_with_the_plans_own_track_reproduces_its_pos(prior) -> None:
    plan = plan_search(prior, [SHIP], MODEL)
    a = plan.assignments[0]
    _, pos = update_grid_with_tracks(prior, [a.track()], law=plan.law)
    assert pos == pytest.approx(plan.pos, rel=0.01)
