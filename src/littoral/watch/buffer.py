"""Event-time ordering: a reorder buffer released by a watermark.

Reports may arrive out of order (several receivers, satellite latency, a replay merged from
files). The buffer holds them until the watermark, the latest event time seen minus the
allowed lateness, has passed the end of their tick; then it hands out whole ticks of
reports in a canonical order (time, MMSI, position), so any arrival order within the
lateness gives exactly the same slices, and therefore the same alerts. A report older than
what was already handed out is "late" and is returned apart.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from littoral.records.reports import PositionReport, SafetyReport, StaticReport

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

AIRCRAFT = 1
"""``cls`` code of a position from a SAR aircraft (message type 9)."""


@dataclass(slots=True)
class Positions:
    """Position reports as columns."""

    mmsi: IntArray
    t: FloatArray
    lon: FloatArray
    lat: FloatArray
    sog: FloatArray
    """Speed over ground, kn; NaN where not available."""
    nav: npt.NDArray[np.int16]
    """Navigation status, -1 where absent."""
    cls: npt.NDArray[np.int8]
    """1 for a SAR aircraft position (message type 9), else 0."""

    def __len__(self) -> int:
        return len(self.t)

    def take(self, index: npt.NDArray[np.intp] | npt.NDArray[np.bool_]) -> Positions:
        """Return the rows selected by ``index``."""
        return Positions(
            self.mmsi[index],
            self.t[index],
            self.lon[index],
            self.lat[index],
            self.sog[index],
            self.nav[index],
            self.cls[index],
        )

    @staticmethod
    def empty() -> Positions:
        """Return no rows."""
        return Positions(
            np.zeros(0, np.int64),
            np.zeros(0),
            np.zeros(0),
            np.zeros(0),
            np.zeros(0),
            np.zeros(0, np.int16),
            np.zeros(0, np.int8),
        )

    @staticmethod
    def concat(parts: list[Positions]) -> Positions:
        """Join several column sets."""
        if len(parts) == 1:
            return parts[0]
        return Positions(
            np.concatenate([p.mmsi for p in parts]),
            np.concatenate([p.t for p in parts]),
            np.concatenate([p.lon for p in parts]),
            np.concatenate([p.lat for p in parts]),
            np.concatenate([p.sog for p in parts]),
            np.concatenate([p.nav for p in parts]),
            np.concatenate([p.cls for p in parts]),
        )

    @staticmethod
    def from_reports(reports: list[PositionReport]) -> Positions:
        """Turn reports into columns; times must be timezone-aware."""
        n = len(reports)

        def column(name: str, dtype: type[np.generic]) -> npt.NDArray[np.generic]:
            return np.fromiter(map(attrgetter(name), reports), dtype, n)

        def optional(name: str) -> FloatArray:
            # None becomes NaN
            return np.array(list(map(attrgetter(name), reports)), dtype=np.float64)

        nav = optional("nav_status")
        return Positions(
            column("mmsi", np.int64),  # type: ignore[arg-type]
            np.fromiter(map(datetime.timestamp, map(attrgetter("time"), reports)), np.float64, n),
            column("lon", np.float64),  # type: ignore[arg-type]
            column("lat", np.float64),  # type: ignore[arg-type]
            optional("sog_kn"),
            np.where(np.isnan(nav), -1, nav).astype(np.int16),
            (column("msg_type", np.int16) == 9).astype(np.int8),
        )


@dataclass(slots=True)
class Slice:
    """Everything of one tick ``[end - tick_s, end)``, in canonical order."""

    end_s: float
    positions: Positions
    statics: list[StaticReport]
    safety: list[SafetyReport]


class ReorderBuffer:
    """Hold reports until the watermark passes their tick.

    Parameters
    ----------
    lateness_s
        How long after a later report an earlier one may still arrive.
    tick_s
        Length of the slices handed out (event time, aligned to the epoch).
    """

    def __init__(self, lateness_s: float, tick_s: float) -> None:
        self.lateness_s = lateness_s
        self.tick_s = tick_s
        self.max_seen_s = -math.inf
        self.released_s = -math.inf
        """Everything before this time was handed out."""
        self._positions: list[Positions] = []
        self._statics: list[tuple[float, StaticReport]] = []
        self._safety: list[tuple[float, SafetyReport]] = []

    def add(
        self, positions: Positions, statics: list[StaticReport], safety: list[SafetyReport]
    ) -> tuple[Positions, list[StaticReport], list[SafetyReport]]:
        """Take reports; return those that are late (older than what was handed out)."""
        late_pos = Positions.empty()
        if len(positions):
            is_late = positions.t < self.released_s
            if is_late.any():
                late_pos = positions.take(is_late)
                positions = positions.take(~is_late)
            if len(positions):
                self._positions.append(positions)
                self.max_seen_s = max(self.max_seen_s, float(positions.t.max()))
        released = self.released_s
        late_static: list[StaticReport] = []
        late_safety: list[SafetyReport] = []
        for report in statics:
            t = report.time.timestamp()
            if t < released:
                late_static.append(report)
            else:
                self._statics.append((t, report))
                self.max_seen_s = max(self.max_seen_s, t)
        for text in safety:
            t = text.time.timestamp()
            if t < released:
                late_safety.append(text)
            else:
                self._safety.append((t, text))
                self.max_seen_s = max(self.max_seen_s, t)
        return late_pos, late_static, late_safety

    def release(self, until_s: float | None = None) -> Iterator[Slice]:
        """Hand out the ticks that end at or before the watermark (or ``until_s``)."""
        horizon = self.max_seen_s - self.lateness_s if until_s is None else until_s
        if not math.isfinite(horizon):
            return
        target = math.floor(horizon / self.tick_s) * self.tick_s
        if until_s is not None:
            target += self.tick_s  # the tick holding ``until_s`` itself
        if target <= self.released_s:
            return
        positions = Positions.concat(self._positions) if self._positions else Positions.empty()
        out_mask = positions.t < target
        ready = positions.take(out_mask)
        self._positions = [positions.take(~out_mask)] if (~out_mask).any() else []
        statics = sorted(
            (item for item in self._statics if item[0] < target),
            key=lambda item: (item[0], item[1].mmsi, item[1].msg_type),
        )
        self._statics = [item for item in self._statics if item[0] >= target]
        safety = sorted(
            (item for item in self._safety if item[0] < target),
            key=lambda item: (item[0], item[1].mmsi, item[1].text),
        )
        self._safety = [item for item in self._safety if item[0] >= target]
        self.released_s = target
        yield from self._slices(ready, statics, safety)

    def _slices(
        self,
        ready: Positions,
        statics: list[tuple[float, StaticReport]],
        safety: list[tuple[float, SafetyReport]],
    ) -> Iterator[Slice]:
        tick = self.tick_s
        order = np.lexsort((ready.lat, ready.lon, ready.t, ready.mmsi))
        ready = ready.take(order)
        keys = np.floor(ready.t / tick).astype(np.int64)
        static_by: dict[int, list[StaticReport]] = {}
        for t, report in statics:
            static_by.setdefault(math.floor(t / tick), []).append(report)
        safety_by: dict[int, list[SafetyReport]] = {}
        for t, text in safety:
            safety_by.setdefault(math.floor(t / tick), []).append(text)
        all_keys = sorted(set(np.unique(keys).tolist()) | set(static_by) | set(safety_by))
        if not all_keys:
            return
        by_key = np.argsort(keys, kind="stable")
        bounds = np.searchsorted(keys[by_key], np.asarray([*all_keys, all_keys[-1] + 1]))
        for i, key in enumerate(all_keys):
            yield Slice(
                end_s=(key + 1) * tick,
                positions=ready.take(by_key[bounds[i] : bounds[i + 1]]),
                statics=static_by.get(key, []),
                safety=safety_by.get(key, []),
            )

    def pending(self) -> int:
        """Return how many reports wait in the buffer."""
        count = sum(len(p) for p in self._positions)
        return count + len(self._statics) + len(self._safety)
