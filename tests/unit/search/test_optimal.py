from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize

from littoral.errors import InputError
from littoral.search.grid import open_water
from littoral.search.optimal import circular_normal_pos, water_filling
from littoral.search.priors import Datum, datum_frame, from_datum


@pytest.mark.parametrize("h", [0.3, 1.0, 4.0, 12.0])
def test_water_filling_matches_circular_normal_closed_form(h: float) -> None:
    datum = Datum(51.0, 41.0, error_nm=4.0)
    frame = datum_frame([datum], radius_sigmas=6.0, max_side_cells=240)
    grid = from_datum(datum, frame=frame, water=open_water)
    effort = h * np.pi * datum.sigma_nm**2
    opt = water_filling(grid.p, grid.cell_area_nm2, effort)
    exact = circular_normal_pos(effort, datum.sigma_nm)
    assert opt.pos == pytest.approx(exact, rel=0.005)
    assert float((opt.coverage * grid.cell_area_nm2).sum()) == pytest.approx(effort, rel=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_water_filling_matches_a_generic_optimiser(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 12
    p = rng.random(n) ** 3
    p /= p.sum()
    area = rng.uniform(0.5, 2.0, n)
    effort = float(rng.uniform(1.0, 15.0))
    opt = water_filling(p, area, effort)

    def neg_pos(c: np.ndarray) -> float:
        return -float(np.sum(p * -np.expm1(-c)))

    res = minimize(
        neg_pos,
        np.full(n, effort / area.sum()),
        jac=lambda c: -p * np.exp(-c),
        bounds=[(0.0, None)] * n,
        constraints=[{"type": "eq", "fun": lambda c: float(area @ c) - effort}],
        method="SLSQP",
        options={"ftol": 1e-12, "maxiter": 500},
    )
    assert res.success
    assert opt.pos == pytest.approx(-res.fun, abs=1e-6)
    assert opt.pos >= -res.fun - 1e-9
    assert np.allclose(opt.coverage, res.x, atol=1e-3)


def test_zero_effort_and_bad_input() -> None:
    assert water_filling([0.5, 0.5], 1.0, 0.0).pos == 0.0
    with pytest.raises(InputError, match="effort_nm2"):
        water_filling([0.5, 0.5], 1.0, -1.0)
