"""The live picture as the service holds it: one shared :class:`~littoral.tracks.TrackStore`.

The feed thread applies decoded reports under a lock; requests read under the same lock and
copy out only what they return, so a view query over 1,500 vessels costs well under a
millisecond of lock time. On start the picture is restored from the store's vessel rows, so a
restarted service shows the last known picture at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from littoral.clock import Clock
from littoral.store.records import BoundingBox
from littoral.tracks import TrackStore, VesselState
from littoral.tracks.picture import Report

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


def vessel_brief(v: VesselState) -> dict[str, Any]:
    """Return the few fields the map draws for a vessel."""
    return {
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
        "time": None if v.position_time is None else v.position_time.isoformat(),
    }


class LivePicture:
    """A thread-safe view on the picture the feed updates."""

    def __init__(self, clock: Clock, vessel_ttl_s: float) -> None:
        self._picture = TrackStore(
            clock,
            vessel_ttl=timedelta(seconds=vessel_ttl_s),
            history_points=720,
            history_ttl=timedelta(hours=12),
        )
        self._lock = threading.Lock()

    def restore(self, states: Iterable[VesselState]) -> None:
        """Put back vessels saved in the store."""
        with self._lock:
            self._picture.restore(states)

    def apply(self, reports: Iterable[Report]) -> list[VesselState]:
        """Apply reports; return the vessels they changed."""
        with self._lock:
            self._picture.apply_many(reports)
            return self._picture.take_dirty()

    def expire(self, now: datetime) -> int:
        """Forget stale history and vessels."""
        with self._lock:
            return self._picture.expire(now)

    def __len__(self) -> int:
        with self._lock:
            return len(self._picture)

    def find(
        self,
        bbox: BoundingBox | None = None,
        flags: frozenset[str] = frozenset(),
        categories: frozenset[str] = frozenset(),
        littoral: bool | None = None,
        limit: int = 5000,
    ) -> list[dict[str, Any]]:
        """Return brief records of vessels with a position, filtered, by MMSI."""
        out = []
        with self._lock:
            for v in self._picture:
                lon, lat = v.lon, v.lat
                if lon is None or lat is None:
                    continue
                if bbox is not None and not (
                    bbox.west <= lon <= bbox.east and bbox.south <= lat <= bbox.north
                ):
                    continue
                if littoral is not None and v.is_littoral != littoral:
                    continue
                if (
                    flags
                    and (v.flag_code or "").upper() not in flags
                    and ((v.flag or "").upper() not in flags)
                ):
                    continue
                if categories and ship_category(v.ship_type) not in categories:
                    continue
                out.append(vessel_brief(v))
                if len(out) >= limit:
                    break
        out.sort(key=lambda r: int(r["mmsi"]))
        return out

    def detail(self, mmsi: int) -> dict[str, Any]:
        """Return the full state of one vessel with its recent track."""
        with self._lock:
            v = self._picture.get(mmsi)
            data = v.to_dict()
            track = [[p.lon, p.lat, p.time.isoformat(), p.sog_kn, p.cog_deg] for p in v.history]
        data["category"] = ship_category(v.ship_type)
        data["track"] = track
        return data
