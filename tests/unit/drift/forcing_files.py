"""Forcing files written by the tests, in the layouts the data centres deliver.

GRIB messages are made with the ecCodes Python API from its own sample templates
(``regular_ll_sfc_grib1``/``regular_ll_sfc_grib2``), NetCDF files with xarray. Fields are
smooth but not linear, so that interpolation is really tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import xarray as xr

RUN = datetime(2026, 1, 10, 0, tzinfo=UTC)
LON = np.arange(46.0, 55.01, 0.25)
LAT_DESC = np.arange(47.0, 35.99, -0.25)


def u_field(lon: np.ndarray, lat: np.ndarray, hours: float) -> np.ndarray:
    return 3.0 + 2.0 * np.sin(np.radians(20.0 * lon)) * np.cos(np.radians(15.0 * lat)) + 0.1 * hours


def v_field(lon: np.ndarray, lat: np.ndarray, hours: float) -> np.ndarray:
    return -1.0 + 1.5 * np.cos(np.radians(25.0 * lon + 10.0 * lat)) - 0.05 * hours


def grids(lon: np.ndarray, lat: np.ndarray, hours: Sequence[float]) -> tuple[np.ndarray, ...]:
    lo, la = np.meshgrid(lon, lat)
    u = np.stack([u_field(lo, la, h) for h in hours])
    v = np.stack([v_field(lo, la, h) for h in hours])
    return u, v


@dataclass(frozen=True)
class Message:
    short_name: str
    run: datetime
    step_h: int
    values: np.ndarray  # (nlat, nlon) in the lat order of the grid
    number: int | None = None


def write_grib(
    path: Path,
    messages: Sequence[Message],
    *,
    edition: int,
    centre: str,
    lon: np.ndarray = LON,
    lat: np.ndarray = LAT_DESC,
    mode: str = "wb",
) -> Path:
    import eccodes

    with path.open(mode) as fh:
        for m in messages:
            h = eccodes.codes_grib_new_from_samples(f"regular_ll_sfc_grib{edition}")
            try:
                eccodes.codes_set(h, "centre", centre)
                eccodes.codes_set(h, "Ni", lon.size)
                eccodes.codes_set(h, "Nj", lat.size)
                eccodes.codes_set(h, "latitudeOfFirstGridPointInDegrees", float(lat[0]))
                eccodes.codes_set(h, "latitudeOfLastGridPointInDegrees", float(lat[-1]))
                eccodes.codes_set(h, "longitudeOfFirstGridPointInDegrees", float(lon[0]))
                eccodes.codes_set(h, "longitudeOfLastGridPointInDegrees", float(lon[-1]))
                eccodes.codes_set(h, "iDirectionIncrementInDegrees", float(abs(lon[1] - lon[0])))
                eccodes.codes_set(h, "jDirectionIncrementInDegrees", float(abs(lat[1] - lat[0])))
                eccodes.codes_set(h, "jScansPositively", int(lat[1] > lat[0]))
                if edition == 2 and m.short_name in ("10u", "10v"):
                    eccodes.codes_set(h, "typeOfFirstFixedSurface", 103)
                    eccodes.codes_set(h, "scaleFactorOfFirstFixedSurface", 0)
                    eccodes.codes_set(h, "scaledValueOfFirstFixedSurface", 10)
                if m.number is not None and edition == 2:
                    eccodes.codes_set(h, "productDefinitionTemplateNumber", 1)
                    eccodes.codes_set(h, "perturbationNumber", m.number)
                    eccodes.codes_set(h, "numberOfForecastsInEnsemble", 50)
                eccodes.codes_set(h, "shortName", m.short_name)
                eccodes.codes_set(h, "dataDate", int(m.run.strftime("%Y%m%d")))
                eccodes.codes_set(h, "dataTime", int(m.run.strftime("%H%M")))
                eccodes.codes_set(h, "stepRange", str(m.step_h))
                eccodes.codes_set(h, "bitsPerValue", 24)
                eccodes.codes_set_values(h, np.asarray(m.values, dtype=float).ravel())
                eccodes.codes_write(h, fh)
            finally:
                eccodes.codes_release(h)
    return path


def forecast_messages(steps_h: Sequence[int], number: int | None = None) -> list[Message]:
    u, v = grids(LON, LAT_DESC, steps_h)
    out = []
    for k, s in enumerate(steps_h):
        out.append(Message("10u", RUN, s, u[k], number))
        out.append(Message("10v", RUN, s, v[k], number))
    return out


def analysis_messages(hours: Sequence[int]) -> list[Message]:
    u, v = grids(LON, LAT_DESC, hours)
    out = []
    for k, h in enumerate(hours):
        when = RUN + timedelta(hours=h)
        out.append(Message("10u", when, 0, u[k]))
        out.append(Message("10v", when, 0, v[k]))
    return out


def times(hours: Sequence[float]) -> np.ndarray:
    base = np.datetime64(RUN.replace(tzinfo=None), "ns")
    return base + (np.asarray(hours) * 3600).astype("timedelta64[s]")


def era5_new_cds(path: Path, hours: Sequence[int] = tuple(range(0, 49, 1))) -> Path:
    """ERA5 from the new CDS: NetCDF-4, valid_time, descending latitude, expver a coordinate."""
    u, v = grids(LON, LAT_DESC, hours)
    dims = ("valid_time", "latitude", "longitude")
    ds = xr.Dataset(
        {
            "u10": (dims, u.astype(np.float32), {"units": "m s**-1", "GRIB_shortName": "10u"}),
            "v10": (dims, v.astype(np.float32), {"units": "m s**-1", "GRIB_shortName": "10v"}),
        },
        coords={
            "valid_time": times(hours),
            "latitude": ("latitude", LAT_DESC, {"units": "degrees_north"}),
            "longitude": ("longitude", LON, {"units": "degrees_east"}),
            "number": 0,
            "expver": ("valid_time", np.array(["0001"] * len(hours))),
        },
    )
    ds.to_netcdf(path, format="NETCDF4")
    return path


def era5_old_cds_packed(
    path: Path, hours: Sequence[int] = tuple(range(0, 49, 1)), *, expver_split: int | None = None
) -> Path:
    """ERA5 from the old CDS: NetCDF-3, packed int16, hours since 1900; optional expver axis.

    With ``expver_split`` the file has an ``expver`` axis (1, 5): final ERA5 before that
    hour, ERA5T from it on, each missing where the other has data.
    """
    u, v = grids(LON, LAT_DESC, hours)
    dims: tuple[str, ...] = ("time", "latitude", "longitude")
    coords: dict[str, object] = {
        "time": times(hours),
        "latitude": ("latitude", LAT_DESC.astype(np.float32), {"units": "degrees_north"}),
        "longitude": ("longitude", LON.astype(np.float32), {"units": "degrees_east"}),
    }
    if expver_split is not None:
        h = np.asarray(hours)[:, None, None]
        early, late = h < expver_split, h >= expver_split
        u = np.stack([np.where(early, u, np.nan), np.where(late, u, np.nan)], 1)
        v = np.stack([np.where(early, v, np.nan), np.where(late, v, np.nan)], 1)
        dims = ("time", "expver", "latitude", "longitude")
        coords["expver"] = ("expver", np.array([1, 5], dtype=np.int32))
    ds = xr.Dataset(
        {
            "u10": (dims, u, {"units": "m s**-1", "long_name": "10 metre U wind component"}),
            "v10": (dims, v, {"units": "m s**-1", "long_name": "10 metre V wind component"}),
        },
        coords=coords,
    )
    enc: dict[str, dict[str, object]] = {
        "time": {"units": "hours since 1900-01-01 00:00:00.0", "dtype": "int32"}
    }
    for name in ("u10", "v10"):
        a = ds[name].values
        lo, hi = float(np.nanmin(a)), float(np.nanmax(a))
        enc[name] = {"dtype": "int16", "scale_factor": (hi - lo) / (2**16 - 4),
                     "add_offset": (hi + lo) / 2, "_FillValue": np.int16(-32767)}  # fmt: skip
    ds.to_netcdf(path, format="NETCDF3_64BIT", encoding=enc)
    return path
