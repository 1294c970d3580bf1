"""Detection: corrected sweep width and probability of detection (POD) by coverage.

Sweep widths come from the US Coast Guard tables (Addendum to the IAMSAR Manual,
COMDTINST M16130.2F), interpolated linearly in visibility, in eye height (vessels, 8 and
14 ft) and in altitude (aircraft, helicopters, 300 to 3,000 ft). Corrections follow IAMSAR
Vol. II (ch. 5 and appendix N): weather 1.0 / 0.5 / 0.25 for persons in water, rafts and small
boats and 1.0 / 0.9 / 0.9 for other objects (wind below 15, 15 to 25, above 25 kn, or seas
0-1, 1-1.5, above 1.5 m, whichever is worse), fatigue 0.9, and the tables' speed factors for
aircraft and helicopters. Coverage is ``C = W / S``; POD is ``1 - exp(-C)`` for the
exponential (random search) law and ``erf(sqrt(pi) C / 2)`` for Koopman's inverse-cube law
over parallel tracks (Koopman 1946/1980, *Search and Screening*).

Where the tables say nothing, littoral decides, and says so here: visibility above the last
column uses the last column; below 1 NM the 1 NM width is scaled down in proportion (a
conservative choice, not a table value); eye heights outside 8 to 14 ft use the nearer table;
speeds outside a speed table use its nearer end; altitudes outside 300 to 3,000 ft are refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from scipy.special import erf

from littoral.errors import InputError
from littoral.search.sweep_tables import (
    AIRCRAFT_ALTITUDES_FT,
    VESSEL_EYE_HEIGHTS_FT,
    Platform,
    search_objects,
    speed_table,
    sweep_table,
    weather_classes,
)

FATIGUE_FACTOR = 0.9
"""IAMSAR fatigue correction, applied when the crew is tired."""


class DetectionLaw(StrEnum):
    """How POD follows from coverage."""

    EXPONENTIAL = "exponential"
    INVERSE_CUBE = "inverse-cube"


def pod_exponential(coverage: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """POD of the exponential (random search) law, ``1 - exp(-C)``."""
    c = np.asarray(coverage, dtype=np.float64)
    return -np.expm1(-np.maximum(c, 0.0))


def pod_inverse_cube(coverage: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """POD of the inverse-cube law over parallel tracks, ``erf(sqrt(pi) C / 2)``."""
    c = np.asarray(coverage, dtype=np.float64)
    return np.asarray(erf(math.sqrt(math.pi) * np.maximum(c, 0.0) / 2.0), dtype=np.float64)


def pod(coverage: npt.ArrayLike, law: DetectionLaw) -> npt.NDArray[np.float64]:
    """POD by coverage for the given law."""
    if law is DetectionLaw.EXPONENTIAL:
        return pod_exponential(coverage)
    return pod_inverse_cube(coverage)


def coverage_factor(sweep_width_nm: float, spacing_nm: float) -> float:
    """IAMSAR coverage factor ``C = W / S``."""
    if not spacing_nm > 0:
        raise InputError(f"spacing_nm={spacing_nm!r} must be > 0")
    return sweep_width_nm / spacing_nm


def weather_factor(search_object: str, *, wind_kn: float = 0.0, sea_m: float = 0.0) -> float:
    """IAMSAR weather correction for the worse of wind and sea."""
    if not (math.isfinite(wind_kn) and wind_kn >= 0):
        raise InputError(f"wind_kn={wind_kn!r} must be >= 0")
    if not (math.isfinite(sea_m) and sea_m >= 0):
        raise InputError(f"sea_m={sea_m!r} must be >= 0")
    band = 0
    if wind_kn > 25 or sea_m > 1.5:
        band = 2
    elif wind_kn >= 15 or sea_m > 1.0:
        band = 1
    small = weather_classes()[_check_object(search_object)] == "small"
    return (1.0, 0.5, 0.25)[band] if small else (1.0, 0.9, 0.9)[band]


def _check_object(search_object: str) -> str:
    names = search_objects()
    if search_object not in names:
        raise InputError(
            f"search object {search_object!r} is not in the sweep width tables; "
            f"one of: {', '.join(names)}"
        )
    return search_object


def _interp_visibility(axis: np.ndarray, row: np.ndarray, visibility_nm: float) -> float:
    if visibility_nm < axis[0]:
        return float(row[0] * visibility_nm / axis[0])
    return float(np.interp(visibility_nm, axis, row))


def uncorrected_sweep_width_nm(
    search_object: str,
    platform: Platform,
    visibility_nm: float,
    *,
    height_ft: float,
) -> float:
    """Table sweep width, NM, interpolated in visibility and eye height / altitude.

    ``height_ft`` is the observer's eye height for a vessel and the search altitude for an
    aircraft or helicopter.
    """
    _check_object(search_object)
    if not (math.isfinite(visibility_nm) and visibility_nm >= 0):
        raise InputError(f"visibility_nm={visibility_nm!r} must be >= 0")
    if platform is Platform.VESSEL:
        levels: tuple[int, ...] = VESSEL_EYE_HEIGHTS_FT
        h = min(max(height_ft, levels[0]), levels[-1])
    else:
        levels = AIRCRAFT_ALTITUDES_FT
        if not (levels[0] <= height_ft <= levels[-1]):
            raise InputError(
                f"altitude_ft={height_ft!r} is outside the sweep width tables "
                f"({levels[0]}..{levels[-1]} ft)"
            )
        h = height_ft
    widths = []
    for lv in levels:
        t = sweep_table(platform, lv)
        widths.append(_interp_visibility(t.axis, t.row(search_object), visibility_nm))
    return float(np.interp(h, np.array(levels, dtype=np.float64), np.array(widths)))


def speed_factor(search_object: str, platform: Platform, speed_kn: float) -> float:
    """Speed correction from the tables (air platforms); 1.0 for vessels."""
    _check_object(search_object)
    if not (math.isfinite(speed_kn) and speed_kn > 0):
        raise InputError(f"speed_kn={speed_kn!r} must be > 0")
    if platform is Platform.VESSEL:
        return 1.0
    t = speed_table(platform)
    return float(np.interp(speed_kn, t.axis, t.row(search_object)))


@dataclass(frozen=True)
class SweepWidth:
    """A corrected sweep width and the factors that made it.

    Attributes
    ----------
    uncorrected_nm:
        Table value for the object, platform, height and visibility.
    weather, speed, fatigue:
        Correction factors.
    """

    uncorrected_nm: float
    weather: float
    speed: float
    fatigue: float

    @property
    def corrected_nm(self) -> float:
        """Corrected sweep width ``W = W0 * fw * fv * ff``, NM."""
        return self.uncorrected_nm * self.weather * self.speed * self.fatigue


@dataclass(frozen=True)
class DetectionModel:
    """Conditions of a search: object, visibility, weather, and the detection law.

    Attributes
    ----------
    search_object:
        Row of the sweep width tables (see :mod:`littoral.search.objects` for Leeway classes).
    visibility_nm:
        Meteorological visibility.
    wind_kn, sea_m:
        Wind speed and significant wave height, for the weather correction.
    law:
        POD law used by the planner (exponential by default).
    """

    search_object: str
    visibility_nm: float
    wind_kn: float = 0.0
    sea_m: float = 0.0
    law: DetectionLaw = DetectionLaw.EXPONENTIAL

    def __post_init__(self) -> None:
        _check_object(self.search_object)
        if not (math.isfinite(self.visibility_nm) and self.visibility_nm > 0):
            raise InputError(f"visibility_nm={self.visibility_nm!r} must be > 0")
        weather_factor(self.search_object, wind_kn=self.wind_kn, sea_m=self.sea_m)

    def sweep_width(
        self, platform: Platform, *, height_ft: float, speed_kn: float, fatigue: bool = False
    ) -> SweepWidth:
        """Corrected sweep width of a platform searching for this object."""
        return SweepWidth(
            uncorrected_nm=uncorrected_sweep_width_nm(
                self.search_object, platform, self.visibility_nm, height_ft=height_ft
            ),
            weather=weather_factor(self.search_object, wind_kn=self.wind_kn, sea_m=self.sea_m),
            speed=speed_factor(self.search_object, platform, speed_kn),
            fatigue=FATIGUE_FACTOR if fatigue else 1.0,
        )

    def pod(self, coverage: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """POD by coverage under this model's law."""
        return pod(coverage, self.law)
