"""Live searched effort from AIS: a unit's reported track becomes its recorded search.

A unit linked to its AIS identity by its MMSI (:meth:`~littoral.services.CaseDesk.link_unit`;
a SAR aircraft reports as ``111MIDxxx`` in message type 9, a vessel in types 1-3 or 18)
reports where it is. While its planned search runs, from its time on scene to the end of its
search as the case's latest plan says, each pass (:meth:`LiveEffort.tick`) takes the unit's
positions stored since its last recorded point and records them as the next piece of its
searched track through the same use case as an uploaded GPX track
(:meth:`~littoral.services.RunDesk.record_search`): the drift cloud is updated by Bayes'
rule, each leg judged with the plan's sweep width, track spacing and POD law for that unit
(Koopman 1946; Stone 1975, ch. 2; IAMSAR Vol. II ch. 4, "updating POC"), and the
cumulative POS follows.

Each piece continues the last one from its last point, so the legs between pieces count
once. Reading the same reports again records nothing: a piece starts strictly after the
unit's newest recorded time, so a pass repeated (or a service restarted) is harmless. A
report older than that (a late one from a slow station) is left out.

The web service runs a pass every ``effort_interval_s`` (20 s by default), so the POS is
refreshed within that time of each report plus the update's own time; a command runs one
pass with ``littoral effort run``. The clock is the context's, so tests run on simulated
time.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from littoral.errors import InputError
from littoral.services.accounts import Role, system_user
from littoral.services.cases import unit_mmsi
from littoral.services.context import ServiceContext
from littoral.services.runs import RunDesk
from littoral.store.records import StoredPosition
from littoral.store.service import Case, Unit

log = logging.getLogger(__name__)

EFFORT_USER = "live-effort"
"""The name the automatic updates are written under in the case log and the audit log."""


@dataclass(frozen=True, kw_only=True)
class SearchWindow:
    """When a plan has a unit searching: from its time on scene to the end of its search."""

    start: datetime
    end: datetime


def search_windows(plan_summary: dict[str, Any]) -> dict[str, SearchWindow]:
    """Return each planned unit's search window from a plan run's summary, by unit name.

    Units the plan gave no area (or no search time on scene) have none.
    """
    windows: dict[str, SearchWindow] = {}
    for area in plan_summary.get("areas", []):
        start, end = area.get("on_scene"), area.get("search_end")
        if area.get("pattern") is None or not start or not end:
            continue
        window = SearchWindow(start=datetime.fromisoformat(start), end=datetime.fromisoformat(end))
        if window.end > window.start:
            windows[str(area["unit"])] = window
    return windows


def point_time(point: list[Any]) -> datetime | None:
    """Return the time of a stored track point ``[lon, lat, time]``, or ``None`` if untimed."""
    return _when(point) if len(point) > 2 and point[2] else None


def _when(point: list[Any]) -> datetime:
    return datetime.fromisoformat(str(point[2]).replace("Z", "+00:00"))


def iso_second(t: datetime) -> str:
    """Return ``t`` as a track point's time: ISO 8601 UTC to the second, ``Z``."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def last_recorded(track: list[list[Any]] | None) -> tuple[list[Any], datetime] | None:
    """Return the newest timed point of a unit's recorded track and its time, if any."""
    best: tuple[list[Any], datetime] | None = None
    for point in track or []:
        t = point_time(point)
        if t is not None and (best is None or t >= best[1]):
            best = (point, t)
    return best


def new_points(
    reports: list[StoredPosition], after: datetime | None, window: SearchWindow
) -> list[list[Any]]:
    """Return the reports inside ``window`` and later than ``after`` as track points.

    Times are kept to the second, as a recorded track keeps them; of several reports in
    one second the first is kept.
    """
    points: list[list[Any]] = []
    last = after.replace(microsecond=0) if after is not None else None
    first = window.start.replace(microsecond=0)
    for r in reports:
        t = r.time.replace(microsecond=0)
        if t < first or t > window.end or (last is not None and t <= last):
            continue
        points.append([round(r.lon, 6), round(r.lat, 6), iso_second(t)])
        last = t
    return points


@dataclass(frozen=True, kw_only=True)
class EffortPiece:
    """One piece of a unit's AIS track recorded as searched effort, and the update it made."""

    case_id: int
    unit_id: int
    unit: str
    mmsi: int
    points: int
    first_report: datetime
    last_report: datetime
    recorded: datetime
    run_id: int | None
    search_pos: float | None
    cumulative_pos: float | None

    @property
    def latency_s(self) -> float:
        """Seconds from the piece's oldest report to its update (the longest wait)."""
        return (self.recorded - self.first_report).total_seconds()

    def as_json(self) -> dict[str, Any]:
        """Return the piece as JSON-ready values."""
        return {
            "case_id": self.case_id,
            "unit_id": self.unit_id,
            "unit": self.unit,
            "mmsi": self.mmsi,
            "points": self.points,
            "first_report": self.first_report.isoformat(),
            "last_report": self.last_report.isoformat(),
            "recorded": self.recorded.isoformat(),
            "latency_s": round(self.latency_s, 1),
            "run_id": self.run_id,
            "search_pos": self.search_pos,
            "cumulative_pos": self.cumulative_pos,
        }


class LiveEffort:
    """Turns linked units' AIS reports into recorded searches, one pass at a time."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.errors: list[str] = []
        """What failed in the last pass, one line per unit (the other units went on)."""

    def tick(self, case_id: int | None = None) -> list[EffortPiece]:
        """Record what every linked unit of the open cases (or of ``case_id``) reported.

        Returns the pieces recorded in this pass (none when nothing new was reported). A
        unit whose piece fails is logged and named in :attr:`errors`; the others go on.
        """
        self.errors = []
        if case_id is not None:
            case = self.ctx.service.case(case_id)
            if case.status != "open":
                raise InputError(f"case {case_id} is {case.status}; reopen it first")
            cases = [case]
        else:
            cases = self.ctx.service.list_cases(status="open")
        pieces: list[EffortPiece] = []
        for case in cases:
            pieces.extend(self._case(case))
        return pieces

    def _case(self, case: Case) -> list[EffortPiece]:
        plan_run = self.ctx.service.latest_run(case.id, "plan")
        if plan_run is None:
            return []
        windows = search_windows(plan_run.summary)
        pieces = []
        for unit in self.ctx.service.units(case.id):
            mmsi = unit_mmsi(unit)
            window = windows.get(unit.name)
            if mmsi is None or window is None:
                continue
            try:
                piece = self._unit(case, unit, mmsi, window)
            except Exception as exc:  # one unit's failure must not starve the others
                log.exception("live effort of unit %s of case %s failed", unit.id, case.id)
                self.errors.append(f"case {case.id}, unit {unit.name}: {exc}")
                continue
            if piece is not None:
                pieces.append(piece)
        return pieces

    def _unit(self, case: Case, unit: Unit, mmsi: int, window: SearchWindow) -> EffortPiece | None:
        now = self.ctx.clock.now()
        if now < window.start:
            return None
        last = last_recorded(unit.track)
        after = last if last is not None and last[1] >= window.start else None
        start = window.start.replace(microsecond=0) if after is None else after[1]
        end = min(now, window.end)
        if end < start:
            return None
        reports = self.ctx.store.positions.track(mmsi, start, end)
        points = new_points(reports, None if after is None else after[1], window)
        if len(points) < (1 if after is not None else 2):
            return None
        user = system_user(EFFORT_USER, case.state, Role.COORDINATOR)
        desk = RunDesk(self.ctx, user)
        _, run = desk.record_search(
            case.id, unit.id, points, now=True, after=None if after is None else after[0]
        )
        first, last_t = (_when(p) for p in (points[0], points[-1]))
        piece = EffortPiece(
            case_id=case.id,
            unit_id=unit.id,
            unit=unit.name,
            mmsi=mmsi,
            points=len(points),
            first_report=first,
            last_report=last_t,
            recorded=self.ctx.clock.now(),
            run_id=None if run is None else run.id,
            search_pos=None if run is None else run.summary.get("search_pos"),
            cumulative_pos=None if run is None else run.summary.get("cumulative_pos"),
        )
        self.ctx.service.add_audit(
            piece.recorded,
            user.name,
            user.state,
            "AUTO",
            "runs.live_effort",
            200,
            {k: v for k, v in piece.as_json().items() if k not in ("recorded",)},
        )
        return piece


class EffortLoop:
    """Runs :meth:`LiveEffort.tick` every ``interval_s`` seconds of wall time, in a thread.

    A pass that fails (a store outage) is logged and the next one tries again.
    """

    def __init__(self, effort: LiveEffort, interval_s: float) -> None:
        if not interval_s > 0:
            raise InputError(f"interval_s={interval_s!r} must be > 0")
        self.effort = effort
        self.interval_s = interval_s
        self.passes = 0
        self.pieces = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the passes."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="littoral-effort", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.pieces += len(self.effort.tick())
            except Exception:  # the next pass tries again; the live picture goes on
                log.exception("live effort pass failed")
            self.passes += 1

    def stop(self) -> None:
        """Stop after the pass under way."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60.0)
