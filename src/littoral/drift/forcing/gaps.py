"""Missing values in gridded forcing: land is zero, a gap refuses the run unless filled.

A value missing in a forcing block is one of two things:

- **land** of an ocean model: a cell the model's own land mask marks as land, or, without a
  mask, a cell missing at every time of the block. The water velocity there is zero (the
  no-slip coast), so it is set to zero and counted;
- a **gap**: a water cell missing at some times only (a hole in a forecast, an ERA5 slice
  that is absent, a file cut short). By default a gap where the cloud can be by then
  (:class:`~littoral.drift.forcing.grid.Reach`: within the drift speed bound times the time
  since the start of the seed positions, plus a grid cell) refuses the run, naming the
  variable, the place and the time; one beyond reach is set to zero and counted. The user may
  instead choose a fill explicitly (:data:`FILLS`): ``nearest`` (the nearest water cell
  with a value at the same time), ``hold`` (the same cell's value at the nearest earlier
  time, else the nearest later one) or ``zero``. The choice is recorded with the field.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from littoral.drift.forcing.grid import Reach, iso, where
from littoral.errors import ForcingError, InputError

FILLS = ("nearest", "hold", "zero")
"""The explicit ways to fill a gap; ``None`` refuses a run that meets one."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Settled:
    """A block with its missing values settled.

    Attributes
    ----------
    data:
        ``(nt, ny, nx)`` without NaN.
    land_cells:
        Values set to zero as land.
    gap_cells:
        Values filled by the chosen fill.
    beyond_reach:
        Gap values no particle can reach (set to zero, counted).
    """

    data: npt.NDArray[np.float32]
    land_cells: int
    gap_cells: int
    beyond_reach: int = 0


def check_fill(fill: str | None) -> str | None:
    """Return ``fill`` if it is ``None`` or one of :data:`FILLS`, else raise InputError."""
    if fill is not None and fill not in FILLS:
        raise InputError(f"fill={fill!r} must be one of {', '.join(FILLS)} (or none)")
    return fill


def settle(
    data: npt.NDArray[np.float32],
    *,
    name: str,
    source: str,
    times_s: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    land: npt.NDArray[np.bool_] | None,
    fill: str | None,
    reach: Reach | None = None,
    margin_m: float = 0.0,
) -> Settled:
    """Set land to zero and fill or refuse gaps in one component ``(nt, ny, nx)``.

    ``lon`` and ``lat`` are the block's 1-D axes (or 2-D arrays for a curvilinear block).
    With ``reach``, a gap that no particle can reach by then (farther from the seeds than
    the drift speed bound allows, plus ``margin_m`` for the interpolation's corner nodes) is
    set to zero and counted instead; only gaps within reach refuse the run or are filled.

    Raises
    ------
    ForcingError
        On a gap when ``fill`` is ``None``: names the variable, place and time.
    """
    missing = ~np.isfinite(data)
    if not missing.any():
        return Settled(data=data, land_cells=0, gap_cells=0)
    out = np.array(data, dtype=np.float32, copy=True)
    land2: npt.NDArray[np.bool_] = np.asarray(
        missing.all(axis=0) if land is None else (land | missing.all(axis=0)), dtype=np.bool_
    )
    land3 = np.broadcast_to(land2, out.shape)
    land_cells = int(np.count_nonzero(missing & land3))
    out[land3] = 0.0
    gap = missing & ~land3
    beyond = 0
    if reach is not None and gap.any():
        kk, jj, ii = np.nonzero(gap)
        xs = lon[ii] if lon.ndim == 1 else lon[jj, ii]
        ys = lat[jj] if lat.ndim == 1 else lat[jj, ii]
        near = reach.reachable(times_s[kk], xs, ys, margin_m)
        far = (kk[~near], jj[~near], ii[~near])
        out[far] = 0.0
        gap[far] = False
        beyond = int(np.count_nonzero(~near))
    n_gap = int(np.count_nonzero(gap))
    if n_gap == 0:
        return Settled(data=out, land_cells=land_cells, gap_cells=0, beyond_reach=beyond)
    if fill is None:
        k, j, i = (int(a[0]) for a in np.nonzero(gap))
        x = float(lon[i]) if lon.ndim == 1 else float(lon[j, i])
        y = float(lat[j]) if lat.ndim == 1 else float(lat[j, i])
        raise ForcingError(
            f"{name} is missing at {where(x, y)} on {iso(float(times_s[k]))} in {source} "
            f"({n_gap} missing values where the drift can reach); refusing to run on a gap: "
            "give --fill nearest|hold|zero to fill it explicitly"
        )
    if fill == "zero":
        out[gap] = 0.0
    elif fill == "hold":
        _hold(out, gap)
    else:
        _nearest(out, gap, land2, name, source, times_s)
    return Settled(data=out, land_cells=land_cells, gap_cells=n_gap, beyond_reach=beyond)


def _hold(out: npt.NDArray[np.float32], gap: npt.NDArray[np.bool_]) -> None:
    # Forward fill along time, then backward fill what was missing from the start.
    nt = out.shape[0]
    idx = np.where(~gap, np.arange(nt)[:, None, None], -1)
    np.maximum.accumulate(idx, axis=0, out=idx)
    back = np.where(~gap, np.arange(nt)[:, None, None], nt)
    back = np.minimum.accumulate(back[::-1], axis=0)[::-1]
    src = np.where(idx >= 0, idx, back)
    out[:] = np.take_along_axis(out, np.minimum(src, nt - 1), axis=0)


def _nearest(
    out: npt.NDArray[np.float32],
    gap: npt.NDArray[np.bool_],
    land2: npt.NDArray[np.bool_],
    name: str,
    source: str,
    times_s: npt.NDArray[np.float64],
) -> None:
    from scipy.ndimage import distance_transform_edt

    for k in np.flatnonzero(gap.any(axis=(1, 2))):
        valid = ~gap[k] & ~land2
        if not valid.any():
            raise ForcingError(
                f"{name} is missing everywhere on {iso(float(times_s[k]))} in {source}: "
                "no nearest value to fill from (try --fill hold)"
            )
        _, (jj, ii) = distance_transform_edt(~valid, return_indices=True)
        out[k][gap[k]] = out[k][jj, ii][gap[k]]
