from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from littoral.drift.result import DriftResult, ParticleStatus, read_netcdf
from littoral.errors import InputError


def _result(n_t: int = 5, n_p: int = 7) -> DriftResult:
    # A physical history: particles 0-1 released late, 2-3 strand, 4 leaves the forcing.
    rng = np.random.default_rng(3)
    times = np.datetime64("2026-01-10T06:00:00", "s") + np.arange(n_t) * np.timedelta64(3600, "s")
    lon = 50.0 + np.cumsum(rng.normal(0, 0.1, (n_t, n_p)), axis=0)
    lat = 41.0 + np.cumsum(rng.normal(0, 0.1, (n_t, n_p)), axis=0)
    status = np.full((n_t, n_p), ParticleStatus.ACTIVE, dtype=np.int8)
    status[:2, :2] = ParticleStatus.NOT_RELEASED
    lon[:2, :2] = lon[2, :2]  # waiting at the seed position
    lat[:2, :2] = lat[2, :2]
    for p, k, code in ((2, 1, ParticleStatus.STRANDED), (3, 0, ParticleStatus.STRANDED),
                       (4, 3, ParticleStatus.OUT_OF_FORCING)):  # fmt: skip
        status[k:, p] = code
        lon[k:, p] = lon[k, p]
        lat[k:, p] = lat[k, p]
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


def test_round_trip_to_float32(tmp_path: Path) -> None:
    res = _result()
    path = tmp_path / "case.nc"
    res.to_netcdf(path)
    back = read_netcdf(path)
    np.testing.assert_array_equal(back.times, res.times)
    # float32 positions: 4e-6 degrees (0.4 m) at the Caspian
    np.testing.assert_allclose(back.lon, res.lon, rtol=0, atol=4e-6)
    np.testing.assert_allclose(back.lat, res.lat, rtol=0, atol=4e-6)
    np.testing.assert_array_equal(back.status, res.status)
    np.testing.assert_array_equal(back.weight, res.weight)
    assert back.seed == 42
    assert back.object_class == "PIW-1"
    assert back.attrs == res.attrs


def test_positions_are_nan_before_release_and_after_deactivation(tmp_path: Path) -> None:
    res = _result()
    res.to_netcdf(tmp_path / "case.nc")
    with xr.open_dataset(tmp_path / "case.nc") as ds:
        lon = ds["lon"].values  # (trajectory, time)
        assert ds["lon"].dtype == np.float32
        assert np.isnan(lon[:2, :2]).all()  # not yet released
        assert np.isfinite(lon[:2, 2:]).all()
        assert np.isfinite(lon[2, :2]).all()  # stranded at output 1: recorded there,
        assert np.isnan(lon[2, 2:]).all()  # then no more
        assert np.isfinite(lon[3, 0])
        assert np.isnan(lon[3, 1:]).all()
        assert np.isfinite(lon[4, :4]).all()
        assert np.isnan(lon[4, 4])
        assert np.isfinite(lon[5:]).all()
        for name, var in ds.variables.items():
            assert "long_name" in var.attrs, name
            assert "_FillValue" in var.encoding, name
        assert ds.attrs["opendrift_class"] == "Leeway"
        assert ds.attrs["opendrift_module"] == "opendrift.models.leeway"


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
        kept = np.isfinite(ds["lon"].values.T)
        np.testing.assert_allclose(ds["lon"].values.T[kept], res.lon[kept], atol=4e-6)


def test_missing_or_foreign_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_netcdf(tmp_path / "nope.nc")
    xr.Dataset({"a": ("x", np.arange(3))}).to_netcdf(tmp_path / "other.nc")
    with pytest.raises(InputError, match="not a trajectory"):
        read_netcdf(tmp_path / "other.nc")
