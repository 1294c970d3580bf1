"""Live effort from AIS: a linked unit's reports become its recorded search, piece by piece."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from littoral.errors import InputError, NotFoundError
from littoral.geo.distance import haversine_m
from littoral.records.reports import PositionReport
from littoral.search.detection import DetectionLaw
from littoral.search.sighting import Track
from littoral.search.update import update_particles
from littoral.services import (
    CaseDesk,
    DriftParams,
    OnScene,
    PlanParams,
    Role,
    RunDesk,
    ServiceContext,
    system_user,
)
from littoral.services.coverage import case_coverage, coverage_text
from littoral.services.effort import EffortLoop, LiveEffort, search_windows
from littoral.services.results import unpack_result

T0 = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)
VESSEL_MMSI, HELO_MMSI = 423_000_101, 111_423_007


def sail(
    waypoints: list[list[float]], speed_kn: float, start: datetime, every_s: float, until: datetime
) -> list[tuple[datetime, float, float]]:
    """Positions of a unit running ``waypoints`` at ``speed_kn`` from ``start``, every_s apart."""
    lon = np.array([w[0] for w in waypoints])
    lat = np.array([w[1] for w in waypoints])
    legs_nm = haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:]) / 1852.0
    along = np.concatenate([[0.0], np.cumsum(legs_nm)])
    seconds = np.arange(0.0, along[-1] / speed_kn * 3600.0, every_s)
    out = []
    for s in seconds:
        when = start + timedelta(seconds=float(s))
        if when > until:
            break
        x = s / 3600.0 * speed_kn
        out.append((when, float(np.interp(x, along, lon)), float(np.interp(x, along, lat))))
    return out


@dataclass
class Scene:
    ctx: ServiceContext
    case_id: int
    units: dict[str, int]
    plan: dict[str, object]


def _scene(ctx: ServiceContext) -> Scene:
    ctx.clock.set(T0)  # type: ignore[attr-defined]
    user = system_user("coord", "AZ", Role.COORDINATOR)
    cases, runs = CaseDesk(ctx, user), RunDesk(ctx, user)
    case = cases.open(
        title="PIW east of Baku",
        datum_lon=51.0,
        datum_lat=41.0,
        datum_time=T0 - timedelta(hours=1),
        object_class="PIW-1",
        persons=1,
    )
    cases.set_on_scene(case.id, OnScene(wind=(90.0, 12.0), current=(180.0, 0.5)))
    vessel = cases.add_unit(
        case.id,
        {"name": "Patrol 101", "speed_kn": 12, "endurance_h": 8, "mmsi": VESSEL_MMSI,
         "base_lon": 51.05, "base_lat": 41.05},
    )  # fmt: skip
    helo = cases.add_unit(
        case.id,
        {"name": "Helo 7", "platform": "helicopter", "speed_kn": 90, "endurance_h": 3,
         "transit_speed_kn": 120, "base_lon": 50.9, "base_lat": 40.95, "height_ft": 500},
    )  # fmt: skip
    runs.drift_now(case.id, DriftParams(duration_h=8.0, particles=400))
    plan_run, _ = runs.plan_now(case.id, PlanParams(start_time=T0))
    return Scene(ctx, case.id, {"Patrol 101": vessel.id, "Helo 7": helo.id}, plan_run.summary)


def _reports(scene: Scene, minutes: float) -> list[PositionReport]:
    """Each unit's AIS reports (10 s apart) along its planned pattern, its first minutes."""
    reports = []
    for area in scene.plan["areas"]:  # type: ignore[attr-defined]
        on_scene = datetime.fromisoformat(area["on_scene"])
        vessel = area["unit"] == "Patrol 101"
        mmsi, msg_type, speed = (VESSEL_MMSI, 1, 12.0) if vessel else (HELO_MMSI, 9, 90.0)
        until = on_scene + timedelta(minutes=minutes)
        for when, lon, lat in sail(area["pattern"]["waypoints"], speed, on_scene, 10.0, until):
            report = PositionReport(mmsi=mmsi, time=when, lon=lon, lat=lat, msg_type=msg_type)
            reports.append(report)
    return reports


def test_units_link_to_their_mmsi_and_a_bad_one_is_refused(ctx: ServiceContext) -> None:
    user = system_user("coord", "AZ", Role.COORDINATOR)
    cases = CaseDesk(ctx, user)
    case = cases.open(
        title="t", datum_lon=51.0, datum_lat=41.0, datum_time=T0, object_class="PIW-1", persons=1
    )
    unit = cases.add_unit(case.id, {"name": "Helo 7", "platform": "helicopter", "speed_kn": 90,
                                    "endurance_h": 3, "mmsi": HELO_MMSI})  # fmt: skip
    assert unit.spec["mmsi"] == HELO_MMSI
    unit = cases.link_unit(case.id, unit.id, 111_423_008)
    assert unit.spec["mmsi"] == 111_423_008
    assert "unit Helo 7 linked to MMSI 111423008 (AIS track)" in [
        e.text for e in cases.entries(case.id)
    ]
    assert "mmsi" not in cases.link_unit(case.id, unit.id, None).spec
    for bad in (12345, 1_000_000_000, "111423007", True):
        with pytest.raises(InputError, match=f"mmsi={bad!r} must be a nine-digit MMSI"):
            cases.link_unit(case.id, unit.id, bad)  # type: ignore[arg-type]
        with pytest.raises(InputError, match="nine-digit MMSI"):
            cases.add_unit(case.id, {"name": "x", "speed_kn": 9, "endurance_h": 3, "mmsi": bad})
    with pytest.raises(NotFoundError, match="no finished plan"):
        case_coverage(ctx, case.id)


def test_the_reported_track_updates_the_pos_within_a_pass(ctx: ServiceContext) -> None:
    scene = _scene(ctx)
    helo_id = scene.units["Helo 7"]
    CaseDesk(ctx, system_user("coord", "AZ", Role.COORDINATOR)).link_unit(
        scene.case_id, helo_id, HELO_MMSI
    )
    windows = search_windows(scene.plan)  # type: ignore[arg-type]
    reports = _reports(scene, minutes=6.0)
    # a report before the unit is on scene (its transit) is no searched effort
    early = windows["Helo 7"].start - timedelta(minutes=1)
    reports.append(PositionReport(mmsi=HELO_MMSI, time=early, lon=50.95, lat=40.97, msg_type=9))
    ctx.store.positions.add(reports)
    effort = LiveEffort(ctx)
    start = min(w.start for w in windows.values())
    end = max(r.time for r in reports)
    pieces = []
    now = start
    while now < end + timedelta(seconds=30):
        now += timedelta(seconds=30)
        ctx.clock.set(now)  # type: ignore[attr-defined]
        pieces.extend(effort.tick())
    assert {p.unit for p in pieces} == {"Patrol 101", "Helo 7"}
    # every report is judged at the first pass after it (30 s), but a unit's first report
    # alone is no track: it waits for the second
    assert max(p.latency_s for p in pieces) <= 60.0
    firsts = {min(q.first_report for q in pieces if q.unit == p.unit) for p in pieces}
    assert max(p.latency_s for p in pieces if p.first_report not in firsts) <= 30.0
    assert all(p.run_id is not None and p.search_pos is not None for p in pieces)
    cumulative = np.array([p.cumulative_pos for p in pieces], dtype=float)
    assert np.all(np.diff(cumulative) > -1e-12)  # the POS only grows
    assert 0.0 < cumulative[-1] < 1.0
    # the same reports again: nothing new is recorded
    assert effort.tick() == []
    helo = ctx.service.unit(helo_id)
    assert helo.track is not None
    assert len(helo.track) == sum(1 for r in reports if r.mmsi == HELO_MMSI) - 1
    assert helo.track[0][2] >= windows["Helo 7"].start.strftime("%Y-%m-%dT%H:%M:%S")
    audit, _ = ctx.service.audit(limit=1000)
    live = [a for a in audit if a.path == "runs.live_effort"]
    assert len(live) == len(pieces)
    assert live[0].user_name == "live-effort"
    # piece by piece under the exponential law is the whole track judged at once
    drift_run = ctx.service.run(int(str(scene.plan["basis"]).split()[-1]))
    whole = []
    for name, unit_id in scene.units.items():
        track = ctx.service.unit(unit_id).track or []
        det = scene.plan["detection"]["units"][name]  # type: ignore[index]
        whole.append(
            Track(
                np.array([p[0] for p in track]),
                np.array([p[1] for p in track]),
                det["sweep_width_nm"],
                name,
                np.array([np.datetime64(p[2][:-1], "s") for p in track]),
                spacing_nm=det["spacing_nm"],
            )
        )
    result = unpack_result(ctx.service.run(drift_run.id).data or b"")
    _, pos_at_once = update_particles(result, whole, end, DetectionLaw.EXPONENTIAL)
    report = case_coverage(ctx, scene.case_id)
    assert report["actual_pos"] == pytest.approx(pos_at_once, abs=2e-4)
    assert report["cumulative_pos"] == pytest.approx(cumulative[-1])
    by_unit = {u["unit"]: u for u in report["units"]}
    helo_cov = by_unit["Helo 7"]
    assert helo_cov["mmsi"] == HELO_MMSI
    # 6 minutes at 90 kn: 9 NM of track, the sweep width of the plan
    assert helo_cov["actual"]["track_nm"] == pytest.approx(9.0, rel=0.03)
    width = scene.plan["detection"]["units"]["Helo 7"]["sweep_width_nm"]  # type: ignore[index]
    assert helo_cov["actual"]["effort_nm2"] == pytest.approx(
        helo_cov["actual"]["track_nm"] * width, rel=1e-3
    )
    assert helo_cov["planned"]["track_length_nm"] > helo_cov["actual"]["track_nm"]
    assert 0 < helo_cov["actual"]["pos"] < helo_cov["planned"]["pos"]
    text = coverage_text(report)
    assert "Helo 7 (MMSI 111423007): track 9." in text


def test_a_pass_records_only_a_linked_unit_inside_its_window(ctx: ServiceContext) -> None:
    scene = _scene(ctx)
    windows = search_windows(scene.plan)  # type: ignore[arg-type]
    ctx.store.positions.add(_reports(scene, minutes=3.0))
    effort = LiveEffort(ctx)
    ctx.clock.set(windows["Helo 7"].start + timedelta(minutes=3))  # type: ignore[attr-defined]
    # Helo 7 is not linked: its reports are no effort of it; Patrol 101 is not on scene yet
    assert windows["Patrol 101"].start > ctx.clock.now()
    assert effort.tick() == []
    ctx.clock.set(windows["Patrol 101"].end + timedelta(hours=1))  # type: ignore[attr-defined]
    # a unit whose stored track is unreadable fails alone, named; the others go on
    helo_id = scene.units["Helo 7"]
    CaseDesk(ctx, system_user("coord", "AZ", Role.COORDINATOR)).link_unit(
        scene.case_id, helo_id, HELO_MMSI
    )
    ctx.service.set_unit_track(helo_id, [[51.0, 41.0, "yesterday"]])
    (piece,) = effort.tick(scene.case_id)
    assert piece.unit == "Patrol 101"
    (error,) = effort.errors
    assert error.startswith(f"case {scene.case_id}, unit Helo 7: ")
    assert "yesterday" in error
    assert piece.first_report >= windows["Patrol 101"].start.replace(microsecond=0)
    with pytest.raises(NotFoundError):
        effort.tick(999)


def test_the_service_loop_runs_passes_until_stopped(ctx: ServiceContext) -> None:
    scene = _scene(ctx)
    windows = search_windows(scene.plan)  # type: ignore[arg-type]
    ctx.store.positions.add(_reports(scene, minutes=2.0))
    ctx.clock.set(windows["Patrol 101"].start + timedelta(minutes=3))  # type: ignore[attr-defined]
    loop = EffortLoop(LiveEffort(ctx), interval_s=0.05)
    loop.start()
    deadline = time.monotonic() + 30.0
    while loop.passes < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    loop.stop()
    assert loop.passes >= 3
    assert loop.pieces == 1  # Patrol 101 once; the passes after find nothing new
    with pytest.raises(InputError, match="interval_s=0"):
        EffortLoop(LiveEffort(ctx), interval_s=0)
