"""Forcing readers: wind, current and Stokes drift for the drift model.

- :class:`ConstantForcing`: the same everywhere and always.
- :class:`ObservationSeries`: on-scene observations (wind **from**, current **toward**, knots).
- :class:`NetCDFForcing`: CF NetCDF files and OPeNDAP URLs; :class:`GribForcing`: GRIB 1
  and 2; both :class:`GriddedForcing` (regular or curvilinear grids, read lazily).
- :func:`open_forcing`: any of these from a file, directory, glob or URL, by content.
- :class:`HoldLast`: a reader held past its end; :class:`WindDrivenCurrent`: a surface
  current derived from the wind (IAMSAR).
- :class:`ForcingSet`: several readers by priority, with fallbacks.
"""

from littoral.drift.forcing.base import ForcingReader
from littoral.drift.forcing.combined import ForcingSet
from littoral.drift.forcing.constant import ConstantForcing
from littoral.drift.forcing.detect import Format, open_forcing, sniff
from littoral.drift.forcing.gaps import FILLS
from littoral.drift.forcing.grib import GribForcing
from littoral.drift.forcing.grid import Coverage, GridField, Reach
from littoral.drift.forcing.gridded import GriddedForcing
from littoral.drift.forcing.hold import HoldLast
from littoral.drift.forcing.names import (
    CURRENT,
    STOKES,
    WIND,
    current_components_ms,
    wind_components_ms,
)
from littoral.drift.forcing.netcdf import NetCDFForcing, NetCDFSeries
from littoral.drift.forcing.observations import ObservationSeries

__all__ = [
    "CURRENT",
    "FILLS",
    "STOKES",
    "WIND",
    "ConstantForcing",
    "Coverage",
    "ForcingReader",
    "ForcingSet",
    "Format",
    "GribForcing",
    "GridField",
    "GriddedForcing",
    "HoldLast",
    "NetCDFForcing",
    "NetCDFSeries",
    "ObservationSeries",
    "Reach",
    "current_components_ms",
    "open_forcing",
    "sniff",
    "wind_components_ms",
]
