"""Flat rows read as the list of tuples they stand for."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.errors import InputError
from littoral.store.repos import FlatRows

values = st.one_of(st.integers(), st.floats(allow_nan=False), st.none(), st.text(max_size=3))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6).flatmap(lambda w: st.lists(st.lists(values, min_size=w, max_size=w))))
def test_flat_rows_are_the_rows_they_hold(rows: list[list[object]]) -> None:
    width = len(rows[0]) if rows else 3
    tuples = [tuple(r) for r in rows]
    columns = [list(c) for c in zip(*tuples, strict=True)] if rows else [[]] * width
    flat = FlatRows.of_columns(columns)
    assert list(flat) == tuples
    assert len(flat) == len(tuples)
    assert flat[:] == tuples[:]
    assert flat[1::2] == tuples[1::2]
    for k in range(-len(tuples), len(tuples)):
        assert flat[k] == tuples[k]
    assert all(flat.column(k) == list(c) for k, c in enumerate(columns))
    more = FlatRows(list(flat.values), width)
    more.extend(flat)
    more.extend(tuples)
    assert list(more) == tuples * 3


def test_flat_rows_refuse_what_is_no_whole_row() -> None:
    with pytest.raises(InputError, match="5 values are no whole rows of 2"):
        FlatRows([1, 2, 3, 4, 5], 2)
    with pytest.raises(InputError, match="column 1 holds 1 values, not 2"):
        FlatRows.of_columns([[1, 2], [3]])
    rows = FlatRows([1, 2], 2)
    with pytest.raises(InputError, match="rows of other than 2 values"):
        rows.extend([(1, 2, 3), (4,)])
    assert list(rows) == [(1, 2)]  # (nothing of the refused rows is kept)
    with pytest.raises(IndexError, match="row 1 of 1"):
        rows[1]
