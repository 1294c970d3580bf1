"""The compiled particle kernel: the whole time loop of every particle in one call.

One call advances all particles from step ``k0`` to ``k1``; threads take ranges of
:data:`RANGE` particles in turn (a compiled function that releases the GIL, run from a
thread pool: no per-step synchronisation, and no numba parallel pass to compile), each
range is taken in blocks of :data:`BLOCK` particles, and a block's particles advance
together one step at a time, their state in a few cache lines across the whole time loop and
copied to the output arrays only at output times (the engine calls it once
per chunk of output intervals, for progress reporting; the result does not depend on the
chunking).

Per step, for an active particle at ``x`` and time ``t`` (step ``dt``, negative when
backtracking), with ``f(x, t)`` the drift velocity (current + leeway of the 10 m wind
+ optional Stokes drift) turned into degrees per second on the sphere
(``dlon/dt = u / (R cos lat)``, ``dlat/dt = v / R``), the explicit midpoint method
(second order)::

    x_mid = x + dt/2 * f(x, t)
    x_new = x + dt   * f(x_mid, t + dt/2)

Forcing arrives as regular grids laid out ``(ny, nx, nt, 2)`` (time next to the two
components, so a particle stepping through time reads neighbouring memory), sampled
bilinearly in space; the time interpolation index and weight of every half step are
precomputed. A particle leaving a grid is marked
``OUT_OF_FORCING`` and stops there. With the coast on, the straight lon/lat segment from
``x`` to ``x_new`` is tested against the shore (:func:`littoral.geo.mask_segment_crossing`,
skipped when the mask cells within the step's reach are all water);
a particle that meets it stops at the exact crossing point, ``STRANDED``.

Random numbers inside the kernel come from a counter-based generator (SplitMix64 finaliser
of Steele, Lea and Flood 2014, applied to key, particle and counter), so each particle has its
own reproducible stream whatever the thread schedule:

- jibing: waiting times between jibes are exponential with rate ``jibe_rate`` per second;
- forcing perturbation: an Ornstein-Uhlenbeck process per particle and component (wind u, v,
  current u, v), exact discretisation ``p <- a p + sigma sqrt(1 - a^2) n``,
  ``a = exp(-|dt| / tau)``: its variance is ``sigma^2`` and its correlation time ``tau``
  whatever the time step, so the spread it causes does not depend on ``dt``.
"""

from __future__ import annotations

import inspect
import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from littoral.drift.leeway import leeway_velocity
from littoral.geo.mask import LandMask, mask_segment_crossing

ACTIVE = np.int8(0)
STRANDED = np.int8(1)
NOT_RELEASED = np.int8(2)
OUT_OF_FORCING = np.int8(3)

_DEG_PER_M = 180.0 / (math.pi * 6_371_008.8)
_SEC_PER_DEG = 100.0
_SEC_TABLE = 1.0 / np.cos(np.radians(np.clip(np.arange(-90.0, 90.005, 0.01), -89.99, 89.99)))
_FASTMATH = {"nsz", "arcp", "contract", "afn"}  # no 'nnan'/'ninf': bounds tests use them

BLOCK = 64
"""Particles advanced together, one step at a time, by one thread."""
RANGE = 64 * BLOCK
"""Particles a thread takes at a time (see :func:`drift_kernel`)."""
STREAM_JIBE = np.uint64(1 << 40)
STREAM_OU = np.uint64(2 << 40)


@cache
def _pool(threads: int, pid: int) -> ThreadPoolExecutor:
    # One pool per thread count and process (a forked child has none of its parent's
    # threads), made on first use: no threads at import.
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"littoral-drift-{pid}")


@numba.njit(cache=True, error_model="numpy")
def _mix(x: np.uint64) -> np.uint64:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@numba.njit(cache=True, error_model="numpy")
def uniform01(key: np.uint64, particle: int | np.uint64, counter: np.uint64) -> float:
    """Uniform number in (0, 1) from (key, particle, counter); the same inputs, same value."""
    h = _mix(_mix(key ^ np.uint64(particle)) ^ counter)
    return (float(h >> np.uint64(11)) + 0.5) * (1.0 / 9007199254740992.0)


@numba.njit(cache=True, error_model="numpy")
def _sample(
    data: npt.NDArray[np.float64],
    geom: npt.NDArray[np.float64],
    ti: int,
    tw: float,
    lon: float,
    lat: float,
) -> tuple[float, float, bool]:
    # data is (ny, nx, nt, 2): a particle stepping through time reads neighbouring memory.
    ny = data.shape[0]
    nx = data.shape[1]
    if nx == 1 and ny == 1:
        u = float(data[0, 0, ti, 0])
        v = float(data[0, 0, ti, 1])
        if tw != 0.0:
            u += tw * (float(data[0, 0, ti + 1, 0]) - u)
            v += tw * (float(data[0, 0, ti + 1, 1]) - v)
        return u, v, True
    fx = (lon - geom[0]) * geom[1]
    fy = (lat - geom[2]) * geom[3]
    if not (fx >= 0.0 and fy >= 0.0 and fx <= nx - 1 and fy <= ny - 1):
        return 0.0, 0.0, False
    ix = min(int(fx), nx - 2)
    iy = min(int(fy), ny - 2)
    wx = fx - ix
    wy = fy - iy
    w00 = (1.0 - wx) * (1.0 - wy)
    w01 = wx * (1.0 - wy)
    w10 = (1.0 - wx) * wy
    w11 = wx * wy
    a = 1.0 - tw
    t1 = ti + 1
    u = (
        w00 * (a * data[iy, ix, ti, 0] + tw * data[iy, ix, t1, 0])
        + w01 * (a * data[iy, ix + 1, ti, 0] + tw * data[iy, ix + 1, t1, 0])
        + w10 * (a * data[iy + 1, ix, ti, 0] + tw * data[iy + 1, ix, t1, 0])
        + w11 * (a * data[iy + 1, ix + 1, ti, 0] + tw * data[iy + 1, ix + 1, t1, 0])
    )
    v = (
        w00 * (a * data[iy, ix, ti, 1] + tw * data[iy, ix, t1, 1])
        + w01 * (a * data[iy, ix + 1, ti, 1] + tw * data[iy, ix + 1, t1, 1])
        + w10 * (a * data[iy + 1, ix, ti, 1] + tw * data[iy + 1, ix, t1, 1])
        + w11 * (a * data[iy + 1, ix + 1, ti, 1] + tw * data[iy + 1, ix + 1, t1, 1])
    )
    return float(u), float(v), True


@numba.njit(cache=True, inline="always", error_model="numpy")
def _clear_of_shore(
    mask: LandMask,
    clearance: npt.NDArray[np.int32],
    x0: float,
    y0: float,
    x1: float,
    y1: float,
) -> bool:
    # True if the segment cannot meet the shore: every cell within its reach of the start
    # cell holds only water (``clearance`` is the chessboard distance, in cells, to the
    # nearest cell that is not pure water). Most steps at sea are of this kind.
    fx0 = (x0 - mask.lon0) * mask.inv_cell
    fy0 = (y0 - mask.lat0) * mask.inv_cell
    if not (fx0 >= 0.0 and fy0 >= 0.0 and fx0 < mask.nx and fy0 < mask.ny):
        return False
    reach = max(abs(x1 - x0), abs(y1 - y0)) * mask.inv_cell
    return bool(clearance[int(fy0), int(fx0)] > reach + 1.0)


@numba.njit(cache=True, inline="always", error_model="numpy")
def _sample_block(
    data: npt.NDArray[np.float64],
    geom: npt.NDArray[np.float64],
    ti: int,
    tw: float,
    xs: npt.NDArray[np.float64],
    ys: npt.NDArray[np.float64],
    lo: np.uint64,
    m: np.uint64,
    live: npt.NDArray[np.bool_],
    out_u: npt.NDArray[np.float64],
    out_v: npt.NDArray[np.float64],
) -> None:
    # One field at the live particles of a block: a short loop of independent samples,
    # which the CPU overlaps (a sample alone is a long chain of dependent loads). The same
    # arithmetic as :func:`_sample`.
    ny = data.shape[0]
    nx = data.shape[1]
    nt = data.shape[2]
    if nx == 1 and ny == 1:
        u = float(data[0, 0, ti, 0])
        v = float(data[0, 0, ti, 1])
        if tw != 0.0:
            u += tw * (float(data[0, 0, ti + 1, 0]) - u)
            v += tw * (float(data[0, 0, ti + 1, 1]) - v)
        for j in range(m):
            if live[lo + j]:
                out_u[j] = u
                out_v[j] = v
        return
    # Flat, unsigned indexing: no negative-index wraparound per load (1.2x faster).
    flat = data.reshape(-1)
    g0 = geom[0]
    g1 = geom[1]
    g2 = geom[2]
    g3 = geom[3]
    xmax = float(nx - 1)
    ymax = float(ny - 1)
    a = 1.0 - tw
    sx = np.uint64(2 * nt)
    sy = np.uint64(2 * nt * nx)
    toff = np.uint64(2 * ti)
    for j in range(m):
        p = lo + j
        if not live[p]:
            continue
        fx = (xs[p] - g0) * g1
        fy = (ys[p] - g2) * g3
        if not (fx >= 0.0 and fy >= 0.0 and fx <= xmax and fy <= ymax):
            live[p] = False
            continue
        ix = min(int(fx), nx - 2)
        iy = min(int(fy), ny - 2)
        wx = fx - ix
        wy = fy - iy
        w00 = (1.0 - wx) * (1.0 - wy)
        w01 = wx * (1.0 - wy)
        w10 = (1.0 - wx) * wy
        w11 = wx * wy
        b00 = np.uint64(iy) * sy + np.uint64(ix) * sx + toff
        b01 = b00 + sx
        b10 = b00 + sy
        b11 = b10 + sx
        u = (
            w00 * (a * flat[b00] + tw * flat[b00 + np.uint64(2)])
            + w01 * (a * flat[b01] + tw * flat[b01 + np.uint64(2)])
            + w10 * (a * flat[b10] + tw * flat[b10 + np.uint64(2)])
            + w11 * (a * flat[b11] + tw * flat[b11 + np.uint64(2)])
        )
        v = (
            w00 * (a * flat[b00 + np.uint64(1)] + tw * flat[b00 + np.uint64(3)])
            + w01 * (a * flat[b01 + np.uint64(1)] + tw * flat[b01 + np.uint64(3)])
            + w10 * (a * flat[b10 + np.uint64(1)] + tw * flat[b10 + np.uint64(3)])
            + w11 * (a * flat[b11 + np.uint64(1)] + tw * flat[b11 + np.uint64(3)])
        )
        out_u[j] = u
        out_v[j] = v


@numba.njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def _rates(
    wu: float,
    wv: float,
    cu: float,
    cv: float,
    su: float,
    sv: float,
    lat: float,
    consts: npt.NDArray[np.float64],
    z_dw: float,
    z_cw: float,
    side: int,
    factor: float,
    p0: float,
    p1: float,
    p2: float,
    p3: float,
) -> tuple[float, float]:
    # Current + leeway (+ Stokes drift) in degrees per second at latitude ``lat``.
    lu, lv = leeway_velocity(wu + p0, wv + p1, consts, z_dw, z_cw, side, factor)
    u = lu + cu + p2 + su
    v = lv + cv + p3 + sv
    # 1/cos(lat) from a table, linear between 0.01 degree nodes (relative error < 2e-8 below
    # 80 degrees: 2 mm in 100 km), four times faster than the cosine.
    f = (lat + 90.0) * _SEC_PER_DEG
    i = min(max(int(f), 0), _SEC_TABLE.size - 2)
    sec = _SEC_TABLE[i] + (f - i) * (_SEC_TABLE[i + 1] - _SEC_TABLE[i])
    return u * _DEG_PER_M * sec, v * _DEG_PER_M


@numba.njit(cache=True, error_model="numpy")
def _perturbation(
    ou: npt.NDArray[np.float64], p: int | np.uint64, ou_on: bool
) -> tuple[float, float, float, float]:
    if not ou_on:
        return 0.0, 0.0, 0.0, 0.0
    return ou[p, 0], ou[p, 1], ou[p, 2], ou[p, 3]


@numba.njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _advance_block(
    first: int,
    count: int,
    k0: int,
    k1: int,
    dt_s: float,
    out_every: int,
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    capsized: npt.NDArray[np.int8],
    age_s: npt.NDArray[np.float64],
    jibe_n: npt.NDArray[np.int64],
    next_jibe_s: npt.NDArray[np.float64],
    hazard: npt.NDArray[np.float64],
    ou: npt.NDArray[np.float64],
    release_k: npt.NDArray[np.int64],
    z_dw: npt.NDArray[np.float64],
    z_cw: npt.NDArray[np.float64],
    capsize_threshold: npt.NDArray[np.float64],
    consts: npt.NDArray[np.float64],
    jibe_rate: float,
    capsize_on: bool,
    capsize_fraction: float,
    capsize_wind_ms: float,
    capsize_sigma_ms: float,
    ou_on: bool,
    ou_tau_s: float,
    ou_sigma: npt.NDArray[np.float64],
    key: np.uint64,
    wind: npt.NDArray[np.float64],
    wind_geom: npt.NDArray[np.float64],
    wind_ti: npt.NDArray[np.int64],
    wind_tw: npt.NDArray[np.float64],
    cur: npt.NDArray[np.float64],
    cur_geom: npt.NDArray[np.float64],
    cur_ti: npt.NDArray[np.int64],
    cur_tw: npt.NDArray[np.float64],
    stokes_on: bool,
    stokes: npt.NDArray[np.float64],
    stokes_geom: npt.NDArray[np.float64],
    stokes_ti: npt.NDArray[np.int64],
    stokes_tw: npt.NDArray[np.float64],
    coast_on: bool,
    mask: LandMask,
    out_lon: npt.NDArray[np.float64],
    out_lat: npt.NDArray[np.float64],
    out_status: npt.NDArray[np.int8],
    mid_lon: npt.NDArray[np.float64],
    mid_lat: npt.NDArray[np.float64],
    live: npt.NDArray[np.bool_],
    clearance: npt.NDArray[np.int32],
    tmp: npt.NDArray[np.float64],
) -> None:
    # One block of particles through steps k0..k1.
    # Unsigned particle indices: numba then skips the negative-index wraparound of every
    # array access (1.1x fewer CPU cycles).
    lo = np.uint64(first)
    m = np.uint64(count)
    adt = abs(dt_s)
    a = math.exp(-adt / ou_tau_s) if ou_on else 0.0
    b = math.sqrt(max(1.0 - a * a, 0.0))
    for k in range(k0, k1):
        # The midpoint step for the whole block, field by field: short loops over
        # independent particles, which the CPU overlaps.
        for j in range(m):
            live[lo + j] = status[lo + j] == ACTIVE
        for stage in range(2):
            h = 2 * k + stage
            xs = lon if stage == 0 else mid_lon
            ys = lat if stage == 0 else mid_lat
            _sample_block(wind, wind_geom, wind_ti[h], wind_tw[h], xs, ys, lo, m, live,
                          tmp[0], tmp[1])  # fmt: skip
            _sample_block(cur, cur_geom, cur_ti[h], cur_tw[h], xs, ys, lo, m, live,
                          tmp[2], tmp[3])  # fmt: skip
            if stokes_on:
                _sample_block(stokes, stokes_geom, stokes_ti[h], stokes_tw[h], xs, ys, lo, m,
                              live, tmp[4], tmp[5])  # fmt: skip
            for j in range(m):
                p = lo + j
                if live[p]:
                    p0, p1, p2, p3 = _perturbation(ou, p, ou_on)
                    factor = capsize_fraction if capsized[p] != 0 else 1.0
                    fx, fy = _rates(
                        tmp[0, j], tmp[1, j], tmp[2, j], tmp[3, j], tmp[4, j], tmp[5, j],
                        ys[p], consts, z_dw[p], z_cw[p], side[p], factor, p0, p1, p2, p3,
                    )  # fmt: skip
                    step = 0.5 * dt_s if stage == 0 else dt_s
                    mid_lon[p] = lon[p] + step * fx  # after stage 2: the end of the step
                    mid_lat[p] = lat[p] + step * fy
                elif status[p] == ACTIVE:
                    status[p] = OUT_OF_FORCING
        for j in range(m):
            p = lo + j
            if live[p]:
                x = lon[p]
                y = lat[p]
                x1 = mid_lon[p]
                y1 = mid_lat[p]
                frac = -1.0
                if coast_on and not _clear_of_shore(mask, clearance, x, y, x1, y1):
                    frac = mask_segment_crossing(mask, x, y, x1, y1)
                if frac >= 0.0:
                    lon[p] = x + frac * (x1 - x)
                    lat[p] = y + frac * (y1 - y)
                    status[p] = STRANDED
                else:
                    lon[p] = x1
                    lat[p] = y1
                # Jibing: a Poisson process in the particle's age.
                age = age_s[p] + adt
                age_s[p] = age
                if jibe_rate > 0.0:
                    nj = next_jibe_s[p]
                    if nj < 0.0:
                        nj = -math.log(uniform01(key, p, STREAM_JIBE)) / jibe_rate
                    while age >= nj:
                        side[p] = 1 - side[p]
                        jibe_n[p] += 1
                        u = uniform01(key, p, STREAM_JIBE + np.uint64(jibe_n[p]))
                        nj += -math.log(u) / jibe_rate
                    next_jibe_s[p] = nj
                # Capsizing: accumulated hazard against the particle's Exp(1) threshold.
                if capsize_on and capsized[p] == 0:
                    wu, wv, okw = _sample(wind, wind_geom, wind_ti[2 * k], wind_tw[2 * k], x, y)
                    if okw:
                        q0, q1, _, _ = _perturbation(ou, p, ou_on)
                        speed = math.sqrt((wu + q0) ** 2 + (wv + q1) ** 2)
                        arg = (speed - capsize_wind_ms) / capsize_sigma_ms
                        prob = min(0.5 + 0.5 * math.tanh(arg), 1.0 - 1e-12)
                        hazard[p] += -math.log(1.0 - prob) / 3600.0 * adt
                        if hazard[p] > capsize_threshold[p]:
                            capsized[p] = np.int8(1)
                if ou_on:
                    ctr = STREAM_OU + np.uint64(4 * k)
                    u1 = uniform01(key, p, ctr)
                    u2 = uniform01(key, p, ctr + np.uint64(1))
                    u3 = uniform01(key, p, ctr + np.uint64(2))
                    u4 = uniform01(key, p, ctr + np.uint64(3))
                    r1 = math.sqrt(-2.0 * math.log(u1))
                    r2 = math.sqrt(-2.0 * math.log(u3))
                    ou[p, 0] = a * ou[p, 0] + b * ou_sigma[0] * r1 * math.cos(2.0 * math.pi * u2)
                    ou[p, 1] = a * ou[p, 1] + b * ou_sigma[0] * r1 * math.sin(2.0 * math.pi * u2)
                    ou[p, 2] = a * ou[p, 2] + b * ou_sigma[1] * r2 * math.cos(2.0 * math.pi * u4)
                    ou[p, 3] = a * ou[p, 3] + b * ou_sigma[1] * r2 * math.sin(2.0 * math.pi * u4)
            elif status[p] == NOT_RELEASED and k + 1 >= release_k[p]:
                status[p] = ACTIVE  # released at the end of this step, at its seed position
        if (k + 1) % out_every == 0:
            jo = (k + 1) // out_every
            for j in range(m):
                p = lo + j
                out_lon[jo, p] = lon[p]
                out_lat[jo, p] = lat[p]
                out_status[jo, p] = status[p]


@numba.njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
def _advance_range(
    first: int,
    count: int,
    k0: int,
    k1: int,
    dt_s: float,
    out_every: int,
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    capsized: npt.NDArray[np.int8],
    age_s: npt.NDArray[np.float64],
    jibe_n: npt.NDArray[np.int64],
    next_jibe_s: npt.NDArray[np.float64],
    hazard: npt.NDArray[np.float64],
    ou: npt.NDArray[np.float64],
    release_k: npt.NDArray[np.int64],
    z_dw: npt.NDArray[np.float64],
    z_cw: npt.NDArray[np.float64],
    capsize_threshold: npt.NDArray[np.float64],
    consts: npt.NDArray[np.float64],
    jibe_rate: float,
    capsize_on: bool,
    capsize_fraction: float,
    capsize_wind_ms: float,
    capsize_sigma_ms: float,
    ou_on: bool,
    ou_tau_s: float,
    ou_sigma: npt.NDArray[np.float64],
    key: np.uint64,
    wind: npt.NDArray[np.float64],
    wind_geom: npt.NDArray[np.float64],
    wind_ti: npt.NDArray[np.int64],
    wind_tw: npt.NDArray[np.float64],
    cur: npt.NDArray[np.float64],
    cur_geom: npt.NDArray[np.float64],
    cur_ti: npt.NDArray[np.int64],
    cur_tw: npt.NDArray[np.float64],
    stokes_on: bool,
    stokes: npt.NDArray[np.float64],
    stokes_geom: npt.NDArray[np.float64],
    stokes_ti: npt.NDArray[np.int64],
    stokes_tw: npt.NDArray[np.float64],
    coast_on: bool,
    mask: LandMask,
    out_lon: npt.NDArray[np.float64],
    out_lat: npt.NDArray[np.float64],
    out_status: npt.NDArray[np.int8],
    mid_lon: npt.NDArray[np.float64],
    mid_lat: npt.NDArray[np.float64],
    live: npt.NDArray[np.bool_],
    clearance: npt.NDArray[np.int32],
) -> None:
    # Particles first .. first + count, block by block, through steps k0..k1. Compiled
    # without a numba parallel loop: threads run it on separate ranges (see drift_kernel).
    tmp = np.zeros((6, BLOCK))  # wind, current, Stokes drift at a block's particles
    for b0 in range(first, first + count, BLOCK):
        _advance_block(
            b0, min(BLOCK, first + count - b0), k0, k1, dt_s, out_every,
            lon, lat, status, side, capsized, age_s, jibe_n, next_jibe_s, hazard, ou,
            release_k, z_dw, z_cw, capsize_threshold, consts, jibe_rate,
            capsize_on, capsize_fraction, capsize_wind_ms, capsize_sigma_ms,
            ou_on, ou_tau_s, ou_sigma, key,
            wind, wind_geom, wind_ti, wind_tw, cur, cur_geom, cur_ti, cur_tw,
            stokes_on, stokes, stokes_geom, stokes_ti, stokes_tw, coast_on, mask,
            out_lon, out_lat, out_status, mid_lon, mid_lat, live, clearance, tmp,
        )  # fmt: skip


_COERCE: dict[str, Callable[[Any], Any]] = {
    "int": int,
    "float": float,
    "bool": bool,
    "np.uint64": np.uint64,
}
"""How each scalar annotation of ``_advance_range`` is coerced; arrays pass unchanged."""


@cache
def _argument_coercions() -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    # The one argument list is _advance_range's signature, after its (first, count).
    params = list(inspect.signature(_advance_range.py_func).parameters.values())[2:]
    return tuple((p.name, _COERCE.get(str(p.annotation))) for p in params)


def drift_kernel(*kernel_args: Any) -> None:
    """Advance every particle from step ``k0`` to ``k1`` (see the module docstring).

    The arguments are those of ``_advance_range`` after ``first`` and ``count``, in that
    order (``k0, k1, dt_s, out_every, lon, lat, ...``); the GPU kernel takes the same.

    Threads (``numba.get_num_threads()``, released from the GIL) take ranges of
    :data:`RANGE` particles in turn until none is left, so a thread slowed by other work on
    its core leaves more ranges to the others; a particle's result does not depend on the
    thread that ran it.
    """
    coercions = _argument_coercions()
    if len(kernel_args) != len(coercions):
        raise TypeError(f"drift_kernel takes {len(coercions)} arguments, got {len(kernel_args)}")
    # Scalars coerced to one type each, so that every caller shares one compiled version.
    args = tuple(
        value if coerce is None else coerce(value)
        for (_, coerce), value in zip(coercions, kernel_args, strict=True)
    )
    n = int(args[[name for name, _ in coercions].index("lon")].size)
    starts = range(0, n, RANGE)
    threads = min(numba.get_num_threads(), len(starts))
    if threads <= 1:
        _advance_range(0, n, *args)
        return
    pool = _pool(threads, os.getpid())
    for _ in pool.map(lambda lo: _advance_range(lo, min(RANGE, n - lo), *args), starts):
        pass  # (consuming the results re-raises a thread's error here)
