"""Summaries of a particle cloud: centroid track, containment areas, probability grid.

Containment areas are highest-density regions (Hyndman 1996, "Computing and graphing highest
density regions"): the particle positions, projected on a local plane about the cloud's
centroid, are binned on a grid and smoothed with a Gaussian kernel of Scott's bandwidth
(``h = sigma * n^(-1/6)`` per axis, a kernel density estimate on a grid); the p-containment
area is the region where the density exceeds the level that leaves weight ``p`` inside,
traced as polygons (with holes) by ``contourpy``. Unlike a convex hull it follows a cloud
split in two by the wind (left and right drifters) or cut by a coast.

The probability grid (:func:`density_grid`) is a plain weighted histogram of the released
particles that sums to one; search planning works on it.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from os import PathLike
from typing import Any

import numpy as np
import numpy.typing as npt

from littoral.drift.result import DriftResult, ParticleStatus
from littoral.errors import InputError
from littoral.units import EARTH_RADIUS_M

_M_PER_DEG = EARTH_RADIUS_M * np.pi / 180.0


@dataclass(frozen=True, slots=True)
class DensityGrid:
    """A probability grid on regular lon/lat edges.

    Attributes
    ----------
    lon_edges, lat_edges:
        Cell edges in degrees, shapes ``(nx + 1,)`` and ``(ny + 1,)``.
    probability:
        Weight in each cell, shape ``(ny, nx)``, summing to one (all zeros if no particle
        was released).
    """

    lon_edges: npt.NDArray[np.float64]
    lat_edges: npt.NDArray[np.float64]
    probability: npt.NDArray[np.float64]


def _released(result: DriftResult, k: int) -> npt.NDArray[np.bool_]:
    s = result.status[k]
    out: npt.NDArray[np.bool_] = (s == ParticleStatus.ACTIVE) | (s == ParticleStatus.STRANDED)
    return out


def centroid(result: DriftResult, k: int) -> tuple[float, float] | None:
    """Return the weighted centroid ``(lon, lat)`` of the released particles at time ``k``."""
    sel = _released(result, k)
    w = result.weight[sel]
    if w.size == 0 or w.sum() <= 0:
        return None
    return (
        float(np.average(result.lon[k, sel], weights=w)),
        float(np.average(result.lat[k, sel], weights=w)),
    )


def density_grid(
    result: DriftResult,
    time_index: int,
    *,
    cell_m: float | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> DensityGrid:
    """Weighted histogram of the released particles at one output time.

    Parameters
    ----------
    result:
        The drift result.
    time_index:
        Output time index.
    cell_m:
        Cell size in metres (north-south; east-west cells have the same length at the grid's
        mid latitude). Default: a tenth of the cloud's larger standard deviation, at least
        100 m.
    bounds:
        ``(lon_min, lat_min, lon_max, lat_max)``; default: the cloud's extent.
    """
    if not -result.n_times <= time_index < result.n_times:
        raise InputError(f"time_index={time_index!r} is outside 0..{result.n_times - 1}")
    sel = _released(result, time_index)
    lon = result.lon[time_index, sel]
    lat = result.lat[time_index, sel]
    w = result.weight[sel]
    if bounds is None:
        if lon.size == 0:
            lon0, lat0 = result.lon[time_index, 0], result.lat[time_index, 0]
            bounds = (lon0 - 0.01, lat0 - 0.01, lon0 + 0.01, lat0 + 0.01)
        else:
            bounds = (lon.min(), lat.min(), lon.max(), lat.max())
    lon_min, lat_min, lon_max, lat_max = (float(b) for b in bounds)
    if not (lon_max >= lon_min and lat_max >= lat_min):
        raise InputError(f"bounds={bounds!r} must be (lon_min, lat_min, lon_max, lat_max)")
    coslat = np.cos(np.radians(0.5 * (lat_min + lat_max)))
    if cell_m is None:
        spread = 0.0
        if lon.size > 1:
            spread = max(float(np.std(lon)) * coslat * _M_PER_DEG, float(np.std(lat)) * _M_PER_DEG)
        cell_m = max(100.0, spread / 10.0)
    if not cell_m > 0:
        raise InputError(f"cell_m={cell_m!r} must be > 0")
    dlat = cell_m / _M_PER_DEG
    dlon = dlat / max(coslat, 1e-6)
    nx = max(1, int(np.ceil((lon_max - lon_min) / dlon)) + 1)
    ny = max(1, int(np.ceil((lat_max - lat_min) / dlat)) + 1)
    lon_edges = lon_min - 0.5 * dlon + dlon * np.arange(nx + 1)
    lat_edges = lat_min - 0.5 * dlat + dlat * np.arange(ny + 1)
    hist, _, _ = np.histogram2d(lat, lon, bins=(lat_edges, lon_edges), weights=w)
    total = hist.sum()
    prob = hist / total if total > 0 else hist
    return DensityGrid(
        lon_edges.astype(np.float64), lat_edges.astype(np.float64), prob.astype(np.float64)
    )


@dataclass(frozen=True, slots=True)
class _Surface:
    # The smoothed density of one output time on a local plane about the centroid.
    dens: npt.NDArray[np.float64]
    xc: npt.NDArray[np.float64]
    yc: npt.NDArray[np.float64]
    lon_c: float
    lat_c: float
    kx: float
    sorted_desc: npt.NDArray[np.float64]
    cum: npt.NDArray[np.float64]


def _surface(result: DriftResult, time_index: int) -> _Surface | None:
    from scipy.ndimage import gaussian_filter

    sel = _released(result, time_index)
    lon = result.lon[time_index, sel]
    lat = result.lat[time_index, sel]
    w = result.weight[sel]
    if lon.size < 3 or w.sum() <= 0:
        return None
    lon_c = float(np.average(lon, weights=w))
    lat_c = float(np.average(lat, weights=w))
    kx = float(np.cos(np.radians(lat_c)) * _M_PER_DEG)
    x = (lon - lon_c) * kx
    y = (lat - lat_c) * _M_PER_DEG
    n_eff = w.sum() ** 2 / np.sum(w * w)
    factor = n_eff ** (-1.0 / 6.0)
    hx = max(float(np.sqrt(np.cov(x, aweights=w))) * factor, 10.0)
    hy = max(float(np.sqrt(np.cov(y, aweights=w))) * factor, 10.0)
    cell = min(hx, hy) / 2.0
    pad = 4.0 * max(hx, hy)
    x0, y0 = float(x.min()) - pad, float(y.min()) - pad
    span_x, span_y = float(x.max()) + pad - x0, float(y.max()) + pad - y0
    if (span_x / cell + 1) * (span_y / cell + 1) > 4_000_000:
        cell = float(np.sqrt(span_x * span_y / 4e6))
    nx, ny = int(span_x // cell) + 1, int(span_y // cell) + 1
    # A histogram on uniform cells by index arithmetic (histogram2d searches every edge).
    ix = np.minimum(((x - x0) / cell).astype(np.int64), nx - 1)
    iy = np.minimum(((y - y0) / cell).astype(np.int64), ny - 1)
    hist = np.bincount(iy * nx + ix, weights=w, minlength=nx * ny).reshape(ny, nx)
    dens = gaussian_filter(hist / hist.sum(), sigma=(hy / cell, hx / cell), mode="constant")
    flat = np.sort(dens.ravel())[::-1]
    return _Surface(
        dens=dens,
        xc=x0 + cell * (np.arange(nx) + 0.5),
        yc=y0 + cell * (np.arange(ny) + 0.5),
        lon_c=lon_c,
        lat_c=lat_c,
        kx=kx,
        sorted_desc=flat,
        cum=np.cumsum(flat) / flat.sum(),
    )


def _polygons(sf: _Surface, level: float) -> list[list[list[list[float]]]]:
    import contourpy

    flat = sf.sorted_desc
    threshold = float(flat[min(int(np.searchsorted(sf.cum, level)), flat.size - 1)])
    gen = contourpy.contour_generator(
        sf.xc, sf.yc, sf.dens, fill_type=contourpy.FillType.OuterOffset
    )
    filled = gen.filled(threshold, float(sf.dens.max()) + 1.0)
    points, offsets = filled[0], filled[1]
    polygons: list[list[list[list[float]]]] = []
    for pts_any, offs_any in zip(points, offsets, strict=True):
        pts = np.asarray(pts_any, dtype=np.float64)
        offs = [int(o) for o in np.asarray(offs_any)]
        rings: list[list[list[float]]] = []
        for a, b in itertools.pairwise(offs):
            ring = pts[a:b]
            lons = sf.lon_c + ring[:, 0] / sf.kx
            lats = sf.lat_c + ring[:, 1] / _M_PER_DEG
            rings.append(
                [[round(float(u), 6), round(float(v), 6)] for u, v in zip(lons, lats, strict=True)]
            )
        polygons.append(rings)
    return polygons


def containment_polygons(
    result: DriftResult, time_index: int, level: float
) -> list[list[list[list[float]]]]:
    """Return the ``level`` (e.g. 0.5, 0.9) containment area as GeoJSON polygon rings.

    Returns
    -------
    list
        GeoJSON ``MultiPolygon`` coordinates: polygons of rings of ``[lon, lat]``.
    """
    if not 0.0 < level < 1.0:
        raise InputError(f"containment level={level!r} must be between 0 and 1")
    sf = _surface(result, time_index)
    return [] if sf is None else _polygons(sf, level)


def _iso(t: np.datetime64) -> str:
    return str(np.datetime_as_string(t, unit="s")) + "Z"


CentroidTrackArrays = tuple[
    npt.NDArray[np.datetime64], npt.NDArray[np.float64], npt.NDArray[np.float64]
]
"""Times, longitudes and latitudes of a centroid track (NaN where none is released)."""


def summary_time_indices(n_times: int, output_step_s: float) -> list[int]:
    """Output times the GeoJSON summary draws by default: every 24 h of drift and the last.

    >>> summary_time_indices(49, 3600)
    [24, 48]
    """
    if n_times <= 1:
        return [0]
    every = max(1, int((24 * 3600) // max(abs(output_step_s), 1)))
    return sorted({*range(every, n_times, every), n_times - 1})


def geojson_summary(
    result: DriftResult,
    *,
    time_indices: list[int] | None = None,
    levels: tuple[float, ...] = (0.5, 0.9),
    centroid_track: CentroidTrackArrays | None = None,
) -> dict[str, Any]:
    """Build a GeoJSON FeatureCollection summarising the cloud.

    Features: the centroid track (``LineString``, one vertex per output time, property
    ``times``), and for each chosen time and level a ``MultiPolygon`` containment area with
    properties ``kind="containment"``, ``level``, ``time``, ``stranded_fraction``.
    Default times: every 24 h of drift and the last output
    (:func:`summary_time_indices`). ``centroid_track`` (times, lon, lat; NaN where none is
    released) replaces the track computed from ``result``: a run that kept only a few output
    times gathers it while it computes (:class:`littoral.drift.output.CentroidTrack`).
    """
    n = result.n_times
    if time_indices is None:
        step_s = 0
        if n > 1:
            step_s = abs(int((result.times[1] - result.times[0]) / np.timedelta64(1, "s")))
        time_indices = summary_time_indices(n, step_s)
    track: list[list[float]] = []
    track_times: list[str] = []
    if centroid_track is None:
        centres = [(result.times[k], centroid(result, k)) for k in range(n)]
    else:
        times, lons, lats = centroid_track
        centres = [
            (t, (float(x), float(y)) if np.isfinite(x) else None)
            for t, x, y in zip(times, lons, lats, strict=True)
        ]
    for t, c in centres:
        if c is not None:
            track.append([round(c[0], 6), round(c[1], 6)])
            track_times.append(_iso(t))
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": track},
            "properties": {
                "kind": "centroid_track",
                "object_class": result.object_class,
                "times": track_times,
            },
        }
    ]
    for level in levels:
        if not 0.0 < level < 1.0:
            raise InputError(f"containment level={level!r} must be between 0 and 1")
    for k in time_indices:
        sf = _surface(result, k)  # once per time, for every level
        released = _released(result, k)
        stranded = result.status[k] == ParticleStatus.STRANDED
        wr = float(result.weight[released].sum())
        frac = float(result.weight[stranded].sum()) / wr if wr > 0 else 0.0
        for level in levels:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "MultiPolygon",
                        "coordinates": [] if sf is None else _polygons(sf, level),
                    },
                    "properties": {
                        "kind": "containment",
                        "level": level,
                        "time": _iso(result.times[k]),
                        "stranded_fraction": round(frac, 4),
                    },
                }
            )
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {"seed": result.seed, "object_class": result.object_class},
    }


def write_geojson(doc: dict[str, Any], path: str | PathLike[str]) -> None:
    """Write a GeoJSON document (UTF-8)."""
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh)
