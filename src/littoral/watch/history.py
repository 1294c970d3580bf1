"""Stored history as a time-ordered stream of reports, for replaying the watch over it.

The store's positions are read window by window (six hours by default), every vessel's track
in the window at once, merged into time order; the static data of each vessel (name, ship
type) comes first, so reasons name the vessels. Memory holds one window at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from littoral.errors import InputError
from littoral.store.protocol import Store
from littoral.tracks.types import PositionReport, StaticReport

WINDOW = timedelta(hours=6)


def history(
    store: Store, start: datetime | None, end: datetime | None, window: timedelta = WINDOW
) -> Iterator[list[PositionReport | StaticReport]]:
    """Yield the stored reports of ``[start, end]`` in time order, one window per list."""
    vessels = store.vessels.all()
    if not vessels:
        return
    first = min(v.first_seen for v in vessels)
    last = max(v.last_seen for v in vessels)
    start = start or first
    end = end or last
    if end < start:
        raise InputError(f"--to {end.isoformat()!r} is before --from {start.isoformat()!r}")
    statics: list[PositionReport | StaticReport] = [
        StaticReport(mmsi=v.mmsi, time=start, msg_type=5, name=v.name, ship_type=v.ship_type)
        for v in vessels
        if v.name or v.ship_type is not None
    ]
    yield statics
    t = start
    tick = timedelta(milliseconds=1)
    while t <= end:
        stop = min(t + window, end + tick)
        chunk: list[PositionReport | StaticReport] = []
        for v in vessels:
            if v.last_seen < t or v.first_seen >= stop:
                continue
            for p in store.positions.track(v.mmsi, t, stop - tick):
                chunk.append(
                    PositionReport(
                        mmsi=p.mmsi,
                        time=p.time,
                        lon=p.lon,
                        lat=p.lat,
                        msg_type=p.msg_type,
                        source=p.source,
                        sog_kn=p.sog_kn,
                        cog_deg=p.cog_deg,
                        heading_deg=p.heading_deg,
                        nav_status=p.nav_status,
                    )
                )
        chunk.sort(key=lambda r: r.time)
        yield chunk
        t = stop
