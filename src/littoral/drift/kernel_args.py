"""The drift kernel's arguments, written once: typed NamedTuples of arrays and scalars.

numba takes NamedTuples (nested ones too) as arguments of compiled functions, so the CPU
kernel (:mod:`littoral.drift.kernel`) receives one :class:`KernelArgs`, and the GPU path
(:mod:`littoral.drift.gpu`, :mod:`littoral.drift.gpu_source`) derives its flat C parameter
list from the same definitions (:func:`leaves`). ``mypy --strict`` checks every place that
builds them.

Scalars are coerced to their annotated type by :func:`coerced` before a call, so every caller
shares one compiled version of the kernel (an ``int`` where a ``float`` is declared would
compile a second one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, NamedTuple, get_args, get_type_hints

import numpy as np
import numpy.typing as npt

from littoral.geo.mask import LandMask

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
I8 = npt.NDArray[np.int8]
B1 = npt.NDArray[np.bool_]


class Params(NamedTuple):
    """Settings of a run, the same for every particle."""

    dt_s: float
    """Time step, seconds (negative when backtracking)."""
    out_every: int
    """Steps between outputs."""
    out_first: int
    """Output time held in row 0 of the :class:`Output` arrays (they may hold a window)."""
    consts: F64
    """The object class's Leeway constants (:func:`littoral.drift.leeway.class_constants`)."""
    jibe_rate: float
    """Jibes per second (Poisson rate); 0 turns jibing off."""
    capsize_on: bool
    capsize_fraction: float
    """Fraction of the leeway a capsized object keeps."""
    capsize_wind_ms: float
    capsize_sigma_ms: float
    ou_on: bool
    """Ornstein-Uhlenbeck forcing perturbation on."""
    ou_tau_s: float
    ou_sigma: F64
    """Standard deviation of the wind and of the current error components, m/s."""
    key: np.uint64
    """Key of the particles' counter-based random streams."""
    stokes_on: bool
    coast_on: bool
    coast_previous: bool
    """A particle meeting the shore goes back to its last water position (else strands)."""


class State(NamedTuple):
    """Per-particle state the kernel advances (read and written), shape ``(n,)``."""

    lon: F64
    lat: F64
    status: I8
    side: I8
    capsized: I8
    age_s: F64
    jibe_n: I64
    next_jibe_s: F64
    hazard: F64
    ou: F64
    """Shape ``(n, 4)`` with the perturbation on, ``(1, 4)`` without."""


class Draws(NamedTuple):
    """Per-particle values drawn once before the run (read only), shape ``(n,)``."""

    release_k: I64
    z_dw: F64
    z_cw: F64
    capsize_threshold: F64


class Field(NamedTuple):
    """One forcing quantity as a regular grid, with its time index per half step."""

    data: F64
    """``(ny, nx, nt, 2)``: both components next to each other, time next to them."""
    geom: F64
    """``[lon0, 1/dlon, lat0, 1/dlat]``."""
    ti: I64
    """Time index of each half step (``2 * n_steps + 1``)."""
    tw: F64
    """Time weight of each half step."""


class Forcing(NamedTuple):
    """The three forcing quantities (``stokes`` is unused unless ``Params.stokes_on``)."""

    wind: Field
    cur: Field
    stokes: Field


class Shore(NamedTuple):
    """The land mask and its clearance raster (chessboard distance to a non-water cell)."""

    mask: LandMask
    clearance: I32


class Output(NamedTuple):
    """Positions and status at output times, shape ``(n_out, n)``."""

    lon: F64
    lat: F64
    status: I8


class Scratch(NamedTuple):
    """Work arrays of the CPU kernel, shape ``(n,)``."""

    mid_lon: F64
    mid_lat: F64
    live: B1


class KernelArgs(NamedTuple):
    """Everything the kernel takes besides the range of steps."""

    params: Params
    state: State
    draws: Draws
    forcing: Forcing
    shore: Shore
    out: Output
    scratch: Scratch


WRITTEN = frozenset({"state", "out", "scratch"})
"""Groups of :class:`KernelArgs` that the kernel writes to."""

_COERCE: dict[Any, Callable[[Any], Any]] = {
    float: float,
    int: int,
    bool: bool,
    np.uint64: np.uint64,
}


@cache
def _hints(cls: type) -> tuple[tuple[str, Any], ...]:
    return tuple(get_type_hints(cls).items())


def coerced(value: Any) -> Any:
    """Return a NamedTuple (nested ones too) with each scalar coerced to its annotated type."""
    if not (isinstance(value, tuple) and hasattr(value, "_fields")):
        return value
    parts = []
    for (_, hint), item in zip(_hints(type(value)), value, strict=True):
        coerce = _COERCE.get(hint)
        parts.append(coerce(item) if coerce is not None else coerced(item))
    return type(value)(*parts)


def leaves(cls: type, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(path, annotation)`` for every scalar and array of a NamedTuple type, in order.

    Nested NamedTuples are walked; ``path`` joins the field names with ``.``.

    >>> [p for p, _ in leaves(Field)]
    ['data', 'geom', 'ti', 'tw']
    """
    for name, hint in _hints(cls):
        path = f"{prefix}{name}"
        if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
            yield from leaves(hint, f"{path}.")
        else:
            yield path, hint


def array_dtype(hint: Any) -> np.dtype[Any] | None:
    """Return the element type of an ``npt.NDArray[...]`` annotation, or ``None`` for a scalar."""
    args = get_args(hint)
    if len(args) == 2:
        (scalar,) = get_args(args[1])
        dtype: np.dtype[Any] = np.dtype(scalar)
        return dtype
    return None


def value_at(args: tuple[Any, ...], path: str) -> Any:
    """Return the leaf of a nested NamedTuple named by a ``.``-joined path (see :func:`leaves`)."""
    v: Any = args
    for name in path.split("."):
        v = getattr(v, name)
    return v
