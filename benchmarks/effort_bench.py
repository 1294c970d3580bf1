"""Live effort from AIS: the cost of a pass and the delay from a report to the POS refresh.

A case at sea (41.0N 51.0E) is drifted (``--particles``, 12 h, 10-minute outputs) and planned
for a vessel and a SAR helicopter; each then reports every 10 s along its pattern for
``--minutes`` of its search (positions stored as the ingest stores them). The live effort
passes run every 20 s of simulated time, as the service runs them, each recording what came
since the last pass (:mod:`littoral.services.effort`).

Figures: the longest and the median delay from a report to the update that judged it
(simulated time, target under 60 s), the wall time of a pass that records a piece (it must
stay well under the 20 s between passes), and the total cost of the live updates against the
peer: the same two tracks recorded at once as a completed search (the GPX path,
``RunDesk.record_search``) on a copy of the same case. Both give the same cumulative POS under
the plan's exponential law.

Usage: ``python benchmarks/effort_bench.py [--particles 5000] [--minutes 30]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from littoral.clock import FixedClock
from littoral.geo.distance import haversine_m
from littoral.records.reports import PositionReport
from littoral.services import (
    CaseDesk,
    DriftParams,
    OnScene,
    PlanParams,
    Role,
    RunDesk,
    ServiceContext,
    build_settings,
    system_user,
)
from littoral.services.effort import LiveEffort, iso_second, search_windows
from littoral.store import open_store

T0 = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)
UNITS = {"Patrol 101": (423_000_101, 12.0, 1), "Helo 7": (111_423_007, 90.0, 9)}


def _case(folder: Path, particles: int) -> tuple[ServiceContext, int, dict[str, Any]]:
    settings = build_settings(
        db_url=f"sqlite:///{folder / 'centre.db'}", data_dir=folder / "data", watch=False
    )
    ctx = ServiceContext.build(settings, open_store(settings.db_url), FixedClock(T0))
    user = system_user("coord", "AZ", Role.COORDINATOR)
    cases, runs = CaseDesk(ctx, user), RunDesk(ctx, user)
    case = cases.open(title="bench", datum_lon=51.0, datum_lat=41.0, object_class="PIW-1",
                      datum_time=T0 - timedelta(hours=1), persons=1)  # fmt: skip
    cases.set_on_scene(case.id, OnScene(wind=(90.0, 12.0), current=(180.0, 0.5)))
    cases.add_unit(case.id, {"name": "Patrol 101", "speed_kn": 12, "endurance_h": 8,
                             "mmsi": UNITS["Patrol 101"][0], "base_lon": 51.05,
                             "base_lat": 41.05})  # fmt: skip
    cases.add_unit(case.id, {"name": "Helo 7", "platform": "helicopter", "speed_kn": 90,
                             "endurance_h": 3, "transit_speed_kn": 120, "base_lon": 50.9,
                             "base_lat": 40.95, "mmsi": UNITS["Helo 7"][0]})  # fmt: skip
    params = DriftParams(duration_h=12.0, particles=particles, output_min=10)
    runs.drift_now(case.id, params)
    plan_run, _ = runs.plan_now(case.id, PlanParams(start_time=T0))
    return ctx, case.id, plan_run.summary


def _reports(plan: dict[str, Any], minutes: float) -> list[PositionReport]:
    windows = search_windows(plan)
    out = []
    for area in plan["areas"]:
        mmsi, speed_kn, msg_type = UNITS[area["unit"]]
        start = windows[area["unit"]].start
        lon = np.array([w[0] for w in area["pattern"]["waypoints"]])
        lat = np.array([w[1] for w in area["pattern"]["waypoints"]])
        along = np.concatenate(
            [[0.0], np.cumsum(haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:]))]
        )
        along /= 1852.0
        for s in np.arange(0.0, min(minutes * 60.0, along[-1] / speed_kn * 3600.0), 10.0):
            x = s / 3600.0 * speed_kn
            out.append(
                PositionReport(
                    mmsi=mmsi,
                    time=start + timedelta(seconds=float(s)),
                    msg_type=msg_type,
                    lon=float(np.interp(x, along, lon)),
                    lat=float(np.interp(x, along, lat)),
                )
            )
    return sorted(out, key=lambda r: r.time)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=5000)
    parser.add_argument("--minutes", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as live_dir, tempfile.TemporaryDirectory() as peer_dir:
        ctx, _, plan = _case(Path(live_dir), args.particles)
        reports = _reports(plan, args.minutes)
        effort, pieces, pass_s = LiveEffort(ctx), [], []
        sent = 0
        now = reports[0].time.replace(microsecond=0)
        while now <= reports[-1].time + timedelta(seconds=40):
            now += timedelta(seconds=20)
            batch = []
            while sent < len(reports) and reports[sent].time <= now:
                batch.append(reports[sent])
                sent += 1
            ctx.store.positions.add(batch)
            ctx.clock.set(now)  # type: ignore[attr-defined]
            t0 = time.perf_counter()
            got = effort.tick()
            if got:
                pass_s.append(time.perf_counter() - t0)
            pieces += got
        delays = []
        for r in reports:
            second = r.time.replace(microsecond=0)
            piece = next(p for p in pieces if p.mmsi == r.mmsi and p.last_report >= second)
            delays.append((piece.recorded - r.time).total_seconds())
        live_pos = pieces[-1].cumulative_pos
        # the peer: the same tracks recorded at once, on the same case built again
        peer, peer_case, _ = _case(Path(peer_dir), args.particles)
        desk = RunDesk(peer, system_user("coord", "AZ", Role.COORDINATOR))
        t0 = time.perf_counter()
        for unit in peer.service.units(peer_case):
            points = [[r.lon, r.lat, iso_second(r.time)] for r in reports
                      if r.mmsi == unit.spec["mmsi"]]  # fmt: skip
            _, run = desk.record_search(peer_case, unit.id, points, now=True)
        peer_s = time.perf_counter() - t0
        peer_pos = run.summary["cumulative_pos"] if run is not None else None
        ctx.close()
        peer.close()
    live_s = sum(pass_s)
    print(f"{args.particles} particles, {len(reports)} reports over {args.minutes:g} min, "
          f"{len(pieces)} pieces in {len(pass_s)} passes")  # fmt: skip
    print(f"report to POS refresh (simulated): max {max(delays):.1f} s, "
          f"median {statistics.median(delays):.1f} s (target < 60 s)")  # fmt: skip
    print(f"pass with a piece: median {statistics.median(pass_s):.3f} s, max {max(pass_s):.3f} s "
          "wall (the service passes every 20 s)")  # fmt: skip
    print(f"live updates in all {live_s:.2f} s; peer (whole tracks at once, GPX path) "
          f"{peer_s:.2f} s; ratio {live_s / peer_s:.1f}")  # fmt: skip
    print(f"cumulative POS live {live_pos:.5f}, at once {peer_pos:.5f}")


if __name__ == "__main__":
    main()
