"""Forcing from CF NetCDF files and OPeNDAP URLs (ERA5 wind, CMEMS currents and waves, ...).

The file (NetCDF-3, NetCDF-4/HDF5) or URL is opened lazily through netCDF4; everything
else (axes, variables, ``expver``, members, land, curvilinear grids, gaps) is
:class:`~littoral.drift.forcing.gridded.GriddedForcing`'s. Variables are found by CF
``standard_name`` first, then by the usual short names
(:data:`littoral.drift.forcing.names.ALIASES`).
"""

from __future__ import annotations

from pathlib import Path

from littoral.drift.forcing.gridded import GriddedForcing
from littoral.errors import InputError


def is_url(text: str) -> bool:
    """Return true for an OPeNDAP (or other netCDF4-readable) URL."""
    return text.startswith(("http://", "https://", "dap2://", "dap4://"))


class NetCDFForcing(GriddedForcing):
    """A CF NetCDF file or OPeNDAP URL of wind, current and/or Stokes drift.

    Parameters
    ----------
    path:
        The file, or an ``http(s)://`` OPeNDAP URL.
    name:
        Provenance text; default ``"file NAME"`` (or the URL).
    fill:
        How to fill gaps (:mod:`littoral.drift.forcing.gaps`); ``None`` refuses them.
    """

    def __init__(self, path: str | Path, name: str | None = None, fill: str | None = None) -> None:
        import xarray as xr

        text = str(path)
        if is_url(text):
            label, target = text, text
        else:
            p = Path(path)
            if not p.is_file():
                raise InputError(f"forcing file {text!r} does not exist")
            label, target = p.name, str(p)
        self.path = Path(path) if not is_url(text) else None
        self.source = text
        try:
            ds = xr.open_dataset(target, engine="netcdf4", decode_times=True)
        except (OSError, ValueError, RuntimeError) as exc:
            raise InputError(f"cannot read forcing {text!r}: {exc}") from exc
        name = name or (f"url {text}" if is_url(text) else None)
        try:
            super().__init__(ds, label=label, name=name, fill=fill)
        except Exception:
            ds.close()
            raise


class NetCDFSeries(GriddedForcing):
    """Several NetCDF files read as one time series (joined along their time axis, lazily).

    Parameters
    ----------
    paths:
        The files, in any order.
    name:
        Provenance text.
    fill:
        How to fill gaps; ``None`` refuses them.
    """

    def __init__(self, paths: list[Path], name: str | None = None, fill: str | None = None) -> None:
        import xarray as xr

        self.paths = paths
        try:
            ds = xr.open_mfdataset([str(p) for p in paths], engine="netcdf4", combine="by_coords",
                                   data_vars="minimal", coords="minimal", compat="override",
                                   join="exact")  # fmt: skip
        except (OSError, ValueError, RuntimeError) as exc:
            raise InputError(f"cannot read forcing files {paths[0].name}...: {exc}") from exc
        label = f"{paths[0].name} (+{len(paths) - 1} files)"
        super().__init__(ds, label=label, name=name or f"files {label}", fill=fill)
