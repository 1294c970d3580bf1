"""A shortened exercise through the real system: every planted event alerted on time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from littoral.cli.main import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exercise")
    status = main(
        [
            "exercise",
            "--seed", "7",
            "--hours", "6",
            "--vessels", "60",
            "--particles", "600",
            "--out", str(out),
        ]
    )  # fmt: skip
    assert status == 0
    return out


def test_every_step_ran(report: Path) -> None:
    summary = json.loads((report / "summary.json").read_text())
    bad = [s for s in summary["steps"] if s["status"] != "done"]
    assert not bad, bad
    names = [s["name"] for s in summary["steps"]]
    for step in ("traffic", "stream", "scoring", "case", "currents", "drift", "search round 1"):
        assert step in names
    assert "report" in names
    currents = next(s for s in summary["steps"] if s["name"] == "currents")
    assert "surface current at the datum" in currents["note"]


def test_every_planted_event_alerted_within_tolerance_and_no_false_alert(report: Path) -> None:
    summary = json.loads((report / "summary.json").read_text())
    kinds = {t["kind"] for t in summary["truth"]}
    assert kinds == {"foreign_flag", "dark", "ship_to_ship", "spoofing", "distress"}
    for t in summary["truth"]:
        assert t["alerted"] is not None, t
        assert t["on_time"], t
        assert t["late_s"] <= t["tolerance_s"]
    assert summary["false_alerts"] == []
    assert summary["passed"] is True


def test_search_plan_pos_is_reported(report: Path) -> None:
    summary = json.loads((report / "summary.json").read_text())
    sar = summary["sar"]
    assert len({u["unit"].split()[0] for u in sar["units"]}) >= 3  # three states
    first = sar["rounds"][0]
    assert 0.0 < first["pos"] <= 1.0
    assert first["pos"] <= first["bound_pos"] + 1e-6
    # each unit of round 1 searches from its own arrival on scene; the report shows when
    on_scene = [u["on_scene"] for u in first["units"] if u["on_scene"] is not None]
    assert len(on_scene) >= 3
    assert len(set(on_scene)) > 1
    assert first["commence"] == min(on_scene)
    html = (report / "index.html").read_text()
    assert "plan POS" in html
    assert f"{first['pos']:.1%}" in html
    assert "on scene" in html
    if sar["found"]:
        assert sar["time_to_find_s"] > 0


def test_report_holds_maps_and_data_files(report: Path) -> None:
    names = ["traffic.png", "alerts.png", "drift.png", "round1.png", "drift.nc"]
    names += ["plan_round1.geojson", "alerts.geojson", "truth.json", "traffic.nmea.gz"]
    names += ["currents.nc"]
    for name in names:
        assert (report / name).stat().st_size > 0, name
    assert list(report.glob("round1_*.gpx"))
    import xarray as xr

    with xr.open_dataset(report / "drift.nc") as ds:
        assert ds.sizes
        # the drift's current came from the case's modelled currents (copied as currents.nc)
        assert "currents-" in ds.attrs["forcing_current"]
    with xr.open_dataset(report / "currents.nc") as ds:
        assert ds["uo"].attrs["standard_name"] == "surface_eastward_sea_water_velocity"


def test_report_reads_top_down(report: Path) -> None:
    import re

    html = (report / "index.html").read_text(encoding="utf-8")
    summary = html.index("<h2>Summary</h2>")
    # the summary comes before every table and map
    assert summary < html.index("<table")
    assert summary < html.index("<img")
    # each map sits beside its table, in one block kept together on paper
    blocks = re.findall(r"<section class='pair'>(.*?)</section>", html, re.S)
    images = re.findall(r"<img src='([^']+)'", html)
    assert len(blocks) == len(images) >= 4
    assert all("<table>" in b for b in blocks)
    assert "@media print{" in html
    # times to the minute: no seconds, no fractions of them
    assert not re.search(r"\d\d:\d\d:\d\d", html)
    summary_json = (report / "summary.json").read_text()
    assert not re.search(r"\d\d:\d\d:\d\d\.\d", summary_json)
    # one unit of probability, its cells in NM as the round's text says
    assert "per cell" not in html
    cells = re.search(r"on cells of (\d+\.\d\d NM)", html)
    assert cells is not None
    assert "round1.png" in images
