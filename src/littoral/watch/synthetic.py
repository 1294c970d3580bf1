"""A synthetic day of Caspian traffic with known events, for replay tests and benchmarks.

Vessels sail straight at 6-14 kn and turn back at the shore; each reports at a fixed
interval with its own phase. Into this background the generator plants one case of each
thing the watch looks for, at known times and places (:class:`Planted`): an encounter, a
loiterer, a vessel that goes dark, a position jump, an AIS-SART with its safety text, and a
foreign ship. Everything comes from the ``numpy.random.Generator`` passed in, so a seed gives
the same day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from littoral.geo import CaspianSea, WaterClass, destination, haversine_m, places
from littoral.records.reports import PositionReport, SafetyReport, StaticReport
from littoral.units import MS_PER_KN
from littoral.watch.geoview import classify

Record = PositionReport | StaticReport | SafetyReport

LITTORAL_MIDS = (273, 423, 422, 436, 434)
FOREIGN_MIDS = (352, 636, 538, 215, 271)


@dataclass(frozen=True, slots=True)
class Planted:
    """The MMSIs of the planted events."""

    encounter: tuple[int, int]
    loiterer: int
    dark: int
    jumper: int
    sart: int


def _sea_points(
    rng: np.random.Generator, n: int, sea: CaspianSea, min_port_m: float
) -> tuple[np.ndarray, np.ndarray]:
    ports = [p for p in places() if p.kind in ("port", "terminal", "naval")]
    px = np.array([p.lon for p in ports])
    py = np.array([p.lat for p in ports])
    lon: list[float] = []
    lat: list[float] = []
    west, south, east, north = sea.bbox
    while len(lon) < n:
        x = rng.uniform(west, east, 4 * n)
        y = rng.uniform(south, north, 4 * n)
        far = haversine_m(x[:, None], y[:, None], px[None, :], py[None, :]).min(axis=1)
        ok = sea.contains(x, y) & (far >= min_port_m)
        lon.extend(x[ok].tolist())
        lat.extend(y[ok].tolist())
    return np.array(lon[:n]), np.array(lat[:n])


def synthetic_day(
    rng: np.random.Generator,
    start: datetime,
    n_vessels: int = 1500,
    hours: float = 24.0,
    interval_s: float = 60.0,
) -> tuple[list[Record], Planted]:
    """Return the reports of a day in time order, and the planted events.

    Parameters
    ----------
    rng
        The random generator (its seed makes the day).
    start
        Start of the day (UTC).
    n_vessels
        Background vessels (at least 10).
    hours, interval_s
        Length of the day and the reporting interval of every vessel.
    """
    sea = CaspianSea.load()
    t0 = start.timestamp()
    steps = int(hours * 3600 / interval_s)
    mids = np.where(
        rng.random(n_vessels) < 0.85,
        rng.choice(LITTORAL_MIDS, n_vessels),
        rng.choice(FOREIGN_MIDS, n_vessels),
    )
    mmsi = mids * 1_000_000 + 100_000 + np.arange(n_vessels)
    lon, lat = _sea_points(rng, n_vessels, sea, 20_000.0)
    heading = rng.uniform(0, 360, n_vessels)
    speed = rng.uniform(6, 14, n_vessels)
    phase = rng.uniform(0, interval_s, n_vessels)
    planted = Planted(
        encounter=(int(mmsi[0]), int(mmsi[1])),
        loiterer=int(mmsi[2]),
        dark=int(mmsi[3]),
        jumper=int(mmsi[4]),
        sart=970_100_001,
    )
    # the planted encounter and loiterer drift slowly from the start of the day
    speed[:3] = 0.3
    lon[1], lat[1] = (float(v) for v in destination(lon[0], lat[0], 90.0, 200.0))
    heading[1] = heading[0]
    dark_from = t0 + 0.25 * hours * 3600
    dark_to = dark_from + 8 * 3600.0  # longer than the 6 h threshold
    jump_at = t0 + 0.5 * hours * 3600
    records: list[Record] = []
    for k in range(n_vessels):
        records.append(
            StaticReport(
                mmsi=int(mmsi[k]),
                time=start,
                msg_type=5,
                name=f"SYN {k:04d}",
                ship_type=int(rng.choice((70, 80, 52, 30))),
            )
        )
    step_m = speed * MS_PER_KN * interval_s
    for s in range(steps):
        new_lon, new_lat = destination(lon, lat, heading, step_m)
        ok = classify(sea.mask, new_lon, new_lat) == WaterClass.SEA
        heading = np.where(ok, heading, (heading + 180 + rng.uniform(-30, 30, n_vessels)) % 360)
        lon = np.where(ok, new_lon, lon)
        lat = np.where(ok, new_lat, lat)
        t = t0 + s * interval_s + phase
        noise = rng.normal(0, 5e-5, (2, n_vessels))
        for k in range(n_vessels):
            tk = float(t[k])
            if int(mmsi[k]) == planted.dark and dark_from <= tk < dark_to:
                continue
            x, y = float(lon[k] + noise[0, k]), float(lat[k] + noise[1, k])
            if int(mmsi[k]) == planted.jumper and abs(tk - jump_at) < interval_s / 2:
                x, y = (float(v) for v in destination(x, y, 45.0, 110_000.0))
            records.append(
                PositionReport(
                    mmsi=int(mmsi[k]),
                    time=datetime.fromtimestamp(tk, UTC),
                    lon=x,
                    lat=y,
                    msg_type=1,
                    sog_kn=float(speed[k]),
                    cog_deg=float(heading[k]),
                )
            )
    sart_at = start + timedelta(hours=0.6 * hours)
    sx, sy = float(lon[5]), float(lat[5])
    for m in range(20):
        records.append(
            PositionReport(
                mmsi=planted.sart,
                time=sart_at + timedelta(minutes=m),
                lon=sx,
                lat=sy,
                msg_type=1,
                nav_status=14,
            )
        )
    records.append(SafetyReport(mmsi=planted.sart, time=sart_at, msg_type=14, text="SART ACTIVE"))
    records.sort(key=lambda r: r.time)
    return records, planted
