"""The 10 m wind on the model grid, from littoral's forcing readers.

Any :class:`littoral.drift.forcing.ForcingReader` that has ``eastward_wind`` and
``northward_wind`` serves: a constant (``DEG/KN``), a CSV of on-scene observations, or CF
NetCDF files (ERA5, a forecast), one or several (a directory of files, one per time step or
per day, read as one time series). Each reader's own times are sampled at the sea cells
(bilinear in space), the frames of all readers are put in time order (at a time two readers
share, the first reader's frame is kept), and the series is resampled linearly to a uniform
step for the kernel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from littoral.clock import require_utc
from littoral.drift.forcing.base import ForcingReader, check_covers
from littoral.drift.forcing.grid import iso, sample_field, where
from littoral.drift.forcing.names import WIND, WIND_U
from littoral.errors import ForcingError, InputError
from littoral.ocean.grid import OceanGrid
from littoral.ocean.kernel import Wind

F32 = npt.NDArray[np.float32]


@dataclass(frozen=True, kw_only=True)
class WindField:
    """10 m wind at the grid's cell centres on uniform times (m/s, toward east and north).

    Attributes
    ----------
    start : datetime
        Time of the first frame (UTC).
    step : timedelta
        Time between frames.
    u, v : float32 arrays, shape (nt, ny, nx)
        Eastward and northward wind; zero off the sea.
    source : str
        Provenance text.
    """

    start: datetime
    step: timedelta
    u: F32
    v: F32
    source: str

    @property
    def end(self) -> datetime:
        """Time of the last frame."""
        end: datetime = self.start + self.step * max(self.u.shape[0] - 1, 0)
        return end

    def kernel_wind(self) -> Wind:
        """Return the field as the kernel takes it."""
        return Wind(
            t0_s=self.start.timestamp(),
            dt_s=self.step.total_seconds(),
            u=np.ascontiguousarray(self.u),
            v=np.ascontiguousarray(self.v),
        )

    @classmethod
    def uniform(
        cls, grid: OceanGrid, *, u_ms: float, v_ms: float, start: datetime, end: datetime
    ) -> WindField:
        """Make the same wind everywhere from ``start`` to ``end``."""
        start = require_utc(start, "start")
        end = require_utc(end, "end")
        if not (np.isfinite(u_ms) and np.isfinite(v_ms)):
            raise InputError(f"wind u_ms={u_ms!r}, v_ms={v_ms!r} must be finite")
        shape = (2, *grid.shape)
        sea = grid.geometry.sea == 1
        return cls(
            start=start,
            step=max(end - start, timedelta(seconds=1)),
            u=np.where(sea, np.float32(u_ms), np.float32(0.0)) * np.ones(shape, np.float32),
            v=np.where(sea, np.float32(v_ms), np.float32(0.0)) * np.ones(shape, np.float32),
            source=f"uniform wind u={u_ms:g} v={v_ms:g} m/s",
        )


def wind_from_readers(
    readers: Sequence[ForcingReader],
    grid: OceanGrid,
    *,
    start: datetime,
    end: datetime,
    step: timedelta = timedelta(hours=1),
) -> WindField:
    """Sample the readers' wind at the grid's sea cells over ``[start, end]``.

    Raises
    ------
    ForcingError
        If the readers together do not cover every sea cell over the whole span; the
        message names the place, the time and what the readers cover.
    """
    start = require_utc(start, "start")
    end = require_utc(end, "end")
    if step.total_seconds() <= 0:
        raise InputError(f"wind step {step} must be > 0")
    if not readers:
        raise InputError("no wind given")
    t0, t1 = start.timestamp(), end.timestamp()
    sea = grid.geometry.sea == 1
    lon2, lat2 = np.meshgrid(grid.lon, grid.lat)
    lon, lat = lon2[sea], lat2[sea]
    bbox = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    frames: dict[float, tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]] = {}
    names: list[str] = []
    for reader in readers:
        if WIND_U not in reader.variables:
            raise ForcingError(f"{reader.name} has no wind (eastward_wind, northward_wind)")
        cov = reader.coverage(WIND_U)
        lo = t0 if cov.t_min_s is None else max(t0, cov.t_min_s)
        hi = t1 if cov.t_max_s is None else min(t1, cov.t_max_s)
        if lo > hi:
            continue  # this reader's times lie outside the run
        check_covers(reader, WIND_U, lo, hi, lon, lat)
        fld = reader.field(WIND, bbox, lo, hi)
        names.append(reader.name)
        for t_s in fld.times_s:
            t = float(t_s)
            if t in frames:
                continue
            u, v = sample_field(fld, t, lon, lat)
            frames[t] = (u, v)
    times = np.array(sorted(frames))
    described = "; ".join(r.name for r in readers)
    if times.size == 0 or times[0] > t0 or times[-1] < t1:
        bad = t0 if times.size == 0 or times[0] > t0 else t1
        raise ForcingError(
            f"no eastward_wind at {iso(bad)} for the whole Caspian: the wind given "
            f"({described}) covers "
            + (f"{iso(times[0])} to {iso(times[-1])}" if times.size else "no part of the run")
        )
    nt = round((t1 - t0) / step.total_seconds()) + 1
    t_out = t0 + np.arange(nt) * step.total_seconds()
    idx = np.clip(np.searchsorted(times, t_out, side="right") - 1, 0, max(times.size - 2, 0))
    u_out = np.zeros((nt, *grid.shape), dtype=np.float32)
    v_out = np.zeros((nt, *grid.shape), dtype=np.float32)
    for k, (t, i) in enumerate(zip(t_out, idx, strict=True)):
        ua, va = frames[float(times[i])]
        if times.size > 1:
            ub, vb = frames[float(times[i + 1])]
            w = min(max((t - times[i]) / (times[i + 1] - times[i]), 0.0), 1.0)
            ua, va = ua + w * (ub - ua), va + w * (vb - va)
        bad_cells = ~(np.isfinite(ua) & np.isfinite(va))
        if bad_cells.any():
            j = int(np.flatnonzero(bad_cells)[0])
            raise ForcingError(
                f"wind is missing at {where(float(lon[j]), float(lat[j]))} on {iso(t)} "
                f"({described})"
            )
        u_out[k][sea] = ua
        v_out[k][sea] = va
    return WindField(start=start, step=step, u=u_out, v=v_out, source="; ".join(names))
