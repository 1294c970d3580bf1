"""One drift of several weighted scenarios and objects: the mixture SAROPS plans on.

Each (scenario, object) pair is a *component*, drifted by the ordinary kernel with its own
seeding, start time and Leeway class; a transition (vessel to life raft after ``T`` hours)
drifts the component's particles as the first class until ``T`` and from there on, from
where they are, as the second. The components' particles are concatenated into one
:class:`~littoral.drift.DriftResult` whose weights are the mixture's: a particle of component
``k`` with ``n_k`` particles weighs ``w_s f_o / n_k`` (scenario weight times object fraction).
The result's ``scenario_components`` attribute (JSON) names each component's block of
particles, so a probability map of the result is the weighted mixture, a Bayesian update of
its weights is the update over the mixture, and :func:`scenario_shares` reads each scenario's
share of the probability from the weights at any time. Why components run apart and are not
labels inside one kernel call: ``docs/design/0003-scenarios.md``.

Start times are put on the output grid of the earliest scenario (rounded to the nearest
output step); before its start a component's particles sit at their seeds, ``NOT_RELEASED``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from littoral.drift.request import DriftRequest
from littoral.drift.result import DriftResult, ParticleStatus
from littoral.drift.scenarios import Scenario, normalised_weights
from littoral.drift.seeding import PositionsSeed
from littoral.errors import InputError

COMPONENTS_ATTR = "scenario_components"
"""Result attribute (JSON list): each component's scenario, object, weight and particles."""

MIN_SHARE_OF_EVEN = 0.25
"""A component gets at least this share of an even split of the particles, however small its
weight: a later message may raise it, and a few dozen particles draw no shape."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Component:
    """One (scenario, object) block of a mixture's particles."""

    scenario: str
    object_class: str
    weight: float
    start: int
    count: int
    to_object: str | None = None
    after_h: float | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the component as JSON values."""
        return dataclasses.asdict(self)


def components_of(result: DriftResult) -> list[Component]:
    """Return the components a mixture result records; a single drift has none."""
    raw = result.attrs.get(COMPONENTS_ATTR)
    if not raw:
        return []
    return [Component(**c) for c in json.loads(raw)]


def scenario_shares(
    result: DriftResult, weight: npt.NDArray[np.float64] | None = None
) -> dict[str, float]:
    """Return each scenario's share of the probability under ``weight`` (default the result's).

    The shares sum to one; an unsuccessful search lowers the weights where it looked, so the
    shares after it are the posterior probabilities of the scenarios (Bayes' rule).
    """
    w = np.asarray(result.weight if weight is None else weight, dtype=np.float64)
    total = float(w.sum())
    if not total > 0:
        raise InputError("the particle weights sum to zero")
    shares: dict[str, float] = {}
    for c in components_of(result):
        mass = float(w[c.start : c.start + c.count].sum()) / total
        shares[c.scenario] = shares.get(c.scenario, 0.0) + mass
    return shares


def _particles(masses: Sequence[float], total: int) -> list[int]:
    """Split ``total`` particles by mass, with a floor for every component of some mass."""
    live = [m > 0 for m in masses]
    k = sum(live)
    floor = max(1, int(total * MIN_SHARE_OF_EVEN / max(k, 1)))
    return [max(floor, round(total * m)) if m > 0 else 0 for m in masses]


def _grid_start(t0: datetime, at: datetime, output_step: timedelta) -> datetime:
    steps = round((at - t0) / output_step)
    return t0 + steps * output_step


def _pad(part: DriftResult, n_before: int, output_step: timedelta) -> DriftResult:
    """Hold a component at its seeds, ``NOT_RELEASED``, for ``n_before`` earlier outputs."""
    if n_before == 0:
        return part
    step = np.timedelta64(round(output_step.total_seconds()), "s")
    times = part.times[0] - step * np.arange(n_before, 0, -1)
    lon = np.concatenate([np.repeat(part.lon[:1], n_before, axis=0), part.lon])
    lat = np.concatenate([np.repeat(part.lat[:1], n_before, axis=0), part.lat])
    held = np.full((n_before, part.n_particles), ParticleStatus.NOT_RELEASED, dtype=np.int8)
    status = np.concatenate([held, part.status])
    return dataclasses.replace(
        part, times=np.concatenate([times, part.times]), lon=lon, lat=lat, status=status
    )


def _then(first: DriftResult, second: DriftResult) -> DriftResult:
    """Join a component's first object's run and its second's (which starts at the first's end)."""
    return dataclasses.replace(
        first,
        times=np.concatenate([first.times, second.times[1:]]),
        lon=np.concatenate([first.lon, second.lon[1:]]),
        lat=np.concatenate([first.lat, second.lat[1:]]),
        status=np.concatenate([first.status, second.status[1:]]),
    )


def _hold(first: DriftResult, n_after: int) -> DriftResult:
    """Keep every particle of ``first`` where its last output left it for ``n_after`` outputs."""
    step = first.times[-1] - first.times[-2] if first.n_times > 1 else np.timedelta64(0, "s")
    times = first.times[-1] + step * np.arange(1, n_after + 1)
    rep = np.repeat
    return dataclasses.replace(
        first,
        times=np.concatenate([first.times, times]),
        lon=np.concatenate([first.lon, rep(first.lon[-1:], n_after, axis=0)]),
        lat=np.concatenate([first.lat, rep(first.lat[-1:], n_after, axis=0)]),
        status=np.concatenate([first.status, rep(first.status[-1:], n_after, axis=0)]),
    )


Runner = Callable[[DriftRequest], DriftResult]


def _component(
    template: DriftRequest,
    scenario: Scenario,
    object_class: str,
    start: datetime,
    end: datetime,
    n: int,
    seed: int,
    run: Runner,
) -> tuple[DriftResult, Component]:
    window = scenario.window()
    request = dataclasses.replace(
        template,
        object_class=object_class,
        seeding=scenario.seeding(),
        time=start,
        duration=end - start,
        release_end=start + window if window > timedelta(0) else None,
        particles=n,
        seed=seed,
    )
    transition = scenario.transition_of(object_class)
    out = template.output_step
    if transition is None or start + timedelta(hours=transition.after_h) >= end:
        return run(request), _record(scenario, object_class, n)
    switch = _grid_start(start, start + timedelta(hours=transition.after_h), out)
    switch = max(switch, start + out)
    first = run(dataclasses.replace(request, duration=switch - start))
    n_rest = round((end - switch) / out)
    last = first.status[-1]
    afloat = last != ParticleStatus.STRANDED
    if not afloat.any():  # all ashore: nothing left to drift as the second object
        whole = _hold(first, n_rest)
    else:
        second = run(
            dataclasses.replace(
                request,
                object_class=transition.to_object,
                seeding=PositionsSeed(first.lon[-1].copy(), first.lat[-1].copy()),
                time=switch,
                duration=end - switch,
                release_end=None,
                seed=seed + 1_000_003,
            )
        )
        whole = _then(first, second)
    component = _record(scenario, object_class, n)
    return whole, dataclasses.replace(
        component, to_object=transition.to_object, after_h=transition.after_h
    )


def _record(scenario: Scenario, object_class: str, n: int) -> Component:
    return Component(
        scenario=scenario.name, object_class=object_class, weight=0.0, start=0, count=n
    )


def run_mixture(
    template: DriftRequest,
    scenarios: Sequence[Scenario],
    *,
    run: Runner | None = None,
    progress: Callable[[float], None] | None = None,
) -> DriftResult:
    """Drift every scenario and object of ``scenarios`` and return their weighted mixture.

    Parameters
    ----------
    template:
        The forcing, steps, options, seed and total number of particles; its ``time`` and
        ``duration`` give the run's end (``time + duration``), and the run starts at the
        earliest scenario's time. Its seeding and object are replaced per component.
    scenarios:
        The scenarios; scenarios of weight 0 are recorded and not drifted.
    run:
        The drift runner (default :func:`littoral.drift.run`).
    progress:
        Optional callback with the fraction done.

    Returns
    -------
    DriftResult
        All components' particles, weights summing to one; attributes ``scenarios`` (the
        scenarios as given, JSON) and ``scenario_components``.
    """
    if template.step.total_seconds() < 0:
        raise InputError("scenarios drift forward only (backtracking takes one datum)")
    if run is None:
        from littoral.drift.engine import run as engine_run

        run = engine_run
    weights = normalised_weights(scenarios)
    end = template.time + template.duration
    live = [(s, w) for s, w in zip(scenarios, weights, strict=True) if w > 0]
    t0 = min(s.time for s, _ in live).replace(microsecond=0)
    out = template.output_step
    if t0 + out > end:
        raise InputError(
            f"the run ends at {end.isoformat()}, before the earliest scenario "
            f"({t0.isoformat()}) has one output step"
        )
    end = t0 + math.ceil((end - t0) / out) * out
    pairs = [(s, o, w * f) for s, w in live for o, f in s.fractions()]
    counts = _particles([m for _, _, m in pairs], template.particles)
    parts: list[DriftResult] = []
    components: list[Component] = []
    start_index = 0
    n_out = round((end - t0) / out) + 1
    for k, ((scenario, obj, mass), n) in enumerate(zip(pairs, counts, strict=True)):
        start = min(_grid_start(t0, scenario.time, out), end - out)
        part, comp = _component(template, scenario, obj, start, end, n, template.seed + k, run)
        part = _pad(part, n_out - part.n_times, out)
        parts.append(part)
        components.append(dataclasses.replace(comp, weight=mass, start=start_index))
        start_index += n
        if progress is not None:
            progress((k + 1) / len(pairs))
    weight = np.concatenate([np.full(c.count, c.weight / c.count) for c in components])
    times = parts[0].times
    if any(p.times.shape != times.shape or (p.times != times).any() for p in parts):
        raise InputError("the scenarios' drift outputs do not share their times")  # unreachable
    attrs = dict(parts[0].attrs)
    attrs["scenarios"] = json.dumps([s.to_mapping() for s in scenarios])
    attrs[COMPONENTS_ATTR] = json.dumps([c.to_json() for c in components])
    main = max(components, key=lambda c: c.weight)
    return DriftResult(
        times=times,
        lon=np.concatenate([p.lon for p in parts], axis=1),
        lat=np.concatenate([p.lat for p in parts], axis=1),
        status=np.concatenate([p.status for p in parts], axis=1),
        weight=weight / weight.sum(),
        seed=template.seed,
        object_class=main.object_class,
        attrs=attrs,
    )
