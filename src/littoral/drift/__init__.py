"""littoral.drift: where the person, the raft or the boat is now.

The Leeway model of the US Coast Guard (Allen and Plourde 1999, CG-D-08-99; Allen 2005,
CG-D-05-05) run as an ensemble of particles (Breivik and Allen 2008), with the Caspian shore.

Public API: :class:`DriftRequest` -> :func:`run` -> :class:`DriftResult`
(:func:`read_netcdf` reads a saved one); forcing readers :class:`ConstantForcing`,
:class:`ObservationSeries`, :class:`NetCDFForcing`, :class:`ForcingSet`; seeding
:class:`PointSeed`, :class:`LineSeed`, :class:`ConeSeed`, :class:`PolygonSeed`; object classes
:func:`get_object`, :func:`search_objects`.

Heavy parts (the compiled kernel, the land mask) load on first use of :func:`run`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from littoral.drift.forcing import (
    ConstantForcing,
    ForcingReader,
    ForcingSet,
    NetCDFForcing,
    ObservationSeries,
)
from littoral.drift.objects import LeewayObject, get_object, leeway_objects, search_objects
from littoral.drift.request import Capsizing, DriftRequest, Perturbation
from littoral.drift.result import DriftResult, ParticleStatus, read_netcdf
from littoral.drift.seeding import ConeSeed, LineSeed, PointSeed, PolygonSeed, PositionsSeed

if TYPE_CHECKING:
    from littoral.drift.engine import run

__all__ = [
    "Capsizing",
    "ConeSeed",
    "ConstantForcing",
    "DriftRequest",
    "DriftResult",
    "ForcingReader",
    "ForcingSet",
    "LeewayObject",
    "LineSeed",
    "NetCDFForcing",
    "ObservationSeries",
    "ParticleStatus",
    "Perturbation",
    "PointSeed",
    "PolygonSeed",
    "PositionsSeed",
    "get_object",
    "leeway_objects",
    "read_netcdf",
    "run",
    "search_objects",
]

_LAZY = {"run"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from littoral.drift import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'littoral.drift' has no attribute {name!r}")
