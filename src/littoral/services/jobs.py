"""Background runs of a case (drift, plan, update): queued, run on worker threads, with progress.

A request that starts a run answers at once with the run's id; progress goes to the store and
to the event bus, so the page follows it live and never blocks. A run that raises ends as
``failed`` with the reason; a service stopped mid-run marks it ``interrupted`` on restart.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from littoral.clock import Clock
from littoral.errors import LittoralError, QuotaError
from littoral.services.events import EventBus
from littoral.store.service import Run, ServiceStore

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
"""Report progress: fraction done in 0..1 and a short message."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a finished run leaves: a JSON summary and optional binary data.

    ``value`` is the computed object itself (a drift result, a search plan) for a caller that
    ran the work in its own thread (:meth:`Jobs.run_now`); it is not stored.
    """

    summary: dict[str, Any]
    data: bytes | None = None
    value: Any = None


Work = Callable[[Progress], Outcome]


@dataclass(frozen=True, slots=True)
class Owner:
    """Who asked for a run: the account and its state, for the per-user and per-state caps."""

    user: str
    state: str


class Jobs:
    """A small worker pool for case runs, with caps on the runs one user or state may hold.

    At most ``max_per_user`` runs queued or running per account and ``max_per_state`` per
    state; one more is refused with :class:`~littoral.errors.QuotaError` naming the cap, so
    nobody can fill the queue (or the memory) of a centre shared by five states.
    """

    def __init__(
        self,
        store: ServiceStore,
        bus: EventBus,
        clock: Clock,
        workers: int,
        max_per_user: int = 2,
        max_per_state: int = 4,
    ) -> None:
        self._store = store
        self._bus = bus
        self._clock = clock
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="littoral-run")
        self._futures: dict[int, Future[Outcome | None]] = {}
        self._owners: dict[int, Owner] = {}
        self._lock = threading.Lock()
        self.max_per_user = max_per_user
        self.max_per_state = max_per_state

    def _check_quota(self, owner: Owner) -> None:
        held = list(self._owners.values())
        by_user = sum(1 for o in held if o.user == owner.user)
        if by_user >= self.max_per_user:
            raise QuotaError(
                f"user {owner.user!r} already has {by_user} runs queued or running "
                f"(at most {self.max_per_user}); wait for one to finish"
            )
        by_state = sum(1 for o in held if o.state == owner.state)
        if by_state >= self.max_per_state:
            raise QuotaError(
                f"state {owner.state} already has {by_state} runs queued or running "
                f"(at most {self.max_per_state}); wait for one to finish"
            )

    def submit(self, case_id: int, kind: str, work: Work, owner: Owner | None = None) -> Run:
        """Queue ``work`` as a run of ``kind`` for case ``case_id`` and return the run.

        With an ``owner``, the run counts against their caps; over a cap it is refused with
        :class:`~littoral.errors.QuotaError` before anything is stored.
        """
        with self._lock:
            if owner is not None:
                self._check_quota(owner)
            run = self._store.add_run(case_id, kind, self._clock.now())
            if owner is not None:
                self._owners[run.id] = owner
        self._announce(run.id, case_id, kind, "queued", 0.0, "")
        future = self._pool.submit(self._execute, run.id, case_id, kind, work)
        with self._lock:
            self._futures[run.id] = future
        run_id = run.id
        future.add_done_callback(lambda _f: self._forget(run_id))
        return run

    def run_now(self, case_id: int, kind: str, work: Work) -> tuple[Run, Outcome]:
        """Run ``work`` as a run of case ``case_id`` on this thread; return the run and outcome.

        The run is stored, announced and finished exactly as a queued one; a failure is
        recorded on the run and raised to the caller.
        """
        run = self._store.add_run(case_id, kind, self._clock.now())
        self._announce(run.id, case_id, kind, "queued", 0.0, "")
        outcome = self._execute(run.id, case_id, kind, work, reraise=True)
        assert outcome is not None  # a failure has raised
        return self._store.run(run.id), outcome

    def _forget(self, run_id: int) -> None:
        with self._lock:
            self._futures.pop(run_id, None)
            self._owners.pop(run_id, None)

    @property
    def active(self) -> int:
        """Runs queued or running."""
        with self._lock:
            return len(self._futures)

    def _announce(
        self, run_id: int, case_id: int, kind: str, status: str, progress: float, message: str
    ) -> None:
        self._bus.publish(
            "run",
            {
                "run_id": run_id,
                "case_id": case_id,
                "kind": kind,
                "status": status,
                "progress": round(progress, 3),
                "message": message,
            },
        )

    def _execute(
        self, run_id: int, case_id: int, kind: str, work: Work, *, reraise: bool = False
    ) -> Outcome | None:
        last = [0.0]

        def progress(fraction: float, message: str) -> None:
            fraction = min(1.0, max(0.0, float(fraction)))
            now = time.monotonic()
            if now - last[0] < 0.2 and fraction < 1.0:
                return
            last[0] = now
            self._store.update_run(run_id, progress=fraction, message=message[:500])
            self._announce(run_id, case_id, kind, "running", fraction, message)

        self._store.update_run(run_id, status="running")
        self._announce(run_id, case_id, kind, "running", 0.0, "started")
        try:
            outcome = work(progress)
        except LittoralError as exc:
            self._finish(run_id, case_id, kind, "failed", str(exc), {}, None)
            if reraise:
                raise
            return None
        except Exception as exc:
            log.exception("run %s (%s) of case %s failed", run_id, kind, case_id)
            self._finish(run_id, case_id, kind, "failed", f"{type(exc).__name__}: {exc}", {}, None)
            if reraise:
                raise
            return None
        self._finish(run_id, case_id, kind, "done", "done", outcome.summary, outcome.data)
        return outcome

    def _finish(
        self,
        run_id: int,
        case_id: int,
        kind: str,
        status: str,
        message: str,
        summary: dict[str, Any],
        data: bytes | None,
    ) -> None:
        self._store.update_run(
            run_id,
            status=status,
            progress=1.0 if status == "done" else 0.0,
            finished=self._clock.now(),
            message=message[:2000],
            summary=summary,
            data=data,
        )
        self._announce(run_id, case_id, kind, status, 1.0 if status == "done" else 0.0, message)

    def wait(self, run_id: int, timeout_s: float | None = None) -> None:
        """Block until run ``run_id`` has finished (for the command line and tests)."""
        with self._lock:
            future = self._futures.get(run_id)
        if future is not None:
            future.result(timeout=timeout_s)

    def shutdown(self) -> None:
        """Cancel queued runs and wait for running ones to end."""
        self._pool.shutdown(wait=True, cancel_futures=True)
