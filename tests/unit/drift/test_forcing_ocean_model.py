"""littoral's own modelled currents (``littoral currents run``) read as ordinary forcing."""

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
def test_currents_run_output_drives_drift_run(tmp_path: Path) -> None:
    currents = tmp_path / "caspian_currents"  # the name says nothing; the content does
    rc = main(["currents", "run", "--wind", "250/29", "--start", "2026-01-10T00:00Z",
               "--duration", "3h", "--coarsen", "4", "--quiet",
               "--out", str(currents)])  # fmt: skip
    assert rc == 0
    reader = open_forcing(str(currents), "current")
    assert {CURRENT_U, CURRENT_V} <= reader.variables
    lon, lat = np.array([50.6, 51.2]), np.array([42.3, 40.5])
    got = reader.sample([CURRENT_U], START + timedelta(hours=2), lon, lat)
    with xr.open_dataset(currents) as ds:
        peer = ds["uo"].interp(
            time=np.datetime64("2026-01-10T02:00"),
            lon=xr.DataArray(lon, dims="p"),
            lat=xr.DataArray(lat, dims="p"),
        )
        np.testing.assert_allclose(got[CURRENT_U], peer.values, atol=1e-6, rtol=0)
    out = tmp_path / "case.nc"
    rc = main(["drift", "run", "--object", "PIW-1", "--lat", "42.3", "--lon", "50.6", "--time",
               "2026-01-10T00:00Z", "--duration", "3h", "--particles", "50", "--quiet",
               "--wind", "250/29", "--current-file", str(currents), "--out", str(out)])  # fmt: skip
    assert rc == 0
    drift = read_netcdf(out)
    assert "caspian_currents" in drift.attrs["forcing_current"]
    assert drift.attrs["current_choice"] == f"file: {currents}"
