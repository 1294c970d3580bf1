"""The compiled time loop: forward-backward shallow-water steps on the C-grid.

One step (``dt``), for sea level ``eta`` at cell centres and the depth-mean velocity ``u``
(east faces) and ``v`` (north faces):

1. **Continuity**, in flux form: the volume flux through each open face is
   ``u * H_up * face length``, with ``H_up = h + eta`` of the cell the water comes from
   (upwind depth; Stelling and Duinmeijer 2003, *Int. J. Numer. Meth. Fluids* 43, 1329-1354).
   A cell may not give away more water than it holds in one step: its outgoing fluxes are
   scaled down together when they would (wetting and drying; the total depth stays >= 0).
   ``eta += -dt * (sum of fluxes out) / area`` (+ a river source). Every flux leaves one cell
   and enters its neighbour, and the walls have none, so the basin's volume changes only by
   the source, to rounding.
2. **Momentum** with the new ``eta`` (the "backward" half, which makes the gravity-wave step
   stable up to ``c dt sqrt(1/dx^2 + 1/dy^2) = 1``, ``c = sqrt(g H)``; Mesinger and Arakawa
   1976, GARP Publ. Ser. 17): pressure gradient ``-g grad(eta)``, Coriolis, first-order upwind
   advection ``(u . grad) u``, Laplacian viscosity ``A_h lap(u)`` (free slip at the walls),
   wind stress ``tau / (rho H)`` and quadratic bottom friction ``C_b |u| u / H``, the friction
   implicit (it cannot reverse the flow, however shallow). ``u`` is updated first with the old
   ``v`` in its Coriolis term, then ``v`` with the new ``u`` (Sielecki 1968, *Mon. Wea. Rev.*
   96, 150-156): the inertial rotation keeps its amplitude exactly.

A face is closed (velocity 0) while the water over the higher of its two beds is thinner than
``h_dry`` (a dry face); a dry cell has ``h + eta <= h_dry``. Metric terms of the advection on
the sphere (``u v tan(lat) / R``) are left out: at the Caspian's scales they are 1e-3 of the
Coriolis term.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba as nb
import numpy as np
import numpy.typing as npt

from littoral.ocean.grid import Geometry
from littoral.ocean.physics import wind_stress_pa

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]


class State(NamedTuple):
    """Prognostic fields and the kernel's work arrays (all float64)."""

    eta: F64  # (ny, nx) sea level above the rest level, m
    u: F64  # (ny, nx + 1) eastward velocity on west faces, m/s
    v: F64  # (ny + 1, nx) northward velocity on south faces, m/s
    un: F64
    vn: F64
    fu: F64  # volume fluxes, m^3/s
    fv: F64
    outflow: F64  # (ny, nx) volume a cell would give away in a step, m^3
    taux: F64  # (ny, nx) wind stress, Pa
    tauy: F64
    source_m3: F64  # (1,) volume added by the river so far, m^3


class Params(NamedTuple):
    """Scalars of the physics and the step."""

    dt: float
    g: float
    rho_w: float
    bottom_drag: float
    ah: float
    h_dry: float
    h_min: float
    nonlinear: int
    drag_law: int
    source_j: int
    source_i: int
    source_m3s: float


class Wind(NamedTuple):
    """10 m wind at cell centres on uniform times ``t0_s + k dt_s`` (float32, m/s)."""

    t0_s: float
    dt_s: float
    u: F32  # (nt, ny, nx)
    v: F32


def new_state(geometry: Geometry) -> State:
    """Make a state at rest; dry cells (bed above the rest level) start with no water on them."""
    ny, nx = geometry.h.shape
    eta = np.where(geometry.sea == 1, np.maximum(0.0, -geometry.h), 0.0)
    z = np.zeros
    return State(
        eta=eta,
        u=z((ny, nx + 1)),
        v=z((ny + 1, nx)),
        un=z((ny, nx + 1)),
        vn=z((ny + 1, nx)),
        fu=z((ny, nx + 1)),
        fv=z((ny + 1, nx)),
        outflow=z((ny, nx)),
        taux=z((ny, nx)),
        tauy=z((ny, nx)),
        source_m3=z(1),
    )


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _stress(s: State, geo: Geometry, p: Params, w: Wind, t: float) -> None:
    nt = w.u.shape[0]
    k = 0
    a = 0.0
    if nt > 1:
        x = (t - w.t0_s) / w.dt_s
        x = min(max(x, 0.0), nt - 1.0)
        k = min(int(x), nt - 2)
        a = x - k
    ny, nx = geo.h.shape
    for j in range(ny):
        for i in range(nx):
            if geo.sea[j, i] == 0:
                continue
            wu = float(w.u[k, j, i])
            wv = float(w.v[k, j, i])
            if a > 0.0:
                wu += a * (float(w.u[k + 1, j, i]) - wu)
                wv += a * (float(w.v[k + 1, j, i]) - wv)
            s.taux[j, i], s.tauy[j, i] = wind_stress_pa(wu, wv, p.drag_law)


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _depth(geo: Geometry, s: State, j: int, i: int) -> float:
    return max(float(geo.h[j, i] + s.eta[j, i]), 0.0)


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _continuity(s: State, geo: Geometry, p: Params) -> None:
    ny, nx = geo.h.shape
    dt = p.dt
    s.outflow[:, :] = 0.0
    for j in range(ny):
        for i in range(1, nx):
            f = 0.0
            uu = s.u[j, i]
            if uu != 0.0 and geo.sea[j, i - 1] == 1 and geo.sea[j, i] == 1:
                d = i - 1 if uu > 0.0 else i
                f = uu * _depth(geo, s, j, d) * geo.dy
                s.outflow[j, d] += abs(f) * dt
            s.fu[j, i] = f
    for j in range(1, ny):
        for i in range(nx):
            f = 0.0
            vv = s.v[j, i]
            if vv != 0.0 and geo.sea[j - 1, i] == 1 and geo.sea[j, i] == 1:
                d = j - 1 if vv > 0.0 else j
                f = vv * _depth(geo, s, d, i) * geo.dxv[j]
                s.outflow[d, i] += abs(f) * dt
            s.fv[j, i] = f
    # A cell that would give away more than it holds gives what it holds, shared pro rata.
    for j in range(ny):
        for i in range(nx):
            out = s.outflow[j, i]
            have = _depth(geo, s, j, i) * geo.area[j]
            s.outflow[j, i] = have / out if out > have else 1.0
    for j in range(ny):
        for i in range(1, nx):
            f = s.fu[j, i]
            if f != 0.0:
                s.fu[j, i] = f * s.outflow[j, i - 1 if f > 0.0 else i]
    for j in range(1, ny):
        for i in range(nx):
            f = s.fv[j, i]
            if f != 0.0:
                s.fv[j, i] = f * s.outflow[j - 1 if f > 0.0 else j, i]
    for j in range(ny):
        k = dt / geo.area[j]
        for i in range(nx):
            if geo.sea[j, i] == 1:
                div = s.fu[j, i + 1] - s.fu[j, i] + s.fv[j + 1, i] - s.fv[j, i]
                s.eta[j, i] -= k * div
    if p.source_m3s != 0.0:
        s.eta[p.source_j, p.source_i] += dt * p.source_m3s / geo.area[p.source_j]
        s.source_m3[0] += dt * p.source_m3s


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _face_depth(geo: Geometry, s: State, j0: int, i0: int, j1: int, i1: int, p: Params) -> float:
    """Mean total depth at a face, or -1 if the face is dry (closed)."""
    e0 = s.eta[j0, i0]
    e1 = s.eta[j1, i1]
    h0 = geo.h[j0, i0]
    h1 = geo.h[j1, i1]
    if max(e0, e1) + min(h0, h1) <= p.h_dry:
        return -1.0
    return max(float(0.5 * (h0 + e0 + h1 + e1)), p.h_min)


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _u_momentum(s: State, geo: Geometry, p: Params) -> None:
    ny, nx = geo.h.shape
    dt = p.dt
    dy = geo.dy
    for j in range(ny):
        dx = geo.dx[j]
        for i in range(1, nx):
            s.un[j, i] = 0.0
            if geo.sea[j, i - 1] == 0 or geo.sea[j, i] == 0:
                continue
            hf = _face_depth(geo, s, j, i - 1, j, i, p)
            if hf < 0.0:
                continue
            uc = s.u[j, i]
            vb = 0.25 * (s.v[j, i - 1] + s.v[j, i] + s.v[j + 1, i - 1] + s.v[j + 1, i])
            acc = -p.g * (s.eta[j, i] - s.eta[j, i - 1]) / dx + geo.fu[j] * vb
            acc += 0.5 * (s.taux[j, i - 1] + s.taux[j, i]) / (p.rho_w * hf)
            if p.nonlinear == 1:
                dudx = (uc - s.u[j, i - 1]) / dx if uc > 0.0 else (s.u[j, i + 1] - uc) / dx
                dudy = 0.0
                if vb > 0.0 and j > 0:
                    dudy = (uc - s.u[j - 1, i]) / dy
                elif vb < 0.0 and j < ny - 1:
                    dudy = (s.u[j + 1, i] - uc) / dy
                acc -= uc * dudx + vb * dudy
            if p.ah > 0.0:
                lap = 0.0
                if i > 1 and geo.sea[j, i - 2] == 1:
                    lap += (s.u[j, i - 1] - uc) / (dx * dx)
                if i < nx - 1 and geo.sea[j, i + 1] == 1:
                    lap += (s.u[j, i + 1] - uc) / (dx * dx)
                if j > 0 and geo.sea[j - 1, i - 1] == 1 and geo.sea[j - 1, i] == 1:
                    lap += (s.u[j - 1, i] - uc) / (dy * dy)
                if j < ny - 1 and geo.sea[j + 1, i - 1] == 1 and geo.sea[j + 1, i] == 1:
                    lap += (s.u[j + 1, i] - uc) / (dy * dy)
                acc += p.ah * lap
            speed = math.sqrt(uc * uc + vb * vb)
            s.un[j, i] = (uc + dt * acc) / (1.0 + dt * p.bottom_drag * speed / hf)


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _v_momentum(s: State, geo: Geometry, p: Params) -> None:
    ny, nx = geo.h.shape
    dt = p.dt
    dy = geo.dy
    for j in range(1, ny):
        dxv = geo.dxv[j]
        for i in range(nx):
            s.vn[j, i] = 0.0
            if geo.sea[j - 1, i] == 0 or geo.sea[j, i] == 0:
                continue
            hf = _face_depth(geo, s, j - 1, i, j, i, p)
            if hf < 0.0:
                continue
            vc = s.v[j, i]
            # u is already the new u here (Sielecki's order)
            ub = 0.25 * (s.u[j - 1, i] + s.u[j - 1, i + 1] + s.u[j, i] + s.u[j, i + 1])
            acc = -p.g * (s.eta[j, i] - s.eta[j - 1, i]) / dy - geo.fv[j] * ub
            acc += 0.5 * (s.tauy[j - 1, i] + s.tauy[j, i]) / (p.rho_w * hf)
            if p.nonlinear == 1:
                dvdy = (vc - s.v[j - 1, i]) / dy if vc > 0.0 else (s.v[j + 1, i] - vc) / dy
                dvdx = 0.0
                if ub > 0.0 and i > 0:
                    dvdx = (vc - s.v[j, i - 1]) / dxv
                elif ub < 0.0 and i < nx - 1:
                    dvdx = (s.v[j, i + 1] - vc) / dxv
                acc -= ub * dvdx + vc * dvdy
            if p.ah > 0.0:
                lap = 0.0
                if j > 1 and geo.sea[j - 2, i] == 1:
                    lap += (s.v[j - 1, i] - vc) / (dy * dy)
                if j < ny - 1 and geo.sea[j + 1, i] == 1:
                    lap += (s.v[j + 1, i] - vc) / (dy * dy)
                if i > 0 and geo.sea[j - 1, i - 1] == 1 and geo.sea[j, i - 1] == 1:
                    lap += (s.v[j, i - 1] - vc) / (dxv * dxv)
                if i < nx - 1 and geo.sea[j - 1, i + 1] == 1 and geo.sea[j, i + 1] == 1:
                    lap += (s.v[j, i + 1] - vc) / (dxv * dxv)
                acc += p.ah * lap
            speed = math.sqrt(vc * vc + ub * ub)
            s.vn[j, i] = (vc + dt * acc) / (1.0 + dt * p.bottom_drag * speed / hf)


@nb.njit(cache=True, nogil=True, error_model="numpy")
def advance(s: State, geo: Geometry, p: Params, w: Wind, t0_s: float, n_steps: int) -> None:
    """Advance the state ``n_steps`` steps of ``p.dt`` from time ``t0_s`` (epoch seconds)."""
    for n in range(n_steps):
        _stress(s, geo, p, w, t0_s + n * p.dt)
        _continuity(s, geo, p)
        _u_momentum(s, geo, p)
        s.u[:, :] = s.un
        _v_momentum(s, geo, p)
        s.v[:, :] = s.vn
