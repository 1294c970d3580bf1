"""Every real capture in ``tests/data`` decoded by littoral and by pyais: the same records.

The captures: pyais's sample of a live receiver (``ais/real``), gpsd's regression logs and
sample, libais's examples (``conformance/ais``). Each message pyais assembles and decodes is
turned into the picture's records by the reference mapping (pyais's fields through
:func:`littoral.ais.generic.reports_from_fields`) and compared with what littoral's own
decoder (lane, pair path, generated fast path, assembler) gave for the same lines.
Disagreements are allowed only where :data:`REFERENCE_FAULTS` documents a pyais fault.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyais.stream import IterMessages

from littoral.ais import Decoder, RawLine
from littoral.ais.generic import decode_fields, reports_from_fields
from littoral.errors import DecodeError

T0 = datetime(2026, 1, 1, tzinfo=UTC)
CAPTURES = (
    "ais/real/pyais-nmea_data_sample.txt",
    "conformance/ais/gpsd/sample.aivdm",
    "conformance/ais/gpsd/ais-nmea.log",
    "conformance/ais/gpsd/ais-18-27.log",
    "conformance/ais/gpsd/ais-nmea-type6-fid55.log",
    "conformance/ais/gpsd/ais-raw-messages.log",
    "conformance/ais/libais/typeexamples.nmea",
    "conformance/ais/libais/tagblock.nmea",
)
REFERENCE_FAULTS: dict[tuple[str, int, int], str] = {
    ("conformance/ais/libais/typeexamples.nmea", 654173679, 14): (
        "pyais reads the fill bits of a sentence followed by US Coast Guard fields "
        "(',4*22,d-128,...') as 0, so the 4 fill bits of this safety text become text"
    ),
}
"""(capture, MMSI, type) -> why pyais, not littoral, is wrong there."""


def _plain(record: object) -> object:
    # the ETA's year is read from the message time, which the reference does not have
    eta = getattr(record, "eta", None)
    if eta is not None:
        record = dataclasses.replace(record, eta=eta.replace(year=2000))  # type: ignore[type-var]
    return dataclasses.replace(record, time=T0, source="x")  # type: ignore[type-var]


def _littoral(lines: list[str]) -> Counter[object]:
    decoder = Decoder()
    batch = decoder.decode_lines([RawLine(line, "x", T0) for line in lines])
    batch.extend(decoder.flush())
    return Counter(_plain(r) for r in [*batch.positions, *batch.statics, *batch.safety])


def _pyais(lines: list[str]) -> tuple[Counter[object], int]:
    records: Counter[object] = Counter()
    messages = 0
    stream = [line.encode("latin-1") for line in lines if line.lstrip().startswith(("!", "\\"))]
    for sentence in IterMessages(stream):
        payload = sentence.payload.decode("ascii")
        try:
            fields = decode_fields(payload, sentence.fill_bits)
        except DecodeError:
            continue  # pyais cannot decode it either
        messages += 1
        msg_type = sentence.decode().msg_type
        for record in reports_from_fields(msg_type, fields, T0, "x"):
            records[_plain(record)] += 1
    return records, messages


@pytest.mark.parametrize("name", CAPTURES)
def test_real_capture_decodes_as_pyais_decodes_it(data_dir: Path, name: str) -> None:
    lines = (data_dir / name).read_text(encoding="latin-1").splitlines()
    mine = _littoral(lines)
    theirs, messages = _pyais(lines)
    assert messages > 0
    differ = {
        (name, r.mmsi, r.msg_type)  # type: ignore[attr-defined]
        for r in [*(mine - theirs), *(theirs - mine)]
    }
    faults = {k for k in REFERENCE_FAULTS if k[0] == name}
    assert differ == faults, f"{name}: {sorted(differ - faults)} differ, {messages} messages"
