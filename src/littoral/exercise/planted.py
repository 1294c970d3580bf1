"""The planted events of the exercise day, with the times the truth table records.

Five events, spread over the day as fractions of its length so that a shortened day keeps them
all: a ship of a non-littoral flag (Panama) coming down the Volga-Caspian canal into the sea;
a supply vessel that goes dark at an offshore field; two tankers meeting for a ship-to-ship
transfer (within 500 m, under 2 kn, for over two hours, far from any port); a vessel whose
reported position jumps ashore (GNSS spoofing); and the distress: a person falls overboard from
a named ferry on a named route and an AIS-MOB beacon transmits, then falls silent.

Each :class:`PlantedEvent` says when the event starts in the world, when a watch rule could first
know it by its own definition (``detectable_at``; for the transfer, two hours after the ships
come together), and how long after that an alert still counts as on time (``tolerance_s``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import numpy as np

from littoral.exercise.fleet import IdentityFactory, VesselIdentity, VesselKind
from littoral.exercise.motion import STATUS_MOORED, STATUS_UNDER_WAY, Plan, offset
from littoral.exercise.routes import BERTHS, ROUTES, VOLGA_CANAL_SEA_END
from littoral.exercise.schedules import Spacing, jitter_ends, standby_spot
from littoral.geo.sea import CaspianSea

H = 3600.0

STS_MEETING_POINT: tuple[float, float] = (50.20, 42.30)
"""Where the two tankers meet: the open Middle Caspian, about 110 km from the nearest port."""

SPOOF_POSITION: tuple[float, float] = (47.05, 42.75)
"""Where the spoofed reports put the ship: inland Dagestan, about 25 km from the shore."""

MOB_FERRY_NAME = "SHIRVAN STAR"
MOB_ROUTE = ("BAKU", "AKTAU")


class EventKind(StrEnum):
    """Kinds of planted event; the exercise matches alerts of the watch to them by kind."""

    FOREIGN_FLAG = "foreign_flag"
    DARK = "dark"
    SHIP_TO_SHIP = "ship_to_ship"
    SPOOFING = "spoofing"
    DISTRESS = "distress"


@dataclass(frozen=True)
class PlantedEvent:
    """One planted event: the truth an alert is compared with.

    Attributes
    ----------
    kind:
        What happens.
    mmsis:
        The stations involved (the beacon for the distress, both ships for a transfer).
    start:
        When it starts in the world (UTC).
    detectable_at:
        The earliest time a rule could know it from the reports, by its definition (UTC).
    tolerance_s:
        How long after ``detectable_at`` an alert still counts as on time.
    lon, lat:
        Where it happens.
    description:
        One line for the report.
    end:
        When it ends, if it does within the day.
    """

    kind: EventKind
    mmsis: tuple[int, ...]
    start: datetime
    detectable_at: datetime
    tolerance_s: float
    lon: float
    lat: float
    description: str
    end: datetime | None = None


@dataclass(frozen=True)
class MobIncident:
    """The distress: who fell from which ferry, where, when, and what the beacon sent."""

    ferry_mmsi: int
    ferry_name: str
    route: str
    fall_time_s: float
    fall_lon: float
    fall_lat: float
    beacon_mmsi: int
    beacon_first_s: float
    beacon_last_s: float


@dataclass
class PlantedPlans:
    """The plans of the planted vessels and the times of their events (seconds from start)."""

    vessels: list[tuple[VesselIdentity, Plan]]
    foreign_mmsi: int
    foreign_entry_s: float
    dark_mmsi: int
    dark_from_s: float
    dark_until_s: float
    dark_field: str
    sts_mmsis: tuple[int, int]
    sts_start_s: float
    sts_end_s: float
    spoof_mmsi: int
    spoof_from_s: float
    spoof_reports: int
    mob_ferry: VesselIdentity
    mob_fall_s: float
    beacon_mmsi: int
    beacon_on_s: float
    beacon_minutes: float


def event_times(hours: float) -> dict[str, float]:
    """Seconds from the start of each planted event in a day of ``hours`` hours (>= 6)."""
    end = hours * H
    sts_len = 2.5 * H
    sts_start = min(0.35 * end, end - sts_len - 0.4 * H)
    return {
        "foreign": 0.08 * end,
        "mob": 0.30 * end,
        "sts": sts_start,
        "sts_end": sts_start + sts_len,
        "dark": 0.55 * end,
        "dark_until": min(end + H, 0.55 * end + max(3.0 * H, 0.25 * end)),
        "spoof": 0.75 * end,
    }


def plan_planted(
    rng: np.random.Generator,
    sea: CaspianSea,
    ids: IdentityFactory,
    hours: float,
    spacing: Spacing,
) -> PlantedPlans:
    """Plan the planted vessels of a day of ``hours`` hours."""
    times = event_times(hours)
    end = hours * H
    vessels: list[tuple[VesselIdentity, Plan]] = []

    # the Panama-flagged ship down the Volga-Caspian canal to Makhachkala
    foreign = ids.vessel("PA", VesselKind.RIVER_SEA, route="VOLGA CANAL-MAKHACHKALA")
    route = ROUTES[("VOLGA CANAL", "MAKHACHKALA")]
    plan = Plan(first_s=times["foreign"]).start_at(times["foreign"], *VOLGA_CANAL_SEA_END)
    plan.follow(route[1:], 9.5).hold_until(end + H)
    vessels.append((foreign, plan))

    # the supply vessel that goes dark on standby at ACG, and reappears 8 km away
    dark = ids.vessel("AZ", VesselKind.SUPPLY, route="BAKU-ACG")
    spot = standby_spot(rng, sea, "ACG", spacing)
    away = offset(spot[0], spot[1], 6000.0, -5000.0)
    plan = Plan().start_at(-2 * H, *spot).stay(times["dark"] + 2 * H + 0.5 * H, STATUS_UNDER_WAY)
    plan.to(*away, duration_s=max(600.0, times["dark_until"] - plan.end_s - 0.5 * H))
    plan.hold_until(end + 2 * H, STATUS_UNDER_WAY)
    vessels.append((dark, plan))

    # the ship-to-ship transfer: a Russian and an Iranian tanker
    ru = ids.vessel("RU", VesselKind.TANKER, route="MAKHACHKALA-STS-BAKU")
    ir = ids.vessel("IR", VesselKind.TANKER, route="AKTAU-STS-AMIRABAD")
    meet_a = STS_MEETING_POINT
    meet_b = offset(meet_a[0], meet_a[1], 120.0, 90.0)  # alongside, 150 m apart
    drift_a = offset(meet_a[0], meet_a[1], 500.0, -1800.0)
    drift_b = offset(meet_b[0], meet_b[1], 500.0, -1800.0)
    # onward along the shipping routes: round Absheron to Baku, down the east side to Amirabad
    onward_ru = ROUTES[("MAKHACHKALA", "BAKU")][2:]
    onward_ir = ROUTES[("AKTAU", "AMIRABAD")][1:]
    for ident, start_port, meet, drift, onward, arrive_s in (
        (ru, "MAKHACHKALA", meet_a, drift_a, onward_ru, times["sts"] - 600.0),
        (ir, "AKTAU", meet_b, drift_b, onward_ir, times["sts"]),
    ):
        home = (BERTHS[start_port].lon, BERTHS[start_port].lat)
        probe = Plan().start_at(0.0, *home).to(*meet, speed_kn=11.0)
        depart = arrive_s - probe.end_s
        plan = Plan().start_at(min(depart, 0.0) - 2 * H, *home)
        plan.hold_until(depart)
        plan.to(*meet, speed_kn=11.0)
        plan.to(*drift, duration_s=times["sts_end"] - arrive_s, status=STATUS_UNDER_WAY)
        plan.follow(onward, 11.0).hold_until(end + H)
        vessels.append((ident, plan))

    # the spoofed tanker on passage Aktau - Makhachkala
    spoof = ids.vessel("KZ", VesselKind.TANKER, route="AKTAU-MAKHACHKALA")
    route = jitter_ends(rng, ROUTES[("AKTAU", "MAKHACHKALA")])
    plan = Plan().start_at(times["spoof"] - 6 * H, *route[0]).follow(route, 11.0)
    plan.hold_until(end + H)
    vessels.append((spoof, plan))

    # the ferry and the person overboard, mid-passage
    ferry = ids.vessel("AZ", VesselKind.FERRY, route="-".join(MOB_ROUTE), name=MOB_FERRY_NAME)
    route = ROUTES[MOB_ROUTE]
    probe = Plan().start_at(0.0, *route[0]).follow(route, 14.5)
    depart = times["mob"] - 0.45 * probe.end_s
    plan = Plan().start_at(depart - 3 * H, *route[0]).stay(3 * H, STATUS_MOORED)
    plan.follow(route, 14.5).hold_until(end + H)
    vessels.append((ferry, plan))
    beacon_mmsi = ids.mob_mmsi()

    return PlantedPlans(
        vessels=vessels,
        foreign_mmsi=foreign.mmsi,
        foreign_entry_s=times["foreign"],
        dark_mmsi=dark.mmsi,
        dark_from_s=times["dark"],
        dark_until_s=times["dark_until"],
        dark_field="ACG",
        sts_mmsis=(ru.mmsi, ir.mmsi),
        sts_start_s=times["sts"],
        sts_end_s=times["sts_end"],
        spoof_mmsi=spoof.mmsi,
        spoof_from_s=times["spoof"],
        spoof_reports=3,
        mob_ferry=ferry,
        mob_fall_s=times["mob"],
        beacon_mmsi=beacon_mmsi,
        beacon_on_s=times["mob"] + 45.0,
        beacon_minutes=35.0,
    )
