"""Search scenarios: several weighted stories of what happened, each with a mix of objects.

SAROPS (Kratzke, Stone and Frost 2010, "Search and Rescue Optimal Planning System", Proc.
13th Int. Conf. on Information Fusion) builds its probability map from several weighted
scenarios: a last known position, a voyage (a track line whose time of distress is not
known), an area. Each scenario carries its own mix of search objects (a person in the water
0.6, a life raft 0.4) and transitions between them (the vessel sinks and a raft drifts on
after a time). The prior is the weighted mixture; a search that finds nothing moves weight
between scenarios by Bayes' rule.

A :class:`Scenario` is the record; :func:`scenario_from_mapping` reads one from the JSON or
TOML a user, the API or the store gives, naming any bad value. Scenario weights and object
fractions are relative: they are normalised (:func:`normalised_weights`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, get_args

from littoral.clock import require_utc
from littoral.drift.seeding import LineSeed, PointSeed, PolygonSeed, Seed
from littoral.errors import InputError, NotFoundError
from littoral.units import M_PER_NM

ScenarioKind = Literal["position", "track", "area"]
"""``position``: last known position and radius; ``track``: a voyage line over a time
window; ``area``: a polygon."""

MAX_SCENARIOS = 16
MAX_OBJECTS = 6


@dataclass(frozen=True, kw_only=True, slots=True)
class ObjectShare:
    """One search object of a scenario and its (relative) share of the scenario."""

    object_class: str
    fraction: float


@dataclass(frozen=True, kw_only=True, slots=True)
class Transition:
    """``from_object`` becomes ``to_object`` ``after_h`` hours after the scenario's start."""

    from_object: str
    to_object: str
    after_h: float


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A weighted story of the distress: where and when, and what drifts.

    Attributes
    ----------
    name:
        Unique within the case (``"A"``, ``"voyage"``).
    weight:
        Relative weight (>= 0); 0 keeps the scenario on record but out of the map.
    kind:
        ``position``, ``track`` or ``area``.
    lon, lat:
        The position, or the start of the track.
    to_lon, to_lat:
        The end of the track (``track`` only).
    radius_nm:
        Standard deviation of the position (``position``) or across the track, NM.
    ring:
        The area's outer ring, ``[(lon, lat), ...]`` (``area`` only).
    time:
        Time of the position, of the start of the track, or of the area.
    time_end:
        End of the time window (``track``: the object was on the line at some time between
        ``time`` and ``time_end``, in proportion along it); else ``None``.
    objects:
        The search objects and their fractions.
    transitions:
        Object changes after a time.
    reason:
        Why the weight is what it is (the last change's reason).
    """

    name: str
    weight: float
    kind: ScenarioKind
    time: datetime
    lon: float | None = None
    lat: float | None = None
    to_lon: float | None = None
    to_lat: float | None = None
    radius_nm: float = 1.0
    ring: tuple[tuple[float, float], ...] = ()
    time_end: datetime | None = None
    objects: tuple[ObjectShare, ...] = (ObjectShare(object_class="PIW-1", fraction=1.0),)
    transitions: tuple[Transition, ...] = ()
    reason: str = ""

    def __post_init__(self) -> None:
        where = f"scenario {self.name!r}"
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > 64:
            raise InputError(f"scenario name={self.name!r} must be 1 to 64 characters")
        _number(f"{where}: weight", self.weight, 0.0, math.inf)
        if self.kind not in get_args(ScenarioKind):
            raise InputError(f"{where}: kind={self.kind!r} must be one of {get_args(ScenarioKind)}")
        require_utc(self.time, f"{where}: time")
        _number(f"{where}: radius_nm", self.radius_nm, 0.0, 200.0)
        if self.kind in ("position", "track"):
            if self.lon is None or self.lat is None:
                raise InputError(f"{where}: a {self.kind} scenario needs lat and lon")
            _number(f"{where}: lon", self.lon, -180.0, 180.0)
            _number(f"{where}: lat", self.lat, -90.0, 90.0)
        if self.kind == "track":
            if self.to_lon is None or self.to_lat is None:
                raise InputError(f"{where}: a track scenario needs to_lat and to_lon")
            _number(f"{where}: to_lon", self.to_lon, -180.0, 180.0)
            _number(f"{where}: to_lat", self.to_lat, -90.0, 90.0)
        if self.kind == "area" and len(self.ring) < 3:
            raise InputError(f"{where}: an area scenario needs a ring of 3 or more points")
        if self.time_end is not None:
            end = require_utc(self.time_end, f"{where}: time_end")
            if end < self.time:
                raise InputError(
                    f"{where}: time_end={end.isoformat()} is before time={self.time.isoformat()}"
                )
        self._check_objects(where)

    def _check_objects(self, where: str) -> None:
        if not 1 <= len(self.objects) <= MAX_OBJECTS:
            raise InputError(f"{where}: needs 1 to {MAX_OBJECTS} objects, not {len(self.objects)}")
        keys = [_object_key(o.object_class, where) for o in self.objects]
        if len(set(keys)) != len(keys):
            raise InputError(f"{where}: an object is listed twice in {keys}")
        for o in self.objects:
            _number(f"{where}: fraction of {o.object_class}", o.fraction, 0.0, math.inf)
        if not sum(o.fraction for o in self.objects) > 0:
            raise InputError(f"{where}: the object fractions sum to zero")
        window_h = self.window().total_seconds() / 3600.0
        for t in self.transitions:
            if _object_key(t.from_object, where) not in keys:
                raise InputError(
                    f"{where}: transition from {t.from_object!r}, not one of its objects {keys}"
                )
            _object_key(t.to_object, where)
            _number(f"{where}: transition after_h", t.after_h, 0.0, 240.0)
            if t.after_h < window_h:
                raise InputError(
                    f"{where}: transition after_h={t.after_h!r} falls inside the release window "
                    f"({window_h:g} h)"
                )

    def window(self) -> timedelta:
        """Return the length of the time window (zero without one)."""
        return timedelta(0) if self.time_end is None else self.time_end - self.time

    def seeding(self) -> Seed:
        """Return the drift seeding of the scenario's geometry."""
        radius_m = self.radius_nm * M_PER_NM
        if self.kind == "area":
            return PolygonSeed(list(self.ring))
        lon, lat = float(self.lon or 0.0), float(self.lat or 0.0)  # checked on construction
        if self.kind == "position":
            return PointSeed(lon, lat, radius_m)
        return LineSeed(lon, lat, float(self.to_lon or 0.0), float(self.to_lat or 0.0), radius_m)

    def fractions(self) -> list[tuple[str, float]]:
        """Return ``(object_class, fraction)`` normalised to sum to one."""
        total = sum(o.fraction for o in self.objects)
        return [(o.object_class, o.fraction / total) for o in self.objects]

    def transition_of(self, object_class: str) -> Transition | None:
        """Return the transition of ``object_class``, if any."""
        for t in self.transitions:
            if t.from_object.upper() == object_class.upper():
                return t
        return None

    def to_mapping(self) -> dict[str, Any]:
        """Return the scenario as JSON values (read back by :func:`scenario_from_mapping`)."""
        out: dict[str, Any] = {
            "name": self.name,
            "weight": self.weight,
            "kind": self.kind,
            "time": self.time.isoformat(),
            "radius_nm": self.radius_nm,
            "objects": [
                {"object_class": o.object_class, "fraction": o.fraction} for o in self.objects
            ],
            "transitions": [
                {"from_object": t.from_object, "to_object": t.to_object, "after_h": t.after_h}
                for t in self.transitions
            ],
            "reason": self.reason,
        }
        for key in ("lon", "lat", "to_lon", "to_lat"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.ring:
            out["ring"] = [list(p) for p in self.ring]
        if self.time_end is not None:
            out["time_end"] = self.time_end.isoformat()
        return out


def _number(name: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{name}={value!r} must be a number")
    if not (math.isfinite(value) and low <= value <= high):
        raise InputError(f"{name}={value!r} must be in [{low:g}, {high:g}]")


def _object_key(name: str, where: str) -> str:
    from littoral.drift.objects import get_object

    try:
        return get_object(str(name)).key
    except NotFoundError as exc:
        raise InputError(f"{where}: {exc}") from exc


def _time(value: object, name: str) -> datetime:
    if isinstance(value, datetime):
        return require_utc(value, name)
    if not isinstance(value, str):
        raise InputError(f"{name}={value!r} must be an ISO 8601 time with a zone")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"{name}={value!r} is not an ISO 8601 time") from exc
    return require_utc(parsed, name)


def _float_or_none(values: Mapping[str, Any], key: str, where: str) -> float | None:
    value = values.get(key)
    if value is None:
        return None
    _number(f"{where}: {key}", value, -math.inf, math.inf)
    return float(value)


def scenario_from_mapping(
    values: Mapping[str, Any], default_time: datetime | None = None
) -> Scenario:
    """Read a scenario from JSON/TOML values; a bad value is an InputError naming it.

    Keys: ``name``, ``weight``, ``kind``, ``time`` (default ``default_time``), ``lat``,
    ``lon``, ``to_lat``, ``to_lon``, ``radius_nm``, ``ring``, ``time_end``, ``objects``
    (``[{object_class, fraction}]``, default a person in the water) and ``transitions``
    (``[{from_object, to_object, after_h}]``).
    """
    if not isinstance(values, Mapping):
        raise InputError(f"a scenario must be a table of values, not {values!r}")
    name = values.get("name")
    where = f"scenario {name!r}"
    known = {
        "name", "weight", "kind", "time", "lat", "lon", "to_lat", "to_lon", "radius_nm",
        "ring", "time_end", "objects", "transitions", "reason",
    }  # fmt: skip
    unknown = sorted(set(values) - known)
    if unknown:
        raise InputError(f"{where}: unknown field(s) {unknown}; known: {sorted(known)}")
    raw_time = values.get("time", default_time)
    if raw_time is None:
        raise InputError(f"{where}: needs a time")
    objects = values.get("objects")
    shares: tuple[ObjectShare, ...]
    if objects is None:
        shares = (ObjectShare(object_class="PIW-1", fraction=1.0),)
    elif isinstance(objects, Sequence) and not isinstance(objects, str):
        shares = tuple(
            ObjectShare(
                object_class=str(_get(o, "object_class", where)),
                fraction=_get(o, "fraction", where, 1.0),
            )
            for o in objects
        )
    else:
        raise InputError(f"{where}: objects={objects!r} must be a list of tables")
    transitions = tuple(
        Transition(
            from_object=str(_get(t, "from_object", where)),
            to_object=str(_get(t, "to_object", where)),
            after_h=_get(t, "after_h", where),
        )
        for t in values.get("transitions") or ()
    )
    ring = values.get("ring") or ()
    try:
        points = tuple((float(p[0]), float(p[1])) for p in ring)
    except (TypeError, ValueError, IndexError) as exc:
        raise InputError(f"{where}: ring={ring!r} must be a list of [lon, lat]") from exc
    end = values.get("time_end")
    return Scenario(
        name=str(name) if name is not None else "",
        weight=values.get("weight", 1.0),
        kind=values.get("kind", "position"),
        time=_time(raw_time, f"{where}: time"),
        lon=_float_or_none(values, "lon", where),
        lat=_float_or_none(values, "lat", where),
        to_lon=_float_or_none(values, "to_lon", where),
        to_lat=_float_or_none(values, "to_lat", where),
        radius_nm=values.get("radius_nm", 1.0),
        ring=points,
        time_end=None if end is None else _time(end, f"{where}: time_end"),
        objects=shares,
        transitions=transitions,
        reason=str(values.get("reason", "")),
    )


def _get(values: object, key: str, where: str, default: Any = None) -> Any:
    if not isinstance(values, Mapping):
        raise InputError(f"{where}: {values!r} must be a table")
    if key not in values and default is None:
        raise InputError(f"{where}: {key} is missing in {dict(values)!r}")
    return values.get(key, default)


def normalised_weights(scenarios: Sequence[Scenario]) -> list[float]:
    """Return the scenarios' weights normalised to sum to one; refuse none or all zero."""
    if not scenarios:
        raise InputError("no scenario given")
    if len(scenarios) > MAX_SCENARIOS:
        raise InputError(f"{len(scenarios)} scenarios given; at most {MAX_SCENARIOS}")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise InputError(f"scenario names must be unique: {names}")
    total = sum(s.weight for s in scenarios)
    if not total > 0:
        raise InputError("every scenario has weight 0: at least one must be possible")
    return [s.weight / total for s in scenarios]
