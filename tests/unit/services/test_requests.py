"""The one drift request builder: one set of defaults, perturbation on, bad values named."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from littoral.errors import InputError
from littoral.services import DriftParams, DriftScene, OnScene, drift_request

T0 = datetime(2026, 5, 1, 11, 30, 12, 345000, tzinfo=UTC)


def scene(**overrides: object) -> DriftScene:
    values: dict[str, object] = {
        "object_class": "PIW-1",
        "lon": 50.2,
        "lat": 40.5,
        "time": T0,
        "on_scene": OnScene(wind=(0.0, 25.0), current=(180.0, 0.6)),
    }
    values.update(overrides)
    return DriftScene(**values)  # type: ignore[arg-type]


def test_defaults_perturb_and_are_recorded_in_the_request() -> None:
    request = drift_request(scene(), DriftParams())
    assert request.perturbation is not None
    assert request.particles == 2000
    assert request.seed == 1
    assert request.duration.total_seconds() == 12 * 3600
    assert request.time == T0.replace(microsecond=0)
    assert request.seeding.radius_m == pytest.approx(1852.0)  # type: ignore[union-attr]
    recorded = json.loads(request.attrs["request"])
    assert recorded == request.describe()
    assert recorded["forcing"] == [
        "constant wind from 0 deg at 25 kn; current toward 180 deg at 0.6 kn"
    ]
    off = drift_request(scene(), DriftParams(perturb=False))
    assert off.perturbation is None


def test_bad_parameters_are_named() -> None:
    with pytest.raises(InputError, match="particles=0"):
        DriftParams(particles=0)
    with pytest.raises(InputError, match="duration_h=-1"):
        DriftParams(duration_h=-1)
    with pytest.raises(InputError, match="device='tpu'"):
        DriftParams(device="tpu")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="datum lat=95"):
        scene(lat=95.0)
    with pytest.raises(InputError, match="no forcing"):
        drift_request(scene(on_scene=None), DriftParams())
    with pytest.raises(InputError, match="output_step"):
        drift_request(scene(), DriftParams(output_min=25))


def test_backward_runs_step_back() -> None:
    request = drift_request(scene(), DriftParams(backward=True))
    assert request.step.total_seconds() == -600


def test_forcing_files_are_opened_by_content_not_by_name(tmp_path) -> None:
    import numpy as np
    import xarray as xr

    from littoral.drift.forcing import NetCDFForcing
    from littoral.services.requests import ForcingFile, forcing_readers

    path = tmp_path / "era5_download"  # a NetCDF file without an extension
    xr.Dataset(
        {"u10": (("time", "lat", "lon"), np.ones((2, 2, 2)), {"units": "m s-1"}),
         "v10": (("time", "lat", "lon"), np.ones((2, 2, 2)), {"units": "m s-1"})},
        coords={"time": np.array(["2026-05-01T00", "2026-05-01T06"], dtype="datetime64[ns]"),
                "lat": [44.0, 46.0], "lon": [49.0, 51.0]},
    ).to_netcdf(path)  # fmt: skip
    scene = DriftScene(object_class="PIW-1", lon=50.0, lat=45.0,
                       time=datetime(2026, 5, 1, tzinfo=UTC),
                       forcing_files=(ForcingFile(path=str(path)),))  # fmt: skip
    (reader,) = forcing_readers(scene)
    assert isinstance(reader, NetCDFForcing)
    csv = tmp_path / "wind.nc"  # text, whatever its name says
    csv.write_text("time,direction_deg,speed_kn\n2026-05-01T00:00Z,0,10\n")
    with pytest.raises(InputError, match="say whether it holds wind or current"):
        forcing_readers(replace(scene, forcing_files=(ForcingFile(path=str(csv)),)))


def test_coast_action_reaches_the_request() -> None:
    assert drift_request(scene(), DriftParams()).coast_action == "stranding"
    request = drift_request(scene(), DriftParams(coast_action="previous"))
    assert request.coast_action == "previous"
    assert json.loads(request.attrs["request"])["coast_action"] == "previous"
    with pytest.raises(InputError, match="coast_action='bounce'"):
        DriftParams(coast_action="bounce")  # type: ignore[arg-type]


def test_a_release_seeds_a_line_or_a_cone_over_its_window() -> None:
    from datetime import timedelta

    from littoral.drift import ConeSeed, LineSeed
    from littoral.services import Release

    with pytest.raises(InputError, match="to_lon given without to_lat"):
        Release(to_lon=50.5)
    with pytest.raises(InputError, match="to_radius_m=500"):
        Release(to_radius_m=500.0)
    with pytest.raises(InputError, match="over_h=-1"):
        Release(over_h=-1.0)
    cone = Release(to_lon=50.6, to_lat=40.7, to_radius_m=2500.0, over_h=3.0).apply(scene())
    request = drift_request(cone, DriftParams())
    assert isinstance(request.seeding, ConeSeed)
    assert request.release_end == T0 + timedelta(hours=3)
    line = drift_request(Release(to_lon=50.6, to_lat=40.7).apply(scene()), DriftParams())
    assert isinstance(line.seeding, LineSeed)
    assert line.release_end is None
