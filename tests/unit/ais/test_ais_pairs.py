"""Type 5 pairs read with the batch give exactly what the per-pair and line-by-line paths give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.ais import Decoder, RawLine
from littoral.ais import decoder as decoder_module
from littoral.ais.checksums import scan_batch
from littoral.ais.pairs import GROUP_ONLY, NO_TAG, OTHER, TIMED, find_pairs, tag_kinds
from littoral.ais.sixbit import armour, checksum
from littoral.ais.tagblock import TagReader

T0 = datetime(2026, 5, 1, tzinfo=UTC)
SECONDS = 1791936000
ARMOUR = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw"


def _sentence(body: str, tag: str | None, trailer: bool, start: str = "!") -> str:
    star = checksum(body.encode("latin-1", "replace").decode("latin-1"))
    line = f"{start}{body}*{star:02X}"
    if tag is not None:
        line = f"\\{tag}*{checksum(tag):02X}\\{line}"
    return line + (",r003669946,1325394060" if trailer else "")


FIRST_TAGS = [
    None,
    "g:1-2-{g},s:{s},c:{t}",
    "g:1-2-{g},s:{s},c:{t}",
    "s:{s},c:{t}",
    "c:{t}",
    "g:1-2-{g}",
    "g:1-2-{g},c:{t}",
    "g:--,c:{t}",
    "g:1-2-x,s:{s},c:{t}",
    "g:1-2-{g},s:A,B,c:{t}",
    "s:,c:{t}",
    "g:1-2-{g},s:,c:{t}",
    "c:{t},s:{s}",
    "c:179193600",
    "x:1",
    "g:1--{g},s:{s},c:{t}",
    "s:{s},c:{t},c:{t}",
]
SECOND_TAGS = [
    None,
    "g:2-2-{g}",
    "g:2-2-{g}",
    "g:2-2-{g},s:{s},c:{t}",
    "s:{s},c:{t}",
    "s:OTHER,c:{t}",
    "c:{t}",
    "g:2-x",
    "g:2-2-{g},c:{t}",
]


@st.composite
def pair(draw: st.DrawFn) -> list[tuple[str, str, datetime]]:
    """Both sentences of a two-sentence message, (text, source, received), varied awkwardly."""
    # half the pairs of the usual kind (read with the batch), half with something awkward
    usual = draw(st.booleans())

    def pick(usual_ones: list[Any], awkward: list[Any]) -> Any:
        return draw(st.sampled_from(usual_ones if usual else usual_ones + awkward))

    msg_type = pick([5], [5, 21, 19])
    bits = pick([424], [426, 418, 360])
    value = (msg_type << (bits - 6)) | draw(st.integers(0, (1 << (bits - 6)) - 1))
    payload, fill = armour(value, bits)
    cut = pick([60, 42, 0, len(payload)], [1])
    talker = pick(["AIVDM", "AIVDO", "BSVDM"], ["AIVDX", "AIVD"])
    start = pick(["!", "$"], [])
    seq = pick(["1", "", "7"], ["12"])
    channel = pick(["A", "B", ""], ["AB"])
    station = draw(st.sampled_from(["AZ-BAK", "r273001", "KZ"]))
    group = draw(st.integers(0, 99999))
    time1 = SECONDS + draw(st.integers(0, 3))
    time2 = time1 + pick([0, 1, -1, 59, 60], [61, 400])
    fills = (pick(["0", "x"], ["", "12"]), str(fill))
    if not usual and draw(st.integers(0, 3)) == 0:
        fills = (fills[0], draw(st.sampled_from(["0", "4", ""])))
    first_tags = FIRST_TAGS[:7] if usual else FIRST_TAGS
    second_tags = SECOND_TAGS[:7] if usual else SECOND_TAGS
    out = []
    for number, (part, part_fill) in enumerate(
        ((payload[:cut], fills[0]), (payload[cut:], fills[1])), 1
    ):
        this_talker, this_seq, this_channel = talker, seq, channel
        if not usual and draw(st.integers(0, 9)) == 0:  # the two sentences disagree
            this_talker = draw(st.sampled_from(["AIVDO", "SAVDM"]))
        if not usual and draw(st.integers(0, 9)) == 0:
            this_seq = draw(st.sampled_from(["2", ""]))
        if not usual and draw(st.integers(0, 9)) == 0:
            this_channel = draw(st.sampled_from(["B", "", "A"]))
        body = f"{this_talker},2,{number},{this_seq},{this_channel},{part},{part_fill}"
        tag = draw(st.sampled_from(first_tags if number == 1 else second_tags))
        if tag is not None:
            tag = tag.format(g=group, s=station, t=time1 if number == 1 else time2)
        line = _sentence(body, tag, not usual and draw(st.integers(0, 4)) == 0, start)
        if draw(st.integers(0, 24)) == 0:  # a broken character (the checksum catches most)
            where = draw(st.integers(0, len(line) - 1))
            line = line[:where] + draw(st.sampled_from(list(ARMOUR + ",*!\\"))) + line[where + 1 :]
        if draw(st.integers(0, 29)) == 0 and part:  # a character beyond latin-1 in the payload
            body = body.replace(part, "\u20ac" + part[1:])
            line = _sentence(body, tag, False, start)
        if draw(st.integers(0, 29)) == 0 and tag is not None:  # a tag block checksum wrong
            line = line.replace(f"*{checksum(tag):02X}\\", f"*{(checksum(tag) + 1) % 256:02X}\\")
        source = pick(["s"], ["s", "t"])
        received = T0 + timedelta(seconds=draw(st.sampled_from([0, 0, 5, 90])))
        out.append((line, source, received))
    if not usual and draw(st.integers(0, 4)) == 0:
        out.reverse()
    if not usual and draw(st.integers(0, 6)) == 0:
        out.pop(draw(st.integers(0, 1)))
    return out


@st.composite
def other_line(draw: st.DrawFn) -> list[tuple[str, str, datetime]]:
    """A one-sentence position or type 24, or garbage."""
    msg_type = draw(st.sampled_from([1, 18, 24]))
    payload, fill = armour((msg_type << 162) | draw(st.integers(0, (1 << 162) - 1)), 168)
    tag = draw(st.sampled_from([None, "s:KZ,c:1791936100", "c:1791935000"]))
    line = _sentence(f"AIVDM,1,1,,A,{payload},{fill}", tag, False)
    return [(draw(st.sampled_from([line, line, "", "$GPRMC,1*00"])), "s", T0)]


def _three_ways(
    lines: list[RawLine], batch_lines: int, max_pending: int, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[list[Any], dict[str, object], object]]:
    """Decode with the pairs read per batch, per pair (_pair) and line by line."""
    out = []
    for way in ("batch", "pair", "line"):
        with monkeypatch.context() as patch:
            if way == "pair":  # no pair found by the batch: all go through _pair
                patch.setattr(decoder_module, "find_pairs", lambda scan, taken: _no_pairs(scan))
            decoder = Decoder(
                vectorised=way != "line", max_pending=max_pending, fragment_timeout_s=60.0
            )
            batches = list(decoder.iter_batches(lines, batch_lines))
        counts = decoder.stats.as_dict()
        assembler = decoder._assembler
        state = (
            {
                key: (g.lines, g.payloads, g.time, g.station)
                for key, g in assembler._pending.items()
            },
            dict(assembler._stations),
            decoder._last_time,
        )
        out.append((batches, counts, state))
    return out


def _no_pairs(scan: Any) -> Any:
    return find_pairs(scan, np.ones(len(scan.star), dtype=bool))  # every line "taken"


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(pair(), pair(), other_line()), max_size=25),
    st.integers(1, 9),
    st.sampled_from([1, 2, 10_000]),
)
def test_pairs_read_with_the_batch_agree_with_both_other_paths(
    groups: list[list[tuple[str, str, datetime]]], batch_lines: int, max_pending: int
) -> None:
    lines = [
        RawLine(text, source, received) for group in groups for text, source, received in group
    ]
    with pytest.MonkeyPatch.context() as monkeypatch:
        (
            (batch, batch_counts, batch_state),
            (per_pair, pair_counts, pair_state),
            (
                plain,
                plain_counts,
                plain_state,
            ),
        ) = _three_ways(lines, batch_lines, max_pending, monkeypatch)
    # with the pair path: everything, statistics and assembler included
    assert batch == per_pair
    assert batch_counts == pair_counts
    assert batch_state == pair_state
    # with the line-by-line path: all but how lines were decoded
    assert batch == plain
    batch_counts.pop("by_path")
    plain_counts.pop("by_path")
    assert batch_counts == plain_counts
    assert batch_state[0] == plain_state[0]


def test_the_usual_pairs_are_read_with_the_batch() -> None:
    lines = []
    for k in range(30):
        payload, _ = armour((5 << 418) | (273_000_000 + k) << 386, 424)
        for number, part, fill in ((1, payload[:60], 0), (2, payload[60:], 2)):
            tag = f"g:{number}-2-{k},s:r{k % 3},c:{SECONDS + k}" if number == 1 else f"g:2-2-{k}"
            lines.append(_sentence(f"AIVDM,2,{number},{k % 10},A,{part},{fill}", tag, False))
    scan = scan_batch(lines)
    found = find_pairs(scan, np.zeros(len(lines), dtype=bool))
    assert found.rows.tolist() == list(range(0, 60, 2))
    assert found.kind1.tolist() == [TIMED] * 30
    assert found.kind2.tolist() == [GROUP_ONLY] * 30
    decoder = Decoder()
    batch = decoder.decode_texts(lines, "s", T0)
    assert [s.mmsi for s in batch.statics] == [273_000_000 + k for k in range(30)]
    assert [s.time for s in batch.statics] == [
        datetime.fromtimestamp(SECONDS + k, UTC) for k in range(30)
    ]
    assert decoder.stats.by_path == {"pair": 60}
    assert decoder.pending_fragments == 0
    assert batch == Decoder(vectorised=False).decode_texts(lines, "s", T0)


@pytest.mark.parametrize(
    "body",
    [
        "g:1-2-3,s:AZ,c:1791936000",
        "g:1-2-3,c:1791936000",
        "s:AZ,c:1791936000",
        "s:,c:1791936000",
        "g:1-2-3,s:,c:1791936000",
        "c:1791936000",
        "g:2-2-3",
        "g:1--3",
        "g:--,c:1791936000",
        "g:1-2,c:1791936000",
        "g:1-2-3-4,c:1791936000",
        "g:1-2-x,c:1791936000",
        "s:A,B,c:1791936000",
        "c:1791936000,s:AZ",
        "c:179193600",
        "c:17919360000",
        "s:AZ,c:1791936000,q:u",
        "x:1,c:1791936000",
        ",c:1791936000",
        "s:AZ",
        "g:1-2-3,s:AZ",
        "g:1-2-3,x:1,c:1791936000",
        "g:12-34-5678901,s:r2730014*Z,c:0000000001",
    ],
)
def test_tag_blocks_read_with_the_batch_agree_with_the_tag_reader(body: str) -> None:
    line = f"\\{body}*{checksum(body):02X}\\!AIVDM,2,1,,A,5,0*00"
    scan = scan_batch([line])
    kind, seconds, at, end = (v.tolist()[0] for v in tag_kinds(scan, np.array([0])))
    time, station, reason = TagReader().tag(line, scan.close[0], scan.tag_ok[0])
    if kind == OTHER:  # left to the per-line path: nothing to agree on
        return
    assert reason is None
    if kind == GROUP_ONLY:
        assert (time, station) == (None, None)
    else:
        assert kind == TIMED
        assert time == datetime.fromtimestamp(seconds, UTC)
        assert station == (line[at:end] if at >= 0 else None)


def test_the_usual_forms_are_all_read() -> None:
    bodies = ["g:1-2-3,s:AZ,c:1791936000", "s:AZ,c:1791936000", "c:1791936000", "g:2-2-3"]
    lines = [f"\\{b}*{checksum(b):02X}\\!AIVDM,2,1,,A,5,0*00" for b in bodies]
    lines.append("!AIVDM,2,1,,A,5,0*00")
    kind = tag_kinds(scan_batch(lines), np.arange(len(lines)))[0]
    assert kind.tolist() == [TIMED, TIMED, TIMED, GROUP_ONLY, NO_TAG]


REAL = [
    "ais/real/pyais-nmea_data_sample.txt",
    "conformance/ais/gpsd/sample.aivdm",
    "conformance/ais/gpsd/ais-nmea.log",
    "conformance/ais/gpsd/ais_unpack_sixbit.log",
    "conformance/ais/libais/tagblock.nmea",
]


def _real(data_dir: Path) -> list[str]:
    """Real captures (gpsd's, pyais's, libais's), a second sentence moved up to its first."""
    texts = [t for name in REAL for t in (data_dir / name).read_text().splitlines()]
    out: list[str] = []
    moved: set[int] = set()
    for k, text in enumerate(texts):
        if k in moved:
            continue
        out.append(text)
        fields = text.split(",")
        if fields[1:3] != ["2", "1"]:
            continue
        for m in range(k + 1, len(texts)):
            other = texts[m].split(",")
            if other[1:3] == ["2", "2"] and other[3:5] == fields[3:5] and m not in moved:
                out.append(texts[m])
                moved.add(m)
                break
    return out


def test_a_real_capture_gives_the_same_on_every_path(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _real(data_dir)
    # the capture once as it is, once with its lines behind a group's tag blocks
    tagged = []
    for k, text in enumerate(texts):
        if ",2,1," in text:
            body = f"g:1-2-{k},s:r{k % 5},c:{SECONDS + k}"
        elif ",2,2," in text:
            body = f"g:2-2-{k - 1}"
        else:
            body = f"s:r{k % 5},c:{SECONDS + k}"
        tagged.append(f"\\{body}*{checksum(body):02X}\\{text}")
    for lines in (texts, tagged):
        assert len(find_pairs(scan_batch(lines), np.zeros(len(lines), dtype=bool)).values) > 5
        raws = [RawLine(t, "s", T0) for t in lines]
        for batch_lines in (7, 5000):
            results = _three_ways(raws, batch_lines, 10_000, monkeypatch)
            (batch, counts, state), (per_pair, pair_counts, pair_state), plain = results
            assert batch == per_pair == plain[0]
            assert counts == pair_counts
            assert state == pair_state
    decoder = Decoder()
    decoder.decode_texts(tagged, "s", T0)
    assert decoder.stats.by_type[5] > 0


def test_a_failing_pair_step_is_counted_and_the_pairs_still_decoded(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _real(data_dir)
    expected = Decoder().decode_texts(texts, "s", T0)

    def broken(*args: object) -> object:
        raise IndexError("planted")

    monkeypatch.setattr(decoder_module, "find_pairs", broken)
    decoder = Decoder()
    assert decoder.decode_texts(texts, "s", T0) == expected
    assert decoder.stats.fallbacks == {"pairs: IndexError": 1}
    assert decoder.stats.by_path["pair"] > 0


@pytest.mark.parametrize("vectorised", [True, False])
@pytest.mark.parametrize("trailer", [False, True])
def test_a_failure_decoding_a_pair_is_counted_once_per_line(
    vectorised: bool, trailer: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyais.encode import encode_dict

    def faulty(*args: object) -> object:  # a decoding bug, injected: the feed must go on
        raise RuntimeError("injected")

    monkeypatch.setitem(decoder_module.FAST, 5, faulty)
    texts = list(encode_dict({"type": 5, "mmsi": 273000005}, talker_id="AI"))
    if trailer:  # (then read by the per-pair path)
        texts = [t + ",r003669946,1325394060" for t in texts]
    texts.append("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A")
    decoder = Decoder(vectorised=vectorised)
    batch = decoder.decode_texts(texts, "s", T0)
    assert decoder.stats.lines == sum(decoder.stats.by_outcome.values()) == 3
    assert [r.reason for r in batch.rejects] == ["decode_error"]
    assert len(batch.positions) == 1
