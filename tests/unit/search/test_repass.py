"""A second pass over the middle of a unit's area (littoral.search.repass)."""

from __future__ import annotations

import numpy as np
import pytest

from littoral.search.allocation import _unit_score, plan_search, realise
from littoral.search.detection import DetectionModel
from littoral.search.facilities import SearchUnit
from littoral.search.grid import open_water
from littoral.search.priors import Datum, datum_frame, from_datum
from littoral.search.rectangles import Rect
from littoral.search.repass import ONE_PASS, Repass, inner_centre, two_pass_xy
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


def test_second_pass_toward_a_corner_reaches_its_edges() -> None:
    assert inner_centre(0.0, 0.0, 20.0, 10.0, 0.5, (1.0, 0.5), 1.0) == pytest.approx((4.0, 0.0))
    assert inner_centre(0.0, 0.0, 20.0, 10.0, 0.5, (0.5, 0.5), 1.0) == pytest.approx((0.0, 0.0))
    s = 1.0
    for creeping in (False, True):
        _, (x2, y2) = two_pass_xy(
            0.0, 0.0, 20.0, 10.0, s, 0.5, creeping=creeping, inner_at=(0.0, 0.0)
        )
        # toward the south-west corner, half of each side: the legs and turns stay in the
        # area; the turns lie on its edge (as the first pass's do) and the outer legs' strips
        # reach the other edge
        assert x2.min() >= -10.0 - 1e-9
        assert y2.min() >= -5.0 - 1e-9
        if creeping:  # second pass a parallel sweep: legs east-west, turns on the west edge
            assert x2.min() == pytest.approx(-10.0)
            assert y2.min() - s / 2 == pytest.approx(-5.0)
            assert x2.max() == pytest.approx(0.0)
        else:  # second pass a creeping line: legs north-south, turns on the south edge
            assert y2.min() == pytest.approx(-5.0)
            assert x2.min() - s / 2 == pytest.approx(-10.0)
            assert y2.max() == pytest.approx(0.0)


def test_an_area_beside_the_datum_sweeps_again_the_side_nearest_it(prior) -> None:
    """A unit's area with the datum at its south-west corner: the twice-swept part lies in
    that corner, and finds more than the same effort laid with the middle swept twice."""
    f = prior.frame
    cx, cy = f.to_xy_nm(DATUM.lon, DATUM.lat)
    col = int((float(cx) - f.x0_nm) / f.cell_nm)
    row = int((float(cy) - f.y0_nm) / f.cell_nm)
    rect = Rect(row, row + 30, col, col + 30)
    away = SearchUnit("Away", "AZ", Platform.VESSEL, 12, 10, 50.9, 40.9, 12, 14)
    sweep = away.sweep_width(MODEL)
    half = Repass(inner_sides=(0.5,), grow=(1.0,))
    score = _unit_score(prior, away, sweep.corrected_nm, MODEL.law, repass=half)
    a = realise(prior, away, sweep, score, rect, MODEL, repass=half)
    once = realise(prior, away, sweep, score, rect, MODEL, repass=ONE_PASS)
    assert "southwest part" in a.note
    assert a.pos > once.pos
    assert a.pod_cells is not None
    near = a.pod_cells[row : row + 15, col : col + 15].mean()
    far = a.pod_cells[row + 15 : row + 30, col + 15 : col + 30].mean()
    assert near > far


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
