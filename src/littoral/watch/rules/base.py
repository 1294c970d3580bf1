"""What every rule sees: the frame of one tick of positions, the shared context, the protocol.

A rule is a small class with four hooks, each called by the engine in event-time order:

- ``observe(frame, ctx)``: the positions of one or more ticks, as columns sorted by vessel then
  time,
  with the previous position of each vessel, implied speeds and geography already computed;
- ``advance(now_s, ctx)``: event time has reached ``now_s`` (end of a tick, or the end of a
  replay): raise or close what depends on time passing (silence, quiet periods);
- ``safety(report, ctx)``: one safety text (types 12 and 14);
- ``static(report, ctx)``: static data that changes what is known of a vessel, before it is
  applied (so the rule sees the old and the new);
- ``late(frame, ctx)``: positions that arrived after their tick was handed out.

Rules never read the wall clock and never see records one by one on the fast path, so a
replay raises the same alerts as the live feed did, at over 200,000 positions per second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from littoral.records.alerts import Alert, Evidence, Priority
from littoral.records.reports import SafetyReport, StaticReport
from littoral.watch.book import AlertBook
from littoral.watch.buffer import Positions
from littoral.watch.config import WatchConfig
from littoral.watch.geoview import GeoFacts, GeoView
from littoral.watch.scope import WATCHED
from littoral.watch.vessels import Vessels

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(slots=True)
class Frame:
    """The positions of one or more consecutive ticks, sorted by MMSI then time.

    ``prev_*`` is the previous position of the same vessel (in this frame or before it), NaN
    for a vessel's first position ever. ``starts`` are the first rows of each vessel's run of
    rows and ``numbers`` their vessel numbers.
    """

    ticks: FloatArray
    """Ends of the ticks whose positions the frame holds, ascending."""
    epoch: int
    """Number of the group of ``engine.batch_ticks`` ticks the frame belongs to (-1: late)."""
    p: Positions
    v: IntArray
    starts: IntArray
    numbers: IntArray
    first: BoolArray
    last: BoolArray
    prev_t: FloatArray
    prev_lon: FloatArray
    prev_lat: FloatArray
    dt_s: FloatArray
    step_m: FloatArray
    implied_kn: FloatArray
    speed_kn: FloatArray
    """Reported SOG where available, else the implied speed from the previous position."""
    geo: GeoFacts

    def __len__(self) -> int:
        return len(self.p)

    def group_of(self, rows: IntArray) -> IntArray:
        """Return the index into ``starts`` of each row."""
        out: IntArray = np.searchsorted(self.starts, rows, side="right") - 1
        return out

    def rows_of(self, group: int) -> range:
        """Return the rows of one vessel group."""
        end = int(self.starts[group + 1]) if group + 1 < len(self.starts) else len(self.p)
        return range(int(self.starts[group]), end)

    def evidence(self, row: int) -> Evidence:
        """Return row ``row`` as an evidence position."""
        from littoral.watch.book import to_datetime

        p = self.p
        return Evidence(
            int(p.mmsi[row]), to_datetime(float(p.t[row])), float(p.lon[row]), float(p.lat[row])
        )


@dataclass(slots=True)
class Context:
    """What rules share: the alert book, the vessels, the geography and the configuration."""

    book: AlertBook
    vessels: Vessels
    geo: GeoView
    config: WatchConfig

    def where(self, port: int, port_m: float) -> str:
        """Return "12.1 NM off Baku" for a position's nearest port and distance."""
        from littoral.watch.geoview import short_name

        name = short_name(self.geo.ports[port]) if self.geo.ports else "the coast"
        return f"{port_m / 1852.0:.1f} NM off {name}"

    def open_at(
        self,
        frame: Frame,
        row: int,
        number: int,
        rule: str,
        subject: str,
        priority: Priority,
        reason: str,
        details: dict[str, object],
        start_s: float | None = None,
    ) -> Alert:
        """Open an alert on vessel ``number``, placed at and evidenced by row ``row`` of ``frame``.

        ``start_s`` is the alert's start, by default the row's time; the rest is as for
        :meth:`littoral.watch.book.AlertBook.open`.
        """
        p = frame.p
        return self.book.open(
            rule,
            subject,
            priority,
            (int(self.vessels.mmsi[number]),),
            float(p.t[row]) if start_s is None else start_s,
            float(p.lon[row]),
            float(p.lat[row]),
            reason,
            [frame.evidence(row)],
            details,
        )


class Rule(Protocol):
    """One watch rule."""

    name: str
    sees: frozenset[int]
    """Scope classes of the positions it is shown (:mod:`littoral.watch.scope`)."""

    def observe(self, frame: Frame, ctx: Context) -> None:
        """Look at the positions of one tick."""
        ...

    def advance(self, now_s: float, ctx: Context) -> None:
        """Event time has reached ``now_s``."""
        ...

    def safety(self, report: SafetyReport, ctx: Context) -> None:
        """Look at one safety text."""
        ...

    def late(self, frame: Frame, ctx: Context) -> None:
        """Look at positions that arrived after their tick was handed out."""
        ...

    def static(self, report: StaticReport, ctx: Context) -> None:
        """Look at static data that changes a vessel, before it is applied."""
        ...


class BaseRule:
    """Hooks that do nothing, for rules that need only some of them."""

    name = "base"
    sees: frozenset[int] = frozenset({WATCHED})
    """The zones of interest only, unless a rule says otherwise."""

    def observe(self, frame: Frame, ctx: Context) -> None:
        """Look at the positions of one tick (nothing by default)."""

    def advance(self, now_s: float, ctx: Context) -> None:
        """Event time has reached ``now_s`` (nothing by default)."""

    def safety(self, report: SafetyReport, ctx: Context) -> None:
        """Look at one safety text (nothing by default)."""

    def late(self, frame: Frame, ctx: Context) -> None:
        """Look at late positions (nothing by default)."""

    def static(self, report: StaticReport, ctx: Context) -> None:
        """Look at changing static data (nothing by default)."""


def group_prev(values: FloatArray, first: BoolArray, carry: FloatArray) -> FloatArray:
    """Shift ``values`` by one row; the first row of each group takes ``carry`` instead.

    ``carry`` is aligned with the groups (one value per group, in row order).
    """
    out = np.empty_like(values)
    if len(values):
        out[1:] = values[:-1]
        out[first] = carry
    return out
