"""A track as columns equals the track as records, on each backend, for any positions stored.

Positions with missing speed, course, heading and status, days apart (on PostgreSQL in
several daily partitions), several at one time (ordered by lon, then lat), other vessels
around, and windows of every kind: each column of ``track_columns`` must equal the records
of ``track`` exactly (``None`` as NaN, or -1 for ``nav_status``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from littoral.errors import InputError
from littoral.records.reports import AisClass, PositionReport
from littoral.store import SqlStore
from littoral.store.records import StoredPosition, to_ms
from littoral.store.track_columns import TrackColumns

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
MMSI = 273000001


def _equal(columns: TrackColumns, records: list[StoredPosition]) -> None:
    def opt(values: list[float | None]) -> list[float]:
        return [np.nan if v is None else v for v in values]

    assert len(columns) == len(records)
    assert columns.time_ms.tolist() == [to_ms(p.time) for p in records]
    assert columns.lon.tolist() == [p.lon for p in records]
    assert columns.lat.tolist() == [p.lat for p in records]
    for name in ("sog_kn", "cog_deg", "heading_deg"):
        expected = opt([getattr(p, name) for p in records])
        assert np.array_equal(getattr(columns, name), expected, equal_nan=True), name
    assert columns.nav_status.tolist() == [-1 if p.nav_status is None else p.nav_status
                                           for p in records]  # fmt: skip
    assert columns.msg_type.tolist() == [p.msg_type for p in records]
    assert columns.time_ms.dtype == np.int64
    assert columns.lon.dtype == np.float64
    assert columns.nav_status.dtype == np.int16


POSITION = st.builds(
    lambda m, minutes, x, y, sog, cog, nav, k: PositionReport(
        mmsi=m,
        time=T0 + timedelta(minutes=minutes),
        lon=x,
        lat=y,
        msg_type=k,
        source="B1",
        sog_kn=sog,
        cog_deg=cog,
        heading_deg=None if cog is None else round(cog),
        nav_status=nav,
        ais_class=AisClass.A,
    ),
    st.sampled_from([MMSI, MMSI + 1]),
    st.integers(min_value=0, max_value=4 * 1440),  # four days: four partitions
    st.floats(min_value=46.5, max_value=54.5),
    st.floats(min_value=36.5, max_value=47.0),
    st.none() | st.floats(min_value=0.0, max_value=102.2),
    st.none() | st.floats(min_value=0.0, max_value=359.9),
    st.none() | st.integers(min_value=0, max_value=15),
    st.sampled_from([1, 3, 18]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    positions=st.lists(POSITION, max_size=40),
    window=st.tuples(st.none() | st.integers(0, 5760), st.none() | st.integers(0, 5760)),
)
def test_columns_equal_records(
    store: SqlStore, positions: list[PositionReport], window: tuple[int | None, int | None]
) -> None:
    store.positions.add(positions)
    start, end = (None if m is None else T0 + timedelta(minutes=m) for m in window)
    if start is not None and end is not None and end < start:
        with pytest.raises(InputError, match="before start"):
            store.positions.track_columns(MMSI, start, end)
        return
    _equal(store.positions.track_columns(MMSI, start, end), store.positions.track(MMSI, start, end))


def test_a_vessel_without_positions_has_empty_columns(store: SqlStore) -> None:
    got = store.positions.track_columns(MMSI)
    assert len(got) == 0
    assert got.time_ms.dtype == np.int64
