"""Scenarios through the command line: drift their mixture, search, read each one's share."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from littoral.cli.main import main
from littoral.drift.mixture import scenario_shares
from littoral.drift.netcdf import read_netcdf

SCENARIOS = """
[[scenario]]
name = "west"
weight = 0.6
lat = 41.5
lon = 50.6
radius_nm = 0.5
objects = [{object_class = "PIW-1", fraction = 0.6},
           {object_class = "LIFE-RAFT-DB-11", fraction = 0.4}]

[[scenario]]
name = "east"
weight = 0.4
kind = "track"
lat = 41.5
lon = 51.3
to_lat = 41.6
to_lon = 51.4
time_end = "2026-03-01T07:00Z"
objects = [{object_class = "FISHING-VESSEL-1", fraction = 1}]
transitions = [{from_object = "FISHING-VESSEL-1", to_object = "LIFE-RAFT-DB-11", after_h = 2}]
"""

GPX = (
    '<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Patrol 101</name><trkseg>'
    '<trkpt lat="41.47" lon="50.55"/><trkpt lat="41.47" lon="50.65"/>'
    '<trkpt lat="41.50" lon="50.65"/><trkpt lat="41.50" lon="50.55"/>'
    '<trkpt lat="41.53" lon="50.55"/><trkpt lat="41.53" lon="50.65"/>'
    "</trkseg></trk></gpx>"
)


def test_drift_scenarios_then_a_search_over_one_moves_its_share(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = tmp_path / "scenarios.toml"
    toml.write_text(SCENARIOS, encoding="utf-8")
    nc = tmp_path / "case.nc"
    run = ["drift", "run", "--object", "PIW-1", "--lat", "41.5", "--lon", "50.6", "--time",
           "2026-03-01T06:00Z", "--duration", "4h", "--output-step", "1h", "--particles", "800",
           "--wind", "340/15", "--current", "160/0.3", "--scenarios", str(toml), "--out",
           str(nc), "--quiet"]  # fmt: skip
    assert main(run) == 0
    assert "scenarios: west 60.0%, east 40.0%" in capsys.readouterr().out
    result = read_netcdf(nc)
    assert scenario_shares(result) == pytest.approx({"west": 0.6, "east": 0.4}, abs=1e-6)
    gpx = tmp_path / "patrol.gpx"
    gpx.write_text(GPX, encoding="utf-8")
    update = ["search", "update", "--drift", str(nc), "--searched", str(gpx), "--at",
              "2026-03-01T08:00Z", "--sweep-width-nm", "1.0", "--out",
              str(tmp_path / "after.nc")]  # fmt: skip
    assert main(update) == 0
    out = capsys.readouterr().out
    pos = float(re.search(r"POS of this search ([\d.]+)%", out).group(1)) / 100  # type: ignore[union-attr]
    assert pos > 0.05
    east = re.search(r"east: 40.0% -> ([\d.]+)%", out)
    assert east is not None
    # the search was 35 NM from the east scenario: Bayes gives it 0.4 / (1 - POS)
    assert float(east.group(1)) / 100 == pytest.approx(0.4 / (1 - pos), abs=2e-3)
    after = scenario_shares(read_netcdf(tmp_path / "after.nc"))
    assert after["east"] == pytest.approx(0.4 / (1 - pos), abs=2e-3)


def test_a_bad_scenario_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = tmp_path / "bad.toml"
    toml.write_text(SCENARIOS.replace('kind = "track"', 'kind = "voyage"'), encoding="utf-8")
    run = ["drift", "run", "--object", "PIW-1", "--lat", "41.5", "--lon", "50.6", "--time",
           "2026-03-01T06:00Z", "--wind", "340/15", "--current", "160/0.3", "--scenarios",
           str(toml), "--out", str(tmp_path / "x.nc"), "--quiet"]  # fmt: skip
    assert main(run) == 2
    err = capsys.readouterr().err
    assert "bad.toml: scenario 2: scenario 'east': kind='voyage'" in err
