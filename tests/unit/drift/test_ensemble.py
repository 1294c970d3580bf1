"""Ensembles: particles spread over members; Dask distributed equals in-process."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from forcing_files import LAT_DESC, LON, RUN, grids, times

from littoral.cli.main import main
from littoral.drift import ConstantForcing, PointSeed, read_netcdf, run
from littoral.drift.ensemble import member_requests, run_ensemble
from littoral.drift.forcing import open_forcing
from littoral.drift.forcing.members import MemberFiles
from littoral.errors import ForcingError, InputError


def _ens(path: Path, members: int = 3) -> Path:
    """An ENS-like NetCDF file: ``number`` axis, each member a different wind."""
    hours = list(range(0, 25, 3))
    u, v = grids(LON, LAT_DESC, hours)
    scale = 1.0 + 0.5 * np.arange(members)[:, None, None, None]
    dims = ("number", "valid_time", "latitude", "longitude")
    xr.Dataset(
        {"u10": (dims, (u[None] * scale).astype(np.float32), {"units": "m s-1"}),
         "v10": (dims, (v[None] * scale).astype(np.float32), {"units": "m s-1"})},
        coords={"number": np.arange(members), "valid_time": times(hours),
                "latitude": LAT_DESC, "longitude": LON},
    ).to_netcdf(path)  # fmt: skip
    return path


def _request(make_request, wind, particles: int = 301, seed: int = 11):
    current = ConstantForcing.from_observation(current=(90.0, 0.3))
    return make_request(forcing=[wind, current], time=RUN, duration=timedelta(hours=12),
                        seeding=PointSeed(50.5, 41.0, 2000.0), particles=particles,
                        seed=seed)  # fmt: skip


def test_member_axis_spreads_particles_and_members_differ(tmp_path: Path, make_request) -> None:
    wind = open_forcing(str(_ens(tmp_path / "ens.nc")), "wind")
    req = _request(make_request, wind)
    with pytest.raises(ForcingError, match="3 ensemble members"):
        run(req)
    plan = member_requests(req)
    assert [r.particles for r in plan] == [101, 100, 100]
    assert len({r.seed for r in plan}) == 3
    (res,) = run_ensemble([req])
    assert res.n_particles == 301
    assert res.weight.sum() == pytest.approx(1.0)
    assert res.attrs["ensemble_members"] == "3"
    assert res.seed == 11
    # the stronger members carry their particles further east-north-east
    lon_end = res.lon[-1]
    means = [lon_end[:101].mean(), lon_end[101:201].mean(), lon_end[201:].mean()]
    assert means[0] < means[1] < means[2]
    # each member equals its own plain run
    alone = run(plan[1])
    np.testing.assert_array_equal(res.lon[:, 101:201], alone.lon)


def test_several_files_are_members(tmp_path: Path, make_request) -> None:
    path = _ens(tmp_path / "ens.nc", members=2)
    files = []
    with xr.open_dataset(path) as ds:
        for k in range(2):
            f = tmp_path / f"member{k}"
            ds.isel(number=k, drop=True).to_netcdf(f)
            files.append(open_forcing(str(f), "wind"))
    (from_files,) = run_ensemble([_request(make_request, MemberFiles(files), particles=40)])
    (from_axis,) = run_ensemble([_request(make_request, open_forcing(str(path), "wind"),
                                          particles=40)])  # fmt: skip
    np.testing.assert_array_equal(from_files.lon, from_axis.lon)
    with pytest.raises(InputError, match="at least two"):
        MemberFiles(files[:1])


@pytest.mark.slow
def test_dask_distributed_equals_in_process(tmp_path: Path, make_request) -> None:
    from distributed import Client, LocalCluster

    wind = open_forcing(str(_ens(tmp_path / "ens.nc", members=2)), "wind")
    base = _request(make_request, wind, particles=60, seed=5)
    scenarios = [base, replace(base, object_class="LIFE-RAFT-DB-11", seed=6)]
    here = run_ensemble(scenarios)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        there = run_ensemble(scenarios, client=client)
        # the command line, with the scheduler's address, the wind's members and the
        # wind-driven current of each member, held past the forecast's end
        out = tmp_path / "cli.nc"
        argv = ["drift", "run", "--object", "PIW-1", "--lat", "41.0", "--lon", "50.5",
                "--time", "2026-01-10T00:00Z", "--duration", "30h", "--particles", "40",
                "--no-coast", "--quiet", "--seed", "4", "--wind-file", str(tmp_path / "ens.nc"),
                "--current-from", "wind", "--hold-last", "--out", str(out)]  # fmt: skip
        assert main([*argv, "--dask", cluster.scheduler_address]) == 0
        on_cluster = read_netcdf(out)
    assert main(argv) == 0
    in_process = read_netcdf(out)
    np.testing.assert_array_equal(on_cluster.lon, in_process.lon)
    assert on_cluster.attrs["ensemble_members"] == "2"
    assert "held to" in on_cluster.attrs["forcing_current"]
    assert len(there) == 2
    for a, b in zip(here, there, strict=True):
        np.testing.assert_array_equal(a.lon, b.lon)
        np.testing.assert_array_equal(a.lat, b.lat)
        np.testing.assert_array_equal(a.status, b.status)
        assert a.attrs["ensemble_member_seeds"] == b.attrs["ensemble_member_seeds"]
    assert here[1].object_class == "LIFE-RAFT-DB-11"


def test_grib_ens_number_axis_is_the_member_axis(tmp_path: Path, make_request) -> None:
    from forcing_files import forecast_messages, write_grib

    msgs = [m for k in range(3) for m in forecast_messages(range(0, 13, 3), number=k + 1)]
    path = write_grib(tmp_path / "ens_10uv", msgs, edition=2, centre="ecmf")
    wind = open_forcing(str(path), "wind")
    assert wind.n_members == 3  # type: ignore[attr-defined]
    (res,) = run_ensemble([_request(make_request, wind, particles=30)])
    assert res.attrs["ensemble_members"] == "3"
    assert "member 2" in res.attrs["forcing_wind"]
