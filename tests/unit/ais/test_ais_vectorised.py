"""The vectorised batch path gives exactly what the line-by-line path gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.ais import Decoder, RawLine
from littoral.ais.checksums import scan_batch, scan_lines
from littoral.ais.sixbit import armour, checksum
from littoral.records.reports import AisClass

T0 = datetime(2026, 5, 1, tzinfo=UTC)
ARMOUR = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw"


@st.composite
def position_line(draw: st.DrawFn) -> str:
    """A one-sentence 168-bit message: mostly types 1-3, 18, 24 and 4, any bits."""
    msg_type = draw(st.sampled_from([1, 2, 3, 18, 18, 24, 24, 4, 4, 9, 5, 0, 63]))
    value = (msg_type << 162) | draw(st.integers(0, (1 << 162) - 1))
    payload, fill = armour(value, 168)
    talker = draw(st.sampled_from(["AIVDM", "AIVDO", "BSVDM"]))
    channel = draw(st.sampled_from(["A", "B", "1", ""]))
    body = f"{talker},1,1,,{channel},{payload},{fill}"
    line = f"!{body}*{checksum(body):02X}"
    if draw(st.booleans()):
        inner = draw(
            st.sampled_from(
                [
                    "s:AZ-BAK,c:1791936000",
                    "c:1791936001",
                    "g:1-1-5,c:x",
                    "s:RU",
                    "s:A,B,c:1791936002",
                    "x:1,c:1791936003",
                    "s:,c:1791936004",
                    "s:KZ,c:179193600",
                    "g:1-2-3,s:TM,c:1791936005",
                    "s:RU*X,c:1791936006",
                    "c:1791936007,s:RU,q:u,T:2026-10-14 00.00.00",
                    "c:1791936008,x",
                    "c:1791936009,s:A,c:1791936010",
                    "c:179193601,s:X",
                    "c:1791936011,g:1-2-x",
                    "c:1791936012,",
                ]
            )
        )
        line = f"\\{inner}*{checksum(inner):02X}\\{line}"
    if draw(st.integers(0, 9)) == 0:
        where = draw(st.integers(0, len(line) - 1))
        line = line[:where] + draw(st.sampled_from(list(ARMOUR + ",*!\\"))) + line[where + 1 :]
    if draw(st.integers(0, 9)) == 0:
        line += ",r003669946,1325394060"
    if draw(st.integers(0, 9)) == 0:
        # a character beyond latin-1 where the checksum was made over a "?" (as a scan
        # that stands "?" for it would check it): the plain path refuses such a payload
        line = line.replace("?", draw(st.sampled_from(["\ufffd", "\u2603"])), 1)
    return line


lines_strategy = st.lists(
    st.one_of(position_line(), position_line(), st.text(max_size=60)), max_size=30
)


def _counts(decoder: Decoder) -> dict[str, object]:
    """The statistics both paths must agree on: all but how each line was decoded."""
    counts = decoder.stats.as_dict()
    assert counts.pop("fallbacks") == {}
    paths = counts.pop("by_path")
    assert isinstance(paths, dict)
    assert sum(v for k, v in paths.items() if k != "generic") == decoder.stats.lines
    if not decoder.vectorised:
        assert set(paths) <= {"line", "generic"}
    return counts


@settings(max_examples=300, deadline=None)
@given(lines_strategy)
def test_vectorised_and_plain_paths_agree(texts: list[str]) -> None:
    texts = [t.replace("\n", " ") for t in texts]
    results = []
    for vectorised in (True, False):
        decoder = Decoder(vectorised=vectorised)
        batch = decoder.decode_lines([RawLine(t, "s", T0) for t in texts])
        batch.extend(decoder.flush())
        results.append((batch, _counts(decoder)))
    (fast, fast_stats), (plain, plain_stats) = results
    assert fast.positions == plain.positions
    assert [type(p.ais_class) for p in fast.positions] == [
        type(p.ais_class) for p in plain.positions
    ]
    assert fast.statics == plain.statics
    assert fast.safety == plain.safety
    assert fast.others == plain.others
    assert fast.rejects == plain.rejects
    assert fast_stats == plain_stats


@settings(max_examples=300, deadline=None)
@given(lines_strategy, st.sampled_from(["c:1791936020", "x:1"]), st.booleans())
def test_positions_as_columns_are_the_records_field_by_field(
    texts: list[str], tag: str, seconds: bool
) -> None:
    """Also with times as Unix seconds (as the decode worker asks for them)."""
    from littoral.ais.constructors import new_positions

    texts = [t.replace("\n", " ") for t in texts]
    # a line the lane leaves to the loop (a type 19) before lines of the lane's (a base
    # station behind a tag block of either kind, then positions again)
    texts += [
        "!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B",
        f"\\{tag}*{checksum(tag):02X}\\!AIVDM,1,1,,A,402B4L1uubaN`1d:>REe@jA028Gh,0*6B",
        *texts[:5],
    ]
    records, columns = Decoder(), Decoder()
    batch = records.decode_texts(texts, "s", T0)
    rest, position_columns = columns.decode_texts_columns(texts, "s", T0, seconds=seconds)
    assert rest.positions == []
    times = position_columns[1]
    if not seconds:
        assert not any(isinstance(t, int) for t in times)
    position_columns[1] = [
        datetime.fromtimestamp(t, UTC) if isinstance(t, int) else t for t in times
    ]
    assert new_positions(*position_columns) == batch.positions
    assert [t.tzinfo for t in position_columns[1]] == [p.time.tzinfo for p in batch.positions]
    assert columns._last_time == records._last_time  # (fragments expire by it)
    assert rest.statics == batch.statics
    assert rest.rejects == batch.rejects
    assert columns.stats.as_dict() == records.stats.as_dict()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(position_line(), st.text(max_size=80)), max_size=20))
def test_batch_checksums_agree_with_line_by_line(texts: list[str]) -> None:
    texts = [t.replace("\n", " ") for t in texts]
    fast, plain = scan_batch(texts), scan_lines(texts)
    assert fast.sentence_ok == plain.sentence_ok
    assert fast.tag_ok == plain.tag_ok
    assert fast.star == plain.star
    assert fast.close == plain.close


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=70), st.data())
def test_the_prefix_xor_over_words_agrees_with_byte_by_byte(
    raw: bytes, data: st.DataObject
) -> None:
    import numpy as np

    from littoral.ais.checksums import PrefixXor

    positions = data.draw(st.lists(st.integers(0, len(raw)), max_size=20))
    got = PrefixXor(np.frombuffer(raw, dtype=np.uint8)).at(np.array(positions, dtype=np.int64))
    want = []
    for p in positions:
        value = 0
        for byte in raw[:p]:
            value ^= byte
        want.append(value)
    assert got.tolist() == want


def test_the_lane_takes_the_common_lines() -> None:
    from littoral.ais.lane import position_lane

    texts = [
        "\\s:AZ-BAK,c:1791936000*40\\!AIVDM,1,1,,B,16CtobhP1l3U:gPG2v34K3`00000,0*3A",
        "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
        "!AIVDM,1,1,,A,B3KLehP0B@LTN6`Vl;rrBE063P06,0*5A",
        "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B",  # bad checksum
        "!AIVDM,1,1,,A,403Ovl@000Htt<tSF0l4Q@100`Pq,0*28",  # type 4, no position: plain path
    ]
    index, fields = position_lane(scan_batch(texts))
    assert index == [0, 1, 2, -1, -1]
    plain = Decoder(vectorised=False).decode_texts(texts[:3], "s", T0).positions
    assert [f[0] for f in fields] == [p.mmsi for p in plain]
    assert [f[0] for f in fields][1:] == [371798000, 230108610]


def test_the_lane_takes_type_24_too() -> None:
    from pyais.encode import encode_dict

    from littoral.ais.lane import decode_lane

    (part_b,) = encode_dict(
        {"type": 24, "mmsi": 273000024, "partno": 1, "callsign": "UBX", "ship_type": 37},
        talker_id="AI",
        sentence_type="VDM",
    )
    texts = ["!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A", part_b]
    lane = decode_lane(scan_batch(texts))
    assert lane.index == [0, -1]
    assert lane.static_rows == [1]
    batch = Decoder().decode_texts(texts, "s", T0)
    (static,) = batch.statics
    assert (static.mmsi, static.callsign, static.ship_type) == (273000024, "UBX", 37)
    assert batch == Decoder(vectorised=False).decode_texts(texts, "s", T0)


@st.composite
def two_sentence_message(draw: st.DrawFn) -> list[tuple[str, str]]:
    """The (source, line) of both fragments of a type 5 (or other) message, tags varied."""
    msg_type = draw(st.sampled_from([5, 5, 5, 19, 21, 8]))
    bits = draw(st.sampled_from([424, 424, 426, 312, 360]))
    value = (msg_type << (bits - 6)) | draw(st.integers(0, (1 << (bits - 6)) - 1))
    payload, fill = armour(value, bits)
    cut = draw(st.sampled_from([60, 42, 10]))
    seq = draw(st.sampled_from(["1", "2", "", "3"]))
    channel = draw(st.sampled_from(["A", "B"]))
    talker = draw(st.sampled_from(["AIVDM", "AIVDM", "BSVDO", "AIVDX"]))
    source = draw(st.sampled_from(["s", "s", "t"]))
    second = draw(st.sampled_from(["s:AZ-BAK,c:1791936000", "c:1791936060", "s:RU", None]))
    out = []
    for number, (part, part_fill) in enumerate(((payload[:cut], 0), (payload[cut:], fill)), 1):
        body = f"{talker},2,{number},{seq},{channel},{part},{part_fill}"
        line = f"!{body}*{checksum(body):02X}"
        tag = draw(
            st.sampled_from(
                [
                    f"g:{number}-2-77,s:AZ-BAK,c:1791936000",
                    f"g:{number}-2-78,c:1791936030",
                    f"g:{number}-2-x,c:1791936030",
                    "s:KZ,c:1791936200",
                    second,
                ]
            )
        )
        if tag is not None:
            line = f"\\{tag}*{checksum(tag):02X}\\{line}"
        if draw(st.integers(0, 9)) == 0:
            line += ",r003669946,1325394060"
        if draw(st.integers(0, 14)) == 0:
            where = draw(st.integers(0, len(line) - 1))
            line = line[:where] + draw(st.sampled_from(list(ARMOUR + ",*!\\"))) + line[where + 1 :]
        out.append((source, line))
    if draw(st.integers(0, 7)) == 0:
        out.reverse()
    if draw(st.integers(0, 7)) == 0:
        out.pop(draw(st.integers(0, 1)))
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(two_sentence_message(), position_line().map(lambda t: [("s", t)]))),
    st.integers(1, 7),
    st.sampled_from([1, 2, 10_000]),
)
def test_two_sentence_messages_agree_on_both_paths(
    groups: list[list[tuple[str, str]]], batch_lines: int, max_pending: int
) -> None:
    lines = [RawLine(text, source, T0) for group in groups for source, text in group]
    results = []
    for vectorised in (True, False):
        decoder = Decoder(vectorised=vectorised, max_pending=max_pending)
        batches = list(decoder.iter_batches(lines, batch_lines))
        results.append((batches, _counts(decoder)))
    assert results[0] == results[1]


def test_consecutive_fragments_are_decoded_together() -> None:
    from pyais.encode import encode_dict

    first, second = encode_dict(
        {"type": 5, "mmsi": 273000005, "shipname": "VOLGO-BALT 201", "callsign": "UBX5"},
        talker_id="AI",
        sentence_type="VDM",
    )
    texts = [f"\\g:1-2-9,s:AZ-BAK,c:1791936000*{checksum('g:1-2-9,s:AZ-BAK,c:1791936000'):02X}\\"
             + first, second]  # fmt: skip
    decoder = Decoder()
    batch = decoder.decode_texts(texts, "s", T0)
    (static,) = batch.statics
    assert (static.name, static.callsign) == ("VOLGO-BALT 201", "UBX5")
    assert static.time == datetime.fromtimestamp(1791936000, UTC)
    assert decoder.pending_fragments == 0
    assert decoder.stats.by_outcome["fragment"] == 2
    assert batch == Decoder(vectorised=False).decode_texts(texts, "s", T0)


def test_a_failure_inside_a_pair_is_counted_once_per_line() -> None:
    from pyais.encode import encode_dict

    class Faulty(Decoder):  # a decoding bug, injected: the feed must go on
        def _message(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("injected")

    # (USCG trailing fields: a pair the per-pair path reads, see test_ais_pairs for the others)
    texts = [
        text + ",r003669946,1325394060"
        for text in encode_dict({"type": 5, "mmsi": 273000005}, talker_id="AI")
    ]
    texts.append("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A")
    decoder = Faulty()
    batch = decoder.decode_texts(texts, "s", T0)
    assert decoder.stats.lines == sum(decoder.stats.by_outcome.values()) == 3
    assert [r.reason for r in batch.rejects] == ["decode_error"]
    assert len(batch.positions) == 1


def test_the_lane_takes_base_stations_of_the_real_capture_as_the_plain_path_does(
    data_dir: Path,
) -> None:
    from littoral.ais.lane import decode_lane

    texts = (data_dir / "ais/real/pyais-nmea_data_sample.txt").read_text().splitlines()
    lane = decode_lane(scan_batch(texts))
    taken = {lane.columns[3][j] for j in range(len(lane.rows))}
    assert 4 in taken
    fast = Decoder().decode_texts(texts, "s", T0)
    plain = Decoder(vectorised=False).decode_texts(texts, "s", T0)
    bases = [p for p in fast.positions if p.msg_type == 4]
    assert bases
    assert all(p.ais_class is AisClass.BASE and p.sog_kn is None for p in bases)
    assert fast.positions == plain.positions
    assert [p.ais_class for p in fast.positions] == [p.ais_class for p in plain.positions]


def test_the_kept_seconds_are_cleared_without_losing_a_batch_s_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lane's datetimes of distinct seconds are kept between batches, up to a bound;
    a batch that finds some kept and brings new ones past the bound still gets them all,
    on the lane (no fallback), as the plain path reads them."""
    from littoral.ais import decoder as decoder_module

    monkeypatch.setattr(decoder_module, "_SECONDS_KEPT", 4)
    body = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
    start = 1791936000
    batches = [range(0, 3), range(1, 7), range(5, 12), range(0, 2)]  # kept, then new past 4
    fast, plain = Decoder(), Decoder(vectorised=False)
    for seconds in batches:
        texts = [f"\\c:{start + s}*{checksum(f'c:{start + s}'):02X}\\{body}" for s in seconds]
        got = fast.decode_texts(texts, "s", T0)
        want = plain.decode_lines([RawLine(t, "s", T0) for t in texts])
        assert [p.time for p in got.positions] == [
            datetime.fromtimestamp(start + s, UTC) for s in seconds
        ]
        assert got.positions == want.positions
    assert fast.stats.fallbacks == {}
    assert fast.stats.by_path["lane"] == sum(len(s) for s in batches)
