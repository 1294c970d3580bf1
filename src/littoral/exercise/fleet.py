"""Identities of the exercise fleet: MMSI, name, call sign, IMO number, ship type, flag.

MMSIs start with the Maritime Identification Digits of the flag state (ITU-R M.585): Azerbaijan
423, Iran 422, Kazakhstan 436, Russia 273, Turkmenistan 434; an AIS man-overboard beacon uses
972 followed by a manufacturer and serial number. Call-sign prefixes follow the ITU allocation
series (4J-4K Azerbaijan, EP-EQ Iran, UN-UQ Kazakhstan, U/R Russia, EZ Turkmenistan). IMO
numbers carry their check digit (the weighted sum of the first six digits, weights 7 to 2,
modulo 10). All names are invented for the exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from littoral.errors import InputError


class VesselKind(StrEnum):
    """What a vessel does in the scenario."""

    FERRY = "ferry"
    TANKER = "tanker"
    RIVER_SEA = "river-sea cargo"
    SUPPLY = "offshore supply"
    FISHING = "fishing"
    LEISURE = "leisure"
    MOB_BEACON = "AIS-MOB beacon"


MID: dict[str, int] = {"AZ": 423, "IR": 422, "KZ": 436, "RU": 273, "TM": 434, "PA": 352}
"""Maritime Identification Digits of the flags used (Panama for the visiting ship)."""

_CALLSIGN_PREFIX: dict[str, tuple[str, ...]] = {
    "AZ": ("4J", "4K"),
    "IR": ("EP", "EQ"),
    "KZ": ("UN", "UP"),
    "RU": ("UB", "UF", "RC"),
    "TM": ("EZ",),
    "PA": ("3E", "HP"),
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_WORDS: dict[str, tuple[str, ...]] = {
    "AZ": _words(
        "ABSHERON GANJA SHIRVAN KHAZAR GUBA LANKARAN SHAMAKHI "
        "GABALA MINGACHEVIR KURDAMIR KHACHMAZ ZAGATALA NAFTALAN SHEKI"
    ),
    "IR": _words(
        "GILAN MAZANDARAN GOLESTAN SEFIDRUD ALBORZ DAMAVAND SABALAN "
        "BABOL RASHT SARI AMOL TALESH LAHIJAN CHALUS"
    ),
    "KZ": _words(
        "ATYRAU MANGYSTAU TENGIZ ALATAU ZHAIK BEINEU ESIL "
        "SARYARKA TOBOL KARATAU ZHETYSU BURABAY USTYURT EMBA"
    ),
    "RU": _words(
        "VOLGA DAGESTAN KASPIY DERBENT SULAK TEREK AKHTUBA "
        "KIZLYAR SARATOV KAMA SAMUR KUMA LOTOS BAKHTEMIR"
    ),
    "TM": _words(
        "BALKAN LEBAP AVAZA DASHOGUZ GARABOGAZ KOPETDAG "
        "AMUDERYA GYZYLSU CHELEKEN OGURJALY ESENGULY GARAGUM"
    ),
    "PA": _words("PACIFIC ATLANTIC ORIENT MERIDIAN"),
}

_LEISURE_NAMES: tuple[str, ...] = (
    "SEA BREEZE",
    "WHITE GULL",
    "AYLA",
    "NARGIZ",
    "DILARA",
    "SAHIL",
    "YULDUZ",
    "MARINA",
    "SUNRISE",
    "DELFIN",
    "LEYLA",
    "AIDA",
    "TULPAR",
    "SHAHIN",
    "PARIS",
    "ROYA",
)
_KIND_SUFFIX: dict[VesselKind, str] = {
    VesselKind.TANKER: "NEFT",
    VesselKind.RIVER_SEA: "",
    VesselKind.SUPPLY: "SUPPORT",
    VesselKind.FISHING: "",
    VesselKind.FERRY: "",
}

SHIP_TYPE: dict[VesselKind, int] = {
    VesselKind.FERRY: 60,  # passenger (ro-pax)
    VesselKind.TANKER: 80,
    VesselKind.RIVER_SEA: 70,
    VesselKind.SUPPLY: 52,  # offshore supply and anchor-handling tugs report "tug"
    VesselKind.FISHING: 30,
    VesselKind.LEISURE: 37,
    VesselKind.MOB_BEACON: 0,
}
"""AIS ship-and-cargo type code by kind (ITU-R M.1371-5, table 53)."""

_DIMENSIONS_M: dict[VesselKind, tuple[int, int, int, int]] = {
    # to_bow, to_stern, to_port, to_starboard
    VesselKind.FERRY: (120, 34, 9, 9),
    VesselKind.TANKER: (110, 30, 8, 9),
    VesselKind.RIVER_SEA: (100, 40, 8, 8),
    VesselKind.SUPPLY: (50, 20, 8, 8),
    VesselKind.FISHING: (20, 8, 4, 4),
    VesselKind.LEISURE: (8, 4, 2, 2),
    VesselKind.MOB_BEACON: (0, 0, 0, 0),
}


@dataclass(frozen=True, slots=True)
class VesselIdentity:
    """Who a vessel is: the static data its transponder sends, and its part in the scenario."""

    mmsi: int
    name: str
    callsign: str
    imo: int | None
    ship_type: int
    flag: str
    kind: VesselKind
    ais_class: str
    to_bow_m: int
    to_stern_m: int
    to_port_m: int
    to_starboard_m: int
    draught_m: float
    route: str = ""


def imo_check_digit(first_six: int) -> int:
    """Return the IMO check digit of a six-digit number (weights 7, 6, 5, 4, 3, 2)."""
    if not 100_000 <= first_six <= 999_999:
        raise InputError(f"first_six={first_six!r} must have six digits")
    digits = [int(c) for c in str(first_six)]
    return sum(d * w for d, w in zip(digits, (7, 6, 5, 4, 3, 2), strict=True)) % 10


def is_valid_imo(imo: int) -> bool:
    """Tell whether a seven-digit IMO number's check digit is right."""
    return 1_000_000 <= imo <= 9_999_999 and imo_check_digit(imo // 10) == imo % 10


class IdentityFactory:
    """Draws unique MMSIs, names, call signs and IMO numbers from a seeded generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._mmsis: set[int] = set()
        self._names: set[str] = set()
        self._callsigns: set[str] = set()
        self._imos: set[int] = set()

    def mmsi(self, flag: str) -> int:
        """Draw an unused MMSI of flag state ``flag`` (a key of :data:`MID`)."""
        if flag not in MID:
            raise InputError(f"flag={flag!r} is not one of {sorted(MID)}")
        while True:
            candidate = MID[flag] * 1_000_000 + int(self._rng.integers(100_000, 1_000_000))
            if candidate not in self._mmsis:
                self._mmsis.add(candidate)
                return candidate

    def mob_mmsi(self) -> int:
        """Draw an AIS-MOB beacon identity: 972, manufacturer code, serial (ITU-R M.585)."""
        while True:
            candidate = 972_000_000 + int(self._rng.integers(100_000, 1_000_000))
            if candidate not in self._mmsis:
                self._mmsis.add(candidate)
                return candidate

    def imo(self) -> int:
        """Draw an unused IMO number with a valid check digit."""
        while True:
            six = int(self._rng.integers(800_000, 980_000))
            candidate = six * 10 + imo_check_digit(six)
            if candidate not in self._imos:
                self._imos.add(candidate)
                return candidate

    def callsign(self, flag: str) -> str:
        """Draw an unused call sign with one of the flag's ITU prefixes."""
        prefixes = _CALLSIGN_PREFIX[flag]
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        while True:
            prefix = prefixes[int(self._rng.integers(len(prefixes)))]
            tail = "".join(letters[int(i)] for i in self._rng.integers(0, 26, size=2))
            candidate = f"{prefix}{tail}{int(self._rng.integers(2, 10))}"
            if candidate not in self._callsigns:
                self._callsigns.add(candidate)
                return candidate

    def name(self, flag: str, kind: VesselKind) -> str:
        """Draw an unused ship name fitting the flag and kind (at most 20 characters)."""
        for attempt in range(10_000):
            if kind is VesselKind.LEISURE:
                base = _LEISURE_NAMES[int(self._rng.integers(len(_LEISURE_NAMES)))]
            else:
                words = _WORDS[flag]
                base = words[int(self._rng.integers(len(words)))]
                suffix = _KIND_SUFFIX.get(kind, "")
                if suffix:
                    base = f"{base} {suffix}"
            number = int(self._rng.integers(1, 100)) if attempt or kind != VesselKind.FERRY else 0
            candidate = f"{base} {number}" if number else base
            candidate = candidate[:20]
            if candidate not in self._names:
                self._names.add(candidate)
                return candidate
        raise InputError(f"ran out of names for flag={flag!r} kind={kind.value!r}")

    def vessel(
        self, flag: str, kind: VesselKind, route: str = "", name: str = ""
    ) -> VesselIdentity:
        """Draw a complete identity for one vessel of ``flag`` and ``kind``."""
        ais_class = "B" if kind is VesselKind.LEISURE else "A"
        bow, stern, port, starboard = _DIMENSIONS_M[kind]
        has_imo = kind not in (VesselKind.LEISURE, VesselKind.FISHING)
        if name:
            if name in self._names:
                raise InputError(f"name={name!r} is already taken")
            self._names.add(name)
        draught = {VesselKind.TANKER: 6.5, VesselKind.RIVER_SEA: 4.2, VesselKind.FERRY: 5.0}
        return VesselIdentity(
            mmsi=self.mmsi(flag),
            name=name or self.name(flag, kind),
            callsign=self.callsign(flag),
            imo=self.imo() if has_imo else None,
            ship_type=SHIP_TYPE[kind],
            flag=flag,
            kind=kind,
            ais_class=ais_class,
            to_bow_m=bow,
            to_stern_m=stern,
            to_port_m=port,
            to_starboard_m=starboard,
            draught_m=draught.get(kind, 3.0),
            route=route,
        )
