"""littoral.geo: the Caspian Sea, its shore, states' waters, places and flags.

Every other part of littoral uses this package and it uses none of them.
"""

from typing import TYPE_CHECKING

from littoral.geo.coords import Position, format_position, parse_position
from littoral.geo.distance import bearing_deg, destination, haversine_m
from littoral.geo.flags import Flag, MmsiKind, flag_of, is_littoral, mid_of, mmsi_kind
from littoral.geo.places import Place, nearest, places
from littoral.geo.water import WaterClass
from littoral.lazy import lazy_names

if TYPE_CHECKING:
    from littoral.geo.mask import LandMask, mask_classify, mask_segment_crossing
    from littoral.geo.sea import CaspianSea
    from littoral.geo.zones import Band, LandBorder, Zones, zone_at, zone_map

_LATER = {
    "Band": "littoral.geo.zones",
    "CaspianSea": "littoral.geo.sea",
    "LandBorder": "littoral.geo.zones",
    "LandMask": "littoral.geo.mask",
    "Zones": "littoral.geo.zones",
    "mask_classify": "littoral.geo.mask",
    "mask_segment_crossing": "littoral.geo.mask",
    "zone_at": "littoral.geo.zones",
    "zone_map": "littoral.geo.zones",
}
"""The names of the modules built on numba and shapely (the land mask, the sea, the zones),
imported on first use (:func:`__getattr__`)."""

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

__getattr__, __dir__ = lazy_names(globals(), _LATER, __all__)
