"""Killing a writer at any moment loses at most its unfinished batch and never corrupts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import text

from littoral.store import open_store

BATCH = 2000
BATCHES = 60
WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from littoral.store import open_store
from littoral.tracks import VesselState
from littoral.records import PositionReport

url, batch, batches = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = datetime(2026, 5, 1, tzinfo=UTC)
with open_store(url) as store:
    for b in range(batches):
        reports = [
            PositionReport(mmsi=423000000 + i % 50, time=t0 + timedelta(seconds=b * batch + i),
                           lon=50.0 + i / 1e5, lat=40.0 + b / 1e3, msg_type=1, source="kill")
            for i in range(batch)
        ]
        vessels = [VesselState(mmsi=423000000 + k, first_seen=t0, last_seen=reports[-1].time,
                               message_count=(b + 1) * batch // 50) for k in range(50)]
        store.write_batch(positions=reports, vessels=vessels)
        print(b, flush=True)
"""


def _writer(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, str(BATCH), str(BATCHES)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_sigkill_mid_ingest_keeps_whole_batches_and_restart_completes(store_url: str) -> None:
    proc = _writer(store_url)
    assert proc.stdout is not None
    committed = -1
    deadline = time.monotonic() + 60
    while committed < 3 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed = int(line)
    time.sleep(0.05)  # let it get into the middle of a later batch
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert committed >= 3, "the writer never got going"
    with open_store(store_url) as store:
        if store.backend == "sqlite":
            with store.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        count = store.positions.count()
        assert count % BATCH == 0, "a batch was half written"
        assert count >= (committed + 1) * BATCH
        assert count < BATCHES * BATCH
    # restart from the beginning: the finished batches are not written twice
    again = _writer(store_url)
    again.communicate(timeout=120)
    assert again.returncode == 0
    with open_store(store_url) as store:
        assert store.positions.count() == BATCHES * BATCH
        assert store.vessels.count() == 50
        assert store.vessels.get(423000007).message_count == BATCHES * BATCH // 50
