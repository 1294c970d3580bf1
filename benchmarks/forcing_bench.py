"""Forcing read lazily: a 3 GB-per-variable ERA5-layout file at a low, flat memory.

    .venv/bin/python benchmarks/forcing_bench.py [--work DIR] [--hours 720] [--keep]

Writes (once; reused if present) an ERA5 new-CDS-layout NetCDF-4 file: global 0.25 degree
grid (721 x 1440, latitude descending, longitude 0..360), ``valid_time`` hourly, ``u10`` and
``v10`` float32: 720 hours make 2.99 GB per variable (6 GB in all). Then, each in its own
process so the peak memory (max RSS) is that case's alone:

- ``littoral reader``: ``open_forcing`` and the field block a 48 h drift from the middle of
  the Caspian can reach (the engine's own call);
- ``littoral drift run``: the whole CLI, 10,000 particles for 48 h on that file, current by
  the explicit ``--current-from none``;
- the peer, ``xarray``: ``open_dataset`` and ``.sel(...).load()`` of the same block, which is
  how one reads a subset with xarray by hand.

Prints time and peak RSS of each, and the ratios littoral / xarray.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

T0 = np.datetime64("2026-01-01T00:00:00", "s")
NLAT, NLON = 721, 1440
START_H = 240  # the drift starts ten days into the file
BBOX = (40.0, 31.0, 61.0, 52.0)  # the block a 48 h drift at 3 m/s can reach, Caspian


def write_file(path: Path, hours: int) -> None:
    """Write the ERA5-layout file hour by hour (never more than one field in memory)."""
    import netCDF4

    lat = np.linspace(90.0, -90.0, NLAT)
    lon = np.arange(NLON) * 0.25
    lo, la = np.meshgrid(np.radians(lon), np.radians(lat))
    tmp = path.with_suffix(".part")
    with netCDF4.Dataset(tmp, "w", format="NETCDF4") as nc:
        nc.createDimension("valid_time", hours)
        nc.createDimension("latitude", NLAT)
        nc.createDimension("longitude", NLON)
        t = nc.createVariable("valid_time", "i8", ("valid_time",))
        t.units = "seconds since 1970-01-01"
        t.calendar = "proleptic_gregorian"
        t[:] = (T0 + np.arange(hours) * np.timedelta64(3600, "s")).astype(np.int64)
        y = nc.createVariable("latitude", "f8", ("latitude",))
        y.units = "degrees_north"
        y[:] = lat
        x = nc.createVariable("longitude", "f8", ("longitude",))
        x.units = "degrees_east"
        x[:] = lon
        dims = ("valid_time", "latitude", "longitude")
        u = nc.createVariable("u10", "f4", dims, contiguous=True)
        v = nc.createVariable("v10", "f4", dims, contiguous=True)
        for var in (u, v):
            var.units = "m s**-1"
        for k in range(hours):
            ph = 2 * np.pi * k / 24.0
            u[k] = (5.0 * np.cos(la) * np.sin(3 * lo + ph)).astype(np.float32)
            v[k] = (4.0 * np.sin(2 * la) * np.cos(2 * lo - ph)).astype(np.float32)
    tmp.rename(path)


CASE_READER = """
import json, resource, sys, time
t = time.perf_counter()
from datetime import UTC, datetime, timedelta
from littoral.drift.forcing import open_forcing
from littoral.drift.forcing.names import WIND
r = open_forcing(sys.argv[1], "wind")
t0 = datetime(2026, 1, 11, tzinfo=UTC)
f = r.field(WIND, tuple(json.loads(sys.argv[2])), t0.timestamp(),
            (t0 + timedelta(hours=48)).timestamp())
out = {"s": time.perf_counter() - t, "shape": list(f.data.shape),
       "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
print(json.dumps(out))
"""

CASE_XARRAY = """
import json, resource, sys, time
t = time.perf_counter()
import numpy as np, xarray as xr
b = json.loads(sys.argv[2])
ds = xr.open_dataset(sys.argv[1])
sub = ds[["u10", "v10"]].sel(
    valid_time=slice(np.datetime64("2026-01-11T00:00"), np.datetime64("2026-01-13T00:00")),
    latitude=slice(b[3], b[1]), longitude=slice(b[0], b[2])).load()
out = {"s": time.perf_counter() - t, "shape": list(sub["u10"].shape),
       "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
print(json.dumps(out))
"""

CASE_CLI = """
import json, resource, sys, time
t = time.perf_counter()
from littoral.cli.main import main
rc = main(["drift", "run", "--object", "PIW-1", "--lat", "42.3", "--lon", "50.6", "--time",
           "2026-01-11T00:00Z", "--duration", "48h", "--particles", "10000", "--radius-m",
           "1000", "--wind-file", sys.argv[1], "--current-from", "none", "--quiet",
           "--out", sys.argv[3]])
out = {"s": time.perf_counter() - t, "rc": rc,
       "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
print(json.dumps(out))
"""


def run_case(code: str, path: Path, out: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path), json.dumps(BBOX), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    last = proc.stdout.strip().splitlines()[-1]
    result: dict[str, float] = json.loads(last)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "littoral-forcing")
    ap.add_argument("--hours", type=int, default=720)
    ap.add_argument("--keep", action="store_true", help="keep the 6 GB file")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    path = args.work / f"era5_global_{args.hours}h.nc"
    if not path.exists():
        print(f"writing {path} ...", flush=True)
        write_file(path, args.hours)
    per_var_gb = args.hours * NLAT * NLON * 4 / 1e9
    print(f"file: {path.stat().st_size / 1e9:.2f} GB, {per_var_gb:.2f} GB per variable")
    out = args.work / "case.nc"
    reader = run_case(CASE_READER, path, out)
    peer = run_case(CASE_XARRAY, path, out)
    cli = run_case(CASE_CLI, path, out)
    print(f"{'case':<34} {'time, s':>8} {'peak RSS, MB':>13}")
    print(f"{'littoral reader (field block)':<34} {reader['s']:8.2f} {reader['rss_mb']:13.0f}")
    print(f"{'littoral drift run (10k, 48 h)':<34} {cli['s']:8.2f} {cli['rss_mb']:13.0f}")
    print(f"{'xarray open_dataset + sel.load':<34} {peer['s']:8.2f} {peer['rss_mb']:13.0f}")
    print(
        f"ratio littoral reader / xarray: time {reader['s'] / peer['s']:.2f}x, "
        f"RSS {reader['rss_mb'] / peer['rss_mb']:.2f}x; block {reader['shape']} vs "
        f"{peer['shape']}"
    )
    print(f"whole drift run under 500 MB: {cli['rss_mb'] < 500} ({cli['rss_mb']:.0f} MB)")
    if not args.keep:
        path.unlink()


if __name__ == "__main__":
    main()
