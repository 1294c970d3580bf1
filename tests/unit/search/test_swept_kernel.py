"""The compiled strip count of :func:`littoral.search.swept.leg_coverage` against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from littoral.search.swept import cell_coverage, leg_coverage


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


def _shapely_cells(x0, y0, cell, nx, ny, x, y, w: float, s: float):  # type: ignore[no-untyped-def]
    """Each leg's strip as a polygon intersected with every cell's box by shapely."""
    import shapely

    out = np.zeros((ny, nx))
    jj, ii = np.mgrid[0:ny, 0:nx]
    boxes = shapely.box(x0 + ii * cell, y0 + jj * cell, x0 + (ii + 1) * cell, y0 + (jj + 1) * cell)
    for k in range(x.size - 1):
        dx, dy = x[k + 1] - x[k], y[k + 1] - y[k]
        length = float(np.hypot(dx, dy))
        if length == 0:
            continue
        nx_, ny_ = -dy / length * s / 2, dx / length * s / 2
        strip = shapely.Polygon(
            [(x[k] + nx_, y[k] + ny_), (x[k + 1] + nx_, y[k + 1] + ny_),
             (x[k + 1] - nx_, y[k + 1] - ny_), (x[k] - nx_, y[k] - ny_)]
        )  # fmt: skip
        out += (w / s) * shapely.area(shapely.intersection(boxes, strip)) / cell**2
    return out


@pytest.mark.parametrize("seed", range(6))
def test_cell_coverage_equals_shapely_clipping(seed: int) -> None:
    """Slanted legs (clipped by the compiled Sutherland-Hodgman), legs along the axes, legs
    running off the block: the coverage per cell is shapely's area of each strip in it."""
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(2, 12))
    x = np.cumsum(rng.uniform(-4, 4, n)) + 3
    y = np.cumsum(rng.uniform(-4, 4, n)) + 3
    if n > 3:
        x[2] = x[1]  # a north-south leg
        y[3] = y[2]  # an east-west one
    w, s = float(rng.uniform(0.2, 2)), float(rng.uniform(0.3, 3))
    cell, nx, ny = 0.37, 40, 33
    got = cell_coverage(-2.0, -1.5, cell, nx, ny, x, y, w, s)
    want = _shapely_cells(-2.0, -1.5, cell, nx, ny, x, y, w, s)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    assert got.max() > 0


def test_serial_and_parallel_counts_agree() -> None:
    """Small counts run in one thread (:data:`PARALLEL_FROM`): both loops give the same."""
    from littoral.search import swept

    rng = np.random.default_rng(9)
    x, y = np.cumsum(rng.uniform(-3, 3, 12)), np.cumsum(rng.uniform(-3, 3, 12))
    px, py = rng.uniform(-20, 20, 30_000), rng.uniform(-20, 20, 30_000)
    assert px.size * (x.size - 1) >= swept.PARALLEL_FROM  # the parallel loop
    big = leg_coverage(px, py, x, y, 1.0, 2.0)
    small = np.concatenate(
        [
            leg_coverage(px[i : i + 1000], py[i : i + 1000], x, y, 1.0, 2.0)
            for i in range(0, 30_000, 1000)
        ]
    )  # each piece under the threshold: the serial loop
    assert 1000 * (x.size - 1) < swept.PARALLEL_FROM
    assert np.array_equal(big, small)
    assert big.max() > 0
