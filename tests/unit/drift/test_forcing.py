"""Forcing readers on small CF NetCDF files with analytic fields written by the tests."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from drift_helpers import T0

from littoral.drift import (
    ConstantForcing,
    ForcingSet,
    NetCDFForcing,
    ObservationSeries,
    PointSeed,
    run,
)
from littoral.drift.forcing.names import CURRENT_U, CURRENT_V, WIND_U, WIND_V
from littoral.errors import ForcingError, InputError

EPOCH = np.datetime64("2026-01-10T00:00:00", "ns")


def _u(lon, lat, hours):
    return 2.0 + 0.5 * (lon - 50.0) - 0.3 * (lat - 40.0) + 0.1 * hours


def _v(lon, lat, hours):
    return -1.0 + 0.2 * (lon - 50.0) + 0.4 * (lat - 40.0) - 0.05 * hours


def _write(
    path: Path,
    names: tuple[str, str],
    *,
    descending_lat: bool = False,
    time_name: str = "time",
    depth: bool = False,
    std_names: tuple[str, str] | None = None,
    hours: int = 72,
    lon_range: tuple[float, float] = (46.0, 55.0),
) -> Path:
    lon = np.arange(lon_range[0], lon_range[1] + 1e-9, 0.25)
    lat = np.arange(36.0, 47.01, 0.25)
    if descending_lat:
        lat = lat[::-1]
    h = np.arange(0, hours + 1, 3, dtype=float)
    H, LA, LO = np.meshgrid(h, lat, lon, indexing="ij")
    u, v = _u(LO, LA, H), _v(LO, LA, H)
    dims = (time_name, "latitude", "longitude")
    if depth:
        u, v = u[:, None], v[:, None]
        dims = (time_name, "depth", "latitude", "longitude")
    ds = xr.Dataset(
        {
            names[0]: (dims, u.astype(np.float32), {"units": "m s-1"}),
            names[1]: (dims, v.astype(np.float32), {"units": "m s-1"}),
        },
        coords={
            time_name: EPOCH + (h * 3600).astype("timedelta64[s]"),
            "latitude": ("latitude", lat, {"units": "degrees_north"}),
            "longitude": ("longitude", lon, {"units": "degrees_east"}),
            **({"depth": ("depth", [0.5])} if depth else {}),
        },
    )
    if std_names:
        ds[names[0]].attrs["standard_name"] = std_names[0]
        ds[names[1]].attrs["standard_name"] = std_names[1]
    ds.to_netcdf(path)
    return path


def test_era5_short_names_descending_latitude_interpolate_exactly(tmp_path: Path) -> None:
    f = NetCDFForcing(_write(tmp_path / "era5.nc", ("u10", "v10"), descending_lat=True,
                             time_name="valid_time"))  # fmt: skip
    assert f.variables == {WIND_U, WIND_V}
    rng = np.random.default_rng(1)
    lon = rng.uniform(47, 54, 50)
    lat = rng.uniform(37, 46, 50)
    when = datetime(2026, 1, 11, 7, 20, tzinfo=UTC)
    hours = (when - datetime(2026, 1, 10, tzinfo=UTC)).total_seconds() / 3600
    got = f.sample([WIND_U, WIND_V], when, lon, lat)
    np.testing.assert_allclose(got[WIND_U], _u(lon, lat, hours), atol=1e-5)
    np.testing.assert_allclose(got[WIND_V], _v(lon, lat, hours), atol=1e-5)


def test_cmems_with_depth_axis_and_standard_names(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "cmems.nc",
        ("current_e", "current_n"),
        depth=True,
        std_names=("eastward_sea_water_velocity", "northward_sea_water_velocity"),
    )
    f = NetCDFForcing(path)
    assert f.variables == {CURRENT_U, CURRENT_V}
    got = f.sample([CURRENT_V], datetime(2026, 1, 10, 3, tzinfo=UTC), np.array([51.1]),
                   np.array([41.3]))  # fmt: skip
    assert got[CURRENT_V][0] == pytest.approx(_v(51.1, 41.3, 3.0), abs=1e-5)
    ds = xr.open_dataset(path)
    assert ds["current_e"].dims[1] == "depth"  # the reader cut the surface level
    ds.close()


def test_missing_coverage_names_variable_place_and_time(tmp_path: Path) -> None:
    wind = NetCDFForcing(_write(tmp_path / "w.nc", ("u10", "v10"), hours=24))
    cur = ConstantForcing.from_observation(current=(90.0, 0.5))
    with pytest.raises(ForcingError, match=r"eastward_wind at 2026-01-12T06:00Z.*w\.nc"):
        ForcingSet([wind, cur]).resolve(
            (WIND_U, WIND_V), T0.timestamp(), (T0 + timedelta(hours=48)).timestamp(),
            np.array([51.0]), np.array([42.0]),
        )  # fmt: skip
    with pytest.raises(ForcingError, match=r"eastward_wind at 42\.000N 58\.000E"):
        run_request_at(58.0, 42.0, [wind, cur], hours=12)


def run_request_at(lon, lat, forcing, hours):
    from drift_helpers import request

    return run(request(seeding=PointSeed(lon, lat), forcing=forcing,
                       duration=timedelta(hours=hours)))  # fmt: skip


def test_priority_with_fallback(tmp_path: Path) -> None:
    small = NetCDFForcing(_write(tmp_path / "small.nc", ("u10", "v10"), lon_range=(46.0, 48.0)))
    fallback = ConstantForcing.from_observation(wind=(0.0, 20.0), current=(0.0, 0.0))
    fset = ForcingSet([small, fallback])
    t0 = T0.timestamp()
    at_47 = fset.resolve((WIND_U, WIND_V), t0, t0 + 3600, np.array([47.0]), np.array([40.0]))
    at_51 = fset.resolve((WIND_U, WIND_V), t0, t0 + 3600, np.array([51.0]), np.array([40.0]))
    assert at_47 is small
    assert at_51 is fallback
    assert fset.resolve((CURRENT_U, CURRENT_V), t0, t0, np.array([47.0]), np.array([40.0])) is (
        fallback
    )


def test_gridded_current_linear_in_time_is_integrated_exactly(tmp_path: Path, make_request) -> None:
    # u = 2 + 0.1 h (+ space terms) at a fixed point of a uniform-in-space file
    lon = np.array([40.0, 60.0])
    lat = np.array([30.0, 50.0])
    h = np.arange(0, 73, 6, dtype=float)
    data = np.zeros((h.size, 2, 2), dtype=np.float32)
    uo = data + (0.5 + 0.01 * h)[:, None, None]
    ds = xr.Dataset(
        {"uo": (("time", "lat", "lon"), uo), "vo": (("time", "lat", "lon"), data)},
        coords={"time": EPOCH + (h * 3600).astype("timedelta64[s]"), "lat": lat, "lon": lon},
    )
    ds.to_netcdf(tmp_path / "cur.nc")
    wind = ConstantForcing.from_observation(wind=(0.0, 0.0))
    res = run(make_request(forcing=[NetCDFForcing(tmp_path / "cur.nc"), wind],
                           time=datetime(2026, 1, 10, tzinfo=UTC), particles=3))  # fmt: skip
    t = 48 * 3600.0
    dist_m = 0.5 * t + 0.01 / 3600.0 * t * t / 2.0
    from drift_helpers import rhumb_destination

    lon1, _ = rhumb_destination(res.lon[0], res.lat[0], dist_m / t, 0.0, t)
    # u varies along the path only in time, so the rhumb of the mean speed is exact
    np.testing.assert_allclose(res.lon[-1], lon1, atol=1e-8)


def test_particles_leaving_the_grid_are_marked_not_raised(tmp_path: Path, make_request) -> None:
    small = NetCDFForcing(_write(tmp_path / "s.nc", ("uo", "vo"), lon_range=(50.0, 51.5)))
    wind = ConstantForcing.from_observation(wind=(0.0, 0.0))
    res = run(make_request(forcing=[small, wind], seeding=PointSeed(51.0, 42.0),
                           time=datetime(2026, 1, 10, tzinfo=UTC), particles=4))  # fmt: skip
    assert np.all(res.status[-1] == 3)  # OUT_OF_FORCING
    assert np.all(res.lon[-1] <= 51.5)


def test_observation_series_interpolates_components(tmp_path: Path) -> None:
    times = [T0, T0 + timedelta(hours=2)]
    obs = ObservationSeries("wind", times, [270.0, 270.0], [10.0, 20.0])
    got = obs.sample([WIND_U], T0 + timedelta(hours=1), np.array([50.0]), np.array([40.0]))
    assert got[WIND_U][0] == pytest.approx(15.0 * 1852 / 3600)
    with pytest.raises(ForcingError, match="eastward_wind at 2026-01-10T09:00Z"):
        obs.sample([WIND_U], T0 + timedelta(hours=3), np.array([50.0]), np.array([40.0]))
    csv = tmp_path / "wind.csv"
    csv.write_text("time,direction_deg,speed_kn\n# on scene\n2026-01-10T06:00Z,0,12\n"
                   "2026-01-10T12:00+00:00,45,14\n")  # fmt: skip
    series = ObservationSeries.from_csv("wind", csv)
    assert series.coverage(WIND_U).t_max_s == (T0 + timedelta(hours=6)).timestamp()
    csv.write_text("2026-01-10T06:00,0,12\n")
    with pytest.raises(InputError, match="naive"):
        ObservationSeries.from_csv("wind", csv)


def test_bad_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        NetCDFForcing(tmp_path / "none.nc")
    xr.Dataset(
        {"t2m": (("time", "lat", "lon"), np.zeros((1, 2, 2)))},
        coords={"time": [EPOCH], "lat": [1.0, 2.0], "lon": [1.0, 2.0]},
    ).to_netcdf(tmp_path / "t.nc")
    with pytest.raises(InputError, match="no wind, current"):
        NetCDFForcing(tmp_path / "t.nc")
