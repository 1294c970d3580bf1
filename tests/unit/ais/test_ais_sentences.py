"""The sentence layer: talkers, tag blocks, USCG trailers, checksums, multipart assembly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.ais import Decoder, Outcome, RawLine, Reason
from littoral.ais.sixbit import checksum
from littoral.ais.tagblock import TagReader, parse_tagblock, unix_time
from littoral.errors import DecodeError

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
POS = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
TYPE5 = (
    "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
    "!AIVDM,2,2,1,A,88888888880,2*25",
)


def line(text: str, source: str = "src", when: datetime = T0) -> RawLine:
    return RawLine(text, source, when)


def nmea(body: str, lead: str = "!") -> str:
    return f"{lead}{body}*{checksum(body):02X}"


def tag(inner: str) -> str:
    return f"\\{inner}*{checksum(inner):02X}\\"


def decode(*texts: str, decoder: Decoder | None = None) -> tuple[Decoder, object]:
    d = decoder or Decoder()
    batch = d.decode_lines(line(t) for t in texts)
    return d, batch


def test_a_position_sentence_becomes_a_position_report() -> None:
    d, batch = decode(POS)
    (pos,) = batch.positions  # type: ignore[attr-defined]
    assert pos.mmsi == 371798000
    assert (pos.lat, pos.lon) == (48.381633, -123.395383)
    assert pos.sog_kn == 12.3
    assert pos.cog_deg == 224.0
    assert pos.heading_deg == 215.0
    assert pos.time == T0
    assert pos.source == "src"
    assert d.stats.by_outcome == {Outcome.DECODED: 1}
    assert d.stats.by_type == {1: 1}


@pytest.mark.parametrize("talker", ["AIVDM", "AIVDO", "BSVDM", "ABVDM", "ANVDM", "SAVDO"])
def test_any_talker_is_accepted(talker: str) -> None:
    body = POS[1 : POS.index("*")].replace("AIVDM", talker)
    _, batch = decode(nmea(body))
    assert len(batch.positions) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("vectorised", [True, False])
def test_dollar_aivdm_is_accepted(vectorised: bool) -> None:
    body = POS[1 : POS.index("*")]
    five = TYPE5[0][1 : TYPE5[0].index("*")], TYPE5[1][1 : TYPE5[1].index("*")]
    texts = (nmea(body, "$"), nmea(five[0], "$"), nmea(five[1], "$"))
    d, batch = decode(*texts, decoder=Decoder(vectorised=vectorised))
    assert [p.mmsi for p in batch.positions] == [371798000]  # type: ignore[attr-defined]
    assert [s.name for s in batch.statics] == ["EVER DIADEM"]  # type: ignore[attr-defined]
    assert d.stats.rejected == 0


def test_bad_checksum_is_quarantined_not_decoded() -> None:
    bad = POS[:-2] + "4B"
    d, batch = decode(bad)
    assert batch.positions == []  # type: ignore[attr-defined]
    (rej,) = batch.rejects  # type: ignore[attr-defined]
    assert rej.reason == Reason.CHECKSUM
    assert rej.line == bad
    assert rej.source == "src"
    assert d.stats.by_reason == {Reason.CHECKSUM: 1}
    assert d.stats.samples[Reason.CHECKSUM] == [bad]


def test_other_nmea_sentences_blank_lines_and_comments_are_counted() -> None:
    d, _batch = decode(
        "$GPRMC,213950.00,A,5250.53669,N,00542.34920,E,0.020,,070420,,,A*7D",
        "!AIALR,000000.00,001,V,V,AIS: UTC Lost*75",
        "",
        "# a comment",
        "hello world",
        POS,
    )
    assert d.stats.by_outcome == {
        Outcome.OTHER_NMEA: 2,
        Outcome.BLANK: 2,
        Outcome.REJECTED: 1,
        Outcome.DECODED: 1,
    }
    assert d.stats.by_reason == {Reason.NOT_NMEA: 1}
    assert d.stats.lines == 6


def test_tag_block_time_and_station() -> None:
    text = tag("s:rORBCOMM104,c:1418172113") + POS
    d, batch = decode(text)
    (pos,) = batch.positions  # type: ignore[attr-defined]
    assert pos.time == datetime(2014, 12, 10, 0, 41, 53, tzinfo=UTC)
    assert d.stats.rejected == 0


def test_tag_block_time_in_milliseconds() -> None:
    _, batch = decode(tag("c:1418172113500") + POS)
    (pos,) = batch.positions  # type: ignore[attr-defined]
    assert pos.time == datetime(2014, 12, 10, 0, 41, 53, 500000, tzinfo=UTC)


def test_tag_block_with_bad_checksum_is_quarantined() -> None:
    text = "\\s:rORBCOMM104,c:1418172113*00\\" + POS
    d, batch = decode(text)
    assert batch.positions == []  # type: ignore[attr-defined]
    assert d.stats.by_reason == {Reason.TAGBLOCK_CHECKSUM: 1}


@pytest.mark.parametrize(
    "text", ["\\s:x,c:1*5", "\\c:notatime*" + f"{checksum('c:notatime'):02X}" + "\\" + POS, "\\x"]
)
def test_malformed_tag_blocks_are_quarantined(text: str) -> None:
    d, batch = decode(text)
    assert batch.positions == []  # type: ignore[attr-defined]
    assert d.stats.by_reason.keys() <= {Reason.TAGBLOCK_MALFORMED, Reason.TAGBLOCK_CHECKSUM}
    assert d.stats.rejected == 1


def test_uscg_trailing_time_is_the_receive_time() -> None:
    text = POS + ",d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060,1325394001"
    _, batch = decode(text)
    (pos,) = batch.positions  # type: ignore[attr-defined]
    assert pos.time == datetime(2012, 1, 1, 5, 1, 0, tzinfo=UTC)


def test_tag_block_time_wins_over_uscg_time() -> None:
    text = tag("c:1418172113") + POS + ",r003669946,1325394060"
    _, batch = decode(text)
    assert batch.positions[0].time.year == 2014  # type: ignore[attr-defined]


def test_multipart_message_assembled_with_interleaving() -> None:
    other = nmea("AIVDM,2,1,2,B,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0")
    d, batch = decode(TYPE5[0], other, POS, TYPE5[1])
    (static,) = batch.statics  # type: ignore[attr-defined]
    assert static.mmsi == 351759000
    assert static.name == "EVER DIADEM"
    assert static.callsign == "3FOF8"
    assert static.destination == "NEW YORK"
    assert static.draught_m == 12.2
    assert static.imo == 9134270
    assert d.pending_fragments == 1  # the channel B group is still open
    flushed = d.flush()
    assert [r.reason for r in flushed.rejects] == [Reason.FRAGMENT_EXPIRED]
    assert d.stats.by_outcome[Outcome.FRAGMENT] == 3


def test_fragments_in_reverse_order_are_discarded_as_gpsd_does() -> None:
    d, batch = decode(TYPE5[1], TYPE5[0])
    assert batch.statics == []  # type: ignore[attr-defined]
    assert d.stats.by_reason == {Reason.FRAGMENT_ORPHAN: 1}
    assert [r.reason for r in d.flush().rejects] == [Reason.FRAGMENT_EXPIRED]


def test_fragments_of_two_talkers_do_not_mix() -> None:
    d, batch = decode(TYPE5[0], "!SA" + TYPE5[1][3:-2] + f"{checksum('SA' + TYPE5[1][3:-3]):02X}")
    assert batch.statics == []  # type: ignore[attr-defined]
    assert d.stats.by_reason == {Reason.FRAGMENT_ORPHAN: 1}


def test_fragments_of_two_stations_do_not_mix() -> None:
    first = tag("s:r1,c:1418169601") + TYPE5[0]
    for second, joined in (
        (tag("s:r2,c:1418169601") + TYPE5[1], False),
        (tag("s:r1,c:1418169601") + TYPE5[1], True),
        (tag("g:2-2-7,c:1418169601") + TYPE5[1], True),  # no s: here: joins its group
    ):
        for vectorised in (True, False):
            _d, batch = decode(first, second, decoder=Decoder(vectorised=vectorised))
            assert len(batch.statics) == joined, (second, vectorised)  # type: ignore[attr-defined]


def test_fragments_of_two_sources_do_not_mix() -> None:
    d = Decoder()
    batch = d.decode_lines([line(TYPE5[0], "a"), line(TYPE5[0], "b"), line(TYPE5[1], "b")])
    assert [s.source for s in batch.statics] == ["b"]
    assert d.pending_fragments == 1


def test_sequence_id_reused_replaces_the_incomplete_group() -> None:
    d, batch = decode(TYPE5[0], TYPE5[0], TYPE5[1])
    assert len(batch.statics) == 1  # type: ignore[attr-defined]
    assert d.stats.by_reason == {Reason.FRAGMENT_REPLACED: 1}


def test_incomplete_groups_time_out() -> None:
    d = Decoder(fragment_timeout_s=10)
    d.decode_lines([line(TYPE5[0], when=T0)])
    assert d.pending_fragments == 1
    batch = d.decode_lines([line(POS, when=T0 + timedelta(seconds=11))])
    assert d.pending_fragments == 0
    assert [r.reason for r in batch.rejects] == [Reason.FRAGMENT_EXPIRED]


def test_open_groups_are_bounded() -> None:
    d = Decoder(max_pending=50)
    lines = [
        line(nmea(f"AIVDM,2,1,{i % 10},A,55?MbV02;H;s<HtKR20EHE:0@T4,0"), source=f"s{i}")
        for i in range(500)
    ]
    batch = d.decode_lines(lines)
    assert d.pending_fragments == 50
    assert len(batch.rejects) == 450
    assert d.stats.by_reason == {Reason.FRAGMENT_OVERFLOW: 450}


def test_type5_of_420_and_426_bits_is_accepted_and_shorter_is_not() -> None:
    from littoral.ais.sixbit import armour, payload_bits

    payload = TYPE5[0].split(",")[5] + TYPE5[1].split(",")[5]
    value, bits = payload_bits(payload, 2)
    assert bits == 424
    for new_bits, accepted in ((426, True), (420, True), (400, False)):
        shifted = value << (new_bits - bits) if new_bits > bits else value >> (bits - new_bits)
        p, fill = armour(shifted, new_bits)
        d, batch = decode(nmea(f"AIVDM,1,1,,A,{p},{fill}"))
        assert (len(batch.statics) == 1) is accepted  # type: ignore[attr-defined]
        if not accepted:
            assert d.stats.by_reason == {Reason.PAYLOAD_LENGTH: 1}


def test_not_available_position_never_becomes_a_position() -> None:
    from pyais.encode import encode_dict

    (text,) = encode_dict({"type": 1, "mmsi": 273000001, "lat": 91, "lon": 181, "speed": 102.3})
    d, batch = decode(text)
    assert batch.positions == []  # type: ignore[attr-defined]
    (other,) = batch.others  # type: ignore[attr-defined]
    assert other.fields["lat"] == 91.0
    assert d.stats.no_position == 1


def test_not_available_speed_course_heading_become_none() -> None:
    from pyais.encode import encode_dict

    msg = {"type": 1, "mmsi": 273000001, "lat": 42.0, "lon": 50.0, "speed": 102.3}
    (text,) = encode_dict(msg | {"course": 360, "heading": 511})
    _, batch = decode(text)
    (pos,) = batch.positions  # type: ignore[attr-defined]
    assert (pos.sog_kn, pos.cog_deg, pos.heading_deg) == (None, None, None)


def test_safety_texts_and_other_types() -> None:
    from pyais.encode import encode_dict

    (t14,) = encode_dict({"type": 14, "mmsi": 972000001, "text": "SART ACTIVE"})
    (t8,) = encode_dict({"type": 8, "mmsi": 2730001, "dac": 1, "fid": 1, "data": b"\x01\x02"})
    _, batch = decode(t14, t8)
    (safety,) = batch.safety  # type: ignore[attr-defined]
    assert safety.text == "SART ACTIVE"
    assert safety.msg_type == 14
    (other,) = batch.others  # type: ignore[attr-defined]
    assert other.msg_type == 8
    assert other.fields["dac"] == 1


def test_parse_tagblock_and_unix_time() -> None:
    tb = parse_tagblock(tag("g:1-2-1604,s:st,c:1418169601,T:2014-12-10 00.00.01")[1:-1])
    assert tb.group == (1, 2, 1604)
    assert tb.station == "st"
    assert tb.fields["T"] == "2014-12-10 00.00.01"
    with pytest.raises(DecodeError, match="Unix time"):
        unix_time("abc")
    with pytest.raises(DecodeError, match="plausible"):
        unix_time("-5")


def test_decode_texts_is_decode_lines_without_tuples() -> None:
    texts = [POS, *TYPE5, "garbage", POS[:-2] + "00"]
    a = Decoder().decode_lines([line(t) for t in texts])
    d = Decoder()
    b = d.decode_texts(texts, "src", T0)
    assert a == b
    assert d.stats.lines == 5


def test_expired_groups_keep_their_source_and_lines() -> None:
    d = Decoder()
    d.decode_lines([line(TYPE5[0], "receiver-7")])
    (rejected,) = d.flush().rejects
    assert rejected.source == "receiver-7"
    assert rejected.line == TYPE5[0]
    assert rejected.detail == "1 of 2 fragments"


def test_tag_blocks_sharing_a_second_keep_their_own_station() -> None:
    texts = [tag(f"s:{name},c:1418172113") + POS for name in ("AZ-BAK", "KZ-AKT", "AZ-BAK")]
    d = Decoder(keep_messages=True)
    batch = d.decode_lines([line(t) for t in texts])
    assert [m.station for m in batch.messages] == ["AZ-BAK", "KZ-AKT", "AZ-BAK"]
    assert {m.time for m in batch.messages} == {datetime(2014, 12, 10, 0, 41, 53, tzinfo=UTC)}


tag_items = st.sampled_from(
    [
        "s:AZ-BAK",
        "s:",
        "s:A*B",
        "c:1418172113",
        "c:1418172114",
        "c:1418172113500",
        "c:99999999999999999",
        "c:x",
        "g:1-2-77",
        "g:1-2",
        "q:u",
        "T:2014-12-10 00.41.53",
        "xyz",
        ":v",
        "nn:5",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(tag_items, min_size=1, max_size=4), min_size=1, max_size=6))
def test_tag_reader_agrees_with_parse_tagblock(bodies: list[list[str]]) -> None:
    reader = TagReader()
    for items in bodies * 2:  # twice: the second time through the caches
        inner = ",".join(items)
        text = tag(inner) + POS
        time, station, reason = reader.tag(text, text.find("\\", 1), True)
        try:
            expected = parse_tagblock(text[1 : text.find("\\", 1)])
        except DecodeError:
            assert reason == Reason.TAGBLOCK_MALFORMED
            continue
        assert reason is None
        assert (time, station) == (expected.time, expected.station)


def test_static_with_unavailable_position_counts_as_no_position() -> None:
    from pyais.encode import encode_dict

    msg = {"type": 19, "mmsi": 273000009, "lat": 91, "lon": 181, "shipname": "BORIS"}
    lines = encode_dict(msg, talker_id="AI", sentence_type="VDM")
    d = Decoder()
    batch = d.decode_lines([line(t) for t in lines])
    assert batch.positions == []
    assert [s.name for s in batch.statics] == ["BORIS"]  # type: ignore[attr-defined]
    assert d.stats.no_position == 1
    assert [m.msg_type for m in batch.others] == [19]
