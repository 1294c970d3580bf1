"""Stored history as a time-ordered stream of reports, for replaying the watch over it.

The store's positions are read in one ordered stream (``PositionRepository.between``), in
chunks; the static data of each vessel (name, ship type) at the start comes first, so
reasons name the vessels. The stored safety texts (a "MAYDAY", a "MOB ACTIVE") and identity
changes (``static_reports``) are merged in by time, each into the chunk of the positions
received with it, so the watch judges them at the same tick as it did live. A vessel with
no identity history (a store written before it was kept) starts with its latest static
data from the ``vessels`` row. Memory holds one chunk at a time (and the texts of the range, which
are few).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from littoral.errors import InputError
from littoral.records.reports import PositionReport, SafetyReport, StaticReport
from littoral.store.protocol import Store

CHUNK = 20_000
"""Positions handed to the engine at a time."""


Report = PositionReport | StaticReport | SafetyReport


def history(
    store: Store, start: datetime | None, end: datetime | None, chunk_size: int = CHUNK
) -> Iterator[list[Report]]:
    """Yield the stored reports of ``[start, end]`` in time order, ``chunk_size`` at a time.

    The first list holds the static data of the vessels; positions follow in order of
    (time, MMSI, lon, lat), with the safety texts merged in by time. Without ``start`` or
    ``end`` the history of every vessel is read.
    """
    vessels = store.vessels.all()
    if not vessels:
        return
    start = start or min(v.first_seen for v in vessels)
    end = end or max(v.last_seen for v in vessels)
    if end < start:
        raise InputError(f"--to {end.isoformat()!r} is before --from {start.isoformat()!r}")
    changes = store.statics.between(None, end)
    kept = {r.mmsi for r in changes}
    statics: list[Report] = [
        StaticReport(mmsi=v.mmsi, time=start, msg_type=5, name=v.name, ship_type=v.ship_type)
        for v in vessels
        if (v.name or v.ship_type is not None) and v.mmsi not in kept and not v.track
    ]
    statics.extend(_identity_at(start, [r for r in changes if r.time <= start]))
    yield statics
    texts: list[Report] = [r for r in changes if r.time > start]
    texts.extend(store.safety.between(start, end))
    texts.sort(key=_by_time)
    k = 0
    for chunk in store.positions.between(start, end, chunk_size):
        reports: list[Report] = [
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
        last = chunk[-1].time
        j = k
        while j < len(texts) and texts[j].time <= last:
            j += 1
        if j > k:
            reports.extend(texts[k:j])
            reports.sort(key=_by_time)  # stable: positions keep their order
            k = j
        yield reports
    if k < len(texts):
        yield texts[k:]


def _by_time(report: Report) -> datetime:
    return report.time


def _identity_at(start: datetime, changes: list[StaticReport]) -> list[StaticReport]:
    """Fold each vessel's identity history up to ``start`` into one report at ``start``."""
    known: dict[int, StaticReport] = {}
    for r in changes:
        was = known.get(r.mmsi)
        if was is None:
            known[r.mmsi] = StaticReport(
                mmsi=r.mmsi, time=start, msg_type=r.msg_type, source=r.source, name=r.name,
                callsign=r.callsign, imo=r.imo, ship_type=r.ship_type,
            )  # fmt: skip
            continue
        known[r.mmsi] = StaticReport(
            mmsi=r.mmsi,
            time=start,
            msg_type=r.msg_type,
            source=r.source,
            name=was.name if r.name is None else r.name,
            callsign=was.callsign if r.callsign is None else r.callsign,
            imo=was.imo if r.imo is None else r.imo,
            ship_type=was.ship_type if r.ship_type is None else r.ship_type,
        )
    return [known[m] for m in sorted(known)]
