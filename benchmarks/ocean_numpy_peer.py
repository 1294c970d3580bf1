"""The peer of the ocean benchmark: littoral.ocean's step written in plain vectorised numpy.

Same scheme, same order of operations as ``littoral.ocean.kernel`` (forward-backward C-grid,
upwind-depth fluxes with the drying limiter, Sielecki's order for Coriolis, upwind advection,
Laplacian viscosity, implicit quadratic friction), whole arrays at a time. It is what a
modeller would write first in Python; the benchmark runs both on the same state and checks
that they agree.
"""

from __future__ import annotations

import numpy as np

from littoral.ocean.grid import Geometry
from littoral.ocean.kernel import Params, Wind
from littoral.ocean.physics import stress_field


def _stress(geo: Geometry, p: Params, w: Wind, t: float) -> tuple[np.ndarray, np.ndarray]:
    nt = w.u.shape[0]
    k, a = 0, 0.0
    if nt > 1:
        x = min(max((t - w.t0_s) / w.dt_s, 0.0), nt - 1.0)
        k = min(int(x), nt - 2)
        a = x - k
    wu = w.u[k].astype(np.float64)
    wv = w.v[k].astype(np.float64)
    if a > 0.0:
        wu = wu + a * (w.u[k + 1].astype(np.float64) - wu)
        wv = wv + a * (w.v[k + 1].astype(np.float64) - wv)
    tx, ty = stress_field(wu, wv, p.drag_law)
    sea = geo.sea == 1
    return np.where(sea, tx, 0.0), np.where(sea, ty, 0.0)


def _continuity(eta: np.ndarray, u: np.ndarray, v: np.ndarray, geo: Geometry, p: Params) -> None:
    sea = geo.sea == 1
    dt = p.dt
    depth = np.maximum(geo.h + eta, 0.0)
    uu = u[:, 1:-1]
    open_u = sea[:, :-1] & sea[:, 1:] & (uu != 0.0)
    fu = np.where(open_u, uu * np.where(uu > 0.0, depth[:, :-1], depth[:, 1:]) * geo.dy, 0.0)
    vv = v[1:-1, :]
    open_v = sea[:-1, :] & sea[1:, :] & (vv != 0.0)
    dxv = geo.dxv[1:-1, None]
    fv = np.where(open_v, vv * np.where(vv > 0.0, depth[:-1, :], depth[1:, :]) * dxv, 0.0)
    out = np.zeros_like(eta)
    out[:, 1:] += np.where(fu < 0.0, -fu, 0.0) * dt  # west face, flow to the west
    out[:, :-1] += np.where(fu > 0.0, fu, 0.0) * dt  # east face, flow to the east
    out[1:, :] += np.where(fv < 0.0, -fv, 0.0) * dt
    out[:-1, :] += np.where(fv > 0.0, fv, 0.0) * dt
    have = depth * geo.area[:, None]
    fac = np.where(out > have, have / np.where(out > 0.0, out, 1.0), 1.0)
    fu = fu * np.where(fu > 0.0, fac[:, :-1], fac[:, 1:])
    fv = fv * np.where(fv > 0.0, fac[:-1, :], fac[1:, :])
    fu_all = np.zeros_like(u)
    fu_all[:, 1:-1] = fu
    fv_all = np.zeros_like(v)
    fv_all[1:-1, :] = fv
    div = fu_all[:, 1:] - fu_all[:, :-1] + fv_all[1:, :] - fv_all[:-1, :]
    eta -= np.where(sea, (dt / geo.area)[:, None] * div, 0.0)


def _shift(a: np.ndarray, axis: int, step: int) -> np.ndarray:
    """``a`` moved by ``step`` along ``axis``; the edge keeps its own value (zero gradient)."""
    out = a.copy()
    if axis == 0:
        if step > 0:
            out[1:] = a[:-1]
        else:
            out[:-1] = a[1:]
    elif step > 0:
        out[:, 1:] = a[:, :-1]
    else:
        out[:, :-1] = a[:, 1:]
    return out


def _u_momentum(eta, u, v, taux, geo: Geometry, p: Params) -> np.ndarray:  # type: ignore[no-untyped-def]
    sea = geo.sea == 1
    ny, nx = eta.shape
    dt, dy = p.dt, geo.dy
    dx = geo.dx[:, None]
    el, er, hl, hr = eta[:, :-1], eta[:, 1:], geo.h[:, :-1], geo.h[:, 1:]
    active = sea[:, :-1] & sea[:, 1:] & (np.maximum(el, er) + np.minimum(hl, hr) > p.h_dry)
    hf = np.maximum(0.5 * (hl + el + hr + er), p.h_min)
    uc = u[:, 1:-1]
    vb = 0.25 * (v[:-1, :-1] + v[:-1, 1:] + v[1:, :-1] + v[1:, 1:])
    acc = -p.g * (er - el) / dx + geo.fu[:, None] * vb
    acc = acc + 0.5 * (taux[:, :-1] + taux[:, 1:]) / (p.rho_w * hf)
    if p.nonlinear == 1:
        dudx = np.where(uc > 0.0, (uc - u[:, :-2]) / dx, (u[:, 2:] - uc) / dx)
        south, north = _shift(uc, 0, 1), _shift(uc, 0, -1)
        dudy = np.where(vb > 0.0, (uc - south) / dy, np.where(vb < 0.0, (north - uc) / dy, 0.0))
        acc = acc - (uc * dudx + vb * dudy)
    if p.ah > 0.0:
        pad = np.zeros((ny + 2, nx + 2), dtype=bool)
        pad[1:-1, 1:-1] = sea
        west = pad[1:-1, :-3]  # sea[j, i - 2]
        east = pad[1:-1, 3:]  # sea[j, i + 1]
        south_ok = pad[:-2, 1:-2] & pad[:-2, 2:-1]
        north_ok = pad[2:, 1:-2] & pad[2:, 2:-1]
        lap = np.where(west, (u[:, :-2] - uc) / (dx * dx), 0.0)
        lap = lap + np.where(east, (u[:, 2:] - uc) / (dx * dx), 0.0)
        lap = lap + np.where(south_ok, (_shift(uc, 0, 1) - uc) / (dy * dy), 0.0)
        lap = lap + np.where(north_ok, (_shift(uc, 0, -1) - uc) / (dy * dy), 0.0)
        acc = acc + p.ah * lap
    speed = np.sqrt(uc * uc + vb * vb)
    un = np.zeros_like(u)
    un[:, 1:-1] = np.where(active, (uc + dt * acc) / (1.0 + dt * p.bottom_drag * speed / hf), 0.0)
    return un


def _v_momentum(eta, u, v, tauy, geo: Geometry, p: Params) -> np.ndarray:  # type: ignore[no-untyped-def]
    sea = geo.sea == 1
    ny, nx = eta.shape
    dt, dy = p.dt, geo.dy
    dxv = geo.dxv[1:-1, None]
    es, en, hs, hn = eta[:-1, :], eta[1:, :], geo.h[:-1, :], geo.h[1:, :]
    active = sea[:-1, :] & sea[1:, :] & (np.maximum(es, en) + np.minimum(hs, hn) > p.h_dry)
    hf = np.maximum(0.5 * (hs + es + hn + en), p.h_min)
    vc = v[1:-1, :]
    ub = 0.25 * (u[:-1, :-1] + u[:-1, 1:] + u[1:, :-1] + u[1:, 1:])
    acc = -p.g * (en - es) / dy - geo.fv[1:-1, None] * ub
    acc = acc + 0.5 * (tauy[:-1, :] + tauy[1:, :]) / (p.rho_w * hf)
    if p.nonlinear == 1:
        dvdy = np.where(vc > 0.0, (vc - v[:-2, :]) / dy, (v[2:, :] - vc) / dy)
        west, east = _shift(vc, 1, 1), _shift(vc, 1, -1)
        dvdx = np.where(ub > 0.0, (vc - west) / dxv, np.where(ub < 0.0, (east - vc) / dxv, 0.0))
        acc = acc - (ub * dvdx + vc * dvdy)
    if p.ah > 0.0:
        pad = np.zeros((ny + 2, nx + 2), dtype=bool)
        pad[1:-1, 1:-1] = sea
        south = pad[:-3, 1:-1]  # sea[j - 2, i]
        north = pad[3:, 1:-1]  # sea[j + 1, i]
        west_ok = pad[1:-2, :-2] & pad[2:-1, :-2]
        east_ok = pad[1:-2, 2:] & pad[2:-1, 2:]
        lap = np.where(south, (v[:-2, :] - vc) / (dy * dy), 0.0)
        lap = lap + np.where(north, (v[2:, :] - vc) / (dy * dy), 0.0)
        lap = lap + np.where(west_ok, (_shift(vc, 1, 1) - vc) / (dxv * dxv), 0.0)
        lap = lap + np.where(east_ok, (_shift(vc, 1, -1) - vc) / (dxv * dxv), 0.0)
        acc = acc + p.ah * lap
    speed = np.sqrt(vc * vc + ub * ub)
    vn = np.zeros_like(v)
    vn[1:-1, :] = np.where(active, (vc + dt * acc) / (1.0 + dt * p.bottom_drag * speed / hf), 0.0)
    return vn


def advance_numpy(
    eta: np.ndarray, u: np.ndarray, v: np.ndarray, geo: Geometry, p: Params, w: Wind,
    t0_s: float, n_steps: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Advance ``n_steps`` steps; returns the new (eta, u, v)."""
    eta, u, v = eta.copy(), u.copy(), v.copy()
    for n in range(n_steps):
        taux, tauy = _stress(geo, p, w, t0_s + n * p.dt)
        _continuity(eta, u, v, geo, p)
        u = _u_momentum(eta, u, v, taux, geo, p)
        v = _v_momentum(eta, u, v, tauy, geo, p)
    return eta, u, v
