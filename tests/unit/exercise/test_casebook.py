from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from littoral.exercise.casebook import CaseBook
from littoral.exercise.responders import commit_units
from littoral.exercise.sar import LastKnown
from littoral.exercise.weather import khazri_day
from littoral.records.alerts import Alert, Priority
from littoral.store import open_store

T0 = datetime(2026, 10, 14, tzinfo=UTC)


def test_case_from_the_distress_alert_with_units_and_environment(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        alert = Alert(
            id="distress:beacon:972000001:x",
            rule="distress",
            priority=Priority.CRITICAL,
            mmsis=(972000001,),
            start=T0 + timedelta(hours=3),
            lon=50.72,
            lat=41.48,
            reason="DISTRESS: MOB device 972000001 active",
        )
        store.alerts.upsert([alert], alert.start)
        on_scene = khazri_day(np.random.default_rng(0), T0, 12.0)
        lkp = LastKnown(972000001, 50.72, 41.47, T0 + timedelta(hours=3, minutes=35), 36)
        book = CaseBook(store, tmp_path / "service-data", alert.start)
        service = book.ctx.service
        case_id = book.open(alert, lkp, on_scene, "AZ", "Person overboard", alert.start)
        units = commit_units(lkp.lon, lkp.lat)
        book.commit(units, 4.0, alert.start)
        case = service.case(case_id)
        assert (case.datum_lon, case.datum_lat) == (50.72, 41.47)  # the last beacon report
        assert case.datum_time == lkp.time
        assert case.alert_id == alert.id
        assert case.created_by == "exercise"
        env = case.environment
        assert np.cos(np.radians(env["wind_from_deg"])) > 0.8  # a northerly, not an average
        assert 90.0 < env["current_to_deg"] < 270.0
        assert len(env["observations"]) == len(on_scene.times)  # the drift follows the series
        assert [u.name for u in service.units(case_id)] == [c.name for c in units]
        # each state committed its own units, through the same permission checks as anyone
        assert {u.state for u in service.units(case_id)} == {c.state for c in units}
        assert store.alerts.get(alert.id).alert.status.value == "acknowledged"
        # the exercise acted through the use cases: logged and audited as its system user
        actions = [e.action for e in service.case_log(case_id)]
        assert actions[:4] == ["open", "alert", "edit", "environment"]
        entries, _ = service.audit(100, 0)
        assert {e.user_name for e in entries} == {"exercise"}
        assert "cases.open" in {e.path for e in entries}
        from littoral.exercise.searchsim import Sortie

        sortie = Sortie(
            units[0].name, units[0].state, alert.start, alert.start, alert.start,
            np.array([50.7, 50.8]), np.array([41.4, 41.4]),
            np.array([alert.start.timestamp(), alert.start.timestamp() + 600]), 0.5, 0.1,
        )  # fmt: skip
        assert book.record_tracks([sortie], alert.start) is None  # no drift to update yet
        (unit,) = [u for u in service.units(case_id) if u.name == units[0].name]
        assert unit.track == [
            [50.7, 41.4, "2026-10-14T03:00:00Z"],
            [50.8, 41.4, "2026-10-14T03:10:00Z"],
        ]
        book.close(alert.start + timedelta(hours=8), "rescued", "seen by a unit")
        assert service.case(case_id).status == "closed"
    finally:
        store.close()
