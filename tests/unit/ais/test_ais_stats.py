"""Ingest statistics: counting, samples, merging, JSON form."""

from __future__ import annotations

import json

from littoral.ais import IngestStats, Reason


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
