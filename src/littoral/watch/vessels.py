"""What the watch keeps per vessel: identity, and the last position, as growable arrays.

Rules work on whole batches at once, so per-vessel facts live in numpy arrays indexed by a
dense vessel number (assigned in order of first appearance); the MMSI-to-number map is the
only per-record dictionary access, done once per distinct MMSI of a batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from littoral.records.reports import StaticReport

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class Kind(IntEnum):
    """What an MMSI identifies (ITU-R M.585), as far as the watch cares."""

    SHIP = 0
    ATON = 1
    SAR_AIRCRAFT = 2
    DISTRESS_DEVICE = 3
    """AIS-SART (970), MOB (972) or EPIRB-AIS (974)."""
    OTHER = 4
    """Coast stations, groups, craft of a parent ship, handhelds: not ships on their own."""
    INVALID = 5


@dataclass(frozen=True, slots=True)
class Identity:
    """What the MMSI alone tells about a station."""

    kind: Kind
    flag: str | None
    """Flag state code (ISO 3166 alpha-2) from the MID, or ``None``."""
    flag_name: str
    """The flag in words for reasons, e.g. ``"Panama"``; ``"unknown flag"`` when none."""
    littoral: bool


IdentityLookup = Callable[[int], Identity]


class _Static(NamedTuple):
    """What static reports told of a vessel so far, as received."""

    name: str | None
    ship_type: int | None
    callsign: str | None
    imo: int | None


_NOTHING = _Static(None, None, None, None)


def clean_text(text: str | None) -> str | None:
    """Return an AIS text without its padding (``@``, spaces) and in one case; None if empty.

    >>> clean_text(" Shirvan  star@@@ "), clean_text("@@@")
    ('SHIRVAN STAR', None)
    """
    if text is None:
        return None
    words = text.replace("@", " ").upper().split()
    return " ".join(words) or None


class Vessels:
    """Per-vessel arrays of one engine.

    Parameters
    ----------
    identify
        MMSI to :class:`Identity` (flag and kind), called once per new MMSI.
    service_ship_types
        AIS ship types counted as service vessels (tugs, supply, pilot...).
    """

    def __init__(self, identify: IdentityLookup, service_ship_types: tuple[int, ...]) -> None:
        self._identify = identify
        self._service = frozenset(service_ship_types)
        self.index: dict[int, int] = {}
        self._sorted_mmsi: IntArray = np.zeros(0, np.int64)
        self._sorted_number: IntArray = np.zeros(0, np.int64)
        self._static_seen: dict[int, _Static] = {}
        self.identities: list[Identity] = []
        self.names: list[str | None] = []
        self.ship_types: list[int | None] = []
        self.callsigns: list[str | None] = []
        self.imos: list[int | None] = []
        self.n = 0
        self._cap = 0
        self.mmsi: IntArray = np.zeros(0, np.int64)
        self.last_t: FloatArray = np.zeros(0)
        self.last_lon: FloatArray = np.zeros(0)
        self.last_lat: FloatArray = np.zeros(0)
        self.n_reports: IntArray = np.zeros(0, np.int64)
        self.kind: npt.NDArray[np.int8] = np.zeros(0, np.int8)
        self.non_littoral: BoolArray = np.zeros(0, bool)
        self.service: BoolArray = np.zeros(0, bool)
        self.scope: npt.NDArray[np.int8] = np.zeros(0, np.int8)
        """Scope class of each vessel's latest position (``littoral.watch.scope``); 2
        (watched) until it has one."""
        self._grow(1024)

    def _grow(self, cap: int) -> None:
        def grown(a: npt.NDArray[np.generic], fill: object) -> npt.NDArray[np.generic]:
            out = np.full(cap, fill, dtype=a.dtype)
            out[: self.n] = a[: self.n]
            return out

        self.mmsi = grown(self.mmsi, 0)  # type: ignore[assignment]
        self.last_t = grown(self.last_t, np.nan)  # type: ignore[assignment]
        self.last_lon = grown(self.last_lon, np.nan)  # type: ignore[assignment]
        self.last_lat = grown(self.last_lat, np.nan)  # type: ignore[assignment]
        self.n_reports = grown(self.n_reports, 0)  # type: ignore[assignment]
        self.kind = grown(self.kind, 0)  # type: ignore[assignment]
        self.non_littoral = grown(self.non_littoral, False)  # type: ignore[assignment]
        self.service = grown(self.service, False)  # type: ignore[assignment]
        self.scope = grown(self.scope, 2)  # type: ignore[assignment]
        self._cap = cap

    def lookup(self, mmsis: IntArray) -> tuple[IntArray, list[int]]:
        """Return the vessel number of each MMSI, adding new ones; and the new numbers."""
        keys = self._sorted_mmsi
        out = np.empty(len(mmsis), np.int64)
        found = np.zeros(len(mmsis), dtype=bool)
        if len(keys):
            at = np.minimum(np.searchsorted(keys, mmsis), len(keys) - 1)
            found = keys[at] == mmsis
            out[found] = self._sorted_number[at[found]]
        new: list[int] = []
        if not found.all():
            for k in np.flatnonzero(~found).tolist():
                mmsi = int(mmsis[k])
                number = self.index.get(mmsi)
                if number is None:
                    number = self._add(mmsi)
                    new.append(number)
                out[k] = number
            self._sort()
        return out, new

    def _sort(self) -> None:
        order = np.argsort(self.mmsi[: self.n], kind="stable")
        self._sorted_mmsi = self.mmsi[: self.n][order]
        self._sorted_number = order.astype(np.int64)

    def _add(self, mmsi: int) -> int:
        if self.n == self._cap:
            self._grow(self._cap * 2)
        number = self.n
        self.n += 1
        self.index[mmsi] = number
        identity = self._identify(mmsi)
        self.identities.append(identity)
        self.names.append(None)
        self.ship_types.append(None)
        self.callsigns.append(None)
        self.imos.append(None)
        self.mmsi[number] = mmsi
        self.kind[number] = identity.kind
        self.non_littoral[number] = identity.kind == Kind.SHIP and not identity.littoral
        return number

    def number(self, mmsi: int) -> int:
        """Return the vessel number of one MMSI, adding it if new."""
        number = self.index.get(mmsi)
        if number is None:
            number = self._add(mmsi)
            self._sort()
        return number

    def changes(self, reports: list[StaticReport]) -> list[StaticReport]:
        """Return those of these static reports that would change what is known."""
        return [r for r in reports if self._changes(r)]

    def _changes(self, report: StaticReport) -> bool:
        seen = self._static_seen.get(report.mmsi, _NOTHING)
        given = _Static(report.name, report.ship_type, report.callsign, report.imo)
        return any(new is not None and new != old for new, old in zip(given, seen, strict=True))

    def apply_static(self, report: StaticReport) -> None:
        """Take the name, ship type, call sign and IMO number of a static report."""
        if not self._changes(report):
            return  # static data repeats every few minutes; most reports change nothing
        seen = self._static_seen.get(report.mmsi, _NOTHING)
        given = _Static(report.name, report.ship_type, report.callsign, report.imo)
        self._static_seen[report.mmsi] = _Static(
            seen.name if given.name is None else given.name,
            seen.ship_type if given.ship_type is None else given.ship_type,
            seen.callsign if given.callsign is None else given.callsign,
            seen.imo if given.imo is None else given.imo,
        )
        number = self.number(report.mmsi)
        name = clean_text(report.name)
        if name:
            self.names[number] = name
        callsign = clean_text(report.callsign)
        if callsign:
            self.callsigns[number] = callsign
        if report.imo:  # 0: not available
            self.imos[number] = report.imo
        if report.ship_type is not None:
            self.ship_types[number] = report.ship_type
            self.service[number] = report.ship_type in self._service

    def label(self, number: int) -> str:
        """Return how a reason names a vessel: ``"ALPHA (Panama, 352001234)"``."""
        identity = self.identities[number]
        name = self.names[number]
        mmsi = int(self.mmsi[number])
        flag = identity.flag_name
        return f"{name} ({flag}, {mmsi})" if name else f"{mmsi} ({flag})"

    def facts(self, number: int) -> dict[str, object]:
        """Return identity facts for an alert's details."""
        identity = self.identities[number]
        return {
            "mmsi": int(self.mmsi[number]),
            "name": self.names[number],
            "flag": identity.flag,
            "ship_type": self.ship_types[number],
        }
