from __future__ import annotations

import pytest

from littoral.geo import Flag, MmsiKind, flag_of, is_littoral, mid_of, mmsi_kind
from littoral.geo.flags import LITTORAL_MIDS, mid_table

# The ITU MARS table of Maritime Identification Digits, transcribed by region as
# first-MID..last-MID runs with the MIDs the run skips (not allocated).
_ITU_RUNS: tuple[tuple[int, int, tuple[int, ...]], ...] = (
    (201, 279, (217, 221, 222, 223, 260)),
    (301, 379, (302, 313, 315, 317, 318, 320, 322, 324, 326, 328, 333, 335, 337, 340, 342,
                344, 346, 349, 360, 363, 365)),
    (401, 478, (402, 404, 406, 407, 409, 411, 415, 418, 420, 421, 424, 426, 427, 429, 430,
                433, 435, 439, 442, 444, 446, 448, 449, 452, 454, 456, 458, 460, 462, 464,
                465, 467, 469, 474, 476)),
    (501, 578, (502, 504, 505, 507, 509, 513, 517, 519, 521, 522, 524, 526, 527, 528, 530,
                532, 534, 535, 537, 539, 541, 543, 545, 547, 549, 551, 552, 554, 556, 558,
                560, 562, 568, 569, 571, 573, 575)),
    (601, 679, (602, 604, 606, 614, 623, 628, 639, 640, 641, 643, 646, 648, 651, 652, 653,
                658, 673)),
    (701, 775, tuple(m for m in range(702, 775) if m % 5 or m in (705, 715))),
)  # fmt: skip
ITU_MIDS = {m for first, last, skip in _ITU_RUNS for m in range(first, last + 1) if m not in skip}


def test_table_has_the_itu_mids() -> None:
    table = mid_table()
    assert len(ITU_MIDS) == 292
    assert set(table) == ITU_MIDS
    assert table[273] == "Russian Federation"
    assert set(LITTORAL_MIDS) <= set(table)


@pytest.mark.parametrize("mid", sorted(ITU_MIDS))
def test_every_allocated_mid_resolves_in_every_format(mid: int) -> None:
    for mmsi, kind in (
        (mid * 1_000_000 + 123_456, MmsiKind.SHIP),
        (mid * 100_000 + 12_345, MmsiKind.GROUP),
        (mid * 10_000 + 1_234, MmsiKind.COAST_STATION),
        (111_000_000 + mid * 1_000 + 123, MmsiKind.SAR_AIRCRAFT),
        (980_000_000 + mid * 10_000 + 1_234, MmsiKind.CRAFT_OF_PARENT_SHIP),
        (990_000_000 + mid * 10_000 + 1_234, MmsiKind.AID_TO_NAVIGATION),
    ):
        assert mmsi_kind(mmsi) is kind, mmsi
        flag = flag_of(mmsi)
        assert flag is not None, mmsi
        assert flag.mid == mid, mmsi


def test_panama_374_resolves() -> None:
    flag = flag_of(374_123_000)
    assert flag is not None
    assert flag.country.startswith("Panama")


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
