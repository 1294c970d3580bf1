"""Positions applied as columns leave the picture exactly as the same reports applied one by one."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from littoral.ais import Decoder, RawLine
from littoral.clock import FixedClock
from littoral.records.reports import AisClass, PositionReport
from littoral.tracks.picture import TrackStore
from littoral.tracks.state import VesselState

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)
NAMES = [f.name for f in fields(PositionReport)]
CAPTURES = (
    "ais/real/pyais-nmea_data_sample.txt",
    "conformance/ais/gpsd/sample.aivdm",
    "conformance/ais/gpsd/ais-nmea.log",
    "conformance/ais/gpsd/ais-18-27.log",
)


def _state(state: VesselState) -> tuple[object, ...]:
    return tuple(
        list(getattr(state, f.name)) if f.name == "history" else getattr(state, f.name)
        for f in fields(VesselState)
    )


def _picture(reports: list[PositionReport], as_columns: bool) -> TrackStore:
    picture = TrackStore(FixedClock(T0))
    for start in range(0, len(reports), 50):  # in batches, as an ingest applies them
        part = reports[start : start + 50]
        if as_columns:
            columns = [[getattr(r, name) for r in part] for name in NAMES]
            picture.apply_position_columns(columns)
        else:
            picture.apply_positions(part)
    return picture


def _same(reports: list[PositionReport]) -> TrackStore:
    one = _picture(reports, as_columns=False)
    other = _picture(reports, as_columns=True)
    assert [_state(s) for s in one] == [_state(s) for s in other]
    assert one.invalid_positions == other.invalid_positions
    assert one.quarantined == other.quarantined
    assert sorted(s.key for s in one.take_dirty()) == sorted(s.key for s in other.take_dirty())
    return one


@pytest.mark.parametrize("name", CAPTURES)
def test_real_captures(data_dir: Path, name: str) -> None:
    lines = (data_dir / name).read_text(errors="replace").splitlines()
    batch = Decoder().decode_lines([RawLine(t, name, T0) for t in lines])
    assert len(batch.positions) > 5
    _same(batch.positions)


def test_two_ships_on_one_mmsi_late_reports_and_bad_ones() -> None:
    baku, aktau = (49.87, 40.37), (51.17, 43.65)
    reports = []
    for i in range(200):
        where = baku if i % 3 else aktau
        reports.append(
            PositionReport(
                mmsi=423000001, time=T0 + timedelta(seconds=10 * i), lon=where[0],
                lat=where[1] + i / 1e4, msg_type=1, source="a", sog_kn=102.3 if i % 7 else 5.0,
                cog_deg=360.0 if i % 5 else 90.0, heading_deg=511.0 if i % 4 else 80.0,
                nav_status=None if i % 6 else 0,
                ais_class=AisClass.UNKNOWN if i % 8 else AisClass.A,
            )
        )  # fmt: skip
        reports.append(
            PositionReport(
                mmsi=273000002, time=T0 + timedelta(seconds=10 * (i - i % 4)), lon=50.0,
                lat=41.0 + (i % 3) / 1e3, msg_type=18, source="b", ais_class=AisClass.B,
            )
        )  # fmt: skip
        if i % 50 == 0:
            reports.append(PositionReport(mmsi=123, time=T0, lon=50.0, lat=41.0, msg_type=1))
            reports.append(PositionReport(mmsi=273000003, time=T0, lon=181.0, lat=91.0, msg_type=1))
    picture = _same(reports)
    assert [s.key for s in picture if s.track], "no second ship: the careful path went untried"
    assert picture.invalid_positions
    assert picture.quarantined
