"""A case's modelled currents: one action, then the case's drifts use them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from littoral.errors import InputError
from littoral.services import (
    CaseDesk,
    CurrentsParams,
    DriftParams,
    OnScene,
    Role,
    RunDesk,
    ServiceContext,
    system_user,
)

DATUM = {
    "title": "PIW off Tyuleniy",
    "datum_lon": 49.5,
    "datum_lat": 45.0,
    "datum_time": datetime(2026, 5, 1, 11, 0, tzinfo=UTC),
    "object_class": "PIW-1",
    "persons": 1,
}
FAST = CurrentsParams(spin_up_h=6.0, duration_h=6.0, coarsen=3)


def test_modelled_currents_in_one_action_then_used_by_the_drift(ctx: ServiceContext) -> None:
    user = system_user("coord", "KZ", Role.COORDINATOR)
    cases, runs = CaseDesk(ctx, user), RunDesk(ctx, user)
    case = cases.open(**DATUM)
    cases.set_on_scene(case.id, OnScene(wind=(90.0, 30.0), current=(0.0, 0.0)))
    run, result = runs.currents_now(case.id, FAST)
    assert run.kind == "currents"
    assert run.status == "done"
    assert Path(run.summary["file"]).is_file()
    assert Path(run.summary["file"]).parent == ctx.case_dir(case.id)
    assert run.summary["relative_volume_error"] < 1e-9
    assert run.summary["start"].startswith("2026-05-01T05:00")
    assert result.diagnostics.courant <= 0.9
    assert [e.action for e in cases.entries(case.id)][-1] == "currents"
    request = runs.drift_request(case.id, DriftParams(duration_h=4.0, particles=200))
    names = [r.name for r in request.forcing]
    assert any(Path(run.summary["file"]).name in n for n in names)
    _, drift = runs.drift_now(case.id, DriftParams(duration_h=4.0, particles=200))
    assert Path(run.summary["file"]).name in drift.attrs["forcing_current"]
    # the reported current was nil; the modelled one carries the person west, downwind
    assert float(drift.lon[-1].mean()) < DATUM["datum_lon"] - 0.05


def test_a_case_without_wind_is_refused_by_name(ctx: ServiceContext) -> None:
    user = system_user("coord", "KZ", Role.COORDINATOR)
    case = CaseDesk(ctx, user).open(**DATUM)
    with pytest.raises(InputError, match=f"case {case.id} has no wind"):
        RunDesk(ctx, user).currents_now(case.id, FAST)
    with pytest.raises(InputError, match="duration_h=0"):
        CurrentsParams(duration_h=0)
