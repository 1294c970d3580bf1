"""Gridded forcing from CF NetCDF files (ERA5 wind, CMEMS currents and waves, ...).

The file is opened lazily with xarray: nothing but the coordinates is read until the engine
asks for a field, and then only the block covering the run's area and time span is read, a
few time steps at a time. Variables are found by CF ``standard_name`` first, then by the usual
short names (:data:`littoral.drift.forcing.names.ALIASES`). The grid must be regular in
longitude and latitude (either order of latitude; longitudes -180..180 or 0..360); a depth
axis is cut to its first (surface) level. Missing values (land cells of an ocean model) are set
to zero and counted in the field's provenance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from littoral.drift.forcing.base import Bbox, sample_reader
from littoral.drift.forcing.grid import Coverage, GridField
from littoral.drift.forcing.names import ALIASES
from littoral.errors import ForcingError, InputError

_SPEED_UNITS = {"m s-1", "m/s", "m s**-1", "m.s-1", "meter second-1", "m sec-1", "ms-1"}
_TIME_BLOCK = 24


def _find_coord(ds: Any, standard: str, names: tuple[str, ...], units: tuple[str, ...]) -> str:
    for name in ds.variables:
        var = ds.variables[name]
        named = var.attrs.get("standard_name") == standard or var.attrs.get("units") in units
        if named and var.ndim == 1:
            return str(name)
    for name in names:
        if name in ds.variables:
            return name
    raise InputError(f"no {standard} coordinate found (looked for {', '.join(names)})")


class NetCDFForcing:
    """A regular lon/lat CF NetCDF file of wind, current and/or Stokes drift.

    Parameters
    ----------
    path:
        The file.
    name:
        Provenance text; default ``"file NAME"``.
    """

    def __init__(self, path: str | Path, name: str | None = None) -> None:
        import xarray as xr

        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(f"forcing file {str(self.path)!r} does not exist")
        try:
            self._ds = xr.open_dataset(self.path, decode_times=True)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read forcing file {str(self.path)!r}: {exc}") from exc
        ds = self._ds
        self._name = name or f"file {self.path.name}"
        self._lon_name = _find_coord(ds, "longitude", ("longitude", "lon", "x"), ("degrees_east",))
        self._lat_name = _find_coord(ds, "latitude", ("latitude", "lat", "y"), ("degrees_north",))
        self._time_name = _find_coord(ds, "time", ("time", "valid_time"), ())
        lon = np.asarray(ds[self._lon_name].values, dtype=np.float64)
        lat = np.asarray(ds[self._lat_name].values, dtype=np.float64)
        for label, axis in (("longitude", lon), ("latitude", lat)):
            if axis.size > 1:
                d = np.diff(axis)
                if not np.allclose(d, d[0], rtol=1e-4, atol=1e-9) or d[0] == 0:
                    raise InputError(f"{self.path.name}: {label} axis is not regular")
        if (lon.size == 1) != (lat.size == 1):
            raise InputError(
                f"{self.path.name}: a grid of {lon.size} longitudes by {lat.size} latitudes "
                "is neither a single point nor a 2-D grid"
            )
        self._lon = lon
        self._lat = lat
        times = ds[self._time_name].values
        if not np.issubdtype(times.dtype, np.datetime64):
            raise InputError(f"{self.path.name}: time axis cannot be decoded to dates")
        self._t_s = times.astype("datetime64[ns]").astype(np.int64) / 1e9
        if self._t_s.size > 1 and np.any(np.diff(self._t_s) <= 0):
            raise InputError(f"{self.path.name}: times must increase")
        self._vars: dict[str, str] = {}
        for cf, aliases in ALIASES.items():
            found = None
            for vname in ds.data_vars:
                if ds[vname].attrs.get("standard_name") in aliases or (
                    ds[vname].attrs.get("standard_name") == cf
                ):
                    found = str(vname)
                    break
            if found is None:
                found = next((a for a in aliases if a in ds.data_vars), None)
            if found is not None:
                units = str(ds[found].attrs.get("units", "m s-1")).strip()
                if units not in _SPEED_UNITS:
                    raise InputError(
                        f"{self.path.name}: variable {found!r} has units {units!r}; need m/s"
                    )
                self._vars[cf] = found
        if not self._vars:
            raise InputError(f"{self.path.name}: no wind, current or Stokes drift variable found")

    def close(self) -> None:
        """Close the file."""
        self._ds.close()

    @property
    def name(self) -> str:
        """Provenance text."""
        return self._name

    @property
    def variables(self) -> frozenset[str]:
        """CF names provided."""
        return frozenset(self._vars)

    def _wrap(self, lon: float) -> float:
        if self._lon.max() > 180.0 and lon < 0:
            return lon + 360.0
        return lon

    def coverage(self, name: str) -> Coverage:
        """Return the grid's extent and time span."""
        lon_min, lon_max = float(self._lon.min()), float(self._lon.max())
        if lon_max > 180.0:
            lon_min, lon_max = (lon_min - 360.0, lon_max - 360.0) if lon_min > 180 else (-180, 180)
        return Coverage(
            lon_min=lon_min,
            lon_max=lon_max,
            lat_min=float(self._lat.min()),
            lat_max=float(self._lat.max()),
            t_min_s=float(self._t_s[0]),
            t_max_s=float(self._t_s[-1]),
        )

    def field(self, names: tuple[str, str], bbox: Bbox, t0_s: float, t1_s: float) -> GridField:
        """Read the block of ``names`` covering ``bbox`` and the time span."""
        for n in names:
            if n not in self._vars:
                raise ForcingError(f"{self._name} has no {n}")
        lon_min, lat_min, lon_max, lat_max = bbox
        lo_x, hi_x = self._wrap(lon_min), self._wrap(lon_max)
        ix = _index_span(self._lon, min(lo_x, hi_x), max(lo_x, hi_x))
        iy = _index_span(self._lat, lat_min, lat_max)
        lo_t, hi_t = min(t0_s, t1_s), max(t0_s, t1_s)
        it = _index_span(self._t_s, lo_t, hi_t)
        lon = self._lon[ix[0] : ix[1]]
        lat = self._lat[iy[0] : iy[1]]
        nt = it[1] - it[0]
        data = np.empty((nt, lat.size, lon.size, 2), dtype=np.float32)
        for c, n in enumerate(names):
            var = self._ds[self._vars[n]]
            extra = [
                d for d in var.dims if d not in (self._time_name, self._lat_name, self._lon_name)
            ]
            if extra:
                var = var.isel({d: 0 for d in extra})
            var = var.transpose(self._time_name, self._lat_name, self._lon_name)
            for k0 in range(it[0], it[1], _TIME_BLOCK):
                k1 = min(k0 + _TIME_BLOCK, it[1])
                block = var.isel(
                    {
                        self._time_name: slice(k0, k1),
                        self._lat_name: slice(iy[0], iy[1]),
                        self._lon_name: slice(ix[0], ix[1]),
                    }
                ).values
                data[k0 - it[0] : k1 - it[0], :, :, c] = block
        filled = int(np.count_nonzero(~np.isfinite(data)))
        if filled:
            data[~np.isfinite(data)] = 0.0
        if lat.size > 1 and lat[1] < lat[0]:
            lat = lat[::-1]
            data = data[:, ::-1]
        if self._lon.max() > 180.0:
            lon = np.where(lon > 180.0, lon - 360.0, lon)
        return GridField(
            names=names,
            times_s=self._t_s[it[0] : it[1]].astype(np.float64),
            lon=np.ascontiguousarray(lon, dtype=np.float64),
            lat=np.ascontiguousarray(lat, dtype=np.float64),
            data=np.ascontiguousarray(data),
            source=f"{self._name} ({self._vars[names[0]]}, {self._vars[names[1]]})",
            filled_cells=filled,
        )

    def sample(
        self,
        names: Sequence[str],
        time: datetime,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> dict[str, npt.NDArray[np.float64]]:
        """Values at points, bilinear in space and linear in time."""
        return sample_reader(self, names, time, lon, lat)


def _index_span(axis: npt.NDArray[np.float64], lo: float, hi: float) -> tuple[int, int]:
    """Slice bounds of ``axis`` (either order) holding ``[lo, hi]`` plus one point each side."""
    if axis.size == 1:
        return 0, 1
    inside = np.flatnonzero((axis >= lo) & (axis <= hi))
    if inside.size == 0:
        # The span falls between two grid points: take the points around it.
        k = int(np.argmin(np.abs(axis - 0.5 * (lo + hi))))
        return max(k - 1, 0), min(k + 2, axis.size)
    return max(int(inside[0]) - 1, 0), min(int(inside[-1]) + 2, axis.size)
