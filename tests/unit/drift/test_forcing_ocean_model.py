"""littoral's own modelled currents (``littoral.ocean``) read as ordinary current forcing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from littoral.cli.main import main
from littoral.drift import read_netcdf
from littoral.drift.forcing import open_forcing
from littoral.drift.forcing.names import CURRENT_U, CURRENT_V

START = datetime(2026, 1, 10, tzinfo=UTC)


@pytest.mark.slow
def test_ocean_model_output_drives_the_drift(tmp_path: Path) -> None:
    from littoral.ocean import WindField, caspian_grid, run_model

    grid = caspian_grid(coarsen=4)
    span = timedelta(hours=3)
    wind = WindField.uniform(grid, u_ms=-15.0, v_ms=5.0, start=START, end=START + span)
    res = run_model(grid, wind, start=START, duration=span, output_every=timedelta(hours=1))
    path = tmp_path / "caspian_currents"
    res.to_netcdf(str(path))
    reader = open_forcing(str(path), "current")
    assert {CURRENT_U, CURRENT_V} <= reader.variables
    lon, lat = np.array([50.6, 51.2]), np.array([42.3, 40.5])
    got = reader.sample([CURRENT_U], START + timedelta(hours=2), lon, lat)
    with xr.open_dataset(path) as ds:
        peer = ds["uo"].interp(
            time=np.datetime64("2026-01-10T02:00"),
            lon=xr.DataArray(lon, dims="p"),
            lat=xr.DataArray(lat, dims="p"),
        )
        np.testing.assert_allclose(got[CURRENT_U], peer.values, atol=1e-6, rtol=0)
    out = tmp_path / "case.nc"
    rc = main(["drift", "run", "--object", "PIW-1", "--lat", "42.3", "--lon", "50.6", "--time",
               "2026-01-10T00:00Z", "--duration", "3h", "--particles", "50", "--quiet",
               "--wind", "250/29", "--current-file", str(path), "--out", str(out)])  # fmt: skip
    assert rc == 0
    drift = read_netcdf(out)
    assert "caspian_currents" in drift.attrs["forcing_current"]
    assert drift.attrs["current_choice"] == f"file: {path}"
