"""Each unit's time on scene: when it arrives, how much of it is daylight, and its weather.

A unit leaves its base at the tasking time and reaches the probability's centre at transit
speed; it stays until its endurance calls it home (IAMSAR Vol. II ch. 5: the search endurance
is what is left after transit both ways). The sweep width tables are daylight visual
detection, so littoral plans visual search in daylight only (sun above -0.833 degrees,
:mod:`littoral.search.sun`): a unit that would arrive in the dark leaves later and arrives at
sunrise; one that would arrive with less than an hour of daylight search left
(:data:`MIN_SEARCH_TODAY`) waits to be on scene at the next sunrise, any other searches what
light is left today; on-scene time after sunset is not searched, and a unit whose whole time
on scene is dark gets no area (no published sweep width for night visual search). A unit
searching with an instrument and its own published sweep width
(:class:`littoral.search.facilities.Sensor`) searches its whole time on scene, day and
night. The weather is taken at the middle of the unit's daylight search
(:mod:`littoral.search.weather`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from littoral.clock import require_utc
from littoral.search.facilities import SearchUnit
from littoral.search.sun import daylight
from littoral.search.weather import OnScene, Weather
from littoral.units import M_PER_NM

DAY_SEARCH_AHEAD = timedelta(hours=30)
"""How far ahead of its arrival a unit may wait for daylight."""

MIN_SEARCH_TODAY = timedelta(hours=1)
"""Least daylight search worth a sortie today; with less a unit waits for the next sunrise
(littoral's choice: survival time in the water, cold in the Caspian much of the year, makes
the search that can start now worth more than a longer one tomorrow)."""


@dataclass(frozen=True, kw_only=True)
class UnitWindow:
    """One unit's sortie in time.

    Attributes
    ----------
    depart:
        When it leaves its base (later than tasked when it waits for daylight).
    arrive, leave:
        Its time on scene.
    search_end:
        End of its daylight search (``leave`` or sunset, whichever is first).
    dark_h:
        Hours of its time on scene after sunset (not searched).
    first_light:
        Start of civil twilight when it was tasked in the dark.
    conditions:
        Weather on scene at the middle of its search; ``None`` when it cannot search.
    note:
        Why it cannot search, or what the dark costs it.
    """

    depart: datetime
    arrive: datetime
    leave: datetime
    search_end: datetime
    dark_h: float
    first_light: datetime | None
    conditions: OnScene | None
    note: str = ""

    @property
    def search_h(self) -> float:
        """Hours of daylight on scene."""
        return max(0.0, (self.search_end - self.arrive) / timedelta(hours=1))

    @property
    def middle(self) -> datetime:
        """Middle of the daylight search."""
        return self.arrive + (self.search_end - self.arrive) / 2


def unit_window(
    unit: SearchUnit, tasked: datetime, lon: float, lat: float, weather: Weather
) -> UnitWindow:
    """Window of ``unit`` tasked at ``tasked`` for a search about ``(lon, lat)``."""
    from littoral.geo import haversine_m

    tasked = require_utc(tasked, "tasked")
    transit = timedelta(
        hours=float(haversine_m(unit.base_lon, unit.base_lat, lon, lat))
        / M_PER_NM
        / unit.transit_speed_kn
    )
    # on scene: the endurance less the reserve kept for the return, less transit both ways
    on_scene = max(
        timedelta(0), timedelta(hours=unit.endurance_h - unit.reserve_hours) - 2 * transit
    )
    first = tasked + transit
    if unit.searches_at_night:  # an instrument with its own sweep width: day and night
        leave = first + on_scene
        return UnitWindow(
            depart=tasked, arrive=first, leave=leave, search_end=leave, dark_h=0.0,
            first_light=None, conditions=weather.at(first + on_scene / 2, lon, lat),
            note=f"searches by {unit.sensor.value}, day and night",
        )  # fmt: skip
    day = daylight(first, first + DAY_SEARCH_AHEAD, lon, lat)
    if day.day_start is None or day.day_end is None:
        return UnitWindow(
            depart=tasked, arrive=first, leave=first + on_scene, search_end=first,
            dark_h=on_scene / timedelta(hours=1), first_light=day.first_light, conditions=None,
            note="no daylight on scene: no sweep width for night visual search",
        )  # fmt: skip
    options = [_option(first, day.day_start, day.day_end, on_scene)]
    # arriving late in the day, it may search more by leaving to be on scene at next sunrise
    after = daylight(day.day_end + timedelta(minutes=2), day.day_end + DAY_SEARCH_AHEAD, lon, lat)
    if after.day_start is not None and after.day_end is not None:
        options.append(_option(first, after.day_start, after.day_end, on_scene))
    # a person in the water is searched while light remains: wait for the next day only
    # when less than MIN_SEARCH_TODAY of daylight search is left today and tomorrow gives more
    arrive, search_end = options[0]
    if (
        len(options) > 1
        and (search_end - arrive) < MIN_SEARCH_TODAY
        and (options[1][1] - options[1][0]) > (search_end - arrive)
    ):
        arrive, search_end = options[1]
    leave = arrive + on_scene
    dark_h = max(0.0, (leave - search_end) / timedelta(hours=1))
    note = ""
    if arrive > first:
        note = f"waits for daylight: leaves {arrive - transit:%d %H:%M}, on scene at sunrise"
    if dark_h > 0:
        note = (note + "; " if note else "") + f"{dark_h:.1f} h on scene after sunset unsearched"
    middle = arrive + (search_end - arrive) / 2
    return UnitWindow(
        depart=arrive - transit, arrive=arrive, leave=leave, search_end=search_end,
        dark_h=dark_h, first_light=day.first_light, conditions=weather.at(middle, lon, lat),
        note=note,
    )  # fmt: skip


def _option(
    first: datetime, day_start: datetime, day_end: datetime, on_scene: timedelta
) -> tuple[datetime, datetime]:
    """Arrival and end of daylight search for one day of daylight."""
    arrive = max(first, day_start)
    return arrive, max(arrive, min(arrive + on_scene, day_end))
