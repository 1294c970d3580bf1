"""The ``littoral drift`` commands, end to end through the parser."""

from pathlib import Path

import numpy as np
import pytest

from littoral.cli.drift import parse_duration, parse_vector
from littoral.cli.main import main
from littoral.drift import read_netcdf
from littoral.errors import InputError


def test_drift_run_writes_netcdf_and_geojson(tmp_path: Path, capsys) -> None:
    wind = tmp_path / "wind.csv"
    wind.write_text(
        "time,direction_deg,speed_kn\n2026-01-10T06:00Z,340,25\n2026-01-11T06:00Z,0,15\n"
    )
    out = tmp_path / "case.nc"
    rc = main(["drift", "run", "--object", "LIFE-RAFT-DB-11", "--lat", "41.0", "--lon", "51.0",
               "--time", "2026-01-10T06:00Z", "--radius-m", "500", "--duration", "24h",
               "--wind-file", str(wind), "--current", "160/0.6", "--particles", "500",
               "--seed", "3", "--out", str(out),
               "--geojson", str(tmp_path / "c.geojson")])  # fmt: skip
    assert rc == 0
    captured = capsys.readouterr()
    assert "\r" not in captured.err  # not a terminal: no progress bar frames
    assert "500 particles" in captured.out
    res = read_netcdf(out)
    assert res.object_class == "LIFE-RAFT-DB-11"
    assert res.seed == 3
    assert res.n_times == 49  # output every 30 min by default, as the web service and exercise
    assert res.attrs["perturbation"].startswith("Perturbation(")  # on by default
    assert "radius_m=500.0" in res.attrs["seeding"]
    assert "wind observations wind.csv" in res.attrs["forcing_wind"]
    assert np.all(res.lat[-1] < 41.0)  # a northerly-ish wind and a south-going current
    assert (tmp_path / "c.geojson").stat().st_size > 100


def test_drift_objects_search_and_errors(capsys) -> None:
    assert main(["drift", "objects", "sea kayak"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].split() == ["CLASS", "DW", "SLOPE", "DW", "OFFSET", "DESCRIPTION"]
    assert listed[1].split() == ["%", "cm/s"]
    assert any(line.startswith("PERSON-POWERED-VESSEL-1 ") for line in listed[2:])
    assert main(["drift", "objects", "zeppelin"]) == 2
    assert "zeppelin" in capsys.readouterr().err
    rc = main(["drift", "run", "--object", "PIW-1", "--lat", "41", "--lon", "51", "--time",
               "2026-01-10T06:00", "--wind", "0/10", "--current", "0/0",
               "--out", "x.nc"])  # fmt: skip
    assert rc == 2
    assert "naive" in capsys.readouterr().err


def test_parsers_name_the_bad_value() -> None:
    assert parse_duration("48h").total_seconds() == 48 * 3600
    assert parse_duration("10min").total_seconds() == 600
    with pytest.raises(InputError, match="'ten minutes'"):
        parse_duration("ten minutes")
    assert parse_vector("340/25", "--wind") == (340.0, 25.0)
    with pytest.raises(InputError, match="'400/3'"):
        parse_vector("400/3", "--wind")
