"""The reports that flow from AIS decoding into the picture, the watch rules and the store.

These are the seam between :mod:`littoral.ais` (which produces them), :mod:`littoral.tracks`,
:mod:`littoral.watch` and :mod:`littoral.store` (which consume them), so they live here and
not in any of those packages. Fields carry their units; "not available" values of AIS
(lat 91, lon 181, SOG 102.3, heading 511) are ``None`` here and never become positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AisClass(StrEnum):
    """Transponder class, as told by the message types a station sends."""

    A = "A"
    B = "B"
    BASE = "base"
    ATON = "aton"
    SAR = "sar"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class PositionReport:
    """One valid position of one station (message types 1-3, 4, 9, 18, 19, 21, 27).

    ``time`` is the receive time (tag block ``c:``, USCG trailing time, or the live source's
    clock, in that order), timezone-aware UTC.
    """

    mmsi: int
    time: datetime
    lon: float
    lat: float
    msg_type: int
    source: str = ""
    sog_kn: float | None = None
    cog_deg: float | None = None
    heading_deg: float | None = None
    nav_status: int | None = None
    ais_class: AisClass = AisClass.UNKNOWN
    accuracy: bool = False


@dataclass(frozen=True, slots=True)
class StaticReport:
    """Static and voyage data of one station (message types 5, 19, 21, 24)."""

    mmsi: int
    time: datetime
    msg_type: int
    source: str = ""
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
    ais_class: AisClass = AisClass.UNKNOWN


@dataclass(frozen=True, slots=True)
class SafetyReport:
    """A safety-related text (message types 12 and 14), e.g. from an AIS-SART/MOB/EPIRB."""

    mmsi: int
    time: datetime
    msg_type: int
    text: str
    source: str = ""
    dest_mmsi: int | None = None
