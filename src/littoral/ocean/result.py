"""The result of a run (fields at the output times, diagnostics) and its CF-1.11 NetCDF file.

The file is readable as ordinary drift forcing. Variables on (time, lat, lon), at cell centres:

- ``uo``, ``vo``: the surface current for drift (``surface_eastward_sea_water_velocity``,
  ``surface_northward_sea_water_velocity``), m/s. Off the sea they hold the value of the
  nearest sea cell, so that bilinear interpolation next to the shore uses sea values only;
  ``sea_binary_mask`` says which cells are modelled.
- ``ubar``, ``vbar``: the depth-mean current (``barotropic_eastward_sea_water_velocity``...),
  NaN off the sea.
- ``zos``: sea level above the model's rest level
  (``sea_surface_height_above_mean_sea_level``), m, NaN off the sea; the rest level in the
  Baltic height system is the variable's ``datum_level_bs_m`` attribute.
- ``depth`` (``sea_floor_depth_below_mean_sea_level``), ``sea_binary_mask``, ``volume``
  (the basin's water, m^3, per time) and every diagnostic as a global attribute.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from littoral import __version__
from littoral.ocean.grid import OceanGrid
from littoral.ocean.settings import ModelSettings

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class Diagnostics:
    """What a reviewer checks first: the step, its Courant number, the water budget."""

    dt_s: float
    courant: float
    n_steps: int
    sea_cells: int
    cell_steps: int
    wall_s: float
    volume_m3: float
    volume_change_m3: float
    river_inflow_m3: float
    relative_volume_error: float
    max_abs_sea_level_m: float
    max_speed_ms: float
    min_dry_cells: int
    max_dry_cells: int


@dataclass(frozen=True, kw_only=True)
class OceanResult:
    """Sea level and currents at cell centres at the output times.

    Attributes
    ----------
    grid : OceanGrid
    times : datetime64[s] array (nt,)
    zos : float32 (nt, ny, nx)
        Sea level above the rest level, m (NaN off the sea).
    ubar, vbar : float32 (nt, ny, nx)
        Depth-mean current, m/s, eastward and northward (NaN off the sea).
    uo, vo : float32 (nt, ny, nx)
        Surface current for drift: depth-mean + wind shear term, m/s (NaN off the sea).
    wet : bool (nt, ny, nx)
        Sea cells holding water at that time.
    diagnostics : Diagnostics
    settings : ModelSettings
    wind_source : str
    """

    grid: OceanGrid
    times: npt.NDArray[np.datetime64]
    zos: F32
    ubar: F32
    vbar: F32
    uo: F32
    vo: F32
    wet: npt.NDArray[np.bool_]
    diagnostics: Diagnostics
    settings: ModelSettings
    wind_source: str
    volume_series_m3: F64 = field(default_factory=lambda: np.zeros(0))

    def to_netcdf(self, path: str) -> None:
        """Write CF-1.11 NetCDF (see :func:`write_netcdf`)."""
        write_netcdf(self, path)


def _extend_to_land(a: npt.NDArray[np.float32], sea: npt.NDArray[np.bool_]) -> Any:
    from scipy import ndimage

    _, (iy, ix) = ndimage.distance_transform_edt(~sea, return_indices=True)
    return a[:, iy, ix]


def write_netcdf(result: OceanResult, path: str) -> None:
    """Write the result to ``path`` (CF-1.11, NetCDF4, compressed)."""
    import xarray as xr

    grid = result.grid
    sea = grid.geometry.sea == 1
    dims = ("time", "lat", "lon")
    d = result.diagnostics
    settings = asdict(result.settings)
    settings["drag_law"] = result.settings.drag_law.name
    level = grid.rest_level_bs_m

    def var(data: Any, attrs: dict[str, Any]) -> Any:
        return xr.Variable(dims, data, attrs)

    vel = {"units": "m s-1", "valid_min": -10.0, "valid_max": 10.0}
    ds = xr.Dataset(
        {
            "uo": var(
                _extend_to_land(result.uo, sea),
                {
                    "standard_name": "surface_eastward_sea_water_velocity",
                    "long_name": "surface current for drift, eastward (depth mean + wind shear)",
                    **vel,
                    "comment": "off the sea: the nearest sea cell's value",
                },
            ),
            "vo": var(
                _extend_to_land(result.vo, sea),
                {
                    "standard_name": "surface_northward_sea_water_velocity",
                    "long_name": "surface current for drift, northward (depth mean + wind shear)",
                    **vel,
                    "comment": "off the sea: the nearest sea cell's value",
                },
            ),
            "ubar": var(
                result.ubar,
                {
                    "standard_name": "barotropic_eastward_sea_water_velocity",
                    "long_name": "depth-mean current, eastward",
                    **vel,
                },
            ),
            "vbar": var(
                result.vbar,
                {
                    "standard_name": "barotropic_northward_sea_water_velocity",
                    "long_name": "depth-mean current, northward",
                    **vel,
                },
            ),
            "zos": var(
                result.zos,
                {
                    "standard_name": "sea_surface_height_above_mean_sea_level",
                    "long_name": "sea level above the model's rest level",
                    "units": "m",
                    "datum_level_bs_m": level if level is not None else "none",
                    "comment": (
                        "rest level in the Baltic height system (m): datum_level_bs_m; "
                        "sea level BS = datum_level_bs_m + zos"
                    ),
                },
            ),
            "depth": xr.Variable(
                ("lat", "lon"),
                grid.depth_m.astype(np.float32),
                {
                    "standard_name": "sea_floor_depth_below_mean_sea_level",
                    "long_name": "depth below the rest level",
                    "units": "m",
                    "positive": "down",
                },
            ),
            "sea_binary_mask": xr.Variable(
                ("lat", "lon"),
                sea.astype(np.int8),
                {
                    "standard_name": "sea_binary_mask",
                    "long_name": "1 where the cell is modelled sea",
                    "units": "1",
                    "flag_values": np.array([0, 1], dtype=np.int8),
                    "flag_meanings": "land sea",
                },
            ),
            "wet": var(
                result.wet.astype(np.int8),
                {"long_name": "1 where a sea cell holds water (not dried out)", "units": "1"},
            ),
            "volume": xr.Variable(
                ("time",),
                result.volume_series_m3,
                {"long_name": "water in the basin", "units": "m3"},
            ),
        },
        coords={
            "time": ("time", result.times.astype("datetime64[ns]"), {"standard_name": "time"}),
            "lat": (
                "lat",
                grid.lat,
                {"standard_name": "latitude", "units": "degrees_north", "axis": "Y"},
            ),
            "lon": (
                "lon",
                grid.lon,
                {"standard_name": "longitude", "units": "degrees_east", "axis": "X"},
            ),
        },
        attrs={
            "Conventions": "CF-1.11",
            "title": "littoral.ocean: wind-driven depth-mean circulation and sea level",
            "source": f"littoral {__version__} littoral.ocean shallow-water model",
            "grid": grid.name,
            "wind": result.wind_source,
            "references": (
                "docs/ocean.md; depths: SMCGTools (BSD-3-Clause, (c) 2023 Jian-Guo Li) from "
                "GEBCO Compilation Group (2022) GEBCO 2022 Grid, "
                "doi:10.5285/e0f0bb80-ab44-2739-e053-6c86abc0289c"
            ),
            "settings": json.dumps(settings, default=str),
            "diagnostics": json.dumps(asdict(d)),
            "dt_s": d.dt_s,
            "courant_number": d.courant,
            "relative_volume_error": d.relative_volume_error,
        },
    )
    enc: dict[str, dict[str, Any]] = {
        n: {"zlib": True, "complevel": 4, "_FillValue": np.float32(np.nan)}
        for n in ("uo", "vo", "ubar", "vbar", "zos", "depth")
    }
    enc["time"] = {"units": "seconds since 1970-01-01 00:00:00", "dtype": "float64"}
    ds.to_netcdf(path, encoding=enc, format="NETCDF4")
