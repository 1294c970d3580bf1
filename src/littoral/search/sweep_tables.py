"""The US Coast Guard sweep width tables, read from the files shipped with littoral.

Source: US Coast Guard Addendum to the IAMSAR Manual (COMDTINST M16130.2F), as published
under PDDL-1.0 by canterbury-air-patrol (``data/sweep_width_uscg/SOURCE.md``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

HELICOPTER_ALTITUDES_FT = (300, 500, 750, 1000, 1500, 2000, 2500, 3000)
AIRCRAFT_ALTITUDES_FT = HELICOPTER_ALTITUDES_FT
VESSEL_EYE_HEIGHTS_FT = (8, 14)


class Platform(StrEnum):
    """Kind of search platform, as the tables distinguish them."""

    VESSEL = "vessel"
    HELICOPTER = "helicopter"
    AIRCRAFT = "aircraft"


@dataclass(frozen=True)
class Table:
    """One table: rows are search objects, columns a numeric axis (visibility NM, speed kn)."""

    axis: FloatArray
    objects: tuple[str, ...]
    values: FloatArray  # (n_objects, n_axis)

    def row(self, search_object: str) -> FloatArray:
        """Values for one search object."""
        return np.asarray(self.values[self.objects.index(search_object)], dtype=np.float64)


def _read(name: str) -> Table:
    text = (
        resources.files("littoral.search")
        .joinpath("data", "sweep_width_uscg", name)
        .read_text(encoding="utf-8")
    )
    rows = list(csv.reader(text.splitlines()))
    axis = np.array([float(v) for v in rows[0][1:]], dtype=np.float64)
    objects = tuple(r[0].strip() for r in rows[1:] if r)
    values = np.array([[float(v) for v in r[1:]] for r in rows[1:] if r], dtype=np.float64)
    return Table(axis=axis, objects=objects, values=values)


@lru_cache(maxsize=32)
def sweep_table(platform: Platform, height_ft: int) -> Table:
    """Uncorrected sweep widths for a platform at an eye height (vessel) or altitude (air)."""
    prefix = {
        Platform.VESSEL: "Boat",
        Platform.HELICOPTER: "Helicopter",
        Platform.AIRCRAFT: "Aircraft",
    }[platform]
    return _read(f"{prefix}-{height_ft}ft.csv")


@lru_cache(maxsize=4)
def speed_table(platform: Platform) -> Table:
    """Speed-correction factors by search speed (kn) for an air platform."""
    name = {
        Platform.HELICOPTER: "Helicopter_speed_modifier.csv",
        Platform.AIRCRAFT: "Aircraft_speed_modifier.csv",
    }[platform]
    return _read(name)


@lru_cache(maxsize=1)
def weather_classes() -> dict[str, str]:
    """Weather-correction class of each search object: ``"small"`` or ``"large"``."""
    text = (
        resources.files("littoral.search")
        .joinpath("data", "sweep_width_uscg", "weather_correction_types.csv")
        .read_text(encoding="utf-8")
    )
    return {r[0].strip(): r[1].strip() for r in csv.reader(text.splitlines()) if r}


def search_objects() -> tuple[str, ...]:
    """Names of the search objects of the tables (e.g. ``"Raft 4 person"``)."""
    return sweep_table(Platform.VESSEL, 8).objects
