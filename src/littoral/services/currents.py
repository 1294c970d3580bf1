"""Modelled currents for a case: the Caspian model run on the case's own wind, in one action.

No ocean product covers the Caspian, so a case's current usually comes from a single
on-scene report or from nothing. This use case runs :mod:`littoral.ocean` over the whole sea
from the wind the case already has (its attached forcing file if it holds wind, else its
on-scene observations or its single reported wind), from ``spin_up_h`` before the datum to
``duration_h`` after it, and writes the result into the case's folder. The case's next drifts
read it as their current (after an attached file's own current, before the on-scene value);
the case log says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from littoral.errors import InputError
from littoral.services.jobs import Outcome, Progress, Work
from littoral.services.requests import OnScene

if TYPE_CHECKING:
    from littoral.drift import ForcingReader
    from littoral.ocean import OceanResult
    from littoral.store.service import Case, Run

CURRENTS_KIND = "currents"
"""The run kind of a modelled-currents run."""


@dataclass(frozen=True, kw_only=True)
class CurrentsParams:
    """How to model a case's currents.

    Attributes
    ----------
    spin_up_h:
        Hours modelled before the datum, so that the currents have grown from rest (the
        North Caspian answers the wind within hours; 24 h is the default).
    duration_h:
        Hours modelled after the datum (drifts of the case must stay within them).
    rest_level_bs_m:
        Still-water level, m in the Baltic system (see ``docs/ocean.md``, "Datum").
    volga_m3s:
        Volga inflow, m^3/s (0: none).
    coarsen:
        Merge N x N cells (1: the native 7 km grid).
    """

    spin_up_h: float = 24.0
    duration_h: float = 48.0
    rest_level_bs_m: float = -27.5
    volga_m3s: float = 0.0
    coarsen: int = 1

    def __post_init__(self) -> None:
        for name, value, lo, hi in (
            ("spin_up_h", self.spin_up_h, 0.0, 240.0),
            ("duration_h", self.duration_h, 1.0, 240.0),
            ("volga_m3s", self.volga_m3s, 0.0, 100_000.0),
        ):
            if not (isinstance(value, int | float) and math.isfinite(value) and lo <= value <= hi):
                raise InputError(f"{name}={value!r} must be a number in [{lo:g}, {hi:g}]")

    def describe(self) -> str:
        """Return the settings in a line for the case log."""
        return (
            f"{self.spin_up_h:g} h before the datum to {self.duration_h:g} h after, rest level "
            f"{self.rest_level_bs_m:g} m BS, Volga {self.volga_m3s:g} m3/s"
        )


def case_wind(case: Case) -> list[ForcingReader]:
    """Return the wind of a case: its forcing file if it holds wind, else the on-scene wind.

    Raises
    ------
    InputError
        When the case has no wind at all.
    """
    from littoral.drift import ConstantForcing, ObservationSeries
    from littoral.drift.forcing import open_forcing
    from littoral.drift.forcing.names import WIND

    readers: list[ForcingReader] = []
    if case.forcing_file is not None and Path(case.forcing_file).is_file():
        reader = open_forcing(case.forcing_file, "wind")  # GRIB or NetCDF, by content
        if all(n in reader.variables for n in WIND):
            readers.append(reader)
    on = OnScene.from_environment(case.environment)
    if on is not None and len(on.observations) >= 2:
        obs = on.observations
        readers.append(
            ObservationSeries(
                "wind",
                [o.time for o in obs],
                [o.wind_from_deg for o in obs],
                [o.wind_speed_kn for o in obs],
                name=f"on-scene wind, {len(obs)} observations",
            )
        )
    elif on is not None and on.wind is not None:
        readers.append(ConstantForcing.from_observation(wind=on.wind))
    if not readers:
        raise InputError(
            f"case {case.id} has no wind: report the on-scene wind or attach a wind file first"
        )
    return readers


def _window(
    readers: list[ForcingReader], datum: datetime, params: CurrentsParams
) -> tuple[datetime, datetime]:
    """Return the modelled span, cut to where the wind is known (whole hours)."""
    from littoral.drift.forcing.names import WIND_U

    start_s = (datum - timedelta(hours=params.spin_up_h)).timestamp()
    end_s = (datum + timedelta(hours=params.duration_h)).timestamp()
    lows = [r.coverage(WIND_U).t_min_s for r in readers]
    highs = [r.coverage(WIND_U).t_max_s for r in readers]
    if all(t is not None for t in lows):
        start_s = max(start_s, min(t for t in lows if t is not None))
    if all(t is not None for t in highs):
        end_s = min(end_s, max(t for t in highs if t is not None))
    start = datetime.fromtimestamp(math.ceil(start_s / 3600.0) * 3600.0, UTC)
    end = datetime.fromtimestamp(math.floor(end_s / 3600.0) * 3600.0, UTC)
    if end <= max(start, datum):
        raise InputError(
            f"the case's wind covers no time after the datum ({datum:%Y-%m-%dT%H:%MZ}): "
            "report a wind or attach a wind file that covers the drift"
        )
    return start, end


def currents_summary(result: OceanResult, path: Path) -> dict[str, Any]:
    """Return the run's summary: the file, the span, the step and the water budget."""
    import numpy as np

    d = result.diagnostics
    return {
        "file": str(path),
        "start": str(result.times[0]) + "Z",
        "end": str(result.times[-1]) + "Z",
        "dt_s": round(d.dt_s, 3),
        "courant": round(d.courant, 4),
        "sea_cells": d.sea_cells,
        "relative_volume_error": d.relative_volume_error,
        "max_sea_level_m": round(float(np.nanmax(result.zos)), 3),
        "min_sea_level_m": round(float(np.nanmin(result.zos)), 3),
        "max_speed_ms": round(d.max_speed_ms, 3),
        "wind": result.wind_source,
        "rest_level_bs_m": result.grid.rest_level_bs_m,
    }


def currents_work(case: Case, params: CurrentsParams, target: Path) -> Work:
    """Return the work of modelling the case's currents into ``target`` (NetCDF)."""
    readers = case_wind(case)
    start, end = _window(readers, case.datum_time, params)

    def work(progress: Progress) -> Outcome:
        from littoral.ocean import (
            ModelSettings,
            caspian_grid,
            run_model,
            volga,
            wind_from_readers,
        )

        progress(0.02, "grid and wind")
        grid = caspian_grid(rest_level_bs_m=params.rest_level_bs_m, coarsen=params.coarsen)
        wind = wind_from_readers(readers, grid, start=start, end=end)
        settings = ModelSettings(river=volga(params.volga_m3s) if params.volga_m3s else None)
        result = run_model(
            grid,
            wind,
            start=start,
            duration=end - start,
            settings=settings,
            progress=lambda f: progress(0.05 + 0.85 * f, "modelling the currents"),
        )
        progress(0.92, "writing the currents")
        result.to_netcdf(str(target))
        return Outcome(currents_summary(result, target), value=result)

    return work


def modelled_currents_file(run: Run | None) -> str | None:
    """Return the file of a finished currents run, if it is still there."""
    if run is None:
        return None
    path = run.summary.get("file")
    return str(path) if path and Path(str(path)).is_file() else None
