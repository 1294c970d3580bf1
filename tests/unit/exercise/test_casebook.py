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
        book = CaseBook(store)
        case_id = book.open(alert, lkp, on_scene, "AZ", "Person overboard", alert.start)
        units = commit_units(lkp.lon, lkp.lat)
        book.commit(units, 4.0, alert.start)
        case = book.service.case(case_id)
        assert case.datum_lon == 50.72
        assert case.alert_id == alert.id
        env = case.environment
        assert np.cos(np.radians(env["wind_from_deg"])) > 0.8  # a northerly, not an average
        assert 90.0 < env["current_to_deg"] < 270.0
        assert [u.name for u in book.service.units(case_id)] == [c.name for c in units]
        assert store.alerts.get(alert.id).alert.status.value == "acknowledged"
        from littoral.exercise.searchsim import Sortie

        sortie = Sortie(
            units[0].name, units[0].state, alert.start, alert.start, alert.start,
            np.array([50.7, 50.8]), np.array([41.4, 41.4]),
            np.array([alert.start.timestamp(), alert.start.timestamp() + 600]), 0.5, 0.1,
        )  # fmt: skip
        book.record_tracks([sortie])
        (unit,) = [u for u in book.service.units(case_id) if u.name == units[0].name]
        assert unit.track == [
            [50.7, 41.4, "2026-10-14T03:00:00Z"],
            [50.8, 41.4, "2026-10-14T03:10:00Z"],
        ]
        book.close(alert.start + timedelta(hours=8), "rescued", "seen by a unit")
        assert book.service.case(case_id).status == "closed"
    finally:
        store.close()
