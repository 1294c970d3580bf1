"""Flag state from an MMSI: the ITU MID table and the ITU-R M.585 identity formats.

ITU-R M.585-9 (2022), "Assignment and use of identities in the maritime mobile service",
Annexes 1-5, gives the nine-digit formats (MID = the three MID digits, n = any digit):

- ``MIDnnnnnn`` ship station (first digit 2-7);
- ``0MIDnnnnn`` group of ship stations; ``00MIDnnnn`` coast station;
- ``111MIDnnn`` SAR aircraft;
- ``8MIDnnnnn`` handheld VHF transceiver with DSC and GNSS;
- ``98MIDnnnn`` craft associated with a parent ship; ``99MIDnnnn`` aid to navigation;
- ``970nnnnnn`` AIS-SART, ``972nnnnnn`` man overboard device, ``974nnnnnn`` EPIRB-AIS,
  ``979nnnnnn`` autonomous maritime radio device (group B): these carry no MID.

The MID table is the ITU list as published with libais (Kurt Schwehr, Apache-2.0, see
``data/LICENSE-libais.txt``). An MMSI is taken as an integer and read as nine digits with leading
zeros (coast station 002731234 is the integer 2731234).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import resources

LITTORAL_MIDS: dict[int, str] = {423: "AZ", 422: "IR", 436: "KZ", 273: "RU", 434: "TM"}
"""MIDs of the five Caspian littoral states and their ISO 3166 alpha-2 codes."""


class MmsiKind(Enum):
    """What kind of station an MMSI names (ITU-R M.585)."""

    SHIP = "ship"
    GROUP = "group"
    COAST_STATION = "coast station"
    SAR_AIRCRAFT = "SAR aircraft"
    HANDHELD_VHF = "handheld VHF"
    CRAFT_OF_PARENT_SHIP = "craft of a parent ship"
    AID_TO_NAVIGATION = "aid to navigation"
    SART = "AIS-SART"
    MOB = "man overboard device"
    EPIRB = "EPIRB-AIS"
    AMRD = "autonomous maritime radio device"
    INVALID = "invalid"


@dataclass(frozen=True)
class Flag:
    """The state an MMSI's MID belongs to.

    Attributes
    ----------
    mid : int
        Maritime Identification Digits, 201-775.
    country : str
        Country or territory as the ITU table names it.
    state_code : str or None
        ISO alpha-2 code for the five littoral states (AZ, IR, KZ, RU, TM), else None.
    """

    mid: int
    country: str
    state_code: str | None


@cache
def mid_table() -> dict[int, str]:
    """Return the ITU MID table: MID -> country name."""
    ref = resources.files("littoral.geo") / "data" / "mid.csv"
    with ref.open(encoding="utf-8") as f:
        return {int(row["prefix"]): row["country"] for row in csv.DictReader(f)}


def _digits(mmsi: int) -> str | None:
    if isinstance(mmsi, bool) or not isinstance(mmsi, int) or not 0 < mmsi <= 999_999_999:
        return None
    return f"{mmsi:09d}"


def _split(mmsi: int) -> tuple[MmsiKind, int | None]:
    d = _digits(mmsi)
    if d is None:
        return MmsiKind.INVALID, None
    rules: tuple[tuple[str, MmsiKind, int | None], ...] = (
        ("970", MmsiKind.SART, None),
        ("972", MmsiKind.MOB, None),
        ("974", MmsiKind.EPIRB, None),
        ("979", MmsiKind.AMRD, None),
        ("111", MmsiKind.SAR_AIRCRAFT, 3),
        ("98", MmsiKind.CRAFT_OF_PARENT_SHIP, 2),
        ("99", MmsiKind.AID_TO_NAVIGATION, 2),
        ("00", MmsiKind.COAST_STATION, 2),
        ("0", MmsiKind.GROUP, 1),
        ("8", MmsiKind.HANDHELD_VHF, 1),
    )
    kind, at = next(((k, a) for p, k, a in rules if d.startswith(p)), (MmsiKind.SHIP, 0))
    if at is None:
        return kind, None
    mid = int(d[at : at + 3])
    if not 2 <= mid // 100 <= 7:
        return MmsiKind.INVALID, None
    return kind, mid


def mmsi_kind(mmsi: int) -> MmsiKind:
    """Return the kind of station an MMSI names; ``INVALID`` when it fits no M.585 format.

    Examples
    --------
    >>> mmsi_kind(273456789).name, mmsi_kind(2734567).name, mmsi_kind(970123456).name
    ('SHIP', 'COAST_STATION', 'SART')
    """
    return _split(mmsi)[0]


def mid_of(mmsi: int) -> int | None:
    """Return the MID inside an MMSI after its M.585 prefix; None when it carries none."""
    return _split(mmsi)[1]


def flag_of(mmsi: int) -> Flag | None:
    """Return the flag state of an MMSI.

    Returns None when no state can be read from it: formats without a MID (SART, MOB, EPIRB,
    AMRD), invalid numbers, and MIDs the ITU table does not allocate. This is the normal answer
    for such numbers, not an error, so bulk paths can count them.

    Examples
    --------
    >>> flag_of(423123456)
    Flag(mid=423, country='Azerbaijan (Republic of)', state_code='AZ')
    """
    mid = mid_of(mmsi)
    if mid is None:
        return None
    country = mid_table().get(mid)
    if country is None:
        return None
    return Flag(mid=mid, country=country, state_code=LITTORAL_MIDS.get(mid))


def is_littoral(mmsi: int) -> bool:
    """Tell whether the MMSI's MID is one of the five Caspian littoral states."""
    mid = mid_of(mmsi)
    return mid is not None and mid in LITTORAL_MIDS
