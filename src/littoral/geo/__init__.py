"""littoral.geo: the Caspian Sea, its shore, states' waters, places and flags.

Every other part of littoral uses this package and it uses none of them.
"""

from littoral.geo.coords import Position, format_position, parse_position
from littoral.geo.distance import bearing_deg, destination, haversine_m
from littoral.geo.flags import Flag, MmsiKind, flag_of, is_littoral, mid_of, mmsi_kind
from littoral.geo.mask import LandMask, mask_classify, mask_segment_crossing
from littoral.geo.places import Place, nearest, places
from littoral.geo.sea import CaspianSea
from littoral.geo.water import WaterClass
from littoral.geo.zones import Band, LandBorder, Zones, zone_at, zone_map

__all__ = [
    "Band",
    "CaspianSea",
    "Flag",
    "LandBorder",
    "LandMask",
    "MmsiKind",
    "Place",
    "Position",
    "WaterClass",
    "Zones",
    "bearing_deg",
    "destination",
    "flag_of",
    "format_position",
    "haversine_m",
    "is_littoral",
    "mask_classify",
    "mask_segment_crossing",
    "mid_of",
    "mmsi_kind",
    "nearest",
    "parse_position",
    "places",
    "zone_at",
    "zone_map",
]
