from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from littoral.drift.result import DriftResult, ParticleStatus, read_netcdf
from littoral.errors import InputError


def _result(n_t: int = 5, n_p: int = 7) -> DriftResult:
    rng = np.random.default_rng(3)
    times = np.datetime64("2026-01-10T06:00:00", "s") + np.arange(n_t) * np.timedelta64(3600, "s")
    lon = 50.0 + rng.normal(0, 0.1, (n_t, n_p))
    lat = 41.0 + rng.normal(0, 0.1, (n_t, n_p))
    status = rng.integers(0, 4, (n_t, n_p)).astype(np.int8)
    weight = np.full(n_p, 1.0 / n_p)
    return DriftResult(
        times,
        lon,
        lat,
        status,
        weight,
        seed=42,
        object_class="PIW-1",
        attrs={"forcing_wind": "constant 0/20 kn", "odd key!": "kept"},
    )


def test_round_trip_is_exact(tmp_path: Path) -> None:
    res = _result()
    path = tmp_path / "case.nc"
    res.to_netcdf(path)
    back = read_netcdf(path)
    np.testing.assert_array_equal(back.times, res.times)
    np.testing.assert_array_equal(back.lon, res.lon)
    np.testing.assert_array_equal(back.lat, res.lat)
    np.testing.assert_array_equal(back.status, res.status)
    np.testing.assert_array_equal(back.weight, res.weight)
    assert back.seed == 42
    assert back.object_class == "PIW-1"
    assert back.attrs == res.attrs


def test_file_is_cf_trajectory_readable_by_xarray(tmp_path: Path) -> None:
    res = _result()
    path = tmp_path / "case.nc"
    res.to_netcdf(path)
    with xr.open_dataset(path) as ds:
        assert ds.attrs["Conventions"] == "CF-1.11"
        assert ds.attrs["featureType"] == "trajectory"
        assert ds.attrs["object_class"] == "PIW-1"
        assert int(ds.attrs["seed"]) == 42
        assert ds["lon"].dims == ("trajectory", "time")
        # data variables, not coordinates: OpenDrift's and trajan's readers need them so
        assert "lon" in ds.data_vars
        assert "lat" in ds.data_vars
        assert ds["trajectory"].attrs["cf_role"] == "trajectory_id"
        assert ds["lat"].attrs["standard_name"] == "latitude"
        assert ds["time"].values[0] == np.datetime64("2026-01-10T06:00:00", "ns")
        meanings = ds["status"].attrs["flag_meanings"].split()
        assert meanings[ParticleStatus.STRANDED] == "stranded"
        np.testing.assert_allclose(ds["lon"].values.T, res.lon)


def test_missing_or_foreign_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_netcdf(tmp_path / "nope.nc")
    xr.Dataset({"a": ("x", np.arange(3))}).to_netcdf(tmp_path / "other.nc")
    with pytest.raises(InputError, match="not a trajectory"):
        read_netcdf(tmp_path / "other.nc")
