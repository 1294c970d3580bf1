"""The GPU kernel's source, built as plain C++ on the host, gives the numba kernel's particles.

The CUDA path cannot run without a GPU; its source is written to compile as C++ as well, so
here it is checked against the CPU kernel step for step (same seeds, same random streams).
"""

import ctypes
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from littoral.drift import (
    Capsizing,
    ConstantForcing,
    ParticleStatus,
    Perturbation,
    PointSeed,
    engine,
    run,
)
from littoral.drift.gpu import flat_args
from littoral.drift.gpu_source import PARAMS, SOURCE

_CTYPES = {
    "long long": ctypes.c_longlong,
    "double": ctypes.c_double,
    "int": ctypes.c_int,
    "unsigned long long": ctypes.c_ulonglong,
}


@pytest.fixture(scope="module")
def host_kernel(tmp_path_factory):
    cxx = shutil.which("g++") or shutil.which("c++")
    if cxx is None:
        pytest.skip("no C++ compiler to build the GPU kernel source on the host")
    d = tmp_path_factory.mktemp("gpu_src")
    (d / "k.cpp").write_text(SOURCE)
    subprocess.run([cxx, "-O2", "-std=c++17", "-shared", "-fPIC", "-o", str(d / "k.so"),
                    str(d / "k.cpp")], check=True)  # fmt: skip
    lib = ctypes.CDLL(str(d / "k.so"))
    fn = lib.drift_kernel_host
    fn.restype = None
    fn.argtypes = [ctypes.c_void_p if p.ctype.endswith("*") else _CTYPES[p.ctype] for p in PARAMS]
    return fn


def _call_host(fn, args, k0, k1) -> None:
    flat = flat_args(args, k0, k1)
    fn(*[v.ctypes.data if isinstance(v, np.ndarray) else v.item() for _, v in flat])


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple):
        return type(value)(*(_copy(v) for v in value))
    return value


@pytest.mark.parametrize("coast_action", ["stranding", "previous"])
def test_host_build_of_gpu_source_matches_numba(
    host_kernel, make_request, monkeypatch, coast_action
) -> None:
    real = engine.drift_kernel
    stranded: list[int] = []

    def both(args, k0, k1):
        copy = _copy(args)
        real(args, k0, k1)
        _call_host(host_kernel, copy, k0, k1)
        # compared at once: the engine hands the same state arrays to the next chunk
        for cpu, host in ((args.state, copy.state), (args.out, copy.out)):
            np.testing.assert_allclose(host.lon, cpu.lon, rtol=0, atol=1e-9)
            np.testing.assert_allclose(host.lat, cpu.lat, rtol=0, atol=1e-9)
            np.testing.assert_array_equal(host.status, cpu.status)
        for name in ("side", "capsized", "jibe_n"):
            np.testing.assert_array_equal(getattr(copy.state, name), getattr(args.state, name))
        stranded.append(int(np.sum(args.state.status == ParticleStatus.STRANDED)))

    monkeypatch.setattr(engine, "drift_kernel", both)
    # Toward the Baku shore, with jibing, capsizing and the perturbation all on.
    forcing = [ConstantForcing.from_observation(wind=(60.0, 60.0), current=(250.0, 1.5))]
    run(make_request(seeding=PointSeed(50.0, 40.15, 3000.0), forcing=forcing, coast=True,
                     particles=300, duration=timedelta(hours=24), capsizing=Capsizing(),
                     perturbation=Perturbation(), jibe_probability_per_h=0.3,
                     coast_action=coast_action))  # fmt: skip
    if coast_action == "stranding":
        assert stranded[-1] > 0  # the shore code ran
    else:
        assert stranded[-1] == 0


def test_gpu_source_compiles_with_nvcc(tmp_path: Path) -> None:
    nvcc = shutil.which("nvcc")
    if nvcc is None:
        pytest.skip("no CUDA compiler (nvcc) here")
    (tmp_path / "k.cu").write_text(SOURCE)
    proc = subprocess.run([nvcc, "-std=c++17", "-ptx", "-o", str(tmp_path / "k.ptx"),
                           str(tmp_path / "k.cu")], capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert ".entry drift_kernel" in (tmp_path / "k.ptx").read_text()


def test_gpu_device_without_cupy_says_so(make_request) -> None:
    import importlib.util

    from littoral.errors import InputError, LittoralError

    if importlib.util.find_spec("cupy") is not None:
        pytest.skip("CuPy is installed here; the gpu-marked tests cover it")
    with pytest.raises(LittoralError, match="CuPy"):
        run(make_request(device="gpu", duration=timedelta(hours=1)))
    with pytest.raises(InputError, match="device='tpu'"):
        run(make_request(device="tpu"))


@pytest.mark.gpu
def test_gpu_run_matches_cpu(make_request) -> None:
    pytest.importorskip("cupy")
    forcing = [ConstantForcing.from_observation(wind=(60.0, 40.0), current=(250.0, 1.5))]
    kw = {"seeding": PointSeed(50.0, 40.15, 3000.0), "forcing": forcing, "coast": True,
          "particles": 2000, "duration": timedelta(hours=24),
          "perturbation": Perturbation()}  # fmt: skip
    cpu = run(make_request(**kw))
    gpu = run(make_request(device="gpu", **kw))
    np.testing.assert_allclose(gpu.lon, cpu.lon, atol=1e-8)
    np.testing.assert_array_equal(gpu.status, cpu.status)
