"""A case's scenarios are stored, listed, changed and removed alike on every backend."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from littoral.errors import InputError, NotFoundError
from littoral.store import open_store
from littoral.store.service import ServiceStore

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def test_scenarios_round_trip(store_url: str) -> None:
    with open_store(store_url) as store:
        service = ServiceStore(store.engine)
        service.create()
        service.create()  # idempotent: the scenarios table is made once
        case = service.add_case(
            state="AZ", title="t", status="open", created=NOW, created_by="c", datum_lon=50.0,
            datum_lat=40.0, datum_time=NOW, object_class="PIW-1", persons=1, description="",
            environment={},
        )  # fmt: skip
        spec = {"kind": "position", "lat": 40.0, "lon": 50.0, "time": NOW.isoformat(),
                "objects": [{"object_class": "PIW-1", "fraction": 0.6}]}  # fmt: skip
        a = service.add_scenario(
            case_id=case.id, name="A", weight=0.6, spec=spec, reason="SIT 185 message 1",
            updated=NOW, updated_by="intake",
        )  # fmt: skip
        service.add_scenario(
            case_id=case.id, name="B", weight=0.4, spec=spec, reason="", updated=NOW,
            updated_by="intake",
        )  # fmt: skip
        with pytest.raises(InputError, match="already has a scenario named 'A'"):
            service.add_scenario(
                case_id=case.id, name="A", weight=1, spec=spec, reason="", updated=NOW,
                updated_by="x",
            )  # fmt: skip
        assert [s.name for s in service.scenarios(case.id)] == ["A", "B"]
        assert a.spec == spec
        assert a.updated == NOW
        changed = service.update_scenario(a.id, weight=0.0, reason="position confirmed at B")
        assert (changed.weight, changed.reason) == (0.0, "position confirmed at B")
        service.delete_scenario(a.id)
        assert [s.name for s in service.scenarios(case.id)] == ["B"]
        with pytest.raises(NotFoundError):
            service.scenario(a.id)
