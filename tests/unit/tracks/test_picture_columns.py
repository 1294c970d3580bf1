"""Positions applied as columns leave the picture exactly as the same reports applied one by one."""

from __future__ import annotations

from collections import deque
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.ais import Decoder, RawLine
from littoral.clock import FixedClock
from littoral.records.reports import AisClass, PositionReport
from littoral.tracks import picture as picture_module
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


@pytest.fixture(params=["one by one", "grouped"], autouse=True)
def grouped(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Run every test with the columns applied one by one, and grouped by MMSI."""
    if request.param == "grouped":
        monkeypatch.setattr(picture_module, "GROUPED_MIN", 1)
    return bool(request.param == "grouped")


def _ms(time: datetime) -> int:
    return round(time.timestamp() * 1000.0)


def _picture(
    reports: list[PositionReport],
    as_columns: bool,
    batch: int = 50,
    restored: list[VesselState] | None = None,
    with_ms: bool = True,
) -> TrackStore:
    picture = TrackStore(FixedClock(T0))
    if restored:
        picture.restore(restored)
    for start in range(0, len(reports), batch):  # in batches, as an ingest applies them
        part = reports[start : start + batch]
        if as_columns:
            columns = [[getattr(r, name) for r in part] for name in NAMES]
            times_ms = [_ms(r.time) for r in part] if with_ms else None
            picture.apply_position_columns(columns, times_ms)
        else:
            picture.apply_positions(part)
    return picture


def _same(
    reports: list[PositionReport],
    batch: int = 50,
    restored: list[VesselState] | None = None,
) -> TrackStore:
    def copies() -> list[VesselState] | None:
        if restored is None:
            return None
        return [replace(state, history=deque(state.history)) for state in restored]

    one = _picture(reports, as_columns=False, batch=batch, restored=copies())
    other = _picture(reports, as_columns=True, batch=batch, restored=copies())
    third = _picture(reports, as_columns=True, batch=batch, restored=copies(), with_ms=False)
    assert [_state(s) for s in third] == [_state(s) for s in other]
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


_MMSIS = [273000001, 422000002, 423000003, 436000004, 123, 111273005]
_SAR_AIRCRAFT = 111273005  # (type 9 reports: never split, however fast)


@st.composite
def _batches(draw: st.DrawFn) -> list[PositionReport]:
    """Reports of a few vessels: mostly a steady run, with repeats, late, far and bad ones.

    "far" jumps 1.5 degrees in seconds (two ships on one MMSI, unless a SAR aircraft's);
    "long" steps beyond the picture's near box but within the split rule (a ship heard
    after minutes or an hour), up to just beyond it, so both sides of the rule are drawn.
    """
    reports = []
    where = {m: (50.0 + k / 10, 40.0 + k / 10) for k, m in enumerate(_MMSIS)}
    clock_ms = dict.fromkeys(_MMSIS, 0)
    for _ in range(draw(st.integers(0, 120))):
        mmsi = draw(st.sampled_from(_MMSIS))
        kind = draw(
            st.sampled_from(["next"] * 6 + ["same", "late", "far", "long", "bad", "sub-ms"])
        )
        lon, lat = where[mmsi]
        step_ms = draw(st.integers(1, 20_000))
        if kind == "next":
            clock_ms[mmsi] += step_ms
            lon, lat = lon + draw(st.floats(-0.02, 0.02)), lat + draw(st.floats(-0.02, 0.02))
        elif kind == "late":
            clock_ms[mmsi] -= step_ms
        elif kind == "far":
            clock_ms[mmsi] += step_ms
            lon, lat = lon + 1.5, lat - 1.0
        elif kind == "long":  # 0.04 to 0.3 degrees in 1 to 60 min: 2 to 1,000 kn
            clock_ms[mmsi] += draw(st.integers(60_000, 3_600_000))
            lon, lat = lon + draw(st.floats(-0.3, 0.3)), lat + draw(st.floats(0.04, 0.3))
        elif kind == "bad":
            lon = draw(st.sampled_from([181.0, float("nan"), -200.0]))
        elif kind == "sub-ms":
            clock_ms[mmsi] += 0  # the same millisecond, a few microseconds later
        where[mmsi] = (lon, lat) if kind != "bad" else where[mmsi]
        micro = 300 if kind == "sub-ms" else 0
        reports.append(
            PositionReport(
                mmsi=mmsi,
                time=T0 + timedelta(milliseconds=clock_ms[mmsi], microseconds=micro),
                lon=lon,
                lat=lat,
                msg_type=9 if mmsi == _SAR_AIRCRAFT else draw(st.sampled_from([1, 18])),
                source="r",
                sog_kn=draw(st.sampled_from([None, 3.5, 102.3])),
                cog_deg=draw(st.sampled_from([None, 91.0, 360.0])),
                heading_deg=draw(st.sampled_from([None, 80.0, 511.0])),
                nav_status=draw(st.sampled_from([None, 0, 5])),
                ais_class=draw(st.sampled_from([AisClass.UNKNOWN, AisClass.A, AisClass.B])),
            )
        )
    return reports


@settings(max_examples=200, deadline=None)
@given(_batches(), st.integers(1, 40), st.booleans())
def test_drawn_batches(reports: list[PositionReport], batch: int, restore: bool) -> None:
    """Any batch applied as columns, grouped or not, leaves the picture as records do.

    Some vessels are restored from the store first, heard up to a time inside the batch
    (their message counts then take only the later reports).
    """
    restored = None
    if restore:
        restored = [
            VesselState(
                mmsi=mmsi,
                first_seen=T0,
                last_seen=T0 + timedelta(seconds=30),
                lon=50.0,
                lat=40.0,
                position_time=T0 + timedelta(seconds=30),
                message_count=7,
            )
            for mmsi in _MMSIS[:2]
        ]
    _same(reports, batch=batch, restored=restored)
