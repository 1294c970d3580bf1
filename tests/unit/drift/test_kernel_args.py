"""The kernel's argument list is written once, and its functions stay short of parameters."""

from __future__ import annotations

import inspect

import numba
import numpy as np

from littoral.drift import gpu_source, kernel
from littoral.drift.kernel_args import Field, KernelArgs, Params, coerced, leaves
from littoral.records.particle_status import ParticleStatus


def _compiled_functions() -> list[tuple[str, object]]:
    return [
        (name, obj)
        for name, obj in vars(kernel).items()
        if isinstance(obj, numba.core.registry.CPUDispatcher)
    ]


def test_no_kernel_function_takes_more_than_12_parameters() -> None:
    funcs = [*_compiled_functions(), ("drift_kernel", kernel.drift_kernel)]
    assert len(funcs) >= 8
    for name, fn in funcs:
        py = getattr(fn, "py_func", fn)
        n = len(inspect.signature(py).parameters)  # type: ignore[arg-type]
        assert n <= 12, f"{name} takes {n} parameters"


def test_status_codes_come_from_one_table() -> None:
    for s in ParticleStatus:
        assert getattr(kernel, s.name) == s.value
        assert f"#define {s.name} {s.value}\n" in gpu_source.SOURCE


def test_c_parameters_are_the_kernel_arguments() -> None:
    paths = {p.path for p in gpu_source.PARAMS if p.path is not None}
    expected = {path for path, _ in leaves(KernelArgs) if not path.startswith("scratch.")}
    assert paths == expected
    by_name = {p.name: p.ctype for p in gpu_source.PARAMS}
    assert by_name["lon"] == "double*"  # written by the kernel
    assert by_name["wind_data"] == "const double*"  # read only
    assert by_name["key"] == "unsigned long long"
    assert by_name["capsize_on"] == "int"


def test_scalars_are_coerced_to_their_declared_type() -> None:
    f = Field(np.zeros((1, 1, 2, 2)), np.zeros(4), np.zeros(3, np.int64), np.zeros(3))
    p = Params(
        dt_s=600,  # an int where a float is declared would compile a second kernel
        out_every=np.int64(6),  # type: ignore[arg-type]
        out_first=0,
        consts=np.zeros(9),
        jibe_rate=0,
        capsize_on=np.bool_(False),  # type: ignore[arg-type]
        capsize_fraction=0.4,
        capsize_wind_ms=30,
        capsize_sigma_ms=5,
        ou_on=False,
        ou_tau_s=1,
        ou_sigma=np.zeros(2),
        key=7,  # type: ignore[arg-type]
        stokes_on=False,
        coast_on=True,
        coast_previous=False,
    )
    c = coerced(p)
    assert type(c.dt_s) is float
    assert type(c.out_every) is int
    assert type(c.capsize_on) is bool
    assert type(c.key) is np.uint64
    assert coerced(f).data is f.data
