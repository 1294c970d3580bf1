"""The kernel's time loop in chunks, with output handed to sinks while the next chunk runs.

Without sinks, the kernel writes every output time into arrays that hold the whole run (what
:class:`~littoral.drift.result.DriftResult` keeps). With sinks (a trajectory file, density
grids, a centroid track: :mod:`littoral.drift.output`), it writes each chunk of output times
into one of two small buffers: a writer thread passes one to the sinks while the kernel
fills the other, and only the output times asked to be kept are copied aside. Memory then
does not grow with the number of output times, and writing overlaps computing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from littoral.drift.kernel_args import KernelArgs, Output
from littoral.drift.output import AsyncSinks, OutputSink
from littoral.errors import InputError

Kernel = Callable[[KernelArgs, int, int], None]
_FIRST_ROW = 2  # writer token of output time 0 (tokens 0 and 1 are the two buffers)


def _outputs(rows: int, n: int) -> Output:
    return Output(np.empty((rows, n)), np.empty((rows, n)), np.empty((rows, n), np.int8))


def keep_index(keep: Sequence[int] | None, n_out: int) -> npt.NDArray[np.int64]:
    """Return the sorted output time indices to keep (all for ``None``; negative from the end).

    Raises
    ------
    InputError
        If an index is outside the ``n_out`` output times.
    """
    if keep is None:
        return np.arange(n_out, dtype=np.int64)
    idx = np.asarray(list(keep), dtype=np.int64)
    if idx.size and not (idx.min() >= -n_out and idx.max() < n_out):
        raise InputError(f"keep={list(keep)!r} is outside the {n_out} output times")
    return np.unique(np.where(idx < 0, idx + n_out, idx))


def drive(
    kernel: Kernel,
    args: KernelArgs,
    *,
    n_steps: int,
    chunk_steps: int,
    sinks: Sequence[OutputSink] = (),
    keep: Sequence[int] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Output:
    """Run the kernel over every step; return the kept output times.

    ``args.out`` is ignored (the output arrays are made here). ``chunk_steps`` is a multiple
    of the output interval, or every step at once (one GPU launch). The returned arrays
    have one row per kept output time (``keep``: indices, negative from the end; ``None``,
    all) in time order.
    """
    every = args.params.out_every
    n_out = n_steps // every + 1
    n = int(args.state.lon.size)
    kept_idx = keep_index(keep, n_out)
    st = args.state
    windowed = bool(sinks) and chunk_steps < n_steps
    if not windowed:
        out = _outputs(n_out, n)
        out.lon[0], out.lat[0], out.status[0] = st.lon, st.lat, st.status
        full = args._replace(params=args.params._replace(out_first=0), out=out)
        for k0 in range(0, n_steps, chunk_steps):
            k1 = min(k0 + chunk_steps, n_steps)
            kernel(full, k0, k1)
            if progress is not None:
                progress(k1 / n_steps)
        for sink in sinks:
            sink.write(0, out.lon, out.lat, out.status)
        if kept_idx.size == n_out:
            return out
        return Output(out.lon[kept_idx], out.lat[kept_idx], out.status[kept_idx])

    kept = _outputs(int(kept_idx.size), n)
    pos = {int(j): i for i, j in enumerate(kept_idx)}
    if 0 in pos:
        kept.lon[pos[0]], kept.lat[pos[0]], kept.status[pos[0]] = st.lon, st.lat, st.status
    rows = chunk_steps // every
    buffers = (_outputs(rows, n), _outputs(rows, n))
    with AsyncSinks(sinks) as writer:
        writer.submit(_FIRST_ROW, 0, st.lon[None].copy(), st.lat[None].copy(),
                      st.status[None].copy())  # fmt: skip
        for i, k0 in enumerate(range(0, n_steps, chunk_steps)):
            k1 = min(k0 + chunk_steps, n_steps)
            token = i % 2
            buf = buffers[token]
            writer.wait(token)  # the sinks are done with this buffer
            j0 = k0 // every + 1
            kernel(args._replace(params=args.params._replace(out_first=j0), out=buf), k0, k1)
            r = (k1 - k0) // every
            for j in range(j0, j0 + r):
                if j in pos:
                    w = pos[j]
                    kept.lon[w], kept.lat[w], kept.status[w] = (
                        buf.lon[j - j0],
                        buf.lat[j - j0],
                        buf.status[j - j0],
                    )
            writer.submit(token, j0, buf.lon[:r], buf.lat[:r], buf.status[:r])
            if progress is not None:
                progress(k1 / n_steps)
    return kept
