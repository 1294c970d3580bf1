"""An ingest whose decoding runs in a forked worker stores exactly what one process stores."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from littoral.ais import Decoder
from littoral.ais.sources import FileSource
from littoral.clock import FixedClock
from littoral.services.decode_worker import can_fork, pack, unpack
from littoral.services.ingest import Ingest
from littoral.store import open_store
from littoral.store.repos import position_rows
from littoral.tracks.picture import Report

if TYPE_CHECKING:
    from littoral.records.alerts import Alert

REAL = Path(__file__).resolve().parents[1] / "data" / "ais" / "real" / "pyais-nmea_data_sample.txt"
T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)

pytestmark = pytest.mark.skipif(not can_fork(), reason="the decode worker needs fork (Linux)")


def _tag(fields: str) -> str:
    check = 0
    for char in fields:
        check ^= ord(char)
    return f"\\{fields}*{check:02X}\\"


def _feed(path: Path) -> Path:
    """The real capture, then again behind tag blocks of several forms, with damaged lines."""
    real = [line for line in REAL.read_text().splitlines() if line.strip()]
    start = int(T0.timestamp())
    out = list(real)
    for i, line in enumerate(real):
        sentence = line[line.index("!") :] if "!" in line else line
        t = start + i
        form = i % 4
        if form == 0:
            out.append(_tag(f"s:r{i % 5},c:{t}") + sentence)
        elif form == 1:
            out.append(_tag(f"c:{t},s:r{i % 5},q:u,T:2026-05-01 12.00.00") + sentence)
        elif form == 2:
            out.append(_tag(f"g:1-1-{1000 + i},s:r{i % 5},c:{t}") + sentence)
        else:
            out.append(_tag(f"c:{t}") + sentence)
        if i % 97 == 0:
            out.append(sentence[:-1] + "0")  # a wrong checksum
            out.append("not a sentence")
    path.write_text("\n".join(out) + "\n")
    return path


def _tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in ("positions", "vessels", "quarantine", "static_reports", "safety_texts")
        }


def _ingest(feed: Path, db: Path, worker: bool, chunk_lines: int) -> Ingest:
    clock = FixedClock(T0)
    with open_store(db) as store, FileSource([feed], clock) as lines:
        job = Ingest(store, clock, decode_worker=worker, chunk_lines=chunk_lines)
        job.run(lines)
    return job


@pytest.mark.parametrize("chunk_lines", [5000, 7])
def test_worker_and_one_process_store_the_same_rows_and_counts(
    tmp_path: Path, chunk_lines: int
) -> None:
    feed = _feed(tmp_path / "feed.nmea")
    alone = _ingest(feed, tmp_path / "alone.sqlite", False, chunk_lines)
    forked = _ingest(feed, tmp_path / "forked.sqlite", True, chunk_lines)
    assert alone.positions_stored > 1000
    assert forked.positions_stored == alone.positions_stored
    a, b = alone.decoder.stats, forked.decoder.stats
    assert (a.lines, a.messages, a.positions, a.statics, a.safety, a.rejected) == (
        b.lines, b.messages, b.positions, b.statics, b.safety, b.rejected
    )  # fmt: skip
    assert (a.by_outcome, a.by_type, a.by_reason, a.by_path) == (
        b.by_outcome, b.by_type, b.by_reason, b.by_path
    )  # fmt: skip
    assert a.rejected > 0
    assert _tables(tmp_path / "alone.sqlite") == _tables(tmp_path / "forked.sqlite")
    # run again through the worker: nothing new
    again = _ingest(feed, tmp_path / "forked.sqlite", True, chunk_lines)
    assert again.positions_stored == 0


def test_packed_batches_give_back_equal_records(tmp_path: Path) -> None:
    feed = _feed(tmp_path / "feed.nmea")
    decoder = Decoder(keep_others=True)
    texts = feed.read_text().splitlines()
    batch = decoder.decode_texts(texts, "test", T0)
    batch.extend(decoder.flush())
    assert batch.positions
    assert batch.statics
    assert batch.rejects
    back, rows, _ = unpack(pack(batch))
    assert list(rows) == position_rows(batch.positions)
    assert back.positions == batch.positions
    assert back.statics == batch.statics
    assert (back.safety, back.others, back.rejects) == (batch.safety, batch.others, batch.rejects)


@pytest.mark.parametrize("odd", [None, "microseconds", "zone", "both", "year 1"])
def test_times_that_are_not_whole_utc_seconds_come_back_as_they_were(odd: str | None) -> None:
    """A batch's distinct times travel as milliseconds, made again as whole UTC seconds; a
    time with microseconds or of another zone travels as itself, beside them."""
    from datetime import timedelta, timezone

    from littoral.ais import DecodeBatch
    from littoral.records.reports import PositionReport

    times = [T0 + timedelta(seconds=s) for s in (0, 0, 1, 2)]
    if odd in ("microseconds", "both"):
        times[2] = times[2].replace(microsecond=250_000)
    if odd in ("zone", "both"):
        times[3] = times[3].astimezone(timezone(timedelta(hours=3)))
    if odd == "year 1":  # (its second in UTC is in year 0: never made from milliseconds)
        times[3] = datetime(1, 1, 1, 2, tzinfo=timezone(timedelta(hours=3)))
    positions = [
        PositionReport(mmsi=273000001 + k, time=t, lon=50.0, lat=40.0, msg_type=1)
        for k, t in enumerate(times)
    ]
    back, rows, _ = unpack(pack(DecodeBatch(positions=positions)))
    assert back.positions == positions
    assert [(p.time, p.time.tzinfo, p.time.microsecond) for p in back.positions] == [
        (t, t.tzinfo, t.microsecond) for t in times
    ]
    assert list(rows) == position_rows(positions)


def test_a_read_error_in_the_worker_is_raised_here_as_in_one_process(tmp_path: Path) -> None:
    broken = tmp_path / "broken.nmea.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    clock = FixedClock(T0)
    raised = []
    for worker in (False, True):
        with open_store(tmp_path / "e.sqlite") as store, FileSource([broken], clock) as lines:
            job = Ingest(store, clock, decode_worker=worker)
            with pytest.raises(Exception) as info:  # noqa: PT011 (compared below)
                job.run(lines)
            raised.append((type(info.value), str(info.value)))
    assert raised[0] == raised[1]


KILLED = """
import sys
from datetime import UTC, datetime
from littoral.ais.sources import FileSource
from littoral.clock import FixedClock
from littoral.services.ingest import Ingest
from littoral.store import open_store
from littoral.store.repos import position_rows
clock = FixedClock(datetime(2026, 5, 1, tzinfo=UTC))
with open_store(sys.argv[2]) as store, FileSource([sys.argv[1]], clock) as lines:
    Ingest(store, clock, decode_worker=True, chunk_lines=500).run(lines)
"""


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status


@pytest.mark.slow
def test_the_worker_ends_when_the_ingest_is_killed(tmp_path: Path) -> None:
    feed = _feed(tmp_path / "one.nmea")
    big = tmp_path / "big.nmea"
    big.write_text(feed.read_text() * 150)
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(big), str(tmp_path / "k.sqlite")])
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
        workers = _children(proc.pid)
    assert workers, "the ingest started no worker"
    time.sleep(0.3)  # the worker gets ahead and waits on the pipe
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while not all(map(_gone, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if not _gone(pid)]
    for pid in left:  # (not to leave it running when the test fails)
        os.kill(pid, signal.SIGKILL)
    assert not left, "the decode worker outlived the killed ingest"


class Recorder:
    """A watch hook that keeps every record it is given and raises nothing."""

    def __init__(self) -> None:
        self.seen: list[object] = []

    def process(self, records: Sequence[Report]) -> list[Alert]:
        self.seen.extend(records)
        return []

    def finish(self, time: datetime) -> list[Alert]:
        self.seen.append(time)
        return []


def test_a_watch_gets_the_same_records_through_the_worker(tmp_path: Path) -> None:
    feed = _feed(tmp_path / "feed.nmea")
    seen = []
    for worker in (False, True):
        watch = Recorder()
        clock = FixedClock(T0)
        db = tmp_path / f"w{worker}.sqlite"
        with open_store(db) as store, FileSource([feed], clock) as lines:
            Ingest(store, clock, decode_worker=worker, watch=watch, chunk_lines=300).run(lines)
        seen.append(watch.seen)
    assert len(seen[0]) > 1000
    assert seen[0] == seen[1]
    assert _tables(tmp_path / "wFalse.sqlite") == _tables(tmp_path / "wTrue.sqlite")
