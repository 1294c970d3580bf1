"""Records shared by several packages: AIS reports, watch alerts, particle status.

This package sits at the bottom of littoral's layers, with :mod:`littoral.errors`,
:mod:`littoral.units` and :mod:`littoral.clock`: it imports nothing else of littoral, so the
packages that produce a record and those that consume it never import each other.

- :mod:`littoral.records.reports`: :class:`PositionReport`, :class:`StaticReport` and
  :class:`SafetyReport`, produced by :mod:`littoral.ais` and applied by :mod:`littoral.tracks`,
  :mod:`littoral.watch` and :mod:`littoral.store`;
- :mod:`littoral.records.alerts`: :class:`Alert`, its :class:`Evidence`, :class:`Priority`
  and :class:`AlertStatus`, raised by :mod:`littoral.watch` and kept by :mod:`littoral.store`;
- :mod:`littoral.records.particle_status`: :class:`ParticleStatus`, the one table of drift
  particle status codes, from which :mod:`littoral.drift`'s numba and CUDA kernels take theirs,
  read by :mod:`littoral.search` and the services.
"""

from littoral.records.alerts import Alert, AlertStatus, Evidence, Priority
from littoral.records.particle_status import ParticleStatus
from littoral.records.reports import AisClass, PositionReport, SafetyReport, StaticReport

__all__ = [
    "AisClass",
    "Alert",
    "AlertStatus",
    "Evidence",
    "ParticleStatus",
    "PositionReport",
    "Priority",
    "SafetyReport",
    "StaticReport",
]
