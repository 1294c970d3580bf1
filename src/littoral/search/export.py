"""Plans out to files units can load (GPX routes, GeoJSON, KML), and flown tracks back in.

GPX 1.1 (topografix.com/GPX/1/1) routes carry the pattern waypoints in order, the first
being the commence search point; GeoJSON (RFC 7946) carries areas, tracks and the figures of
each assignment; KML 2.2 (OGC 07-147r2) the same for Google Earth-style viewers. Tracks
recorded by units come back from GPX track (``trk``) or route (``rte``) elements.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from littoral.errors import InputError
from littoral.search.allocation import Assignment, SearchPlan
from littoral.search.detection import DetectionLaw
from littoral.search.frame import FloatArray
from littoral.search.patterns import Pattern

GPX_NS = "http://www.topografix.com/GPX/1/1"


TRANSIT = "transit"
"""GPX ``<type>`` of the transit routes (``read_gpx`` leaves them out: no search there)."""


def _rte(lon: FloatArray, lat: FloatArray, prefix: str, times: np.ndarray | None = None) -> str:
    def when(i: int) -> str:
        if times is None or times.size == 0:
            return ""
        return f"<time>{times[i].astype('datetime64[s]')!s}Z</time>"

    return "\n".join(
        f'    <rtept lat="{la:.6f}" lon="{lo:.6f}">{when(i)}<name>{prefix}{i + 1:03d}</name>'
        "</rtept>"
        for i, (lo, la) in enumerate(zip(lon, lat, strict=True))
    )


def gpx_route(
    pattern: Pattern,
    *,
    name: str | None = None,
    transit_out: tuple[FloatArray, FloatArray] | None = None,
    transit_back: tuple[FloatArray, FloatArray] | None = None,
    times: np.ndarray | None = None,
) -> str:
    """GPX 1.1 document with the pattern as one route; waypoints WP001, WP002, ...

    ``times`` (``datetime64``, one per waypoint) are the planned times at each waypoint. With
    the transits (base to CSP, last waypoint to base, round land for vessels), they come
    as two more routes of ``<type>transit</type>`` before and after the pattern.
    """
    label = escape(name if name is not None else pattern.name or str(pattern.kind))
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<gpx version="1.1" creator="littoral" xmlns="{GPX_NS}">']  # fmt: skip
    if transit_out is not None:
        parts.append(
            f"  <rte>\n    <name>{label} transit out</name>\n    <type>{TRANSIT}</type>\n"
            f"{_rte(*transit_out, 'TO')}\n  </rte>"
        )
    parts.append(
        f"  <rte>\n    <name>{label}</name>\n    <desc>{escape(str(pattern.kind))} "
        f"search, track spacing {pattern.spacing_nm:.2f} NM, "
        f"length {pattern.length_nm:.1f} NM; first point is the CSP</desc>\n"
        f"{_rte(pattern.lon, pattern.lat, 'WP', times)}\n  </rte>"
    )
    if transit_back is not None:
        parts.append(
            f"  <rte>\n    <name>{label} transit back</name>\n    <type>{TRANSIT}</type>\n"
            f"{_rte(*transit_back, 'TB')}\n  </rte>"
        )
    return "\n".join(parts) + "\n</gpx>\n"


def assignment_gpx(a: Assignment, *, timed: bool = False) -> str:
    """Return the unit's GPX: transit out, the pattern, transit back.

    With ``timed`` (and a timed plan) the search waypoints carry their planned times, so
    ``search update`` judges each leg against the cloud of its time.
    """
    if a.pattern is None:
        raise InputError(f"unit {a.unit.name!r} has no pattern in this plan")
    times = a.track(a.window.arrive).times if timed and a.window is not None else None
    return gpx_route(a.pattern, transit_out=a.route_out, transit_back=a.route_back, times=times)


def _ring(a: Assignment) -> list[list[float]]:
    if a.outline is None:
        return []
    lon, lat = a.outline
    return [[round(float(x), 6), round(float(y), 6)] for x, y in zip(lon, lat, strict=True)]


def assignment_figures(a: Assignment) -> dict[str, float]:
    """Return an assignment's area, spacing, coverage, POD, POC and POS, rounded for reports."""
    return {
        "area_nm2": round(a.area_nm2, 2),
        "spacing_nm": round(a.spacing_nm, 3),
        "coverage": round(a.coverage, 3),
        "pod": round(a.pod, 4),
        "poc": round(a.poc, 4),
        "pos": round(a.pos, 4),
    }


def assignment_properties(a: Assignment) -> dict[str, Any]:
    """Return the figures of one assignment as plain JSON values."""
    return {
        "unit": a.unit.name,
        "state": a.unit.state,
        "platform": str(a.unit.platform),
        "base": a.unit.base_name,
        "pattern": str(a.unit.pattern),
        "sweep_width_nm": round(a.sweep_width.corrected_nm, 3),
        **assignment_figures(a),
        "transit_nm": round(a.transit_nm, 1),
        "time_on_scene_h": round(a.time_on_scene_h, 2),
        "track_length_nm": round(a.pattern.length_nm, 1) if a.pattern is not None else 0.0,
        "note": a.note,
        **_window_properties(a),
    }


def iso_second(t: datetime) -> str:
    """Return a time as ISO 8601 to the second: planned times are not known to a microsecond.

    Examples
    --------
    >>> from datetime import UTC
    >>> iso_second(datetime(2026, 3, 1, 9, 32, 49, 989207, tzinfo=UTC))
    '2026-03-01T09:32:49+00:00'
    """
    return t.replace(microsecond=0).isoformat()


def _window_properties(a: Assignment) -> dict[str, Any]:
    w = a.window
    if w is None:
        return {}
    out: dict[str, Any] = {
        "depart": iso_second(w.depart),
        "on_scene": iso_second(w.arrive),
        "leave": iso_second(w.leave),
        "search_end": iso_second(w.search_end),
        "first_light": iso_second(w.first_light) if w.first_light else None,
    }
    if w.conditions is not None:
        out.update(
            wind_kn=round(w.conditions.wind_kn, 1), sea_m=w.conditions.sea_m,
            visibility_nm=w.conditions.visibility_nm, weather_source=w.conditions.source,
        )  # fmt: skip
    return out


def plan_geojson(plan: SearchPlan) -> dict[str, Any]:
    """GeoJSON FeatureCollection: per unit its area, its track and its CSP."""
    features: list[dict[str, Any]] = []
    for a in plan.assignments:
        props = assignment_properties(a)
        if a.rect is None or a.pattern is None:
            continue
        features.append(
            {"type": "Feature", "properties": {**props, "role": "area"},
             "geometry": {"type": "Polygon", "coordinates": [_ring(a)]}}
        )  # fmt: skip
        line = [
            [round(float(x), 6), round(float(y), 6)]
            for x, y in zip(a.pattern.lon, a.pattern.lat, strict=True)
        ]
        features.append(
            {"type": "Feature", "properties": {"unit": a.unit.name, "role": "track"},
             "geometry": {"type": "LineString", "coordinates": line}}
        )  # fmt: skip
        for role, route in (("transit-out", a.route_out), ("transit-back", a.route_back)):
            if route is not None:
                features.append(
                    {"type": "Feature", "properties": {"unit": a.unit.name, "role": role},
                     "geometry": {"type": "LineString", "coordinates": [
                         [round(float(x), 6), round(float(y), 6)]
                         for x, y in zip(route[0], route[1], strict=True)]}}
                )  # fmt: skip
        csp = a.pattern.commence_search_point
        features.append(
            {"type": "Feature", "properties": {"unit": a.unit.name, "role": "csp"},
             "geometry": {"type": "Point", "coordinates": [round(csp[0], 6), round(csp[1], 6)]}}
        )  # fmt: skip
    return {
        "type": "FeatureCollection",
        "features": features,
        "littoral": {
            "pos": round(plan.pos, 4),
            "bound_pos": round(plan.bound.pos, 4),
            "ratio_to_bound": round(plan.ratio_to_bound, 4),
            **{k: round(v, 4) for k, v in plan.extra.items()},
            "search_object": plan.model.search_object,
            "visibility_nm": plan.model.visibility_nm,
            "units": [assignment_properties(a) for a in plan.assignments],
            "detection": plan_detection(plan),
        },
    }


def plan_detection(plan: SearchPlan) -> dict[str, Any]:
    """Return the plan's detection model in full precision, as ``search update`` reads it."""
    m = plan.model
    return {
        "law": str(m.law),
        "search_object": m.search_object,
        "units": {
            a.unit.name: {"sweep_width_nm": a.sweep_width.corrected_nm, "spacing_nm": a.spacing_nm}
            for a in plan.assignments
            if a.pattern is not None
        },
    }


@dataclass(frozen=True)
class PlanDetection:
    """A written plan's detection model: its POD law and each unit's sweep width and spacing."""

    law: DetectionLaw
    sweep_width_nm: dict[str, float]
    spacing_nm: dict[str, float]


def read_plan_detection(path: str | Path) -> PlanDetection:
    """Read the detection model recorded in a ``plan.geojson`` written by ``search plan``.

    Raises
    ------
    InputError
        For a missing file, bad JSON, or a file without the plan's detection record.
    """
    import json

    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"plan file {str(p)!r} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"plan file {str(p)!r} is not JSON: {exc}") from None
    det = doc.get("littoral", {}).get("detection") if isinstance(doc, dict) else None
    if not isinstance(det, dict) or not isinstance(det.get("units"), dict):
        raise InputError(
            f"plan file {str(p)!r} has no littoral.detection record (write it with "
            "littoral search plan)"
        )
    try:
        law = DetectionLaw(str(det.get("law")))
    except ValueError:
        raise InputError(f"{p.name}: law={det.get('law')!r} is not a POD law") from None
    widths: dict[str, float] = {}
    spacings: dict[str, float] = {}
    for name, u in det["units"].items():
        try:
            widths[str(name)] = float(u["sweep_width_nm"])
            spacings[str(name)] = float(u["spacing_nm"])
        except (KeyError, TypeError, ValueError):
            raise InputError(
                f"{p.name}: unit {name!r} lacks sweep_width_nm or spacing_nm"
            ) from None
    return PlanDetection(law, widths, spacings)


def plan_kml(plan: SearchPlan) -> str:
    """KML 2.2 document with each unit's area and track."""
    marks: list[str] = []
    for a in plan.assignments:
        if a.rect is None or a.pattern is None:
            continue
        ring = " ".join(f"{x},{y},0" for x, y in _ring(a))
        line = " ".join(
            f"{x:.6f},{y:.6f},0" for x, y in zip(a.pattern.lon, a.pattern.lat, strict=True)
        )
        desc = escape(
            f"{a.unit.state} {a.unit.platform}: {a.unit.pattern}, S {a.spacing_nm:.2f} NM, "
            f"C {a.coverage:.2f}, POD {a.pod:.0%}, POC {a.poc:.0%}, POS {a.pos:.0%}"
        )
        name = escape(a.unit.name)
        marks.append(
            f"<Placemark><name>{name} area</name><description>{desc}</description>"
            f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates>"
            f"</LinearRing></outerBoundaryIs></Polygon></Placemark>"
        )
        marks.append(
            f"<Placemark><name>{name} track</name><LineString><coordinates>{line}"
            f"</coordinates></LineString></Placemark>"
        )
    body = "\n".join(marks)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>littoral search plan'
        f"</name>\n{body}\n</Document></kml>\n"
    )


@dataclass(frozen=True)
class GpxTrack:
    """A track or route read from GPX: name, positions, and times when recorded."""

    name: str
    lon: FloatArray
    lat: FloatArray
    times: np.ndarray


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _time(text: str | None, where: str) -> np.datetime64 | None:
    if not text:
        return None
    t = text.strip()
    if not (t.endswith("Z") or t.endswith("+00:00")):
        raise InputError(f"{where}: time {t!r} is not UTC (GPX times end in Z)")
    try:
        return np.datetime64(t.rstrip("Z").replace("+00:00", ""), "s")
    except ValueError:
        raise InputError(f"{where}: time {t!r} is not an ISO 8601 time") from None


def read_gpx(path: str | Path) -> list[GpxTrack]:
    """Tracks (each ``trkseg``) and routes of a GPX 1.0 or 1.1 file.

    Raises
    ------
    InputError
        For a missing or malformed file, a point without valid lat/lon, or no track at all.
    """
    p = Path(path)
    try:
        # a local file the user names; Python's expat refuses entity-expansion bombs
        root = ET.parse(p).getroot()  # noqa: S314
    except FileNotFoundError:
        raise InputError(f"GPX file {str(p)!r} does not exist") from None
    except ET.ParseError as exc:
        raise InputError(f"GPX file {str(p)!r} is not valid XML: {exc}") from None
    if _local(root.tag) != "gpx":
        raise InputError(f"{str(p)!r} is not a GPX file (root element {_local(root.tag)!r})")
    out: list[GpxTrack] = []
    for el in root:
        kind = _local(el.tag)
        if kind not in ("trk", "rte"):
            continue
        kind_of = next((c.text or "" for c in el if _local(c.tag) == "type"), "").strip()
        if kind_of == TRANSIT:
            continue  # transit: not searched
        name = next((c.text or "" for c in el if _local(c.tag) == "name"), "").strip()
        name = name or f"{kind}{len(out) + 1}"
        groups = [c for c in el if _local(c.tag) == "trkseg"] if kind == "trk" else [el]
        for seg in groups:
            pts = [c for c in seg if _local(c.tag) in ("trkpt", "rtept")]
            lon, lat, times = [], [], []
            for i, pt in enumerate(pts):
                where = f"{p.name}: {name} point {i + 1}"
                try:
                    la, lo = float(pt.attrib["lat"]), float(pt.attrib["lon"])
                except (KeyError, ValueError):
                    raise InputError(f"{where}: lat/lon missing or not a number") from None
                if not (-90 <= la <= 90 and -180 <= lo <= 180):
                    raise InputError(f"{where}: lat={la!r} lon={lo!r} out of range")
                lon.append(lo)
                lat.append(la)
                t_el = next((c for c in pt if _local(c.tag) == "time"), None)
                times.append(_time(t_el.text if t_el is not None else None, where))
            if len(lon) < 2:
                continue
            have = [t for t in times if t is not None]
            t_arr = (
                np.array(times, dtype="datetime64[s]")
                if len(have) == len(times)
                else np.zeros(0, dtype="datetime64[s]")
            )
            out.append(GpxTrack(name, np.array(lon), np.array(lat), t_arr))
    if not out:
        raise InputError(f"GPX file {str(p)!r} holds no track or route of two points or more")
    return out
