"""On-scene observations: a time series of wind or current, as a SAR coordinator enters them.

Wind is given as the direction it blows **from** and its speed in knots; current (the total
water current, the set and drift) as the direction it sets **toward** and its speed in knots.
Between observations the eastward and northward components are interpolated linearly in time
(so a wind that veers through calm slows down rather than keeping its speed); the series
covers the time from its first to its last observation, uniformly in space.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from littoral.clock import require_utc
from littoral.drift.forcing.base import Bbox, sample_reader
from littoral.drift.forcing.grid import Coverage, GridField, Reach, epoch_s
from littoral.drift.forcing.names import (
    CURRENT,
    WIND,
    current_components_ms,
    wind_components_ms,
)
from littoral.errors import InputError


class ObservationSeries:
    """A time series of wind or current observations at the scene.

    Parameters
    ----------
    kind:
        ``"wind"`` (direction **from**) or ``"current"`` (direction **toward**).
    times:
        Observation times, aware UTC, strictly increasing.
    direction_deg:
        Directions, degrees clockwise from true north.
    speed_kn:
        Speeds, knots, >= 0.
    name:
        Provenance text.
    """

    def __init__(
        self,
        kind: str,
        times: Sequence[datetime],
        direction_deg: Sequence[float],
        speed_kn: Sequence[float],
        name: str | None = None,
    ) -> None:
        if kind not in ("wind", "current"):
            raise InputError(f"observation kind={kind!r} must be 'wind' or 'current'")
        if not (len(times) == len(direction_deg) == len(speed_kn)) or len(times) == 0:
            raise InputError(
                f"{kind} observations need equal, non-zero numbers of times ({len(times)}), "
                f"directions ({len(direction_deg)}) and speeds ({len(speed_kn)})"
            )
        t_s = np.array([epoch_s(require_utc(t, f"{kind} time")) for t in times])
        if np.any(np.diff(t_s) <= 0):
            raise InputError(f"{kind} observation times must increase strictly")
        comps = np.empty((t_s.size, 2))
        to_components = wind_components_ms if kind == "wind" else current_components_ms
        for i, (d, s) in enumerate(zip(direction_deg, speed_kn, strict=True)):
            if not (np.isfinite(d) and np.isfinite(s) and s >= 0):
                raise InputError(
                    f"{kind} observation {i}: direction={d!r} deg, speed={s!r} kn is invalid"
                )
            comps[i] = to_components(float(d), float(s))
        self.kind = kind
        self._pair = WIND if kind == "wind" else CURRENT
        self._t_s = t_s
        self._comps = comps
        self._name = name or f"{kind} observations ({t_s.size})"

    @classmethod
    def from_csv(cls, kind: str, path: str | Path) -> ObservationSeries:
        """Read ``time,direction_deg,speed_kn`` rows (ISO 8601 times with a zone).

        A header line is optional; blank lines and lines starting with ``#`` are skipped.
        """
        p = Path(path)
        if not p.is_file():
            raise InputError(f"{kind} file {str(p)!r} does not exist")
        times: list[datetime] = []
        dirs: list[float] = []
        speeds: list[float] = []
        with p.open(encoding="utf-8") as fh:
            for lineno, row in enumerate(csv.reader(fh), start=1):
                if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                    continue
                if row[0].strip().lower() == "time":
                    continue
                if len(row) < 3:
                    raise InputError(f"{p.name}:{lineno}: need time,direction_deg,speed_kn")
                try:
                    t = datetime.fromisoformat(row[0].strip().replace("Z", "+00:00"))
                    d, s = float(row[1]), float(row[2])
                except ValueError as exc:
                    raise InputError(f"{p.name}:{lineno}: {exc}") from exc
                times.append(require_utc(t, f"{p.name}:{lineno} time"))
                dirs.append(d)
                speeds.append(s)
        return cls(kind, times, dirs, speeds, name=f"{kind} observations {p.name}")

    @property
    def name(self) -> str:
        """Provenance text."""
        return self._name

    @property
    def variables(self) -> frozenset[str]:
        """CF names provided."""
        return frozenset(self._pair)

    def coverage(self, name: str) -> Coverage:
        """Everywhere, from the first to the last observation."""
        return Coverage(t_min_s=float(self._t_s[0]), t_max_s=float(self._t_s[-1]))

    def field(
        self,
        names: tuple[str, str],
        bbox: Bbox,
        t0_s: float,
        t1_s: float,
        reach: Reach | None = None,
    ) -> GridField:
        """Return the series as a one-cell grid (all observations)."""
        data = np.empty((self._t_s.size, 1, 1, 2), dtype=np.float32)
        data[:, 0, 0, :] = self._comps
        if self._t_s.size == 1:
            # A single observation holds at its own instant only; repeat it to make an axis.
            data = np.concatenate([data, data])
            times = np.array([self._t_s[0], self._t_s[0] + 1e-9])
        else:
            times = self._t_s.copy()
        return GridField(names, times, np.zeros(1), np.zeros(1), data, self._name)

    def sample(
        self,
        names: Sequence[str],
        time: datetime,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> dict[str, npt.NDArray[np.float64]]:
        """Values at points (uniform in space)."""
        return sample_reader(self, names, time, lon, lat)
