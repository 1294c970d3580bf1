"""``littoral currents run`` end to end, and its output read back as drift forcing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from littoral.cli.main import main
from littoral.drift import NetCDFForcing, read_netcdf
from littoral.drift.forcing.names import CURRENT, CURRENT_U, CURRENT_V


def era5_like(path: Path, start: str, hours: int, u_ms: float, v_ms: float) -> None:
    """A 0.25-degree ERA5-layout wind file (u10/v10, descending latitude) over the Caspian."""
    times = np.datetime64(start.replace("Z", ""), "ns") + np.arange(hours) * np.timedelta64(1, "h")
    lat = np.arange(48.0, 36.0 - 0.01, -0.25)
    lon = np.arange(46.0, 55.01, 0.25)
    ramp = np.linspace(0.5, 1.0, hours)[:, None, None] * np.ones((hours, lat.size, lon.size))
    ds = xr.Dataset(
        {
            "u10": (("valid_time", "latitude", "longitude"), (u_ms * ramp).astype(np.float32)),
            "v10": (("valid_time", "latitude", "longitude"), (v_ms * ramp).astype(np.float32)),
        },
        coords={"valid_time": times, "latitude": lat, "longitude": lon},
    )
    ds["u10"].attrs.update(units="m s**-1", standard_name="eastward_wind")
    ds["v10"].attrs.update(units="m s**-1", standard_name="northward_wind")
    ds.to_netcdf(path)


def test_currents_run_writes_cf_that_drift_reads(tmp_path: Path, capsys) -> None:
    out = tmp_path / "currents.nc"
    rc = main(["currents", "run", "--wind", "90/40", "--start", "2026-01-10T00:00Z",
               "--duration", "12h", "--coarsen", "2", "--volga", "7900", "--quiet",
               "--out", str(out)])  # fmt: skip
    assert rc == 0
    text = capsys.readouterr().out
    assert "Courant number" in text
    assert "relative error" in text
    with xr.open_dataset(out) as ds:
        assert ds["uo"].attrs["standard_name"] == "surface_eastward_sea_water_velocity"
        assert ds["zos"].attrs["units"] == "m"
        assert ds["zos"].attrs["datum_level_bs_m"] == -27.5
        assert ds["lat"].attrs["standard_name"] == "latitude"
        assert ds.sizes["time"] == 13
        assert float(ds.attrs["relative_volume_error"]) < 1e-9
        assert np.isfinite(ds["uo"].values).all()  # extended over land for interpolation
        sea = ds["sea_binary_mask"].values == 1
        assert np.isnan(ds["zos"].values[:, ~sea]).all()
        # an easterly: the surface water of the open sea goes west
        assert float(np.nanmean(ds["uo"].values[-1][sea])) < -0.05
        u_last = ds["uo"].values[-1]
        lat, lon = ds["lat"].values, ds["lon"].values
    reader = NetCDFForcing(out)
    assert {CURRENT_U, CURRENT_V} <= reader.variables
    j, i = 40, 40
    got = reader.sample(
        list(CURRENT), datetime(2026, 1, 10, 12, tzinfo=UTC), np.array([lon[i]]), np.array([lat[j]])
    )
    assert got[CURRENT_U][0] == pytest.approx(float(u_last[j, i]), abs=1e-6)
    reader.close()
    piw = tmp_path / "piw.nc"
    rc = main(["drift", "run", "--object", "PIW-1", "--lat", "42.0", "--lon", "51.0",
               "--time", "2026-01-10T00:00Z", "--duration", "12h", "--wind", "90/40",
               "--current-file", str(out), "--particles", "200", "--seed", "1", "--quiet",
               "--out", str(piw)])  # fmt: skip
    assert rc == 0
    res = read_netcdf(piw)
    assert "currents.nc" in res.attrs["forcing_current"]
    assert np.mean(res.lon[-1]) < 51.0 - 0.1


def test_currents_from_a_folder_of_wind_files(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "wind"
    folder.mkdir()
    era5_like(folder / "day1.nc", "2026-01-10T00:00", 7, -15.0, 0.0)
    era5_like(folder / "day2.nc", "2026-01-10T07:00", 7, -15.0, 5.0)
    out = tmp_path / "c.nc"
    rc = main(["currents", "run", "--wind", str(folder), "--start", "2026-01-10T00:00Z",
               "--duration", "12h", "--coarsen", "3", "--quiet", "--out", str(out)])  # fmt: skip
    assert rc == 0
    assert "day1.nc" in capsys.readouterr().out
    with xr.open_dataset(out) as ds:
        assert "day1.nc (+1 files)" in ds.attrs["wind"]


def test_wind_that_misses_the_run_is_refused_by_name(tmp_path: Path, capsys) -> None:
    f = tmp_path / "short.nc"
    era5_like(f, "2026-01-10T00:00", 6, -15.0, 0.0)
    rc = main(["currents", "run", "--wind", str(f), "--start", "2026-01-10T00:00Z",
               "--duration", "12h", "--coarsen", "3", "--out", str(tmp_path / "x.nc")])  # fmt: skip
    assert rc == 2
    err = capsys.readouterr().err
    assert "2026-01-10T12:00Z" in err
    assert "short.nc" in err
    rc = main(["currents", "run", "--wind", "east", "--start", "2026-01-10T00:00Z",
               "--out", str(tmp_path / "x.nc")])  # fmt: skip
    assert rc == 2
    assert "'east'" in capsys.readouterr().err
