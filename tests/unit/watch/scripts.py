"""Scripted tracks for the watch tests: straight runs at a given speed, reported at an interval."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import numpy as np

from littoral.geo import destination
from littoral.records import Alert
from littoral.records.reports import PositionReport, SafetyReport, StaticReport
from littoral.units import MS_PER_KN
from littoral.watch import Engine, WatchConfig

T0 = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)
OPEN_SEA = (51.0, 42.0)
"""Middle Caspian, about 140 km from the nearest port and 190 km from the nearest field."""
ACG = (51.09767, 40.21967)
"""Azeri-Chirag-Gunashli field centre (places table)."""
AKTAU = (51.22, 43.61)
"""Aktau seaport (places table)."""

Record = PositionReport | StaticReport | SafetyReport


def track(
    mmsi: int,
    start: datetime,
    lon: float,
    lat: float,
    *,
    minutes: float,
    speed_kn: float = 0.0,
    course_deg: float = 90.0,
    every_s: float = 180.0,
    sog: bool = True,
    **fields: object,
) -> list[PositionReport]:
    """Reports of a vessel sailing straight from (lon, lat) for ``minutes``."""
    n = int(minutes * 60 / every_s) + 1
    dt = np.arange(n) * every_s
    x, y = destination(lon, lat, course_deg, speed_kn * MS_PER_KN * dt)
    return [
        PositionReport(
            mmsi=mmsi,
            time=start + timedelta(seconds=float(dt[i])),
            lon=float(x[i]),
            lat=float(y[i]),
            msg_type=1,
            sog_kn=speed_kn if sog else None,
            **fields,  # type: ignore[arg-type]
        )
        for i in range(n)
    ]


def static(mmsi: int, name: str, ship_type: int = 70) -> StaticReport:
    return StaticReport(
        mmsi=mmsi, time=T0 - timedelta(minutes=1), msg_type=5, name=name, ship_type=ship_type
    )


def run(
    records: Iterable[Record],
    until: datetime | None = None,
    config: WatchConfig | None = None,
    engine: Engine | None = None,
) -> tuple[Engine, list[Alert]]:
    """Feed records in time order; return the engine and every alert it handed out."""
    engine = engine or Engine(config)
    ordered = sorted(records, key=lambda r: r.time)
    out = engine.process(ordered)
    end = until or max(r.time for r in ordered)
    out += engine.finish(end)
    return engine, out


def of(engine: Engine, rule: str) -> list[Alert]:
    """The alerts of one rule."""
    return [a for a in engine.alerts if a.rule == rule]
