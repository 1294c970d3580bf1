"""Drift speed and agreement: littoral against OpenDrift's Leeway, in the same run.

    .venv/bin/python benchmarks/drift_bench.py [--particles 100000 1000000]
        [--peer-particles 100000] [--no-peer] [--output-step-h 1]

Both tools get the same gridded CF NetCDF forcing (an analytic wind on a 0.25 degree grid,
an analytic current on a 1/12 degree grid, hourly, written here), the same object class
(PIW-1), the same particle start positions, 48 h at a 10 min step. littoral runs with the
Caspian coastline active; OpenDrift with its land mask off (its GSHHG mask calls the Caspian
land: the script also shows that, with 200 particles). Each case runs in its own process, so
the peak memory (max RSS) is that case's alone. Speed is particle-steps per second of the
run itself (after imports and, for littoral, the one-time numba compilation, cached on disk).

Then the whole command, `littoral drift run` with a million particles (--cli-particles) and
hourly output, trajectories and GeoJSON written while it computes: its wall time against the
in-process run of the same size, and its peak memory (the target: within 1.5x, under 1 GB).

OpenDrift runs from benchmarks/.env-opendrift (benchmarks/opendrift_env/setup.sh makes it).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PEER_PY = HERE / ".env-opendrift" / "bin" / "python"
PEER_SCRIPT = HERE / "opendrift_env" / "run_opendrift.py"
T0 = np.datetime64("2026-01-10T00:00:00", "s")
SEED_LON, SEED_LAT, SEED_RADIUS_M = 50.6, 42.3, 1000.0
STEPS = 48 * 6
R = 6_371_008.8


def wind(lon, lat, hours):
    u = -7.0 + 1.5 * np.sin(2 * np.pi * (lon - 46.0) / 6.0) + 1.0 * np.sin(2 * np.pi * hours / 24)
    v = -7.0 + 1.5 * np.cos(2 * np.pi * (lat - 36.0) / 8.0) + 0.5 * np.cos(2 * np.pi * hours / 36)
    return u, v


def current(lon, lat, hours):
    u = 0.10 + 0.05 * np.sin(2 * np.pi * (lat - 36.0) / 4.0) + 0.0 * hours
    v = (
        -0.15
        + 0.05 * np.cos(2 * np.pi * (lon - 46.0) / 4.0)
        + 0.02 * np.sin(2 * np.pi * hours / 12)
    )
    return u, v


def write_forcing(work: Path) -> None:
    import xarray as xr

    hours = np.arange(-1, 52, dtype=float)
    times = T0 + (hours * 3600).astype("timedelta64[s]")
    for name, fn, step, names, std in (
        ("wind", wind, 0.25, ("u10", "v10"), ("eastward_wind", "northward_wind")),
        (
            "current",
            current,
            1 / 12,
            ("uo", "vo"),
            ("eastward_sea_water_velocity", "northward_sea_water_velocity"),
        ),
    ):
        lon = np.round(np.arange(45.0, 56.0 + 1e-9, step), 6)
        lat = np.round(np.arange(35.5, 48.0 + 1e-9, step), 6)
        H, LA, LO = np.meshgrid(hours, lat, lon, indexing="ij")
        u, v = fn(LO, LA, H)
        ds = xr.Dataset(
            {
                names[0]: (("time", "lat", "lon"), u.astype(np.float32),
                           {"units": "m s-1", "standard_name": std[0]}),
                names[1]: (("time", "lat", "lon"), v.astype(np.float32),
                           {"units": "m s-1", "standard_name": std[1]}),
            },
            coords={
                "time": ("time", times, {"standard_name": "time"}),
                "lat": ("lat", lat, {"standard_name": "latitude", "units": "degrees_north"}),
                "lon": ("lon", lon, {"standard_name": "longitude", "units": "degrees_east"}),
            },
            attrs={"Conventions": "CF-1.11", "title": f"analytic {name} for drift_bench"},
        )  # fmt: skip
        ds.to_netcdf(work / f"{name}.nc")


def write_seed(work: Path, n: int) -> None:
    rng = np.random.default_rng(2026)
    east = rng.normal(0, SEED_RADIUS_M, n)
    north = rng.normal(0, SEED_RADIUS_M, n)
    lat = SEED_LAT + np.degrees(north / R)
    lon = SEED_LON + np.degrees(east / (R * np.cos(np.radians(SEED_LAT))))
    np.savez(work / f"seed_{n}.npz", lon=lon, lat=lat, t0=float(T0.astype(np.int64)))


def littoral_worker(work: Path, n: int, output_step_h: int) -> None:
    import resource
    from datetime import UTC, datetime, timedelta

    t_import = time.perf_counter()
    from littoral.drift import DriftRequest, NetCDFForcing, PointSeed, PositionsSeed, run

    import_s = time.perf_counter() - t_import
    seed = np.load(work / f"seed_{n}.npz")
    t0 = datetime.fromtimestamp(float(seed["t0"]), UTC)
    forcing = [NetCDFForcing(work / "wind.nc"), NetCDFForcing(work / "current.nc")]
    common = {
        "object_class": "PIW-1",
        "time": t0,
        "duration": timedelta(hours=48),
        "forcing": forcing,
        "step": timedelta(minutes=10),
        "output_step": timedelta(hours=output_step_h),
        "seed": 1,
        "coast": True,
    }
    t_c = time.perf_counter()
    run(DriftRequest(seeding=PointSeed(SEED_LON, SEED_LAT), particles=64, **common))
    warm_s = time.perf_counter() - t_c
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t_run = time.perf_counter()
    res = run(DriftRequest(seeding=PositionsSeed(seed["lon"], seed["lat"]), particles=n, **common))
    run_s = time.perf_counter() - t_run
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu_s = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    k24, k48 = 24 // output_step_h, 48 // output_step_h
    np.savez(work / f"littoral_{n}.npz", lon=res.lon[[0, k24, k48]], lat=res.lat[[0, k24, k48]])
    print(
        json.dumps(
            {
                "tool": "littoral",
                "n": n,
                "import_s": import_s,
                "warmup_s": warm_s,
                "run_s": run_s,
                "cpu_s": cpu_s,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "stranded": int(np.sum(res.status[-1] == 1)),
                "active_at_end": int(np.sum(res.status[-1] == 0)),
                "output_step_h": output_step_h,
            }
        )
    )


def cli_case(work: Path, n: int) -> dict[str, object]:
    """The whole ``littoral drift run`` process: hourly output written while it computes."""
    import os

    out = work / "cli.nc"
    cmd = [sys.executable, "-m", "littoral.cli.main", "drift", "run", "--object", "PIW-1",
           "--lat", str(SEED_LAT), "--lon", str(SEED_LON), "--radius-m", str(SEED_RADIUS_M),
           "--time", str(T0) + "Z", "--duration", "48h", "--step", "10min",
           "--output-step", "1h", "--particles", str(n), "--seed", "1",
           "--wind-file", str(work / "wind.nc"), "--current-file", str(work / "current.nc"),
           "--no-perturb", "--jibe", "0.04",
           "--out", str(out), "--geojson", str(work / "cli.geojson"), "--quiet"]  # fmt: skip
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    stdout, stderr = proc.communicate()
    if os.waitstatus_to_exitcode(status) != 0:
        return {"error": stderr[-800:], "wall_s": wall}
    return {
        "tool": "littoral CLI",
        "n": n,
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "maxrss_mb": usage.ru_maxrss / 1024,
        "file_mb": out.stat().st_size / 1e6,
        "summary": stdout.strip().splitlines()[0] if stdout.strip() else "",
    }


def _spawn(cmd: list[str], timeout_s: float) -> dict[str, object]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout)[-800:]
        return {"error": f"exit {proc.returncode}: {tail}", "wall_s": time.perf_counter() - t}
    out: dict[str, object] = json.loads(lines[-1])
    out["wall_s"] = time.perf_counter() - t
    return out


def stats(npz: Path) -> dict[str, float]:
    d = np.load(npz)
    lon, lat = d["lon"], d["lat"]
    wu, wv = wind(SEED_LON, SEED_LAT, 0.0)
    along = np.array([wu, wv]) / math.hypot(wu, wv)
    right = np.array([along[1], -along[0]])
    out: dict[str, float] = {}
    for k, label in ((1, "24h"), (2, "48h")):
        east = np.radians(lon[k] - lon[0]) * R * np.cos(np.radians(lat[0]))
        north = np.radians(lat[k] - lat[0]) * R
        ok = np.isfinite(east) & np.isfinite(north)
        east, north = east[ok], north[ok]
        out[f"mean_disp_km_{label}"] = math.hypot(east.mean(), north.mean()) / 1000
        out[f"along_spread_km_{label}"] = float(np.std(east * along[0] + north * along[1])) / 1000
        out[f"cross_spread_km_{label}"] = float(np.std(east * right[0] + north * right[1])) / 1000
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--particles", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--peer-particles", type=int, default=100_000)
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--output-step-h", type=int, default=1)
    ap.add_argument("--cli-particles", type=int, default=1_000_000,
                    help="particles of the whole-CLI case (0: skip it)")  # fmt: skip
    ap.add_argument("--worker", nargs=2, metavar=("WORKDIR", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        littoral_worker(Path(args.worker[0]), int(args.worker[1]), args.output_step_h)
        return 0

    peer = not args.no_peer and PEER_PY.exists()
    with tempfile.TemporaryDirectory(prefix="drift_bench_") as tmp:
        work = Path(tmp)
        write_forcing(work)
        sizes = sorted(set(args.particles) | ({args.peer_particles} if peer else set()))
        for n in sizes:
            write_seed(work, n)
        rows: list[dict[str, object]] = []
        for n in args.particles:
            step_h = args.output_step_h if n <= 200_000 else max(args.output_step_h, 6)
            r = _spawn([sys.executable, __file__, "--worker", str(work), str(n),
                        "--output-step-h", str(step_h)], 1800)  # fmt: skip
            rows.append(r)
            print("littoral", json.dumps(r), flush=True)
        cli_row: dict[str, object] | None = None
        if args.cli_particles:
            cli_row = cli_case(work, args.cli_particles)
            print("cli", json.dumps(cli_row), flush=True)
        peer_row: dict[str, object] | None = None
        landmask_row: dict[str, object] | None = None
        if peer:
            n = args.peer_particles
            peer_row = _spawn([str(PEER_PY), str(PEER_SCRIPT), str(work), str(n)], 3600)
            print("opendrift", json.dumps(peer_row), flush=True)
            write_seed(work, 200)
            landmask_row = _spawn(
                [str(PEER_PY), str(PEER_SCRIPT), str(work), "200", "--landmask"], 600
            )
        elif not args.no_peer:
            print(f"OpenDrift not installed at {PEER_PY}: run benchmarks/opendrift_env/setup.sh")

        print()
        print(
            f"{'tool':<10}{'particles':>11}{'run s':>9}{'Mpart-steps/s':>15}"
            f"{'cpu s':>8}{'M/cpu-s':>9}{'peak MB':>9}"
        )
        for r in [*rows, *([peer_row] if peer_row else [])]:
            if "error" in r and "run_s" not in r:
                print(f"  failed: {r['error']}")
                continue
            run_s = float(r["run_s"])  # type: ignore[arg-type]
            n = int(r["n"])  # type: ignore[call-overload]
            r["steps_per_s"] = n * STEPS / run_s
            cpu_s = float(r.get("cpu_s", float("nan")))  # type: ignore[arg-type]
            print(f"{r['tool']!s:<10}{n:>11,}{run_s:>9.2f}{n * STEPS / run_s / 1e6:>15.2f}"
                  f"{cpu_s:>8.1f}{n * STEPS / cpu_s / 1e6:>9.2f}"
                  f"{float(r['maxrss_mb']):>9.0f}")  # type: ignore[arg-type]  # fmt: skip
        if peer_row and "steps_per_s" in peer_row:
            for r in rows:
                if "steps_per_s" in r:
                    ratio = float(r["steps_per_s"]) / float(peer_row["steps_per_s"])  # type: ignore[arg-type]
                    print(f"speed ratio littoral({r['n']:,}) / OpenDrift({peer_row['n']:,}): "
                          f"{ratio:.1f}x (particle-steps per second)")  # fmt: skip
            ln = work / f"littoral_{args.peer_particles}.npz"
            pn = work / f"opendrift_{args.peer_particles}.npz"
            if ln.exists() and pn.exists():
                a, b = stats(ln), stats(pn)
                print()
                print(f"agreement at {args.peer_particles:,} particles (littoral / OpenDrift):")
                for key in a:
                    diff = 100 * (a[key] / b[key] - 1)
                    print(f"  {key:<24}{a[key]:>9.3f}{b[key]:>9.3f}   {diff:+6.2f} %")
        if cli_row is not None:
            print()
            if "error" in cli_row:
                print(f"CLI case failed: {cli_row['error']}")
            else:
                kernel = next(
                    (r for r in rows if r.get("n") == cli_row["n"] and "run_s" in r), None
                )
                c = {k: v for k, v in cli_row.items() if isinstance(v, int | float)}
                line = (
                    f"whole CLI process, {cli_row['n']:,} particles x 48 h, hourly output "
                    f"written while computing: {c['wall_s']:.2f} s wall, "
                    f"{c['maxrss_mb']:.0f} MB peak RSS, {c['file_mb']:.0f} MB file"
                )
                if kernel is not None:
                    run_s = float(kernel["run_s"])  # type: ignore[arg-type]
                    line += f"; {c['wall_s'] / run_s:.2f}x the in-process run ({run_s:.2f} s)"
                print(line)
        if landmask_row is not None:
            print()
            print(
                "OpenDrift with its default land mask in the Caspian (200 particles): "
                f"active at end {landmask_row.get('active_at_end')}, "
                f"outputs {landmask_row.get('n_times')}, "
                f"error {landmask_row.get('error') or 'none'}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
