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
a particle that meets it stops at the exact crossing point, ``STRANDED`` (or, with the
"previous" coast action, stays at ``x``, its last water position, and drifts on).

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

import math
import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numba
import numpy as np
import numpy.typing as npt

from littoral.drift.kernel_args import KernelArgs, coerced
from littoral.drift.leeway import leeway_velocity
from littoral.geo.mask import LandMask, mask_segment_crossing
from littoral.records.particle_status import ParticleStatus

# The status codes as compile-time constants, from the one table.
ACTIVE = np.int8(ParticleStatus.ACTIVE)
STRANDED = np.int8(ParticleStatus.STRANDED)
NOT_RELEASED = np.int8(ParticleStatus.NOT_RELEASED)
OUT_OF_FORCING = np.int8(ParticleStatus.OUT_OF_FORCING)

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
    wind: tuple[float, float],
    cur: tuple[float, float],
    stokes: tuple[float, float],
    pert: tuple[float, float, float, float],
    lat: float,
    consts: npt.NDArray[np.float64],
    z_dw: float,
    z_cw: float,
    side: int,
    factor: float,
) -> tuple[float, float]:
    # Current + leeway (+ Stokes drift) in degrees per second at latitude ``lat``.
    lu, lv = leeway_velocity(wind[0] + pert[0], wind[1] + pert[1], consts, z_dw, z_cw, side,
                             factor)  # fmt: skip
    u = lu + cur[0] + pert[2] + stokes[0]
    v = lv + cur[1] + pert[3] + stokes[1]
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


@numba.njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def _jibe(
    side: npt.NDArray[np.int8],
    jibe_n: npt.NDArray[np.int64],
    next_jibe_s: npt.NDArray[np.float64],
    p: np.uint64,
    age: float,
    rate: float,
    key: np.uint64,
) -> None:
    # Jibing: a Poisson process in the particle's age.
    nj = next_jibe_s[p]
    if nj < 0.0:
        nj = -math.log(uniform01(key, p, STREAM_JIBE)) / rate
    while age >= nj:
        side[p] = 1 - side[p]
        jibe_n[p] += 1
        u = uniform01(key, p, STREAM_JIBE + np.uint64(jibe_n[p]))
        nj += -math.log(u) / rate
    next_jibe_s[p] = nj


@numba.njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def _capsize_hazard(
    wind_ms: tuple[float, float, bool],
    pert: tuple[float, float, float, float],
    threshold_ms: float,
    sigma_ms: float,
    adt: float,
) -> float:
    # Capsizing hazard accumulated over one step (0 where the wind is unknown).
    wu, wv, okw = wind_ms
    if not okw:
        return 0.0
    speed = math.sqrt((wu + pert[0]) ** 2 + (wv + pert[1]) ** 2)
    prob = min(0.5 + 0.5 * math.tanh((speed - threshold_ms) / sigma_ms), 1.0 - 1e-12)
    return -math.log(1.0 - prob) / 3600.0 * adt


@numba.njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def _perturb(
    ou: npt.NDArray[np.float64],
    sigma: npt.NDArray[np.float64],
    p: np.uint64,
    k: int,
    a: float,
    b: float,
    key: np.uint64,
) -> None:
    # The Ornstein-Uhlenbeck errors one step on (exact discretisation, Box-Muller normals).
    ctr = STREAM_OU + np.uint64(4 * k)
    u1 = uniform01(key, p, ctr)
    u2 = uniform01(key, p, ctr + np.uint64(1))
    u3 = uniform01(key, p, ctr + np.uint64(2))
    u4 = uniform01(key, p, ctr + np.uint64(3))
    r1 = math.sqrt(-2.0 * math.log(u1))
    r2 = math.sqrt(-2.0 * math.log(u3))
    ou[p, 0] = a * ou[p, 0] + b * sigma[0] * r1 * math.cos(2.0 * math.pi * u2)
    ou[p, 1] = a * ou[p, 1] + b * sigma[0] * r1 * math.sin(2.0 * math.pi * u2)
    ou[p, 2] = a * ou[p, 2] + b * sigma[1] * r2 * math.cos(2.0 * math.pi * u4)
    ou[p, 3] = a * ou[p, 3] + b * sigma[1] * r2 * math.sin(2.0 * math.pi * u4)


@numba.njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _advance_block(
    args: KernelArgs, first: int, count: int, k0: int, k1: int, tmp: npt.NDArray[np.float64]
) -> None:
    # One block of particles through steps k0..k1.
    # The arrays are taken out of ``args`` once, here: reading a tuple's array inside the
    # loops would count a reference per access (atomic, shared between threads).
    prm = args.params
    lon, lat, status, side, capsized, age_s, jibe_n, next_jibe_s, hazard, ou = args.state
    release_k, z_dw, z_cw, capsize_threshold = args.draws
    wind_data, wind_geom, wind_ti, wind_tw = args.forcing.wind
    cur_data, cur_geom, cur_ti, cur_tw = args.forcing.cur
    stokes_data, stokes_geom, stokes_ti, stokes_tw = args.forcing.stokes
    mask, clearance = args.shore
    out_lon, out_lat, out_status = args.out
    mid_lon, mid_lat, live = args.scratch
    consts, ou_sigma, key = prm.consts, prm.ou_sigma, prm.key
    dt_s, ou_on, coast_on, jibe_rate = prm.dt_s, prm.ou_on, prm.coast_on, prm.jibe_rate
    coast_previous = prm.coast_previous
    capsize_on, capsize_fraction = prm.capsize_on, prm.capsize_fraction
    cap_wind_ms, cap_sigma_ms = prm.capsize_wind_ms, prm.capsize_sigma_ms
    # Unsigned particle indices: numba then skips the negative-index wraparound of every
    # array access (1.1x fewer CPU cycles).
    lo = np.uint64(first)
    m = np.uint64(count)
    adt = abs(dt_s)
    a = math.exp(-adt / prm.ou_tau_s) if ou_on else 0.0
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
            _sample_block(wind_data, wind_geom, wind_ti[h], wind_tw[h], xs, ys, lo, m, live,
                          tmp[0], tmp[1])  # fmt: skip
            _sample_block(cur_data, cur_geom, cur_ti[h], cur_tw[h], xs, ys, lo, m, live,
                          tmp[2], tmp[3])  # fmt: skip
            if prm.stokes_on:
                _sample_block(stokes_data, stokes_geom, stokes_ti[h], stokes_tw[h], xs, ys, lo,
                              m, live, tmp[4], tmp[5])  # fmt: skip
            step = 0.5 * dt_s if stage == 0 else dt_s
            for j in range(m):
                p = lo + j
                if live[p]:
                    factor = capsize_fraction if capsized[p] != 0 else 1.0
                    fx, fy = _rates(
                        (tmp[0, j], tmp[1, j]), (tmp[2, j], tmp[3, j]), (tmp[4, j], tmp[5, j]),
                        _perturbation(ou, p, ou_on), ys[p], consts, z_dw[p], z_cw[p], side[p],
                        factor,
                    )  # fmt: skip
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
                    if not coast_previous:  # (previous: the step is undone, still afloat)
                        lon[p] = x + frac * (x1 - x)
                        lat[p] = y + frac * (y1 - y)
                        status[p] = STRANDED
                else:
                    lon[p] = x1
                    lat[p] = y1
                age = age_s[p] + adt
                age_s[p] = age
                if jibe_rate > 0.0:
                    _jibe(side, jibe_n, next_jibe_s, p, age, jibe_rate, key)
                # Capsizing: accumulated hazard against the particle's Exp(1) threshold.
                if capsize_on and capsized[p] == 0:
                    w = _sample(wind_data, wind_geom, wind_ti[2 * k], wind_tw[2 * k], x, y)
                    pe = _perturbation(ou, p, ou_on)
                    hazard[p] += _capsize_hazard(w, pe, cap_wind_ms, cap_sigma_ms, adt)
                    if hazard[p] > capsize_threshold[p]:
                        capsized[p] = np.int8(1)
                if ou_on:
                    _perturb(ou, ou_sigma, p, k, a, b, key)
            elif status[p] == NOT_RELEASED and k + 1 >= release_k[p]:
                status[p] = ACTIVE  # released at the end of this step, at its seed position
        if (k + 1) % prm.out_every == 0:
            jo = (k + 1) // prm.out_every - prm.out_first
            for j in range(m):
                p = lo + j
                out_lon[jo, p] = lon[p]
                out_lat[jo, p] = lat[p]
                out_status[jo, p] = status[p]


@numba.njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
def _advance_range(args: KernelArgs, first: int, count: int, k0: int, k1: int) -> None:
    # Particles first .. first + count, block by block, through steps k0..k1. Compiled
    # without a numba parallel loop: threads run it on separate ranges (see drift_kernel).
    tmp = np.zeros((6, BLOCK))  # wind, current, Stokes drift at a block's particles
    for b0 in range(first, first + count, BLOCK):
        _advance_block(args, b0, min(BLOCK, first + count - b0), k0, k1, tmp)


def drift_kernel(args: KernelArgs, k0: int, k1: int) -> None:
    """Advance every particle from step ``k0`` to ``k1`` (see the module docstring).

    ``args`` holds the state, which is advanced in place, and the outputs, which are written
    at output times; the GPU kernel (:func:`littoral.drift.gpu.drift_kernel_gpu`) takes the
    same.

    Threads (``numba.get_num_threads()``, released from the GIL) take ranges of
    :data:`RANGE` particles in turn until none is left, so a thread slowed by other work on
    its core leaves more ranges to the others; a particle's result does not depend on the
    thread that ran it.
    """
    # Scalars coerced to one type each, so that every caller shares one compiled version.
    a: KernelArgs = coerced(args)
    k0, k1 = int(k0), int(k1)
    n = int(a.state.lon.size)
    starts = range(0, n, RANGE)
    threads = min(numba.get_num_threads(), len(starts))
    if threads <= 1:
        _advance_range(a, 0, n, k0, k1)
        return
    pool = _pool(threads, os.getpid())
    for _ in pool.map(lambda lo: _advance_range(a, lo, min(RANGE, n - lo), k0, k1), starts):
        pass  # (consuming the results re-raises a thread's error here)
