from __future__ import annotations

import pytest

from littoral.geo import Flag, MmsiKind, flag_of, is_littoral, mid_of, mmsi_kind
from littoral.geo.flags import LITTORAL_MIDS, mid_table


def test_table_has_the_itu_mids() -> None:
    table = mid_table()
    assert len(table) == 289
    assert table[273] == "Russian Federation"
    assert set(LITTORAL_MIDS) <= set(table)


@pytest.mark.parametrize(
    ("mmsi", "kind", "mid"),
    [
        (273123456, MmsiKind.SHIP, 273),
        (423000001, MmsiKind.SHIP, 423),
        (42212345, MmsiKind.GROUP, 422),  # 0MIDXXXXX
        (4361234, MmsiKind.COAST_STATION, 436),  # 00MIDXXXX
        (111273123, MmsiKind.SAR_AIRCRAFT, 273),
        (843412345, MmsiKind.HANDHELD_VHF, 434),
        (982731234, MmsiKind.CRAFT_OF_PARENT_SHIP, 273),
        (994231234, MmsiKind.AID_TO_NAVIGATION, 423),
        (970123456, MmsiKind.SART, None),
        (972123456, MmsiKind.MOB, None),
        (974123456, MmsiKind.EPIRB, None),
        (979123456, MmsiKind.AMRD, None),
        (123456789, MmsiKind.INVALID, None),  # 1 but not 111
        (912345678, MmsiKind.INVALID, None),
        (0, MmsiKind.INVALID, None),
        (-273123456, MmsiKind.INVALID, None),
        (1_000_000_000, MmsiKind.INVALID, None),
        (1234, MmsiKind.INVALID, None),  # 000001234: coast station of MID 012
    ],
)
def test_m585_prefix_rules(mmsi: int, kind: MmsiKind, mid: int | None) -> None:
    assert mmsi_kind(mmsi) is kind
    assert mid_of(mmsi) == mid


def test_flag_of_littoral_and_foreign() -> None:
    assert flag_of(423123456) == Flag(423, "Azerbaijan (Republic of)", "AZ")
    assert flag_of(4221234) == Flag(422, "Iran (Islamic Republic of)", "IR")
    foreign = flag_of(636012345)
    assert foreign is not None
    assert foreign.state_code is None
    assert "Liberia" in foreign.country
    assert flag_of(970123456) is None
    assert flag_of(200123456) is None  # MID 200 is not allocated


@pytest.mark.parametrize("mid", [273, 422, 423, 434, 436])
def test_is_littoral(mid: int) -> None:
    assert is_littoral(mid * 1_000_000 + 123)
    assert is_littoral(111_000_000 + mid * 1000 + 1)
    assert is_littoral(mid * 10_000 + 1)  # coast station


def test_not_littoral() -> None:
    assert not is_littoral(636012345)
    assert not is_littoral(970123456)
    assert not is_littoral(True)  # type: ignore[arg-type]
