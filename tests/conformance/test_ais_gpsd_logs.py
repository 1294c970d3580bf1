"""Conformance of the fast path (the records the picture gets) against gpsd's daemon logs.

gpsd's regression logs (``ais-*.log`` with ``.log.chk``) hold real captures mixed with other
NMEA sentences, and gpsd's unscaled decodes. Every gpsd record of a type littoral turns into
seam records (positions 1-3, 4, 9, 18, 19, 21, 27; statics 5, 19, 21, 24) is checked against
the ``PositionReport`` / ``StaticReport`` the decoder produced, after the documented mapping:
scaled units, "not available" codes to ``None``, no position for lat 91 / lon 181.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from littoral.ais import Decoder, RawLine

T0 = datetime(2026, 1, 1, tzinfo=UTC)
LOGS = (
    "ais-18-27.log",
    "ais-nmea.log",
    "ais-nmea-type6-fid55.log",
    "ais-raw-messages.log",
    "ais_unpack_sixbit.log",
)
POSITION_TYPES = (1, 2, 3, 4, 9, 18, 19, 21, 27)
STATIC_TYPES = (5, 19, 21, 24)


def _expected_position(r: dict[str, Any]) -> dict[str, Any] | None:
    kind = r["type"]
    per_degree = 600 if kind == 27 else 600_000
    if abs(r["lon"]) > 180 * per_degree or abs(r["lat"]) > 90 * per_degree:
        return None
    out: dict[str, Any] = {"lon": r["lon"] / per_degree, "lat": r["lat"] / per_degree}
    if "speed" in r:
        if kind in (9, 27):
            out["sog_kn"] = None if r["speed"] in (1023, 63) and kind in (9, 27) else r["speed"]
            if kind == 9 and r["speed"] == 63:
                out["sog_kn"] = 63.0
        else:
            out["sog_kn"] = None if r["speed"] == 1023 else r["speed"] / 10
    if "course" in r:
        if kind == 27:
            out["cog_deg"] = None if r["course"] >= 360 else r["course"]
        else:
            out["cog_deg"] = None if r["course"] >= 3600 else r["course"] / 10
    if "heading" in r:
        out["heading_deg"] = None if r["heading"] >= 360 else r["heading"]
    if kind in (1, 2, 3, 27):
        out["nav_status"] = r["status"]
    out["accuracy"] = bool(r.get("accuracy"))
    return out


def _expected_static(r: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    # Text: littoral strips leading spaces too, as pyais does; gpsd keeps them.
    name = r.get("shipname", r.get("name"))
    if name is not None:
        out["name"] = name.strip() or None
    if "callsign" in r:
        out["callsign"] = r["callsign"].strip() or None
    if "imo" in r:
        out["imo"] = int(r["imo"]) or None
    if "shiptype" in r and r["type"] != 21:
        out["ship_type"] = r["shiptype"] or None
    for key in ("to_bow", "to_stern", "to_port", "to_starboard"):
        if key in r and not (r["type"] == 24 and "mothership_mmsi" in r):
            out[f"{key}_m"] = float(r[key]) or None
    if "draught" in r:
        out["draught_m"] = r["draught"] / 10 or None
    if "destination" in r:
        out["destination"] = r["destination"].strip() or None
    return out


def _differences(expected: dict[str, Any], record: object) -> list[str]:
    problems = []
    for key, want in expected.items():
        got = getattr(record, key)
        if isinstance(want, float) and isinstance(got, float):
            ok = abs(want - got) <= 6e-7
        else:
            ok = want == got
        if not ok:
            problems.append(f"{key}: gpsd {want!r}, littoral {got!r}")
    return problems


def _best(expected: dict[str, Any], candidates: list[Any]) -> list[str] | None:
    """Differences against the closest candidate; [] when one matches; None if none."""
    if not candidates:
        return None
    found = [_differences(expected, c) for c in candidates]
    return min(found, key=len)


def _check_log(log: Path, chk: Path) -> tuple[int, list[str]]:
    """Check every gpsd record has an identical littoral record (gpsd repeats some)."""
    records = [
        json.loads(line)
        for line in chk.read_text(encoding="utf-8").splitlines()
        if line.startswith('{"class":"AIS"')
    ]
    decoder = Decoder()
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    batch = decoder.decode_lines(RawLine(line, "log", T0) for line in lines)
    batch.extend(decoder.flush())
    checked = 0
    problems: list[str] = []
    for r in records:
        kind, mmsi = r["type"], r["mmsi"]
        where = f"{log.name} type {kind} {mmsi}"
        if kind in POSITION_TYPES:
            want = _expected_position(r)
            mine = [p for p in batch.positions if p.mmsi == mmsi and p.msg_type == kind]
            if want is None:
                # "not available": littoral gives no position at that place
                assert all(abs(p.lat) <= 90 for p in mine)
            else:
                checked += 1
                diff = _best(want, mine)
                problems += [f"{where}: no position"] if diff is None else diff
        if kind in STATIC_TYPES:
            want_s = _expected_static(r)
            statics = [s for s in batch.statics if s.mmsi == mmsi and s.msg_type == kind]
            parts = [want_s]
            if kind == 24:
                # gpsd merges part A (name) into its part B record; littoral keeps them apart
                name = want_s.pop("name", None)
                parts = [{"name": name}] if name is not None else []
                if want_s:
                    parts.append(want_s)
            for want_part in parts:
                checked += 1
                diff = _best(want_part, statics)
                problems += [f"{where}: no static"] if diff is None else diff
    return checked, problems


@pytest.mark.parametrize("name", LOGS)
def test_gpsd_log_records_match_the_fast_path(data_dir: Path, name: str) -> None:
    folder = data_dir / "conformance" / "ais" / "gpsd"
    checked, problems = _check_log(folder / name, folder / f"{name}.chk")
    assert checked > 0
    assert problems == []
