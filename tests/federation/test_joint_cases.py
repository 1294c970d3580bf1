"""Joint cases: a case marked joint reaches the other centres whole, and every update replaces
their copy; a centre whose policy does not share joint cases publishes none, and a case not
marked joint stays home."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from fedkit import T0, Fed, make_centre, run_all, start_servers

from littoral.federation.policy import SharePolicy
from littoral.services.joint_cases import JOINT
from littoral.store.service import ServiceStore


def open_case(service: ServiceStore, title: str, joint: bool) -> int:
    case = service.add_case(
        state="az", title=title, status="open", created=T0, created_by="az-coordinator",
        datum_lon=50.3, datum_lat=40.1, datum_time=T0, object_class="PIW", persons=2,
        description="", environment={"wind_from_deg": 320}, forcing_file="/srv/az/wind.nc",
    )  # fmt: skip
    service.add_log(case.id, T0, "az-coordinator", "open", f"case opened: {title}")
    if joint:
        service.add_log(case.id, T0, "az-coordinator", JOINT, "marked joint")
    service.add_unit(
        case_id=case.id, state="kz", name="Berkut", platform="patrol_boat", speed_kn=18.0,
        endurance_h=10.0, spec={"mmsi": 436000111}, committed=T0,
        track=[[50.3, 40.1, T0.isoformat()], [50.4, 40.1, (T0 + timedelta(hours=1)).isoformat()]],
    )  # fmt: skip
    return case.id


def test_joint_case_and_its_updates_reach_the_others(fed: Fed) -> None:
    fed.servers = start_servers(fed.workdir, ["az", "kz", "ir"], hub="kz")
    az = make_centre(fed, "az", SharePolicy(joint_cases=True))
    kz = make_centre(fed, "kz")
    ir = make_centre(fed, "ir")
    home = ServiceStore(az.store.engine)
    joint_id = open_case(home, "MV Shirvan, fire", joint=True)
    open_case(home, "Fishing boat overdue", joint=False)

    def copies(centre: object) -> list:  # type: ignore[type-arg]
        service = ServiceStore(centre.store.engine)  # type: ignore[attr-defined]
        return [c for c in service.list_cases() if c.created_by == "az-coordinator"]

    async def scenario() -> None:
        await run_all(fed, {}, lambda: copies(kz) and copies(ir), 20)
        home.add_log(joint_id, T0 + timedelta(minutes=30), "az-coordinator", "note", "smoke seen")
        home.update_case(joint_id, persons=3)

        def updated() -> bool:  # at both receivers: the check below reads both
            return all(bool(found) and found[0].persons == 3 for found in (copies(kz), copies(ir)))

        await run_all(fed, {}, updated, 20)

    asyncio.run(scenario())
    for centre in (kz, ir):
        (copy,) = copies(centre)  # one copy, the joint case only, replaced by the update
        service = ServiceStore(centre.store.engine)
        assert (copy.title, copy.state, copy.persons) == ("MV Shirvan, fire", "az", 3)
        assert copy.forcing_file is None  # a path at az means nothing here
        assert [e.action for e in service.case_log(copy.id)] == ["open", JOINT, "note"]
        (unit,) = service.units(copy.id)
        assert (unit.name, unit.state, unit.spec) == ("Berkut", "kz", {"mmsi": 436000111})
        assert unit.track is not None
        assert len(unit.track) == 2
        assert centre.stats.rejected == {}
    assert az.stats.shared["case"] == 2  # the case, then its update
    assert kz.stats.shared["case"] == 0


def test_policy_without_joint_cases_publishes_none(fed: Fed) -> None:
    fed.servers = start_servers(fed.workdir, ["az", "kz"], hub="kz")
    az = make_centre(fed, "az")  # the default policy shares no cases
    kz = make_centre(fed, "kz")
    open_case(ServiceStore(az.store.engine), "MV Shirvan, fire", joint=True)
    asyncio.run(run_all(fed, {}, lambda: False, 3))
    assert ServiceStore(kz.store.engine).list_cases() == []
    assert fed.figures["az"].published == 0
