"""The command line fails kindly: no traceback on a closed pipe, outputs checked first,
progress only on a terminal, positions as people type them, tables with headers."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from littoral.cli.main import BROKEN_PIPE_STATUS, main
from littoral.cli.paths import check_output_file, check_output_folder
from littoral.cli.progress import ProgressBar
from littoral.errors import InputError
from littoral.geo.coords import parse_coordinate

SRC = Path(__file__).resolve().parents[3] / "src"


def test_a_closed_pipe_ends_quietly() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "littoral.cli.main", "drift", "objects"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == BROKEN_PIPE_STATUS
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err


def test_drift_run_refuses_a_missing_output_folder_before_computing(capsys) -> None:
    t0 = time.perf_counter()
    rc = main(["drift", "run", "--object", "PIW-1", "--lat", "40.9", "--lon", "50.6",
               "--time", "2026-11-27T03:40Z", "--wind", "0/25", "--current", "180/0.6",
               "--particles", "100000", "--duration", "48h",
               "--out", "/nonexistent/x.nc"])  # fmt: skip
    assert rc == 2
    assert "/nonexistent" in capsys.readouterr().err
    assert time.perf_counter() - t0 < 5.0  # refused, not computed


def test_output_checks_name_the_value(tmp_path: Path) -> None:
    check_output_file(tmp_path / "x.nc", "--out")
    check_output_file(None, "--out")
    with pytest.raises(InputError, match="is a folder"):
        check_output_file(tmp_path, "--out")
    check_output_folder(tmp_path / "plan", "--out")
    (tmp_path / "f").write_text("")
    with pytest.raises(InputError, match="is a file"):
        check_output_folder(tmp_path / "f", "--out")
    with pytest.raises(InputError, match="'/nonexistent'"):
        check_output_folder("/nonexistent/plan", "--out")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_only() -> None:
    log = io.StringIO()
    bar = ProgressBar(log)
    for k in range(11):
        bar(k / 10)
    assert log.getvalue() == ""
    term = _Terminal()
    bar = ProgressBar(term)
    for k in range(11):
        bar(k / 10)
    assert term.getvalue().count("\r") == 11
    assert term.getvalue().endswith("\n")
    quiet = _Terminal()
    ProgressBar(quiet, enabled=False)(0.5)
    assert quiet.getvalue() == ""


def test_drift_run_takes_degrees_and_minutes(tmp_path: Path, capsys) -> None:
    out = tmp_path / "case.geojson"
    rc = main(["drift", "run", "--object", "PIW-1", "--lat", "40 54N", "--lon", "050 36.0E",
               "--time", "2026-11-27T03:40Z", "--wind", "0/25", "--current", "180/0.6",
               "--particles", "50", "--duration", "2h", "--geojson", str(out),
               "--line-to", "40 55N 50 37E"])  # fmt: skip
    assert rc == 0, capsys.readouterr().err
    assert out.stat().st_size > 100
    with pytest.raises(SystemExit):
        main(["drift", "run", "--object", "PIW-1", "--lat", "40 54E", "--lon", "50.6",
              "--time", "2026-11-27T03:40Z", "--wind", "0/25", "--out", "x.nc"])  # fmt: skip
    assert "'40 54E'" in capsys.readouterr().err


def test_coordinates_as_typed() -> None:
    assert parse_coordinate("40 54N", "lat") == pytest.approx(40.9)
    assert parse_coordinate("40°54′30″S", "lat") == pytest.approx(-40.908333333)
    assert parse_coordinate("W050 30", "lon") == pytest.approx(-50.5)
    assert parse_coordinate("50.6", "lon") == 50.6
    for bad, axis in (("40 54E", "lat"), ("40 60N", "lat"), ("-40 54N", "lat"), ("181", "lon")):
        with pytest.raises(InputError, match=repr(bad)):
            parse_coordinate(bad, axis)  # type: ignore[arg-type]


def test_a_duration_not_in_output_steps_names_output_step(tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.nc"
    rc = main(["drift", "run", "--object", "PIW-1", "--lat", "40.9", "--lon", "50.6",
               "--time", "2026-11-27T03:40Z", "--wind", "0/25", "--current", "0/0",
               "--duration", "90m", "--output-step", "1h", "--out", str(out)])  # fmt: skip
    assert rc == 2
    err = capsys.readouterr().err
    assert "--output-step" in err
    assert "'90m'" in err
    assert not out.exists()


def test_drift_objects_has_headers(capsys) -> None:
    assert main(["drift", "objects", "PIW"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("CLASS")
    assert "DESCRIPTION" in first


def test_a_missing_sqlite_store_is_refused_unless_create(tmp_path: Path, capsys) -> None:
    typo = tmp_path / "centr.db"
    assert main(["ais", "vessels", "--db", f"sqlite:///{typo}"]) == 2
    err = capsys.readouterr().err
    assert str(typo) in err
    assert "--create" in err
    assert not typo.exists()
    assert main(["watch", "run", "--db", str(typo), "--no-store"]) == 2
    assert not typo.exists()
    capture = tmp_path / "one.nmea"
    # a real type 1 sentence (gpsd's sample.aivdm), with a receive-time tag block
    capture.write_text("\\c:1777636800*54\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n")
    assert main(["ais", "ingest", str(capture), "--db", str(typo), "--create", "--quiet"]) == 0
    assert typo.exists()
    capsys.readouterr()
    assert main(["ais", "vessels", "--db", f"sqlite:///{typo}", "--json"]) == 0
    assert "371798000" in capsys.readouterr().out


def test_search_datum_takes_degrees_and_minutes_and_names_a_bad_one(tmp_path: Path, capsys) -> None:
    units = Path(__file__).resolve().parents[3] / "examples" / "units.toml"
    argv = ["search", "plan", "--datum", "41 30E", "051 00E", "--error-nm", "6",
            "--units", str(units), "--depart", "2026-03-01T09:00Z",
            "--out", str(tmp_path / "plan")]  # fmt: skip
    assert main(argv) == 2
    assert "'41 30E'" in capsys.readouterr().err


def test_account_commands_refuse_a_missing_store(tmp_path: Path, capsys) -> None:
    typo = tmp_path / "centr.db"
    assert main(["users", "list", "--db", str(typo)]) == 2
    assert main(["users", "disable", "ops.az", "--db", f"sqlite:///{typo}"]) == 2
    assert main(["audit", "verify", "--db", str(typo)]) == 2
    assert capsys.readouterr().err.count("no store at") == 3
    assert not typo.exists()
