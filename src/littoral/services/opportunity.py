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

from littoral.errors import InputError
from littoral.geo.distance import haversine_m
from littoral.geo.flags import MmsiKind, flag_of, mmsi_kind
from littoral.store import Store
from littoral.store.records import BoundingBox
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
