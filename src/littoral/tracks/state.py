"""The state of one vessel (one MMSI) as the picture knows it: where, what, who, since when.

A :class:`VesselState` is the latest word on a station: its last valid position and motion,
its static and voyage data (merged from type 5, 19, 21 and both parts of type 24), its flag
from the MMSI's Maritime Identification Digits, and a short recent history of positions.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from littoral.geo.flags import mmsi_kind
from littoral.records.reports import AisClass


class TrackPoint(NamedTuple):
    """One point of a vessel's recent history."""

    time: datetime
    lon: float
    lat: float
    sog_kn: float | None
    cog_deg: float | None


@dataclass(slots=True, eq=False)
class VesselState:
    """Latest known state of one station.

    Position fields (``lon``, ``lat``, ``position_time``, ``sog_kn``, ``cog_deg``,
    ``heading_deg``, ``nav_status``) come from the newest valid position report; static
    fields keep the last value that was available, as type 24 parts A and B and type 5 each
    fill only some of them. ``history`` holds recent points, oldest first, bounded in length
    and in age by the :class:`~littoral.tracks.picture.TrackStore` that owns it.
    """

    mmsi: int
    first_seen: datetime
    last_seen: datetime
    message_count: int = 0
    track: int = 0
    """0 for the first ship heard on this MMSI; 1, 2... for others heard at the same time
    far away (see :mod:`littoral.tracks.split`)."""
    ais_class: AisClass = AisClass.UNKNOWN
    lon: float | None = None
    lat: float | None = None
    position_time: datetime | None = None
    sog_kn: float | None = None
    cog_deg: float | None = None
    heading_deg: float | None = None
    nav_status: int | None = None
    name: str | None = None
    callsign: str | None = None
    imo: int | None = None
    ship_type: int | None = None
    to_bow_m: float | None = None
    to_stern_m: float | None = None
    to_port_m: float | None = None
    to_starboard_m: float | None = None
    destination: str | None = None
    eta: datetime | None = None
    draught_m: float | None = None
    static_time: datetime | None = None
    mid: int | None = None
    flag: str | None = None
    flag_code: str | None = None
    is_littoral: bool = False
    last_text: str | None = None
    history: deque[TrackPoint] = field(default_factory=deque)

    @property
    def key(self) -> str:
        """The vessel's key: its MMSI, or ``MMSI-2``, ``MMSI-3``... for another ship on it.

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> t = datetime(2026, 5, 1, tzinfo=UTC)
        >>> VesselState(mmsi=273123456, first_seen=t, last_seen=t, track=1).key
        '273123456-2'
        """
        return str(self.mmsi) if not self.track else f"{self.mmsi}-{self.track + 1}"

    @property
    def has_position(self) -> bool:
        """Whether a valid position has been received."""
        return self.position_time is not None

    @property
    def length_m(self) -> float | None:
        """Overall length from the reference point distances, when both are known."""
        if self.to_bow_m is None or self.to_stern_m is None:
            return None
        return self.to_bow_m + self.to_stern_m

    @property
    def beam_m(self) -> float | None:
        """Beam from the reference point distances, when both are known."""
        if self.to_port_m is None or self.to_starboard_m is None:
            return None
        return self.to_port_m + self.to_starboard_m

    @property
    def station(self) -> str:
        """Kind of station the MMSI names (ITU-R M.585): ``ship``, ``aid to navigation``..."""
        return mmsi_kind(self.mmsi).value

    def to_dict(self) -> dict[str, object]:
        """Return the state as JSON-ready values (ISO 8601 UTC times, no history).

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> t = datetime(2026, 5, 1, tzinfo=UTC)
        >>> VesselState(mmsi=273123456, first_seen=t, last_seen=t).to_dict()["mmsi"]
        273123456
        """
        return {
            "key": self.key,
            "mmsi": self.mmsi,
            "ship_number": self.track + 1,
            "station": self.station,
            "ais_class": self.ais_class.value,
            "mid": self.mid,
            "flag": self.flag,
            "flag_code": self.flag_code,
            "is_littoral": self.is_littoral,
            "name": self.name,
            "callsign": self.callsign,
            "imo": self.imo,
            "ship_type": self.ship_type,
            "lon": self.lon,
            "lat": self.lat,
            "position_time": _iso(self.position_time),
            "sog_kn": self.sog_kn,
            "cog_deg": self.cog_deg,
            "heading_deg": self.heading_deg,
            "nav_status": self.nav_status,
            "length_m": self.length_m,
            "beam_m": self.beam_m,
            "to_bow_m": self.to_bow_m,
            "to_stern_m": self.to_stern_m,
            "to_port_m": self.to_port_m,
            "to_starboard_m": self.to_starboard_m,
            "destination": self.destination,
            "eta": _iso(self.eta),
            "draught_m": self.draught_m,
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "message_count": self.message_count,
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")
