"""On-scene wind and current of the exercise day: a northerly Khazri over the Middle Caspian.

The Khazri is the cold northerly of the Absheron coast, at gale force in its strong episodes
(over 29 m/s with gusts near 40 m/s); the scenario plays a moderate one that builds from about
10 m/s to a near-gale of 16-18 m/s and eases in the evening. The surface current is the
southward coastal flow of the western Middle Caspian, 0.2-0.4 m/s, reinforced by the wind.
Facts from the project's reference notes (``data/README.md``, Met-ocean facts).

Directions follow ``docs/conventions.md``: wind is "from", current is "toward".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from littoral.clock import require_utc

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class OnScene:
    """Hourly on-scene observations: wind (from) and surface current (toward).

    Attributes
    ----------
    times:
        ``datetime64[s]`` UTC, hourly.
    wind_speed_ms, wind_from_deg:
        10 m wind speed (m/s) and the direction it blows from.
    current_speed_ms, current_to_deg:
        Surface current speed (m/s) and the direction it sets toward.
    """

    times: npt.NDArray[np.datetime64]
    wind_speed_ms: F64
    wind_from_deg: F64
    current_speed_ms: F64
    current_to_deg: F64

    def epoch_s(self) -> F64:
        """Return the times as seconds since 1970-01-01 UTC."""
        return self.times.astype("datetime64[s]").astype(np.int64).astype(np.float64)

    def wind_uv_ms(self) -> tuple[F64, F64]:
        """Eastward and northward wind components, m/s (CF ``u10``/``v10``, "toward")."""
        to = np.radians(self.wind_from_deg + 180.0)
        return self.wind_speed_ms * np.sin(to), self.wind_speed_ms * np.cos(to)

    def current_uv_ms(self) -> tuple[F64, F64]:
        """Eastward and northward current components, m/s (CF ``uo``/``vo``)."""
        to = np.radians(self.current_to_deg)
        return self.current_speed_ms * np.sin(to), self.current_speed_ms * np.cos(to)

    def at(self, time_s: F64) -> tuple[F64, F64, F64, F64]:
        """Wind u, v and current u, v (m/s) linearly interpolated at epoch seconds ``time_s``."""
        t = self.epoch_s()
        wu, wv = self.wind_uv_ms()
        cu, cv = self.current_uv_ms()
        return (
            np.interp(time_s, t, wu),
            np.interp(time_s, t, wv),
            np.interp(time_s, t, cu),
            np.interp(time_s, t, cv),
        )


def khazri_day(rng: np.random.Generator, start: datetime, hours: float) -> OnScene:
    """Draw an hourly on-scene series of a northerly Khazri from ``start`` for ``hours`` hours.

    The series starts one hour before ``start`` and runs a day past the end, so that drift
    and search after the traffic day stay covered.
    """
    start = require_utc(start, "start")
    first = start - timedelta(hours=1)
    n = int(np.ceil(hours)) + 26
    h = np.arange(n, dtype=np.float64)
    # build to a near-gale at about 40 % of the day, ease after
    peak_h = 1.0 + 0.4 * hours
    envelope = np.exp(-0.5 * ((h - peak_h) / max(6.0, 0.35 * hours)) ** 2)
    wind = 9.5 + 7.5 * envelope + rng.normal(0.0, 0.6, n)
    wind_from = (355.0 + 8.0 * np.sin(h / 7.0) + rng.normal(0.0, 4.0, n)) % 360.0
    current = 0.22 + 0.012 * (wind - 9.5) + rng.normal(0.0, 0.02, n)
    current_to = 165.0 + 6.0 * np.sin(h / 9.0) + rng.normal(0.0, 3.0, n)
    times = np.array(
        [np.datetime64(int((first + timedelta(hours=float(k))).timestamp()), "s") for k in h],
        dtype="datetime64[s]",
    )
    return OnScene(
        times=times,
        wind_speed_ms=np.round(np.clip(wind, 3.0, 30.0), 1).astype(np.float64),
        wind_from_deg=np.round(wind_from, 0),
        current_speed_ms=np.round(np.clip(current, 0.05, 1.0), 2).astype(np.float64),
        current_to_deg=np.round(current_to % 360.0, 0),
    )
