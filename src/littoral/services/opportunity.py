"""Ships of opportunity: the vessels of the AIS picture near a case's datum that could help.

IAMSAR Vol. II, section 3.5 ("ships of opportunity" among the SAR facilities): merchant and
other ships near the distress are often the first to reach it. From the stored picture this
lists the stations within ``radius_nm`` of the datum whose last position is at most
``max_age`` old, with their great-circle distance (haversine, :mod:`littoral.geo.distance`),
an ETA at their reported speed over a straight track (None when they report under
``min_speed_kn`` or no speed), type, flag, navigational status and the age of the report,
nearest in time first. Distress devices (AIS-SART, MOB, EPIRB-AIS), aids to navigation and the
vessel in distress itself are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from littoral.errors import InputError
from littoral.geo.distance import haversine_m
from littoral.geo.flags import MmsiKind, flag_of, mmsi_kind
from littoral.store import Store
from littoral.store.records import BoundingBox
from littoral.tracks.state import VesselState
from littoral.units import M_PER_NM

EXCLUDED_KINDS = frozenset(
    {MmsiKind.SART, MmsiKind.MOB, MmsiKind.EPIRB, MmsiKind.AID_TO_NAVIGATION, MmsiKind.INVALID}
)
MAX_RADIUS_NM = 300.0


@dataclass(frozen=True, kw_only=True)
class OpportunityQuery:
    """Where and how wide to look."""

    lon: float
    lat: float
    radius_nm: float = 30.0
    max_age: timedelta = timedelta(hours=1)
    min_speed_kn: float = 0.5
    exclude_mmsi: int | None = None

    def check(self) -> None:
        """Refuse a radius, age or speed out of range, by name."""
        if not 0.0 < self.radius_nm <= MAX_RADIUS_NM:
            raise InputError(f"radius_nm={self.radius_nm!r} must be in (0, {MAX_RADIUS_NM:g}]")
        if self.max_age <= timedelta(0):
            raise InputError(f"max_age={self.max_age!r} must be positive")
        if self.min_speed_kn <= 0.0:
            raise InputError(f"min_speed_kn={self.min_speed_kn!r} must be > 0")


@dataclass(frozen=True, kw_only=True)
class Opportunity:
    """One vessel that could help, as of ``now``."""

    mmsi: int
    name: str | None
    ship_type: int | None
    flag: str | None
    flag_code: str | None
    nav_status: int | None
    lon: float
    lat: float
    distance_nm: float
    sog_kn: float | None
    eta_h: float | None
    report_age_s: float


def _bbox(q: OpportunityQuery) -> BoundingBox:
    dlat = q.radius_nm / 60.0
    cos = max(math.cos(math.radians(q.lat)), 0.01)
    dlon = min(q.radius_nm / (60.0 * cos), 180.0)
    return BoundingBox(
        q.lon - dlon, max(q.lat - dlat, -90.0), q.lon + dlon, min(q.lat + dlat, 90.0)
    )


def ships_of_opportunity(store: Store, query: OpportunityQuery, now: datetime) -> list[Opportunity]:
    """Return the vessels that could help (see the module docstring), soonest there first."""
    query.check()
    found: list[Opportunity] = []
    for v in store.vessels.find(bbox=_bbox(query)):
        if v.lon is None or v.lat is None or v.position_time is None:
            continue
        if v.mmsi == query.exclude_mmsi or mmsi_kind(v.mmsi) in EXCLUDED_KINDS:
            continue
        age_s = (now - v.position_time).total_seconds()
        if age_s > query.max_age.total_seconds():
            continue
        distance_nm = float(haversine_m(query.lon, query.lat, v.lon, v.lat)) / M_PER_NM
        if distance_nm > query.radius_nm:
            continue
        flag = flag_of(v.mmsi) if v.flag is None else None
        moving = v.sog_kn is not None and v.sog_kn >= query.min_speed_kn
        found.append(
            Opportunity(
                mmsi=v.mmsi,
                name=v.name,
                ship_type=v.ship_type,
                flag=v.flag if flag is None else flag.country,
                flag_code=v.flag_code if flag is None else flag.state_code,
                nav_status=v.nav_status,
                lon=v.lon,
                lat=v.lat,
                distance_nm=distance_nm,
                sog_kn=v.sog_kn,
                eta_h=distance_nm / v.sog_kn if moving and v.sog_kn else None,
                report_age_s=max(age_s, 0.0),
            )
        )
    found.sort(key=lambda o: (o.eta_h is None, o.eta_h or 0.0, o.distance_nm))
    return found


@dataclass(frozen=True, kw_only=True)
class PlatformDefaults:
    """A ship of opportunity's search figures, by its AIS ship type, until the master says."""

    label: str
    speed_kn: float
    eye_height_ft: float
    endurance_h: float


# AIS ship types of ITU-R M.1371 Table 53. The figures are littoral's own working assumptions
# (a search speed below the usual service speed; eye height of the bridge; hours a master
# can usually give), not values from a standard: the coordinator corrects them per unit.
_TABLE: tuple[tuple[int, int, str, float, float, float], ...] = (
    # first, last type, label, search speed kn, eye height ft, endurance h
    (30, 30, "fishing", 8, 10, 12),
    (31, 32, "towing", 7, 15, 12),
    (35, 35, "military", 15, 30, 12),
    (36, 37, "pleasure", 5, 8, 6),
    (40, 49, "high-speed craft", 20, 15, 6),
    (50, 50, "pilot", 15, 10, 6),
    (51, 51, "SAR vessel", 15, 15, 12),
    (52, 52, "tug", 8, 15, 12),
    (53, 54, "port service", 8, 10, 6),
    (55, 55, "law enforcement", 15, 15, 12),
    (60, 69, "passenger", 12, 50, 12),
    (70, 79, "cargo", 10, 45, 12),
    (80, 89, "tanker", 10, 45, 12),
)
_DEFAULTS: tuple[tuple[range, PlatformDefaults], ...] = tuple(
    (
        range(first, last + 1),
        PlatformDefaults(label=label, speed_kn=speed, eye_height_ft=eye, endurance_h=hours),
    )
    for first, last, label, speed, eye, hours in _TABLE
)
UNKNOWN_TYPE = PlatformDefaults(label="vessel", speed_kn=10, eye_height_ft=15, endurance_h=8)


def platform_defaults(ship_type: int | None) -> PlatformDefaults:
    """Return the search figures for an AIS ship type (unknown types: a generic vessel).

    >>> platform_defaults(71).label, platform_defaults(None).label
    ('cargo', 'vessel')
    """
    for types, defaults in _DEFAULTS:
        if ship_type is not None and ship_type in types:
            return defaults
    return UNKNOWN_TYPE


def unit_values(vessel: VesselState) -> dict[str, Any]:
    """Return the unit a ship of opportunity makes: her figures, based where she is now."""
    if vessel.lon is None or vessel.lat is None:
        raise InputError(f"MMSI {vessel.mmsi} has no position in the picture")
    d = platform_defaults(vessel.ship_type)
    name = (vessel.name or "").strip() or f"MMSI {vessel.mmsi}"
    values: dict[str, Any] = {
        "name": f"{name} ({vessel.mmsi})"[:64],
        "platform": "vessel",
        "pattern": "parallel",
        "speed_kn": d.speed_kn,
        "endurance_h": d.endurance_h,
        "height_ft": d.eye_height_ft,
        "base_lon": vessel.lon,
        "base_lat": vessel.lat,
    }
    if 100_000_000 <= vessel.mmsi <= 999_999_999:  # her AIS track is her searched effort
        values["mmsi"] = vessel.mmsi
    if vessel.sog_kn is not None and vessel.sog_kn >= 0.5:
        values["transit_speed_kn"] = round(vessel.sog_kn, 1)
    return values
