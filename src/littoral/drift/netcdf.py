"""CF-1.11 trajectory NetCDF files of drift results, written and read back.

Layout (CF conventions 1.11, section H.4 "trajectory", orthogonal multidimensional array):
dimensions ``trajectory`` (one per particle) and ``time``; ``trajectory(trajectory)`` with
``cf_role = "trajectory_id"``; ``time(time)`` in seconds since 1970-01-01 UTC;
``lon``, ``lat`` (float32, NaN before release and after deactivation, as OpenDrift writes
them) and ``status`` of shape ``(trajectory, time)``; ``weight``, ``seed_lon`` and
``seed_lat`` of shape ``(trajectory,)``; ``long_name`` and ``_FillValue`` on every variable.
The global attributes record ``featureType = "trajectory"``, the seed, the object class and the
provenance (forcing, settings) of :attr:`DriftResult.attrs`, and ``opendrift_class``/
``opendrift_module`` (Leeway). The same layout is what OpenDrift writes, so xarray,
``opendrift.open`` and trajan open it. The writer is
:class:`littoral.drift.output.TrajectoryWriter`, which a run also feeds while it computes.
"""

from __future__ import annotations

import json
from os import PathLike
from pathlib import Path

import numpy as np
import numpy.typing as npt

from littoral.drift.output import TrajectoryWriter, feed
from littoral.drift.result import DriftResult, ParticleStatus
from littoral.errors import InputError

_DEACTIVATED = (ParticleStatus.STRANDED, ParticleStatus.OUT_OF_FORCING)


def write_netcdf(result: DriftResult, path: str | PathLike[str]) -> None:
    """Write ``result`` to ``path`` as a CF-1.11 trajectory file (NetCDF-4).

    The same file :class:`~littoral.drift.output.TrajectoryWriter` writes during a run: the
    seed positions are those of the first output time.
    """
    feed(result, [TrajectoryWriter(path)])


def _fill_gaps(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    status: npt.NDArray[np.int8],
    seed: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None,
) -> None:
    # Back to DriftResult's convention: a deactivated particle stays where it stopped, one
    # not yet released sits at its seed position.
    for k in range(lon.shape[0]):
        gap = np.isnan(lon[k])
        if not gap.any():
            continue
        if k > 0:
            held = gap & np.isin(status[k], _DEACTIVATED)
            lon[k, held] = lon[k - 1, held]
            lat[k, held] = lat[k - 1, held]
        if seed is not None:
            waiting = gap & (status[k] == ParticleStatus.NOT_RELEASED)
            lon[k, waiting] = seed[0][waiting]
            lat[k, waiting] = seed[1][waiting]


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
        seed = None
        if "seed_lon" in ds.variables and "seed_lat" in ds.variables:
            seed = (
                np.asarray(ds.variables["seed_lon"][:], dtype=np.float64),
                np.asarray(ds.variables["seed_lat"][:], dtype=np.float64),
            )
        _fill_gaps(lon, lat, status, seed)
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
