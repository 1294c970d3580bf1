"""No silent gaps, holding past the end, and the explicit current choice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from forcing_files import LAT_DESC, LON, RUN, era5_old_cds_packed, grids, times

from littoral.cli.main import main
from littoral.drift import ConstantForcing, PointSeed, read_netcdf, run
from littoral.drift.forcing import HoldLast, open_forcing
from littoral.drift.forcing.choice import ForcingChoice, build_readers
from littoral.drift.forcing.names import CURRENT, CURRENT_U, CURRENT_V, WIND, WIND_U, WIND_V
from littoral.drift.forcing.windcurrent import IAMSAR_RULE, WindDrivenCurrent
from littoral.errors import ForcingError, InputError

BBOX = (48.0, 39.0, 53.0, 44.0)
T0_S = RUN.timestamp()
T24_S = (RUN + timedelta(hours=24)).timestamp()


def _wind_with_hole(path: Path) -> Path:
    hours = list(range(0, 25))
    u, v = grids(LON, LAT_DESC, hours)
    u[10, 20, 15] = np.nan  # one missing value at 10:00, at LAT_DESC[20], LON[15]
    dims = ("time", "latitude", "longitude")
    xr.Dataset(
        {"u10": (dims, u, {"units": "m s-1"}), "v10": (dims, v, {"units": "m s-1"})},
        coords={"time": times(hours), "latitude": ("latitude", LAT_DESC),
                "longitude": ("longitude", LON)},
    ).to_netcdf(path)  # fmt: skip
    return path


def test_a_gap_refuses_naming_variable_place_and_time(tmp_path: Path) -> None:
    path = _wind_with_hole(tmp_path / "gfs.nc")
    reader = open_forcing(str(path), "wind")
    where = f"{LAT_DESC[20]:.3f}N {LON[15]:.3f}E"
    with pytest.raises(ForcingError, match=rf"eastward_wind is missing at {where} on "
                                           r"2026-01-10T10:00Z.*--fill"):  # fmt: skip
        reader.field(WIND, BBOX, T0_S, T24_S)


def test_cli_fill_is_printed_and_stored(tmp_path: Path, capsys) -> None:
    path = _wind_with_hole(tmp_path / "gfs_with_hole")
    out = tmp_path / "case.nc"
    argv = ["drift", "run", "--object", "PIW-1", "--lat", "41.0", "--lon", "50.0", "--time",
            "2026-01-10T00:00Z", "--duration", "12h", "--particles", "20", "--no-coast",
            "--quiet", "--wind-file", str(path), "--current-from", "none",
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 2
    assert "eastward_wind is missing at" in capsys.readouterr().err
    assert main([*argv, "--fill", "hold"]) == 0
    assert "gaps: hold (1 gap values filled)" in capsys.readouterr().out
    res = read_netcdf(out)
    assert res.attrs["forcing_fill"] == "hold"
    assert res.attrs["forcing_gap_cells_filled"] == "1"
    assert res.attrs["current_choice"].startswith("none")


@pytest.mark.parametrize("fill", ["nearest", "hold", "zero"])
def test_explicit_fill_is_applied_and_recorded(tmp_path: Path, fill: str) -> None:
    path = _wind_with_hole(tmp_path / "gfs.nc")
    fld = open_forcing(str(path), "wind", fill=fill).field(WIND, BBOX, T0_S, T24_S)
    assert fld.gap_cells == 1
    assert f"gaps filled: {fill}" in fld.source
    assert np.isfinite(fld.data).all()
    with xr.open_dataset(path) as ds:
        value = ds["u10"].isel(time=10, latitude=20, longitude=15)
        nearby = {
            "nearest": ds["u10"].isel(time=10, latitude=slice(19, 22), longitude=slice(14, 17)),
            "hold": ds["u10"].isel(time=9, latitude=20, longitude=15),
        }
        assert np.isnan(float(value))
        k = int(np.argmin(np.abs(fld.times_s - (T0_S + 10 * 3600))))
        j = int(np.argmin(np.abs(fld.lat - LAT_DESC[20])))
        i = int(np.argmin(np.abs(fld.lon - LON[15])))
        got = float(fld.data[k, j, i, 0])
        if fill == "zero":
            assert got == 0.0
        elif fill == "hold":
            assert got == pytest.approx(float(nearby["hold"]), abs=1e-6)
        else:
            assert np.any(np.isclose(nearby["nearest"].values, got, atol=1e-6))


def test_hold_last_past_the_end_or_refuse(tmp_path: Path, make_request) -> None:
    path = era5_old_cds_packed(tmp_path / "era5.nc", hours=list(range(0, 13)))
    current = ConstantForcing.from_observation(current=(90.0, 0.5))
    req = make_request(forcing=[open_forcing(str(path), "wind"), current], time=RUN,
                       duration=timedelta(hours=24), seeding=PointSeed(50.0, 41.0))  # fmt: skip
    with pytest.raises(ForcingError, match=r"no eastward_wind at 2026-01-11T00:00Z.*--hold-last"):
        run(req)
    held = HoldLast(open_forcing(str(path), "wind"))
    fld = held.field(WIND, BBOX, T0_S, T24_S)
    assert fld.times_s[-1] == T24_S
    np.testing.assert_array_equal(fld.data[-1], fld.data[-2])
    assert "last field (2026-01-10T12:00Z) held to 2026-01-11T00:00Z" in fld.source
    res = run(make_request(forcing=[held, current], time=RUN, duration=timedelta(hours=24),
                           seeding=PointSeed(50.0, 41.0)))  # fmt: skip
    assert "held to" in res.attrs["forcing_wind"]


def test_wind_driven_current_follows_the_iamsar_rule() -> None:
    wind = ConstantForcing.from_observation(wind=(270.0, 20.0))  # from the west: blows east
    cur = WindDrivenCurrent(wind)
    got = cur.sample(list(CURRENT), RUN, np.array([50.0]), np.array([40.0]))
    w = wind.sample([WIND_U, WIND_V], RUN, np.array([50.0]), np.array([40.0]))
    assert got[CURRENT_U][0] == pytest.approx(IAMSAR_RULE.factor * w[WIND_U][0])
    assert got[CURRENT_V][0] == pytest.approx(0.0, abs=1e-12)
    assert "IAMSAR" in cur.name


def test_the_current_must_be_chosen_explicitly(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"--current-from wind .*--current-from none"):
        build_readers(ForcingChoice(wind=(0.0, 20.0)))
    with pytest.raises(InputError, match="not both"):
        build_readers(ForcingChoice(wind=(0.0, 20.0), current=(0.0, 1.0), current_from="none"))
    none = build_readers(ForcingChoice(wind=(0.0, 20.0), current_from="none"))
    assert none.attrs["current_choice"].startswith("none")
    by_wind = build_readers(ForcingChoice(wind=(0.0, 20.0), current_from="wind"))
    assert "IAMSAR" in by_wind.attrs["current_choice"]


def test_cli_grib_without_extension_wind_current_and_summary(tmp_path: Path, capsys) -> None:
    from forcing_files import forecast_messages, write_grib

    grib = write_grib(tmp_path / "icon_download", forecast_messages(range(0, 13, 1)), edition=2,
                      centre="edzw")  # fmt: skip
    out = tmp_path / "case.nc"
    base = ["drift", "run", "--object", "PIW-1", "--lat", "41.0", "--lon", "51.0", "--time",
            "2026-01-10T00:00Z", "--duration", "12h", "--particles", "100", "--no-coast",
            "--quiet", "--wind-file", str(grib), "--out", str(out)]  # fmt: skip
    assert main(base) == 2
    assert "--current-from wind" in capsys.readouterr().err
    assert main([*base, "--current-from", "wind", "--duration", "18h"]) == 2
    assert "--hold-last" in capsys.readouterr().err
    assert main([*base, "--current-from", "wind", "--duration", "18h", "--hold-last"]) == 0
    printed = capsys.readouterr().out
    assert "current: wind-driven" in printed
    assert "past the end: hold the last field" in printed
    res = read_netcdf(out)
    assert "IAMSAR" in res.attrs["current_choice"]
    assert res.attrs["forcing_fill"].startswith("none")
    assert res.attrs["forcing_hold_last"] == "hold the last field"
    assert "GRIB icon_download" in res.attrs["forcing_wind"]


def test_expver_file_drifts_as_the_merged_series(tmp_path: Path, make_request) -> None:
    # The case that used to get zero wind after 30 h: an ERA5 file mixing final ERA5 and
    # ERA5T on an expver axis drifts exactly as the same data on one axis.
    mixed = era5_old_cds_packed(tmp_path / "era5_expver", expver_split=30)
    with xr.open_dataset(mixed) as ds:
        merged = ds.sel(expver=1, drop=True).combine_first(ds.sel(expver=5, drop=True))
        merged.to_netcdf(tmp_path / "era5_merged")
    current = ConstantForcing.from_observation(current=(0.0, 0.0))
    results = [
        run(
            make_request(
                forcing=[open_forcing(str(tmp_path / name), "wind"), current],
                time=RUN,
                duration=timedelta(hours=48),
                particles=50,
                seeding=PointSeed(50.5, 41.5, 1000.0),
            )
        )
        for name in ("era5_expver", "era5_merged")
    ]
    np.testing.assert_allclose(results[0].lon, results[1].lon, atol=1e-6)
    np.testing.assert_allclose(results[0].lat, results[1].lat, atol=1e-6)
    assert results[0].attrs["forcing_filled_cells"] == "0"
    moved_late = np.abs(results[0].lon[-1] - results[0].lon[30]).mean()
    assert moved_late > 0.05  # the wind still blows after 30 h


def test_a_gap_refuses_only_where_the_cloud_can_be_by_then(tmp_path: Path, make_request) -> None:
    # One value missing at 01:00, at 42.000N 49.750E. By then a cloud seeded 100 km south
    # cannot be there (3 m/s for an hour is 11 km, plus a grid cell for the interpolation);
    # one seeded 33 km south can.
    hours = list(range(0, 25))
    u, v = grids(LON, LAT_DESC, hours)
    u[1, 20, 15] = np.nan
    dims = ("time", "latitude", "longitude")
    path = tmp_path / "wind"
    xr.Dataset(
        {"u10": (dims, u, {"units": "m s-1"}), "v10": (dims, v, {"units": "m s-1"})},
        coords={"time": times(hours), "latitude": LAT_DESC, "longitude": LON},
    ).to_netcdf(path)  # fmt: skip
    current = ConstantForcing.from_observation(current=(0.0, 0.0))

    def drift(lat: float):
        return run(make_request(forcing=[open_forcing(str(path), "wind"), current], time=RUN,
                                duration=timedelta(hours=12), particles=20,
                                seeding=PointSeed(49.75, lat)))  # fmt: skip

    far = drift(41.1)
    assert "1 missing values beyond the cloud's reach set to zero" in far.attrs["forcing_wind"]
    with pytest.raises(ForcingError, match=r"missing at 42\.000N 49\.750E on 2026-01-10T01:00Z"):
        drift(41.7)
