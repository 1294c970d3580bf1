"""Step 4 of the exercise, before the drift: the Caspian's currents modelled from the day's wind.

The coordinator has no ocean product for the Caspian, only the wind (here the on-scene
observations of the Khazri, uniform over the sea) and one reported current. The exercise asks
for the case's modelled currents (:mod:`littoral.services.currents`: :mod:`littoral.ocean` run
on the case's wind from the start of the day to the end of the drift), copies them into the
report (``currents.nc``), and the case's drift reads them as its current, the reported current
serving only where they do not reach.

The person's true drift still follows the scripted on-scene current (the exercise's "real
sea"), so the exercise also shows how far a current model's forecast is from it.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from littoral.exercise.weather import OnScene

if TYPE_CHECKING:
    from littoral.ocean import OceanResult


def compare_at(
    result: OceanResult, on_scene: OnScene, lon: float, lat: float, when: datetime
) -> str:
    """Describe the modelled surface current at a place and time next to the reported one."""
    t = np.datetime64(int(when.timestamp()), "s")
    k = int(np.clip(np.searchsorted(result.times, t), 0, result.times.size - 1))
    j = int(np.argmin(np.abs(result.grid.lat - lat)))
    i = int(np.argmin(np.abs(result.grid.lon - lon)))
    u, v = float(result.uo[k, j, i]), float(result.vo[k, j, i])
    if not (math.isfinite(u) and math.isfinite(v)):
        return "no modelled current at the datum (off the model's sea)"
    _, _, cu_arr, cv_arr = on_scene.at(np.array([when.timestamp()]))
    cu, cv = float(cu_arr[0]), float(cv_arr[0])
    return (
        f"surface current at the datum {math.hypot(u, v):.2f} m/s toward "
        f"{math.degrees(math.atan2(u, v)) % 360:03.0f} (reported on scene "
        f"{math.hypot(cu, cv):.2f} m/s toward {math.degrees(math.atan2(cu, cv)) % 360:03.0f})"
    )
