"""Forcing from GRIB edition 1 and 2 files (ERA5, ECMWF HRES/ENS and open data, GFS, ICON).

Decoding is cfgrib's on ecCodes (the ``eccodes`` and ``eccodeslib`` wheels: no system
library). A GRIB file holds one message per field; cfgrib groups the messages into
hypercubes, of which the reader keeps those holding a known variable (10 m wind ``10u``/
``10v`` -> ``u10``/``v10``, waves' Stokes drift ``ust``/``vst``, ...). Its time axis is the
valid time, whatever the file's own arrangement:

- one analysis time per message (ERA5 from the CDS): ``time`` becomes ``valid_time``;
- one forecast run, one message per step (GFS, ICON, ECMWF HRES): ``step`` becomes
  ``valid_time``;
- one file per step (ECMWF open data): a directory or a glob pattern is read as one time
  series, the files joined along ``valid_time`` (lazily, one chunk per file).

An ENS file's ``number`` axis is the ensemble member axis. No index files are written next
to the data (``indexpath=""``), so read-only folders work.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from littoral.drift.forcing.gridded import GriddedForcing
from littoral.drift.forcing.names import ALIASES
from littoral.errors import InputError

_KNOWN = frozenset(a for names in ALIASES.values() for a in names)


def _time_axis(ds: Any, label: str) -> Any:
    dims = set(ds.dims)
    if "valid_time" in dims:
        return ds
    if "time" in dims and "step" in dims:
        raise InputError(
            f"{label}: several forecast runs with several steps each; give one run per file"
        )
    for dim in ("step", "time"):
        if dim in dims and "valid_time" in ds.coords and ds["valid_time"].dims == (dim,):
            return ds.swap_dims({dim: "valid_time"})
    if "valid_time" in ds.coords and ds["valid_time"].ndim == 0:
        return ds.expand_dims("valid_time").set_coords("valid_time")
    raise InputError(f"{label}: no valid time in the GRIB messages")


def _open_one(path: Path, chunked: bool) -> Any:
    import cfgrib  # type: ignore[import-untyped]
    import xarray as xr

    kwargs: dict[str, Any] = {"backend_kwargs": {"indexpath": ""}}
    if chunked:
        kwargs["chunks"] = {}
    try:
        with warnings.catch_warnings():
            # cfgrib's own merge of its cubes warns of a future xarray default it does not use
            warnings.simplefilter("ignore", FutureWarning)
            cubes = cfgrib.open_datasets(str(path), **kwargs)
    except Exception as exc:  # cfgrib and ecCodes raise many kinds on a damaged file
        raise InputError(f"cannot decode GRIB file {path.name!r}: {exc}") from exc
    keep = []
    for cube in cubes:
        names = [v for v in cube.data_vars if v in _KNOWN]
        if names:
            keep.append(cube[names])
    if not keep:
        found = sorted({str(v) for c in cubes for v in c.data_vars})
        raise InputError(
            f"{path.name}: no wind, current or Stokes drift in the GRIB messages "
            f"(found: {', '.join(found) or 'nothing'})"
        )
    ds = keep[0] if len(keep) == 1 else xr.merge(keep, compat="override", join="exact")
    return _time_axis(ds, path.name)


class GribForcing(GriddedForcing):
    """One GRIB file, or several read as one time series (one file per step).

    Parameters
    ----------
    paths:
        The file or files (in any order: they are sorted by valid time).
    name:
        Provenance text; default ``"GRIB NAME"`` (first file and count).
    fill:
        How to fill gaps (:mod:`littoral.drift.forcing.gaps`); ``None`` refuses them.
    """

    def __init__(
        self,
        paths: Path | str | Sequence[Path | str],
        name: str | None = None,
        fill: str | None = None,
    ) -> None:
        import xarray as xr

        files = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
        if not files:
            raise InputError("no GRIB files given")
        for p in files:
            if not p.is_file():
                raise InputError(f"forcing file {str(p)!r} does not exist")
        self.paths = files
        many = len(files) > 1
        parts = [_open_one(p, chunked=many) for p in files]
        if many:
            drop = [c for c in ("time", "step") if c in parts[0].coords]
            parts = [p.drop_vars(drop, errors="ignore") for p in parts]
            ds = xr.concat(parts, dim="valid_time", coords="minimal", compat="override",
                           join="exact").sortby("valid_time")  # fmt: skip
            label = f"{files[0].name} (+{len(files) - 1} files)"
        else:
            ds = parts[0]
            label = files[0].name
        super().__init__(ds, label=label, name=name or f"GRIB {label}", fill=fill)
