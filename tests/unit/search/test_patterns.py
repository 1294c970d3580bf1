from __future__ import annotations

import numpy as np
import pytest

from littoral.errors import InputError
from littoral.search.frame import GridFrame
from littoral.search.patterns import (
    PatternKind,
    creeping_line,
    expanding_square,
    parallel_sweep,
    sector_search,
    track_line,
)


def _xy(p):
    return GridFrame.local(51.0, 41.0).to_xy_nm(p.lon, p.lat)


def test_parallel_sweep_geometry() -> None:
    p = parallel_sweep(51.0, 41.0, length_nm=10, width_nm=4, spacing_nm=1, major_axis_deg=90)
    assert p.kind is PatternKind.PARALLEL
    assert p.lon.size == 8  # 4 legs, two ends each
    # 4 legs of 10 NM and 3 cross legs of 1 NM
    assert p.length_nm == pytest.approx(43.0, rel=1e-3)
    x, y = _xy(p)
    # CSP at the north-west corner (left of the major axis), S/2 inside both edges
    assert float(x[0]) == pytest.approx(-5.0, abs=0.01)
    assert float(y[0]) == pytest.approx(1.5, abs=0.01)
    assert p.commence_search_point == (float(p.lon[0]), float(p.lat[0]))
    assert p.duration_h(10.0) == pytest.approx(4.3, rel=1e-3)


def test_creeping_line_legs_cross_the_major_axis() -> None:
    p = creeping_line(51.0, 41.0, length_nm=10, width_nm=4, spacing_nm=1, major_axis_deg=90)
    x, y = _xy(p)
    # legs run north-south (4 NM) and the pattern creeps east over 10 NM: 10 legs
    assert p.lon.size == 20
    assert float(np.ptp(y)) == pytest.approx(4.0, abs=0.01)
    assert float(np.ptp(x)) == pytest.approx(9.0, abs=0.01)
    assert p.length_nm == pytest.approx(10 * 4 + 9 * 1, rel=1e-3)


def test_expanding_square_legs() -> None:
    p = expanding_square(51.0, 41.0, side_nm=3.0, spacing_nm=1.0)
    x, y = _xy(p)
    legs = np.hypot(np.diff(x), np.diff(y))
    assert np.allclose(legs, [1, 1, 2, 2, 3, 3, 3], atol=1e-3)
    assert float(x[0]) == pytest.approx(0.0, abs=1e-6)
    assert float(y[1]) == pytest.approx(1.0, abs=1e-3)  # first leg north
    assert float(x[2]) == pytest.approx(1.0, abs=1e-3)  # then turn right: east


def test_sector_search_nine_legs_through_datum() -> None:
    p = sector_search(51.0, 41.0, radius_nm=2.0)
    x, y = _xy(p)
    assert p.lon.size == 10
    assert p.length_nm == pytest.approx(18.0, rel=1e-3)
    assert np.hypot(x[[0, 3, 6, 9]], y[[0, 3, 6, 9]]).max() < 1e-3
    outbound = np.degrees(np.arctan2(x[[1, 4, 7]], y[[1, 4, 7]])) % 360
    assert sorted(np.round(outbound).tolist()) == [0.0, 120.0, 240.0]


def test_track_line_return_and_non_return() -> None:
    lon = [50.8, 51.2]
    lat = [41.0, 41.0]
    tsr = track_line(lon, lat, spacing_nm=2.0, returning=True)
    frame = GridFrame.local(51.0, 41.0)
    x, y = frame.to_xy_nm(tsr.lon, tsr.lat)
    assert float(y[0]) == pytest.approx(-1.0, abs=0.03)  # out on the right (south) side
    assert float(y[-1]) == pytest.approx(1.0, abs=0.03)  # back on the left side
    assert float(x[-1]) == pytest.approx(float(x[0]), abs=0.01)  # ends where it began
    tsn = track_line(lon, lat, spacing_nm=2.0, returning=False, passes=3)
    x, y = frame.to_xy_nm(tsn.lon, tsn.lat)
    assert float(x[-1]) > 8.5  # ends at the far (east) end, 9 NM from the middle
    assert float(y[0]) == pytest.approx(-2.0, abs=0.03)
    with pytest.raises(InputError, match="passes"):
        track_line(lon, lat, 2.0, returning=False, passes=2)


def test_bad_pattern_inputs() -> None:
    with pytest.raises(InputError, match="spacing_nm"):
        parallel_sweep(51.0, 41.0, 10, 4, 0.0)
