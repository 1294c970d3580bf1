"""What a state shares with the others: AIS by area and ship type, alerts by kind, cases.

Read from the state's TOML file (``docs/federation.md``) and enforced by the publishing
centre, before anything leaves it::

    [ais]
    share = true                      # false: no AIS at all
    areas = [[[49.0, 40.0], [51.0, 40.0], [51.0, 42.0], [49.0, 42.0]]]  # lon, lat rings
    ship_types = ["60-69", 70]        # only these (omit: every type)
    withhold_ship_types = [35]        # never these (military operations)
    unknown_ship_type = "withhold"    # a vessel whose type is not yet known

    [alerts]
    share = ["distress", "going_dark"]   # or "all", or "none"

    [cases]
    share_joint = true                # cases marked joint, with their updates

Every key is checked: an unknown key, a wrong type or a bad value raises ``InputError``
naming the file and the key. A position is shared when AIS is shared, the position lies in
one of the areas (when given) and the vessel's ship type (ITU-R M.1371 table 53, the last
one received) is allowed; a static report when its vessel's type is allowed and its last
position (when areas are given) lies in an area.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from littoral.errors import InputError
from littoral.records.alerts import Alert
from littoral.records.reports import PositionReport, StaticReport

_SECTIONS: dict[str, set[str]] = {
    "ais": {"share", "areas", "ship_types", "withhold_ship_types", "unknown_ship_type"},
    "alerts": {"share"},
    "cases": {"share_joint"},
}


@dataclass(frozen=True, slots=True, kw_only=True)
class SharePolicy:
    """What one centre publishes. The default shares all AIS and every alert, no case."""

    ais: bool = True
    areas: tuple[tuple[tuple[float, float], ...], ...] = ()
    ship_types: frozenset[int] | None = None
    withhold_ship_types: frozenset[int] = frozenset()
    unknown_ship_type_shared: bool = True
    alert_kinds: frozenset[str] | None = None
    joint_cases: bool = False
    _shapes: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.areas:
            from shapely import Polygon, prepare, union_all

            shape = union_all([Polygon(ring) for ring in self.areas])
            prepare(shape)
            object.__setattr__(self, "_shapes", shape)

    def type_shared(self, ship_type: int | None) -> bool:
        """Whether a vessel of ``ship_type`` (``None``: not known yet) is shared."""
        if ship_type is None:
            return self.unknown_ship_type_shared
        if ship_type in self.withhold_ship_types:
            return False
        return self.ship_types is None or ship_type in self.ship_types

    def in_areas(self, lon: Sequence[float], lat: Sequence[float]) -> np.ndarray:
        """Whether each point is in a shared area (every point when no area is given)."""
        if self._shapes is None:
            return np.ones(len(lon), dtype=bool)
        from shapely import contains_xy

        return np.asarray(contains_xy(self._shapes, np.asarray(lon), np.asarray(lat)))

    def positions(
        self, reports: Sequence[PositionReport], ship_type: Callable[[int], int | None]
    ) -> list[PositionReport]:
        """Return the positions this centre shares, in order."""
        if not self.ais or not reports:
            return []
        inside = self.in_areas([r.lon for r in reports], [r.lat for r in reports])
        return [
            r for r, ok in zip(reports, inside.tolist(), strict=True)
            if ok and self.type_shared(ship_type(r.mmsi))
        ]  # fmt: skip

    def statics(
        self,
        reports: Sequence[StaticReport],
        ship_type: Callable[[int], int | None],
        position: Callable[[int], tuple[float, float] | None],
    ) -> list[StaticReport]:
        """Return the static reports this centre shares, in order."""
        if not self.ais:
            return []
        shared = []
        for r in reports:
            kind = r.ship_type if r.ship_type is not None else ship_type(r.mmsi)
            if not self.type_shared(kind):
                continue
            if self._shapes is not None:
                where = position(r.mmsi)
                if where is None or not bool(self.in_areas([where[0]], [where[1]])[0]):
                    continue
            shared.append(r)
        return shared

    def alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Return the alerts this centre shares."""
        kinds = self.alert_kinds
        return [a for a in alerts if kinds is None or a.rule in kinds]


def _types(value: Any, key: str) -> frozenset[int]:
    if not isinstance(value, list):
        raise InputError(f"{key}={value!r} must be a list of ship types (0-99) or 'a-b' ranges")
    found: set[int] = set()
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 99:
            found.add(item)
            continue
        if isinstance(item, str) and "-" in item:
            low, _, high = item.partition("-")
            if low.strip().isdigit() and high.strip().isdigit():
                a, b = int(low), int(high)
                if 0 <= a <= b <= 99:
                    found.update(range(a, b + 1))
                    continue
        raise InputError(f"{key}: {item!r} is not a ship type 0-99 nor a range like '70-79'")
    return frozenset(found)


def _areas(value: Any, key: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    if not isinstance(value, list):
        raise InputError(f"{key}={value!r} must be a list of polygons ([[lon, lat], ...])")
    rings = []
    for i, ring in enumerate(value):
        ok = isinstance(ring, list) and len(ring) >= 3
        points: list[tuple[float, float]] = []
        for point in ring if ok else []:
            if (
                isinstance(point, list)
                and len(point) == 2
                and all(isinstance(c, int | float) and not isinstance(c, bool) for c in point)
                and -180 <= point[0] <= 180
                and -90 <= point[1] <= 90
            ):
                points.append((float(point[0]), float(point[1])))
            else:
                ok = False
        if not ok:
            raise InputError(f"{key}[{i}]={ring!r} must be at least 3 [lon, lat] points in degrees")
        rings.append(tuple(points))
    return tuple(rings)


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"{key}={value!r} must be true or false")
    return value


def policy_from_dict(data: dict[str, Any], where: str = "policy") -> SharePolicy:
    """Return the policy of a parsed TOML document; ``where`` names it in errors."""
    for section, value in data.items():
        if section not in _SECTIONS:
            raise InputError(
                f"{where}: unknown section {section!r} (known: {', '.join(sorted(_SECTIONS))})"
            )
        if not isinstance(value, dict):
            raise InputError(f"{where}: {section!r} must be a table ([{section}])")
        for key in value:
            if key not in _SECTIONS[section]:
                known = ", ".join(sorted(_SECTIONS[section]))
                raise InputError(f"{where}: unknown key {section}.{key!r} (known: {known})")
    ais = data.get("ais", {})
    alerts = data.get("alerts", {})
    cases = data.get("cases", {})
    unknown = ais.get("unknown_ship_type", "share")
    if unknown not in ("share", "withhold"):
        raise InputError(
            f"{where}: ais.unknown_ship_type={unknown!r} must be 'share' or 'withhold'"
        )
    kinds_value = alerts.get("share", "all")
    kinds: frozenset[str] | None
    if kinds_value == "all":
        kinds = None
    elif kinds_value == "none":
        kinds = frozenset()
    elif isinstance(kinds_value, list) and all(isinstance(k, str) for k in kinds_value):
        kinds = frozenset(kinds_value)
    else:
        raise InputError(
            f"{where}: alerts.share={kinds_value!r} must be 'all', 'none' or a list of rules"
        )
    return SharePolicy(
        ais=_bool(ais.get("share", True), f"{where}: ais.share"),
        areas=_areas(ais["areas"], f"{where}: ais.areas") if "areas" in ais else (),
        ship_types=(
            _types(ais["ship_types"], f"{where}: ais.ship_types") if "ship_types" in ais else None
        ),
        withhold_ship_types=_types(
            ais.get("withhold_ship_types", []), f"{where}: ais.withhold_ship_types"
        ),
        unknown_ship_type_shared=unknown == "share",
        alert_kinds=kinds,
        joint_cases=_bool(cases.get("share_joint", False), f"{where}: cases.share_joint"),
    )


def load_policy(path: Path) -> SharePolicy:
    """Read a policy TOML file; ``InputError`` names the file and the bad key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"policy file {str(path)!r} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"policy file {str(path)!r} is not valid TOML: {exc}") from exc
    return policy_from_dict(data, f"policy file {str(path)!r}")
