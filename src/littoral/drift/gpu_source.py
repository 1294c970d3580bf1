"""CUDA C++ source of the drift kernel for GPUs, the same algorithm as :mod:`.kernel`.

One thread per particle runs the whole time loop with its state in registers: the explicit
midpoint step with bilinear/linear forcing sampling (grids laid out ``(ny, nx, nt, 2)``), the
Leeway velocity, stranding on the shore (the same-cell shortcut, then the raster walk of
:func:`littoral.geo.mask_segment_crossing`: Amanatides and Woo 1987), jibing, capsizing and the
Ornstein-Uhlenbeck perturbation with the same counter-based random numbers (SplitMix64), so
a GPU run gives the CPU's particles up to rounding.

The source also compiles as plain C++ (``__CUDACC__`` undefined): the tests build it with the
host compiler and compare it with the numba kernel, so the GPU code is checked on machines
without a GPU.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from littoral.drift.kernel_args import WRITTEN, Forcing, KernelArgs, array_dtype, leaves
from littoral.records.particle_status import c_defines

_C_SCALARS: dict[Any, str] = {
    float: "double",
    int: "long long",
    bool: "int",
    np.uint64: "unsigned long long",
}
_C_ARRAYS: dict[np.dtype[Any], str] = {
    np.dtype(np.float64): "double",
    np.dtype(np.int64): "long long",
    np.dtype(np.int32): "int",
    np.dtype(np.int8): "signed char",
    np.dtype(np.bool_): "unsigned char",
}
_FLAT_GROUPS = frozenset({"params", "state", "draws", "forcing", "shore"})
"""Groups of :class:`KernelArgs` whose name is left out of the C names."""


class CParam(NamedTuple):
    """One parameter of the C kernel."""

    name: str
    ctype: str
    path: str | None
    """Where its value is in :class:`KernelArgs` (see :func:`.kernel_args.leaves`);
    ``None`` for a value derived from them (sizes, the secant table)."""


def _c_params() -> tuple[CParam, ...]:
    # The leaves of KernelArgs (the CPU kernel's work arrays left out), then the sizes
    # the C code needs and the 1/cos(lat) table.
    out = [CParam("k0", "long long", None), CParam("k1", "long long", None),
           CParam("n", "long long", None)]  # fmt: skip
    for path, hint in leaves(KernelArgs):
        group, *rest = path.split(".")
        if group == "scratch":
            continue
        name = "_".join(rest if group in _FLAT_GROUPS else [group, *rest])
        dtype = array_dtype(hint)
        if dtype is None:
            out.append(CParam(name, _C_SCALARS[hint], path))
        else:
            const = "" if group in WRITTEN else "const "
            out.append(CParam(name, f"{const}{_C_ARRAYS[dtype]}*", path))
    for grid in Forcing._fields:
        out += [CParam(f"{grid}_{d}", "long long", None) for d in ("ny", "nx", "nt")]
    out += [CParam("sec_table", "const double*", None), CParam("sec_n", "long long", None)]
    return tuple(out)


PARAMS: tuple[CParam, ...] = _c_params()
"""The C kernel's parameters, in order: made from :class:`KernelArgs`, the one definition."""

_SIGNATURE = ",\n    ".join(f"{p.ctype} {p.name}" for p in PARAMS)
_ARGS = ", ".join(p.name for p in PARAMS)

_BODY = r"""
#ifdef __CUDACC__
#define DEV __device__ __forceinline__
#define LIT_INF __longlong_as_double(0x7ff0000000000000LL)
#else
#include <math.h>
#define DEV static inline
#define LIT_INF INFINITY
#endif

STATUS_DEFINES
#define DEG_PER_M (180.0 / (3.141592653589793 * 6371008.8))
#define STREAM_JIBE (1ULL << 40)
#define STREAM_OU (2ULL << 40)

struct Grid {
    const double* data; long long ny, nx, nt; const double* geom;
    const long long* ti; const double* tw;
};

DEV unsigned long long mix64(unsigned long long x) {
    x = x + 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

DEV double uniform01(unsigned long long key, long long p, unsigned long long counter) {
    unsigned long long h = mix64(mix64(key ^ (unsigned long long)p) ^ counter);
    return ((double)(h >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

DEV bool sample(const Grid& g, long long h, double lon, double lat, double* u, double* v) {
    long long ti = g.ti[h];
    double tw = g.tw[h];
    const long long nt = g.nt, nx = g.nx, ny = g.ny;
    if (nx == 1 && ny == 1) {
        double a = g.data[ti * 2], b = g.data[ti * 2 + 1];
        if (tw != 0.0) {
            a += tw * (g.data[(ti + 1) * 2] - a);
            b += tw * (g.data[(ti + 1) * 2 + 1] - b);
        }
        *u = a; *v = b;
        return true;
    }
    double fx = (lon - g.geom[0]) * g.geom[1];
    double fy = (lat - g.geom[2]) * g.geom[3];
    if (!(fx >= 0.0 && fy >= 0.0 && fx <= nx - 1 && fy <= ny - 1)) {
        *u = 0.0; *v = 0.0;
        return false;
    }
    long long ix = (long long)fx; if (ix > nx - 2) ix = nx - 2;
    long long iy = (long long)fy; if (iy > ny - 2) iy = ny - 2;
    double wx = fx - ix, wy = fy - iy;
    double w[4] = {(1.0 - wx) * (1.0 - wy), wx * (1.0 - wy), (1.0 - wx) * wy, wx * wy};
    long long base[4] = {(iy * nx + ix) * nt, (iy * nx + ix + 1) * nt,
                         ((iy + 1) * nx + ix) * nt, ((iy + 1) * nx + ix + 1) * nt};
    double su = 0.0, sv = 0.0;
    for (int c = 0; c < 4; ++c) {
        const double* q = g.data + (base[c] + ti) * 2;
        double cu = q[0], cv = q[1];
        if (tw != 0.0) { cu = (1.0 - tw) * cu + tw * q[2]; cv = (1.0 - tw) * cv + tw * q[3]; }
        su += w[c] * cu; sv += w[c] * cv;
    }
    *u = su; *v = sv;
    return true;
}

DEV void leeway(double wu, double wv, const double* k, double z_dw, double z_cw, int side,
                double factor, double* u, double* v) {
    double speed = sqrt(wu * wu + wv * wv);
    if (speed <= 0.0) { *u = 0.0; *v = 0.0; return; }
    double ex = wu / speed, ey = wv / speed;
    double eps_dw = z_dw * k[2];
    double down = ((k[0] + eps_dw / 20.0) * speed + k[1] + eps_dw / 2.0) * 0.01;
    int b = side == 0 ? 3 : 6;
    double eps_cw = z_cw * k[b + 2];
    double cross = ((k[b] + eps_cw / 20.0) * speed + k[b + 1] + eps_cw / 2.0) * 0.01;
    *u = factor * (down * ex + cross * ey);
    *v = factor * (down * ey - cross * ex);
}

struct Ctx {
    Grid wind, cur, stokes; int stokes_on; const double* consts;
    const double* sec; long long sec_n;
};

DEV bool velocity(const Ctx& c, double lon, double lat, long long h, double z_dw, double z_cw,
                  int side, double factor, const double* pe, double* fx, double* fy) {
    double wu, wv, cu, cv, lu, lv;
    if (!sample(c.wind, h, lon, lat, &wu, &wv)) return false;
    if (!sample(c.cur, h, lon, lat, &cu, &cv)) return false;
    leeway(wu + pe[0], wv + pe[1], c.consts, z_dw, z_cw, side, factor, &lu, &lv);
    double u = lu + cu + pe[2], v = lv + cv + pe[3];
    if (c.stokes_on) {
        double su, sv;
        if (!sample(c.stokes, h, lon, lat, &su, &sv)) return false;
        u += su; v += sv;
    }
    double f = (lat + 90.0) * 100.0;
    long long i = (long long)f; if (i < 0) i = 0; if (i > c.sec_n - 2) i = c.sec_n - 2;
    double sec = c.sec[i] + (f - i) * (c.sec[i + 1] - c.sec[i]);
    *fx = u * DEG_PER_M * sec; *fy = v * DEG_PER_M;
    return true;
}

struct Mask {
    double lon0, lat0, inv; long long nx, ny; const signed char* cls; const int* mixed;
    const int* start; const int* edges; const double *ex0, *ey0, *ex1, *ey1;
    const unsigned char* shore;
};

DEV bool same_water_cell(const Mask& m, double x0, double y0, double x1, double y1) {
    double fx0 = (x0 - m.lon0) * m.inv, fy0 = (y0 - m.lat0) * m.inv;
    double fx1 = (x1 - m.lon0) * m.inv, fy1 = (y1 - m.lat0) * m.inv;
    if (!(fx0 >= 0.0 && fy0 >= 0.0 && fx0 < m.nx && fy0 < m.ny)) return false;
    long long ix = (long long)fx0, iy = (long long)fy0;
    if (!(fx1 >= ix && fx1 < ix + 1 && fy1 >= iy && fy1 < iy + 1)) return false;
    int c = m.cls[iy * m.nx + ix];
    return c == 1 || c == 3;
}

DEV double cell_first_hit(const Mask& m, int k, double x0, double y0, double rx, double ry,
                          double tmin) {
    for (int j = m.start[k]; j < m.start[k + 1]; ++j) {
        int e = m.edges[j];
        if (!m.shore[e]) continue;
        double ax = m.ex0[e], ay = m.ey0[e];
        double sx = m.ex1[e] - ax, sy = m.ey1[e] - ay;
        double denom = rx * sy - ry * sx;
        if (denom == 0.0) continue;
        double qx = ax - x0, qy = ay - y0;
        double t = (qx * sy - qy * sx) / denom;
        double u = (qx * ry - qy * rx) / denom;
        if (0.0 <= t && t <= 1.0 && 0.0 <= u && u <= 1.0 && t < tmin) tmin = t;
    }
    return tmin;
}

DEV double segment_crossing(const Mask& m, double lon0, double lat0, double lon1, double lat1) {
    double x = (lon0 - m.lon0) * m.inv, y = (lat0 - m.lat0) * m.inv;
    double dx = (lon1 - lon0) * m.inv, dy = (lat1 - lat0) * m.inv;
    if (!(isfinite(x) && isfinite(y) && isfinite(dx) && isfinite(dy))) return -1.0;
    double rx = lon1 - lon0, ry = lat1 - lat0;
    long long ix = (long long)floor(x), iy = (long long)floor(y);
    const double inf = LIT_INF;
    int step_x = dx > 0.0 ? 1 : -1, step_y = dy > 0.0 ? 1 : -1;
    double t_delta_x = dx != 0.0 ? fabs(1.0 / dx) : inf;
    double t_delta_y = dy != 0.0 ? fabs(1.0 / dy) : inf;
    double t_max_x = dx > 0.0 ? (ix + 1 - x) / dx : (dx < 0.0 ? (x - ix) / -dx : inf);
    double t_max_y = dy > 0.0 ? (iy + 1 - y) / dy : (dy < 0.0 ? (y - iy) / -dy : inf);
    double tmin = inf, t_entry = 0.0;
    while (t_entry <= 1.0 && t_entry <= tmin) {
        if (0 <= ix && ix < m.nx && 0 <= iy && iy < m.ny) {
            int k = m.mixed[iy * m.nx + ix];
            if (k >= 0) tmin = cell_first_hit(m, k, lon0, lat0, rx, ry, tmin);
        }
        if (t_max_x < t_max_y) { t_entry = t_max_x; t_max_x += t_delta_x; ix += step_x; }
        else { t_entry = t_max_y; t_max_y += t_delta_y; iy += step_y; }
        if (t_entry == inf) break;
    }
    return tmin <= 1.0 ? tmin : -1.0;
}

DEV void advance_particle(long long p, SIGNATURE) {
    Ctx c;
    c.wind = Grid{wind_data, wind_ny, wind_nx, wind_nt, wind_geom, wind_ti, wind_tw};
    c.cur = Grid{cur_data, cur_ny, cur_nx, cur_nt, cur_geom, cur_ti, cur_tw};
    c.stokes = Grid{stokes_data, stokes_ny, stokes_nx, stokes_nt, stokes_geom, stokes_ti,
                    stokes_tw};
    c.stokes_on = stokes_on; c.consts = consts; c.sec = sec_table; c.sec_n = sec_n;
    Mask m{mask_lon0, mask_lat0, mask_inv_cell, mask_nx, mask_ny, mask_cell_class,
           mask_cell_mixed, mask_mixed_start, mask_mixed_edges, mask_ex0, mask_ey0, mask_ex1,
           mask_ey1, mask_eshore};
    double adt = fabs(dt_s);
    double a = ou_on ? exp(-adt / ou_tau_s) : 0.0;
    double b = sqrt(fmax(1.0 - a * a, 0.0));
    double x = lon[p], y = lat[p], age = age_s[p], nj = next_jibe_s[p], hz = hazard[p];
    int st = status[p], sd = side[p], cap = capsized[p];
    long long jn = jibe_n[p], rk = release_k[p];
    double zd = z_dw[p], zc = z_cw[p];
    double pe[4] = {0.0, 0.0, 0.0, 0.0};
    if (ou_on) for (int i = 0; i < 4; ++i) pe[i] = ou[p * 4 + i];
    for (long long k = k0; k < k1; ++k) {
        if (st == ACTIVE) {
            double factor = cap != 0 ? capsize_fraction : 1.0;
            double fx1, fy1, fx2 = 0.0, fy2 = 0.0;
            bool ok = velocity(c, x, y, 2 * k, zd, zc, sd, factor, pe, &fx1, &fy1);
            if (ok) {
                double xm = x + 0.5 * dt_s * fx1, ym = y + 0.5 * dt_s * fy1;
                ok = velocity(c, xm, ym, 2 * k + 1, zd, zc, sd, factor, pe, &fx2, &fy2);
            }
            if (!ok) {
                st = OUT_OF_FORCING;
            } else {
                double x1 = x + dt_s * fx2, y1 = y + dt_s * fy2;
                double frac = -1.0;
                if (coast_on && !same_water_cell(m, x, y, x1, y1))
                    frac = segment_crossing(m, x, y, x1, y1);
                double xs = x, ys = y;
                if (frac >= 0.0) {
                    if (!coast_previous) {
                        x = x + frac * (x1 - x); y = y + frac * (y1 - y); st = STRANDED;
                    }
                } else {
                    x = x1; y = y1;
                }
                age += adt;
                if (jibe_rate > 0.0) {
                    if (nj < 0.0) nj = -log(uniform01(key, p, STREAM_JIBE)) / jibe_rate;
                    while (age >= nj) {
                        sd = 1 - sd; jn += 1;
                        unsigned long long ctr = STREAM_JIBE + (unsigned long long)jn;
                        nj += -log(uniform01(key, p, ctr)) / jibe_rate;
                    }
                }
                if (capsize_on && cap == 0) {
                    double wu, wv;
                    if (sample(c.wind, 2 * k, xs, ys, &wu, &wv)) {
                        double qu = wu + pe[0], qv = wv + pe[1];
                        double speed = sqrt(qu * qu + qv * qv);
                        double arg = (speed - capsize_wind_ms) / capsize_sigma_ms;
                        double prob = 0.5 + 0.5 * tanh(arg);
                        if (prob > 1.0 - 1e-12) prob = 1.0 - 1e-12;
                        hz += -log(1.0 - prob) / 3600.0 * adt;
                        if (hz > capsize_threshold[p]) cap = 1;
                    }
                }
                if (ou_on) {
                    unsigned long long ctr = STREAM_OU + (unsigned long long)(4 * k);
                    double u1 = uniform01(key, p, ctr), u2 = uniform01(key, p, ctr + 1);
                    double u3 = uniform01(key, p, ctr + 2), u4 = uniform01(key, p, ctr + 3);
                    double r1 = sqrt(-2.0 * log(u1)), r2 = sqrt(-2.0 * log(u3));
                    const double tp = 2.0 * 3.141592653589793;
                    pe[0] = a * pe[0] + b * ou_sigma[0] * r1 * cos(tp * u2);
                    pe[1] = a * pe[1] + b * ou_sigma[0] * r1 * sin(tp * u2);
                    pe[2] = a * pe[2] + b * ou_sigma[1] * r2 * cos(tp * u4);
                    pe[3] = a * pe[3] + b * ou_sigma[1] * r2 * sin(tp * u4);
                }
            }
        } else if (st == NOT_RELEASED && k + 1 >= rk) {
            st = ACTIVE;
        }
        if ((k + 1) % out_every == 0) {
            long long jo = (k + 1) / out_every - out_first;
            out_lon[jo * n + p] = x; out_lat[jo * n + p] = y;
            out_status[jo * n + p] = (signed char)st;
        }
    }
    lon[p] = x; lat[p] = y; status[p] = (signed char)st; side[p] = (signed char)sd;
    capsized[p] = (signed char)cap; age_s[p] = age; jibe_n[p] = jn; next_jibe_s[p] = nj;
    hazard[p] = hz;
    if (ou_on) for (int i = 0; i < 4; ++i) ou[p * 4 + i] = pe[i];
}

#ifdef __CUDACC__
extern "C" __global__ void drift_kernel(SIGNATURE) {
    long long p = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (p < n) advance_particle(p, ARGS);
}
#else
extern "C" void drift_kernel_host(SIGNATURE) {
    for (long long p = 0; p < n; ++p) advance_particle(p, ARGS);
}
#endif
"""

SOURCE = (
    _BODY.replace("STATUS_DEFINES", c_defines())
    .replace("SIGNATURE", _SIGNATURE)
    .replace("ARGS", _ARGS)
)
"""The kernel source: ``drift_kernel`` under CUDA, ``drift_kernel_host`` as plain C++."""
