from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyais.stream import IterMessages

from littoral.errors import InputError
from littoral.exercise.nmea import (
    PositionBatch,
    encode_positions,
    nmea_checksum,
    static_sentences,
    tag_block,
    with_tag_blocks,
)

STATIONS = ("AZ-BAK", "KZ-AKT")


def _batch(
    msg_type: list[int],
    mmsi: list[int],
    time_s: list[float],
    lon: list[float],
    lat: list[float],
    sog: list[float],
    cog: list[float],
    heading: list[float],
    status: list[int],
) -> PositionBatch:
    n = len(mmsi)
    return PositionBatch(
        msg_type=np.asarray(msg_type, dtype=np.int64),
        mmsi=np.asarray(mmsi, dtype=np.int64),
        time_s=np.asarray(time_s),
        lon=np.asarray(lon),
        lat=np.asarray(lat),
        sog_kn=np.asarray(sog),
        cog_deg=np.asarray(cog),
        heading_deg=np.asarray(heading),
        nav_status=np.asarray(status, dtype=np.int64),
        station=np.arange(n, dtype=np.int64) % 2,
    )


report = st.tuples(
    st.sampled_from([1, 18]),
    st.integers(200_000_000, 799_999_999),
    st.floats(1.7e9, 1.9e9),
    st.floats(-180.0, 180.0),
    st.floats(-90.0, 90.0),
    st.floats(0.0, 102.2),
    st.floats(0.0, 359.9),
    st.one_of(st.just(float("nan")), st.floats(0.0, 359.0)),
    st.integers(0, 15),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(report, min_size=1, max_size=30))
def test_position_lines_decode_with_pyais_to_the_values_encoded(rows: list[tuple]) -> None:  # type: ignore[type-arg]
    cols = list(zip(*rows, strict=True))
    batch = _batch(*[list(c) for c in cols])
    lines = encode_positions(batch, STATIONS)
    assert len(lines) == len(rows)
    decoded = list(IterMessages([line.encode() for line in lines]))
    assert len(decoded) == len(rows)
    for i, msg in enumerate(decoded):
        d = msg.decode()
        assert d.msg_type == batch.msg_type[i]
        assert d.mmsi == batch.mmsi[i]
        assert d.lon == pytest.approx(batch.lon[i], abs=2e-6)
        assert d.lat == pytest.approx(batch.lat[i], abs=2e-6)
        assert d.speed == pytest.approx(round(batch.sog_kn[i], 1), abs=0.051)
        assert d.course == pytest.approx(round(batch.cog_deg[i] % 360, 1) % 360, abs=0.051)
        if np.isnan(batch.heading_deg[i]):
            assert d.heading == 511
        else:
            assert d.heading == round(batch.heading_deg[i]) % 360
        assert d.second == int(batch.time_s[i]) % 60
        if d.msg_type == 1:
            assert int(d.status) == batch.nav_status[i]
        tb = msg.tag_block
        assert tb is not None
        tb.init()
        assert tb.receiver_timestamp == str(int(batch.time_s[i]))
        assert tb.source_station == STATIONS[i % 2]


def test_checksums_of_line_and_tag_block_are_the_nmea_xor() -> None:
    batch = _batch([1], [423123456], [1.79e9], [50.2], [40.1], [12.3], [45.0], [45.0], [0])
    (line,) = encode_positions(batch, STATIONS)
    tag, sentence = line[1:].split("\\", 1)
    body, cs = tag.split("*")
    assert nmea_checksum(body) == cs
    body, cs = sentence[1:].split("*")
    assert nmea_checksum(body) == cs
    assert tag_block("AZ-BAK", 1790000000) == "\\s:AZ-BAK,c:1790000000*4D\\"


def test_static_two_sentence_message_carries_group_tags_and_assembles() -> None:
    sentences = static_sentences(
        {"type": 5, "mmsi": 423123456, "shipname": "SHIRVAN STAR", "callsign": "4JAB2"}, 3
    )
    text = with_tag_blocks(sentences, "AZ-BAK", 1790000000, 17)
    lines = text.split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("\\g:1-2-17,s:AZ-BAK,c:1790000000*")
    (msg,) = list(IterMessages([line.encode() for line in lines]))
    d = msg.decode()
    assert d.shipname == "SHIRVAN STAR"
    assert d.callsign == "4JAB2"


def test_bad_station_code_and_message_type_are_named() -> None:
    batch = _batch([1], [423123456], [1.79e9], [50.2], [40.1], [12.3], [45.0], [45.0], [0])
    with pytest.raises(InputError, match="'BAKU'"):
        encode_positions(batch, ("BAKU",))
    bad = _batch([5], [423123456], [1.79e9], [50.2], [40.1], [12.3], [45.0], [45.0], [0])
    with pytest.raises(InputError, match="msg_type=5"):
        encode_positions(bad, STATIONS)
