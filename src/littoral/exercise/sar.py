"""Steps 3 and 4 of the exercise: the SAR case, the drift, two rounds of planned search.

From the distress alert the coordinator opens a case in the service's store, takes the
beacon's last position and time from the picture (the positions stored by the ingest), runs a
Leeway drift (:mod:`littoral.drift`) with the on-scene wind and current, and plans a search
(:func:`littoral.search.plan_search`) for the units committed by three states. The sorties are
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
from littoral.units import ms_to_kn

if TYPE_CHECKING:
    from littoral.drift import DriftResult, ForcingReader
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


def forcing(on_scene: OnScene) -> list[ForcingReader]:
    """Return the on-scene wind and current as the drift model's observation series."""
    from littoral.drift import ObservationSeries

    times = [datetime.fromtimestamp(float(t), tz=UTC) for t in on_scene.epoch_s()]
    return [
        ObservationSeries(
            "wind",
            times,
            on_scene.wind_from_deg.tolist(),
            ms_to_kn(on_scene.wind_speed_ms).tolist(),
            name="on-scene wind (exercise)",
        ),
        ObservationSeries(
            "current",
            times,
            on_scene.current_to_deg.tolist(),
            ms_to_kn(on_scene.current_speed_ms).tolist(),
            name="on-scene current (exercise)",
        ),
    ]


def run_drift(
    lkp: LastKnown,
    on_scene: OnScene,
    hours: float,
    particles: int,
    seed: int,
    currents: ForcingReader | None = None,
) -> DriftResult:
    """Drift ``particles`` persons in the water from the last known position for ``hours``.

    With ``currents`` (modelled currents) the drift takes its current from them, and from the
    reported on-scene current only where they do not reach.
    """
    from littoral.drift import PointSeed, run
    from littoral.drift.engine import DriftRequest, Perturbation

    start = lkp.time.replace(microsecond=0)
    readers = forcing(on_scene)
    if currents is not None:
        readers.insert(1, currents)
    request = DriftRequest(
        object_class=OBJECT_CLASS,
        seeding=PointSeed(lkp.lon, lkp.lat, radius_m=100.0),
        time=start,
        duration=timedelta(hours=hours),
        forcing=readers,
        step=timedelta(minutes=10),
        output_step=timedelta(minutes=30),
        particles=particles,
        seed=seed,
        perturbation=Perturbation(),
        attrs={"source": "littoral exercise", "datum": f"AIS-MOB {lkp.mmsi} last report"},
    )
    return run(request)


def detection_model(on_scene: OnScene, at: datetime) -> DetectionModel:
    """Return the detection conditions at ``at``: object, visibility, on-scene wind."""
    from littoral.search import DetectionModel, sweep_object_for

    wind_ms = float(np.interp(at.timestamp(), on_scene.epoch_s(), on_scene.wind_speed_ms))
    return DetectionModel(
        search_object=sweep_object_for(OBJECT_CLASS).search_object,
        visibility_nm=VISIBILITY_NM,
        wind_kn=float(ms_to_kn(wind_ms)),
        sea_m=SEA_HEIGHT_M,
    )


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


def plan_round(
    drift: DriftResult,
    commitments: list[Commitment],
    window: tuple[datetime, datetime],
    search_hours: float,
    on_scene: OnScene,
) -> tuple[SearchPlan, datetime]:
    """Plan one round on the cloud at the middle of the round's search ``window``.

    The units may come on scene at different times (``window`` runs from the first arrival to
    the last unit's end); the planner works from one probability map, the cloud in the middle.
    """
    from littoral.search import from_drift, plan_search

    last = datetime.fromtimestamp(int(drift.times[-1].astype("datetime64[s]").astype(int)), UTC)
    middle = window[0] + (window[1] - window[0]) / 2
    map_time = min(middle.replace(microsecond=0), last)
    grid = from_drift(drift, map_time)
    units = [c.unit(search_hours) for c in commitments]
    plan = plan_search(grid, units, detection_model(on_scene, map_time))
    return plan, map_time


def fly_round(
    plan: SearchPlan,
    person: PersonTrack,
    rng: np.random.Generator,
    *,
    depart: datetime | None = None,
    commence: datetime | None = None,
) -> list[Sortie]:
    """Fly every unit's assignment.

    With ``depart`` each unit leaves its base then and starts its pattern as soon as it
    reaches its commence search point (the first round: units sail when tasked). With
    ``commence`` each unit leaves base in time to start its pattern then (a later round).
    """
    from littoral.geo import haversine_m
    from littoral.units import M_PER_NM

    if (depart is None) == (commence is None):
        raise InputError("fly_round needs either depart or commence")
    sorties: list[Sortie] = []
    for a in plan.assignments:
        if a.pattern is None:
            continue
        if depart is not None:
            sortie = fly(a, depart, depart, person, rng)
        elif commence is not None:
            csp = a.pattern.commence_search_point
            d_nm = float(haversine_m(a.unit.base_lon, a.unit.base_lat, *csp)) / M_PER_NM
            leave = commence - timedelta(hours=d_nm / a.unit.transit_speed_kn)
            sortie = fly(a, commence, leave, person, rng)
        if sortie is not None:
            sorties.append(sortie)
    return sorties
