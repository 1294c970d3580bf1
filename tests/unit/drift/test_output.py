"""Output written while the kernel computes: the same file, track and density as afterwards."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from littoral.cli.main import main
from littoral.drift import ConstantForcing, PointSeed, read_netcdf, run
from littoral.drift.output import CentroidTrack, DensityWriter, TrajectoryWriter
from littoral.drift.summary import centroid
from littoral.errors import InputError


def _coast_request(make_request, **kw):
    # Toward the Baku shore with a release window: NaN before release and after stranding.
    forcing = [ConstantForcing.from_observation(wind=(60.0, 40.0), current=(250.0, 1.5))]
    base = {"seeding": PointSeed(50.0, 40.15, 3000.0), "forcing": forcing, "coast": True,
            "particles": 600, "duration": timedelta(hours=24),
            "release_end": make_request().time + timedelta(hours=5)}  # fmt: skip
    base.update(kw)
    return make_request(**base)


def test_streamed_file_equals_the_file_written_after(tmp_path: Path, make_request) -> None:
    req = _coast_request(make_request)
    full = run(req)
    full.to_netcdf(tmp_path / "after.nc")
    track = CentroidTrack()
    kept = run(req, sinks=[TrajectoryWriter(tmp_path / "during.nc"), track], keep=[0, -1])
    assert kept.n_times == 2
    np.testing.assert_array_equal(kept.lon, full.lon[[0, -1]])
    np.testing.assert_array_equal(kept.status, full.status[[0, -1]])
    assert (full.status[-1] == 1).sum() > 100  # stranding happened
    with xr.open_dataset(tmp_path / "during.nc") as a, xr.open_dataset(tmp_path / "after.nc") as b:
        for name in ("lon", "lat", "status", "weight", "time"):
            np.testing.assert_array_equal(a[name].values, b[name].values)
        np.testing.assert_array_equal(a["seed_lon"].values, b["seed_lon"].values)
    back = read_netcdf(tmp_path / "during.nc")
    np.testing.assert_allclose(back.lon, full.lon, rtol=0, atol=4e-6)
    np.testing.assert_array_equal(back.status, full.status)
    for k in (0, 3, full.n_times - 1):
        c = centroid(full, k)
        assert c is not None
        assert track.lon[k] == pytest.approx(c[0], abs=1e-12)
        assert track.lat[k] == pytest.approx(c[1], abs=1e-12)


def test_density_grids_sum_to_one_over_released(tmp_path: Path, make_request) -> None:
    req = _coast_request(make_request)
    full = run(req, sinks=[DensityWriter(tmp_path / "d.nc", cell_m=500.0)])
    with xr.open_dataset(tmp_path / "d.nc") as ds:
        prob = ds["probability"].values
        assert prob.shape[0] == full.n_times
        released = (full.status == 0) | (full.status == 1)
        np.testing.assert_allclose(ds["released"].values, released.mean(axis=1), atol=1e-6)
        sums = prob.sum(axis=(1, 2))
        np.testing.assert_allclose(sums[released.any(axis=1)], 1.0, atol=1e-5)
        # the centre of mass of the grid is the cloud's centroid, to half a cell
        k = full.n_times - 1
        lon_c = float((prob[k].sum(axis=0) * ds["lon"].values).sum())
        c = centroid(full, k)
        assert c is not None
        assert abs(lon_c - c[0]) < 0.5 * 500 / 111_000 / np.cos(np.radians(40.15)) + 1e-3
        for name, var in ds.variables.items():
            assert "long_name" in var.attrs, name


def test_keep_outside_the_run_is_refused(make_request) -> None:
    with pytest.raises(InputError, match="keep"):
        run(make_request(duration=timedelta(hours=2)), keep=[5])


def test_cli_density_without_trajectories(tmp_path: Path, capsys) -> None:
    rc = main(["drift", "run", "--object", "PIW-1", "--lat", "41.0", "--lon", "51.0",
               "--time", "2026-01-10T06:00Z", "--radius-m", "500", "--duration", "12h",
               "--output-step", "1h",
               "--wind", "340/25", "--current", "160/0.6", "--particles", "500",
               "--density", str(tmp_path / "d.nc"), "--geojson", str(tmp_path / "c.geojson"),
               "--quiet"])  # fmt: skip
    assert rc == 0
    assert "wrote" in capsys.readouterr().out
    with xr.open_dataset(tmp_path / "d.nc") as ds:
        assert ds["probability"].shape[0] == 13
    assert main(["drift", "run", "--object", "PIW-1", "--lat", "41.0", "--lon", "51.0",
                 "--time", "2026-01-10T06:00Z", "--wind", "340/25", "--current", "160/0.6",
                 "--quiet"]) == 2  # fmt: skip
    assert "nothing to write" in capsys.readouterr().err
