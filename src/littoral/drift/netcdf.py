"""CF-1.11 trajectory NetCDF files of drift results, written and read back.

Layout (CF conventions 1.11, section H.4 "trajectory", orthogonal multidimensional array):
dimensions ``trajectory`` (one per particle) and ``time``; ``trajectory(trajectory)`` with
``cf_role = "trajectory_id"``; ``time(time)`` in seconds since 1970-01-01 UTC;
``lon``, ``lat`` and ``status`` of shape ``(trajectory, time)``; ``weight(trajectory)``.
The global attributes record ``featureType = "trajectory"``, the seed, the object class and the
provenance (forcing, settings) of :attr:`DriftResult.attrs`. The same layout is what OpenDrift
writes, so xarray, OpenDrift's reader and trajan open it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from os import PathLike
from pathlib import Path

import numpy as np

from littoral import __version__
from littoral.drift.result import DriftResult, ParticleStatus
from littoral.errors import InputError

_RESERVED = {
    "Conventions",
    "featureType",
    "title",
    "source",
    "history",
    "littoral_attrs",
    "time_step_calculation",
    "time_step_output",
}
_FILL = -999.0


def write_netcdf(result: DriftResult, path: str | PathLike[str]) -> None:
    """Write ``result`` to ``path`` as a CF-1.11 trajectory file (NetCDF-4)."""
    import netCDF4

    n_t, n_p = result.n_times, result.n_particles
    with netCDF4.Dataset(str(path), "w", format="NETCDF4") as ds:
        ds.Conventions = "CF-1.11"
        ds.featureType = "trajectory"
        ds.title = f"Leeway drift of {result.object_class}"
        ds.source = f"littoral {__version__} drift model"
        ds.seed = np.int64(result.seed)
        ds.object_class = result.object_class
        ds.littoral_attrs = json.dumps(result.attrs, sort_keys=True)
        # OpenDrift's reader takes its step lengths from these (H:MM:SS text).
        if "time_step_s" in result.attrs:
            ds.time_step_calculation = str(timedelta(seconds=float(result.attrs["time_step_s"])))
        if n_t > 1:
            out_s = int((result.times[1] - result.times[0]) / np.timedelta64(1, "s"))
            ds.time_step_output = str(timedelta(seconds=out_s))
        for key, value in result.attrs.items():
            if key.isidentifier() and key not in _RESERVED and not hasattr(ds, key):
                ds.setncattr(key, value)
        ds.createDimension("trajectory", n_p)
        ds.createDimension("time", n_t)
        traj = ds.createVariable("trajectory", "i4", ("trajectory",))
        traj.cf_role = "trajectory_id"
        traj.long_name = "particle number"
        traj[:] = np.arange(n_p, dtype=np.int32)
        time = ds.createVariable("time", "f8", ("time",))
        time.standard_name = "time"
        time.long_name = "output time"
        time.units = "seconds since 1970-01-01 00:00:00"
        time.calendar = "standard"
        time[:] = result.times.astype("datetime64[s]").astype(np.int64).astype(np.float64)
        chunks = (min(n_p, 65536), n_t)
        for name, std, units, values in (
            ("lon", "longitude", "degrees_east", result.lon),
            ("lat", "latitude", "degrees_north", result.lat),
        ):
            var = ds.createVariable(
                name,
                "f8",
                ("trajectory", "time"),
                zlib=True,
                complevel=1,
                chunksizes=chunks,
                fill_value=_FILL,
            )
            var.standard_name = std
            var.units = units
            var[:] = np.ascontiguousarray(values.T)
        status = ds.createVariable(
            "status", "i1", ("trajectory", "time"), zlib=True, complevel=1, chunksizes=chunks
        )
        status.long_name = "particle status"
        status.flag_values = np.array([s.value for s in ParticleStatus], dtype=np.int8)
        status.flag_meanings = " ".join(s.name.lower() for s in ParticleStatus)
        status[:] = np.ascontiguousarray(result.status.T)
        weight = ds.createVariable("weight", "f8", ("trajectory",))
        weight.long_name = "probability weight of the particle"
        weight.units = "1"
        weight[:] = result.weight


def read_netcdf(path: str | PathLike[str]) -> DriftResult:
    """Read a file written by :func:`write_netcdf` back into a :class:`DriftResult`.

    Raises
    ------
    InputError
        If the file does not exist or lacks the trajectory layout.
    """
    import netCDF4

    p = Path(path)
    if not p.is_file():
        raise InputError(f"drift result file {str(p)!r} does not exist")
    try:
        ds = netCDF4.Dataset(str(p), "r")
    except OSError as exc:
        raise InputError(f"{str(p)!r} is not a NetCDF file: {exc}") from exc
    with ds:
        ds.set_auto_mask(False)
        if getattr(ds, "featureType", "").lower() != "trajectory":
            raise InputError(f"{str(p)!r} is not a trajectory file (featureType missing)")
        for name in ("time", "lon", "lat", "status"):
            if name not in ds.variables:
                raise InputError(f"{str(p)!r} has no variable {name!r}")
        secs = np.asarray(ds.variables["time"][:], dtype=np.float64)
        times = np.round(secs).astype(np.int64).astype("datetime64[s]")
        lon = np.ascontiguousarray(np.asarray(ds.variables["lon"][:], dtype=np.float64).T)
        lat = np.ascontiguousarray(np.asarray(ds.variables["lat"][:], dtype=np.float64).T)
        status = np.ascontiguousarray(np.asarray(ds.variables["status"][:], dtype=np.int8).T)
        if "weight" in ds.variables:
            weight = np.asarray(ds.variables["weight"][:], dtype=np.float64)
        else:
            weight = np.full(lon.shape[1], 1.0 / max(lon.shape[1], 1))
        attrs_json = getattr(ds, "littoral_attrs", "{}")
        attrs = {str(k): str(v) for k, v in json.loads(attrs_json).items()}
        return DriftResult(
            times=times,
            lon=lon,
            lat=lat,
            status=status,
            weight=weight,
            seed=int(getattr(ds, "seed", 0)),
            object_class=str(getattr(ds, "object_class", "")),
            attrs=attrs,
        )
