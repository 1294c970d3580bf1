"""The maritime picture: latest state and recent history per vessel (MMSI), identity and flag.

Public names: :class:`VesselState`, :class:`TrackPoint`, :class:`TrackStore` (alias
``Picture``), and the report types of :mod:`littoral.tracks.types` it applies.
"""

from littoral.tracks.picture import Picture, Report, TrackStore
from littoral.tracks.state import TrackPoint, VesselState
from littoral.tracks.types import AisClass, PositionReport, SafetyReport, StaticReport

__all__ = [
    "AisClass",
    "Picture",
    "PositionReport",
    "Report",
    "SafetyReport",
    "StaticReport",
    "TrackPoint",
    "TrackStore",
    "VesselState",
]
