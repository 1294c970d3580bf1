"""The compiled strip count of :func:`littoral.search.swept.leg_coverage` against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from littoral.search.swept import leg_coverage


def _numpy_coverage(px, py, x, y, w: float, s: float):  # type: ignore[no-untyped-def]
    """Every point against every leg at once: the plain array form of the same rule."""
    ax, ay, dx, dy = x[:-1], y[:-1], np.diff(x), np.diff(y)
    length = np.hypot(dx, dy)
    keep = length > 0
    ax, ay, dx, dy, length = ax[keep], ay[keep], dx[keep], dy[keep], length[keep]
    ux, uy = dx / length, dy / length
    qx, qy = px[:, None] - ax[None, :], py[:, None] - ay[None, :]
    along = qx * ux + qy * uy
    across = np.abs(qx * uy - qy * ux)
    inside = (along >= 0.0) & (along < length) & (across < s / 2.0)
    return (w / s) * inside.sum(axis=1)


@pytest.mark.parametrize("seed", range(5))
def test_compiled_count_equals_numpy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 30))
    x = np.cumsum(rng.uniform(-3, 3, n))
    y = np.cumsum(rng.uniform(-3, 3, n))
    x[3 % n] = x[2 % n]  # a leg of zero length on some seeds
    px = rng.uniform(x.min() - 2, x.max() + 2, 20_000)
    py = rng.uniform(y.min() - 2, y.max() + 2, 20_000)
    w, s = float(rng.uniform(0.1, 2)), float(rng.uniform(0.2, 3))
    got = leg_coverage(px, py, x, y, w, s)
    want = _numpy_coverage(px, py, x, y, w, s)
    assert np.array_equal(got, want)
    assert got.max() > 0  # points inside strips, not only zeros
