"""The exercise's SAR case, run through littoral's case and run use cases as a coordinator would.

The exercise acts as a system user (``exercise``, a coordinator of each state involved) through
:mod:`littoral.services`: it opens the case from the distress alert, sets the datum and the
on-scene observations, commits each state's units, runs the drift, plans each round, records
the searched tracks (which update the drift cloud) and closes the case. Permission checks, the
case log, events and the audit log apply to it as to anyone, and ``littoral exercise --serve``
shows the case on the map page, where a coordinator can carry on.

The service's clock is the exercise's: each action happens at its time in the scenario.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from littoral.clock import FixedClock
from littoral.exercise.responders import Commitment
from littoral.exercise.sar import OBJECT_CLASS, LastKnown, on_scene_of
from littoral.exercise.searchsim import Sortie
from littoral.exercise.weather import OnScene as Weather
from littoral.services import (
    CaseDesk,
    DriftParams,
    PlanParams,
    Role,
    RunDesk,
    ServiceContext,
    build_settings,
    system_user,
)
from littoral.services.runs import track_points

if TYPE_CHECKING:
    from littoral.drift import DriftResult
    from littoral.ocean import OceanResult
    from littoral.records.alerts import Alert
    from littoral.search import SearchPlan
    from littoral.services import CurrentsParams, Run, User
    from littoral.store.sqlstore import SqlStore

COORDINATOR = "exercise"
"""Name of the system user the exercise acts as (a coordinator of each state involved)."""


class CaseBook:
    """One exercise case, acted through the case and run use cases on ``store``."""

    def __init__(self, store: SqlStore, data_dir: Path, start: datetime) -> None:
        self.clock = FixedClock(start)
        settings = build_settings(db_url=store.url, data_dir=data_dir, watch=False)
        self.ctx = ServiceContext.build(settings, store, self.clock)
        self.case_id: int | None = None
        self.state = ""

    def user(self, state: str | None = None) -> User:
        """Return the exercise's coordinator of ``state`` (default: the case's state)."""
        return system_user(COORDINATOR, state or self.state, Role.COORDINATOR)

    def _cases(self, when: datetime, state: str | None = None) -> CaseDesk:
        self.clock.set(when)
        return CaseDesk(self.ctx, self.user(state))

    def _runs(self, when: datetime, state: str | None = None) -> RunDesk:
        self.clock.set(when)
        return RunDesk(self.ctx, self.user(state))

    def _id(self) -> int:
        if self.case_id is None:
            raise RuntimeError("the exercise's case is not open")  # a bug of the run order
        return self.case_id

    def open(
        self,
        alert: Alert,
        lkp: LastKnown,
        weather: Weather,
        state: str,
        title: str,
        opened: datetime,
    ) -> int:
        """Open the case from the distress alert (acknowledging it); datum at the last report."""
        self.state = state
        desk = self._cases(opened)
        case = desk.from_alert(alert.id, OBJECT_CLASS, persons=1, title=title)
        self.case_id = case.id
        desk.update(
            case.id,
            {"datum_lon": lkp.lon, "datum_lat": lkp.lat, "datum_time": lkp.time},
        )
        desk.set_on_scene(case.id, on_scene_of(weather, lkp.time))
        return int(case.id)

    def commit(self, commitments: list[Commitment], search_hours: float, when: datetime) -> None:
        """Commit each state's units, each by a coordinator of its own state."""
        for c in commitments:
            unit = c.unit(search_hours)
            values = {
                "name": c.name,
                "platform": unit.platform.value,
                "speed_kn": unit.speed_kn,
                "endurance_h": unit.endurance_h,
                "transit_speed_kn": unit.transit_speed_kn,
                "height_ft": unit.height_ft,
                "base_lon": unit.base_lon,
                "base_lat": unit.base_lat,
                "pattern": unit.pattern.value,
            }
            self._cases(when, c.state).add_unit(self._id(), values)

    def drift(self, params: DriftParams, when: datetime, note: str = "") -> DriftResult:
        """Run the case's drift (the request built from the case, as anywhere)."""
        _, result = self._runs(when).drift_now(self._id(), params, note)
        return result

    def plan(self, start: datetime, when: datetime) -> SearchPlan:
        """Plan a round for the committed units on the latest drift cloud at ``start``."""
        _, plan = self._runs(when).plan_now(self._id(), PlanParams(start_time=start))
        return plan

    def record_tracks(self, sorties: list[Sortie], when: datetime) -> DriftResult | None:
        """Record each unit's searched track, which updates the drift cloud; return the latest."""
        from littoral.services.results import unpack_result

        case_id = self._id()
        units = {u.name: u for u in self.ctx.service.units(case_id)}
        latest = None
        for s in sorties:
            unit = units.get(s.unit_name)
            if unit is None or len(s.lon) < 2:
                continue
            _, run = self._runs(when, unit.state).record_search(
                case_id, unit.id, track_points(s.track()), now=True
            )
            latest = run if run is not None else latest
        if latest is None:
            return None
        finished = self.ctx.service.run(latest.id)
        return None if finished.data is None else unpack_result(finished.data)

    def note(self, when: datetime, text: str) -> None:
        """Write a line in the case log."""
        self._cases(when).note(self._id(), text)

    def currents(self, params: CurrentsParams, when: datetime) -> tuple[Run, OceanResult]:
        """Model the Caspian's currents from the case's wind; the case's drifts then use them."""
        return self._runs(when).currents_now(self._id(), params)

    def close(self, when: datetime, outcome: str, text: str) -> None:
        """Close the case with its outcome."""
        self._cases(when).close(self._id(), outcome, text)
