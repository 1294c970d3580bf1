"""Regular forcing grids, the form in which forcing reaches the compiled drift kernel.

Every reader hands the engine a :class:`GridField` per vector quantity (wind, current,
Stokes drift): the two components on a regular lon/lat grid over a time axis, already cut to
the area and time span of the run. A constant or a time series of on-scene observations is a
grid of one cell per time, uniform in space. Interpolation is bilinear in space and linear in
time (:func:`sample_field` here, and the same arithmetic in the kernel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from littoral.errors import ForcingError


def epoch_s(when: datetime) -> float:
    """Seconds since 1970-01-01 UTC of an aware datetime."""
    return when.timestamp()


def iso(t_s: float) -> str:
    """ISO 8601 UTC text of epoch seconds, to the minute."""
    return datetime.fromtimestamp(t_s, UTC).strftime("%Y-%m-%dT%H:%MZ")


def where(lon: float, lat: float) -> str:
    """Format a position as a person reads it, latitude first."""
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.3f}{ns} {abs(lon):.3f}{ew}"


@dataclass(frozen=True, slots=True)
class Coverage:
    """Where and when a reader has data; ``None`` bounds are unlimited."""

    lon_min: float | None = None
    lon_max: float | None = None
    lat_min: float | None = None
    lat_max: float | None = None
    t_min_s: float | None = None
    t_max_s: float | None = None

    def uncovered_point(
        self, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
    ) -> int | None:
        """Index of the first point outside the area, or ``None`` if all are inside."""
        bad = np.zeros(lon.shape, dtype=bool)
        if self.lon_min is not None:
            bad |= lon < self.lon_min
        if self.lon_max is not None:
            bad |= lon > self.lon_max
        if self.lat_min is not None:
            bad |= lat < self.lat_min
        if self.lat_max is not None:
            bad |= lat > self.lat_max
        idx = np.flatnonzero(bad)
        return int(idx[0]) if idx.size else None

    def uncovered_time(self, t0_s: float, t1_s: float) -> float | None:
        """Return a time of ``[t0_s, t1_s]`` outside the time span, or ``None`` if covered."""
        lo, hi = min(t0_s, t1_s), max(t0_s, t1_s)
        if self.t_min_s is not None and lo < self.t_min_s:
            return lo
        if self.t_max_s is not None and hi > self.t_max_s:
            return hi
        return None

    def describe(self) -> str:
        """Human description of the coverage."""
        parts = []
        if self.lon_min is not None and self.lat_min is not None:
            parts.append(
                f"{self.lat_min:.3f}..{self.lat_max:.3f}N {self.lon_min:.3f}..{self.lon_max:.3f}E"
            )
        if self.t_min_s is not None and self.t_max_s is not None:
            parts.append(f"{iso(self.t_min_s)} to {iso(self.t_max_s)}")
        return ", ".join(parts) or "everywhere, always"


@dataclass(frozen=True, kw_only=True, slots=True)
class Reach:
    """Where the cloud can be: within ``speed_ms * |t - t0_s|`` of the seed box.

    Attributes
    ----------
    seed_box:
        ``(lon_min, lat_min, lon_max, lat_max)`` of the seed positions, degrees.
    t0_s:
        Start of the run, epoch seconds.
    speed_ms:
        Bound on the drift speed, m/s.
    """

    seed_box: tuple[float, float, float, float]
    t0_s: float
    speed_ms: float

    def reachable(
        self,
        t_s: npt.NDArray[np.float64],
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
        margin_m: float,
    ) -> npt.NDArray[np.bool_]:
        """Whether each (time, position) lies within reach (plus ``margin_m``)."""
        lo_x, lo_y, hi_x, hi_y = self.seed_box
        m_per_deg = 111_194.9  # on the sphere of radius 6,371,008.8 m
        dx = np.maximum(np.maximum(lo_x - lon, lon - hi_x), 0.0)
        dx = dx * m_per_deg * np.cos(np.radians(np.clip(lat, -89.0, 89.0)))
        dy = np.maximum(np.maximum(lo_y - lat, lat - hi_y), 0.0) * m_per_deg
        dist = np.hypot(dx, dy)
        return np.asarray(dist <= self.speed_ms * np.abs(t_s - self.t0_s) + margin_m)


@dataclass(frozen=True, slots=True)
class GridField:
    """One vector quantity (two components) on a regular lon/lat grid over time.

    Attributes
    ----------
    names:
        CF names of the two components.
    times_s:
        Epoch seconds, strictly increasing, shape ``(nt,)``.
    lon, lat:
        Cell-centre coordinates, regular and increasing, shapes ``(nx,)`` and ``(ny,)``;
        length one for a field uniform in space.
    data:
        ``float32``, shape ``(nt, ny, nx, 2)``: component 0 eastward, 1 northward, m/s.
    source:
        Provenance text (reader and file).
    filled_cells:
        Number of missing values taken as land (or beyond a curvilinear model's grid) and
        set to zero.
    gap_cells:
        Number of gap values filled by the user's explicit choice
        (:mod:`littoral.drift.forcing.gaps`).
    """

    names: tuple[str, str]
    times_s: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    data: npt.NDArray[np.float32]
    source: str
    filled_cells: int = 0
    gap_cells: int = 0

    @property
    def uniform(self) -> bool:
        """True if the field does not vary in space."""
        return self.lon.size == 1 and self.lat.size == 1

    def geometry(self) -> npt.NDArray[np.float64]:
        """``[lon0, dlon, lat0, dlat]`` for the kernel (``dlon = dlat = 1`` if uniform)."""
        dlon = float(self.lon[1] - self.lon[0]) if self.lon.size > 1 else 1.0
        dlat = float(self.lat[1] - self.lat[0]) if self.lat.size > 1 else 1.0
        return np.array([self.lon[0], dlon, self.lat[0], dlat], dtype=np.float64)

    def time_weights(
        self, t_s: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Index ``i`` and weight ``w`` with ``value = (1 - w) * f[i] + w * f[i + 1]``.

        Raises
        ------
        ForcingError
            If a time falls outside the field's time axis.
        """
        ts = self.times_s
        if ts.size == 1:
            if np.any(t_s != ts[0]):
                raise ForcingError(
                    f"{self.names[0]}: {self.source} has one time only ({iso(ts[0])})"
                )
            return np.zeros(t_s.size, dtype=np.int64), np.zeros(t_s.size)
        lo, hi = float(t_s.min()), float(t_s.max())
        if lo < ts[0] or hi > ts[-1]:
            bad = lo if lo < ts[0] else hi
            raise ForcingError(
                f"no {self.names[0]} at {iso(bad)}: {self.source} covers "
                f"{iso(ts[0])} to {iso(ts[-1])}"
            )
        idx = np.clip(np.searchsorted(ts, t_s, side="right") - 1, 0, ts.size - 2)
        w = (t_s - ts[idx]) / (ts[idx + 1] - ts[idx])
        return idx.astype(np.int64), w.astype(np.float64)


def sample_field(
    field: GridField, t_s: float, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Bilinear-in-space, linear-in-time values of a field at points (NaN outside the grid)."""
    i_arr, w_arr = field.time_weights(np.array([t_s], dtype=np.float64))
    i, w = int(i_arr[0]), float(w_arr[0])
    data = field.data.astype(np.float64)
    snap = data[i] if w == 0.0 else (1.0 - w) * data[i] + w * data[i + 1]
    if field.uniform:
        return np.full(lon.shape, snap[0, 0, 0]), np.full(lon.shape, snap[0, 0, 1])
    g = field.geometry()
    nx, ny = field.lon.size, field.lat.size
    fx = (lon - g[0]) / g[1]
    fy = (lat - g[2]) / g[3]
    ok = (fx >= 0) & (fx <= nx - 1) & (fy >= 0) & (fy <= ny - 1)
    ix = np.clip(np.floor(np.where(ok, fx, 0)).astype(np.int64), 0, max(nx - 2, 0))
    iy = np.clip(np.floor(np.where(ok, fy, 0)).astype(np.int64), 0, max(ny - 2, 0))
    wx = np.where(ok, fx - ix, 0.0) if nx > 1 else np.zeros(lon.shape)
    wy = np.where(ok, fy - iy, 0.0) if ny > 1 else np.zeros(lon.shape)
    ix1 = np.minimum(ix + 1, nx - 1)
    iy1 = np.minimum(iy + 1, ny - 1)
    out = []
    for c in (0, 1):
        s = snap[..., c]
        v = (
            (1 - wx) * (1 - wy) * s[iy, ix]
            + wx * (1 - wy) * s[iy, ix1]
            + (1 - wx) * wy * s[iy1, ix]
            + wx * wy * s[iy1, ix1]
        )
        out.append(np.where(ok, v, np.nan))
    return out[0], out[1]
