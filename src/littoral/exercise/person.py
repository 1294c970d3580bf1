"""The true drift of the person overboard: the answer the search is scored against.

The person drifts with the surface current plus Leeway: a downwind component and a crosswind
component, each a linear function of the 10 m wind speed with a random deviation drawn once
(Allen and Plourde 1999, CG-D-08-99; Breivik and Allen 2008, J. Mar. Syst. 69). The object
class is ``PIW-1`` (person in water, unknown state) from :mod:`littoral.drift.objects`; the side
of the wind (left or right of downwind) is drawn once, and the object jibes with probability
4 % per hour as in OpenDrift's Leeway model. The drift model the SAR coordinator runs never sees
this track: it starts from the beacon's last position only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from littoral.drift.objects import get_object
from littoral.exercise.schedules import in_sea
from littoral.exercise.weather import OnScene
from littoral.geo.distance import destination
from littoral.geo.sea import CaspianSea

F64 = npt.NDArray[np.float64]

JIBE_PROBABILITY_PER_H = 0.04
"""Chance per hour that the object turns to the other side of the wind (OpenDrift Leeway)."""


@dataclass(frozen=True)
class PersonTrack:
    """The person's true position every ``dt_s`` from the fall to the end of the forcing.

    ``stranded`` is true from the first step that would have left the sea (the person is ashore
    and stays there).
    """

    time_s: F64
    lon: F64
    lat: F64
    stranded: npt.NDArray[np.bool_]
    object_class: str

    def position_at(self, time_s: float) -> tuple[float, float]:
        """Return the true (lon, lat) at epoch seconds ``time_s``, interpolated."""
        return (
            float(np.interp(time_s, self.time_s, self.lon)),
            float(np.interp(time_s, self.time_s, self.lat)),
        )


def drift_person(
    rng: np.random.Generator,
    on_scene: OnScene,
    fall_time_s: float,
    lon: float,
    lat: float,
    sea: CaspianSea,
    object_class: str = "PIW-1",
    dt_s: float = 60.0,
) -> PersonTrack:
    """Integrate the person's drift from ``(lon, lat)`` at ``fall_time_s`` to the forcing's end.

    Parameters
    ----------
    rng:
        Draws the Leeway deviations, the side of the wind and the jibes.
    on_scene:
        Wind and current.
    fall_time_s:
        Epoch seconds of the fall.
    lon, lat:
        Where the person went into the water.
    sea:
        The water polygon; a step that would leave it strands the person.
    object_class:
        Leeway object class.
    dt_s:
        Time step, seconds.
    """
    obj = get_object(object_class)
    t_end = float(on_scene.epoch_s()[-1])
    times = np.arange(fall_time_s, t_end, dt_s)
    n = times.size
    wu, wv, cu, cv = on_scene.at(times)
    wind = np.hypot(wu, wv)
    # downwind unit vector (toward), and right-of-downwind unit vector
    dx, dy = wu / np.maximum(wind, 1e-9), wv / np.maximum(wind, 1e-9)
    rx, ry = dy, -dx
    dw_eps = rng.normal(0.0, obj.downwind_std_cm_s / 100.0)
    right = bool(rng.random() < 0.5)
    cw_eps = rng.normal(0.0, (obj.right_std_cm_s if right else obj.left_std_cm_s) / 100.0)
    jibes = rng.random(n) < JIBE_PROBABILITY_PER_H * dt_s / 3600.0
    side_right = np.logical_xor(right, np.cumsum(jibes) % 2 == 1)
    downwind = obj.downwind_slope_pct / 100.0 * wind + obj.downwind_offset_cm_s / 100.0 + dw_eps
    crosswind = np.where(
        side_right,
        obj.right_slope_pct / 100.0 * wind + obj.right_offset_cm_s / 100.0,
        obj.left_slope_pct / 100.0 * wind + obj.left_offset_cm_s / 100.0,
    ) + np.where(side_right, cw_eps, -cw_eps)
    u = cu + downwind * dx + crosswind * rx
    v = cv + downwind * dy + crosswind * ry
    lons = np.empty(n)
    lats = np.empty(n)
    x, y = lon, lat
    for k in range(n):
        lons[k], lats[k] = x, y
        speed = float(np.hypot(u[k], v[k]))
        heading = float(np.degrees(np.arctan2(u[k], v[k])) % 360.0)
        nx, ny = destination(x, y, heading, speed * dt_s)
        x, y = float(nx), float(ny)
    # ashore from the first position outside the sea, and there it stays
    outside = np.flatnonzero(~in_sea(sea, lons, lats))
    stranded = np.zeros(n, dtype=bool)
    if outside.size:
        k = int(outside[0])
        stranded[k:] = True
        lons[k:], lats[k:] = lons[max(k - 1, 0)], lats[max(k - 1, 0)]
    return PersonTrack(times, lons, lats, stranded, obj.key)
