"""How a gridded forcing dataset is laid out: its axes, variables, members and land mask.

The data centres deliver the same quantities in many layouts. :func:`describe` looks at an
(unloaded) xarray dataset once and records what the reader needs: the names of the time,
latitude and longitude axes (1-D for a regular grid, 2-D for a curvilinear one), the variable
of each CF quantity, an ensemble member axis (ECMWF ENS ``number``), an ERA5 ``expver`` axis
(final ERA5 and ERA5T, each missing where the other has data, merged by the reader), other
axes (a vertical axis is cut to the level nearest the surface) and the model's own land mask
if it has one (ROMS ``mask_rho``, NEMO ``tmask``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from littoral.drift.forcing.names import ALIASES
from littoral.errors import InputError

SPEED_UNITS = frozenset(
    {"m s-1", "m/s", "m s**-1", "m.s-1", "meter second-1", "m sec-1", "ms-1", "m s^-1"}
)
_LON_NAMES = ("longitude", "lon", "nav_lon", "lon_rho", "x", "glamt")
_LAT_NAMES = ("latitude", "lat", "nav_lat", "lat_rho", "y", "gphit")
_TIME_NAMES = ("time", "valid_time", "ocean_time", "time_counter", "t")
_MEMBER_NAMES = ("number", "member", "realization", "ensemble_member")
_MASK_NAMES = ("mask_rho", "mask", "tmask", "land_mask", "lsm_ocean")


@dataclass(frozen=True, kw_only=True, slots=True)
class Layout:
    """The axes and variables of one gridded dataset.

    Attributes
    ----------
    time, y, x:
        Dimension names of time, latitude (rows) and longitude (columns).
    lon, lat:
        Coordinates: 1-D ``(nx,)`` and ``(ny,)`` on a regular grid, 2-D ``(ny, nx)`` on a
        curvilinear one.
    times_s:
        Epoch seconds of the time axis, increasing.
    variables:
        CF name -> variable name in the dataset.
    member:
        Ensemble member dimension, or ``None``.
    n_members:
        Number of ensemble members (1 without a member axis).
    expver:
        ERA5 experiment-version dimension (merged when read), or ``None``.
    land:
        The model's own land mask (true on land), shape ``(ny, nx)``, or ``None``.
    """

    time: str
    y: str
    x: str
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    times_s: npt.NDArray[np.float64]
    variables: dict[str, str]
    member: str | None
    n_members: int
    expver: str | None
    land: npt.NDArray[np.bool_] | None

    @property
    def curvilinear(self) -> bool:
        """True if longitude and latitude are 2-D arrays."""
        return self.lon.ndim == 2

    @property
    def wraps_360(self) -> bool:
        """True if the longitudes run 0..360 (beyond 180)."""
        return bool(np.nanmax(self.lon) > 180.0)


def _coord(ds: Any, standard: str, names: tuple[str, ...], units: tuple[str, ...]) -> str:
    for name in ds.variables:
        var = ds.variables[name]
        named = var.attrs.get("standard_name") == standard or var.attrs.get("units") in units
        if named and var.ndim in (1, 2):
            return str(name)
    for name in names:
        if name in ds.variables:
            return name
    raise InputError(f"no {standard} coordinate found (looked for {', '.join(names)})")


def _time_coord(ds: Any, label: str) -> str:
    for name in _TIME_NAMES:
        if name in ds.dims and name in ds.variables:
            return name
    for name in ds.variables:
        var = ds.variables[name]
        if var.ndim == 1 and var.dims[0] == name and np.issubdtype(var.dtype, np.datetime64):
            return str(name)
    raise InputError(f"{label}: no time axis found (looked for {', '.join(_TIME_NAMES)})")


def _variables(ds: Any, label: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for cf, aliases in ALIASES.items():
        name = None
        for vname in ds.data_vars:
            if ds[vname].attrs.get("standard_name") in aliases:
                name = str(vname)
                break
        if name is None:
            name = next((a for a in aliases if a in ds.data_vars), None)
        if name is None:
            continue
        units = str(ds[name].attrs.get("units", "m s-1")).strip()
        if units not in SPEED_UNITS:
            raise InputError(f"{label}: variable {name!r} has units {units!r}; need m/s")
        found[cf] = name
    if not found:
        raise InputError(f"{label}: no wind, current or Stokes drift variable found")
    return found


def _check_regular(axis: npt.NDArray[np.float64], what: str, label: str) -> None:
    if axis.size > 1:
        d = np.diff(axis)
        if d[0] == 0 or not np.allclose(d, d[0], rtol=1e-4, atol=1e-9):
            raise InputError(f"{label}: {what} axis is not regular")


def _land_mask(ds: Any, y: str, x: str) -> npt.NDArray[np.bool_] | None:
    for name in _MASK_NAMES:
        if name in ds.variables:
            var = ds[name]
            keep = [d for d in var.dims if d not in (y, x)]
            if keep:
                var = var.isel({d: 0 for d in keep})
            if set(var.dims) != {y, x}:
                continue
            water = np.asarray(var.transpose(y, x).values, dtype=np.float64)
            return np.asarray(~(water > 0.5), dtype=np.bool_)
    return None


def describe(ds: Any, label: str) -> Layout:
    """Describe the layout of ``ds`` (an xarray Dataset, not loaded).

    Raises
    ------
    InputError
        Naming the file and what it lacks: a coordinate, the time axis, a known variable, or
        m/s units; or an irregular 1-D axis.
    """
    variables = _variables(ds, label)
    lon_name = _coord(ds, "longitude", _LON_NAMES, ("degrees_east", "degree_east"))
    lat_name = _coord(ds, "latitude", _LAT_NAMES, ("degrees_north", "degree_north"))
    time = _time_coord(ds, label)
    lon = np.asarray(ds[lon_name].values, dtype=np.float64)
    lat = np.asarray(ds[lat_name].values, dtype=np.float64)
    if lon.ndim != lat.ndim or lon.ndim not in (1, 2):
        raise InputError(f"{label}: longitude and latitude must both be 1-D or both 2-D")
    if lon.ndim == 1:
        x, y = ds[lon_name].dims[0], ds[lat_name].dims[0]
        _check_regular(lon, "longitude", label)
        _check_regular(lat, "latitude", label)
        if (lon.size == 1) != (lat.size == 1):
            raise InputError(
                f"{label}: a grid of {lon.size} longitudes by {lat.size} latitudes "
                "is neither a single point nor a 2-D grid"
            )
    else:
        y, x = ds[lon_name].dims
        if lon.shape != lat.shape:
            raise InputError(f"{label}: 2-D longitude and latitude differ in shape")
    times = ds[time].values
    if not np.issubdtype(times.dtype, np.datetime64):
        raise InputError(f"{label}: time axis cannot be decoded to dates")
    t_s = times.astype("datetime64[ns]").astype(np.int64) / 1e9
    if t_s.size > 1 and np.any(np.diff(t_s) <= 0):
        raise InputError(f"{label}: times must increase")
    some = ds[next(iter(variables.values()))]
    member = next((d for d in _MEMBER_NAMES if d in some.dims), None)
    expver = "expver" if "expver" in some.dims else None
    return Layout(
        time=time,
        y=str(y),
        x=str(x),
        lon=lon,
        lat=lat,
        times_s=np.asarray(t_s, dtype=np.float64),
        variables=variables,
        member=member,
        n_members=int(some.sizes[member]) if member else 1,
        expver=expver,
        land=_land_mask(ds, str(y), str(x)),
    )
