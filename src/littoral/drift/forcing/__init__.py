"""Forcing readers: wind, current and Stokes drift for the drift model.

- :class:`ConstantForcing`: the same everywhere and always.
- :class:`ObservationSeries`: on-scene observations (wind **from**, current **toward**, knots).
- :class:`NetCDFForcing`: gridded CF NetCDF (regular lon/lat), read lazily.
- :class:`ForcingSet`: several readers by priority, with fallbacks.
"""

from littoral.drift.forcing.base import ForcingReader
from littoral.drift.forcing.combined import ForcingSet
from littoral.drift.forcing.constant import ConstantForcing
from littoral.drift.forcing.grid import Coverage, GridField
from littoral.drift.forcing.names import (
    CURRENT,
    STOKES,
    WIND,
    current_components_ms,
    wind_components_ms,
)
from littoral.drift.forcing.netcdf import NetCDFForcing
from littoral.drift.forcing.observations import ObservationSeries

__all__ = [
    "CURRENT",
    "STOKES",
    "WIND",
    "ConstantForcing",
    "Coverage",
    "ForcingReader",
    "ForcingSet",
    "GridField",
    "NetCDFForcing",
    "ObservationSeries",
    "current_components_ms",
    "wind_components_ms",
]
