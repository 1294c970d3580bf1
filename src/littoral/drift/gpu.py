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
from littoral.errors import LittoralError
from littoral.geo.mask import LandMask

THREADS_PER_BLOCK = 128

_SCALARS: dict[str, type[np.generic]] = {
    "long long": np.int64,
    "double": np.float64,
    "int": np.int32,
    "unsigned long long": np.uint64,
}
_OUTPUTS = {
    "lon",
    "lat",
    "status",
    "side",
    "capsized",
    "age_s",
    "jibe_n",
    "next_jibe_s",
    "hazard",
    "ou",
    "out_lon",
    "out_lat",
    "out_status",
}


def flat_args(*kernel_args: Any) -> list[tuple[str, Any]]:
    """Map the numba kernel's arguments to the C kernel's parameters, in order.

    Scalars become numpy scalars of the C type; arrays stay numpy arrays (C-contiguous).
    """
    (k0, k1, dt_s, out_every, lon, lat, status, side, capsized, age_s, jibe_n, next_jibe_s,
     hazard, ou, release_k, z_dw, z_cw, capsize_threshold, consts, jibe_rate, capsize_on,
     capsize_fraction, capsize_wind_ms, capsize_sigma_ms, ou_on, ou_tau_s, ou_sigma, key,
     wind, wind_geom, wind_ti, wind_tw, cur, cur_geom, cur_ti, cur_tw, stokes_on, stokes,
     stokes_geom, stokes_ti, stokes_tw, coast_on, mask, out_lon, out_lat, out_status,
     *_scratch) = kernel_args  # fmt: skip
    m: LandMask = mask
    values: dict[str, Any] = {
        "k0": k0, "k1": k1, "dt_s": dt_s, "out_every": out_every, "n": lon.size,
        "lon": lon, "lat": lat, "status": status, "side": side, "capsized": capsized,
        "age_s": age_s, "jibe_n": jibe_n, "next_jibe_s": next_jibe_s, "hazard": hazard,
        "ou": ou, "release_k": release_k, "z_dw": z_dw, "z_cw": z_cw,
        "capsize_threshold": capsize_threshold, "consts": consts, "jibe_rate": jibe_rate,
        "capsize_on": int(capsize_on), "capsize_fraction": capsize_fraction,
        "capsize_wind_ms": capsize_wind_ms, "capsize_sigma_ms": capsize_sigma_ms,
        "ou_on": int(ou_on), "ou_tau_s": ou_tau_s, "ou_sigma": ou_sigma, "key": key,
        "coast_on": int(coast_on), "m_lon0": m.lon0, "m_lat0": m.lat0, "m_inv": m.inv_cell,
        "m_nx": m.nx, "m_ny": m.ny, "cell_class": m.cell_class, "cell_mixed": m.cell_mixed,
        "mixed_start": m.mixed_start, "mixed_edges": m.mixed_edges, "ex0": m.ex0,
        "ey0": m.ey0, "ex1": m.ex1, "ey1": m.ey1, "eshore": m.eshore.view(np.uint8),
        "sec_table": _SEC_TABLE, "sec_n": _SEC_TABLE.size,
        "out_lon": out_lon, "out_lat": out_lat, "out_status": out_status,
    }  # fmt: skip
    for prefix, data, geom, ti, tw in (
        ("wind", wind, wind_geom, wind_ti, wind_tw),
        ("cur", cur, cur_geom, cur_ti, cur_tw),
        ("stokes", stokes, stokes_geom, stokes_ti, stokes_tw),
    ):
        values[prefix] = data
        values[f"{prefix}_ny"], values[f"{prefix}_nx"], values[f"{prefix}_nt"] = data.shape[:3]
        values[f"{prefix}_geom"], values[f"{prefix}_ti"], values[f"{prefix}_tw"] = geom, ti, tw
    values["stokes_on"] = int(stokes_on)
    out: list[tuple[str, Any]] = []
    for name, ctype in PARAMS:
        v = values[name]
        if ctype.endswith("*"):
            if not (isinstance(v, np.ndarray) and v.flags.c_contiguous):
                raise LittoralError(f"kernel argument {name} must be a C-contiguous array")
            out.append((name, v))
        else:
            out.append((name, _SCALARS[ctype](v)))
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


def drift_kernel_gpu(*kernel_args: Any) -> None:
    """Run the kernel on the GPU; same arguments and effect as the numba ``drift_kernel``."""
    kernel = _compiled()
    import cupy

    args = flat_args(*kernel_args)
    device: list[Any] = []
    back: list[tuple[np.ndarray[Any, Any], Any]] = []
    for name, v in args:
        if isinstance(v, np.ndarray):
            d = cupy.asarray(v)
            device.append(d)
            if name in _OUTPUTS:
                back.append((v, d))
        else:
            device.append(v)
    n = int(args[4][1])
    blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    kernel((blocks,), (THREADS_PER_BLOCK,), tuple(device))
    cupy.cuda.Device().synchronize()
    for host, dev in back:
        host[...] = cupy.asnumpy(dev)
