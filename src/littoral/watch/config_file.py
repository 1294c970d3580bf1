"""Read the watch rules file (TOML) into a :class:`~littoral.watch.config.WatchConfig`.

Every section and key is optional; what is absent keeps its documented default. A key that
is unknown, or a value of the wrong type or out of range, is refused with the key and the
value named, so a typo never silently leaves a default in force.

Examples
--------
.. code-block:: toml

    [engine]
    lateness_s = 600

    [encounter]
    preset = "short"          # 250 m for 30 min (Skylight)

    [[area]]
    name = "Kashagan"
    geojson = "kashagan.geojson"   # relative to this file
    non_littoral = true
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import tomllib
from pathlib import Path
from typing import Any

from littoral.errors import InputError
from littoral.records.alerts import Priority
from littoral.watch.config import (
    SHORT_ENCOUNTER,
    AreaConfig,
    DistressConfig,
    EncounterConfig,
    EngineConfig,
    GoingDarkConfig,
    IdentityConfig,
    IntegrityConfig,
    InterferenceConfig,
    LoiteringConfig,
    NonLittoralConfig,
    ScopeConfig,
    WatchConfig,
    ZoneConfig,
)

_SECTIONS: dict[str, type[Any]] = {
    "engine": EngineConfig,
    "non_littoral": NonLittoralConfig,
    "going_dark": GoingDarkConfig,
    "loitering": LoiteringConfig,
    "encounter": EncounterConfig,
    "integrity": IntegrityConfig,
    "distress": DistressConfig,
    "identity": IdentityConfig,
    "interference": InterferenceConfig,
    "scope": ScopeConfig,
}
_ARRAYS = ("area", "zone")
_LITTORAL = ("AZ", "IR", "KZ", "RU", "TM")

Polygon = tuple[tuple[tuple[float, float], ...], ...]


def load_config(path: str | Path) -> WatchConfig:
    """Read a rules file.

    Raises
    ------
    InputError
        If the file is missing, is not TOML, or a key or value is not allowed; the message
        names the key and the value.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise InputError(f"rules file {str(path)!r} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"rules file {str(path)!r} is not valid TOML: {exc}") from exc
    return config_from_mapping(data, base_dir=path.parent)


def config_from_mapping(data: dict[str, Any], base_dir: Path | None = None) -> WatchConfig:
    """Build a configuration from parsed TOML; ``base_dir`` resolves area GeoJSON paths."""
    unknown = set(data) - set(_SECTIONS) - set(_ARRAYS)
    if unknown:
        key = sorted(unknown)[0]
        raise InputError(f"unknown section {key!r}; known: {', '.join([*_SECTIONS, *_ARRAYS])}")
    values: dict[str, Any] = {}
    for name, cls in _SECTIONS.items():
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise InputError(f"{name}={table!r} must be a table ([{name}])")
        table = dict(table)
        if name == "encounter":
            preset = table.pop("preset", "standard")
            if preset == "short":
                table = {**SHORT_ENCOUNTER, **table}
            elif preset != "standard":
                raise InputError(f"encounter.preset={preset!r} must be 'standard' or 'short'")
        if name == "scope" and "zones" in table:
            raise InputError("scope.zones: give zones of interest as [[zone]] tables")
        values[name] = _build(name, cls, table)
    bad = [s for s in values["scope"].states if s not in _LITTORAL]
    if bad:
        raise InputError(f"scope.states={bad[0]!r} must be one of {', '.join(_LITTORAL)}")
    values["scope"] = dataclasses.replace(values["scope"], zones=_zones(data, base_dir))
    areas = data.get("area", [])
    if not isinstance(areas, list):
        raise InputError(f"area={areas!r} must be an array of tables ([[area]])")
    values["areas"] = tuple(_area(i, a, base_dir or Path.cwd()) for i, a in enumerate(areas))
    names = [a.name for a in values["areas"]]
    if len(set(names)) != len(names):
        raise InputError(f"area names must be unique: {names!r}")
    return WatchConfig(**values)


def _zones(data: dict[str, Any], base_dir: Path | None) -> tuple[ZoneConfig, ...]:
    tables = data.get("zone", [])
    if not isinstance(tables, list):
        raise InputError(f"zone={tables!r} must be an array of tables ([[zone]])")
    zones: list[ZoneConfig] = []
    for index, table in enumerate(tables):
        if not isinstance(table, dict):
            raise InputError(f"zone[{index}]={table!r} must be a table")
        table = dict(table)
        name = table.pop("name", None)
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"zone[{index}].name={name!r} must be a non-empty string")
        where = f"zone[{name!r}]"
        polygons = _shape(where, table, base_dir or Path.cwd())
        if table:
            key = sorted(table)[0]
            raise InputError(f"unknown key {where}.{key} (value {table[key]!r})")
        zones.append(ZoneConfig(name=name, polygons=polygons))
    return tuple(zones)


def _shape(where: str, table: dict[str, Any], base_dir: Path) -> tuple[Polygon, ...]:
    """Pop ``geojson`` or ``polygon`` from ``table`` and return its polygons."""
    if ("geojson" in table) == ("polygon" in table):
        raise InputError(f"{where} needs exactly one of 'geojson' (a file) or 'polygon'")
    if "geojson" in table:
        return _geojson_file(f"{where}.geojson", table.pop("geojson"), base_dir)
    return (_rings(f"{where}.polygon", [table.pop("polygon")]),)


def _build(section: str, cls: type[Any], table: dict[str, Any]) -> Any:
    known = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise InputError(f"unknown key {section}.{key} (value {value!r})")
        kwargs[key] = _check(f"{section}.{key}", str(known[key].type), value)
    return cls(**kwargs)


def _check(key: str, kind: str, value: Any) -> Any:
    if kind == "bool":
        if not isinstance(value, bool):
            raise InputError(f"{key}={value!r} must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise InputError(f"{key}={value!r} must be a whole number > 0")
        return value
    if kind in ("float", "float | None"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"{key}={value!r} must be a number")
        number = float(value)
        if not math.isfinite(number) or number < 0 or (number == 0 and kind == "float"):
            raise InputError(f"{key}={value!r} must be a finite number > 0")
        return number
    if kind == "str":
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{key}={value!r} must be a non-empty string")
        return value
    if kind == "tuple[int, ...]":
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 99 for v in value
        ):
            raise InputError(f"{key}={value!r} must be a list of AIS ship types 0-99")
        return tuple(value)
    if kind == "tuple[str, ...]":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise InputError(f"{key}={value!r} must be a list of non-empty strings")
        return tuple(v.upper() for v in value)
    raise InputError(f"{key}={value!r} cannot be set from a rules file")


def _area(index: int, table: Any, base_dir: Path) -> AreaConfig:
    where = f"area[{index}]"
    if not isinstance(table, dict):
        raise InputError(f"{where}={table!r} must be a table")
    table = dict(table)
    name = table.pop("name", None)
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{where}.name={name!r} must be a non-empty string")
    where = f"area[{name!r}]"
    polygons = _shape(where, table, base_dir)
    priority = table.pop("priority", "MEDIUM")
    if not isinstance(priority, str) or priority.upper() not in Priority.__members__:
        raise InputError(
            f"{where}.priority={priority!r} must be one of {', '.join(Priority.__members__)}"
        )
    known = {f.name: f for f in dataclasses.fields(AreaConfig)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known or key in ("name", "polygons", "priority"):
            raise InputError(f"unknown key {where}.{key} (value {value!r})")
        kwargs[key] = _check(f"{where}.{key}", str(known[key].type), value)
    lo, hi = kwargs.get("min_speed_kn"), kwargs.get("max_speed_kn")
    if lo is not None and hi is not None and lo > hi:
        raise InputError(f"{where}.min_speed_kn={lo!r} is above max_speed_kn={hi!r}")
    return AreaConfig(name=name, polygons=polygons, priority=priority.upper(), **kwargs)


def _geojson_file(key: str, value: Any, base_dir: Path) -> tuple[Polygon, ...]:
    if not isinstance(value, str):
        raise InputError(f"{key}={value!r} must be a file name")
    path = base_dir / value
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{key}={value!r}: file {str(path)!r} does not exist") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{key}={value!r} is not JSON: {exc}") from exc
    return geojson_polygons(key, doc)


def geojson_polygons(key: str, doc: Any) -> tuple[Polygon, ...]:
    """Return the polygons of a GeoJSON geometry, Feature or FeatureCollection."""
    if not isinstance(doc, dict):
        raise InputError(f"{key}: GeoJSON must be an object, got {type(doc).__name__}")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        features = doc.get("features") or []
        polygons = tuple(p for f in features for p in geojson_polygons(key, f))
    elif kind == "Feature":
        polygons = geojson_polygons(key, doc.get("geometry"))
    elif kind == "Polygon":
        polygons = (_rings(key, doc.get("coordinates")),)
    elif kind == "MultiPolygon":
        parts = doc.get("coordinates")
        if not isinstance(parts, list):
            raise InputError(f"{key}: MultiPolygon coordinates={parts!r} must be a list")
        polygons = tuple(_rings(key, p) for p in parts)
    else:
        raise InputError(f"{key}: GeoJSON type={kind!r} must be a (Multi)Polygon or Feature")
    if not polygons:
        raise InputError(f"{key}: GeoJSON holds no polygon")
    return polygons


def _rings(key: str, coords: Any) -> Polygon:
    from shapely.geometry import Polygon as ShapelyPolygon

    if not isinstance(coords, list) or not coords:
        raise InputError(f"{key}: polygon coordinates={coords!r} must be a list of rings")
    rings: list[tuple[tuple[float, float], ...]] = []
    for ring in coords:
        if not isinstance(ring, list) or len(ring) < 3:
            raise InputError(f"{key}: ring={ring!r} needs at least 3 [lon, lat] points")
        points: list[tuple[float, float]] = []
        for point in ring:
            ok = isinstance(point, list) and len(point) >= 2
            ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
            if not ok or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
                raise InputError(f"{key}: point {point!r} must be [lon, lat] in degrees")
            points.append((float(point[0]), float(point[1])))
        if points[0] != points[-1]:
            points.append(points[0])
        rings.append(tuple(points))
    shape = ShapelyPolygon(rings[0], rings[1:])
    if not shape.is_valid or shape.area == 0:
        raise InputError(f"{key}: polygon starting at {rings[0][0]!r} is not a valid area")
    return tuple(rings)


def defaults_toml() -> str:
    """Return a rules file that sets every key to its default, with one comment per key.

    Examples
    --------
    >>> config_from_mapping(tomllib.loads(defaults_toml())) == WatchConfig()
    True
    """
    import ast
    import inspect

    import littoral.watch.config as module

    notes: dict[tuple[str, str], str] = {}
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.ClassDef):
            body = node.body
            for here, after in itertools.pairwise(body):
                if (
                    isinstance(here, ast.AnnAssign)
                    and isinstance(here.target, ast.Name)
                    and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                ):
                    text = " ".join(str(after.value.value).split())
                    notes[(node.name, here.target.id)] = text
    lines = ["# littoral watch rules: every key at its default (see docs/watch.md)"]
    for name, cls in _SECTIONS.items():
        lines += ["", f"[{name}]"]
        for f in dataclasses.fields(cls):
            if f.name == "zones":
                continue  # [[zone]] tables
            note = notes.get((cls.__name__, f.name))
            if note:
                lines.append(f"# {note}")
            lines.append(f"{f.name} = {_toml_value(f.default)}")
    lines += ["", "# [[area]] and [[zone]] tables: see docs/watch.md", ""]
    return "\n".join(lines)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)
