"""PostgreSQL binary arrays as the track columns read them: good ones exactly, bad ones refused."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from littoral.errors import StoreError
from littoral.store.track_columns import _array


def blob(oid: int, fmt: str, values: list[float] | list[int], width: int) -> bytes:
    """Return a one-dimensional array without NULLs as ``array_send`` writes it."""
    head = struct.pack(">iiiii", 1, 0, oid, len(values), 1)
    return head + b"".join(struct.pack(f">i{fmt}", width, v) for v in values)


def test_float8_int8_int2_arrays_are_read_exactly() -> None:
    floats = [49.5, -0.0, float("nan"), 1e-300]
    got = _array(1, "lon", blob(701, "d", floats, 8))
    np.testing.assert_array_equal(got, np.array(floats))
    ints = [0, -1, 2**62]
    np.testing.assert_array_equal(_array(1, "time_ms", blob(20, "q", ints, 8)), ints)
    np.testing.assert_array_equal(_array(1, "nav_status", blob(21, "h", [-1, 15], 2)), [-1, 15])


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (b"", "not a one-dimensional array"),
        (struct.pack(">iiiii", 2, 0, 701, 1, 1) + struct.pack(">id", 8, 1.0), "one-dimensional"),
        (struct.pack(">iiiii", 1, 1, 701, 1, 1) + struct.pack(">id", 8, 1.0), "one-dimensional"),
        (struct.pack(">iiiii", 1, 0, 25, 1, 1) + struct.pack(">id", 8, 1.0), "one-dimensional"),
        (blob(701, "d", [1.0, 2.0], 8)[:-1], "holds 43 bytes for 2"),
        (blob(701, "d", [1.0], 8) + b"\0", "holds 33 bytes for 1"),
        (struct.pack(">iiiii", 1, 0, 701, 1, 1) + struct.pack(">id", -1, 1.0), "another width"),
    ],
    ids=["empty", "two-dimensional", "has-nulls", "text", "short", "long", "null-element"],
)
def test_a_malformed_array_is_refused_with_the_column_named(bad: bytes, words: str) -> None:
    with pytest.raises(StoreError, match=words) as caught:
        _array(366123456, "lat", bad)
    assert "366123456" in str(caught.value)
    assert "lat" in str(caught.value)
