"""Drift output written while the kernel computes: trajectories, density grids, centroids.

:func:`littoral.drift.run` hands each chunk of output times to an :class:`OutputSink` as soon
as the kernel has computed it (from a writer thread, while the kernel computes the next
chunk), so a run of a million particles never holds every trajectory in memory.

- :class:`TrajectoryWriter`: the CF-1.11 trajectory NetCDF file, laid out as OpenDrift writes
  it (dimensions ``trajectory`` x ``time``, float32 ``lon``/``lat``, NaN before a particle is
  released and after it is deactivated, ``opendrift_class``/``opendrift_module`` set, so
  ``opendrift.open()`` reads it as a Leeway run).
- :class:`DensityWriter`: for users who do not need every trajectory, the probability of
  each cell of a regular lon/lat grid at each output time (a weighted histogram of the
  released particles, summing to one), as CF NetCDF.
- :class:`CentroidTrack`: the weighted centroid of the released particles at each output
  time (for the GeoJSON summary, :func:`littoral.drift.summary.geojson_summary`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from os import PathLike
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from littoral import __version__
from littoral.errors import InputError
from littoral.records.particle_status import DESCRIPTIONS, ParticleStatus
from littoral.units import EARTH_RADIUS_M

if TYPE_CHECKING:
    from littoral.drift.result import DriftResult

F64 = npt.NDArray[np.float64]
_M_PER_DEG = EARTH_RADIUS_M * np.pi / 180.0
STATUS_FILL = np.int8(-1)
"""``_FillValue`` of the status variable (no status has this code)."""
_RESERVED = {
    "Conventions",
    "featureType",
    "title",
    "source",
    "history",
    "littoral_attrs",
    "time_step_calculation",
    "time_step_output",
    "opendrift_class",
    "opendrift_module",
}


@dataclass(frozen=True, kw_only=True)
class RunInfo:
    """What a sink learns at the end of a run: provenance and particle weights."""

    seed: int
    object_class: str
    weight: F64
    attrs: dict[str, str] = field(default_factory=dict)


class OutputSink(Protocol):
    """Receives a run's output times in order, chunk by chunk (see :func:`littoral.drift.run`).

    ``start`` is called once, then ``write`` for consecutive blocks of output times (rows of
    ``(rows, n_particles)`` arrays, starting at output index ``first``; the arrays are reused
    after the call returns), then ``finish``; ``close`` always, last (also after an error).
    """

    def start(self, times: npt.NDArray[np.datetime64], seed_lon: F64, seed_lat: F64) -> None:
        """Begin: every output time, and each particle's seed position."""

    def write(self, first: int, lon: F64, lat: F64, status: npt.NDArray[np.int8]) -> None:
        """Take output times ``first .. first + len(lon) - 1``."""

    def finish(self, info: RunInfo) -> None:
        """End of a successful run."""

    def close(self) -> None:
        """Release files (after ``finish``, or after an error)."""


def _iso_step(seconds: float) -> str:
    return str(timedelta(seconds=abs(seconds)))


class TrajectoryWriter:
    """Write a CF-1.11 trajectory NetCDF file (OpenDrift's layout) as the run goes.

    Positions are float32 (about 1 m at the Caspian), NaN before release and after the
    output time at which a particle stranded or left the forcing (where OpenDrift stops
    writing a deactivated element); the status stays recorded after deactivation, and
    ``seed_lon``/``seed_lat`` keep each particle's seed position, so
    :func:`littoral.drift.read_netcdf` rebuilds the result.
    """

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = str(path)
        self._ds: Any = None
        self._prev: npt.NDArray[np.int8] | None = None

    def start(self, times: npt.NDArray[np.datetime64], seed_lon: F64, seed_lat: F64) -> None:
        """Create the file, its dimensions and variables; write times and seed positions."""
        import netCDF4

        n_t, n_p = int(times.size), int(seed_lon.size)
        try:
            ds = netCDF4.Dataset(self.path, "w", format="NETCDF4")
        except OSError as exc:
            raise InputError(f"cannot write {self.path!r}: {exc}") from exc
        self._ds = ds
        ds.Conventions = "CF-1.11"
        ds.featureType = "trajectory"
        ds.source = f"littoral {__version__} drift model"
        # opendrift.open() imports this class to read the file back.
        ds.opendrift_class = "Leeway"
        ds.opendrift_module = "opendrift.models.leeway"
        if n_t > 1:
            ds.time_step_output = _iso_step(float((times[1] - times[0]) / np.timedelta64(1, "s")))
        ds.createDimension("trajectory", n_p)
        ds.createDimension("time", n_t)
        traj = ds.createVariable("trajectory", "i4", ("trajectory",), fill_value=np.int32(-1))
        traj.cf_role = "trajectory_id"
        traj.long_name = "particle number"
        traj[:] = np.arange(n_p, dtype=np.int32)
        time = ds.createVariable("time", "f8", ("time",), fill_value=np.nan)
        time.standard_name = "time"
        time.long_name = "output time"
        time.units = "seconds since 1970-01-01 00:00:00"
        time.calendar = "standard"
        time[:] = times.astype("datetime64[s]").astype(np.int64).astype(np.float64)
        # One output time per chunk: each write fills whole chunks.
        chunks = (max(1, min(n_p, 1 << 18)), 1)
        for name, std, units, long_name in (
            ("lon", "longitude", "degrees_east", "longitude of the particle"),
            ("lat", "latitude", "degrees_north", "latitude of the particle"),
        ):
            var = ds.createVariable(
                name, "f4", ("trajectory", "time"), chunksizes=chunks, fill_value=np.float32("nan")
            )
            var.standard_name = std
            var.long_name = long_name
            var.units = units
        status = ds.createVariable(
            "status", "i1", ("trajectory", "time"), chunksizes=chunks, fill_value=STATUS_FILL
        )
        status.long_name = "particle status"
        status.flag_values = np.array([s.value for s in ParticleStatus], dtype=np.int8)
        status.flag_meanings = " ".join(s.name.lower() for s in ParticleStatus)
        status.comment = "; ".join(f"{s.name.lower()}: {DESCRIPTIONS[s]}" for s in ParticleStatus)
        for name, values, what in (
            ("seed_lon", seed_lon, "longitude"),
            ("seed_lat", seed_lat, "latitude"),
        ):
            var = ds.createVariable(name, "f4", ("trajectory",), fill_value=np.float32("nan"))
            var.long_name = f"{what} of the particle's seed position"
            var.units = "degrees_east" if what == "longitude" else "degrees_north"
            var[:] = values.astype(np.float32)
        # defined here, written at the end: no change of the file's layout after the data
        weight = ds.createVariable("weight", "f8", ("trajectory",), fill_value=np.nan)
        weight.long_name = "probability weight of the particle"
        weight.units = "1"
        self._prev = np.full(n_p, ParticleStatus.ACTIVE, dtype=np.int8)

    def write(self, first: int, lon: F64, lat: F64, status: npt.NDArray[np.int8]) -> None:
        """Write output times ``first ..``: NaN where not released or already deactivated."""
        if self._ds is None or self._prev is None:
            raise RuntimeError("TrajectoryWriter.write before start")
        v_lon, v_lat, v_status = (self._ds.variables[k] for k in ("lon", "lat", "status"))
        for r in range(lon.shape[0]):
            s = status[r]
            prev = self._prev
            gone = (
                (s == ParticleStatus.NOT_RELEASED)
                | (prev == ParticleStatus.STRANDED)
                | (prev == ParticleStatus.OUT_OF_FORCING)
            )
            # one output time per chunk on disk: each row is one contiguous write
            for var, values in ((v_lon, lon[r]), (v_lat, lat[r])):
                row = values.astype(np.float32)
                row[gone] = np.nan
                var[:, first + r] = row
            v_status[:, first + r] = s
            self._prev = s.copy()

    def finish(self, info: RunInfo) -> None:
        """Write the weights and the provenance attributes."""
        ds = self._ds
        if ds is None:
            raise RuntimeError("TrajectoryWriter.finish before start")
        ds.title = f"Leeway drift of {info.object_class}"
        ds.seed = np.int64(info.seed)
        ds.object_class = info.object_class
        ds.littoral_attrs = json.dumps(info.attrs, sort_keys=True)
        if "time_step_s" in info.attrs:
            # OpenDrift's reader takes its step lengths from these (H:MM:SS text).
            ds.time_step_calculation = _iso_step(float(info.attrs["time_step_s"]))
        for key, value in info.attrs.items():
            if key.isidentifier() and key not in _RESERVED and not hasattr(ds, key):
                ds.setncattr(key, value)
        ds.variables["weight"][:] = info.weight

    def close(self) -> None:
        """Close the file."""
        if self._ds is not None:
            self._ds.close()
            self._ds = None


class CentroidTrack:
    """The weighted centroid of the released particles at each output time.

    Weights are uniform (``1/n``) during a run, which is what :func:`littoral.drift.run`
    gives its particles.
    """

    def __init__(self) -> None:
        self.times: npt.NDArray[np.datetime64] = np.zeros(0, dtype="datetime64[s]")
        self.lon: F64 = np.zeros(0)
        self.lat: F64 = np.zeros(0)

    def start(self, times: npt.NDArray[np.datetime64], seed_lon: F64, seed_lat: F64) -> None:
        """Size the track to the output times."""
        self.times = times
        self.lon = np.full(times.size, np.nan)
        self.lat = np.full(times.size, np.nan)

    def write(self, first: int, lon: F64, lat: F64, status: npt.NDArray[np.int8]) -> None:
        """Average the released particles of each output time."""
        for r in range(lon.shape[0]):
            released = (status[r] == ParticleStatus.ACTIVE) | (status[r] == ParticleStatus.STRANDED)
            if released.any():
                self.lon[first + r] = float(lon[r][released].mean())
                self.lat[first + r] = float(lat[r][released].mean())

    def finish(self, info: RunInfo) -> None:
        """Nothing to add."""

    def close(self) -> None:
        """Nothing to release."""


class DensityWriter:
    """Probability grids of the released particles at every output time, as CF NetCDF.

    Cells are ``cell_m`` metres north-south and as long east-west at the seed latitude, on
    a lattice anchored at the first seed; the file covers every cell a particle reached.
    Variable ``probability(time, lat, lon)`` (float32; each time sums to one over the
    released particles, zeros before any is released) and ``released(time)``, the fraction
    of particles released then.
    """

    def __init__(self, path: str | PathLike[str], cell_m: float = 1000.0) -> None:
        if not (np.isfinite(cell_m) and cell_m > 0):
            raise InputError(f"density cell_m={cell_m!r} must be > 0")
        self.path = str(path)
        self.cell_m = float(cell_m)
        self._times: npt.NDArray[np.datetime64] = np.zeros(0, dtype="datetime64[s]")
        self._origin = (0.0, 0.0, 1.0, 1.0)  # lon0, lat0, dlon, dlat
        self._cells: list[tuple[int, int, npt.NDArray[np.int64]]] = []
        self._released: list[float] = []

    def start(self, times: npt.NDArray[np.datetime64], seed_lon: F64, seed_lat: F64) -> None:
        """Fix the lattice at the first seed."""
        dlat = self.cell_m / _M_PER_DEG
        coslat = max(float(np.cos(np.radians(float(seed_lat[0])))), 1e-6)
        self._origin = (float(seed_lon[0]), float(seed_lat[0]), dlat / coslat, dlat)
        self._times = times
        self._cells = []
        self._released = []

    def write(self, first: int, lon: F64, lat: F64, status: npt.NDArray[np.int8]) -> None:
        """Bin the released particles of each output time (counts on the lattice)."""
        lon0, lat0, dlon, dlat = self._origin
        n = lon.shape[1]
        for r in range(lon.shape[0]):
            s = status[r]
            sel = (s == ParticleStatus.ACTIVE) | (s == ParticleStatus.STRANDED)
            ix = np.floor((lon[r][sel] - lon0) / dlon).astype(np.int64)
            iy = np.floor((lat[r][sel] - lat0) / dlat).astype(np.int64)
            self._released.append(float(sel.sum()) / n)
            if ix.size == 0:
                self._cells.append((0, 0, np.zeros((1, 1), dtype=np.int64)))
                continue
            x0, y0 = int(ix.min()), int(iy.min())
            nx, ny = int(ix.max()) - x0 + 1, int(iy.max()) - y0 + 1
            counts = np.bincount((iy - y0) * nx + (ix - x0), minlength=nx * ny)
            self._cells.append((x0, y0, counts.reshape(ny, nx)))

    def finish(self, info: RunInfo) -> None:
        """Place every time's counts on one grid and write the file."""
        import netCDF4

        lon0, lat0, dlon, dlat = self._origin
        x0 = min(c[0] for c in self._cells)
        y0 = min(c[1] for c in self._cells)
        x1 = max(c[0] + c[2].shape[1] for c in self._cells)
        y1 = max(c[1] + c[2].shape[0] for c in self._cells)
        try:
            ds = netCDF4.Dataset(self.path, "w", format="NETCDF4")
        except OSError as exc:
            raise InputError(f"cannot write {self.path!r}: {exc}") from exc
        with ds:
            ds.Conventions = "CF-1.11"
            ds.title = f"Probability density of a Leeway drift of {info.object_class}"
            ds.source = f"littoral {__version__} drift model"
            ds.seed = np.int64(info.seed)
            ds.object_class = info.object_class
            ds.cell_m = self.cell_m
            ds.littoral_attrs = json.dumps(info.attrs, sort_keys=True)
            ds.createDimension("time", len(self._cells))
            ds.createDimension("lat", y1 - y0)
            ds.createDimension("lon", x1 - x0)
            time = ds.createVariable("time", "f8", ("time",), fill_value=np.nan)
            time.standard_name = "time"
            time.long_name = "output time"
            time.units = "seconds since 1970-01-01 00:00:00"
            time[:] = self._times.astype("datetime64[s]").astype(np.int64).astype(np.float64)
            for name, origin, step, first, count, units in (
                ("lon", lon0, dlon, x0, x1 - x0, "degrees_east"),
                ("lat", lat0, dlat, y0, y1 - y0, "degrees_north"),
            ):
                var = ds.createVariable(name, "f8", (name,), fill_value=np.nan)
                var.standard_name = "longitude" if name == "lon" else "latitude"
                var.long_name = f"{var.standard_name} of the cell centre"
                var.units = units
                var[:] = origin + step * (first + np.arange(count) + 0.5)
            prob = ds.createVariable(
                "probability",
                "f4",
                ("time", "lat", "lon"),
                zlib=True,
                complevel=1,
                fill_value=np.float32("nan"),
            )
            prob.long_name = "probability that the object is in the cell"
            prob.units = "1"
            released = ds.createVariable("released", "f4", ("time",), fill_value=np.nan)
            released.long_name = "fraction of the particles released"
            released.units = "1"
            released[:] = np.asarray(self._released, dtype=np.float32)
            grid = np.zeros((y1 - y0, x1 - x0), dtype=np.float32)
            for k, (cx, cy, counts) in enumerate(self._cells):
                grid[:] = 0.0
                total = counts.sum()
                if total > 0:
                    h, w = counts.shape
                    grid[cy - y0 : cy - y0 + h, cx - x0 : cx - x0 + w] = counts / total
                prob[k, :, :] = grid

    def close(self) -> None:
        """Nothing held open between calls."""


def feed(result: DriftResult, sinks: Sequence[OutputSink]) -> None:
    """Pass a finished result through sinks (as a run would have), then close them.

    The seed positions are those of the first output time.
    """
    info = RunInfo(
        seed=result.seed, object_class=result.object_class, weight=result.weight, attrs=result.attrs
    )
    try:
        for sink in sinks:
            sink.start(result.times, result.lon[0], result.lat[0])
            sink.write(0, result.lon, result.lat, result.status)
            sink.finish(info)
    finally:
        for sink in sinks:
            sink.close()


class AsyncSinks:
    """Feed sinks from one writer thread, so they work while the kernel computes.

    ``submit`` returns at once; the arrays handed over must not be touched until
    ``wait(token)`` for the same token (the engine alternates two buffers).
    """

    def __init__(self, sinks: Sequence[OutputSink]) -> None:
        self.sinks = list(sinks)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="littoral-output")
        self._pending: dict[int, Future[None]] = {}

    def _write(self, first: int, lon: F64, lat: F64, status: npt.NDArray[np.int8]) -> None:
        for sink in self.sinks:
            sink.write(first, lon, lat, status)

    def submit(
        self, token: int, first: int, lon: F64, lat: F64, status: npt.NDArray[np.int8]
    ) -> None:
        """Write output times ``first ..`` from the writer thread."""
        self.wait(token)
        self._pending[token] = self._pool.submit(self._write, first, lon, lat, status)

    def wait(self, token: int) -> None:
        """Wait until the write submitted with ``token`` is done (re-raising its error)."""
        fut = self._pending.pop(token, None)
        if fut is not None:
            fut.result()

    def __enter__(self) -> AsyncSinks:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                for token in list(self._pending):
                    self.wait(token)
        finally:
            self._pool.shutdown(wait=True)
