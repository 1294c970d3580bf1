"""Which row of the sweep width tables stands for each Leeway object class.

The Leeway classes (Allen and Plourde 1999; Allen 2005; Breivik and Allen 2008) describe how
an object drifts; the US Coast Guard sweep width tables describe how well it is seen. A rule
by category gives every class a table object; a few classes have their own line where the
category's rule would be wrong (capacity, length, no mast). Where the tables hold nothing
alike (waste, drums, mines, debris) the smallest object, a person in water, is used so the
sweep width is not overstated.
"""

from __future__ import annotations

from dataclasses import dataclass

from littoral.errors import NotFoundError


@dataclass(frozen=True)
class SweepObjectChoice:
    """The table object chosen for a Leeway class, and why."""

    leeway_class: str
    search_object: str
    rule: str


_BY_CLASS: dict[str, tuple[str, str]] = {
    "LIFE-RAFT-DB-18": ("Raft 15 person", "15-50 person capacity: smallest of that size"),
    "LIFE-RAFT-DB-19": ("Raft 15 person", "15-50 person capacity: smallest of that size"),
    "LIFE-RAFT-DB-20": ("Raft 15 person", "15-50 person capacity: smallest of that size"),
    "LIFE-RAFT-DB-21": ("Raft 1 person", "capsized raft: low profile"),
    "LIFE-RAFT-DB-22": ("Raft 1 person", "swamped raft: low profile"),
    "LIFE-RAFT-SB-9": ("Raft 1 person", "capsized raft: low profile"),
    "LIFE-RAFT-SB-10": ("Raft 1 person", "one-man raft"),
    "LIFE-RAFT-SB-11": ("Raft 1 person", "one-man raft"),
    "AVIATION-2": ("Raft 25 person", "46-person slide raft: largest raft of the tables"),
    "LIFE-CAPSULE": ("Raft 20 person", "22-man capsule"),
    "OVATEK-CRAFT-3": ("Raft 6 person", "7-man hard shell raft"),
    "OVATEK-CRAFT-6": ("Raft 6 person", "7-man hard shell raft"),
    "PERSON-POWERED-VESSEL-2": ("Person in Water", "person on a surf board"),
    "SKIFF-3": ("Power Boat ≤ 15ft", "swamped or capsized skiff"),
    "SPORT-BOAT": ("Power Boat 20ft", "open sport boat about 20 ft"),
    "SPORT-FISHER": ("Power Boat 20ft", "centre console sport fisher about 20-25 ft"),
    "FISHING-VESSEL-3": ("Ship 120ft", "side-stern trawler"),
    "FISHING-VESSEL-4": ("Power Boat 78ft", "longliner"),
    "FISHING-VESSEL-5": ("Power Boat 78ft", "Korean fishing vessel"),
    "COASTAL-FREIGHTER": ("Ship 225ft", "coastal freighter"),
    "SAILBOAT-8": ("Sail Boat 15ft", "sailing dinghy"),
    "CONTAINER-1": ("Raft 4 person", "part-submerged container: a low box a few metres long"),
    "CONTAINER-2": ("Raft 6 person", "part-submerged 20-ft container"),
    "REFUGEE-RAFT-1": ("Raft 6 person", "improvised raft"),
    "REFUGEE-RAFT-2": ("Raft 6 person", "improvised raft"),
    "BAIT-BOX-1": ("Raft 1 person", "one cubic metre box"),
    "BAIT-BOX-2": ("Raft 1 person", "one cubic metre box"),
    "BAIT-BOX-3": ("Raft 1 person", "one cubic metre box"),
}

# (prefix, table object, rule); the first matching prefix wins.
_BY_CATEGORY: tuple[tuple[str, str, str], ...] = (
    ("PIW-", "Person in Water", "person in water"),
    ("LIFE-RAFT-", "Raft 4 person", "life raft of unknown or 4-14 capacity: 4-person raft"),
    ("USCG-RESCUE", "Raft 4 person", "kit of ballasted rafts: 4-person raft"),
    ("AVIATION-", "Raft 4 person", "aviation raft 4-6 persons: 4-person raft"),
    ("OVATEK-CRAFT-", "Raft 4 person", "4-man hard shell raft"),
    ("PERSON-POWERED-VESSEL-", "Power Boat ≤ 15ft", "kayak or board: smallest boat"),
    ("SKIFF-", "Power Boat ≤ 15ft", "skiff: smallest power boat"),
    ("FISHING-VESSEL-", "Power Boat 33ft", "small fishing vessel: 33-ft power boat"),
    ("SAILBOAT-", "Power Boat 33ft", "sailboat of unknown rig state: hull as a 33-ft boat"),
    ("FV-DEBRIS", "Person in Water", "debris: smallest table object"),
    ("SLDMB", "Person in Water", "drifter buoy: smallest table object"),
    ("SEPIRB", "Person in Water", "beacon: smallest table object"),
    ("OIL-DRUM", "Person in Water", "drum: smallest table object"),
    ("MINE", "Person in Water", "mine: smallest table object"),
    ("SEWAGE", "Person in Water", "floatables: smallest table object"),
    ("MED-WASTE-", "Person in Water", "waste: smallest table object"),
)


def sweep_object_for(leeway_class: str) -> SweepObjectChoice:
    """Sweep width table object for a Leeway object class (e.g. ``"PIW-1"``).

    Raises
    ------
    NotFoundError
        If no rule covers the class.
    """
    key = leeway_class.strip().upper()
    exact = _BY_CLASS.get(key)
    if exact is not None:
        return SweepObjectChoice(leeway_class, exact[0], exact[1])
    for prefix, obj, rule in _BY_CATEGORY:
        if key.startswith(prefix):
            return SweepObjectChoice(leeway_class, obj, rule)
    raise NotFoundError(
        f"Leeway object class {leeway_class!r} has no sweep width rule; "
        "give the search object explicitly (e.g. --object 'Raft 4 person')"
    )
