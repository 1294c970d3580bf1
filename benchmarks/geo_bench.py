"""littoral.geo figures: point tests and distance to shore against shapely, area, RU-KZ line.

Run: ``.venv/bin/python benchmarks/geo_bench.py [--points N]``. Prints points per second for
littoral and for shapely on the same random points in the sea's bounding box, in the same
run, and their ratio; the geodesic area of the sea; and the distance between the computed
Russia-Kazakhstan median line and the agreed seabed line (read from ../shared when present).

Peers:
- contains: ``shapely.contains_xy`` on the prepared sea polygon (the exact answer).
- distance: ``shapely.STRtree.query_nearest(..., return_distance=True)`` over the shore's
  segments in one azimuthal equidistant projection centred on the Caspian (shapely's fastest
  nearest-distance path). Accuracy is judged against the exact reference: shapely's distance
  in an azimuthal equidistant projection centred on each point (pyproj, WGS 84).
Timings on a shared machine are noisy; each figure is the best of three runs.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections.abc import Callable
from pathlib import Path

import numba
import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

from littoral.geo import CaspianSea
from littoral.geo.zones import line_distances_m, zone_map

ROOT = Path(__file__).resolve().parents[1]
SEABED = ROOT.parent / "shared" / "data" / "caspian" / "seabed_line_ru_kz.csv"


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def local_reference_m(sea: CaspianSea, lon: float, lat: float) -> float:
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84")
    to_local = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    near = shapely.intersection(sea.shore, shapely.box(lon - 4, lat - 3, lon + 4, lat + 3))
    local = shapely.transform(
        near, lambda xy: np.column_stack(to_local.transform(xy[:, 0], xy[:, 1]))
    )
    return float(shapely.distance(local, shapely.Point(0.0, 0.0)))


def bench_contains(sea: CaspianSea, lon: np.ndarray, lat: np.ndarray) -> None:
    shapely.prepare(sea.polygon)
    ours = sea.contains(lon, lat)  # compiles or loads the numba cache
    peer = shapely.contains_xy(sea.polygon, lon, lat)
    n = len(lon)
    t_ours = best_of(lambda: sea.contains(lon, lat))
    t_peer = best_of(lambda: shapely.contains_xy(sea.polygon, lon, lat))
    print(f"contains, {n:,} random points in the bounding box:")
    print(f"  littoral CaspianSea.contains   {n / t_ours / 1e6:10.1f} M points/s")
    print(f"  shapely.contains_xy (prepared) {n / t_peer / 1e6:10.1f} M points/s")
    print(f"  ratio littoral / shapely       {t_peer / t_ours:10.1f} x")
    print(f"  answers identical: {bool(np.array_equal(ours, peer))} (sea share {ours.mean():.3f})")


def bench_segments(sea: CaspianSea, lon: np.ndarray, lat: np.ndarray) -> None:
    from littoral.geo.mask import segment_crossings

    rng = np.random.default_rng(7)
    # particle steps of about 500 m (0.5 m/s over 15 min) from random sea points
    wet = sea.contains(lon, lat)
    lon0, lat0 = lon[wet], lat[wet]
    lon1 = lon0 + rng.normal(0.0, 0.005, len(lon0))
    lat1 = lat0 + rng.normal(0.0, 0.005, len(lat0))
    t = segment_crossings(sea.mask, lon0, lat0, lon1, lat1)
    elapsed = best_of(lambda: segment_crossings(sea.mask, lon0, lat0, lon1, lat1))
    print(f"mask_segment_crossing, {len(lon0):,} steps of ~500 m from sea points:")
    rate = len(lon0) / elapsed / 1e6
    print(f"  {rate:.1f} M steps/s, {np.mean(t >= 0):.4f} of them meet the shore")


def bench_distance(sea: CaspianSea, lon: np.ndarray, lat: np.ndarray, n_peer: int) -> None:
    _ = sea.shore_index  # build once, outside the timing
    ours = sea.distance_to_shore_m(lon, lat)
    n = len(lon)
    t_ours = best_of(lambda: sea.distance_to_shore_m(lon, lat))

    crs = CRS.from_proj4("+proj=aeqd +lat_0=42.0 +lon_0=50.5 +ellps=WGS84")
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lines = shapely.get_parts(sea.shore)
    segs = []
    for line in lines:
        xy = np.asarray(line.coords)
        x, y = fwd.transform(xy[:, 0], xy[:, 1])
        pts = np.column_stack([x, y])
        segs.append(np.stack([pts[:-1], pts[1:]], axis=1))
    tree = shapely.STRtree(shapely.linestrings(np.concatenate(segs)))
    sub_lon, sub_lat = lon[:n_peer], lat[:n_peer]

    def peer() -> np.ndarray:
        px, py = fwd.transform(sub_lon, sub_lat)
        _, dist = tree.query_nearest(shapely.points(px, py), return_distance=True)
        return np.asarray(dist)

    peer()
    t_peer = best_of(peer)
    m = 300
    t0 = time.perf_counter()
    ref = np.array([local_reference_m(sea, x, y) for x, y in zip(lon[:m], lat[:m], strict=True)])
    t_ref = time.perf_counter() - t0
    err = np.abs(ours[:m] - ref)
    print(f"distance_to_shore_m, {n:,} random points (shapely peer on {n_peer:,}):")
    print(f"  littoral distance_to_shore_m   {n / t_ours / 1e6:10.2f} M points/s")
    print(f"  shapely STRtree.query_nearest  {n_peer / t_peer / 1e6:10.3f} M points/s")
    print(f"  ratio littoral / shapely       {(n / t_ours) / (n_peer / t_peer):10.1f} x")
    print(f"  exact reference (AEQD per point, shapely.distance) {m / t_ref:,.0f} points/s")
    print(
        f"  error against the reference on {m} points: max {err.max():.3f} m, "
        f"max relative {np.max(err / np.maximum(ref, 1.0)):.2e} (limit 1 m or 0.1 %)"
    )


def area_and_lines(sea: CaspianSea) -> None:
    geod = Geod(ellps="WGS84")
    sea_km2 = abs(geod.geometry_area_perimeter(sea.polygon)[0]) / 1e6
    kbg_km2 = abs(geod.geometry_area_perimeter(sea.kara_bogaz_gol)[0]) / 1e6
    w, s, e, n = sea.bbox
    print(f"area of the sea without islands and Kara-Bogaz-Gol: {sea_km2:,.0f} km2 geodesic")
    print(f"  target 378,660 km2: off by {100 * (sea_km2 / 378_660 - 1):+.3f} %")
    print(f"  Kara-Bogaz-Gol {kbg_km2:,.0f} km2; bbox {w:.3f}-{e:.3f} E, {s:.3f}-{n:.3f} N")
    zm = zone_map()
    for b in zm.borders:
        print(f"  land border {b.name}: snapped {b.snap_m / 1000:.1f} km to the shore line")
    if not SEABED.is_file():
        print(f"RU-KZ line: {SEABED} not present, comparison skipped")
        return
    with SEABED.open() as f:
        agreed = np.array([[float(r["lon"]), float(r["lat"])] for r in csv.DictReader(f)])
    computed = zm.median_line("RU", "KZ", step_deg=0.02)
    span = (computed[:, 1] <= agreed[:, 1].max()) & (computed[:, 1] >= agreed[:, 1].min())
    a, b = line_distances_m(computed[span], agreed)
    print("RU-KZ: computed median line (GSHHG shore) vs agreed seabed line (39 points):")
    print(
        f"  computed line to agreed line: median {np.median(a) / 1000:.1f} km, "
        f"max {a.max() / 1000:.1f} km ({span.sum()} points)"
    )
    print(
        f"  agreed turning points to computed line: median {np.median(b) / 1000:.1f} km, "
        f"max {b.max() / 1000:.1f} km"
    )
    end_lon, end_lat = computed[-1]
    print(f"  computed RU-KZ line ends near {end_lat:.3f} N {end_lon:.3f} E")
    print("  (agreed Russia-Kazakhstan-Azerbaijan tripoint 42.560 N 49.888 E)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2_000_000)
    parser.add_argument("--peer-points", type=int, default=100_000)
    args = parser.parse_args()
    print(
        f"numba {numba.__version__} ({numba.get_num_threads()} threads), shapely "
        f"{shapely.__version__}, numpy {np.__version__}, load average {os.getloadavg()[0]:.1f}"
    )
    sea = CaspianSea.load()
    rng = np.random.default_rng(2026)
    west, south, east, north = sea.bbox
    lon = rng.uniform(west, east, args.points)
    lat = rng.uniform(south, north, args.points)
    bench_contains(sea, lon, lat)
    bench_segments(sea, lon, lat)
    bench_distance(sea, lon[: args.points // 2], lat[: args.points // 2], args.peer_points)
    area_and_lines(sea)


if __name__ == "__main__":
    main()
