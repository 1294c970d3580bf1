"""Curvilinear grids (2-D latitude and longitude, as ROMS, NEMO and INMOM write them).

On such a grid a value between nodes is interpolated bilinearly in the grid's own index
space (the standard for curvilinear ocean models, and what xarray's ``interp`` gives on the
index dimensions): a position is first turned into fractional indices ``(i, j)`` by inverting
the bilinear map from indices to longitude and latitude cell by cell (Newton's method, from
the nearest node), then the four corner values are weighted as on a regular grid.

For the compiled kernel, which reads regular grids, the reader resamples the block the
cloud can reach onto a regular longitude/latitude grid at the model's own resolution
(:func:`regular_axes`), with the same interpolation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

_NEWTON_STEPS = 12


@dataclass(frozen=True, slots=True)
class IndexMap:
    """Positions to fractional indices on a curvilinear grid.

    Parameters
    ----------
    lon, lat:
        Node coordinates, shape ``(ny, nx)``, degrees.
    """

    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    _scale: float = field(init=False)
    _tree: object = field(init=False)

    def __post_init__(self) -> None:
        from scipy.spatial import cKDTree

        scale = float(np.cos(np.radians(np.nanmean(self.lat))))
        object.__setattr__(self, "_scale", scale)
        pts = np.column_stack([self.lon.ravel() * scale, self.lat.ravel()])
        object.__setattr__(self, "_tree", cKDTree(pts))

    def fractional(
        self, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Fractional column ``i`` and row ``j`` of each position, and whether it is inside."""
        ny, nx = self.lon.shape
        _, k = self._tree.query(np.column_stack([lon * self._scale, lat]))  # type: ignore[attr-defined]
        fj = (np.asarray(k) // nx).astype(np.float64)
        fi = (np.asarray(k) % nx).astype(np.float64)
        for _ in range(_NEWTON_STEPS):
            i0 = np.clip(np.floor(fi), 0, nx - 2).astype(np.int64)
            j0 = np.clip(np.floor(fj), 0, ny - 2).astype(np.int64)
            a, b = fi - i0, fj - j0
            x00, x10 = self.lon[j0, i0], self.lon[j0, i0 + 1]
            x01, x11 = self.lon[j0 + 1, i0], self.lon[j0 + 1, i0 + 1]
            y00, y10 = self.lat[j0, i0], self.lat[j0, i0 + 1]
            y01, y11 = self.lat[j0 + 1, i0], self.lat[j0 + 1, i0 + 1]
            fx = (1 - a) * (1 - b) * x00 + a * (1 - b) * x10 + (1 - a) * b * x01 + a * b * x11
            fy = (1 - a) * (1 - b) * y00 + a * (1 - b) * y10 + (1 - a) * b * y01 + a * b * y11
            dxa = (1 - b) * (x10 - x00) + b * (x11 - x01)
            dxb = (1 - a) * (x01 - x00) + a * (x11 - x10)
            dya = (1 - b) * (y10 - y00) + b * (y11 - y01)
            dyb = (1 - a) * (y01 - y00) + a * (y11 - y10)
            det = dxa * dyb - dxb * dya
            det = np.where(det == 0, 1e-300, det)
            rx, ry = lon - fx, lat - fy
            fi = i0 + a + (dyb * rx - dxb * ry) / det
            fj = j0 + b + (-dya * rx + dxa * ry) / det
        eps = 1e-9
        inside = (fi >= -eps) & (fi <= nx - 1 + eps) & (fj >= -eps) & (fj <= ny - 1 + eps)
        return np.clip(fi, 0, nx - 1), np.clip(fj, 0, ny - 1), inside

    def regular_axes(
        self, bbox: tuple[float, float, float, float]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Regular axes over ``bbox`` (cut to the grid) at the grid's median node spacing."""
        dlon = float(np.nanmedian(np.hypot(*np.gradient(self.lon))))
        dlat = float(np.nanmedian(np.hypot(*np.gradient(self.lat))))
        step = max(min(dlon, dlat), 1e-4)
        lo_x = max(bbox[0], float(np.nanmin(self.lon))) - step
        hi_x = min(bbox[2], float(np.nanmax(self.lon))) + step
        lo_y = max(bbox[1], float(np.nanmin(self.lat))) - step
        hi_y = min(bbox[3], float(np.nanmax(self.lat))) + step
        nx = max(int(np.ceil((hi_x - lo_x) / step)) + 1, 2)
        ny = max(int(np.ceil((hi_y - lo_y) / step)) + 1, 2)
        lon_axis = np.asarray(lo_x + step * np.arange(nx), dtype=np.float64)
        return lon_axis, np.asarray(lo_y + step * np.arange(ny), dtype=np.float64)


def bilinear_index(
    data: npt.NDArray[np.float32] | npt.NDArray[np.float64],
    fi: npt.NDArray[np.float64],
    fj: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Bilinear values of ``data[..., ny, nx]`` at fractional indices (leading axes kept)."""
    ny, nx = data.shape[-2:]
    i0 = np.clip(np.floor(fi), 0, max(nx - 2, 0)).astype(np.int64)
    j0 = np.clip(np.floor(fj), 0, max(ny - 2, 0)).astype(np.int64)
    i1 = np.minimum(i0 + 1, nx - 1)
    j1 = np.minimum(j0 + 1, ny - 1)
    a, b = fi - i0, fj - j0
    d = np.asarray(data, dtype=np.float64)
    return (
        (1 - a) * (1 - b) * d[..., j0, i0]
        + a * (1 - b) * d[..., j0, i1]
        + (1 - a) * b * d[..., j1, i0]
        + a * b * d[..., j1, i1]
    )
