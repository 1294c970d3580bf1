"""The hand-written safety texts (types 14 and 6) give exactly what pyais's tables give."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.ais import Decoder, RawLine
from littoral.ais import decoder as decoder_module
from littoral.ais.generic import decode_fields, reports_from_fields
from littoral.ais.sixbit import armour, checksum, payload_bits
from littoral.ais.texts import safety_records
from littoral.errors import DecodeError

T0 = datetime(2026, 5, 1, tzinfo=UTC)
# six-bit characters: letters, digits, spaces and the "@" padding weigh more than the rest
SIXBIT = st.one_of(st.integers(0, 63), st.sampled_from([0, 32, 1, 13, 25, 48, 57]))


@st.composite
def text_message(draw: st.DrawFn) -> tuple[int, int]:
    """(value, bits) of a type 14 or type 6 message, text-like or not, of any length."""
    msg_type = draw(st.sampled_from([14, 14, 6, 6, 6]))
    header = (msg_type << 32) | draw(st.integers(0, (1 << 32) - 1))  # 38 bits: type to MMSI
    if msg_type == 14:
        chars = draw(st.lists(SIXBIT, max_size=170))
        value, bits = (header << 2) | draw(st.integers(0, 3)), 40
        for code in chars:
            value, bits = (value << 6) | code, bits + 6
    else:
        value = (header << 34) | draw(st.integers(0, (1 << 34) - 1))  # sequence to spare
        application = draw(st.sampled_from([(1, 0), (1, 0), (1, 0), (1, 29), (2, 0), (1, 31)]))
        value = (value << 16) | (application[0] << 6) | application[1]
        bits = 88 + draw(st.sampled_from([0, 8, 12, 16, 24, 48, 96, 100, 920, 928]))
        value = (value << (bits - 88)) | draw(st.integers(0, (1 << (bits - 88)) - 1))
    extra = draw(st.sampled_from([0, 0, 0, 1, 2, 3, 5]))  # a length off the plain layout
    return value << extra, bits + extra


def _reference(value: int, bits: int) -> tuple[object, ...] | None:
    payload, fill = armour(value, bits)
    try:
        fields = decode_fields(payload, fill)
    except DecodeError:
        return None
    return reports_from_fields(value >> (bits - 6), fields, T0, "s")


@settings(max_examples=500, deadline=None)
@given(text_message())
def test_safety_texts_agree_with_pyais(message: tuple[int, int]) -> None:
    value, bits = message
    fast = safety_records(value >> (bits - 6), value, bits, T0, "s")
    if fast is not None:
        assert fast == _reference(value, bits)


def test_the_plain_layouts_are_taken() -> None:
    from pyais.encode import encode_dict

    for message in (
        {"type": 14, "mmsi": 273000014, "text": "MAYDAY FIRE ON BOARD"},
        {"type": 6, "mmsi": 273000006, "dest_mmsi": 273000001, "dac": 1, "fid": 0,
         "data": b"\x00\x13\x41\x64\x40\x59"},
    ):  # fmt: skip
        (line,) = encode_dict(message, sentence_type="VDM")
        value, bits = payload_bits(line.split(",")[5], int(line.split(",")[6][0]))
        fast = safety_records(value >> (bits - 6), value, bits, T0, "s")
        assert fast is not None
        assert len(fast) == 1
        assert fast == _reference(value, bits)
    assert fast[0].text == "MAYDAY"


def _lines(values: list[tuple[int, int]]) -> list[RawLine]:
    lines = []
    for k, (value, bits) in enumerate(values):
        payload, fill = armour(value, bits)
        body = f"AIVDM,1,1,,A,{payload},{fill}"
        line = f"!{body}*{checksum(body):02X}"
        if k % 3 == 1:
            tag = f"s:AZ-BAK,c:{1791936000 + k}"
            line = f"\\{tag}*{checksum(tag):02X}\\{line}"
        lines.append(RawLine(line, "s", T0))
    return lines


def _decode_both(
    monkeypatch: pytest.MonkeyPatch, lines: list[RawLine], keep_others: bool
) -> tuple[object, object]:
    results = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(decoder_module, "safety_records", lambda *args: None)
        decoder = Decoder(keep_others=keep_others)
        batch = decoder.decode_lines(lines)
        batch.extend(decoder.flush())
        stats = decoder.stats.as_dict()
        stats.pop("by_path")
        results.append((batch, stats))
        monkeypatch.undo()
    return results[0], results[1]


@settings(max_examples=100, deadline=None)
@given(st.lists(text_message(), max_size=12), st.booleans())
def test_the_decoder_gives_the_same_with_and_without_them(
    messages: list[tuple[int, int]], keep_others: bool
) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, plain = _decode_both(monkeypatch, _lines(messages), keep_others)
    assert fast == plain


CAPTURES = [
    "ais/real/pyais-nmea_data_sample.txt",
    "conformance/ais/gpsd/sample.aivdm",
    "conformance/ais/gpsd/ais-nmea.log",
    "conformance/ais/gpsd/ais-nmea-type6-fid55.log",
    "conformance/ais/gpsd/ais-18-27.log",
    "conformance/ais/libais/typeexamples.nmea",
    "conformance/ais/libais/tagblock.nmea",
]


@pytest.mark.parametrize("keep_others", [True, False])
@pytest.mark.parametrize("capture", CAPTURES)
def test_the_real_captures_give_the_same_with_and_without_them(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, keep_others: bool, capture: str
) -> None:
    texts = (data_dir / capture).read_text(errors="replace").splitlines()
    lines = [RawLine(t, "s", T0) for t in texts if t.strip()]
    fast, plain = _decode_both(monkeypatch, lines, keep_others)
    assert fast == plain
