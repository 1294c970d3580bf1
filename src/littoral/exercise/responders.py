"""The search units the five states commit, and how the nearest ones are chosen.

Every state keeps a patrol ship, a coast-guard boat and a SAR helicopter at its ports and
naval bases (``littoral.geo.places``). For a case the exercise commits one unit of each role,
each from a different state, choosing the combination whose bases lie nearest the datum in
total. Figures are typical of the classes: a patrol ship searches at 12 kn (transit 16 kn)
from a 14 ft bridge wing, a coast-guard boat at 15 kn (transit 24 kn) with an 8 ft eye
height, a helicopter at 80 kn and 500 ft (transit 120 kn, 3.5 h endurance). A ship's sortie
is given ``search_hours`` on scene per round; its endurance is set to cover the transit both
ways and that time (IAMSAR Vol. II counts 85 % of it as productive search).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from littoral.geo import haversine_m, places
from littoral.search import PatternKind, Platform, SearchUnit
from littoral.units import M_PER_NM


@dataclass(frozen=True, slots=True)
class Role:
    """A kind of unit: its platform and figures."""

    label: str
    platform: Platform
    speed_kn: float
    transit_speed_kn: float
    height_ft: float
    endurance_h: float | None
    """Fixed endurance (aircraft); ``None`` for vessels, whose sortie is sized per round."""


ROLES: tuple[Role, ...] = (
    Role("patrol ship", Platform.VESSEL, 12.0, 16.0, 14.0, None),
    Role("coast-guard boat", Platform.VESSEL, 15.0, 24.0, 8.0, None),
    Role("SAR helicopter", Platform.HELICOPTER, 80.0, 120.0, 500.0, 3.5),
)

STATES = ("AZ", "IR", "KZ", "RU", "TM")
BASE_KINDS = ("port", "naval")


@dataclass(frozen=True, slots=True)
class Commitment:
    """One role filled by one state from one base."""

    role: Role
    state: str
    base_name: str
    base_lon: float
    base_lat: float
    distance_nm: float

    @property
    def name(self) -> str:
        """The unit's name, e.g. ``"KZ coast-guard boat"``."""
        return f"{self.state} {self.role.label}"

    def unit(self, search_hours: float) -> SearchUnit:
        """Return the unit for ``search_hours`` on scene per round (aircraft keep endurance)."""
        transit_h = self.distance_nm / self.role.transit_speed_kn
        # a ship relieved each round: enough for both transits, the search and the reserve
        # the planner keeps (10 % of the endurance)
        endurance = self.role.endurance_h or (2.0 * transit_h + search_hours / 0.85) / 0.9
        return SearchUnit(
            name=self.name,
            state=self.state,
            platform=self.role.platform,
            speed_kn=self.role.speed_kn,
            endurance_h=round(endurance, 2),
            base_lon=self.base_lon,
            base_lat=self.base_lat,
            transit_speed_kn=self.role.transit_speed_kn,
            height_ft=self.role.height_ft,
            base_name=self.base_name,
            pattern=PatternKind.PARALLEL,
        )


def nearest_bases(lon: float, lat: float) -> dict[str, tuple[str, float, float, float]]:
    """For each state, its base nearest (lon, lat): (name, lon, lat, distance NM)."""
    out: dict[str, tuple[str, float, float, float]] = {}
    for state in STATES:
        best: tuple[str, float, float, float] | None = None
        for place in places(state=state):
            if place.kind not in BASE_KINDS:
                continue
            d_nm = float(haversine_m(lon, lat, place.lon, place.lat)) / M_PER_NM
            if best is None or d_nm < best[3]:
                best = (place.name, place.lon, place.lat, d_nm)
        if best is not None:
            out[state] = best
    return out


def commit_units(lon: float, lat: float) -> list[Commitment]:
    """Choose one unit per role, each of a different state, nearest in total to (lon, lat)."""
    bases = nearest_bases(lon, lat)
    best: tuple[float, tuple[str, ...]] | None = None
    for states in itertools.permutations(sorted(bases), len(ROLES)):
        # time to reach the scene, so a fast helicopter may come from further away
        cost = sum(
            bases[s][3] / role.transit_speed_kn for s, role in zip(states, ROLES, strict=True)
        )
        if best is None or cost < best[0]:
            best = (cost, states)
    if best is None:
        return []
    return [
        Commitment(role, s, bases[s][0], bases[s][1], bases[s][2], bases[s][3])
        for s, role in zip(best[1], ROLES, strict=True)
    ]
