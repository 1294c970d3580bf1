"""``littoral ais ingest / vessels / track`` through the real command line."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from littoral.cli.main import main
from littoral.store import open_store

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)
# real sentences (gpsd's sample.aivdm): type 1 of 371798000 and of 440348000
TYPE1 = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
TYPE1_B = "!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42"


def tagged(sentence: str, unix_s: int) -> str:
    """Put an NMEA 4.10 tag block with receive time ``c:`` in front of a sentence."""
    body = f"c:{unix_s}"
    value = 0
    for char in body:
        value ^= ord(char)
    return f"\\{body}*{value:02X}\\{sentence}"


def _write_day(path: Path, n: int) -> None:
    start = int(T0.timestamp())
    with path.open("w") as fh:
        for i in range(n):
            fh.write(tagged(TYPE1 if i % 2 else TYPE1_B, start + i) + "\n")
            if i % 1000 == 0:
                fh.write("$GPRMC,garbage\nnot a sentence\n")


def test_ingest_then_vessels_and_track(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    day = tmp_path / "day.nmea"
    _write_day(day, 400)
    db = tmp_path / "store.sqlite"
    assert main(["ais", "ingest", str(day), "--db", str(db), "--create"]) == 0
    err = capsys.readouterr().err
    assert "stored 400 new positions of 2 vessels" in err
    assert main(["ais", "ingest", str(day), "--db", f"sqlite:///{db}"]) == 0
    assert "stored 0 new positions" in capsys.readouterr().err

    assert main(["ais", "vessels", "--db", str(db), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["mmsi"] for r in rows] == [371798000, 440348000]
    assert rows[0]["flag"].startswith("Panama")
    assert [r["message_count"] for r in rows] == [200, 200]  # the same after the second run
    assert [r["station"] for r in rows] == ["ship", "ship"]

    assert main(["ais", "vessels", "--db", str(db), "--bbox=-124,48,-123,49"]) == 0
    out = capsys.readouterr().out
    assert "371798000" in out
    assert "48°22.9′N 123°23.7′W" in out
    assert "440348000" not in out

    at = "2026-05-01T12:00:10Z"
    assert main(["ais", "vessels", "--db", str(db), "--at", at, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["position_time"] for r in rows] == ["2026-05-01T12:00:09Z", "2026-05-01T12:00:10Z"]

    window = ["--from", "2026-05-01T12:00:00Z", "--to", "2026-05-01T12:00:09Z"]
    assert main(["ais", "track", "371798000", "--db", str(db), *window]) == 0
    points = json.loads(capsys.readouterr().out)
    assert [p["time"][17:19] for p in points] == ["01", "03", "05", "07", "09"]

    assert main(["ais", "track", "371798000", "--db", str(db), *window, "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(table) == 5
    assert table[0]["lon"] == "-123.395383"

    args = ["ais", "track", "371798000", "--db", str(db), *window, "--format", "geojson"]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    line = doc["features"][0]
    assert line["geometry"]["type"] == "LineString"
    assert len(line["geometry"]["coordinates"]) == 5
    assert len(doc["features"]) == 6


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ais", "track", "12x"], "mmsi='12x'"),
        (["ais", "track", "371798000", "--from", "2026-05-01T12:00"], "naive"),
        (["ais", "vessels", "--bbox", "1,2"], "bbox='1,2'"),
        (["ais", "ingest", "missing.nmea"], "missing.nmea"),
        (["ais", "vessels", "--db", "mysql://x/y"], "mysql://x/y"),
    ],
)
def test_bad_arguments_name_the_value(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if "--db" not in argv:
        argv = [*argv, "--db", str(tmp_path / "x.sqlite"), "--create"]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_sigkill_during_cli_ingest_then_rerun_gives_exactly_the_clean_result(
    tmp_path: Path,
) -> None:
    day = tmp_path / "big.nmea"
    total = 120_000
    _write_day(day, total)
    db = tmp_path / "killed.sqlite"
    command = [sys.executable, "-m", "littoral.cli.main", "ais", "ingest", str(day)]
    proc = subprocess.Popen(
        [*command, "--db", str(db), "--create", "--flush-s", "0.1", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    stored = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=5) as conn:
                    stored = conn.execute("SELECT count(*) FROM positions").fetchone()[0]
            except sqlite3.OperationalError:
                continue  # tables not created yet
            if stored > 0:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < stored < total, f"the ingest was not caught mid-run ({stored} stored)"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        after_kill = conn.execute("SELECT count(*) FROM positions").fetchone()[0]
    assert stored <= after_kill < total
    rerun = subprocess.run([*command, "--db", str(db), "--quiet"], check=False, timeout=120)
    assert rerun.returncode == 0
    with open_store(db) as store:
        assert store.positions.count() == total
        assert store.vessels.count() == 2
        assert store.positions.count(371798000) == total // 2


@pytest.mark.slow
def test_ingest_with_the_watch_engine_stores_and_prints_the_planted_alerts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("littoral.watch.engine", reason="the watch engine is not in this build")
    traffic = pytest.importorskip("littoral.exercise.traffic", reason="no traffic generator")
    import numpy as np

    day = traffic.generate_traffic(
        np.random.default_rng(7), datetime(2026, 10, 14, tzinfo=UTC), 6, 40, rate_scale=30
    )
    path = tmp_path / "day.nmea"
    path.write_text("\n".join(day.lines) + "\n")
    db = tmp_path / "watch.sqlite"
    argv = ["ais", "ingest", str(path), "--db", str(db), "--create", "--watch", "--quiet"]
    assert main(argv) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    with open_store(db) as store:
        stored = {s.alert.id: s.alert for s in store.alerts.find()}
    assert {a["id"] for a in printed} == set(stored)
    distress = [a for a in stored.values() if a.rule == "distress"]
    assert distress, "the planted man-overboard beacon raised no distress alert"
    assert distress[0].mmsis == (day.mob.beacon_mmsi,)


def test_live_tcp_feed_is_stored_while_it_runs_and_sigterm_records_the_run(tmp_path: Path) -> None:
    import socket
    import threading

    start = int(T0.timestamp())
    lines = [tagged(TYPE1 if i % 2 else TYPE1_B, start + i) for i in range(300)]
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    done = threading.Event()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.sendall(("\r\n".join(lines) + "\r\n").encode())
            done.wait(30)  # keep the feed open and quiet

    threading.Thread(target=serve, daemon=True).start()
    db = tmp_path / "live.sqlite"
    command = [
        sys.executable,
        "-m",
        "littoral.cli.main",
        "ais",
        "ingest",
        f"tcp://127.0.0.1:{port}",
    ]
    proc = subprocess.Popen(
        [*command, "--db", str(db), "--create"], stderr=subprocess.PIPE, text=True
    )
    try:
        stored = 0
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and stored < 300:
            time.sleep(0.1)
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=5) as conn:
                        stored = conn.execute("SELECT count(*) FROM positions").fetchone()[0]
                except sqlite3.OperationalError:
                    continue
        assert stored == 300, "a quiet live feed was not flushed"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        done.set()
        server.close()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "connected" in err
    with open_store(db) as store:
        run = store.ingest_runs.recent()[0]
        assert run.sources == (f"tcp://127.0.0.1:{port}",)
        assert run.messages == 300
