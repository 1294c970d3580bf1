"""The maritime picture: latest state and recent history per vessel (MMSI), identity and flag.

Public names: :class:`VesselState`, :class:`TrackPoint`, :class:`TrackStore` (alias
``Picture``). The reports it applies are those of :mod:`littoral.records.reports`.
"""

from littoral.tracks.picture import Picture, Report, TrackStore
from littoral.tracks.state import TrackPoint, VesselState

__all__ = [
    "Picture",
    "Report",
    "TrackPoint",
    "TrackStore",
    "VesselState",
]
