"""The compiled kernel against the same scheme written in plain numpy (the benchmark's peer)."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import numpy as np

from littoral.ocean import ModelSettings, WindField, caspian_grid
from littoral.ocean.kernel import advance, new_state
from littoral.ocean.model import _params, choose_step

PEER = Path(__file__).resolve().parents[3] / "benchmarks" / "ocean_numpy_peer.py"
START = datetime(2026, 1, 10, tzinfo=UTC)


def peer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ocean_numpy_peer", PEER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_kernel_equals_numpy_on_a_drying_storm() -> None:
    grid = caspian_grid(coarsen=2, rest_level_bs_m=-30.5)  # the north-east dries
    end = START + timedelta(days=2)
    wind = WindField.uniform(grid, u_ms=-25.0, v_ms=8.0, start=START, end=end).kernel_wind()
    settings = ModelSettings()
    dt = choose_step(grid, settings, 3600.0)
    params = _params(grid, settings, dt)
    state = new_state(grid.geometry)
    advance(state, grid.geometry, params, wind, START.timestamp(), 900)  # a day
    dry = (grid.geometry.h + state.eta <= 0.05) & (grid.geometry.sea == 1)
    assert dry.sum() > 10
    e0, u0, v0 = state.eta.copy(), state.u.copy(), state.v.copy()
    t1 = START.timestamp() + 900 * dt
    advance(state, grid.geometry, params, wind, t1, 100)
    e1, u1, v1 = peer().advance_numpy(e0, u0, v0, grid.geometry, params, wind, t1, 100)
    assert np.abs(e1 - state.eta).max() < 1e-9
    assert np.abs(u1 - state.u).max() < 1e-9
    assert np.abs(v1 - state.v).max() < 1e-9
