"""Lambert azimuthal equal-area on the WGS 84 ellipsoid, forward, compiled for big clouds.

The plane of :class:`~littoral.search.frame.GridFrame` and of the sighting arithmetic: NM
east and north of the centre ``(lon0, lat0)``, optionally turned ``rotation_deg``
anticlockwise onto a grid's axes. The closed form is Snyder's (1987, *Map Projections: A
Working Manual*, USGS Professional Paper 1395, eqs. 3-12 and 24-13 to 24-19), PROJ's ``laea``
for the ellipsoid; ``tests/unit/search/test_laea.py`` checks it against pyproj to 1e-9 NM.

It is written by hand because a planner projects every particle of a run (millions of
points, several times per plan): the compiled loop, parallel over the points, costs a few
nanoseconds a point where pyproj's transformer costs over a hundred. The inverse (a few
thousand cell centres and waypoints) stays with pyproj.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np
import numpy.typing as npt

from littoral.units import M_PER_NM

FloatArray = npt.NDArray[np.float64]

A_M = 6378137.0
"""WGS 84 semi-major axis, metres."""
_F = 1.0 / 298.257223563
ES = _F * (2.0 - _F)
"""WGS 84 first eccentricity squared."""
E = math.sqrt(ES)


def qsfn(sinphi: float) -> float:
    """Snyder's ``q`` (eq. 3-12) for the WGS 84 ellipsoid."""
    con = E * sinphi
    return (1.0 - ES) * (
        sinphi / (1.0 - con * con) - (0.5 / E) * math.log((1.0 - con) / (1.0 + con))
    )


QP = qsfn(1.0)


@nb.njit(cache=True, inline="always")
def _point(
    lon: float, lat: float, consts: FloatArray
) -> tuple[float, float]:  # pragma: no cover - compiled
    lon0, sinb1, cosb1, kx, ky, c, s = (
        consts[0], consts[1], consts[2], consts[3], consts[4], consts[5], consts[6],
    )  # fmt: skip
    es = consts[7]
    e = math.sqrt(es)
    qp = consts[8]
    deg = math.pi / 180.0
    lam = (lon - lon0) * deg
    sinphi = math.sin(lat * deg)
    con = e * sinphi
    q = (1.0 - es) * (sinphi / (1.0 - con * con) - (0.5 / e) * math.log((1.0 - con) / (1.0 + con)))
    sinb = q / qp
    cosb = math.sqrt(max(1.0 - sinb * sinb, 0.0))
    coslam = math.cos(lam)
    b = math.sqrt(2.0 / (1.0 + sinb1 * sinb + cosb1 * cosb * coslam))
    east = kx * b * cosb * math.sin(lam)
    north = ky * b * (cosb1 * sinb - sinb1 * cosb * coslam)
    return east * c + north * s, -east * s + north * c


@nb.njit(cache=True, parallel=True)
def _forward(
    lon: FloatArray,
    lat: FloatArray,
    consts: FloatArray,
    out_x: FloatArray,
    out_y: FloatArray,
) -> None:  # pragma: no cover - compiled
    for i in nb.prange(lon.shape[0]):
        out_x[i], out_y[i] = _point(lon[i], lat[i], consts)


@nb.njit(cache=True)
def _forward_serial(
    lon: FloatArray,
    lat: FloatArray,
    consts: FloatArray,
    out_x: FloatArray,
    out_y: FloatArray,
) -> None:  # pragma: no cover - compiled
    for i in range(lon.shape[0]):
        out_x[i], out_y[i] = _point(lon[i], lat[i], consts)


PARALLEL_FROM = 20_000
"""Points from which the projection runs in parallel: below it, starting the threads costs
more than they save (a base or a few waypoints are projected dozens of times per plan)."""


def laea_forward_nm(
    lon0: float,
    lat0: float,
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    rotation_deg: float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """Project degrees to NM on the plane centred on ``(lon0, lat0)``, turned ``rotation_deg``.

    Returns arrays of the inputs' (broadcast) shape. A NaN input gives NaN.

    Examples
    --------
    >>> x, y = laea_forward_nm(51.0, 41.0, [51.0, 51.0], [41.0, 41.5])
    >>> [round(float(v), 3) for v in (x[0], y[0], y[1])]
    [0.0, 0.0, 29.983]
    """
    lon_a, lat_a = np.broadcast_arrays(
        np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    )
    shape = lon_a.shape
    flat_lon = np.ascontiguousarray(lon_a.ravel())
    flat_lat = np.ascontiguousarray(lat_a.ravel())
    phi0 = math.radians(lat0)
    s0 = math.sin(phi0)
    rq = math.sqrt(0.5 * QP)
    sinb1 = qsfn(s0) / QP
    cosb1 = math.sqrt(1.0 - sinb1 * sinb1)
    dd = math.cos(phi0) / (math.sqrt(1.0 - ES * s0 * s0) * rq * cosb1)
    a = math.radians(rotation_deg)
    consts = np.array(
        [
            lon0,
            sinb1,
            cosb1,
            (A_M / M_PER_NM) * rq * dd,
            (A_M / M_PER_NM) * (rq / dd),
            math.cos(a) if rotation_deg != 0.0 else 1.0,
            math.sin(a) if rotation_deg != 0.0 else 0.0,
            ES,
            QP,
        ],
        dtype=np.float64,
    )
    x = np.empty(flat_lon.size, dtype=np.float64)
    y = np.empty(flat_lon.size, dtype=np.float64)
    if flat_lon.size >= PARALLEL_FROM:
        _forward(flat_lon, flat_lat, consts, x, y)
    elif flat_lon.size:
        _forward_serial(flat_lon, flat_lat, consts, x, y)
    return x.reshape(shape), y.reshape(shape)


@nb.njit(cache=True, parallel=True)
def _affine_extent(
    lon: FloatArray, lat: FloatArray, jac: FloatArray
) -> tuple[float, float, float, float, float, float, float, float]:  # pragma: no cover
    """Return the affine extremes and the longitude/latitude box of the finite points."""
    lon0, lat0, a, b, c, d = jac[0], jac[1], jac[2], jac[3], jac[4], jac[5]
    xmin, xmax, ymin, ymax = np.inf, -np.inf, np.inf, -np.inf
    lo_lon, hi_lon, lo_lat, hi_lat = np.inf, -np.inf, np.inf, -np.inf
    for i in nb.prange(lon.shape[0]):
        u, v = lon[i] - lon0, lat[i] - lat0
        if math.isfinite(u) and math.isfinite(v):
            xa, ya = a * u + b * v, c * u + d * v
            xmin = min(xmin, xa)
            xmax = max(xmax, xa)
            ymin = min(ymin, ya)
            ymax = max(ymax, ya)
            lo_lon = min(lo_lon, lon[i])
            hi_lon = max(hi_lon, lon[i])
            lo_lat = min(lo_lat, lat[i])
            hi_lat = max(hi_lat, lat[i])
    return xmin, xmax, ymin, ymax, lo_lon, hi_lon, lo_lat, hi_lat


@nb.njit(cache=True)
def _candidates(
    lon: FloatArray, lat: FloatArray, jac: FloatArray, lim: FloatArray
) -> npt.NDArray[np.bool_]:  # pragma: no cover - compiled
    lon0, lat0, a, b, c, d = jac[0], jac[1], jac[2], jac[3], jac[4], jac[5]
    out = np.zeros(lon.shape[0], dtype=np.bool_)
    for i in range(lon.shape[0]):
        u, v = lon[i] - lon0, lat[i] - lat0
        if math.isfinite(u) and math.isfinite(v):
            xa, ya = a * u + b * v, c * u + d * v
            out[i] = xa <= lim[0] or xa >= lim[1] or ya <= lim[2] or ya >= lim[3]
    return out


def laea_extent_nm(
    lon0: float,
    lat0: float,
    lon: FloatArray,
    lat: FloatArray,
    rotation_deg: float = 0.0,
) -> tuple[float, float, float, float]:
    """Exact ``(xmin, xmax, ymin, ymax)`` of the finite points on the turned plane, NM.

    Equal to the extremes of :func:`laea_forward_nm` over the points, without projecting
    most of them: the plane's affine approximation at the centre (its Jacobian) ranks every
    point, its error over the points' longitude/latitude box is measured on an 11 x 11
    lattice and doubled, and only the points the bound cannot rule out are projected exactly.
    A drift run of tens of millions of positions is spanned in a few hundredths of a second.
    """
    lon = np.ascontiguousarray(lon, dtype=np.float64).ravel()
    lat = np.ascontiguousarray(lat, dtype=np.float64).ravel()
    h = 1e-4
    x0, y0 = laea_forward_nm(lon0, lat0, [lon0, lon0 + h, lon0], [lat0, lat0, lat0 + h],
                             rotation_deg)  # fmt: skip
    jac = np.array(
        [lon0, lat0, (x0[1] - x0[0]) / h, (x0[2] - x0[0]) / h,
         (y0[1] - y0[0]) / h, (y0[2] - y0[0]) / h],
        dtype=np.float64,
    )  # fmt: skip
    axmin, axmax, aymin, aymax, lo_lon, hi_lon, lo_lat, hi_lat = _affine_extent(lon, lat, jac)
    if not math.isfinite(axmin):
        raise ValueError("no finite position")
    g_lon, g_lat = np.meshgrid(np.linspace(lo_lon, hi_lon, 11), np.linspace(lo_lat, hi_lat, 11))
    gx, gy = laea_forward_nm(lon0, lat0, g_lon, g_lat, rotation_deg)
    u, v = g_lon - lon0, g_lat - lat0
    err = max(
        float(np.max(np.abs(gx - (jac[2] * u + jac[3] * v)))),
        float(np.max(np.abs(gy - (jac[4] * u + jac[5] * v)))),
    )
    margin = 2.0 * err + 1e-9
    lim = np.array([axmin + 2 * margin, axmax - 2 * margin, aymin + 2 * margin, aymax - 2 * margin])
    pick = _candidates(lon, lat, jac, lim)
    x, y = laea_forward_nm(lon0, lat0, lon[pick], lat[pick], rotation_deg)
    return float(x.min()), float(x.max()), float(y.min()), float(y.max())
