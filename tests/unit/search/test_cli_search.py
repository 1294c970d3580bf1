from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from littoral.cli.main import main
from littoral.drift.netcdf import read_netcdf, write_netcdf
from littoral.search.export import read_gpx

from .helpers import drift_cloud

UNITS = """
[[unit]]
name = "Patrol 101"
state = "AZ"
type = "ship"
speed_kn = 12
endurance_h = 30
transit_speed_kn = 16
eye_height_ft = 14
base = "Baku Bay"

[[unit]]
name = "CG 12"
state = "KZ"
type = "boat"
speed_kn = 18
endurance_h = 10
base_lat = 41.6
base_lon = 51.2
pattern = "creeping-line"

[[unit]]
name = "Helo 7"
state = "RU"
type = "helicopter"
speed_kn = 90
endurance_h = 4
transit_speed_kn = 120
altitude_ft = 500
base = "Makhachkala"
"""


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, Path]:
    result = drift_cloud(n=1500, lon0=51.0, lat0=41.5, spread_deg=0.06, speed_deg_h=0.01)
    result.object_class = "LIFE-RAFT-DB-11"
    nc = tmp_path / "case.nc"
    write_netcdf(result, nc)
    units = tmp_path / "units.toml"
    units.write_text(UNITS, encoding="utf-8")
    return nc, units


def test_plan_then_update(tmp_path: Path, case: tuple[Path, Path], capsys) -> None:
    nc, units = case
    out = tmp_path / "plan"
    rc = main(
        ["search", "plan", "--drift", str(nc), "--at", "2026-03-01T09:00Z", "--units",
         str(units), "--visibility-nm", "10", "--wind-kn", "12", "--sea-m", "0.5",
         "--out", str(out)]
    )  # fmt: skip
    assert rc == 0
    text = capsys.readouterr().out
    assert "Raft 4 person (Leeway class LIFE-RAFT-DB-11" in text
    assert "Plan POS" in text
    gj = json.loads((out / "plan.geojson").read_text(encoding="utf-8"))
    roles = {(f["properties"]["unit"], f["properties"]["role"]) for f in gj["features"]}
    assert ("Helo 7", "area") in roles
    assert ("Patrol 101", "track") in roles
    assert 0 < gj["littoral"]["pos"] <= gj["littoral"]["bound_pos"] + 1e-9
    assert (out / "map.png").stat().st_size > 10_000
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.index("<h2>Summary</h2>") < page.index("<img src='map.png'")
    # times to the minute in what the officer reads: no seconds, no microseconds
    assert not re.search(r"\d\d:\d\d:\d\d", text)
    assert not re.search(r"\d\d:\d\d:\d\d", page)
    assert not re.search(r"\d\d:\d\d:\d\d\.\d", (out / "plan.geojson").read_text())
    assert (out / "plan.kml").read_text(encoding="utf-8").count("<Placemark>") == 6
    routes = read_gpx(out / "Helo_7.gpx")
    assert routes[0].name == "Helo 7"
    assert routes[0].lon.size >= 2

    updated = tmp_path / "case-updated.nc"
    rc = main(
        ["search", "update", "--drift", str(nc), "--searched", str(out / "Helo_7.gpx"),
         "--searched", str(out / "Patrol_101.gpx"), "--at", "2026-03-01T09:00Z",
         "--units", str(units), "--visibility-nm", "10", "--wind-kn", "12", "--sea-m", "0.5",
         "--out", str(updated)]
    )  # fmt: skip
    assert rc == 0
    assert "cumulative POS" in capsys.readouterr().out
    before = read_netcdf(nc)
    after = read_netcdf(updated)
    assert after.attrs["search_rounds"] == "1"
    assert 0 < float(after.attrs["search_cumulative_pos"]) < 1
    assert not np.allclose(after.weight, before.weight)
    assert after.weight.sum() == pytest.approx(1.0)
    assert np.array_equal(after.lon, before.lon)


def test_cli_errors_name_the_bad_value(tmp_path: Path, case: tuple[Path, Path], capsys) -> None:
    nc, units = case
    base = ["search", "plan", "--drift", str(nc), "--units", str(units), "--out", str(tmp_path)]
    assert main([*base, "--at", "2026-03-01T09:00", "--visibility-nm", "10"]) == 2
    assert "naive" in capsys.readouterr().err
    assert main([*base, "--at", "2026-03-09T09:00Z", "--visibility-nm", "10"]) == 2
    assert "outside the drift run" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text(UNITS.replace("speed_kn = 90", "speed_kn = -90"), encoding="utf-8")
    args = ["search", "plan", "--drift", str(nc), "--at", "2026-03-01T09:00Z", "--units",
            str(bad), "--visibility-nm", "10", "--sea-m", "0.5",
            "--out", str(tmp_path)]  # fmt: skip
    assert main(args) == 2
    assert "unit 3 ('Helo 7'): speed_kn=-90" in capsys.readouterr().err
    gpx = tmp_path / "t.gpx"
    gpx.write_text(
        '<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Stranger</name><trkseg>'
        '<trkpt lat="41.5" lon="51.0"/><trkpt lat="41.6" lon="51.0"/></trkseg></trk></gpx>',
        encoding="utf-8",
    )
    upd = ["search", "update", "--drift", str(nc), "--searched", str(gpx), "--at",
           "2026-03-01T09:00Z", "--units", str(units), "--visibility-nm", "10", "--wind-kn", "5",
           "--sea-m", "0.5",
           "--out", str(tmp_path / "u.nc")]  # fmt: skip
    assert main(upd) == 2
    assert "track 'Stranger' matches no unit" in capsys.readouterr().err


@pytest.mark.parametrize("law", ["exponential", "inverse-cube"])
def test_update_with_the_plans_own_tracks_gives_back_its_pos(
    tmp_path: Path, case: tuple[Path, Path], capsys, law: str
) -> None:
    """One detection model per plan: the update reads the plan's law, widths and spacings."""
    nc, units = case
    out = tmp_path / "plan"
    rc = main(
        ["search", "plan", "--drift", str(nc), "--at", "2026-03-01T09:00Z", "--units",
         str(units), "--visibility-nm", "10", "--wind-kn", "12", "--sea-m", "0.5", "--law", law,
         "--out", str(out)]
    )  # fmt: skip
    assert rc == 0
    capsys.readouterr()
    gj = json.loads((out / "plan.geojson").read_text(encoding="utf-8"))
    assert gj["littoral"]["detection"]["law"] == law
    assert gj["littoral"]["pos"] <= gj["littoral"]["bound_pos"]
    # the maps are smoothed and each unit's is the cloud at the middle of its search; on the
    # particles themselves, each leg judged when it is run, the same routes find
    plan_pos = gj["littoral"]["pos_particles"]
    assert 0 < plan_pos <= 1
    searched = []
    for name in ("Patrol_101", "CG_12", "Helo_7"):
        if (out / f"{name}.gpx").exists():
            searched += ["--searched", str(out / f"{name}.gpx")]
    rc = main(
        ["search", "update", "--drift", str(nc), *searched, "--at", "2026-03-01T09:00Z",
         "--plan", str(out / "plan.geojson"), "--out", str(tmp_path / "u.nc")]
    )  # fmt: skip
    assert rc == 0
    assert f"({law} law)" in capsys.readouterr().out
    pos = float(read_netcdf(tmp_path / "u.nc").attrs["search_cumulative_pos"])
    assert pos == pytest.approx(plan_pos, rel=0.01)
    assert main(
        ["search", "update", "--drift", str(nc), *searched, "--at", "2026-03-01T09:00Z",
         "--plan", str(out / "plan.geojson"), "--law", "exponential", "--out",
         str(tmp_path / "v.nc")]
    ) == 2  # fmt: skip
    assert "drop --law" in capsys.readouterr().err
