"""Stored history as a time-ordered stream of reports, for replaying the watch over it.

The store's positions are read in one ordered stream (``PositionRepository.between``), in
chunks; the static data of each vessel (name, ship type) comes first, so reasons name the
vessels. Memory holds one chunk at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from littoral.errors import InputError
from littoral.records.reports import PositionReport, StaticReport
from littoral.store.protocol import Store

CHUNK = 20_000
"""Positions handed to the engine at a time."""


def history(
    store: Store, start: datetime | None, end: datetime | None, chunk_size: int = CHUNK
) -> Iterator[list[PositionReport | StaticReport]]:
    """Yield the stored reports of ``[start, end]`` in time order, ``chunk_size`` at a time.

    The first list holds the static data of the vessels; positions follow in order of
    (time, MMSI, lon, lat). Without ``start`` or ``end`` the history of every vessel is read.
    """
    vessels = store.vessels.all()
    if not vessels:
        return
    start = start or min(v.first_seen for v in vessels)
    end = end or max(v.last_seen for v in vessels)
    if end < start:
        raise InputError(f"--to {end.isoformat()!r} is before --from {start.isoformat()!r}")
    statics: list[PositionReport | StaticReport] = [
        StaticReport(mmsi=v.mmsi, time=start, msg_type=5, name=v.name, ship_type=v.ship_type)
        for v in vessels
        if v.name or v.ship_type is not None
    ]
    yield statics
    for chunk in store.positions.between(start, end, chunk_size):
        yield [
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
            for p in chunk
        ]
