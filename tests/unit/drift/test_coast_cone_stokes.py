"""The coast's "previous" action, cone seeding and Stokes drift from a wave file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from drift_helpers import T0

from littoral.cli.main import main
from littoral.drift import ConeSeed, ConstantForcing, ParticleStatus, PointSeed, read_netcdf, run
from littoral.errors import InputError
from littoral.geo import CaspianSea
from littoral.units import EARTH_RADIUS_M


def test_previous_coast_keeps_particles_afloat_in_water(make_request) -> None:
    # Toward the Baku shore: with stranding most strand; with "previous" none does, and
    # every particle is still in the water.
    forcing = [ConstantForcing.from_observation(wind=(60.0, 60.0), current=(250.0, 1.5))]
    kw = {"seeding": PointSeed(50.0, 40.15, 3000.0), "forcing": forcing, "coast": True,
          "particles": 400, "duration": timedelta(hours=24)}  # fmt: skip
    stranding = run(make_request(**kw))
    previous = run(make_request(coast_action="previous", **kw))
    assert (stranding.status[-1] == ParticleStatus.STRANDED).mean() > 0.5
    assert np.all(previous.status[-1] == ParticleStatus.ACTIVE)
    sea = CaspianSea.load()
    for k in range(previous.n_times):
        assert sea.contains_water(previous.lon[k], previous.lat[k]).all()
    assert "previous" in previous.attrs["coast"]
    with pytest.raises(InputError, match="coast_action='bounce'"):
        make_request(coast_action="bounce")


def test_cone_moves_position_and_radius_over_the_window() -> None:
    cone = ConeSeed(50.0, 41.0, 200.0, 51.0, 41.5, 3000.0)
    n = 20_000
    frac = np.linspace(0.0, 1.0, n)
    lon, lat = cone.positions(n, frac, np.random.default_rng(5))
    # residuals about the cone's axis (nearly straight in lon/lat over a degree)
    north_m = np.radians(lat - (41.0 + 0.5 * frac)) * EARTH_RADIUS_M
    early, late = slice(0, n // 50), slice(n - n // 50, n)
    assert np.mean(lon[early]) == pytest.approx(50.0, abs=0.02)
    assert np.mean(lon[late]) == pytest.approx(51.0, abs=0.02)
    assert np.std(north_m[early]) == pytest.approx(200.0 + 0.01 * 2800, rel=0.15)
    assert np.std(north_m[late]) == pytest.approx(3000.0 - 0.01 * 2800, rel=0.1)
    with pytest.raises(InputError, match="radius1_m=-1"):
        ConeSeed(50.0, 41.0, 1.0, 51.0, 41.5, -1.0).positions(
            3, np.zeros(3), np.random.default_rng()
        )


def _stokes_file(path: Path, u_ms: float) -> None:
    times = np.datetime64(T0.replace(tzinfo=None), "s") + np.arange(-1, 8) * np.timedelta64(
        3 * 3600, "s"
    )
    lon = np.arange(49.0, 54.01, 0.5)
    lat = np.arange(39.0, 45.01, 0.5)
    shape = (times.size, lat.size, lon.size)
    xr.Dataset(
        {"ust": (("time", "latitude", "longitude"), np.full(shape, u_ms, np.float32),
                 {"units": "m s**-1"}),
         "vst": (("time", "latitude", "longitude"), np.zeros(shape, np.float32),
                 {"units": "m s**-1"})},
        coords={"time": times, "latitude": lat, "longitude": lon},
    ).to_netcdf(path)  # fmt: skip


def test_cli_stokes_file_adds_the_wave_drift(tmp_path: Path) -> None:
    _stokes_file(tmp_path / "waves.nc", 0.2)
    common = ["drift", "run", "--object", "PIW-1", "--lat", "42.0", "--lon", "51.0",
              "--time", "2026-01-10T06:00Z", "--duration", "12h", "--wind", "0/0",
              "--current", "0/0", "--particles", "50", "--jibe", "0", "--no-coast",
              "--quiet"]  # fmt: skip
    assert main([*common, "--out", str(tmp_path / "calm.nc")]) == 0
    assert main([*common, "--stokes-file", str(tmp_path / "waves.nc"),
                 "--out", str(tmp_path / "waves-on.nc")]) == 0  # fmt: skip
    calm, waves = read_netcdf(tmp_path / "calm.nc"), read_netcdf(tmp_path / "waves-on.nc")
    east_m = np.radians(waves.lon[-1] - calm.lon[-1]) * EARTH_RADIUS_M * np.cos(np.radians(42.0))
    np.testing.assert_allclose(east_m, 0.2 * 12 * 3600, rtol=1e-3)
    np.testing.assert_allclose(waves.lat[-1], calm.lat[-1], atol=1e-6)
    assert "waves.nc" in waves.attrs["forcing_stokes"]


def test_cli_cone_and_previous_coast(tmp_path: Path, capsys) -> None:
    rc = main(["drift", "run", "--object", "PIW-1", "--lat", "42.0", "--lon", "51.0",
               "--radius-m", "100", "--cone-to", "42.2,51.3,2000",
               "--time", "2026-01-10T06:00Z", "--release-end", "2026-01-10T12:00Z",
               "--duration", "12h", "--wind", "0/0", "--current", "0/0", "--particles", "400",
               "--coast", "previous", "--out", str(tmp_path / "cone.nc"), "--quiet"])  # fmt: skip
    assert rc == 0
    res = read_netcdf(tmp_path / "cone.nc")
    assert "ConeSeed" in res.attrs["seeding"]
    assert res.lat[-1].max() > 42.15  # the cone reached its end
    with pytest.raises(SystemExit) as exit_info:  # a cone end without its radius
        main(["drift", "run", "--object", "PIW-1", "--lat", "42.0", "--lon", "51.0",
              "--cone-to", "42.2,51.3", "--time", "2026-01-10T06:00Z", "--wind", "0/0",
              "--current", "0/0", "--out", str(tmp_path / "x.nc"), "--quiet"])  # fmt: skip
    assert exit_info.value.code == 2
    assert "--cone-to" in capsys.readouterr().err
