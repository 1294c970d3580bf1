"""Another centre's messages are untrusted input: any value in any field is named, never raised.

Each decoder gets a valid message with one field replaced by an arbitrary JSON value
(hypothesis); it must return a record within the store's ranges or raise ``InputError``
naming the message. An ``OverflowError`` or a ``KeyError`` out of a decoder would stop a
centre's reader at every redelivery of the same message.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from federation_samples import ALERT, POSITION, STATIC
from littoral.errors import InputError
from littoral.federation import wire
from littoral.records.reports import PositionReport

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)


def _body(data: bytes) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(data)
    return body


def _in_range(p: PositionReport) -> bool:
    ids = 0 <= p.mmsi <= 999_999_999 and 1 <= p.msg_type <= 27
    place = -180 <= p.lon <= 180 and -90 <= p.lat <= 90
    return ids and place and (p.nav_status is None or 0 <= p.nav_status <= 15)


@settings(max_examples=300, deadline=None)
@given(field=st.integers(min_value=0, max_value=11), value=JSON)
def test_any_value_in_a_position_row(field: int, value: Any) -> None:
    (m,) = wire.encode_positions("az", [POSITION, POSITION])
    body = _body(m.data)
    body["p"][0][field] = value
    got = wire.decode_positions(json.dumps(body).encode(), stamp_origin=True)
    assert len(got.positions) + len(got.bad_rows) == 2
    assert all(_in_range(p) for p in got.positions)
    assert all(wire.unstorable(p.source) is None for p in got.positions)


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(sorted(_body(wire.encode_static("az", STATIC).data))), value=JSON)
def test_any_value_in_a_static_message(key: str, value: Any) -> None:
    body = _body(wire.encode_static("az", STATIC).data)
    body[key] = value
    try:
        _, s = wire.decode_static(json.dumps(body).encode())
    except InputError:
        return
    assert 0 <= s.mmsi <= 999_999_999
    assert 1 <= s.msg_type <= 27
    texts = (s.name, s.callsign, s.destination)
    assert all(v is None or wire.unstorable(v) is None for v in texts)
    assert s.imo is None or 0 <= s.imo <= 999_999_999


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(sorted(_body(wire.encode_alert("az", ALERT).data))), value=JSON)
def test_any_value_in_an_alert_message(key: str, value: Any) -> None:
    body = _body(wire.encode_alert("az", ALERT).data)
    body[key] = value
    try:
        _, a = wire.decode_alert(json.dumps(body).encode())
    except InputError:
        return
    assert all(0 <= m <= 999_999_999 for m in a.mmsis)
    json.dumps(a.details, sort_keys=True, default=str)  # as the store writes it


def test_alert_details_that_are_not_an_object_are_refused() -> None:
    """A list of pairs would make a dict whose keys are not all text (the store could not
    write it back as JSON): refused by name, like any other bad field."""
    body = _body(wire.encode_alert("az", ALERT).data)
    for bad in ([[1, "a"], ["b", 2]], "text", 3):
        with pytest.raises(InputError, match=r"details=.* is not an object"):
            wire.decode_alert(json.dumps({**body, "details": bad}).encode())
    _, a = wire.decode_alert(json.dumps({**body, "details": None}).encode())
    assert a.details == {}


@settings(max_examples=200, deadline=None)
@given(value=JSON)
def test_any_json_document_as_a_message(value: Any) -> None:
    data = json.dumps(value).encode()
    for decode in (wire.decode_positions, wire.decode_static, wire.decode_alert, wire.decode_case):
        with contextlib.suppress(InputError):
            decode(data)


def test_text_no_store_keeps_is_refused_by_name() -> None:
    """NUL (PostgreSQL refuses it in text) and half a surrogate pair (UTF-8 cannot hold it)."""
    (m,) = wire.encode_positions("ir", [POSITION, POSITION, POSITION])
    body = json.loads(m.data)
    body["p"][1][5] = "BAKU\x001"  # the receiver
    body["p"][2][5] = "BAKU\ud8001"
    got = wire.decode_positions(json.dumps(body).encode())
    assert got.positions == [POSITION]
    assert "source='BAKU\\x001' holds a NUL character" in got.bad_rows[0]
    assert "half of a UTF-16 surrogate pair" in got.bad_rows[1]
    static = json.loads(wire.encode_static("ir", STATIC).data)
    for key, value in (("name", "ARAZ\x00"), ("callsign", "\udc00"), ("r", "A\x00")):
        bad = json.dumps({**static, key: value}).encode()
        with pytest.raises(InputError, match=rf"body\.{key}=.* holds"):
            wire.decode_static(bad)
    alert = json.loads(wire.encode_alert("ir", ALERT).data)
    bad = json.dumps({**alert, "details": {"note": "\x00"}}).encode()
    with pytest.raises(InputError, match=r"body\.details\.note='\\x00' holds a NUL"):
        wire.decode_alert(bad)


def test_text_that_only_looks_unstorable_is_kept() -> None:
    """A real pair (an emoji), and a backslash followed by u0000 as plain text."""
    static = json.loads(wire.encode_static("ir", STATIC).data)
    for name in ("ARAZ \U0001f6a2", "\\u0000 \\ud800", "БАКУ"):
        _, s = wire.decode_static(json.dumps({**static, "name": name}).encode())
        assert s.name == name
