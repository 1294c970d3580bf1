"""Search patterns of IAMSAR Vol. II (ch. 5): waypoints, track length and time.

Parallel sweep (PS), creeping line (CS), expanding square (SS), sector (VS) and track line,
return (TSR) and non-return (TSN). Geometry is laid out in a local Lambert azimuthal
equal-area plane (NM) and the waypoints are given back in degrees. The first waypoint is the
commence search point (CSP). Legs of a parallel sweep or creeping line lie ``S / 2`` inside
the edges of the area, so the area is covered edge to edge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError
from littoral.search.frame import FloatArray, GridFrame


class PatternKind(StrEnum):
    """IAMSAR search patterns."""

    PARALLEL = "parallel"
    CREEPING = "creeping-line"
    EXPANDING_SQUARE = "expanding-square"
    SECTOR = "sector"
    TRACK_LINE_RETURN = "track-line-return"
    TRACK_LINE_NON_RETURN = "track-line-non-return"


@dataclass(frozen=True)
class Pattern:
    """A search pattern as waypoints.

    Attributes
    ----------
    kind:
        The IAMSAR pattern.
    lon, lat:
        Waypoints in order, degrees; the first is the commence search point.
    spacing_nm:
        Track spacing ``S`` (for a sector search, the leg length).
    name:
        Label for exports (usually the unit's name).
    """

    kind: PatternKind
    lon: FloatArray
    lat: FloatArray
    spacing_nm: float
    name: str = ""
    x_nm: FloatArray = field(default_factory=lambda: np.zeros(0), repr=False)
    y_nm: FloatArray = field(default_factory=lambda: np.zeros(0), repr=False)

    @property
    def commence_search_point(self) -> tuple[float, float]:
        """``(lon, lat)`` of the first waypoint."""
        return float(self.lon[0]), float(self.lat[0])

    @property
    def length_nm(self) -> float:
        """Total track length from CSP to the last waypoint, NM."""
        if self.x_nm.size >= 2:
            return float(np.hypot(np.diff(self.x_nm), np.diff(self.y_nm)).sum())
        if self.lon.size < 2:
            return 0.0
        frame = GridFrame.local(float(np.mean(self.lon)), float(np.mean(self.lat)))
        x, y = frame.to_xy_nm(self.lon, self.lat)
        return float(np.hypot(np.diff(x), np.diff(y)).sum())

    def duration_h(self, speed_kn: float) -> float:
        """Time to run the pattern at ``speed_kn``, hours."""
        if not speed_kn > 0:
            raise InputError(f"speed_kn={speed_kn!r} must be > 0")
        return self.length_nm / speed_kn


def _unit(bearing_deg: float) -> tuple[float, float]:
    b = math.radians(bearing_deg)
    return math.sin(b), math.cos(b)  # east, north


def _make(
    kind: PatternKind, frame: GridFrame, x: FloatArray, y: FloatArray, spacing: float, name: str
) -> Pattern:
    lon, lat = frame.to_lonlat(x, y)
    return Pattern(kind, lon, lat, float(spacing), name, np.asarray(x), np.asarray(y))


def _check_positive(**values: float) -> None:
    for k, v in values.items():
        if not (math.isfinite(v) and v > 0):
            raise InputError(f"{k}={v!r} must be > 0")


def sweep_xy(
    cx: float,
    cy: float,
    length_nm: float,
    width_nm: float,
    spacing_nm: float,
    major_axis_deg: float = 0.0,
    *,
    creeping: bool = False,
) -> tuple[FloatArray, FloatArray]:
    """Plane waypoints of a parallel sweep (legs along the major axis) or creeping line.

    ``length_nm`` lies along ``major_axis_deg``, ``width_nm`` across it; a creeping line runs
    its legs across the major axis and progresses along it.
    """
    _check_positive(length_nm=length_nm, width_nm=width_nm, spacing_nm=spacing_nm)
    ue, un = _unit(major_axis_deg)
    ve, vn = un, -ue  # 90 degrees to the right of the major axis
    leg, across = (width_nm, length_nm) if creeping else (length_nm, width_nm)
    n = max(1, round(across / spacing_nm))
    s = across / n
    pts_a: list[float] = []
    pts_b: list[float] = []
    for k in range(n):
        off = -across / 2 + s * (k + 0.5)
        ends = (-leg / 2, leg / 2) if k % 2 == 0 else (leg / 2, -leg / 2)
        for e in ends:
            pts_a.append(e)
            pts_b.append(off)
    a = np.array(pts_a)
    b = np.array(pts_b)
    if creeping:  # legs across the major axis, progress along it
        a, b = b, a
    return cx + a * ue + b * ve, cy + a * un + b * vn


def parallel_sweep(
    centre_lon: float,
    centre_lat: float,
    length_nm: float,
    width_nm: float,
    spacing_nm: float,
    *,
    major_axis_deg: float = 0.0,
    name: str = "",
) -> Pattern:
    """Lay out a parallel sweep (PS) over a rectangle; legs along the major axis."""
    frame = GridFrame.local(centre_lon, centre_lat)
    x, y = sweep_xy(0.0, 0.0, length_nm, width_nm, spacing_nm, major_axis_deg)
    return _make(PatternKind.PARALLEL, frame, x, y, spacing_nm, name)


def creeping_line(
    centre_lon: float,
    centre_lat: float,
    length_nm: float,
    width_nm: float,
    spacing_nm: float,
    *,
    major_axis_deg: float = 0.0,
    name: str = "",
) -> Pattern:
    """Lay out a creeping line (CS): legs across the major axis, progressing along it."""
    frame = GridFrame.local(centre_lon, centre_lat)
    x, y = sweep_xy(0.0, 0.0, length_nm, width_nm, spacing_nm, major_axis_deg, creeping=True)
    return _make(PatternKind.CREEPING, frame, x, y, spacing_nm, name)


def expanding_square_xy(
    cx: float, cy: float, side_nm: float, spacing_nm: float, first_leg_deg: float = 0.0
) -> tuple[FloatArray, FloatArray]:
    """Plane waypoints of an expanding square: legs S, S, 2S, 2S, ..., turning right."""
    _check_positive(side_nm=side_nm, spacing_nm=spacing_nm)
    k_max = max(1, round(side_nm / spacing_nm))
    lengths = [k * spacing_nm for k in range(1, k_max + 1) for _ in range(2)]
    lengths.append(k_max * spacing_nm)
    x, y = [cx], [cy]
    heading = first_leg_deg
    for length in lengths:
        e, n = _unit(heading)
        x.append(x[-1] + length * e)
        y.append(y[-1] + length * n)
        heading = (heading + 90.0) % 360.0
    return np.array(x), np.array(y)


def expanding_square(
    datum_lon: float,
    datum_lat: float,
    side_nm: float,
    spacing_nm: float,
    *,
    first_leg_deg: float = 0.0,
    name: str = "",
) -> Pattern:
    """Lay out an expanding square (SS) from the datum over a square of about ``side_nm``."""
    frame = GridFrame.local(datum_lon, datum_lat)
    x, y = expanding_square_xy(0.0, 0.0, side_nm, spacing_nm, first_leg_deg)
    return _make(PatternKind.EXPANDING_SQUARE, frame, x, y, spacing_nm, name)


def sector_xy(
    cx: float, cy: float, radius_nm: float, first_leg_deg: float = 0.0
) -> tuple[FloatArray, FloatArray]:
    """Plane waypoints of a sector search (VS) about ``(cx, cy)``: nine legs of the radius."""
    _check_positive(radius_nm=radius_nm)
    x, y = [0.0], [0.0]
    for i in range(3):
        h = first_leg_deg + 240.0 * i
        for turn in (0.0, 120.0, 240.0):
            e, n = _unit(h + turn)
            x.append(x[-1] + radius_nm * e)
            y.append(y[-1] + radius_nm * n)
        x[-1], y[-1] = 0.0, 0.0  # closes on the datum (rounding)
    return cx + np.array(x), cy + np.array(y)


def sector_search(
    datum_lon: float,
    datum_lat: float,
    radius_nm: float,
    *,
    first_leg_deg: float = 0.0,
    name: str = "",
) -> Pattern:
    """Lay out a sector search (VS): three equilateral triangles of side ``radius_nm``.

    Nine legs of ``radius_nm``, turning right 120 degrees; the three outbound legs are 120
    degrees apart, so the six 60-degree sectors of the circle are crossed.
    """
    _check_positive(radius_nm=radius_nm)
    frame = GridFrame.local(datum_lon, datum_lat)
    x, y = [0.0], [0.0]
    for i in range(3):
        h = first_leg_deg + 240.0 * i
        for turn in (0.0, 120.0, 240.0):
            e, n = _unit(h + turn)
            x.append(x[-1] + radius_nm * e)
            y.append(y[-1] + radius_nm * n)
        x[-1], y[-1] = 0.0, 0.0  # closes on the datum (rounding)
    return _make(PatternKind.SECTOR, frame, np.array(x), np.array(y), radius_nm, name)


def track_line(
    route_lon: Sequence[float] | npt.NDArray[np.float64],
    route_lat: Sequence[float] | npt.NDArray[np.float64],
    spacing_nm: float,
    *,
    returning: bool = True,
    passes: int = 3,
    name: str = "",
) -> Pattern:
    """Lay out a track line search along the intended route of the missing craft.

    Return (TSR): out along the right side at ``S / 2`` and back along the left side.
    Non-return (TSN): ``passes`` (odd) passes from the right side to the left at spacing
    ``S``, ending at the far end of the route (one pass runs the route itself).
    """
    from shapely.geometry import LineString

    _check_positive(spacing_nm=spacing_nm)
    lon = np.asarray(route_lon, dtype=np.float64)
    lat = np.asarray(route_lat, dtype=np.float64)
    if lon.shape != lat.shape or lon.size < 2:
        raise InputError("a track line needs a route of at least two points")
    if not returning and (passes < 1 or passes % 2 == 0):
        raise InputError(f"passes={passes!r} must be odd for a non-return track line")
    frame = GridFrame.local(float(lon.mean()), float(lat.mean()))
    rx, ry = frame.to_xy_nm(lon, lat)
    route = LineString(np.column_stack([rx, ry]))
    if route.length == 0:
        raise InputError("the route has zero length")
    if returning:
        offsets = [-spacing_nm / 2, spacing_nm / 2]
    else:
        half = (passes - 1) // 2  # right side first (negative offsets are right in shapely)
        offsets = [spacing_nm * k for k in range(-half, half + 1)]
    xs: list[float] = []
    ys: list[float] = []
    for i, off in enumerate(offsets):
        line = route if off == 0 else route.offset_curve(off)  # shapely: positive is left
        coords = np.asarray(line.coords)
        if i % 2 == 1:
            coords = coords[::-1]
        xs.extend(coords[:, 0].tolist())
        ys.extend(coords[:, 1].tolist())
    kind = PatternKind.TRACK_LINE_RETURN if returning else PatternKind.TRACK_LINE_NON_RETURN
    return _make(kind, frame, np.array(xs), np.array(ys), spacing_nm, name)
