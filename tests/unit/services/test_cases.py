"""Case use cases called without HTTP: permissions, log, events' source, audit of each call."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from littoral.errors import InputError, PermissionDeniedError
from littoral.services import CaseDesk, OnScene, Role, ServiceContext, system_user

DATUM = {
    "title": "Fishing boat Kapitan",
    "datum_lon": 50.2,
    "datum_lat": 40.508333,
    "datum_time": datetime(2026, 5, 1, 11, 30, tzinfo=UTC),
    "object_class": "PIW-1",
    "persons": 3,
}


def test_a_call_outside_the_web_service_is_logged_and_audited(ctx: ServiceContext) -> None:
    desk = CaseDesk(ctx, system_user("exercise", "AZ", Role.COORDINATOR))
    case = desk.open(**DATUM)
    desk.set_on_scene(case.id, OnScene(wind=(340.0, 25.0), current=(180.0, 0.5)))
    desk.close(case.id, "rescued", "3 POB safe")
    desk.reopen(case.id, "a fourth person reported missing")
    log = desk.entries(case.id)
    assert [e.action for e in log] == ["open", "environment", "close", "reopen"]
    assert {e.user_name for e in log} == {"exercise"}
    entries, total = ctx.service.audit(100, 0)
    assert total == 4
    assert [e.path for e in reversed(entries)] == [
        "cases.open",
        "cases.environment",
        "cases.close",
        "cases.reopen",
    ]
    assert {(e.method, e.user_name, e.state) for e in entries} == {("CALL", "exercise", "AZ")}
    assert entries[0].detail["reason"] == "a fourth person reported missing"


def test_the_same_permission_checks_apply_to_a_system_user(ctx: ServiceContext) -> None:
    case = CaseDesk(ctx, system_user("exercise", "AZ", Role.COORDINATOR)).open(**DATUM)
    russian = CaseDesk(ctx, system_user("exercise", "RU", Role.COORDINATOR))
    with pytest.raises(PermissionDeniedError, match="belongs to state AZ"):
        russian.close(case.id, "other")
    watch = CaseDesk(ctx, system_user("officer", "AZ", Role.WATCH_OFFICER))
    with pytest.raises(PermissionDeniedError, match="watch_officer"):
        watch.open(**DATUM)
    # another state commits its own unit to a joint case
    unit = russian.add_unit(
        case.id, {"name": "Spasatel", "speed_kn": 18.0, "endurance_h": 8.0, "base": "Makhachkala"}
    )
    assert unit.state == "RU"
    assert unit.spec["base"] == "Makhachkala"


def test_reopen_needs_a_reason_and_a_closed_case(ctx: ServiceContext) -> None:
    desk = CaseDesk(ctx, system_user("coord", "AZ", Role.COORDINATOR))
    case = desk.open(**DATUM)
    with pytest.raises(InputError, match="only a closed case"):
        desk.reopen(case.id, "why not")
    desk.close(case.id, "false_alarm")
    with pytest.raises(InputError, match="reopen it first"):
        desk.note(case.id, "late news")
    with pytest.raises(InputError, match="needs a reason"):
        desk.reopen(case.id, "   ")
    with pytest.raises(InputError, match="outcome='lost'"):
        desk.close(case.id, "lost")
    assert desk.reopen(case.id, "new sighting").status == "open"


def test_on_scene_data_round_trips_through_the_case(ctx: ServiceContext) -> None:
    from littoral.services import Observation

    desk = CaseDesk(ctx, system_user("coord", "AZ", Role.COORDINATOR))
    case = desk.open(**DATUM)
    t0 = datetime(2026, 5, 1, 11, 0, tzinfo=UTC)
    t1 = datetime(2026, 5, 1, 13, 0, tzinfo=UTC)
    series = (
        Observation(
            time=t0, wind_from_deg=350, wind_speed_kn=20, current_to_deg=170, current_speed_kn=0.4
        ),
        Observation(
            time=t1, wind_from_deg=10, wind_speed_kn=30, current_to_deg=180, current_speed_kn=0.6
        ),
    )
    scene = OnScene(wind=(350.0, 20.0), current=(170.0, 0.4), observations=series)
    stored = desk.set_on_scene(case.id, scene)
    back = OnScene.from_environment(stored.environment)
    assert back == scene
    assert back.wind_kn_at(datetime(2026, 5, 1, 12, 0, tzinfo=UTC)) == pytest.approx(25.0)
    with pytest.raises(InputError, match="wind_speed_kn=200"):
        OnScene(wind=(0.0, 200.0))
    with pytest.raises(InputError, match="increase strictly"):
        OnScene(observations=(series[1], series[0]))


def test_system_user_names_and_states_are_checked() -> None:
    with pytest.raises(InputError, match="state='XX'"):
        system_user("cli", "XX")
    with pytest.raises(InputError, match="user name"):
        system_user("a b", "AZ")
