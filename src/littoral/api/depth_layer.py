"""The depth layer of the map as GeoJSON isobaths, traced from the shipped depth grid.

The grid is the SMCGTools cell grid derived from GEBCO_2022 (``littoral/ocean/data/NOTICE.md``:
BSD-3-Clause, depths from a fixed level of -27.5 m, cells of 7 to 29 km, a 5 m floor). Its
2 x 2 and 4 x 4 cells are blocks of equal value, so the grid is smoothed with a Gaussian of
one cell (about 7 km) before the lines are traced with ``contourpy``, and the lines are cut
to littoral's sea polygon. The result is a picture of the shelf, the slopes and the basins,
for orientation only: it is **not for navigation**, and the page says so.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

ISOBATHS_M = (10, 20, 50, 100, 200, 500)
"""Depths of the drawn lines (m): the shelf break lies near 50-100 m in the Caspian."""
SMOOTH_CELLS = 1.0
"""Standard deviation of the smoothing, in grid cells."""
CREDIT = (
    "Depth: SMCGTools Caspian cells (Jian-Guo Li, Met Office; BSD-3-Clause) from GEBCO 2022, "
    "below -27.5 m; not for navigation"
)


@cache
def depth_geojson() -> dict[str, Any]:
    """Return the isobaths of :data:`ISOBATHS_M` as MultiLineString features."""
    import contourpy
    import shapely
    from scipy.ndimage import distance_transform_edt, gaussian_filter

    from littoral.geo import CaspianSea
    from littoral.ocean.grid import shipped_depth

    lon, lat, depth = shipped_depth()
    known = np.isfinite(depth)
    _, (iy, ix) = distance_transform_edt(~known, return_indices=True)
    smooth = gaussian_filter(depth[iy, ix], SMOOTH_CELLS, mode="nearest")
    gen = contourpy.contour_generator(lon, lat, smooth, line_type=contourpy.LineType.Separate)
    sea = CaspianSea.load().polygon
    features: list[dict[str, Any]] = []
    for level in ISOBATHS_M:
        lines = [np.asarray(line) for line in gen.lines(float(level)) if len(line) >= 2]
        if not lines:
            continue
        cut = shapely.MultiLineString(lines).intersection(sea)
        parts = [g for g in getattr(cut, "geoms", [cut]) if isinstance(g, shapely.LineString)]
        coords = [
            [[round(float(x), 4), round(float(y), 4)] for x, y in part.coords]
            for part in parts
            if not part.is_empty
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": coords},
                "properties": {"depth_m": level, "name": f"{level} m"},
            }
        )
    return {"type": "FeatureCollection", "features": features, "attribution": CREDIT}
