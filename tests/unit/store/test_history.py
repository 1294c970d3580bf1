"""The stored history reader: statics first, then every position in time order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from littoral.errors import InputError
from littoral.records import PositionReport, SafetyReport, StaticReport
from littoral.store import open_store
from littoral.store.history import history
from littoral.tracks import VesselState

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def test_history_is_one_ordered_stream_in_chunks(tmp_path: Path) -> None:
    reports = [
        PositionReport(mmsi, T0 + timedelta(minutes=m), 50.0 + mmsi % 7, 40.0, 1, "s")
        for mmsi in (273000001, 423000002, 100000003)
        for m in range(0, 180, 1 + mmsi % 4)
    ]
    vessels = [
        VesselState(mmsi, T0, T0 + timedelta(hours=3), name=f"V{mmsi}") for mmsi in (273000001,)
    ] + [VesselState(mmsi, T0, T0 + timedelta(hours=3)) for mmsi in (423000002, 100000003)]
    with open_store(tmp_path / "h.sqlite") as store:
        store.write_batch(positions=reports, vessels=vessels)
        chunks = list(history(store, None, None, chunk_size=50))
        statics, rest = chunks[0], chunks[1:]
        assert statics == [StaticReport(273000001, T0, 5, name="V273000001")]
        assert all(len(c) <= 50 for c in rest)
        got = [r for c in rest for r in c]
        assert got == sorted(reports, key=lambda r: (r.time, r.mmsi))
        one, two = T0 + timedelta(hours=1), T0 + timedelta(hours=2)
        window = [r for c in history(store, one, two) for r in c]
        assert window[1:] == [r for r in got if one <= r.time <= two]
        with pytest.raises(InputError, match="before --from"):
            list(history(store, T0, T0 - timedelta(seconds=1)))


def test_safety_texts_are_merged_in_by_time_into_the_chunk_of_their_positions(
    tmp_path: Path,
) -> None:
    ship = 273000001
    reports = [
        PositionReport(ship, T0 + timedelta(minutes=m), 50.0, 40.0, 1, "s") for m in range(120)
    ]
    texts = [
        SafetyReport(ship, T0 + timedelta(minutes=m, seconds=30), 14, f"MAYDAY {m}", "s")
        for m in (0, 49, 50, 119, 200)
    ]
    vessel = VesselState(ship, T0, T0 + timedelta(minutes=200, seconds=30))
    with open_store(tmp_path / "h.sqlite") as store:
        store.write_batch(positions=reports, vessels=[vessel], safety=texts)
        store.write_batch(positions=[], vessels=[], safety=texts)  # again: stored once
        assert store.safety.count() == len(texts)
        chunks = list(history(store, None, None, chunk_size=50))[1:]
        got = [r for c in chunks for r in c]
        assert got == sorted([*reports, *texts], key=lambda r: r.time)
        # a text lies in the chunk of the positions received around it
        first = chunks[0]
        assert [r.text for r in first if isinstance(r, SafetyReport)] == ["MAYDAY 0"]
        assert chunks[-1] == texts[-2:]  # after the last position
