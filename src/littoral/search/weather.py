"""On-scene weather for detection: wind, sea and visibility at a unit's search time.

The IAMSAR weather correction of the sweep width (Vol. II, ch. 5 and app. N) needs the wind
speed and the sea state where and when the unit searches, and the sweep width tables need the
meteorological visibility. littoral takes each value, in this order, from what the user or the
case gives, then from the forcing the drift run was made with (its record
``forcing_wind``: a constant wind, a CSV series or a CF NetCDF file, read again and sampled
at the time and place); a value that neither gives is refused, naming it, never taken as
zero.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from littoral.clock import require_utc
from littoral.errors import InputError
from littoral.units import ms_to_kn

if TYPE_CHECKING:
    from littoral.drift import DriftResult, ForcingReader


@dataclass(frozen=True, kw_only=True)
class OnScene:
    """Conditions on scene for one unit's search.

    Attributes
    ----------
    wind_kn, sea_m, visibility_nm:
        Wind speed, significant wave height and meteorological visibility.
    source:
        Where each value came from, for the plan's summary.
    """

    wind_kn: float
    sea_m: float
    visibility_nm: float
    source: str


@dataclass(frozen=True, kw_only=True)
class WeatherGiven:
    """Values given by the user or the case (``None``: not given)."""

    wind_kn: float | None = None
    sea_m: float | None = None
    visibility_nm: float | None = None

    def __post_init__(self) -> None:
        for name in ("wind_kn", "sea_m", "visibility_nm"):
            v = getattr(self, name)
            if v is not None and not (math.isfinite(v) and v >= 0):
                raise InputError(f"{name}={v!r} must be a number >= 0")
        if self.visibility_nm is not None and not self.visibility_nm > 0:
            raise InputError(f"visibility_nm={self.visibility_nm!r} must be > 0")


class Weather:
    """Resolve the conditions on scene at a time and place.

    Parameters
    ----------
    given:
        Values given by the user or the case; they win.
    wind_reader:
        The drift's wind forcing, when it can be read again (see :func:`wind_from_drift`).
    wind_record:
        What the drift recorded about its wind, for messages.
    """

    def __init__(
        self,
        given: WeatherGiven,
        wind_reader: ForcingReader | None = None,
        wind_record: str = "",
    ) -> None:
        self.given = given
        self.wind_reader = wind_reader
        self.wind_record = wind_record

    def at(self, time: datetime, lon: float, lat: float) -> OnScene:
        """Conditions at ``time`` (UTC) and ``(lon, lat)``.

        Raises
        ------
        InputError
            Naming each value that is not known.
        """
        time = require_utc(time, "time")
        when = f"{time:%Y-%m-%dT%H:%MZ} near {lat:.3f}N {lon:.3f}E"
        parts: list[str] = []
        wind = self.given.wind_kn
        if wind is not None:
            parts.append("wind given")
        elif self.wind_reader is not None:
            wind = self._sample_wind(time, lon, lat)
            parts.append(f"wind from the drift forcing ({self.wind_record})")
        missing = []
        if wind is None:
            why = (
                f" (the drift records its wind as {self.wind_record!r})" if self.wind_record else ""
            )
            missing.append(f"wind speed (--wind-kn){why}")
        if self.given.sea_m is None:
            missing.append("sea state (--sea-m, significant wave height)")
        if self.given.visibility_nm is None:
            missing.append("visibility (--visibility-nm)")
        if missing:
            raise InputError(f"on-scene weather at {when} is not known: give {'; '.join(missing)}")
        parts.append("sea and visibility given")
        return OnScene(
            wind_kn=float(wind or 0.0), sea_m=float(self.given.sea_m or 0.0),
            visibility_nm=float(self.given.visibility_nm or 0.0), source="; ".join(parts),
        )  # fmt: skip

    def _sample_wind(self, time: datetime, lon: float, lat: float) -> float:
        assert self.wind_reader is not None
        got = self.wind_reader.sample(
            ["eastward_wind", "northward_wind"], time, np.array([lon]), np.array([lat])
        )
        u = float(got["eastward_wind"][0])
        v = float(got["northward_wind"][0])
        if not (math.isfinite(u) and math.isfinite(v)):
            raise InputError(
                f"the drift's wind forcing ({self.wind_record}) has no value at "
                f"{time:%Y-%m-%dT%H:%MZ} near {lat:.3f}N {lon:.3f}E; give --wind-kn"
            )
        return float(ms_to_kn(math.hypot(u, v)))


_CONSTANT = re.compile(r"constant wind from (?P<d>[-+0-9.eE]+) deg at (?P<s>[-+0-9.eE]+) kn")
_SERIES = re.compile(r"wind observations (?P<f>.+)$")
_FILE = re.compile(r"^file (?P<f>\S+) \(")


def wind_from_drift(
    result: DriftResult, search_dirs: Sequence[Path] = ()
) -> tuple[ForcingReader | None, str]:
    """Return the drift run's wind forcing, read again from its record, and the record.

    A constant wind is rebuilt from the record; a CSV series or NetCDF file is opened again
    when found in ``search_dirs``. Returns ``(None, record)`` when it cannot be read.
    """
    from littoral.drift import ConstantForcing, NetCDFForcing, ObservationSeries

    record = result.attrs.get("forcing_wind", "").strip()
    m = _CONSTANT.search(record)
    if m:
        return ConstantForcing.from_observation(wind=(float(m["d"]), float(m["s"]))), record
    for pattern, opener in ((_SERIES, "csv"), (_FILE, "nc")):
        f = pattern.search(record)
        if not f:
            continue
        for d in search_dirs:
            path = d / f["f"]
            if path.is_file():
                if opener == "csv":
                    return ObservationSeries.from_csv("wind", path), record
                return NetCDFForcing(path), record
    return None, record
