"""The stored history reader: statics first, then every position in time order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from littoral.errors import InputError
from littoral.records import PositionReport, StaticReport
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
