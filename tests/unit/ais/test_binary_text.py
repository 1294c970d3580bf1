"""Texts of binary messages (DAC 1 FI 0, 29, 30) become safety reports."""

from __future__ import annotations

from datetime import UTC, datetime

from pyais import encode_dict

from littoral.ais import Decoder, RawLine
from littoral.ais.binary_text import binary_text

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def _sixbit_data(prefix_bits: int, prefix: int, text: str) -> bytes:
    value, bits = prefix, prefix_bits
    for ch in text:
        code = ord(ch)
        value = (value << 6) | (code - 64 if code >= 64 else code)
        bits += 6
    pad = -bits % 8
    return (value << pad).to_bytes((bits + pad) // 8, "big")


def test_text_broadcast_addressed_and_telegram_are_read_as_safety_texts() -> None:
    lines = [
        *encode_dict({"type": 8, "mmsi": 273123456, "dac": 1, "fid": 29, "linkage": 3,
                      "description": "MAYDAY FIRE ON BOARD"}, talker_id="AI"),
        *encode_dict({"type": 6, "mmsi": 273123456, "dest_mmsi": 273000001, "dac": 1, "fid": 30,
                      "data": _sixbit_data(10, 5, "DISTRESS")}, talker_id="AI"),
        *encode_dict({"type": 6, "mmsi": 423000002, "dest_mmsi": 273000001, "dac": 1, "fid": 0,
                      "data": _sixbit_data(12, 1, "MOB ACTIVE")}, talker_id="AI"),
        *encode_dict({"type": 8, "mmsi": 423000002, "dac": 1, "fid": 31,
                      "data": b"\x00" * 10}, talker_id="AI"),  # meteorological: no text
    ]  # fmt: skip
    batch = Decoder().decode_lines([RawLine(line, "test", T0) for line in lines])
    got = [(s.msg_type, s.mmsi, s.text, s.dest_mmsi) for s in batch.safety]
    assert got == [
        (8, 273123456, "MAYDAY FIRE ON BOARD", None),
        (6, 273123456, "DISTRESS", 273000001),
        (6, 423000002, "MOB ACTIVE", 273000001),
    ]


def test_other_applications_and_bad_data_give_no_text() -> None:
    assert binary_text(8, {"dac": 235, "fid": 29, "description": "MAYDAY"}) is None
    assert binary_text(6, {"dac": 1, "fid": 30, "data": "zz"}) is None
    assert binary_text(6, {"dac": 1, "fid": 30, "data": "01"}) is None
    assert binary_text(5, {"dac": 1, "fid": 29, "description": "MAYDAY"}) is None
