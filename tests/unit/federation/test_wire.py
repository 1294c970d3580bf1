"""Federation message bodies: positions travel in batches, and a bad row loses nothing else."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from littoral.errors import InputError
from littoral.federation import wire
from littoral.federation.transport import Kind
from littoral.records.reports import AisClass, PositionReport

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def report(i: int) -> PositionReport:
    return PositionReport(
        mmsi=273000000 + i % 7,
        time=T0 + timedelta(seconds=i),
        lon=49.5 + 1e-4 * i,
        lat=40.2,
        msg_type=1 if i % 3 else 18,
        source="BAKU1",
        sog_kn=None if i % 5 == 0 else 10.5,
        cog_deg=91.25,
        heading_deg=None,
        nav_status=0 if i % 3 else None,
        ais_class=AisClass.A if i % 3 else AisClass.B,
        accuracy=bool(i % 2),
    )


def test_positions_round_trip_in_batches_of_at_most_500() -> None:
    reports = [report(i) for i in range(1001)]
    out = wire.encode_positions("az", reports)
    assert [m.reports for m in out] == [500, 500, 1]
    assert {m.kind for m in out} == {Kind.POSITION}
    back = [p for m in out for p in wire.decode_positions(m.data).positions]
    assert back == reports  # every field, in order
    assert all(wire.decode_positions(m.data).origin == "az" for m in out)


def test_same_batch_same_id_and_another_batch_another() -> None:
    a = wire.encode_positions("az", [report(1), report(2)])[0]
    again = wire.encode_positions("az", [report(1), report(2)])[0]
    other = wire.encode_positions("az", [report(1), report(3)])[0]
    assert a.msg_id == again.msg_id != other.msg_id
    assert a.msg_id.startswith("az:")
    assert wire.encode_positions("az", []) == []


def test_bad_row_is_kept_aside_and_the_rest_kept() -> None:
    (m,) = wire.encode_positions("ir", [report(1), report(2), report(3)])
    body = json.loads(m.data)
    body["p"][1][2] = "east"  # lon
    body["p"].append([1, 2])
    got = wire.decode_positions(json.dumps(body).encode())
    assert got.positions == [report(1), report(3)]
    assert len(got.bad_rows) == 2
    assert "'east'" in got.bad_rows[0]
    assert "12 fields" in got.bad_rows[1]


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [(1, True, "time_ms=True"), (1, 1.5e12, "time_ms=1500000000000.0"), (1, "0", "time_ms='0'"),
     (10, "Z", "ais_class='Z'"), (10, None, "ais_class=None"), (0, None, "None"),
     (6, "fast", "'fast'"), (9, 10**400, "nav_status=1000"), (9, 16, "nav_status=16"),
     (0, 10**10, "mmsi=10000000000"), (4, 0, "msg_type=0"), (2, 181.0, "lon=181.0"),
     (3, float("nan"), "lat=nan")],
)  # fmt: skip
def test_each_bad_field_is_named_and_its_row_kept_aside(
    field: int, value: object, named: str
) -> None:
    (m,) = wire.encode_positions("ir", [report(1), report(2)])
    body = json.loads(m.data)
    body["p"][0][field] = value
    got = wire.decode_positions(json.dumps(body).encode())
    assert got.positions == [report(2)]
    assert len(got.bad_rows) == 1
    assert named in got.bad_rows[0]


@pytest.mark.parametrize(
    ("data", "named"),
    [(b"\xff", "not JSON"), (b"[1]", "not a JSON object"), (b'{"c":"az"}', "'p'"),
     (b'{"c":"az","p":3}', "'p'=3")],
)  # fmt: skip
def test_bad_message_names_what_is_wrong(data: bytes, named: str) -> None:
    with pytest.raises(InputError, match=named):
        wire.decode_positions(data)


def test_receivers_stamped_with_the_publishing_centre_once() -> None:
    r = report(1)
    mine = PositionReport(**{**{f: getattr(r, f) for f in r.__slots__}, "source": "az/BAKU2"})
    (m,) = wire.encode_positions("az", [r, mine])
    got = wire.decode_positions(m.data, stamp_origin=True).positions
    assert [p.source for p in got] == ["az/BAKU1", "az/BAKU2"]


def test_a_newer_version_s_extra_fields_are_ignored() -> None:
    """Rows and messages with more fields than this version's are read, the rest ignored."""
    (m,) = wire.encode_positions("ir", [report(1), report(2)])
    body = json.loads(m.data)
    for row in body["p"]:
        row.append({"quality": 0.9})
    body["v"] = 2
    got = wire.decode_positions(json.dumps(body).encode())
    assert got.positions == [report(1), report(2)]
    assert got.bad_rows == []
