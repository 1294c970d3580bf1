"""Conformance against libais's examples: one message of every type, and tag blocks.

libais (Kurt Schwehr, Apache-2.0) publishes its decodes as gpsd-style JSON with single
precision floats. The navigational fields every decoder must agree on are compared; a few
libais decodes known to differ from ITU-R M.1371 are listed in ``LIBAIS_DIFFERS`` with the
reason. The tag block examples also pin receive time, station and group handling.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from littoral.ais import DecodedMessage, Decoder, RawLine

T0 = datetime(2026, 1, 1, tzinfo=UTC)
FIELDS = (
    "repeat", "lat", "lon", "speed", "course", "heading", "status", "second", "accuracy",
    "raim", "shipname", "callsign", "destination", "imo", "draught", "to_bow", "to_stern",
    "to_port", "to_starboard", "dest_mmsi", "partno", "alt", "text", "name", "ne_lon",
    "ne_lat", "sw_lon", "sw_lat", "epfd", "dac", "fid",
)  # fmt: skip
LIBAIS_DIFFERS: dict[tuple[int, str], str] = {
    (9, "speed"): "libais scales the SAR aircraft speed by 1/10; M.1371 sends whole knots",
    (21, "name"): "libais maps six-bit codes 31 and 39 to '-' and '`' instead of '_' and \"'\"",
    (14, "text"): "libais drops the last character when the fill bits end the payload",
    (26, "dac"): "libais splits the application id of type 26 into DAC and FID",
    (26, "fid"): "libais splits the application id of type 26 into DAC and FID",
}


def _close(expected: Any, ours: Any, key: str) -> bool:
    if isinstance(expected, bool) or isinstance(ours, bool):
        return bool(expected) == bool(ours)
    if isinstance(expected, float) or isinstance(ours, float):
        if not isinstance(ours, int | float) or not isinstance(expected, int | float):
            return False
        # single precision in libais, 1e-6 degree rounding here
        return abs(expected - ours) <= 2e-5 * max(1.0, abs(expected)) + 1e-6
    if key == "imo":
        return int(expected) == int(ours)
    return bool(expected == ours)


def _decode(path: Path) -> list[DecodedMessage]:
    decoder = Decoder(keep_messages=True)
    lines = path.read_text(encoding="utf-8").splitlines()
    batch = decoder.decode_lines(RawLine(line, "libais", T0) for line in lines)
    batch.extend(decoder.flush())
    assert batch.rejects == []
    return batch.messages


@pytest.fixture(scope="module")
def libais_dir(data_dir: Path) -> Path:
    return data_dir / "conformance" / "ais" / "libais"


def test_every_type_example_matches_libais(libais_dir: Path) -> None:
    expected = [
        json.loads(line)
        for line in (libais_dir / "typeexamples.json").read_text().splitlines()
        if line.strip()
    ]
    messages = _decode(libais_dir / "typeexamples.nmea")
    assert len(messages) == len(expected) == 26
    assert {m.msg_type for m in messages} == set(range(1, 28)) - {19}
    problems = []
    compared = 0
    for record, message in zip(expected, messages, strict=True):
        assert (record["type"], record["mmsi"]) == (message.msg_type, message.mmsi)
        for key in FIELDS:
            if key not in record or (record["type"], key) in LIBAIS_DIFFERS:
                continue
            ours = message.fields.get(key)
            want = record[key]
            if isinstance(want, str):
                want = want.partition("@")[0].rstrip()  # "@" is padding, as gpsd reads it
            if not ours and want in (0, "", False, None):
                continue
            compared += 1
            if not _close(want, ours, key):
                problems.append((record["type"], key, want, ours))
    assert problems == []
    assert compared > 80


def test_tag_blocks_give_time_station_and_groups(libais_dir: Path) -> None:
    expected = [
        json.loads(line)
        for line in (libais_dir / "tagblock.json").read_text().splitlines()
        if line.strip()
    ]
    messages = _decode(libais_dir / "tagblock.nmea")
    # the two fragments of the type 5 arrive around a single-sentence message: interleaving
    assert [(m.msg_type, m.mmsi) for m in messages] == [(r["type"], r["mmsi"]) for r in expected]
    for record, message in zip(expected, messages, strict=True):
        stamp = datetime.fromisoformat(record["tagblock_timestamp"].replace("Z", "+00:00"))
        assert message.time == stamp
        assert message.station == record["tagblock_station"]
        for key in ("lat", "lon", "speed", "course", "heading", "shipname", "callsign"):
            if key in record:
                assert _close(record[key], message.fields[key], key), key
