"""Ensembles: particles spread over forcing members, scenarios x members run anywhere.

A forcing ensemble (ECMWF ENS ``number``, or one file per member) is a set of equally
likely forcings. :func:`member_requests` splits one request into one request per member,
with the particles shared out as evenly as possible (``numpy.array_split``) and each member
seeded from the request's seed (``numpy.random.SeedSequence(seed).spawn``), so the ensemble
is reproducible and no two members share random numbers. Each member runs the ordinary
:func:`littoral.drift.run`; :func:`merge` joins their particles into one
:class:`~littoral.drift.result.DriftResult` whose weights still sum to one (each member
weighs its share of the particles).

:func:`run_ensemble` runs several scenarios (requests: other objects, other last known
positions) times their members, in this process or on a Dask distributed cluster
(``client``: ``distributed.Client("tcp://scheduler:8786")``): each member is one task, so a
centre uses all its machines. A member's result depends only on its request and seed, never
on where or in what order it ran, so the distributed result equals the in-process one.
Workers open the forcing files themselves: the paths must be readable there (shared storage).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from littoral.drift.engine import DriftRequest, run
from littoral.drift.forcing.members import member_of, n_members
from littoral.drift.result import DriftResult
from littoral.errors import InputError

ProgressCallback = Callable[[float], None]


def ensemble_size(request: DriftRequest) -> int:
    """Return the number of members of the request's forcing (1 without an ensemble).

    Raises
    ------
    InputError
        If two readers have different numbers of members (above one).
    """
    sizes = {n_members(r) for r in request.forcing} - {1}
    if len(sizes) > 1:
        raise InputError(f"forcing readers have different numbers of members: {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def member_requests(request: DriftRequest) -> list[DriftRequest]:
    """One request per member, particles shared out, seeds spawned from the request's."""
    m = ensemble_size(request)
    if m == 1:
        return [request]
    if request.particles < m:
        raise InputError(f"particles={request.particles} is fewer than the {m} members")
    counts = [len(a) for a in np.array_split(np.arange(request.particles), m)]
    seeds = [int(s.generate_state(1, np.uint64)[0] >> np.uint64(1))
             for s in np.random.SeedSequence(request.seed).spawn(m)]  # fmt: skip
    return [
        replace(
            request,
            forcing=[member_of(r, k) for r in request.forcing],
            particles=counts[k],
            seed=seeds[k],
            attrs={**request.attrs, "ensemble_member": str(k)},
        )
        for k in range(m)
    ]


def merge(request: DriftRequest, parts: Sequence[DriftResult]) -> DriftResult:
    """Join the members' particles into one result (weights by share of particles)."""
    if len(parts) == 1:
        return parts[0]
    total = sum(p.n_particles for p in parts)
    weight = np.concatenate([p.weight * (p.n_particles / total) for p in parts])
    attrs = dict(parts[0].attrs)
    attrs.pop("ensemble_member", None)
    attrs["ensemble_members"] = str(len(parts))
    attrs["ensemble_member_particles"] = json.dumps([p.n_particles for p in parts])
    attrs["ensemble_member_seeds"] = json.dumps([p.seed for p in parts])
    for key in ("forcing_wind", "forcing_current", "forcing_stokes"):
        attrs[key] = " | ".join(p.attrs.get(key, "") for p in parts)
    return DriftResult(
        times=parts[0].times,
        lon=np.concatenate([p.lon for p in parts], axis=1),
        lat=np.concatenate([p.lat for p in parts], axis=1),
        status=np.concatenate([p.status for p in parts], axis=1),
        weight=weight,
        seed=int(request.seed),
        object_class=parts[0].object_class,
        attrs=attrs,
    )


def _run_member(request: DriftRequest) -> DriftResult:
    return run(request)


def run_ensemble(
    scenarios: Sequence[DriftRequest],
    *,
    client: Any = None,
    progress: ProgressCallback | None = None,
) -> list[DriftResult]:
    """Run scenarios x members; one merged result per scenario, in order.

    Parameters
    ----------
    scenarios:
        The requests.
    client:
        A ``distributed.Client``; ``None`` runs here, one member after the other.
    progress:
        Called with the fraction of members done.
    """
    if not scenarios:
        raise InputError("no scenario to run")
    plans = [member_requests(s) for s in scenarios]
    flat = [r for plan in plans for r in plan]
    if client is None:
        results = []
        for i, r in enumerate(flat):
            if len(flat) == 1:
                results.append(run(r, progress=progress))
                continue
            results.append(run(r))
            if progress is not None:
                progress((i + 1) / len(flat))
    else:
        futures = client.map(_run_member, flat, pure=False)
        results = client.gather(futures)
        if progress is not None:
            progress(1.0)
    out, k = [], 0
    for scenario, plan in zip(scenarios, plans, strict=True):
        out.append(merge(scenario, results[k : k + len(plan)]))
        k += len(plan)
    return out


def connect(address: str) -> Any:
    """Return a ``distributed.Client`` for a scheduler address (``tcp://host:8786``).

    Raises
    ------
    InputError
        If the address is not ``tcp://``/``tls://`` or the scheduler cannot be reached.
    """
    if not address.startswith(("tcp://", "tls://")):
        raise InputError(f"--dask {address!r} must be a scheduler address like tcp://host:8786")
    from distributed import Client

    try:
        return Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
