"""Each reader layout against xarray's own interpolation (to 1e-6 m/s) on files written here.

Layouts: ERA5 new CDS (NetCDF-4), ERA5 old CDS (NetCDF-3, packed int16), ERA5 with an
``expver`` axis, ERA5 GRIB1, GRIB2 one message per step (GFS and ICON centres), ECMWF open
data (a directory of one GRIB2 file per step), CMEMS-style currents with depth and land,
a curvilinear (ROMS-like) grid with its own land mask, and 0..360 longitudes. Every file is
opened by content (:func:`littoral.drift.forcing.open_forcing`), never by name: the files
have no or misleading extensions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from forcing_files import (
    LAT_DESC,
    LON,
    RUN,
    analysis_messages,
    era5_new_cds,
    era5_old_cds_packed,
    forecast_messages,
    grids,
    times,
    u_field,
    v_field,
    write_grib,
)

from littoral.drift.forcing import GribForcing, GriddedForcing, NetCDFForcing, open_forcing
from littoral.drift.forcing.names import CURRENT_U, CURRENT_V, WIND_U, WIND_V

ATOL = 1e-6
WHEN = RUN + timedelta(hours=7, minutes=20)


def _points(seed: int = 3, n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(47.0, 54.0, n), rng.uniform(37.5, 45.5, n)


def _peer(da: xr.DataArray, time_dim: str, when: datetime, lon, lat, **names: str):
    x, y = names.get("x", "longitude"), names.get("y", "latitude")
    t = np.datetime64(when.replace(tzinfo=None), "ns")
    out = da.interp({time_dim: t, x: xr.DataArray(lon, dims="p"), y: xr.DataArray(lat, dims="p")})
    return np.asarray(out.values, dtype=np.float64)


def _compare(reader, ds: xr.Dataset, u: str, v: str, time_dim: str, when=WHEN, **names):
    lon, lat = _points()
    got = reader.sample([WIND_U, WIND_V], when, lon, lat)
    np.testing.assert_allclose(got[WIND_U], _peer(ds[u], time_dim, when, lon, lat, **names),
                               atol=ATOL, rtol=0)  # fmt: skip
    np.testing.assert_allclose(got[WIND_V], _peer(ds[v], time_dim, when, lon, lat, **names),
                               atol=ATOL, rtol=0)  # fmt: skip
    # and both near the analytic field (interpolation error only)
    hours = (when - RUN).total_seconds() / 3600
    assert np.max(np.abs(got[WIND_U] - u_field(lon, lat, hours))) < 0.05


def test_era5_new_cds_netcdf4(tmp_path: Path) -> None:
    path = era5_new_cds(tmp_path / "era5_download")  # no extension
    reader = open_forcing(str(path), "wind")
    assert isinstance(reader, NetCDFForcing)
    with xr.open_dataset(path) as ds:
        _compare(reader, ds, "u10", "v10", "valid_time")


def test_era5_old_cds_packed_netcdf3(tmp_path: Path) -> None:
    path = era5_old_cds_packed(tmp_path / "era5.grib")  # a misleading extension
    with xr.open_dataset(path) as raw:
        assert raw["u10"].encoding["dtype"] == np.int16
    reader = open_forcing(str(path), "wind")
    assert isinstance(reader, NetCDFForcing)
    with xr.open_dataset(path) as ds:
        _compare(reader, ds, "u10", "v10", "time")


def test_era5_expver_slices_are_merged(tmp_path: Path) -> None:
    path = era5_old_cds_packed(tmp_path / "era5_expver.nc", expver_split=30)
    reader = open_forcing(str(path), "wind")
    with xr.open_dataset(path) as ds:
        merged = ds.sel(expver=1).combine_first(ds.sel(expver=5))
        for when in (WHEN, RUN + timedelta(hours=29, minutes=30), RUN + timedelta(hours=41)):
            _compare(reader, merged, "u10", "v10", "time", when=when)
    # the block the engine reads has no hole and no zero-filled cell
    fld = reader.field((WIND_U, WIND_V), (47.0, 38.0, 53.0, 45.0), RUN.timestamp(),
                       (RUN + timedelta(hours=48)).timestamp())  # fmt: skip
    assert np.isfinite(fld.data).all()
    assert fld.filled_cells == 0
    assert fld.gap_cells == 0


def test_era5_grib1(tmp_path: Path) -> None:
    path = write_grib(tmp_path / "era5.nc", analysis_messages(range(0, 25)), edition=1,
                      centre="ecmf")  # fmt: skip
    reader = open_forcing(str(path), "wind")
    assert isinstance(reader, GribForcing)
    with xr.open_dataset(path, engine="cfgrib", backend_kwargs={"indexpath": ""}) as ds:
        _compare(reader, ds, "u10", "v10", "time")


@pytest.mark.parametrize("centre", ["kwbc", "edzw"])  # GFS, ICON
def test_grib2_one_message_per_step(tmp_path: Path, centre: str) -> None:
    path = write_grib(tmp_path / f"{centre}.bin", forecast_messages(range(0, 25, 3)), edition=2,
                      centre=centre)  # fmt: skip
    reader = open_forcing(str(path), "wind")
    with xr.open_dataset(path, engine="cfgrib", backend_kwargs={"indexpath": ""}) as ds:
        ds = ds.swap_dims({"step": "valid_time"})
        _compare(reader, ds, "u10", "v10", "valid_time")


def test_ecmwf_open_data_directory_is_one_series(tmp_path: Path) -> None:
    folder = tmp_path / "ifs_oper"
    folder.mkdir()
    for step in range(0, 25, 3):
        f = folder / f"20260110000000-{step}h-oper-fc.grib2"
        msgs = [m for m in forecast_messages([step])]
        write_grib(f, msgs, edition=2, centre="ecmf")
        # the open-data files hold other parameters too (2 m temperature, a surface field)
        temp = np.full((LAT_DESC.size, LON.size), 280.0)
        from forcing_files import Message

        write_grib(f, [Message("2t", RUN, step, temp)], edition=2, centre="ecmf", mode="ab")
    reader = open_forcing(str(folder), "wind")
    glob_reader = open_forcing(str(folder / "*-oper-fc.grib2"), "wind")
    assert reader.coverage(WIND_U).t_max_s == (RUN + timedelta(hours=24)).timestamp()
    parts = [
        xr.open_dataset(
            f,
            engine="cfgrib",
            backend_kwargs={
                "indexpath": "",
                "filter_by_keys": {"typeOfLevel": "heightAboveGround"},
            },
        )
        for f in sorted(folder.iterdir())
    ]
    ds = xr.concat([p.expand_dims("valid_time").drop_vars(["step", "time"]) for p in parts],
                   dim="valid_time").sortby("valid_time")  # fmt: skip
    _compare(reader, ds, "u10", "v10", "valid_time")
    _compare(glob_reader, ds, "u10", "v10", "valid_time")
    # a reader travels to Dask workers by pickle and reads the same there
    import pickle

    copy = pickle.loads(pickle.dumps(reader))
    span = (RUN.timestamp(), (RUN + timedelta(hours=9)).timestamp())
    a = reader.field((WIND_U, WIND_V), (48.0, 39.0, 52.0, 43.0), *span)
    b = copy.field((WIND_U, WIND_V), (48.0, 39.0, 52.0, 43.0), *span)
    np.testing.assert_array_equal(a.data, b.data)


def _cmems(path: Path) -> Path:
    hours = list(range(0, 49, 1))
    u, v = grids(LON, LAT_DESC[::-1], hours)
    land = np.zeros(u.shape[1:], dtype=bool)
    land[:6, :8] = True  # a corner of land (NaN at all times)
    u[:, land] = np.nan
    v[:, land] = np.nan
    dims = ("time", "depth", "latitude", "longitude")
    ds = xr.Dataset(
        {
            "uo": (dims, u[:, None].astype(np.float32),
                   {"units": "m s-1", "standard_name": "eastward_sea_water_velocity"}),
            "vo": (dims, v[:, None].astype(np.float32),
                   {"units": "m s-1", "standard_name": "northward_sea_water_velocity"}),
        },
        coords={"time": times(hours), "depth": ("depth", [0.494], {"positive": "down"}),
                "latitude": ("latitude", LAT_DESC[::-1], {"units": "degrees_north"}),
                "longitude": ("longitude", LON, {"units": "degrees_east"})},
    )  # fmt: skip
    ds.to_netcdf(path)
    return path


def test_cmems_currents_with_depth_and_land(tmp_path: Path) -> None:
    path = _cmems(tmp_path / "cmems")
    reader = open_forcing(str(path), "current")
    lon, lat = _points()
    got = reader.sample([CURRENT_U, CURRENT_V], WHEN, lon, lat)
    with xr.open_dataset(path) as ds:
        surface = ds.isel(depth=0)
        np.testing.assert_allclose(got[CURRENT_U], _peer(surface["uo"], "time", WHEN, lon, lat),
                                   atol=ATOL, rtol=0)  # fmt: skip
        np.testing.assert_allclose(got[CURRENT_V], _peer(surface["vo"], "time", WHEN, lon, lat),
                                   atol=ATOL, rtol=0)  # fmt: skip
    fld = reader.field((CURRENT_U, CURRENT_V), (46.0, 36.0, 55.0, 47.0), RUN.timestamp(),
                       (RUN + timedelta(hours=24)).timestamp())  # fmt: skip
    assert fld.filled_cells == 6 * 8 * fld.times_s.size * 2  # land is zero, counted
    assert fld.gap_cells == 0


def _curvilinear(path: Path) -> tuple[Path, np.ndarray]:
    # An affine (rotated, stretched) ROMS-like grid: lon = 46 + 0.2 i + 0.05 j,
    # lat = 36 - 0.04 i + 0.18 j, so the fractional indices of a point are known exactly.
    ny, nx = 60, 50
    j, i = np.mgrid[0:ny, 0:nx].astype(float)
    lon = 46.0 + 0.2 * i + 0.05 * j
    lat = 36.0 - 0.04 * i + 0.18 * j
    hours = list(range(0, 25, 2))
    u = np.stack([u_field(lon, lat, h) for h in hours])
    v = np.stack([v_field(lon, lat, h) for h in hours])
    mask = np.ones((ny, nx))
    mask[50:, 40:] = 0.0  # land in a corner
    u[:, mask == 0] = np.nan
    v[:, mask == 0] = np.nan
    # ROMS writes levels from the bottom (s_rho = -1) up to the surface (s_rho near 0):
    # the surface is the last level; the one below it holds other values.
    u = np.stack([u * 0.5, u], axis=1)
    v = np.stack([v * 0.5, v], axis=1)
    dims = ("ocean_time", "s_rho", "eta_rho", "xi_rho")
    ds = xr.Dataset(
        {
            "u_eastward": (dims, u, {"units": "m s-1",
                                     "standard_name": "eastward_sea_water_velocity"}),
            "v_northward": (dims, v, {"units": "m s-1",
                                      "standard_name": "northward_sea_water_velocity"}),
            "mask_rho": (("eta_rho", "xi_rho"), mask),
        },
        coords={"ocean_time": times(hours),
                "s_rho": ("s_rho", [-0.75, -0.25], {"positive": "up"}),
                "lon_rho": (("eta_rho", "xi_rho"), lon, {"units": "degree_east",
                                                         "standard_name": "longitude"}),
                "lat_rho": (("eta_rho", "xi_rho"), lat, {"units": "degree_north",
                                                         "standard_name": "latitude"})},
    )  # fmt: skip
    ds.to_netcdf(path)
    return path, mask


def test_curvilinear_grid_in_index_space(tmp_path: Path) -> None:
    path, _ = _curvilinear(tmp_path / "roms_his")
    reader = open_forcing(str(path), "current")
    assert isinstance(reader, GriddedForcing)
    assert reader.layout.curvilinear
    assert reader.layout.land is not None
    assert reader.layout.land.sum() == 10 * 10
    rng = np.random.default_rng(5)
    fi, fj = rng.uniform(1, 38, 40), rng.uniform(1, 48, 40)
    lon = 46.0 + 0.2 * fi + 0.05 * fj
    lat = 36.0 - 0.04 * fi + 0.18 * fj
    got = reader.sample([CURRENT_U, CURRENT_V], WHEN, lon, lat)
    with xr.open_dataset(path) as ds:
        idx = ds.isel(s_rho=-1).assign_coords(eta_rho=np.arange(60.0), xi_rho=np.arange(50.0))
        for cf, var in ((CURRENT_U, "u_eastward"), (CURRENT_V, "v_northward")):
            peer = _peer(idx[var], "ocean_time", WHEN, fi, fj, x="xi_rho", y="eta_rho")
            np.testing.assert_allclose(got[cf], peer, atol=ATOL, rtol=0)
    # the regular resampling the kernel reads agrees with the direct interpolation to the
    # interpolation error of a field this smooth on a grid this fine
    from littoral.drift.forcing.grid import sample_field

    fld = reader.field((CURRENT_U, CURRENT_V), (47.0, 38.0, 52.0, 44.0), RUN.timestamp(),
                       (RUN + timedelta(hours=12)).timestamp())  # fmt: skip
    ok = (lon > 47.5) & (lon < 51.5) & (lat > 38.5) & (lat < 43.5)
    u_reg, _ = sample_field(fld, WHEN.timestamp(), lon[ok], lat[ok])
    assert np.max(np.abs(u_reg - got[CURRENT_U][ok])) < 0.02
    # far from the model's land, nothing was zeroed inside the grid
    assert fld.gap_cells == 0


def test_longitudes_0_to_360(tmp_path: Path) -> None:
    lon360 = np.arange(0.0, 360.0, 1.0)
    lat = np.arange(30.0, 50.01, 1.0)
    hours = list(range(0, 25, 6))
    u, v = grids(lon360, lat, hours)
    dims = ("time", "lat", "lon")
    ds = xr.Dataset(
        {"u10": (dims, u, {"units": "m s-1"}), "v10": (dims, v, {"units": "m s-1"})},
        coords={"time": times(hours), "lat": ("lat", lat, {"units": "degrees_north"}),
                "lon": ("lon", lon360, {"units": "degrees_east"})},
    )  # fmt: skip
    path = tmp_path / "gfs_global.nc"
    ds.to_netcdf(path)
    reader = open_forcing(str(path), "wind")
    lon = np.array([50.3, 47.9, -10.5, -0.25])
    latp = np.array([40.2, 44.4, 35.5, 41.0])
    got = reader.sample([WIND_U, WIND_V], WHEN, lon, latp)
    peer = _peer(ds["u10"], "time", WHEN, np.where(lon < 0, lon + 360, lon), latp, x="lon",
                 y="lat")  # fmt: skip
    np.testing.assert_allclose(got[WIND_U][:3], peer[:3], atol=ATOL, rtol=0)
    # across the 0/360 seam, where xarray cannot interpolate, against the field itself
    hours = (WHEN - RUN).total_seconds() / 3600
    assert got[WIND_U][3] == pytest.approx(u_field(-0.25, 41.0, hours), abs=0.01)
    assert reader.coverage(WIND_U).lon_min == -180


def test_unknown_content_is_refused_naming_the_file(tmp_path: Path) -> None:
    from littoral.errors import InputError

    bad = tmp_path / "wind.nc"
    bad.write_bytes(b"\x00\x01\x02\x03" + bytes(range(200)))
    with pytest.raises(InputError, match=r"wind\.nc.*not GRIB, NetCDF .* or CSV"):
        open_forcing(str(bad), "wind")
    zipped = tmp_path / "era5.nc"
    zipped.write_bytes(b"PK\x03\x04" + bytes(range(100)))
    with pytest.raises(InputError, match=r"ZIP archive.*unpack it"):
        open_forcing(str(zipped), "wind")
    with pytest.raises(InputError, match="matches no file"):
        open_forcing(str(tmp_path / "none-*.grib2"), "wind")


def test_expver_prefers_final_era5_where_both_have_values(tmp_path: Path) -> None:
    hours = list(range(0, 13))
    u, v = grids(LON, LAT_DESC, hours)
    era5t = np.where(np.asarray(hours)[:, None, None] >= 6, u + 1.0, np.nan)  # overlap 6..12
    final = np.where(np.asarray(hours)[:, None, None] <= 9, u, np.nan)
    dims = ("time", "expver", "latitude", "longitude")
    path = tmp_path / "era5_mixed"
    xr.Dataset(
        {"u10": (dims, np.stack([era5t, final], 1), {"units": "m s-1"}),
         "v10": (dims, np.stack([v, v], 1), {"units": "m s-1"})},
        coords={"time": times(hours), "expver": ["0005", "0001"],  # ERA5T stored first
                "latitude": LAT_DESC, "longitude": LON},
    ).to_netcdf(path)  # fmt: skip
    reader = open_forcing(str(path), "wind")
    fld = reader.field((WIND_U, WIND_V), (48.0, 39.0, 52.0, 43.0), RUN.timestamp(),
                       (RUN + timedelta(hours=12)).timestamp())  # fmt: skip
    at = {h: float(fld.data[h, 10, 10, 0]) for h in (3, 8, 11)}
    lat_j = LAT_DESC[::-1][np.argmin(np.abs(LAT_DESC[::-1] - fld.lat[10]))]
    lon_i = fld.lon[10]
    truth = {h: float(u_field(lon_i, lat_j, h)) for h in at}
    assert at[3] == pytest.approx(truth[3], abs=1e-5)  # final only
    assert at[8] == pytest.approx(truth[8], abs=1e-5)  # both: final wins
    assert at[11] == pytest.approx(truth[11] + 1.0, abs=1e-5)  # ERA5T only
