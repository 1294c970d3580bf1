"""The exercise run: traffic, stream into the ingest and watch, case, drift, search, report.

:func:`run_exercise` plays the whole case through the real parts of littoral and times each
step. A step whose part is not in this build, or that fails, is recorded with the reason and
the steps that need it are skipped; nothing is faked.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from littoral.errors import InputError
from littoral.exercise.planted import EventKind
from littoral.exercise.traffic import Traffic, generate_traffic
from littoral.search.update import CUMULATIVE_POS_ATTR

if TYPE_CHECKING:
    from littoral.exercise.casebook import CaseBook
    from littoral.exercise.sar import SarOutcome
    from littoral.exercise.scoring import Scorecard
    from littoral.exercise.stream import StreamResult
    from littoral.store.sqlstore import SqlStore

DEFAULT_START = datetime(2026, 10, 14, tzinfo=UTC)


@dataclass(frozen=True)
class ExerciseConfig:
    """What to play.

    Attributes
    ----------
    seed:
        Seed of every random draw of the exercise.
    hours:
        Length of the traffic day (>= 6).
    vessels:
        Size of the fleet.
    out:
        Report folder (created; the store file lives in it).
    speedup:
        Event time per wall time of the feed; 0 as fast as the ingest takes it.
    rate_scale:
        Factor on the AIS reporting intervals (1: real rates); ``None``: 20.
    particles:
        Drift particles.
    search_hours:
        Time on scene of each ship per round.
    start:
        Start of the day (UTC).
    currents:
        ``modelled`` (the drift's current from :mod:`littoral.ocean`, run on the day's wind)
        or ``on-scene`` (the reported current only).
    """

    seed: int = 2026
    hours: float = 24.0
    vessels: int = 600
    out: Path = Path("out/exercise")
    speedup: float = 0.0
    rate_scale: float | None = None
    particles: int = 2000
    search_hours: float = 4.0
    start: datetime = DEFAULT_START
    currents: str = "modelled"

    def scale(self) -> float:
        """Return the AIS decimation factor to use."""
        if self.rate_scale is not None:
            return self.rate_scale
        return 20.0


@dataclass
class Step:
    """One step of the run: its name, wall time, and what came of it."""

    name: str
    wall_s: float = 0.0
    status: str = "done"
    note: str = ""


@dataclass
class ExerciseResult:
    """Everything the run produced."""

    config: ExerciseConfig
    traffic: Traffic
    steps: list[Step] = field(default_factory=list)
    stream: StreamResult | None = None
    scorecard: Scorecard | None = None
    sar: SarOutcome | None = None
    case_id: int | None = None
    store_url: str = ""
    report: Path | None = None

    def step(self, name: str) -> Step | None:
        """Return the step called ``name``, if it ran."""
        return next((s for s in self.steps if s.name == name), None)


Progress = Callable[[str], None]
"""Receives one line of progress text (the display decides how to show it)."""


class Runner:
    """Runs the steps in order, timing each and recording failures."""

    def __init__(self, result: ExerciseResult, progress: Progress) -> None:
        self.result = result
        self.progress = progress

    @contextmanager
    def step(self, name: str, label: str) -> Iterator[Step]:
        """Time a step; a LittoralError or ImportError marks it failed or missing."""
        step = Step(name)
        self.result.steps.append(step)
        self.progress(f"{label} ...")
        started = time.perf_counter()
        try:
            yield step
        except ImportError as exc:
            step.status = "missing"
            step.note = f"not in this build: {exc}"
        except Exception as exc:  # a failed step is reported, the run goes on where it can
            step.status = "failed"
            step.note = f"{type(exc).__name__}: {exc}"
        finally:
            step.wall_s = time.perf_counter() - started
            self.progress(f"{label}: {step.status} in {step.wall_s:.1f} s" + (
                f" ({step.note})" if step.note else ""))  # fmt: skip

    def skip(self, name: str, why: str) -> None:
        """Record a step that could not run because an earlier one did not."""
        self.result.steps.append(Step(name, 0.0, "skipped", why))
        self.progress(f"{name}: skipped ({why})")


def run_exercise(config: ExerciseConfig, progress: Progress | None = None) -> ExerciseResult:
    """Play the exercise; return what every step did.

    Raises
    ------
    InputError
        On a bad configuration value (named).
    """
    if config.speedup < 0:
        raise InputError(f"speedup={config.speedup!r} must be >= 0")
    if config.particles < 100:
        raise InputError(f"particles={config.particles!r} must be >= 100")
    show = progress or (lambda _text: None)
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    traffic_started = time.perf_counter()
    show("1/6 generating the day's traffic ...")
    traffic = generate_traffic(
        np.random.default_rng(config.seed),
        config.start,
        config.hours,
        config.vessels,
        rate_scale=config.scale(),
    )
    result = ExerciseResult(config, traffic)
    result.steps.append(
        Step(
            "traffic",
            time.perf_counter() - traffic_started,
            "done",
            f"{traffic.n_messages:,} messages of {len(traffic.vessels):,} vessels",
        )
    )
    show(f"1/6 traffic: {traffic.n_messages:,} messages of {len(traffic.vessels):,} vessels")
    runner = Runner(result, show)
    store = _open_store(runner, out)
    if store is not None:
        try:
            _stream_and_watch(runner, store)
            _sar(runner, store)
        finally:
            store.close()
    parts = None
    with runner.step("report", "6/6 writing the report: maps and data files") as step:
        from littoral.exercise.report import write_report

        parts = write_report(result, out)
        step.note = f"{len(parts.maps)} maps, {len(parts.files)} data files in {out}"
    if parts is not None:
        from littoral.exercise.report import write_index

        result.report = write_index(result, out, parts, time.perf_counter() - started)
    return result


def _open_store(runner: Runner, out: Path) -> SqlStore | None:
    path = out / "exercise.sqlite"
    for suffix in ("", "-wal", "-shm"):
        extra = Path(str(path) + suffix)
        if extra.exists():
            extra.unlink()
    store: SqlStore | None = None
    with runner.step("store", "opening the store") as step:
        from littoral.store import open_store

        store = open_store(f"sqlite:///{path}")
        runner.result.store_url = store.url
        step.note = store.url
    return store


def _stream_and_watch(runner: Runner, store: SqlStore) -> None:
    result = runner.result
    traffic = result.traffic
    total = traffic.n_messages
    last = [0.0]

    def on_progress(p: object, now: datetime) -> None:
        t = time.monotonic()
        if t - last[0] < 0.5:
            return
        last[0] = t
        messages = getattr(p, "messages", 0)
        rate = getattr(p, "messages_per_s", 0.0)
        alerts = getattr(p, "alerts", 0)
        runner.progress(
            f"2/6 streaming: {messages:,}/{total:,} messages, {rate:,.0f} msg/s, "
            f"{alerts} alert changes, feed at {now:%H:%M} UTC"
        )

    with runner.step("stream", "2/6 streaming NMEA over TCP into ingest + watch") as step:
        from littoral.exercise.stream import stream_day

        result.stream = stream_day(
            traffic, store, speedup=result.config.speedup, on_progress=on_progress
        )
        ing = result.stream.ingest
        step.note = (
            f"{result.stream.lines_sent:,} lines over {result.stream.feed_url}, "
            f"{ing.stats.messages:,} messages decoded, {ing.stats.rejected} rejected, "
            f"{len(result.stream.alerts)} alerts"
        )
    if result.stream is None:
        return
    with runner.step("scoring", "3/6 comparing alerts with the planted truth") as step:
        from littoral.exercise.scoring import score

        result.scorecard = score(traffic.truth, result.stream.alerts)
        card = result.scorecard
        found = sum(s.on_time for s in card.scores)
        step.note = (
            f"{found}/{len(card.scores)} planted events alerted on time, "
            f"{len(card.false_alerts)} false alerts of the planted kinds"
        )


def _sar(runner: Runner, store: SqlStore) -> None:
    result = runner.result
    card = result.scorecard
    distress = None
    if card is not None:
        match = [s for s in card.scores if s.event.kind is EventKind.DISTRESS and s.alerts]
        distress = match[0].alerts[0] if match else None
    if distress is None:
        for name in ("case", "currents", "drift", "search round 1", "search round 2"):
            runner.skip(name, "no distress alert from the watch")
        return
    from littoral.exercise import sar as sarmod
    from littoral.services import DriftParams

    cfg = result.config
    traffic = result.traffic
    rng = np.random.default_rng([cfg.seed, 1])
    book: CaseBook | None = None
    outcome = None
    with runner.step("case", "4/6 opening the SAR case from the distress alert") as step:
        from littoral.exercise.casebook import CaseBook
        from littoral.exercise.responders import commit_units, nearest_bases

        lkp = sarmod.last_known(store, distress.alert.mmsis[0])
        commitments = commit_units(lkp.lon, lkp.lat)
        bases = nearest_bases(lkp.lon, lkp.lat)
        srr_state = min(bases, key=lambda s: bases[s][3])
        mob = traffic.mob
        opened = distress.raised + timedelta(minutes=5)
        book = CaseBook(store, Path(cfg.out) / "service-data", opened)
        result.case_id = book.open(
            distress.alert,
            lkp,
            traffic.on_scene,
            srr_state,
            f"Person overboard from {mob.ferry_name} ({mob.route})",
            opened,
        )
        book.commit(commitments, cfg.search_hours, distress.raised + sarmod.TASKING_DELAY)
        outcome = sarmod.SarOutcome(lkp, commitments)
        step.note = (
            f"case {result.case_id} ({srr_state}); last beacon report {lkp.time:%H:%M} UTC; "
            f"units: " + ", ".join(f"{c.name} from {c.base_name}" for c in commitments)
        )
    if outcome is None or book is None:
        for name in ("currents", "drift", "search round 1", "search round 2"):
            runner.skip(name, "no case")
        return
    result.sar = outcome
    tasked = distress.raised + sarmod.TASKING_DELAY
    # round 1: each unit sails when tasked and searches from its own arrival on scene
    arrivals = sarmod.arrival_times(outcome.commitments, tasked)
    window = sarmod.search_window(outcome.commitments, arrivals, cfg.search_hours)
    # the drift covers round 1, the gap and round 2, with time to spare
    hours_needed = (window[1] - outcome.last_known.time).total_seconds() / 3600.0
    drift_h = math.ceil((hours_needed + cfg.search_hours + 3.0) * 2) / 2
    if cfg.currents == "modelled":
        with runner.step("currents", "4/6 modelling the Caspian's currents from the wind") as step:
            import shutil

            from littoral.exercise.currents import compare_at
            from littoral.services import CurrentsParams

            lkp = outcome.last_known
            # from the first hour of the day's wind (the model clips to it) to past the drift's
            # end (the model stops on a whole hour)
            run, ocean = book.currents(CurrentsParams(duration_h=drift_h + 1.0), tasked)
            shutil.copyfile(str(run.summary["file"]), Path(cfg.out) / "currents.nc")
            step.note = (
                f"{ocean.diagnostics.n_steps} steps of {ocean.diagnostics.dt_s:.0f} s; "
                + compare_at(ocean, traffic.on_scene, lkp.lon, lkp.lat, lkp.time)
            )
    with runner.step("drift", "4/6 drift from the beacon's last position") as step:
        params = DriftParams(
            duration_h=drift_h,
            particles=cfg.particles,
            seed=cfg.seed,
            datum_radius_nm=sarmod.BEACON_RADIUS_NM,
        )
        outcome.drift = book.drift(params, tasked, "from the AIS-MOB beacon's last report")
        step.note = f"{cfg.particles} particles of PIW-1 over {drift_h:g} h"
    if outcome.drift is None:
        for name in ("search round 1", "search round 2"):
            runner.skip(name, "no drift")
        return
    drift = outcome.drift
    sail = tasked  # when the units of a round leave their bases
    for number in (1, 2):
        label = f"5/6 search round {number}: plan and simulated sorties"
        with runner.step(f"search round {number}", label) as step:
            map_time = sarmod.map_time(drift, window)
            # planned from when the units are tasked: the plan's own windows (daylight, each
            # unit's map) are the ones the sorties then fly
            plan = book.plan(sail, window[0])
            horizon = sarmod.truth_horizon(traffic.person, drift)
            sorties = sarmod.fly_round(plan, traffic.person, rng, depart=sail, horizon=horizon)
            if not sorties:
                starts = [a.window.arrive for a in plan.assignments if a.window is not None]
                step.note = (
                    f"not flown: the units' next daylight search "
                    f"({min(starts, default=sail):%d %b %H:%M} UTC) is past the end of the "
                    f"simulated truth ({horizon:%d %b %H:%M} UTC)"
                )
                book.note(sail, f"round {number} planned for the next daylight; not simulated")
                break
            updated = book.record_tracks(sorties, max((s.end for s in sorties), default=window[0]))
            before = float(drift.attrs.get(CUMULATIVE_POS_ATTR, "0") or 0)
            first = min((s.commence for s in sorties), default=window[0])
            rnd = sarmod.SearchRound(number, first, map_time, plan, sorties, before)
            outcome.rounds.append(rnd)
            found = rnd.found
            step.note = f"plan POS {plan.pos:.0%} ({plan.ratio_to_bound:.0%} of the optimum); "
            if found is not None and found.detected_at is not None:
                ttf = found.detected_at - datetime.fromtimestamp(traffic.mob.fall_time_s, UTC)
                step.note += f"person seen by {found.unit_name} at {found.detected_at:%H:%M} UTC"
                step.note += f", {_hm(ttf)} after the fall"
                book.close(found.detected_at, "rescued", f"seen by {found.unit_name}")
            else:
                step.note += "not found"
                book.note(rnd.end, f"round {number} unsuccessful")
        if found is not None or step.status != "done":
            break
        if number == 1 and updated is not None:
            # the recorded tracks updated the cloud (Bayes) for what round 1 did not find
            drift = updated
            outcome.drift_after.append(drift)
            # round 2: relieved units all sail together, an hour after the last one ended
            sail = (rnd.end + sarmod.ROUND_GAP).replace(second=0, microsecond=0)
            starts = sarmod.arrival_times(outcome.commitments, sail)
            window = sarmod.search_window(outcome.commitments, starts, cfg.search_hours)


def _hm(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60.0)
    return f"{minutes // 60} h {minutes % 60:02d} min"
