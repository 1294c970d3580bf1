"""The hand-written decoders agree with pyais, field by field, on any bits.

Two independent routes produce the seam records: the fast path (shifts and masks on the
payload integer) and the reference (pyais's decode, then the documented mapping). Hypothesis
throws arbitrary payloads of every fast type at both, and valid messages encoded by pyais's
encoder, and they must give identical records.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from pyais.encode import encode_dict

from littoral.ais import Decoder, RawLine
from littoral.ais.generic import decode_fields, reports_from_fields
from littoral.ais.sixbit import armour, checksum
from littoral.records.reports import AisClass, PositionReport, StaticReport

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LENGTHS = {
    1: (168,),
    2: (168,),
    3: (168, 163, 176),
    4: (168,),
    5: (424, 420, 426),
    9: (168,),
    18: (168, 172),
    19: (312,),
    21: (272, 278, 296, 360),
    24: (160, 168),
    27: (96, 168),
}


def sentence(payload: str, fill: int, talker: str = "AIVDM") -> str:
    body = f"{talker},1,1,,A,{payload},{fill}"
    return f"!{body}*{checksum(body):02X}"


def fast_records(line: str) -> list[PositionReport | StaticReport]:
    decoder = Decoder(keep_others=False)
    batch = decoder.decode_lines([RawLine(line, "test", T0)])
    assert batch.rejects == [], batch.rejects
    return [*batch.positions, *batch.statics]


def reference_records(payload: str, fill: int) -> list[object]:
    fields = decode_fields(payload, fill)
    msg_type = int(payload_type(payload))
    records = reports_from_fields(msg_type, fields, T0, "test")
    return sorted(records, key=lambda r: type(r).__name__)


def payload_type(payload: str) -> int:
    from littoral.ais.sixbit import payload_bits

    value, bits = payload_bits(payload, 0)
    return value >> (bits - 6)


@st.composite
def raw_messages(draw: st.DrawFn) -> tuple[str, int]:
    msg_type = draw(st.sampled_from(sorted(LENGTHS)))
    bits = draw(st.sampled_from(LENGTHS[msg_type]))
    body = draw(st.integers(min_value=0, max_value=(1 << (bits - 6)) - 1))
    if msg_type == 24:
        body &= ~(2 << (bits - 40))  # part number 0 or 1 only
    value = (msg_type << (bits - 6)) | body
    return armour(value, bits)


@settings(max_examples=400, deadline=None)
@given(raw_messages())
def test_fast_path_agrees_with_pyais_on_arbitrary_bits(message: tuple[str, int]) -> None:
    payload, fill = message
    fast = sorted(fast_records(sentence(payload, fill)), key=lambda r: type(r).__name__)
    assert fast == reference_records(payload, fill)


@st.composite
def class_a_positions(draw: st.DrawFn) -> dict[str, object]:
    return {
        "type": draw(st.sampled_from([1, 2, 3])),
        "mmsi": draw(st.integers(200_000_000, 775_999_999)),
        "status": draw(st.integers(0, 15)),
        "speed": draw(st.integers(0, 1023)) / 10,
        "accuracy": draw(st.booleans()),
        "lon": draw(st.integers(-180 * 600_000, 181 * 600_000)) / 600_000,
        "lat": draw(st.integers(-90 * 600_000, 91 * 600_000)) / 600_000,
        "course": draw(st.integers(0, 3600)) / 10,
        "heading": draw(st.sampled_from([0, 90, 359, 511])),
    }


@settings(max_examples=150, deadline=None)
@given(class_a_positions())
def test_class_a_round_trip_through_the_pyais_encoder(data: dict[str, object]) -> None:
    (line,) = encode_dict(data | {"msg_type": data["type"]}, talker_id="AI", sentence_type="VDM")
    records = fast_records(line)
    lat, lon = float(data["lat"]), float(data["lon"])  # type: ignore[arg-type]
    if lat > 90 or lon > 180:
        assert records == []  # "not available" never becomes a position
        return
    (pos,) = records
    assert isinstance(pos, PositionReport)
    assert pos.mmsi == data["mmsi"]
    assert pos.msg_type == data["type"]
    assert abs(pos.lat - lat) <= 1e-6
    assert abs(pos.lon - lon) <= 1e-6
    assert pos.sog_kn == (None if data["speed"] == 102.3 else data["speed"])
    assert pos.cog_deg == (None if data["course"] == 360.0 else data["course"])
    assert pos.heading_deg == (None if data["heading"] == 511 else data["heading"])
    assert pos.nav_status == data["status"]
    assert pos.accuracy == data["accuracy"]
    assert pos.ais_class is AisClass.A
    assert pos.time == T0


text6 = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -./", max_size=20)


@settings(max_examples=100, deadline=None)
@given(
    mmsi=st.integers(200_000_000, 775_999_999),
    name=text6,
    callsign=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=7),
    destination=text6,
    imo=st.integers(0, 999_999_999),
    ship_type=st.sampled_from([0, 20, 30, 36, 37, 52, 60, 70, 80, 89, 90, 99]),
    to_bow=st.integers(0, 511),
    draught=st.integers(0, 255),
    month=st.integers(0, 12),
    day=st.integers(0, 31),
)
def test_static_round_trip_through_the_pyais_encoder(
    mmsi: int,
    name: str,
    callsign: str,
    destination: str,
    imo: int,
    ship_type: int,
    to_bow: int,
    draught: int,
    month: int,
    day: int,
) -> None:
    data = {
        "type": 5,
        "mmsi": mmsi,
        "shipname": name,
        "callsign": callsign,
        "destination": destination,
        "imo": imo,
        "ship_type": ship_type,
        "to_bow": to_bow,
        "draught": draught / 10,
        "month": month,
        "day": day,
        "hour": 12,
        "minute": 30,
    }
    lines = encode_dict(data, talker_id="AI", sentence_type="VDM")
    decoder = Decoder()
    batch = decoder.decode_lines(RawLine(line, "test", T0) for line in lines)
    (static,) = batch.statics
    assert static.mmsi == mmsi
    assert static.name == (name.strip() or None)
    assert static.callsign == (callsign.strip() or None)
    assert static.destination == (destination.strip() or None)
    assert static.imo == (imo or None)
    assert static.ship_type == (ship_type or None)
    assert static.to_bow_m == (float(to_bow) or None)
    assert static.draught_m == (draught / 10 or None)
    if static.eta is not None:
        assert (static.eta.month, static.eta.day, static.eta.hour) == (month, day, 12)
        assert abs((static.eta - T0).days) <= 366


@settings(max_examples=60, deadline=None)
@given(
    msg_type=st.sampled_from([18, 19]),
    mmsi=st.integers(200_000_000, 775_999_999),
    lon=st.integers(-180 * 600_000, 180 * 600_000),
    lat=st.integers(-90 * 600_000, 90 * 600_000),
    speed=st.integers(0, 1022),
)
def test_class_b_round_trip(msg_type: int, mmsi: int, lon: int, lat: int, speed: int) -> None:
    data = {
        "type": msg_type,
        "mmsi": mmsi,
        "lon": lon / 600_000,
        "lat": lat / 600_000,
        "speed": speed / 10,
        "shipname": "KASPIY",
    }
    lines = encode_dict(data, talker_id="AI", sentence_type="VDM")
    decoder = Decoder()
    batch = decoder.decode_lines(RawLine(line, "test", T0) for line in lines)
    (pos,) = batch.positions
    assert pos.ais_class is AisClass.B
    assert abs(pos.lon - lon / 600_000) <= 1e-6
    assert abs(pos.lat - lat / 600_000) <= 1e-6
    assert pos.sog_kn == speed / 10
    if msg_type == 19:
        (static,) = batch.statics
        assert static.name == "KASPIY"


def test_every_fast_type_is_exercised() -> None:
    from littoral.ais.decoder import FAST

    assert set(FAST) | {21, 24} == set(LENGTHS)


def test_fast_constructor_makes_equal_reports() -> None:
    from littoral.ais.constructors import new_position

    args = (273_000_001, T0, 50.1, 42.2, 1, "s", 10.5, 90.0, 91.0, 0, AisClass.A, True)
    fast = new_position(*args)
    plain = PositionReport(*args)
    assert new_position is not PositionReport  # the slot-filling constructor is in use
    assert fast == plain
    assert hash(fast) == hash(plain)
    assert repr(fast) == repr(plain)


def test_positions_made_from_columns_equal_those_made_one_by_one() -> None:
    import pytest

    from littoral.ais.constructors import new_positions

    rows = [
        (273_000_001, T0, 50.1, 42.2, 1, "s", 10.5, 90.0, 91.0, 0, AisClass.A, True),
        (273_000_002, T0, -0.5, 0.0, 18, "t", None, None, None, None, AisClass.B, False),
        (273_000_003, T0, 49.0, 40.0, 4, "u", None, None, None, None, AisClass.BASE, True),
    ]
    columns = [list(column) for column in zip(*rows, strict=True)]
    made = new_positions(*columns)
    plain = [PositionReport(*row) for row in rows]
    assert made == plain
    assert [hash(p) for p in made] == [hash(p) for p in plain]
    assert [repr(p) for p in made] == [repr(p) for p in plain]
    assert [p.ais_class for p in made] == [p.ais_class for p in plain]
    assert new_positions(*[[] for _ in range(12)]) == []
    with pytest.raises(ValueError, match="length"):
        new_positions(*columns[:11], columns[11][:2])
    with pytest.raises(TypeError):
        new_positions(*columns[:11])


def test_fast_static_constructor_makes_equal_reports() -> None:
    from littoral.ais.constructors import new_static

    args = (
        273_000_001, T0, 5, "s", "VOLGA", "UBCD", 9_000_000, 70,
        100.0, 20.0, 5.0, 5.0, "AKTAU", T0, 4.5, AisClass.A,
    )  # fmt: skip
    assert new_static is not StaticReport
    assert new_static(*args) == StaticReport(*args)
    assert hash(new_static(*args)) == hash(StaticReport(*args))
