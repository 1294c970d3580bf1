"""The exercise's SAR case in the service's store, as the web service keeps cases.

The case, its log, its committed units and its drift and plan runs are written with
:class:`littoral.store.service.ServiceStore` in the forms the web service writes them
(:mod:`littoral.services.results`), so ``littoral exercise --serve`` shows the case on the map page
with its drift cloud and search areas, and a coordinator can carry on from there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from littoral.exercise.responders import Commitment
from littoral.exercise.sar import OBJECT_CLASS, VISIBILITY_NM, LastKnown
from littoral.exercise.searchsim import Sortie
from littoral.exercise.weather import OnScene
from littoral.units import ms_to_kn

if TYPE_CHECKING:
    from littoral.drift import DriftResult
    from littoral.records.alerts import Alert
    from littoral.search import SearchPlan
    from littoral.store.sqlstore import SqlStore

COORDINATOR = "exercise"
"""Name written as the author of the case, its log and its runs."""


def _iso(t_s: float) -> str:
    return datetime.fromtimestamp(t_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class CaseBook:
    """Write one case and its history to the service store of ``store``."""

    def __init__(self, store: SqlStore) -> None:
        from littoral.store.service import ServiceStore

        self.service = ServiceStore(store.engine)
        self.service.create()
        self.store = store
        self.case_id: int | None = None

    def open(
        self,
        alert: Alert,
        lkp: LastKnown,
        on_scene: OnScene,
        state: str,
        title: str,
        opened: datetime,
    ) -> int:
        """Open the case from the distress alert and acknowledge the alert; return its id."""
        import numpy as np

        # interpolate components, not angles (a northerly swings across 360)
        wu, wv, cu, cv = (float(v[0]) for v in on_scene.at(np.array([lkp.time.timestamp()])))
        env = {
            "wind_from_deg": round(float(np.degrees(np.arctan2(-wu, -wv)) % 360.0), 1),
            "wind_speed_kn": round(float(ms_to_kn(np.hypot(wu, wv))), 1),
            "current_to_deg": round(float(np.degrees(np.arctan2(cu, cv)) % 360.0), 1),
            "current_speed_kn": round(float(ms_to_kn(np.hypot(cu, cv))), 2),
            "visibility_nm": VISIBILITY_NM,
        }
        case = self.service.add_case(
            state=state,
            status="open",
            created=opened,
            created_by=COORDINATOR,
            title=title[:200],
            datum_lon=lkp.lon,
            datum_lat=lkp.lat,
            datum_time=lkp.time,
            object_class=OBJECT_CLASS,
            persons=1,
            description=alert.reason[:2000],
            mmsi=lkp.mmsi,
            alert_id=alert.id,
            environment=env,
        )
        self.case_id = case.id
        self.log(opened, "open", f"case opened from alert {alert.id}: {alert.reason}")
        if self.store.alerts.get(alert.id).alert.status.value == "open":
            self.store.alerts.acknowledge(alert.id, COORDINATOR, f"case {case.id} opened", opened)
        return int(case.id)

    def log(self, when: datetime, action: str, text: str) -> None:
        """Add a line to the case log."""
        if self.case_id is not None:
            self.service.add_log(self.case_id, when, COORDINATOR, action, text[:2000])

    def commit(self, commitments: list[Commitment], search_hours: float, when: datetime) -> None:
        """Record the committed units as the service records them."""
        if self.case_id is None:
            return
        for c in commitments:
            unit = c.unit(search_hours)
            platform = "vessel" if c.role.platform.value == "vessel" else c.role.platform.value
            spec: dict[str, Any] = {
                "type": platform,
                "pattern": unit.pattern.value,
                "transit_speed_kn": unit.transit_speed_kn,
                "base_lon": unit.base_lon,
                "base_lat": unit.base_lat,
            }
            if platform == "vessel":
                spec["eye_height_ft"] = unit.height_ft
            else:
                spec["altitude_ft"] = unit.height_ft
            self.service.add_unit(
                case_id=self.case_id,
                state=c.state,
                committed=when,
                track=None,
                name=c.name,
                platform=platform,
                speed_kn=unit.speed_kn,
                endurance_h=unit.endurance_h,
                spec=spec,
            )
            self.log(when, "unit", f"unit {c.name} committed from {c.base_name}")

    def record_tracks(self, sorties: list[Sortie]) -> None:
        """Add the searched tracks to the units, as a GPX upload would (lon, lat, time)."""
        if self.case_id is None:
            return
        units = {u.name: u for u in self.service.units(self.case_id)}
        for s in sorties:
            unit = units.get(s.unit_name)
            if unit is None:
                continue
            old = list(unit.track or [])
            new = [
                [round(float(x), 6), round(float(y), 6), _iso(float(t))]
                for x, y, t in zip(s.lon, s.lat, s.time_s, strict=True)
            ]
            self.service.set_unit_track(unit.id, old + new)

    def drift_run(self, result: DriftResult, when: datetime, note: str = "") -> None:
        """Record a finished drift run with its particles."""
        from littoral.services.results import drift_summary, pack_result

        self._run("drift", when, drift_summary(result, note), pack_result(result))

    def currents_run(self, summary: dict[str, Any], when: datetime) -> None:
        """Record a finished modelled-currents run (its file is in the report)."""
        self._run("currents", when, summary, None)
        self.log(when, "currents", f"modelled currents: {summary.get('file', '')}")

    def plan_run(self, plan: SearchPlan, start: datetime, basis: str, when: datetime) -> None:
        """Record a finished search plan."""
        from littoral.services.results import plan_summary

        self._run("plan", when, plan_summary(plan, start, basis), None)

    def close(self, when: datetime, outcome: str, text: str) -> None:
        """Close the case with its outcome."""
        if self.case_id is None:
            return
        self.service.update_case(
            self.case_id, status="closed", outcome=outcome, outcome_text=text, closed=when
        )
        self.log(when, "close", f"closed: {outcome} ({text})")

    def _run(self, kind: str, when: datetime, summary: dict[str, Any], data: bytes | None) -> None:
        if self.case_id is None:
            return
        run = self.service.add_run(self.case_id, kind, when)
        self.service.update_run(
            run.id,
            status="done",
            progress=1.0,
            finished=when,
            message="exercise",
            summary=summary,
            data=data,
        )
