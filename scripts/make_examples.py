"""Write the example inputs of the README tour into ``examples/``.

Both files are generated, not observed (``examples/README.md`` says so too):

- ``capture.nmea``: six hours of Caspian AIS traffic from littoral's exercise generator
  (:func:`littoral.exercise.traffic.generate_traffic`, seed 2026, 16 vessels, AIS intervals
  decimated by 60), tag-blocked ``!AIVDM`` lines as a shore receiver network logs them. It
  carries the exercise's planted events (a distress beacon, a vessel going dark, a spoofed
  position, ...), so ``watch run`` has something to say.
- ``wind.nc``: a small CF-1.8 NetCDF 10 m wind over the Caspian (0.5 degree grid, every 3 h,
  2026-11-26T00Z to 2026-11-29T00Z): a northerly Khazri that builds from 8 to 16 m/s and eases
  again, veering slightly to the east in the south. An analytic field, not a forecast.

Usage::

    python scripts/make_examples.py [--out examples]
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

START = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
SEED = 2026


def write_capture(path: Path) -> int:
    """Write the exercise capture to ``path`` and return its number of lines."""
    from littoral.exercise.traffic import generate_traffic

    traffic = generate_traffic(
        np.random.default_rng(SEED), START, hours=6, n_vessels=16, rate_scale=60
    )
    path.write_text("\n".join(traffic.lines) + "\n", encoding="ascii")
    return len(traffic.lines)


def write_wind(path: Path) -> None:
    """Write the analytic Khazri wind as a CF NetCDF file to ``path``."""
    import xarray as xr

    lon = np.arange(46.0, 55.01, 0.5)
    lat = np.arange(36.0, 47.51, 0.5)
    hours = np.arange(0, 73, 3)
    time = np.datetime64("2026-11-26T00:00") + hours.astype("timedelta64[h]")
    # Speed builds to 16 m/s at 2026-11-27T06Z and eases again (a Gaussian in time).
    speed_ms = 8.0 + 8.0 * np.exp(-(((hours - 30.0) / 18.0) ** 2))
    # From 0 deg in the north, veering to 20 deg in the south.
    from_deg = 20.0 * (47.5 - lat) / 11.5
    from_rad = np.deg2rad(from_deg)
    # Wind blows toward (from + 180): u = -s sin(from), v = -s cos(from).
    u = -speed_ms[:, None, None] * np.sin(from_rad)[None, :, None] * np.ones(lon.size)
    v = -speed_ms[:, None, None] * np.cos(from_rad)[None, :, None] * np.ones(lon.size)
    ds = xr.Dataset(
        {
            "u10": (
                ("time", "lat", "lon"),
                u.astype(np.float32),
                {"standard_name": "eastward_wind", "units": "m s-1"},
            ),
            "v10": (
                ("time", "lat", "lon"),
                v.astype(np.float32),
                {"standard_name": "northward_wind", "units": "m s-1"},
            ),
        },
        coords={
            "time": ("time", time, {"standard_name": "time"}),
            "lat": ("lat", lat, {"standard_name": "latitude", "units": "degrees_north"}),
            "lon": ("lon", lon, {"standard_name": "longitude", "units": "degrees_east"}),
        },
        attrs={
            "Conventions": "CF-1.8",
            "title": "Example 10 m wind over the Caspian (analytic Khazri, not a forecast)",
            "source": "scripts/make_examples.py of littoral",
        },
    )
    encoding = {name: {"zlib": True, "complevel": 4} for name in ("u10", "v10")}
    encoding["time"] = {"units": "hours since 2026-11-26 00:00:00", "calendar": "standard"}
    ds.to_netcdf(path, encoding=encoding)


def main() -> None:
    """Write both example files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("examples"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    n = write_capture(args.out / "capture.nmea")
    write_wind(args.out / "wind.nc")
    print(f"{args.out / 'capture.nmea'}: {n} lines; {args.out / 'wind.nc'} written")


if __name__ == "__main__":
    main()
