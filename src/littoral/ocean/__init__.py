"""littoral.ocean: the Caspian's wind-driven currents and sea level.

A two-dimensional, depth-averaged shallow-water model of the whole Caspian on an Arakawa
C-grid (forward-backward in time, mass-conserving flux form, wetting and drying), forced by
the 10 m wind, with a surface-current estimate for drift. See ``docs/ocean.md``.

Public API: :func:`caspian_grid`, :func:`rectangle_grid` -> :class:`OceanGrid`;
:class:`WindField`, :func:`wind_from_readers`; :class:`ModelSettings`, :func:`volga`,
:func:`run_model` -> :class:`OceanResult` (``to_netcdf``).

The compiled kernel loads on the first run.
"""

from __future__ import annotations

from littoral.ocean.grid import OceanGrid, caspian_grid, rectangle_grid
from littoral.ocean.model import InstabilityError, courant_number, run_model
from littoral.ocean.physics import DragLaw
from littoral.ocean.result import Diagnostics, OceanResult
from littoral.ocean.settings import ModelSettings, RiverSource, volga
from littoral.ocean.wind import WindField, wind_from_readers

__all__ = [
    "Diagnostics",
    "DragLaw",
    "InstabilityError",
    "ModelSettings",
    "OceanGrid",
    "OceanResult",
    "RiverSource",
    "WindField",
    "caspian_grid",
    "courant_number",
    "rectangle_grid",
    "run_model",
    "volga",
    "wind_from_readers",
]
