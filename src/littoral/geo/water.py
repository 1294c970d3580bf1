"""The classes of a point of the Caspian region: land, sea, island, Kara-Bogaz-Gol."""

from __future__ import annotations

from enum import IntEnum


class WaterClass(IntEnum):
    """What lies at a point; the int8 codes returned by ``CaspianSea.classify``.

    ``SEA`` is the Caspian Sea without its islands and without Kara-Bogaz-Gol. ``ISLAND`` is
    land inside the sea or inside Kara-Bogaz-Gol. ``KARA_BOGAZ_GOL`` is the water of the
    lagoon east of its strait (about 41.06N 52.93E). ``LAND`` is everything else, including
    points outside the region.
    """

    LAND = 0
    SEA = 1
    ISLAND = 2
    KARA_BOGAZ_GOL = 3


# Kinds of ring in the shipped polygon file (scripts/build_caspian_polygon.py writes them).
RING_SEA_EXTERIOR = 0
RING_SEA_ISLAND = 1
RING_KBG_EXTERIOR = 2
RING_KBG_ISLAND = 3
