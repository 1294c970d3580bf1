"""The sharing policy: read from TOML, each bad key named, enforced on positions and alerts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from littoral.errors import InputError
from littoral.federation.policy import SharePolicy, load_policy, policy_from_dict
from littoral.records.alerts import Alert, Priority
from littoral.records.reports import PositionReport, StaticReport

T = datetime(2026, 5, 1, tzinfo=UTC)


def pos(mmsi: int, lon: float, lat: float) -> PositionReport:
    return PositionReport(mmsi=mmsi, time=T, lon=lon, lat=lat, msg_type=1)


def test_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "share.toml"
    path.write_text(
        """
[ais]
areas = [[[49.0, 40.0], [51.0, 40.0], [51.0, 42.0], [49.0, 42.0]]]
ship_types = ["60-69", 70]
withhold_ship_types = [35]
unknown_ship_type = "withhold"
[alerts]
share = ["distress"]
[cases]
share_joint = true
"""
    )
    policy = load_policy(path)
    assert policy.ship_types == frozenset([*range(60, 70), 70])
    assert policy.withhold_ship_types == frozenset([35])
    assert not policy.unknown_ship_type_shared
    assert policy.alert_kinds == frozenset(["distress"])
    assert policy.joint_cases


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"ais": {"shipp_types": [35]}}, "ais.'shipp_types'"),
        ({"aiss": {}}, "'aiss'"),
        ({"ais": {"ship_types": [135]}}, "ais.ship_types: 135"),
        ({"ais": {"ship_types": ["79-70"]}}, "'79-70'"),
        ({"ais": {"share": "yes"}}, "ais.share='yes'"),
        ({"ais": {"areas": [[[49.0, 40.0], [51.0, 40.0]]]}}, "ais.areas[0]"),
        ({"ais": {"areas": [[[49.0, 40.0], [51.0, 95.0], [50.0, 41.0]]]}}, "ais.areas[0]"),
        ({"ais": {"unknown_ship_type": "maybe"}}, "ais.unknown_ship_type='maybe'"),
        ({"alerts": {"share": 3}}, "alerts.share=3"),
        ({"cases": {"share_joint": 1}}, "cases.share_joint=1"),
    ],
)
def test_bad_keys_are_named(data: dict[str, object], named: str) -> None:
    with pytest.raises(InputError, match=r"share\.toml") as info:
        policy_from_dict(data, "share.toml")
    assert named in str(info.value)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("[ais\n")
    with pytest.raises(InputError, match=r"p\.toml.*not valid TOML"):
        load_policy(path)
    with pytest.raises(InputError, match="does not exist"):
        load_policy(tmp_path / "missing.toml")


def test_withholds_one_ship_type() -> None:
    policy = policy_from_dict({"ais": {"withhold_ship_types": [35]}})
    types = {1: 35, 2: 70, 3: None}
    shared = policy.positions([pos(1, 50, 41), pos(2, 50, 41), pos(3, 50, 41)], types.get)
    assert [p.mmsi for p in shared] == [2, 3]
    statics = [StaticReport(mmsi=1, time=T, msg_type=5, ship_type=35),
               StaticReport(mmsi=2, time=T, msg_type=5, ship_type=70)]  # fmt: skip
    assert [s.mmsi for s in policy.statics(statics, types.get, lambda m: None)] == [2]


def test_area_and_type_list() -> None:
    box = [[49.0, 40.0], [51.0, 40.0], [51.0, 42.0], [49.0, 42.0]]
    policy = policy_from_dict(
        {"ais": {"areas": [box], "ship_types": ["70-79"], "unknown_ship_type": "withhold"}}
    )
    types = {1: 70, 2: 70, 3: 30, 4: None}
    reports = [pos(1, 50, 41), pos(2, 52, 41), pos(3, 50, 41), pos(4, 50, 41)]
    assert [p.mmsi for p in policy.positions(reports, types.get)] == [1]
    # a static report is shared only where its vessel was last seen inside an area
    statics = [StaticReport(mmsi=1, time=T, msg_type=5), StaticReport(mmsi=2, time=T, msg_type=5)]
    where = {1: (50.0, 41.0), 2: (52.0, 41.0)}
    assert [s.mmsi for s in policy.statics(statics, types.get, where.get)] == [1]


def test_alerts_by_kind_and_nothing_when_ais_off() -> None:
    alerts = [
        Alert(id=r, rule=r, priority=Priority.HIGH, mmsis=(1,), start=T, lon=50, lat=41,
              reason="x")
        for r in ("distress", "going_dark")
    ]  # fmt: skip
    assert [
        a.rule for a in policy_from_dict({"alerts": {"share": ["distress"]}}).alerts(alerts)
    ] == ["distress"]
    assert policy_from_dict({"alerts": {"share": "none"}}).alerts(alerts) == []
    assert len(SharePolicy().alerts(alerts)) == 2
    off = policy_from_dict({"ais": {"share": False}})
    assert off.positions([pos(1, 50, 41)], lambda m: 70) == []
