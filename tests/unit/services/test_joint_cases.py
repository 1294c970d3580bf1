"""A case marked joint is published when it changes; another centre's copy is read-only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from littoral.errors import InputError
from littoral.services import CaseDesk, Role, ServiceContext, system_user
from littoral.services.joint_cases import JointCases
from littoral.store import SqlStore, open_store

DATUM = {
    "title": "Tanker Absheron, engine failure",
    "datum_lon": 50.9,
    "datum_lat": 40.2,
    "datum_time": datetime(2026, 5, 1, 11, 30, tzinfo=UTC),
    "object_class": "PIW-1",
    "persons": 1,
}


def test_marked_case_is_published_and_its_copy_is_read_only(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    # at az's centre: a case, then marked joint
    with open_store(f"sqlite:///{tmp_path / 'az.db'}") as az_store:
        home = JointCases("az", az_store)
        case = home.service.add_case(
            state="AZ", status="open", created=DATUM["datum_time"], created_by="coord.az",
            environment={}, **DATUM,
        )  # fmt: skip
        assert home.changed() == []  # not joint yet
        home.service.add_log(case.id, DATUM["datum_time"], "coord.az", "joint", "marked joint")
        (message,) = home.changed()
    # at this centre: the copy
    assert isinstance(ctx.store, SqlStore)
    local = JointCases("kz", ctx.store).take(message.data)
    for user in (
        system_user("coord", "KZ", Role.COORDINATOR),
        system_user("coord", "AZ", Role.COORDINATOR),
    ):
        desk = CaseDesk(ctx, user)
        with pytest.raises(InputError, match="copy of centre 'az'"):
            desk.add_unit(local, {"name": "Berkut", "platform": "patrol_boat", "speed_kn": 18})
        with pytest.raises(InputError, match="change it at that centre"):
            desk.note(local, "seen")
    # an own case is marked joint once, by its state
    desk = CaseDesk(ctx, system_user("coord", "KZ", Role.COORDINATOR))
    own = desk.open(**DATUM)
    desk.mark_joint(own.id)
    with pytest.raises(InputError, match="already joint"):
        desk.mark_joint(own.id)
    (published,) = JointCases("kz", ctx.store).changed()
    assert published.msg_id.startswith("kz:")
