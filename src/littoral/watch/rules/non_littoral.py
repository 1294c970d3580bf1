"""Non-littoral vessels: ships whose flag is not one of the five Caspian states.

The 2018 Convention on the Legal Status of the Caspian Sea (Aktau) keeps the sea to the five
Parties' ships in most respects; a ship of another flag is news to every watch officer. The
flag is read from the MMSI's MID (:mod:`littoral.geo.flags`); aids to navigation, SAR
aircraft, AIS-SART/MOB/EPIRB devices, coast stations and craft of a parent ship are not ships
and are never reported here.

Two alerts:

- ``seen``: the first position of such a ship in the sea, unless it was already reported
  within ``window_s`` (7 days); it closes ``quiet_s`` after the ship's last report;
- ``territorial``: the ship enters a state's territorial band (15 NM, Aktau 2018, drawn from
  the GSHHG shore: approximate); it closes when the ship leaves that state's band.
"""

from __future__ import annotations

import numpy as np

from littoral.records.alerts import Alert, Priority
from littoral.watch.geoview import INTERNAL, NO_ZONE, TERRITORIAL, zone_words
from littoral.watch.rules.base import BaseRule, Context, Frame


class NonLittoral(BaseRule):
    """Rule 1 of the watch (see the module docstring)."""

    name = "non_littoral"

    def __init__(self, ctx: Context) -> None:
        self.cfg = ctx.config.non_littoral
        self.seen: dict[int, Alert] = {}
        self.seen_start: dict[int, float] = {}
        self.band = np.zeros(0, dtype=np.int16)
        self.is_open = np.zeros(0, dtype=bool)
        self.quiet_until = np.zeros(0)
        """No new "seen" alert for a vessel before this time (its last one is recent)."""
        self.territorial: dict[int, tuple[Alert, int]] = {}

    def _grow(self, n: int) -> None:
        if len(self.band) >= n:
            return
        size = max(n, 2 * len(self.band), 64)
        band = np.full(size, NO_ZONE, dtype=np.int16)
        band[: len(self.band)] = self.band
        quiet_until = np.full(size, -np.inf)
        quiet_until[: len(self.quiet_until)] = self.quiet_until
        is_open = np.zeros(size, dtype=bool)
        is_open[: len(self.is_open)] = self.is_open
        self.band, self.quiet_until, self.is_open = band, quiet_until, is_open

    def observe(self, frame: Frame, ctx: Context) -> None:
        """Report first sightings and entries into territorial bands."""
        vessels = ctx.vessels
        self._grow(vessels.n)
        numbers = frame.numbers
        foreign = vessels.non_littoral[numbers]
        if not foreign.any():
            return
        p, geo = frame.p, frame.geo
        at_sea = (geo.water == 1) | (geo.water == 3)
        first_t = p.t[frame.starts]
        gap = first_t - frame.prev_t[frame.starts]
        back = self.is_open[numbers] & (gap > self.cfg.quiet_s)
        due = foreign & (back | (~self.is_open[numbers] & (first_t >= self.quiet_until[numbers])))
        for g in np.flatnonzero(due).tolist():
            number = int(numbers[g])
            if number in self.seen:
                # back after a silence longer than quiet_s: the old sighting ended before it
                self._close_seen(number, float(frame.prev_t[frame.starts[g]]), ctx)
                if first_t[g] < self.quiet_until[number]:
                    continue
            sea_rows = [r for r in frame.rows_of(g) if at_sea[r]]
            if sea_rows:
                self._seen(frame, number, sea_rows[0], ctx)
        if not self.cfg.territorial:
            return
        rows_foreign = np.repeat(foreign, np.diff(np.append(frame.starts, len(p))))
        rows = np.flatnonzero(rows_foreign)
        zone = np.full(len(p), NO_ZONE, dtype=np.int16)
        zone[rows] = ctx.geo.zones(p.lon[rows], p.lat[rows], geo.water[rows])
        band = zone // 8
        sovereign = (zone != NO_ZONE) & ((band == TERRITORIAL) | (band == INTERNAL))
        code = np.where(sovereign, zone, NO_ZONE)
        code = np.where(rows_foreign, code, NO_ZONE).astype(np.int16)
        before = np.empty_like(code)
        if len(code):
            before[1:] = code[:-1]
            before[frame.first] = self.band[numbers]
        for row in np.flatnonzero(rows_foreign & (code != before)).tolist():
            number = int(frame.v[row])
            held = self.territorial.pop(number, None)
            if held is not None:
                ctx.book.close(held[0], float(p.t[row]))
            if code[row] != NO_ZONE:
                self._enter(frame, number, row, int(code[row]), ctx)
        lasts = np.flatnonzero(frame.last & rows_foreign)
        self.band[frame.v[lasts]] = code[lasts]

    def _seen(self, frame: Frame, number: int, row: int, ctx: Context) -> None:
        t = float(frame.p.t[row])
        vessels = ctx.vessels
        mmsi = int(vessels.mmsi[number])
        where = ctx.where(int(frame.geo.port[row]), float(frame.geo.port_m[row]))
        self.seen[number] = ctx.open_at(
            frame,
            row,
            number,
            self.name,
            f"seen:{mmsi}",
            Priority.MEDIUM,
            f"Non-littoral vessel {vessels.label(number)} seen in the Caspian Sea {where}",
            {**vessels.facts(number), "event": "seen"},
        )
        self.is_open[number] = True
        self.seen_start[number] = t

    def _close_seen(self, number: int, end_s: float, ctx: Context) -> None:
        ctx.book.close(self.seen.pop(number), end_s)
        self.is_open[number] = False
        self.quiet_until[number] = self.seen_start[number] + self.cfg.window_s
        held = self.territorial.pop(number, None)
        if held is not None:
            ctx.book.close(held[0], end_s)
            self.band[number] = NO_ZONE

    def _enter(self, frame: Frame, number: int, row: int, band: int, ctx: Context) -> None:
        vessels = ctx.vessels
        mmsi = int(vessels.mmsi[number])
        state, kind = zone_words(band)
        where = ctx.where(int(frame.geo.port[row]), float(frame.geo.port_m[row]))
        alert = ctx.open_at(
            frame,
            row,
            number,
            self.name,
            f"territorial:{mmsi}",
            Priority.HIGH,
            f"Non-littoral vessel {vessels.label(number)} entered {state} {kind} waters {where}",
            {**vessels.facts(number), "event": "territorial", "state": state, "band": kind},
        )
        self.territorial[number] = (alert, band)

    def advance(self, now_s: float, ctx: Context) -> None:
        """Close "seen" alerts of ships silent for ``quiet_s``."""
        last_t = ctx.vessels.last_t
        for number in [n for n in self.seen if last_t[n] + self.cfg.quiet_s < now_s]:
            self._close_seen(number, float(last_t[number]), ctx)
