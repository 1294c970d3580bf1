"""Search units (IAMSAR "search and rescue units"), and the TOML file that lists them.

A unit flies or sails from its base at transit speed, searches at its search speed and goes
home; its endurance pays for both ways. IAMSAR Vol. II (ch. 5) counts 85 % of the time on
scene as productive search (the rest goes to turns, checks and navigation); littoral does the
same with ``productive_fraction``.

**Sensors.** The sweep widths littoral bundles (IAMSAR Vol. II, Appendix N; the USCG tables,
:mod:`littoral.search.sweep_tables`) are for daylight visual search only. A unit searching
with night-vision goggles, FLIR or radar needs its own published sweep width: the unit gives
``sweep_width_nm`` with ``sweep_width_source`` (the table it comes from, for the conditions
on scene) and is then planned by day and by night. Without them such a unit is refused:
littoral does not invent a sweep width no table publishes.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from littoral.errors import InputError
from littoral.search.detection import FATIGUE_FACTOR, DetectionModel, SweepWidth
from littoral.search.patterns import PatternKind
from littoral.search.sweep_tables import Platform


class Sensor(StrEnum):
    """How a unit detects: by eye in daylight (bundled tables) or with an instrument."""

    VISUAL = "visual"
    NVG = "nvg"
    FLIR = "flir"
    RADAR = "radar"


STATES = ("AZ", "IR", "KZ", "RU", "TM")
PLATFORM_WORDS: dict[str, Platform] = {
    "vessel": Platform.VESSEL,
    "ship": Platform.VESSEL,
    "boat": Platform.VESSEL,
    "helicopter": Platform.HELICOPTER,
    "aircraft": Platform.AIRCRAFT,
    "fixed-wing": Platform.AIRCRAFT,
}
MIN_SPACING_NM: dict[Platform, float] = {
    Platform.VESSEL: 0.1,
    Platform.HELICOPTER: 0.25,
    Platform.AIRCRAFT: 0.5,
}
"""Smallest track spacing littoral plans per platform, NM (littoral's choice, documented in
docs/search.md): about a turning circle, and the spacing a crew can hold by hand on GNSS,
for a ship (0.1 NM = 185 m), a helicopter at 60-90 kn (0.25 NM) and a fixed-wing aircraft
at 150 kn or more (0.5 NM). A unit with more effort than its area needs at that spacing
searches a larger area instead."""

PLANNED_PATTERNS = (
    PatternKind.PARALLEL,
    PatternKind.CREEPING,
    PatternKind.EXPANDING_SQUARE,
    PatternKind.SECTOR,
)


@dataclass(frozen=True)
class SearchUnit:
    """A search unit and what it can do.

    Attributes
    ----------
    name, state:
        Call sign or name; ISO code of the state that commits it.
    platform:
        Vessel, helicopter or fixed-wing aircraft.
    speed_kn, transit_speed_kn:
        Search speed and transit speed.
    endurance_h:
        Total endurance from leaving base to return.
    base_lon, base_lat, base_name:
        Where it starts and returns.
    height_ft:
        Observer eye height (vessel) or search altitude (aircraft, helicopter).
    pattern:
        Pattern it will fly or sail.
    fatigue:
        Apply the IAMSAR fatigue correction.
    productive_fraction:
        Share of the time on scene that is search (IAMSAR: 0.85).
    reserve_h:
        Endurance kept in reserve at the return to base, hours (``None``: 10 % of the
        endurance, littoral's default; IAMSAR leaves the figure to each facility's rules).
    sensor:
        How it detects (:class:`Sensor`); anything but ``visual`` needs ``sweep_width_nm``.
    sweep_width_nm, sweep_width_source:
        A sweep width the unit brings from a published table (corrected for the conditions
        on scene) and that table's reference; ``None`` for the bundled daylight tables.
    """

    name: str
    state: str
    platform: Platform
    speed_kn: float
    endurance_h: float
    base_lon: float
    base_lat: float
    transit_speed_kn: float
    height_ft: float
    base_name: str = ""
    pattern: PatternKind = PatternKind.PARALLEL
    fatigue: bool = False
    productive_fraction: float = 0.85
    reserve_h: float | None = None
    sensor: Sensor = Sensor.VISUAL
    sweep_width_nm: float | None = None
    sweep_width_source: str = ""

    def __post_init__(self) -> None:
        where = f"unit {self.name!r}"
        if not self.name.strip():
            raise InputError("unit name must not be empty")
        if self.state not in STATES:
            raise InputError(f"{where}: state={self.state!r} is not one of {', '.join(STATES)}")
        for field_name in ("speed_kn", "endurance_h", "transit_speed_kn", "height_ft"):
            v = getattr(self, field_name)
            if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
                raise InputError(f"{where}: {field_name}={v!r} must be a number > 0")
        if not (0 < self.productive_fraction <= 1):
            raise InputError(
                f"{where}: productive_fraction={self.productive_fraction!r} must be in (0, 1]"
            )
        if self.reserve_h is not None and not (
            math.isfinite(self.reserve_h) and 0 <= self.reserve_h < self.endurance_h
        ):
            raise InputError(
                f"{where}: reserve_h={self.reserve_h!r} must be >= 0 and below the endurance"
            )
        if not (-180 <= self.base_lon <= 180 and -90 <= self.base_lat <= 90):
            raise InputError(f"{where}: base position {self.base_lat!r}, {self.base_lon!r} invalid")
        self._check_sensor(where)
        if self.pattern not in PLANNED_PATTERNS:
            raise InputError(
                f"{where}: pattern={self.pattern.value!r} cannot be planned over an area; "
                f"one of {', '.join(p.value for p in PLANNED_PATTERNS)}"
            )

    def _check_sensor(self, where: str) -> None:
        if self.sweep_width_nm is None:
            if self.sensor is not Sensor.VISUAL:
                raise InputError(
                    f"{where}: sensor={self.sensor.value!r} has no sweep width littoral may "
                    "use: the bundled tables (IAMSAR Vol. II, USCG) are daylight visual "
                    "search only; give sweep_width_nm and sweep_width_source from a published "
                    "table for this sensor and object"
                )
            return
        w = self.sweep_width_nm
        if isinstance(w, bool) or not (isinstance(w, int | float) and math.isfinite(w)):
            raise InputError(f"{where}: sweep_width_nm={w!r} must be a number")
        if not 0.01 <= w <= 50.0:
            raise InputError(f"{where}: sweep_width_nm={w!r} must be in 0.01..50 NM")
        if not self.sweep_width_source.strip():
            raise InputError(
                f"{where}: sweep_width_nm={w!r} needs sweep_width_source (the published "
                "table it comes from)"
            )

    @property
    def searches_at_night(self) -> bool:
        """Whether it may search in the dark (an instrument with its own sweep width)."""
        return self.sensor is not Sensor.VISUAL and self.sweep_width_nm is not None

    def sweep_width(self, model: DetectionModel) -> SweepWidth:
        """Corrected sweep width of this unit for the model's object and weather.

        A sweep width the unit brings is used as given (already corrected for the conditions
        on scene, as its table states them), with IAMSAR's fatigue factor when asked.
        """
        if self.sweep_width_nm is not None:
            fatigue = FATIGUE_FACTOR if self.fatigue else 1.0
            return SweepWidth(
                uncorrected_nm=float(self.sweep_width_nm), weather=1.0, speed=1.0, fatigue=fatigue
            )
        return model.sweep_width(
            self.platform, height_ft=self.height_ft, speed_kn=self.speed_kn, fatigue=self.fatigue
        )

    @property
    def min_spacing_nm(self) -> float:
        """Smallest track spacing this unit is given (:data:`MIN_SPACING_NM`)."""
        return MIN_SPACING_NM[self.platform]

    @property
    def reserve_hours(self) -> float:
        """Endurance kept in reserve, hours."""
        return self.reserve_h if self.reserve_h is not None else 0.1 * self.endurance_h

    def on_scene_hours(self, transit_nm: float) -> float:
        """Time on scene when the transits out and back total ``transit_nm`` (h)."""
        return max(0.0, self.endurance_h - self.reserve_hours - transit_nm / self.transit_speed_kn)

    def search_hours(self, distance_nm: float) -> float:
        """Productive search time left when the area lies ``distance_nm`` from base (h).

        Endurance less the reserve and the transit both ways, times the productive share.
        """
        return self.on_scene_hours(2.0 * distance_nm) * self.productive_fraction


def resolve_base(name: str) -> tuple[float, float, str]:
    """Look a base up in the places table: exact name, else a unique part of a name.

    Returns ``(lon, lat, full_name)``.
    """
    from littoral.geo.places import places

    every = places()
    wanted = name.strip().lower()
    exact = [p for p in every if p.name.lower() == wanted]
    found = exact or [p for p in every if wanted and wanted in p.name.lower()]
    if len(found) == 1:
        p = found[0]
        return float(p.lon), float(p.lat), str(p.name)
    if not found:
        raise InputError(f"base={name!r} is not in the places table; give base_lat and base_lon")
    names = "; ".join(str(p.name) for p in found[:6])
    raise InputError(f"base={name!r} matches several places ({names}); give more of the name")


def unit_from_mapping(entry: dict[str, Any], label: str) -> SearchUnit:
    """Build a unit from one TOML table; errors name ``label`` and the bad field."""
    known = {
        "name", "state", "type", "speed_kn", "endurance_h", "transit_speed_kn", "base",
        "base_lat", "base_lon", "eye_height_ft", "altitude_ft", "pattern", "fatigue",
        "productive_fraction", "reserve_h", "sensor", "sweep_width_nm", "sweep_width_source",
    }  # fmt: skip
    extra = sorted(set(entry) - known)
    if extra:
        raise InputError(f"{label}: unknown field(s) {', '.join(extra)}")

    def need(key: str) -> Any:
        if key not in entry:
            raise InputError(f"{label}: missing field {key!r}")
        return entry[key]

    def number(key: str, default: float | None = None) -> float:
        v = entry.get(key, default) if default is not None else need(key)
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v <= 0:
            raise InputError(f"{label}: {key}={v!r} must be a number > 0")
        return float(v)

    name = need("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{label}: name={name!r} must be a non-empty string")
    label = f"{label} ({name!r})"
    word = str(need("type")).lower()
    if word not in PLATFORM_WORDS:
        raise InputError(f"{label}: type={word!r} is not one of {', '.join(PLATFORM_WORDS)}")
    platform = PLATFORM_WORDS[word]
    vessel = platform is Platform.VESSEL
    height = number("eye_height_ft", 8.0) if vessel else number("altitude_ft")
    if "base" in entry:
        lon, lat, base_name = resolve_base(str(entry["base"]))
    else:
        lat = number_or_any(entry, "base_lat", label, -90, 90)
        lon = number_or_any(entry, "base_lon", label, -180, 180)
        base_name = f"{lat:.4f}N {lon:.4f}E"
    pattern_text = str(entry.get("pattern", PatternKind.PARALLEL.value))
    try:
        pattern = PatternKind(pattern_text)
    except ValueError:
        raise InputError(
            f"{label}: pattern={pattern_text!r} is not one of "
            f"{', '.join(p.value for p in PLANNED_PATTERNS)}"
        ) from None
    fatigue = entry.get("fatigue", False)
    if not isinstance(fatigue, bool):
        raise InputError(f"{label}: fatigue={fatigue!r} must be true or false")
    sensor_text = str(entry.get("sensor", Sensor.VISUAL.value)).lower()
    try:
        sensor = Sensor(sensor_text)
    except ValueError:
        raise InputError(
            f"{label}: sensor={sensor_text!r} is not one of {', '.join(s.value for s in Sensor)}"
        ) from None
    try:
        return SearchUnit(
            name=name,
            state=str(need("state")).upper(),
            platform=platform,
            speed_kn=number("speed_kn"),
            endurance_h=number("endurance_h"),
            base_lon=lon,
            base_lat=lat,
            base_name=base_name,
            transit_speed_kn=number("transit_speed_kn", number("speed_kn")),
            height_ft=height,
            pattern=pattern,
            fatigue=fatigue,
            productive_fraction=float(entry.get("productive_fraction", 0.85)),
            reserve_h=number("reserve_h") if "reserve_h" in entry else None,
            sensor=sensor,
            sweep_width_nm=entry.get("sweep_width_nm"),
            sweep_width_source=str(entry.get("sweep_width_source", "")),
        )
    except InputError as exc:
        raise InputError(f"{label}: {exc}") from None


def number_or_any(entry: dict[str, Any], key: str, label: str, lo: float, hi: float) -> float:
    """Read a required number in ``[lo, hi]`` (a coordinate)."""
    if key not in entry:
        raise InputError(f"{label}: give base (a place name) or base_lat and base_lon")
    v = entry[key]
    if isinstance(v, bool) or not isinstance(v, int | float) or not (lo <= v <= hi):
        raise InputError(f"{label}: {key}={v!r} must be a number in [{lo}, {hi}]")
    return float(v)


def load_units(path: str | Path) -> list[SearchUnit]:
    """Read the ``[[unit]]`` tables of a units TOML file.

    Raises
    ------
    InputError
        For a missing file, bad TOML, or a bad field (named with the unit's position and name).
    """
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"units file {str(p)!r} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"units file {str(p)!r} is not valid TOML: {exc}") from None
    entries = data.get("unit")
    if not isinstance(entries, list) or not entries:
        raise InputError(f"units file {str(p)!r} has no [[unit]] table")
    units = [unit_from_mapping(e, f"{p.name}: unit {i + 1}") for i, e in enumerate(entries)]
    names = [u.name for u in units]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"{p.name}: unit name(s) used twice: {', '.join(dup)}")
    return units
