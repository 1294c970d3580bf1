"""Gridded forcing read lazily from an xarray dataset (NetCDF, OPeNDAP or GRIB).

:class:`GriddedForcing` holds an unloaded dataset and its :class:`~.layout.Layout`. Nothing
but the coordinates is read until the engine asks for a field; then only the block covering
the run's area and time span is read, a few time steps at a time. On the way:

- an ERA5 ``expver`` axis is merged: at each time and cell the lowest experiment version
  that has a value is taken (final ERA5, 0001, before ERA5T, 0005, in whatever order the
  file stores them), so a file that mixes the two gives one complete series;
- a vertical axis is cut to the level nearest the surface (the first depth of CMEMS and
  NEMO, the last ``s_rho`` of ROMS); any other extra axis to its first index;
- packed integers (``scale_factor``/``add_offset``) and ``_FillValue`` are decoded by
  xarray; descending latitudes are flipped; longitudes 0..360 are given as -180..180;
- missing values are settled by :func:`~.gaps.settle`: land becomes zero, a gap refuses the
  run unless a fill was chosen;
- on a curvilinear grid the block is resampled to a regular grid
  (:mod:`~.curvilinear`);
- an ensemble member axis must be resolved: :meth:`GriddedForcing.member` picks one, and
  :func:`littoral.drift.ensemble.run_ensemble` spreads the particles over all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from littoral.clock import require_utc
from littoral.drift.forcing.base import Bbox, sample_reader
from littoral.drift.forcing.curvilinear import IndexMap, bilinear_index
from littoral.drift.forcing.gaps import Settled, check_fill, settle
from littoral.drift.forcing.grid import Coverage, GridField, Reach, epoch_s
from littoral.drift.forcing.layout import Layout, describe
from littoral.errors import ForcingError, InputError

_TIME_BLOCK = 24


class GriddedForcing:
    """Wind, current and/or Stokes drift on a regular or curvilinear grid.

    Parameters
    ----------
    ds:
        The dataset, opened lazily (xarray).
    label:
        Short text naming the source in messages (a file name, a URL).
    name:
        Provenance text; default ``"file LABEL"``.
    fill:
        How to fill gaps: ``None`` (refuse), ``"nearest"``, ``"hold"`` or ``"zero"``.
    """

    def __init__(
        self, ds: Any, *, label: str, name: str | None = None, fill: str | None = None
    ) -> None:
        self._ds = ds
        self._label = label
        self._name = name or f"file {label}"
        self._fill = check_fill(fill)
        self.layout: Layout = describe(ds, label)
        self._member: int | None = None
        self._map = IndexMap(self.layout.lon, self.layout.lat) if self.layout.curvilinear else None

    # -- identity ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the underlying files."""
        self._ds.close()

    @property
    def name(self) -> str:
        """Provenance text (with the member, if one was picked)."""
        if self._member is None:
            return self._name
        return f"{self._name} member {self._member}"

    @property
    def variables(self) -> frozenset[str]:
        """CF names provided."""
        return frozenset(self.layout.variables)

    @property
    def fill(self) -> str | None:
        """The chosen gap fill, or ``None``."""
        return self._fill

    @property
    def n_members(self) -> int:
        """Number of ensemble members (1 without a member axis)."""
        return self.layout.n_members

    def member(self, k: int) -> GriddedForcing:
        """Return this reader restricted to ensemble member ``k`` (0-based)."""
        if not 0 <= k < self.n_members:
            raise InputError(f"member={k!r}: {self._label} has {self.n_members} member(s)")
        out = object.__new__(type(self))
        out.__dict__.update(self.__dict__)
        out._member = k
        return out

    # -- coverage ---------------------------------------------------------------------------

    def coverage(self, name: str) -> Coverage:
        """Return the grid's extent and time span."""
        lon, lat = self.layout.lon, self.layout.lat
        lon_min, lon_max = float(np.nanmin(lon)), float(np.nanmax(lon))
        if lon_max > 180.0:
            lon_min, lon_max = (lon_min - 360.0, lon_max - 360.0) if lon_min > 180 else (-180, 180)
        return Coverage(
            lon_min=lon_min,
            lon_max=lon_max,
            lat_min=float(np.nanmin(lat)),
            lat_max=float(np.nanmax(lat)),
            t_min_s=float(self.layout.times_s[0]),
            t_max_s=float(self.layout.times_s[-1]),
        )

    # -- reading ----------------------------------------------------------------------------

    def _read(
        self,
        cf: str,
        it: tuple[int, int],
        iy: tuple[int, int],
        ix: tuple[int, int] | npt.NDArray[np.int64],
    ) -> npt.NDArray[np.float32]:
        """Read ``(nt, ny, nx)`` of one component, expver merged, NaN where missing.

        ``ix`` is a slice's bounds or the column indices (a block across the 0/360 seam).
        """
        lay = self.layout
        var = self._ds[lay.variables[cf]]
        if lay.member is not None:
            if self._member is None:
                raise ForcingError(
                    f"{self._label} has {lay.n_members} ensemble members ({lay.member}): run "
                    "it as an ensemble (the particles are spread over the members) or pick one"
                )
            var = var.isel({lay.member: self._member})
        keep = {lay.time, lay.y, lay.x, lay.expver}
        extra = {d: surface_index(self._ds, str(d)) for d in var.dims if d not in keep}
        if extra:
            var = var.isel(extra)
        order = (
            [lay.time, lay.y, lay.x] if lay.expver is None else [lay.expver, lay.time, lay.y, lay.x]
        )
        nt = it[1] - it[0]
        cols: slice | npt.NDArray[np.int64] = (
            slice(int(ix[0]), int(ix[1])) if isinstance(ix, tuple) else ix
        )
        nx = ix[1] - ix[0] if isinstance(ix, tuple) else ix.size
        out = np.empty((nt, iy[1] - iy[0], nx), dtype=np.float32)
        for k0 in range(it[0], it[1], _TIME_BLOCK):
            k1 = min(k0 + _TIME_BLOCK, it[1])
            block = var.isel({lay.time: slice(k0, k1), lay.y: slice(iy[0], iy[1]), lay.x: cols})
            arr = _values(block)
            arr = np.moveaxis(arr, [block.dims.index(d) for d in order], range(len(order)))
            if lay.expver is not None:
                arr = _merge_first_valid(arr[self._expver_order()])
            out[k0 - it[0] : k1 - it[0]] = arr
        return out

    def _expver_order(self) -> npt.NDArray[np.intp]:
        """Experiment versions in ascending order: final ERA5 (0001) before ERA5T (0005)."""
        assert self.layout.expver is not None
        values = np.asarray(self._ds[self.layout.expver].values)
        try:
            keys = values.astype(np.float64)
        except ValueError:
            return np.argsort(values.astype(str), kind="stable")
        return np.argsort(keys, kind="stable")

    def _settle(
        self,
        cf: str,
        data: npt.NDArray[np.float32],
        times_s: npt.NDArray[np.float64],
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
        land: npt.NDArray[np.bool_] | None,
        reach: Reach | None = None,
    ) -> Settled:
        return settle(
            data,
            name=cf,
            source=self.name,
            times_s=times_s,
            lon=lon,
            lat=lat,
            land=land,
            fill=self._fill,
            reach=reach,
            margin_m=self._cell_diagonal_m(),
        )

    def _cell_diagonal_m(self) -> float:
        """Return about the longest distance from a point to the nodes interpolating it."""
        lon, lat = self.layout.lon, self.layout.lat
        if lon.ndim == 1:
            dlon = float(np.max(np.abs(np.diff(lon)))) if lon.size > 1 else 0.0
            dlat = float(np.max(np.abs(np.diff(lat)))) if lat.size > 1 else 0.0
        else:
            # a rotated cell: each index axis moves both longitude and latitude
            step_x = float(np.nanmax(np.hypot(np.diff(lon, axis=1), np.diff(lat, axis=1))))
            step_y = float(np.nanmax(np.hypot(np.diff(lon, axis=0), np.diff(lat, axis=0))))
            dlon, dlat = step_x, step_y
        return float(np.hypot(dlon, dlat)) * 111_194.9

    def field(
        self,
        names: tuple[str, str],
        bbox: Bbox,
        t0_s: float,
        t1_s: float,
        reach: Reach | None = None,
    ) -> GridField:
        """Read the block of ``names`` covering ``bbox`` and the time span."""
        for n in names:
            if n not in self.layout.variables:
                raise ForcingError(f"{self.name} has no {n}")
        it = index_span(self.layout.times_s, min(t0_s, t1_s), max(t0_s, t1_s))
        if self._map is not None:
            return self._curvilinear_field(names, bbox, it, reach)
        return self._regular_field(names, bbox, it, reach)

    def _regular_field(
        self, names: tuple[str, str], bbox: Bbox, it: tuple[int, int], reach: Reach | None
    ) -> GridField:
        lay = self.layout
        ix = self._columns(bbox)
        iy = index_span(lay.lat, bbox[1], bbox[3])
        lon = lay.lon[ix]
        lat = lay.lat[iy[0] : iy[1]]
        times = lay.times_s[it[0] : it[1]]
        land = None if lay.land is None else lay.land[iy[0] : iy[1]][:, ix]
        shown_lon = np.where(lon > 180.0, lon - 360.0, lon)
        data = np.empty((times.size, lat.size, lon.size, 2), dtype=np.float32)
        land_cells = gaps = beyond = 0
        for c, n in enumerate(names):
            s = self._settle(n, self._read(n, it, iy, ix), times, shown_lon, lat, land, reach)
            data[..., c] = s.data
            land_cells += s.land_cells
            gaps += s.gap_cells
            beyond += s.beyond_reach
        if lat.size > 1 and lat[1] < lat[0]:
            lat = lat[::-1]
            data = data[:, ::-1]
        return GridField(
            names=names,
            times_s=times.astype(np.float64),
            lon=np.ascontiguousarray(shown_lon, dtype=np.float64),
            lat=np.ascontiguousarray(lat, dtype=np.float64),
            data=np.ascontiguousarray(data),
            source=self._source(names, gaps, beyond),
            filled_cells=land_cells,
            gap_cells=gaps,
        )

    def _source(self, names: tuple[str, str], gaps: int, beyond: int) -> str:
        v = self.layout.variables
        text = f"{self.name} ({v[names[0]]}, {v[names[1]]})"
        if self._fill is not None:
            text += f"; gaps filled: {self._fill} ({gaps} values)"
        if beyond:
            text += f"; {beyond} missing values beyond the cloud's reach set to zero"
        return text

    def _curvilinear_field(
        self, names: tuple[str, str], bbox: Bbox, it: tuple[int, int], reach: Reach | None
    ) -> GridField:
        assert self._map is not None
        lay = self.layout
        lon_r, lat_r = self._map.regular_axes(bbox)
        glon, glat = np.meshgrid(lon_r, lat_r)
        fi, fj, inside = self._map.fractional(glon.ravel(), glat.ravel())
        ny, nx = lay.lon.shape
        if inside.any():
            i0 = max(int(np.floor(fi[inside].min())), 0)
            i1 = min(int(np.floor(fi[inside].max())) + 2, nx)
            j0 = max(int(np.floor(fj[inside].min())), 0)
            j1 = min(int(np.floor(fj[inside].max())) + 2, ny)
        else:
            i0, i1, j0, j1 = 0, min(2, nx), 0, min(2, ny)
        times = lay.times_s[it[0] : it[1]]
        sub_lon = lay.lon[j0:j1, i0:i1]
        sub_lat = lay.lat[j0:j1, i0:i1]
        land = None if lay.land is None else lay.land[j0:j1, i0:i1]
        data = np.zeros((times.size, lat_r.size, lon_r.size, 2), dtype=np.float32)
        land_cells = int(np.count_nonzero(~inside)) * times.size * 2
        gaps = beyond = 0
        for c, n in enumerate(names):
            raw = self._read(n, it, (j0, j1), (i0, i1))
            s = self._settle(n, raw, times, sub_lon, sub_lat, land, reach)
            beyond += s.beyond_reach
            vals = bilinear_index(s.data, fi - i0, fj - j0)
            vals[:, ~inside] = 0.0
            data[..., c] = vals.reshape(times.size, lat_r.size, lon_r.size)
            land_cells += s.land_cells
            gaps += s.gap_cells
        return GridField(
            names=names,
            times_s=times.astype(np.float64),
            lon=lon_r,
            lat=lat_r,
            data=data,
            source=self._source(names, gaps, beyond) + "; curvilinear grid resampled",
            filled_cells=land_cells,
            gap_cells=gaps,
        )

    def _columns(self, bbox: Bbox) -> npt.NDArray[np.int64]:
        """Column indices covering the box, in increasing -180..180 longitude."""
        lon = self.layout.lon
        lo, hi = bbox[0], bbox[2]
        if self.layout.wraps_360 and hi < 0.0:
            lo, hi = lo + 360.0, hi + 360.0
        if not self.layout.wraps_360 or lo >= 0.0:
            a, b = index_span(lon, lo, hi)
            return np.arange(a, b, dtype=np.int64)
        # The box crosses the 0/360 seam: its western part lies at the end of the axis.
        west = np.flatnonzero(lon >= lo + 360.0)
        east = np.flatnonzero(lon <= hi)
        step = float(lon[1] - lon[0]) if lon.size > 1 else 360.0
        is_global = abs(lon[-1] + step - 360.0 - lon[0]) < 1e-6 * max(step, 1.0)
        if is_global:
            west = np.concatenate([[west[0] - 1] if west.size and west[0] > 0 else [], west])
            east = np.concatenate(
                [east, [east[-1] + 1] if east.size and east[-1] + 1 < lon.size else []]
            )
            return np.concatenate([west, east]).astype(np.int64)
        a, b = (
            index_span(lon, 0.0, hi)
            if east.size >= west.size
            else index_span(lon, lo + 360.0, 360.0)
        )
        return np.arange(a, b, dtype=np.int64)

    def sample(
        self,
        names: Sequence[str],
        time: datetime,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> dict[str, npt.NDArray[np.float64]]:
        """Values at points: bilinear in space (grid index space if curvilinear), linear in time."""
        if self._map is None:
            return sample_reader(self, names, time, lon, lat)
        return self._sample_curvilinear(names, time, lon, lat)

    def _sample_curvilinear(
        self,
        names: Sequence[str],
        time: datetime,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> dict[str, npt.NDArray[np.float64]]:
        assert self._map is not None
        lay = self.layout
        t_s = epoch_s(require_utc(time, "time"))
        ts = lay.times_s
        if t_s < ts[0] or t_s > ts[-1]:
            raise ForcingError(f"no {names[0]} at {time.isoformat()}: {self.name} covers "
                               f"{self.coverage(names[0]).describe()}")  # fmt: skip
        k = int(np.clip(np.searchsorted(ts, t_s, side="right") - 1, 0, max(ts.size - 2, 0)))
        w = 0.0 if ts.size == 1 else (t_s - ts[k]) / (ts[k + 1] - ts[k])
        it = (k, min(k + 2, ts.size))
        lon = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        lat = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        fi, fj, inside = self._map.fractional(lon, lat)
        ny, nx = lay.lon.shape
        out: dict[str, npt.NDArray[np.float64]] = {}
        for n in names:
            if n not in lay.variables:
                raise ForcingError(f"{self.name} has no {n}")
            s = self._settle(n, self._read(n, it, (0, ny), (0, nx)), ts[it[0] : it[1]],
                             lay.lon, lay.lat, lay.land)  # fmt: skip
            vals = bilinear_index(s.data, fi, fj)
            v = vals[0] if vals.shape[0] == 1 else (1 - w) * vals[0] + w * vals[1]
            out[n] = np.where(inside, v, np.nan)
        return out


def _values(block: Any) -> npt.NDArray[np.float32]:
    # A series of files is a dask array: computed here, in this thread, even inside a Dask
    # distributed worker (whose default scheduler would be the cluster itself).
    import dask

    with dask.config.set(scheduler="synchronous"):
        return np.asarray(block.values, dtype=np.float32)


_VERTICAL = frozenset(
    {"depth", "deptht", "depthu", "depthv", "s_rho", "z", "lev", "level", "sigma", "zlev"}
)


def surface_index(ds: Any, dim: str) -> int:
    """Index of the level nearest the surface on a vertical axis, else 0.

    A depth axis (positive down, CMEMS, NEMO) starts at the surface; a ROMS ``s_rho`` axis
    runs from -1 (the bottom) to 0 (the surface): the level whose coordinate is nearest
    zero is the surface in both.
    """
    if dim not in ds.variables:
        return 0
    coord = ds[dim]
    vertical = (
        dim in _VERTICAL
        or coord.attrs.get("axis") == "Z"
        or coord.attrs.get("positive") in ("up", "down")
    )
    values = np.asarray(coord.values)
    if not vertical or values.ndim != 1 or not np.issubdtype(values.dtype, np.number):
        return 0
    return int(np.argmin(np.abs(values)))


def _merge_first_valid(arr: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Merge the leading (expver) axis: the first version with a value at each point."""
    out = np.array(arr[0], copy=True)
    for k in range(1, arr.shape[0]):
        hole = ~np.isfinite(out)
        if not hole.any():
            break
        out[hole] = arr[k][hole]
    return out


def index_span(axis: npt.NDArray[np.float64], lo: float, hi: float) -> tuple[int, int]:
    """Slice bounds of ``axis`` (either order) holding ``[lo, hi]`` plus one point each side."""
    if axis.size == 1:
        return 0, 1
    inside = np.flatnonzero((axis >= lo) & (axis <= hi))
    if inside.size == 0:
        # The span falls between two grid points: take the points around it.
        k = int(np.argmin(np.abs(axis - 0.5 * (lo + hi))))
        return max(k - 1, 0), min(k + 2, axis.size)
    return max(int(inside[0]) - 1, 0), min(int(inside[-1]) + 2, axis.size)
