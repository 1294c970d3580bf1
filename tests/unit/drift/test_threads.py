"""The kernel's threads: the same result whatever their number, and usable after a fork."""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from typing import Any

import numba
import numpy as np
import pytest

from littoral.drift import ConstantForcing, DriftRequest, Perturbation, PointSeed, run
from littoral.drift.kernel import RANGE


def _busy_request(make_request: Any) -> DriftRequest:
    # More particles than one thread's range, with every random process of the kernel on.
    forcing = [ConstantForcing.from_observation(wind=(300.0, 20.0), current=(150.0, 0.5))]
    return make_request(
        seeding=PointSeed(51.0, 42.0, 3000.0),
        forcing=forcing,
        particles=2 * RANGE + 37,
        duration=timedelta(hours=6),
        perturbation=Perturbation(correlation_time_s=3600),
        jibe_probability_per_h=0.5,
    )


def test_same_result_with_one_thread_and_with_several(make_request) -> None:
    req = _busy_request(make_request)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = run(req)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = run(req)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one.lon, many.lon)
    np.testing.assert_array_equal(one.lat, many.lat)
    np.testing.assert_array_equal(one.status, many.status)
    assert float(np.ptp(one.lon[-1])) > 0.0  # the particles did spread


def _child(req: DriftRequest, queue: Any) -> None:
    queue.put(run(req).lon[-1].sum())


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork")
def test_a_forked_process_runs_the_kernel(make_request) -> None:
    req = _busy_request(make_request)
    parent = run(req).lon[-1].sum()  # the parent's thread pool now exists
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(req, queue))
    proc.start()
    proc.join(60)
    alive = proc.is_alive()
    if alive:
        proc.kill()
    assert not alive, "the kernel hung in a forked process"
    assert queue.get(timeout=5) == parent
