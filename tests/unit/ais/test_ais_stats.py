"""Ingest statistics: counting, samples, merging, JSON form."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from littoral.ais import Decoder, IngestStats, RawLine, Reason


def test_samples_are_bounded_per_reason() -> None:
    stats = IngestStats(max_samples=2)
    for i in range(5):
        stats.reject(Reason.CHECKSUM, f"line {i}")
    assert stats.by_reason[Reason.CHECKSUM] == 5
    assert stats.samples[Reason.CHECKSUM] == ["line 0", "line 1"]
    assert stats.rejected == 5


def test_merge_adds_counts_and_keeps_samples_bounded() -> None:
    a, b = IngestStats(max_samples=3), IngestStats()
    a.lines, b.lines = 10, 5
    a.by_type[1] += 4
    b.by_type[1] += 1
    b.by_type[5] += 2
    a.reject(Reason.MALFORMED, "x")
    for i in range(4):
        b.reject(Reason.MALFORMED, f"y{i}")
    a.merge(b)
    assert a.lines == 15
    assert a.by_type == {1: 5, 5: 2}
    assert a.by_reason[Reason.MALFORMED] == 5
    assert a.samples[Reason.MALFORMED] == ["x", "y0", "y1"]


def test_as_dict_is_json_and_summary_names_reasons() -> None:
    stats = IngestStats()
    stats.lines = 3
    stats.by_type[18] += 1
    stats.reject(Reason.PAYLOAD_LENGTH, "!AIVDM,...")
    data = json.loads(json.dumps(stats.as_dict()))
    assert data["by_type"] == {"18": 1}
    assert data["rejected"] == 1
    assert "payload_length 1" in stats.summary()


def test_a_failing_vectorised_step_is_counted_and_the_lines_still_decoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from littoral.ais import decoder as decoder_module

    def broken(*args: object) -> object:
        raise IndexError("planted")

    line = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
    raws = [RawLine(line, "s", datetime(2026, 5, 1, tzinfo=UTC))] * 3
    for name, step in (("scan_batch", "scan"), ("decode_lane", "lane")):
        monkeypatch.setattr(decoder_module, name, broken)
        decoder = Decoder()
        batch = decoder.decode_lines(raws)
        assert len(batch.positions) == 3
        assert decoder.stats.fallbacks == {f"{step}: IndexError": 1}
        assert "fast-path fallbacks" in decoder.stats.summary()
        monkeypatch.undo()


def test_lines_are_counted_by_the_way_they_were_decoded() -> None:
    from pyais.encode import encode_dict

    t = datetime(2026, 5, 1, tzinfo=UTC)
    position = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
    static = encode_dict({"type": 5, "mmsi": 273000005, "shipname": "X"}, sentence_type="VDM")
    binary = encode_dict({"type": 8, "mmsi": 273000005, "data": b"\x01\x02"}, sentence_type="VDM")
    decoder = Decoder()
    decoder.decode_lines([RawLine(x, "s", t) for x in [position, *static, *binary, "junk"]])
    assert decoder.stats.by_path == {"lane": 1, "pair": 2, "line": 2, "generic": 1}


@pytest.mark.parametrize("keep_others", [True, False])
def test_binary_texts_are_safety_reports_whether_or_not_others_are_kept(keep_others: bool) -> None:
    from pyais.encode import encode_dict

    t = datetime(2026, 5, 1, tzinfo=UTC)
    text = {"dac": 1, "fid": 29, "description": "MAYDAY FIRE ON BOARD"}  # IMO SN.1/Circ.289
    texts = [
        *encode_dict({"type": 8, "mmsi": 273000005, **text}, sentence_type="VDM"),
        *encode_dict({"type": 8, "mmsi": 273000006, "dac": 235, "fid": 29, "data": b"\x01\x02"}),
        *encode_dict(
            {
                "type": 6,
                "mmsi": 273000007,
                "dest_mmsi": 273000001,
                "dac": 1,
                "fid": 0,
                "data": b"\x00\x00",
            }
        ),
    ]
    decoder = Decoder(keep_others=keep_others)
    batch = decoder.decode_lines([RawLine(x, "s", t) for x in texts])
    assert [(s.mmsi, s.text) for s in batch.safety] == [(273000005, "MAYDAY FIRE ON BOARD")]
    assert decoder.stats.messages == 3
