"""The live picture as the service holds it: one shared :class:`~littoral.tracks.TrackStore`.

The feed thread applies decoded reports under a lock; requests read under the same lock and
copy out only what they return, so a view query over 1,500 vessels costs well under a
millisecond of lock time. On start the picture is restored from the store's vessel rows, so a
restarted service shows the last known picture at once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from littoral.clock import Clock
from littoral.errors import InputError
from littoral.records.reports import PositionReport
from littoral.store.records import BoundingBox, StoredPosition, from_ms
from littoral.store.track_columns import TrackColumns
from littoral.tracks import TrackStore, VesselState
from littoral.tracks.picture import Report
from littoral.tracks.split import distance_m

SHIP_TYPE_CATEGORIES: tuple[str, ...] = (
    "fishing",
    "towing",
    "dredging",
    "diving",
    "military",
    "sailing",
    "pleasure",
    "hsc",
    "pilot",
    "sar",
    "tug",
    "law",
    "medical",
    "passenger",
    "cargo",
    "tanker",
    "other",
    "unknown",
)
"""Categories of the ITU-R M.1371 ship type code a watch officer filters by."""

_SPECIAL = {
    30: "fishing",
    31: "towing",
    32: "towing",
    33: "dredging",
    34: "diving",
    35: "military",
    36: "sailing",
    37: "pleasure",
    50: "pilot",
    51: "sar",
    52: "tug",
    53: "tug",
    55: "law",
    58: "medical",
}


def ship_category(ship_type: int | None) -> str:
    """Return the category of an AIS ship type code.

    Examples
    --------
    >>> ship_category(71), ship_category(30), ship_category(None)
    ('cargo', 'fishing', 'unknown')
    """
    if ship_type is None or ship_type <= 0:
        return "unknown"
    if ship_type in _SPECIAL:
        return _SPECIAL[ship_type]
    decade = ship_type // 10
    return {4: "hsc", 6: "passenger", 7: "cargo", 8: "tanker"}.get(decade, "other")


def parse_vessel_key(key: str) -> tuple[int, int]:
    """Return (MMSI, track) of a vessel key: ``MMSI``, or ``MMSI-2``... for another ship on it.

    Examples
    --------
    >>> parse_vessel_key("273123456"), parse_vessel_key("273123456-2")
    ((273123456, 0), (273123456, 1))
    """
    number, sep, ship = key.partition("-")
    if (
        not number.isdigit()
        or not 1 <= int(number) <= 999_999_999
        or (sep and (not ship.isdigit() or not 2 <= int(ship) <= 99))
    ):
        raise InputError(
            f"vessel={key!r} is not a vessel key: an MMSI, or MMSI-2, MMSI-3... for another "
            "ship heard on the same MMSI"
        )
    return int(number), int(ship) - 1 if sep else 0


def ship_track(
    points: list[StoredPosition], state: VesselState, clock: Clock
) -> list[StoredPosition]:
    """Return the stored positions of one ship of a shared MMSI (``state``'s).

    The MMSI's positions are stored as received; they are told apart again as the picture
    does (:mod:`littoral.tracks.split`), and the ship whose latest position is ``state``'s
    (or the nearest to it) is the one.
    """
    if not state.track or state.lon is None or state.lat is None:
        return points
    replay = TrackStore(
        clock, history_points=max(1, len(points)), history_ttl=timedelta(days=36500)
    )
    replay.apply_positions(
        PositionReport(mmsi=p.mmsi, time=p.time, lon=p.lon, lat=p.lat, msg_type=p.msg_type)
        for p in points
    )
    ships = [s for s in replay if s.lon is not None and s.lat is not None]
    if not ships:
        return []
    lon, lat = state.lon, state.lat
    ship = min(ships, key=lambda s: distance_m(s.lon or 0.0, s.lat or 0.0, lon, lat))
    kept = {(p.time, p.lon, p.lat) for p in ship.history}
    return [p for p in points if (p.time, p.lon, p.lat) in kept]


def track_rows(track: TrackColumns, limit: int) -> list[list[Any]]:
    """Return the last ``limit`` points of a track as ``[lon, lat, time, sog_kn, cog_deg]``.

    The time is ISO 8601 UTC, a speed or course not reported is ``None``: the rows the
    records of the track give, point for point.
    """

    def opt(values: Any) -> list[float | None]:
        return [None if v != v else v for v in values.tolist()]  # NaN: not reported

    tail = slice(max(0, len(track) - limit), None)
    times = [from_ms(ms).isoformat() for ms in track.time_ms[tail].tolist()]
    columns = (track.lon[tail].tolist(), track.lat[tail].tolist(), times,
               opt(track.sog_kn[tail]), opt(track.cog_deg[tail]))  # fmt: skip
    return [list(row) for row in zip(*columns, strict=True)]


def vessel_brief(v: VesselState) -> dict[str, Any]:
    """Return the few fields the map draws for a vessel."""
    return {
        "key": v.key,
        "mmsi": v.mmsi,
        "lon": v.lon,
        "lat": v.lat,
        "sog_kn": v.sog_kn,
        "cog_deg": v.cog_deg,
        "heading_deg": v.heading_deg,
        "name": v.name,
        "flag": v.flag_code or v.flag,
        "littoral": v.is_littoral,
        "category": ship_category(v.ship_type),
        "station": v.station,
        "time": None if v.position_time is None else v.position_time.isoformat(),
    }


def vessel_age_s(v: VesselState, now: datetime) -> float:
    """Return seconds since the vessel's newest position (else since it was last heard)."""
    return (now - (v.position_time or v.last_seen)).total_seconds()


class _Row(NamedTuple):
    """What a view query filters on, and the vessel's answer already encoded."""

    lon: float
    lat: float
    flags: frozenset[str]
    category: str
    littoral: bool
    encoded: bytes


def _row(v: VesselState) -> _Row | None:
    if v.lon is None or v.lat is None:
        return None
    flags = frozenset(f.upper() for f in (v.flag_code, v.flag) if f)
    encoded = json.dumps(vessel_brief(v), separators=(",", ":")).encode()
    return _Row(v.lon, v.lat, flags, ship_category(v.ship_type), v.is_littoral, encoded)


class LivePicture:
    """A thread-safe view on the picture the feed updates.

    Every vessel's brief record is encoded to JSON once, when it changes; a view query
    filters the rows and joins the bytes, so answering 1,500 vessels costs well under a
    millisecond and holds the lock for even less.
    """

    def __init__(self, clock: Clock, vessel_ttl_s: float) -> None:
        self._picture = TrackStore(
            clock,
            vessel_ttl=timedelta(seconds=vessel_ttl_s),
            history_points=720,
            history_ttl=timedelta(hours=12),
        )
        self._clock = clock
        self._lock = threading.Lock()
        self._rows: dict[tuple[int, int], _Row] = {}
        """By (MMSI, track): each ship of a shared MMSI is a row."""

    def _index(self, states: Iterable[VesselState]) -> None:
        rows = self._rows
        for v in states:
            row = _row(v)
            if row is None:
                rows.pop((v.mmsi, v.track), None)
            else:
                rows[v.mmsi, v.track] = row

    def restore(self, states: Iterable[VesselState]) -> None:
        """Put back vessels saved in the store."""
        states = list(states)
        with self._lock:
            self._picture.restore(states)
            self._index(states)

    def apply(self, reports: Iterable[Report]) -> list[VesselState]:
        """Apply reports; return the vessels they changed."""
        with self._lock:
            self._picture.apply_many(reports)
            changed = self._picture.take_dirty()
            self._index(changed)
            return changed

    def expire(self, now: datetime) -> int:
        """Forget stale history and vessels."""
        with self._lock:
            gone = self._picture.expire(now)
            if gone:
                live = {(v.mmsi, v.track) for v in self._picture}
                for key in [k for k in self._rows if k not in live]:
                    del self._rows[key]
            return gone

    def __len__(self) -> int:
        with self._lock:
            return len(self._picture)

    def find_encoded(
        self,
        bbox: BoundingBox | None = None,
        flags: frozenset[str] = frozenset(),
        categories: frozenset[str] = frozenset(),
        littoral: bool | None = None,
        limit: int = 5000,
    ) -> tuple[int, bytes]:
        """Return how many vessels match and their JSON array, by MMSI."""
        if bbox is None:
            west, south, east, north = -180.0, -90.0, 180.0, 90.0
        else:
            west, south, east, north = bbox
        with self._lock:
            items = [
                (mmsi, r.encoded)
                for mmsi, r in self._rows.items()
                if west <= r.lon <= east
                and south <= r.lat <= north
                and (littoral is None or r.littoral == littoral)
                and (not flags or not flags.isdisjoint(r.flags))
                and (not categories or r.category in categories)
            ]
        items.sort()
        items = items[:limit]
        return len(items), b"[" + b",".join(e for _, e in items) + b"]"

    def find(
        self,
        bbox: BoundingBox | None = None,
        flags: frozenset[str] = frozenset(),
        categories: frozenset[str] = frozenset(),
        littoral: bool | None = None,
        limit: int = 5000,
    ) -> list[dict[str, Any]]:
        """Return brief records of vessels with a position, filtered, by MMSI."""
        _, encoded = self.find_encoded(bbox, flags, categories, littoral, limit)
        found: list[dict[str, Any]] = json.loads(encoded)
        return found

    def detail(self, mmsi: int, ship: int = 0) -> dict[str, Any]:
        """Return the full state of one vessel (ship ``ship`` of the MMSI) with its track."""
        with self._lock:
            v = self._picture.get(mmsi, ship)
            data = v.to_dict()
            track = [[p.lon, p.lat, p.time.isoformat(), p.sog_kn, p.cog_deg] for p in v.history]
        data["category"] = ship_category(v.ship_type)
        data["age_s"] = vessel_age_s(v, self._clock.now())
        data["track"] = track
        return data
