"""The drift kernel on a CUDA GPU through CuPy raw kernels (``DriftRequest(device="gpu")``).

CuPy is imported only when a GPU run is asked for; without it (or without a GPU) the run
stops with a :class:`~littoral.errors.LittoralError` that says so. The source is
:data:`littoral.drift.gpu_source.SOURCE`, the same algorithm as the numba kernel, with one
thread per particle holding its state in registers over the whole time loop. The whole run is
one launch; the state and output arrays are copied to the device before and back after.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from littoral.drift.gpu_source import PARAMS, SOURCE
from littoral.drift.kernel import _SEC_TABLE
from littoral.drift.kernel_args import Forcing, KernelArgs, value_at
from littoral.errors import LittoralError

THREADS_PER_BLOCK = 128

_SCALARS: dict[str, type[np.generic]] = {
    "long long": np.int64,
    "double": np.float64,
    "int": np.int32,
    "unsigned long long": np.uint64,
}


def flat_args(args: KernelArgs, k0: int, k1: int) -> list[tuple[str, Any]]:
    """Return the C kernel's arguments (:data:`~littoral.drift.gpu_source.PARAMS`), in order.

    Scalars become numpy scalars of the C type; arrays stay numpy arrays (C-contiguous).
    """
    derived: dict[str, Any] = {"k0": k0, "k1": k1, "n": args.state.lon.size,
                               "sec_table": _SEC_TABLE, "sec_n": _SEC_TABLE.size}  # fmt: skip
    for grid, fld in zip(Forcing._fields, args.forcing, strict=True):
        ny, nx, nt = fld.data.shape[:3]
        derived |= {f"{grid}_ny": ny, f"{grid}_nx": nx, f"{grid}_nt": nt}
    out: list[tuple[str, Any]] = []
    for p in PARAMS:
        v = derived[p.name] if p.path is None else value_at(args, p.path)
        if p.ctype.endswith("*"):
            if not (isinstance(v, np.ndarray) and v.flags.c_contiguous):
                raise LittoralError(f"kernel argument {p.name} must be a C-contiguous array")
            out.append((p.name, v))
        else:
            out.append((p.name, _SCALARS[p.ctype](v)))
    return out


def require_gpu() -> None:
    """Check that CuPy and a CUDA GPU are there (and compile the kernel), or raise."""
    _compiled()


@cache
def _compiled() -> Any:
    try:
        import cupy
    except ImportError as exc:
        raise LittoralError(
            "device 'gpu' needs CuPy (pip install cupy-cuda12x) and a CUDA GPU"
        ) from exc
    try:
        if cupy.cuda.runtime.getDeviceCount() < 1:
            raise LittoralError("device 'gpu': no CUDA GPU found")
    except cupy.cuda.runtime.CUDARuntimeError as exc:
        raise LittoralError(f"device 'gpu': no usable CUDA GPU ({exc})") from exc
    return cupy.RawKernel(SOURCE, "drift_kernel", options=("-std=c++17",))


def drift_kernel_gpu(args: KernelArgs, k0: int, k1: int) -> None:
    """Run the kernel on the GPU; same arguments and effect as the numba ``drift_kernel``."""
    kernel = _compiled()
    import cupy

    device: list[Any] = []
    back: list[tuple[np.ndarray[Any, Any], Any]] = []
    for p, (_, v) in zip(PARAMS, flat_args(args, k0, k1), strict=True):
        if isinstance(v, np.ndarray):
            d = cupy.asarray(v)
            device.append(d)
            if not p.ctype.startswith("const"):
                back.append((v, d))  # written by the kernel: copied back
        else:
            device.append(v)
    n = int(args.state.lon.size)
    blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    kernel((blocks,), (THREADS_PER_BLOCK,), tuple(device))
    cupy.cuda.Device().synchronize()
    for host, dev in back:
        host[...] = cupy.asnumpy(dev)
