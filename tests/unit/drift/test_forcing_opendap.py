"""An OPeNDAP URL read through netCDF4, against a local DAP2 server (xpublish-opendap)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from forcing_files import LAT_DESC, LON, RUN, grids, times

from littoral.drift.forcing import NetCDFForcing, open_forcing
from littoral.drift.forcing.names import WIND_U, WIND_V

pytest.importorskip("xpublish_opendap")

_SERVER = """
import sys, uvicorn, xarray as xr, xpublish, xpublish_opendap
ds = xr.open_dataset(sys.argv[1])
rest = xpublish.Rest({"era5": ds}, plugins={"opendap": xpublish_opendap.OpenDapPlugin()})
uvicorn.run(rest.app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def dap_url(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    hours = list(range(0, 25, 3))
    u, v = grids(LON, LAT_DESC, hours)
    dims = ("valid_time", "latitude", "longitude")
    path = tmp_path / "era5.nc"
    xr.Dataset(
        {"u10": (dims, u.astype(np.float32), {"units": "m s-1"}),
         "v10": (dims, v.astype(np.float32), {"units": "m s-1"})},
        coords={"valid_time": times(hours), "latitude": ("latitude", LAT_DESC),
                "longitude": ("longitude", LON)},
    ).to_netcdf(path)  # fmt: skip
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(path), str(port)])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/datasets/era5/opendap", path
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_opendap_url_matches_xarray_on_the_file(dap_url: tuple[str, Path]) -> None:
    url, path = dap_url
    reader = open_forcing(url, "wind")
    assert isinstance(reader, NetCDFForcing)
    assert reader.name == f"url {url}"
    rng = np.random.default_rng(9)
    lon, lat = rng.uniform(47, 54, 20), rng.uniform(38, 45, 20)
    when = RUN.replace(hour=7, minute=20)
    got = reader.sample([WIND_U, WIND_V], when, lon, lat)
    with xr.open_dataset(path) as ds:
        peer = ds["u10"].interp(
            valid_time=np.datetime64("2026-01-10T07:20"),
            latitude=xr.DataArray(lat, dims="p"),
            longitude=xr.DataArray(lon, dims="p"),
        )
        np.testing.assert_allclose(got[WIND_U], peer.values, atol=1e-6, rtol=0)
