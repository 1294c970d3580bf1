"""The model grid: an Arakawa C-grid on regular longitude/latitude (or local metric) cells.

Sea level sits at cell centres, the eastward velocity on the west and east faces of each cell,
the northward velocity on the south and north faces (Arakawa and Lamb 1977). On the sphere a
cell spans ``dlon`` by ``dlat`` degrees; its east-west width is ``R cos(lat) dlon`` and its
area ``R^2 dlon (sin lat_n - sin lat_s)`` (R = 6,371,008.8 m, the mean Earth radius), so the
fluxes through its four faces sum exactly to its change of volume.

The Caspian grid is the shared GEBCO_2022-derived SMCGTools depth grid (``data/NOTICE.md``),
0.0879 x 0.0586 degrees (about 7.3 x 6.5 km), masked with littoral's own sea polygon
(:class:`littoral.geo.CaspianSea`): a cell is sea if its centre is in the sea. Sea cells that
the depth grid misses (1 % of them, narrow coastal strips) take the depth of the nearest cell
that has one; cells that are not connected to the main basin through a face are dropped.

Depths are measured from the rest level of the model (``rest_level_bs_m``, metres in the
Baltic height system). The depth grid is measured from -27.5 m; choosing another rest level
shifts every depth by the difference, so at -29.2 m (2024-25) the 5 m cells of the north are
3.3 m deep and a cell whose bed is above the rest level starts dry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError

EARTH_RADIUS_M = 6_371_008.8
OMEGA_RAD_S = 7.2921159e-5
"""Earth's rotation rate (rad/s)."""
BATHYMETRY_LEVEL_BS_M = -27.5
"""The level (Baltic system, m) from which the shipped depth grid is measured."""
BATHYMETRY_FILE = "caspian_bathymetry_smc6km.nc"

F64 = npt.NDArray[np.float64]


class Geometry(NamedTuple):
    """The grid as plain arrays, for the compiled kernel.

    Attributes
    ----------
    h : float64 (ny, nx)
        Depth of the bed below the rest level, m (negative: bed above it); 0 off the sea.
    sea : uint8 (ny, nx)
        1 where the cell is part of the basin.
    dx : float64 (ny,)
        East-west width of the cells of row ``j`` (and distance between their centres), m.
    dxv : float64 (ny + 1,)
        Length of the southern face of row ``j`` (``dxv[ny]``: the northern face of the last).
    dy : float
        North-south size of a cell, m.
    area : float64 (ny,)
        Area of a cell of row ``j``, m^2.
    fu : float64 (ny,)
        Coriolis parameter at the east/west faces of row ``j``, 1/s.
    fv : float64 (ny + 1,)
        Coriolis parameter at the southern faces, 1/s.
    """

    h: F64
    sea: npt.NDArray[np.uint8]
    dx: F64
    dxv: F64
    dy: float
    area: F64
    fu: F64
    fv: F64


@dataclass(frozen=True, kw_only=True)
class OceanGrid:
    """A model grid: cell centres, depths, the sea mask and the C-grid metrics.

    Attributes
    ----------
    name : str
        What the grid is (provenance text).
    lon, lat : float64 arrays
        Cell-centre longitudes (nx,) and latitudes (ny,), degrees, increasing.
    geometry : Geometry
        Depths, mask and metrics for the kernel.
    rest_level_bs_m : float | None
        The still-water level depths are measured from, m in the Baltic height system
        (``None`` for an idealised grid).
    """

    name: str
    lon: F64
    lat: F64
    geometry: Geometry
    rest_level_bs_m: float | None = None

    @property
    def shape(self) -> tuple[int, int]:
        """``(ny, nx)``."""
        return (self.lat.size, self.lon.size)

    @property
    def n_sea(self) -> int:
        """Number of sea cells."""
        return int(self.geometry.sea.sum())

    @property
    def depth_m(self) -> F64:
        """Depth below the rest level at cell centres, NaN off the sea."""
        g = self.geometry
        return np.where(g.sea == 1, g.h, np.nan)

    def cell_area_m2(self) -> F64:
        """Area of every cell, (ny, nx), m^2."""
        return np.broadcast_to(self.geometry.area[:, None], self.shape).copy()


def rectangle_grid(
    *, nx: int, ny: int, dx_m: float, dy_m: float, depth_m: float | F64, f_per_s: float = 0.0
) -> OceanGrid:
    """Make a closed rectangular basin on a local metric (f-plane) grid, for tests and checks.

    ``depth_m`` is a number or an ``(ny, nx)`` array; the walls are the rectangle's sides.
    Longitude and latitude are nominal (cells of ``dx_m`` by ``dy_m`` at 0N 0E).
    """
    if nx < 2 or ny < 1 or dx_m <= 0 or dy_m <= 0:
        raise InputError(f"rectangle nx={nx}, ny={ny}, dx_m={dx_m}, dy_m={dy_m} is not a basin")
    h = np.broadcast_to(np.asarray(depth_m, dtype=np.float64), (ny, nx)).copy()
    deg = 180.0 / (np.pi * EARTH_RADIUS_M)
    geometry = Geometry(
        h=h,
        sea=np.ones((ny, nx), dtype=np.uint8),
        dx=np.full(ny, float(dx_m)),
        dxv=np.full(ny + 1, float(dx_m)),
        dy=float(dy_m),
        area=np.full(ny, float(dx_m) * float(dy_m)),
        fu=np.full(ny, float(f_per_s)),
        fv=np.full(ny + 1, float(f_per_s)),
    )
    return OceanGrid(
        name=f"rectangle {nx} x {ny} cells of {dx_m:g} x {dy_m:g} m",
        lon=np.asarray((np.arange(nx) + 0.5) * dx_m * deg, dtype=np.float64),
        lat=np.asarray((np.arange(ny) + 0.5) * dy_m * deg, dtype=np.float64),
        geometry=geometry,
    )


def spherical_geometry(lon: F64, lat: F64, h: F64, sea: npt.NDArray[np.bool_]) -> Geometry:
    """C-grid metrics of a regular lon/lat grid with centres ``lon``, ``lat`` (degrees)."""
    dlon = np.radians(float(lon[1] - lon[0]))
    dlat_deg = float(lat[1] - lat[0])
    lat_faces = np.radians(np.concatenate([lat - dlat_deg / 2, [lat[-1] + dlat_deg / 2]]))
    lat_c = np.radians(lat)
    r = EARTH_RADIUS_M
    return Geometry(
        h=np.where(sea, h, 0.0).astype(np.float64),
        sea=sea.astype(np.uint8),
        dx=r * np.cos(lat_c) * dlon,
        dxv=r * np.cos(lat_faces) * dlon,
        dy=r * np.radians(dlat_deg),
        area=r * r * dlon * np.diff(np.sin(lat_faces)),
        fu=2 * OMEGA_RAD_S * np.sin(lat_c),
        fv=2 * OMEGA_RAD_S * np.sin(lat_faces),
    )


def _largest_component(sea: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    from scipy import ndimage

    labels, n = ndimage.label(sea)  # 4-connected: cells that share a face
    if n <= 1:
        return sea
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    out: npt.NDArray[np.bool_] = labels == int(np.argmax(sizes))
    return out


@cache
def _bathymetry() -> tuple[F64, F64, F64]:
    import netCDF4

    ref = resources.files("littoral.ocean") / "data" / BATHYMETRY_FILE
    with resources.as_file(ref) as path, netCDF4.Dataset(path) as ds:
        ds.set_auto_mask(False)
        lon = np.asarray(ds["lon"][:], dtype=np.float64)
        lat = np.asarray(ds["lat"][:], dtype=np.float64)
        depth = np.asarray(ds["depth"][:], dtype=np.float64)
    return lon, lat, depth


def shipped_depth() -> tuple[F64, F64, F64]:
    """Return the shipped depth grid: cell-centre longitudes, latitudes and depths (m, NaN dry).

    The arrays are shared: do not write to them.
    """
    return _bathymetry()


def caspian_grid(*, rest_level_bs_m: float = BATHYMETRY_LEVEL_BS_M, coarsen: int = 1) -> OceanGrid:
    """Build the whole Caspian (without Kara-Bogaz-Gol) on the shipped depth grid.

    Parameters
    ----------
    rest_level_bs_m:
        Still-water level of the model, m in the Baltic height system (-27.5 by default, the
        depth grid's own level; the sea stood near -29.2 m in 2024-25).
    coarsen:
        Merge ``coarsen x coarsen`` cells into one (1: the native 7.3 x 6.5 km grid). A merged
        cell is sea if at least half of its cells are; its depth is their mean.
    """
    if not -40.0 <= rest_level_bs_m <= -20.0:
        raise InputError(f"rest_level_bs_m={rest_level_bs_m!r} must be within -40..-20 m (BS)")
    if coarsen not in (1, 2, 3, 4):
        raise InputError(f"coarsen={coarsen!r} must be 1, 2, 3 or 4")
    from scipy import ndimage

    from littoral.geo import CaspianSea

    lon, lat, depth = _bathymetry()
    lon2, lat2 = np.meshgrid(lon, lat)
    sea = np.asarray(CaspianSea.load().contains(lon2, lat2), dtype=bool)
    known = np.isfinite(depth)
    _, (iy, ix) = ndimage.distance_transform_edt(~known, return_indices=True)
    filled = depth[iy, ix]
    if coarsen > 1:
        k = coarsen
        ny, nx = (lat.size // k) * k, (lon.size // k) * k
        block = (ny // k, k, nx // k, k)
        frac = sea[:ny, :nx].reshape(block).mean(axis=(1, 3))
        wsum = np.where(sea, filled, 0.0)[:ny, :nx].reshape(block).sum(axis=(1, 3))
        nsea = sea[:ny, :nx].reshape(block).sum(axis=(1, 3))
        filled = np.where(nsea > 0, wsum / np.maximum(nsea, 1), 0.0)
        sea = frac >= 0.5
        lon = lon[:nx].reshape(-1, k).mean(axis=1)
        lat = lat[:ny].reshape(-1, k).mean(axis=1)
    sea = _largest_component(sea)
    h = filled + (rest_level_bs_m - BATHYMETRY_LEVEL_BS_M)
    return OceanGrid(
        name=(
            f"Caspian, SMCGTools/GEBCO_2022 depths, {lon.size} x {lat.size} cells of "
            f"{lon[1] - lon[0]:.4f} x {lat[1] - lat[0]:.4f} deg, littoral sea mask"
        ),
        lon=lon,
        lat=lat,
        geometry=spherical_geometry(lon, lat, h, sea),
        rest_level_bs_m=float(rest_level_bs_m),
    )
