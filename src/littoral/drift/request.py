"""What a drift run needs, checked when it is made: :class:`DriftRequest` and its options.

A request refuses a bad value on construction, with an :class:`~littoral.errors.InputError`
that names it (``particles=0 must be >= 1``), so a wrong field is reported where it was
written rather than deep in a run. :meth:`DriftRequest.describe` gives every field as plain
JSON values: two requests with equal descriptions run the same drift.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, get_args

from littoral.clock import require_utc
from littoral.drift.forcing.base import ForcingReader
from littoral.drift.seeding import Seed
from littoral.errors import InputError

CoastAction = Literal["stranding", "previous"]
"""What a particle meeting the shore does: strands there, or goes back to its last water
position and drifts on (OpenDrift's ``general:coastline_action``)."""

Device = Literal["cpu", "gpu"]
"""Where the kernel runs: numba on the CPU, or CUDA through CuPy."""

MAX_PARTICLES = 50_000_000
"""Largest ensemble a request may ask for (about 20 GB of output at 48 time steps)."""


def _finite(name: str, value: float, low: float, high: float = math.inf) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and low <= value <= high):
        bounds = f">= {low:g}" if high == math.inf else f"in [{low:g}, {high:g}]"
        raise InputError(f"{name}={value!r} must be a finite number {bounds}")


@dataclass(frozen=True, slots=True)
class Perturbation:
    """Correlated random perturbation of the forcing (Ornstein-Uhlenbeck, per particle).

    Attributes
    ----------
    wind_sigma_ms:
        Standard deviation of each wind component's error, m/s.
    current_sigma_ms:
        Standard deviation of each current component's error, m/s.
    correlation_time_s:
        Decorrelation time ``tau`` of the errors, seconds (default 6 h).
    """

    wind_sigma_ms: float = 1.5
    current_sigma_ms: float = 0.05
    correlation_time_s: float = 6 * 3600.0

    def __post_init__(self) -> None:
        _finite("wind_sigma_ms", self.wind_sigma_ms, 0.0, 50.0)
        _finite("current_sigma_ms", self.current_sigma_ms, 0.0, 5.0)
        _finite("correlation_time_s", self.correlation_time_s, 1e-3)


@dataclass(frozen=True, slots=True)
class Capsizing:
    """Optional capsizing, parameterised as in OpenDrift's Leeway.

    The hourly probability is ``0.5 + 0.5 tanh((W - wind_threshold_ms) / wind_sigma_ms)``;
    a capsized object keeps ``leeway_fraction`` of its leeway.
    """

    wind_threshold_ms: float = 30.0
    wind_sigma_ms: float = 5.0
    leeway_fraction: float = 0.4

    def __post_init__(self) -> None:
        _finite("wind_threshold_ms", self.wind_threshold_ms, 0.0, 100.0)
        _finite("wind_sigma_ms", self.wind_sigma_ms, 1e-6, 100.0)
        _finite("leeway_fraction", self.leeway_fraction, 0.0, 1.0)


@dataclass(frozen=True)
class DriftRequest:
    """Everything a drift run needs, validated on construction.

    Attributes
    ----------
    object_class:
        Leeway object class identifier, e.g. ``"PIW-1"`` (:func:`littoral.drift.get_object`).
    seeding:
        Where particles start (:mod:`littoral.drift.seeding`).
    time:
        Start of the run (first release), aware UTC.
    duration:
        Length of the run (positive), a whole number of output steps.
    forcing:
        Readers in priority order; wind and current are required.
    step:
        Model time step; negative for backtracking.
    output_step:
        Interval between outputs (a multiple of the step).
    particles:
        Number of particles, 1 to :data:`MAX_PARTICLES`.
    seed:
        Seed of the random generator (>= 0); recorded in the result.
    release_end:
        End of the release window (particles released evenly from ``time``); ``None``: all
        at ``time``.
    jibe_probability_per_h:
        Probability per hour that an object jibes to the other side of the wind, in [0, 1).
    leeway_spread:
        Draw per-particle coefficients (true) or use the class mean for all.
    capsizing:
        Optional capsizing model (forward runs only).
    perturbation:
        Optional correlated forcing perturbation.
    stokes:
        Add the Stokes drift of the forcing (a reader must provide it).
    coast:
        Test each step against the Caspian shore.
    coast_action:
        ``"stranding"``: a particle meeting the shore stays there, ``STRANDED``;
        ``"previous"``: it goes back to its last water position and drifts on.
    max_drift_speed_ms:
        Bound on drift speed used to size the forcing area read into memory (> 0).
    device:
        ``"cpu"`` (numba, parallel) or ``"gpu"`` (CUDA through CuPy, :mod:`littoral.drift.gpu`).
    attrs:
        Extra provenance copied into the result.

    Raises
    ------
    InputError
        On construction, for any value out of range, naming it.

    Examples
    --------
    >>> from datetime import UTC, datetime, timedelta
    >>> from littoral.drift import PointSeed
    >>> DriftRequest(
    ...     object_class="PIW-1",
    ...     seeding=PointSeed(50.4, 40.2),
    ...     time=datetime(2026, 1, 10, tzinfo=UTC),
    ...     duration=timedelta(hours=6),
    ...     forcing=[],
    ...     particles=0,
    ... )
    Traceback (most recent call last):
    ...
    littoral.errors.InputError: particles=0 must be >= 1
    """

    object_class: str
    seeding: Seed
    time: datetime
    duration: timedelta
    forcing: Sequence[ForcingReader]
    step: timedelta = timedelta(minutes=10)
    output_step: timedelta = timedelta(hours=1)
    particles: int = 1000
    seed: int = 0
    release_end: datetime | None = None
    jibe_probability_per_h: float = 0.04
    leeway_spread: bool = True
    capsizing: Capsizing | None = None
    perturbation: Perturbation | None = None
    stokes: bool = False
    coast: bool = True
    coast_action: CoastAction = "stranding"
    max_drift_speed_ms: float = 3.0
    device: Device = "cpu"
    attrs: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.object_class, str) or not self.object_class.strip():
            raise InputError(f"object_class={self.object_class!r} must name a Leeway class")
        require_utc(self.time, "time")
        if isinstance(self.particles, bool) or not isinstance(self.particles, int):
            raise InputError(f"particles={self.particles!r} must be a whole number")
        if self.particles < 1:
            raise InputError(f"particles={self.particles!r} must be >= 1")
        if self.particles > MAX_PARTICLES:
            raise InputError(f"particles={self.particles!r} must be <= {MAX_PARTICLES}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise InputError(f"seed={self.seed!r} must be a whole number >= 0")
        self._check_steps()
        if self.release_end is not None:
            self._check_release(require_utc(self.release_end, "release_end"))
        p = self.jibe_probability_per_h
        if not (isinstance(p, int | float) and 0.0 <= p < 1.0):
            raise InputError(f"jibe_probability_per_h={p!r} not in [0, 1)")
        if self.coast_action not in get_args(CoastAction):
            raise InputError(
                f"coast_action={self.coast_action!r} must be 'stranding' or 'previous'"
            )
        if self.device not in get_args(Device):
            raise InputError(f"device={self.device!r} must be 'cpu' or 'gpu'")
        _finite("max_drift_speed_ms", self.max_drift_speed_ms, 1e-6, 100.0)
        if self.capsizing is not None and self.step.total_seconds() < 0:
            raise InputError("capsizing cannot run backward in time (negative step)")
        for i, reader in enumerate(self.forcing):
            if not isinstance(reader, ForcingReader):
                raise InputError(f"forcing[{i}]={reader!r} is not a forcing reader")

    def _check_steps(self) -> None:
        dt_s = self.step.total_seconds()
        dur_s = self.duration.total_seconds()
        out_s = self.output_step.total_seconds()
        if dt_s == 0:
            raise InputError("step=0 is not a time step")
        if dur_s <= 0:
            raise InputError(f"duration={self.duration} must be positive")
        n_steps = round(dur_s / abs(dt_s))
        if not math.isclose(n_steps * abs(dt_s), dur_s, rel_tol=1e-9):
            raise InputError(
                f"duration={self.duration} is not a whole number of steps of {self.step}"
            )
        out_every = round(out_s / abs(dt_s))
        if out_every < 1 or not math.isclose(out_every * abs(dt_s), abs(out_s), rel_tol=1e-9):
            raise InputError(
                f"output_step={self.output_step} must be a multiple of step={self.step}"
            )
        if n_steps % out_every:
            raise InputError(f"duration={self.duration} must be a multiple of {self.output_step}")

    def _check_release(self, end: datetime) -> None:
        span_s = (end - self.time).total_seconds()
        if span_s * self.step.total_seconds() < 0:
            raise InputError(f"release_end={end.isoformat()} lies against the run's direction")
        if abs(span_s) > self.duration.total_seconds():
            raise InputError(f"release_end={end.isoformat()} is after the run ends")

    def describe(self) -> dict[str, Any]:
        """Return every field as JSON values (readers by name; ``attrs`` left out).

        Two requests with equal descriptions run the same drift; the description is what a
        run records of how it was asked.
        """
        return {
            "object_class": self.object_class,
            "seeding": repr(self.seeding),
            "time": self.time.isoformat(),
            "duration_s": self.duration.total_seconds(),
            "forcing": [reader.name for reader in self.forcing],
            "step_s": self.step.total_seconds(),
            "output_step_s": self.output_step.total_seconds(),
            "particles": self.particles,
            "seed": self.seed,
            "release_end": None if self.release_end is None else self.release_end.isoformat(),
            "jibe_probability_per_h": self.jibe_probability_per_h,
            "leeway_spread": self.leeway_spread,
            "capsizing": None if self.capsizing is None else repr(self.capsizing),
            "perturbation": None if self.perturbation is None else repr(self.perturbation),
            "stokes": self.stokes,
            "coast": self.coast,
            "coast_action": self.coast_action,
            "max_drift_speed_ms": self.max_drift_speed_ms,
            "device": self.device,
        }
