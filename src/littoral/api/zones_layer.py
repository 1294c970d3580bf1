"""The zones layer of the map as GeoJSON lines, traced from :func:`littoral.geo.zones.zone_at`.

The states' waters are approximate (see :mod:`littoral.geo.zones`: median-line sectors and
15 / 25 NM bands from the GSHHG shore, not legal baselines), so the page draws them as thin
dashed lines labelled "approximate". They are traced here by classifying a regular grid
(``STEP_DEG``) and contouring each indicator at one half with ``contourpy``: the 15 NM and
25 NM lines (land counted inside, so the shore itself is not traced) and the sector limits
(traced over water only).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

STEP_DEG = 0.03
"""Grid step of the tracing (about 3 km): finer than the page draws at its usual zooms."""


def _lines(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    field: npt.NDArray[np.float64],
    mask: npt.NDArray[np.bool_] | None = None,
) -> list[list[list[float]]]:
    import contourpy

    z = field if mask is None else np.ma.masked_array(field, mask=mask)
    gen = contourpy.contour_generator(lon, lat, z, line_type=contourpy.LineType.Separate)
    out = []
    for line in gen.lines(0.5):
        pts = np.asarray(line)
        if len(pts) >= 2:
            out.append([[round(float(x), 4), round(float(y), 4)] for x, y in pts])
    return out


@cache
def zones_geojson() -> dict[str, Any]:
    """Return the 15 NM and 25 NM lines and the sector limits as a FeatureCollection."""
    from scipy.ndimage import distance_transform_edt

    from littoral.geo import CaspianSea
    from littoral.geo.zones import STATES, Band, zone_at

    west, south, east, north = CaspianSea.load().bbox
    lon = np.arange(west - 0.1, east + 0.1, STEP_DEG)
    lat = np.arange(south - 0.1, north + 0.1, STEP_DEG)
    gx, gy = np.meshgrid(lon, lat)
    zones = zone_at(gx, gy)
    band = zones.band
    land = (band == Band.NOT_WATER) | (band == Band.INTERNAL)
    features: list[dict[str, Any]] = []
    for name, inside in (
        ("15 NM (territorial, approximate)", land | (band == Band.TERRITORIAL)),
        (
            "25 NM (fishery, approximate)",
            land | (band == Band.TERRITORIAL) | (band == Band.FISHERY),
        ),
    ):
        coords = _lines(lon, lat, inside.astype(np.float64))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": coords},
                "properties": {"kind": "band", "name": name},
            }
        )
    state = zones.state
    water = np.isin(state, STATES)
    _, (iy, ix) = distance_transform_edt(~water, return_indices=True)
    filled = state[iy, ix]
    for code in STATES:
        coords = _lines(lon, lat, (filled == code).astype(np.float64), mask=~water)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": coords},
                "properties": {
                    "kind": "sector",
                    "state": code,
                    "name": f"{code} sector limit (median line, approximate)",
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "note": "approximate: drawn from the GSHHG shore, not from legal baselines",
    }
