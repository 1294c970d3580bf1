"""OpenDrift Leeway worker for benchmarks/drift_bench.py (runs in benchmarks/.env-opendrift).

Usage: run_opendrift.py WORKDIR N [--landmask]

Reads WORKDIR/wind.nc, WORKDIR/current.nc and WORKDIR/seed_N.npz (lon, lat, t0), runs
OpenDrift's Leeway (PIW-1, 48 h, 10 min step, hourly output), writes WORKDIR/opendrift_N.npz
(lon, lat at 0, 24, 48 h) and prints one JSON line with the timings and peak memory.
With --landmask it keeps OpenDrift's default GSHHG land mask to show what it does in the
Caspian.
"""

import json
import logging
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np


def main() -> None:
    work = Path(sys.argv[1])
    n = int(sys.argv[2])
    landmask = "--landmask" in sys.argv
    t_import = time.perf_counter()
    from opendrift.models.leeway import Leeway
    from opendrift.readers import reader_netCDF_CF_generic

    import_s = time.perf_counter() - t_import
    seed = np.load(work / f"seed_{n}.npz")
    # OpenDrift works in naive UTC datetimes
    t0 = datetime.fromtimestamp(float(seed["t0"]), UTC).replace(tzinfo=None)
    o = Leeway(loglevel=logging.ERROR)
    o.add_reader(
        [
            reader_netCDF_CF_generic.Reader(str(work / "wind.nc")),
            reader_netCDF_CF_generic.Reader(str(work / "current.nc")),
        ]
    )
    if not landmask:
        o.set_config("general:use_auto_landmask", False)
        o.set_config("environment:fallback:land_binary_mask", 0)
    o.seed_elements(lon=seed["lon"], lat=seed["lat"], time=t0, number=n, radius=0)
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t_run = time.perf_counter()
    error = ""
    try:
        o.run(duration=timedelta(hours=48), time_step=600, time_step_output=3600)
    except Exception as exc:  # the peer may stop; report how
        error = f"{type(exc).__name__}: {exc}"
    run_s = time.perf_counter() - t_run
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu_s = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    out: dict[str, object] = {
        "tool": "opendrift",
        "version": __import__("opendrift").__version__,
        "n": n,
        "import_s": import_s,
        "run_s": run_s,
        "cpu_s": cpu_s,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "error": error,
    }
    res = o.result
    if res is not None and "lon" in res:
        lon = np.asarray(res["lon"].values, dtype=np.float64)  # (trajectory, time)
        lat = np.asarray(res["lat"].values, dtype=np.float64)
        status = np.asarray(res["status"].values)
        out["n_times"] = int(lon.shape[1])
        final_status = status[:, -1] if status.shape[1] else status
        out["active_at_end"] = int(np.sum(final_status == 0))
        if lon.shape[1] >= 49:
            np.savez(
                work / f"opendrift_{n}.npz", lon=lon[:, [0, 24, 48]].T, lat=lat[:, [0, 24, 48]].T
            )
    status_names = getattr(o, "status_categories", [])
    out["status_categories"] = list(status_names)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
