"""Steps 3 and 4 of the exercise: the SAR case, the drift, two rounds of planned search.

From the distress alert the coordinator opens a case (through :mod:`littoral.services`, see
:mod:`littoral.exercise.casebook`), takes the beacon's last position and time from the picture
(the positions stored by the ingest) as the datum, enters the on-scene wind and current, runs
the case's Leeway drift and plans a search for the units committed by three states, with the
requests the case use cases build. The sorties are
simulated (:mod:`littoral.exercise.searchsim`); if nobody sees the person, the particle weights
are updated for the unsuccessful search (Bayes; Stone 1975, *Theory of Optimal Search*) and a
second round is planned on what is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

from littoral.errors import InputError, NotFoundError
from littoral.exercise.person import PersonTrack
from littoral.exercise.responders import Commitment
from littoral.exercise.searchsim import Sortie, fly
from littoral.exercise.weather import OnScene
from littoral.services import Observation
from littoral.services import OnScene as Observed
from littoral.units import ms_to_kn

if TYPE_CHECKING:
    from littoral.drift import DriftResult
    from littoral.search import DetectionModel, SearchPlan
    from littoral.store.protocol import Store

OBJECT_CLASS = "PIW-1"
VISIBILITY_NM = 10.0
SEA_HEIGHT_M = 0.5
"""The scenario's significant wave height (its on-scene weather carries wind and current)."""
TASKING_DELAY = timedelta(minutes=15)
"""From the distress alert to the units being tasked."""
ROUND_GAP = timedelta(hours=1)
"""From the end of one round to the start of the next (relief, refuelling, new orders)."""


@dataclass(frozen=True)
class LastKnown:
    """The beacon's last stored position: the datum of the drift."""

    mmsi: int
    lon: float
    lat: float
    time: datetime
    reports: int


@dataclass
class SearchRound:
    """One round: its plan, the sorties flown, and whether anyone saw the person."""

    number: int
    commence: datetime
    """When the first unit started searching (each sortie has its own ``commence``)."""
    map_time: datetime
    plan: SearchPlan
    sorties: list[Sortie]
    cumulative_pos_before: float

    @property
    def found(self) -> Sortie | None:
        """The first sortie that saw the person, if any."""
        seen = [s for s in self.sorties if s.detected_at is not None]
        return min(
            seen, key=lambda s: s.detected_at or datetime.max.replace(tzinfo=UTC), default=None
        )

    @property
    def end(self) -> datetime:
        """When the last sortie of the round stopped searching."""
        return max((s.end for s in self.sorties), default=self.commence)


@dataclass
class SarOutcome:
    """Everything the SAR part of the exercise did."""

    last_known: LastKnown
    commitments: list[Commitment]
    drift: DriftResult | None = None
    rounds: list[SearchRound] = field(default_factory=list)
    drift_after: list[DriftResult] = field(default_factory=list)

    @property
    def found(self) -> Sortie | None:
        """The sortie that found the person, if any."""
        for r in self.rounds:
            if r.found is not None:
                return r.found
        return None


def last_known(store: Store, mmsi: int) -> LastKnown:
    """Return the last position of ``mmsi`` the store holds (the beacon's last report)."""
    points = store.positions.track(mmsi, None, None)
    if not points:
        raise NotFoundError(f"no stored position of MMSI {mmsi}")
    p = points[-1]
    return LastKnown(mmsi, p.lon, p.lat, p.time, len(points))


BEACON_RADIUS_NM = 100.0 / 1852.0
"""Uncertainty of the datum: the AIS-MOB beacon's GPS fix, about 100 m."""


def on_scene_of(weather: OnScene, at: datetime) -> Observed:
    """Return the on-scene data a coordinator enters: the values at ``at`` and the series.

    Wind and current are interpolated by components (a northerly swings across 360). A
    series whose readings are all equal is one constant value, entered without the series.
    """
    wu, wv, cu, cv = (float(v[0]) for v in weather.at(np.array([at.timestamp()])))
    wind = (
        round(float(np.degrees(np.arctan2(-wu, -wv)) % 360.0), 1) % 360.0,
        round(float(ms_to_kn(np.hypot(wu, wv))), 1),
    )
    current = (
        round(float(np.degrees(np.arctan2(cu, cv)) % 360.0), 1) % 360.0,
        round(float(ms_to_kn(np.hypot(cu, cv))), 2),
    )
    readings = [
        Observation(
            time=datetime.fromtimestamp(float(t), tz=UTC),
            wind_from_deg=float(wf) % 360.0,
            wind_speed_kn=float(ms_to_kn(ws)),
            current_to_deg=float(ct) % 360.0,
            current_speed_kn=float(ms_to_kn(cs)),
        )
        for t, wf, ws, ct, cs in zip(
            weather.epoch_s(),
            weather.wind_from_deg,
            weather.wind_speed_ms,
            weather.current_to_deg,
            weather.current_speed_ms,
            strict=True,
        )
    ]
    values = {
        (o.wind_from_deg, o.wind_speed_kn, o.current_to_deg, o.current_speed_kn) for o in readings
    }
    series = tuple(readings) if len(values) > 1 else ()
    return Observed(
        wind=wind,
        current=current,
        visibility_nm=VISIBILITY_NM,
        sea_height_m=SEA_HEIGHT_M,
        observations=series,
    )


def detection_model(on_scene: OnScene, at: datetime) -> DetectionModel:
    """Return the detection conditions at ``at``, as the case's plans take them."""
    from littoral.services.requests import detection_model as case_conditions

    return case_conditions(OBJECT_CLASS, on_scene_of(on_scene, at), at)


def on_scene_hours(commitment: Commitment, search_hours: float) -> float:
    """Hours unit ``commitment`` can stay on scene in a round.

    Its endurance less the transit both ways and the reserve the planner keeps.
    """
    return commitment.unit(search_hours).on_scene_hours(2.0 * commitment.distance_nm)


def arrival_times(commitments: list[Commitment], tasked: datetime) -> list[datetime]:
    """When each unit, leaving its base when tasked, reaches the datum."""
    return [tasked + timedelta(hours=c.distance_nm / c.role.transit_speed_kn) for c in commitments]


def search_window(
    commitments: list[Commitment], starts: list[datetime], search_hours: float
) -> tuple[datetime, datetime]:
    """First start and last end of the units' time on scene in a round."""
    ends = [
        t + timedelta(hours=on_scene_hours(c, search_hours))
        for c, t in zip(commitments, starts, strict=True)
    ]
    return min(starts), max(ends)


def truth_horizon(person: PersonTrack, drift: DriftResult) -> datetime:
    """End of what the exercise simulates: the person's true track and the drift run."""
    last = int(drift.times[-1].astype("datetime64[s]").astype(int))
    return datetime.fromtimestamp(min(float(person.time_s[-1]), float(last)), UTC)


def map_time(drift: DriftResult, window: tuple[datetime, datetime]) -> datetime:
    """Return the time of a round's probability map: the middle of its search ``window``.

    The units may come on scene at different times (``window`` runs from the first arrival to
    the last unit's end); the planner works from one probability map, the cloud in the middle
    (not after the drift's end).
    """
    last = datetime.fromtimestamp(int(drift.times[-1].astype("datetime64[s]").astype(int)), UTC)
    middle = window[0] + (window[1] - window[0]) / 2
    return min(middle.replace(microsecond=0), last)


def fly_round(
    plan: SearchPlan,
    person: PersonTrack,
    rng: np.random.Generator,
    *,
    depart: datetime | None = None,
    commence: datetime | None = None,
    horizon: datetime | None = None,
) -> list[Sortie]:
    """Fly every unit's assignment.

    With ``depart`` each unit leaves its base then and starts its pattern as soon as it
    reaches its commence search point (the first round: units sail when tasked). With
    ``commence`` each unit leaves base in time to start its pattern then (a later round).
    A unit the plan timed (:attr:`littoral.search.Assignment.window`) keeps to its plan:
    it leaves no earlier than planned (waiting for daylight), starts no earlier than its
    planned arrival and stops searching at the end of its planned daylight search, so the
    sortie searches the area when the plan placed it on the cloud. Nothing is searched past
    ``horizon`` (the end of the simulated truth).
    """
    from littoral.geo import haversine_m
    from littoral.units import M_PER_NM

    if (depart is None) == (commence is None):
        raise InputError("fly_round needs either depart or commence")
    sorties: list[Sortie] = []
    for a in plan.assignments:
        if a.pattern is None:
            continue
        w = a.window
        if depart is not None:
            leave, start = depart, depart
        else:
            assert commence is not None
            csp = a.pattern.commence_search_point
            d_nm = float(haversine_m(a.unit.base_lon, a.unit.base_lat, *csp)) / M_PER_NM
            leave = commence - timedelta(hours=d_nm / a.unit.transit_speed_kn)
            start = commence
        until = None
        if w is not None:
            leave, start, until = max(leave, w.depart), max(start, w.arrive), w.search_end
        if horizon is not None:
            until = horizon if until is None else min(until, horizon)
        sortie = fly(a, start, leave, person, rng, search_until=until)
        if sortie is not None:
            sorties.append(sortie)
    return sorties
