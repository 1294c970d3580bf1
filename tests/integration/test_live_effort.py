"""From a Cospas-Sarsat alert to a search whose POS follows the units' own AIS tracks.

A SIT 185 message opens the case through the intake service; the case is drifted and
planned; a vessel (message type 1) and a SAR helicopter (type 9, MMSI 111MIDxxx) then run
their patterns, their AIS reports streamed over a real TCP feed into the ingest; the live
effort pass turns them into searched effort. Everything runs on simulated time: the test's
clock advances 20 s per step, as the service's pass does, and every report must have
refreshed the POS within 60 s of simulated time.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyais
import pytest

from littoral.ais.sources import TcpSource
from littoral.cli.main import main
from littoral.clock import FixedClock
from littoral.exercise.nmea import tag_block
from littoral.geo.distance import haversine_m
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
from littoral.services.coverage import case_coverage
from littoral.services.effort import EffortPiece, LiveEffort, search_windows
from littoral.services.ingest import Ingest
from littoral.services.intake import IntakeDesk
from littoral.store import open_store

ALERT = Path(__file__).resolve().parents[1] / "data" / "alerts" / "sit185_initial_ambiguous.txt"
CONFIRMED = ALERT.with_name("sit185_confirmed.txt")
DETECTED = datetime(2026, 12, 4, 9, 42, tzinfo=UTC)
VESSEL, HELO = 423_000_101, 111_423_007
STEP = timedelta(seconds=20)
SEARCH_MIN = 4.0


class Feed:
    """A TCP server that sends the lines it is given to the one client that connects."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            while (line := self.lines.get()) is not None:
                conn.sendall((line + "\r\n").encode("ascii"))

    def close(self) -> None:
        self.lines.put(None)
        self.thread.join(timeout=5)
        self.server.close()


def sail(waypoints: list[list[float]], speed_kn: float, start: datetime) -> Iterator[
    tuple[datetime, float, float, float]
]:  # fmt: skip
    """Positions and course every 10 s of a unit running ``waypoints`` at ``speed_kn``."""
    lon = np.array([w[0] for w in waypoints])
    lat = np.array([w[1] for w in waypoints])
    along = np.concatenate([[0.0], np.cumsum(haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:]))])
    along /= 1852.0
    for s in np.arange(0.0, SEARCH_MIN * 60.0, 10.0):
        x = s / 3600.0 * speed_kn
        leg = min(int(np.searchsorted(along, x, side="right")) - 1, len(lon) - 2)
        course = float(np.degrees(np.arctan2(lon[leg + 1] - lon[leg], lat[leg + 1] - lat[leg])))
        yield (
            start + timedelta(seconds=float(s)),
            float(np.interp(x, along, lon)),
            float(np.interp(x, along, lat)),
            course % 360.0,
        )


def nmea(mmsi: int, when: datetime, lon: float, lat: float, course: float) -> str:
    """One AIS report with its receive time in a tag block: type 9 for 111..., else type 1."""
    if mmsi // 1_000_000 == 111:
        fields = {"type": 9, "mmsi": mmsi, "lon": lon, "lat": lat, "speed": 90, "alt": 500,
                  "course": round(course, 1)}  # fmt: skip
    else:
        fields = {"type": 1, "mmsi": mmsi, "lon": lon, "lat": lat, "speed": 12.0,
                  "course": round(course, 1), "status": 0}  # fmt: skip
    (sentence,) = pyais.encode_dict(fields, sentence_type="VDM")
    return tag_block("AZ-BAK", int(when.timestamp())) + sentence


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[ServiceContext]:
    settings = build_settings(
        db_url=f"sqlite:///{tmp_path / 'centre.db'}", data_dir=tmp_path / "data", watch=False
    )
    store = open_store(settings.db_url)
    context = ServiceContext.build(settings, store, FixedClock(DETECTED + timedelta(minutes=3)))
    try:
        yield context
    finally:
        context.close()
        store.close()


def test_sit185_to_plan_to_ais_effort_refreshes_the_pos_within_60_s(
    ctx: ServiceContext, capsys: pytest.CaptureFixture[str]
) -> None:
    clock: FixedClock = ctx.clock  # type: ignore[assignment]
    coordinator = system_user("rcc-baku", "AZ", Role.COORDINATOR)
    # the alert opens the case (the likelier Doppler position is its datum)
    opened = IntakeDesk(ctx, coordinator).intake(ALERT.read_text())
    assert opened.action == "opened"
    case_id = opened.case_id
    assert case_id is not None
    # the next pass confirms the position: the Doppler B scenario is resolved away
    confirmed = IntakeDesk(ctx, coordinator).intake(CONFIRMED.read_text())
    assert (confirmed.action, confirmed.case_id) == ("updated", case_id)
    cases, runs = CaseDesk(ctx, coordinator), RunDesk(ctx, coordinator)
    cases.set_on_scene(case_id, OnScene(wind=(320.0, 14.0), current=(160.0, 0.4)))
    cases.add_unit(case_id, {"name": "Patrol 101", "speed_kn": 12, "endurance_h": 4,
                             "base_lon": 50.85, "base_lat": 40.42})  # fmt: skip
    helo = cases.add_unit(case_id, {"name": "Helo 7", "platform": "helicopter", "speed_kn": 90,
                                    "endurance_h": 3, "transit_speed_kn": 120,
                                    "base": "Baku Bay", "mmsi": HELO})  # fmt: skip
    patrol = cases.units(case_id)[0]
    cases.link_unit(case_id, patrol.id, VESSEL)
    runs.drift_now(case_id, DriftParams(duration_h=8.0, particles=400))
    plan_run, _ = runs.plan_now(case_id, PlanParams(start_time=DETECTED + timedelta(minutes=5)))
    windows = search_windows(plan_run.summary)
    assert set(windows) == {"Patrol 101", "Helo 7"}
    # each unit's reports along its planned pattern, from its time on scene
    reports = []
    for area in plan_run.summary["areas"]:
        mmsi, speed = (HELO, 90.0) if area["unit"] == "Helo 7" else (VESSEL, 12.0)
        start = windows[area["unit"]].start
        reports += [
            (when, mmsi, nmea(mmsi, when, lon, lat, course))
            for when, lon, lat, course in sail(area["pattern"]["waypoints"], speed, start)
        ]
    reports.sort()
    # the feed: a real TCP server, read by the ingest as a live source
    feed = Feed()
    source = TcpSource("127.0.0.1", feed.port, clock, backoff_initial_s=0.05, max_retries=0)
    ingest = Ingest(ctx.store, clock, flush_interval_s=0.05, chunk_lines=50)
    reader = threading.Thread(target=ingest.run, args=(source,), kwargs={"live": True})
    reader.start()
    effort = LiveEffort(ctx)
    pieces: list[EffortPiece] = []
    sent = 0
    now = reports[0][0].replace(microsecond=0)
    wall = time.monotonic()
    try:
        while sent < len(reports) or now <= reports[-1][0] + STEP:
            now += STEP
            while sent < len(reports) and reports[sent][0] <= now:
                feed.lines.put(reports[sent][2])
                sent += 1
            deadline = time.monotonic() + 10.0
            while ctx.store.positions.count() < sent and time.monotonic() < deadline:
                time.sleep(0.01)
            assert ctx.store.positions.count() == sent
            clock.set(now)
            pieces += effort.tick()
    finally:
        feed.close()
        source.close()
        reader.join(timeout=10)
    wall_s = time.monotonic() - wall
    # the helicopter's type 9 reports reached the picture and the store under its MMSI
    assert ingest.picture.get(HELO).lon is not None
    assert {p.msg_type for p in ctx.store.positions.track(HELO)} == {9}
    # each report refreshed the POS within 60 s of simulated time
    for when, mmsi, _ in reports:
        piece = next(
            p for p in pieces if p.mmsi == mmsi and p.last_report >= when.replace(microsecond=0)
        )
        assert (piece.recorded - when).total_seconds() <= 60.0
    assert {p.unit for p in pieces} == {"Patrol 101", "Helo 7"}
    report = case_coverage(ctx, case_id)
    assert report["updates"] == len(pieces)
    assert 0.0 < report["actual_pos"] < report["planned_pos"]
    assert report["cumulative_pos"] == pytest.approx(pieces[-1].cumulative_pos)
    by_unit = {u["unit"]: u["actual"] for u in report["units"]}
    # 4 minutes at 90 kn and at 12 kn (less the last 10 s)
    assert by_unit["Helo 7"]["track_nm"] == pytest.approx(90 * 230 / 3600, rel=0.03)
    assert by_unit["Patrol 101"]["track_nm"] == pytest.approx(12 * 230 / 3600, rel=0.03)
    assert helo.spec["mmsi"] == HELO
    # streaming, ingest and every pass together take seconds of wall time
    assert wall_s < 60.0, wall_s
    # the command line shows the same coverage, and a pass run again records nothing
    db = ["--db", ctx.settings.db_url, "--data-dir", str(ctx.settings.data_dir)]
    capsys.readouterr()
    assert main(["effort", "show", str(case_id), *db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(report))
    assert main(["effort", "show", str(case_id), *db]) == 0
    text = capsys.readouterr().out
    assert f"Helo 7 (MMSI {HELO}): track 5." in text
    assert main(["effort", "run", "--at", now.isoformat(), *db]) == 0
    assert "nothing new" in capsys.readouterr().out
    link = ["effort", "link", str(case_id), str(helo.id), "--state", "AZ", *db]
    assert main([*link, "--mmsi", "4231"]) == 2
    assert "mmsi=4231 must be a nine-digit MMSI" in capsys.readouterr().err
    assert main([*link, "--unlink"]) == 0
    assert "Helo 7: no AIS link" in capsys.readouterr().out
