"""The one place where a drift request and a search's detection conditions are built.

A drift is asked for with a :class:`DriftScene` (what drifts, from where and when, and the
on-scene data: wind, current, observation series, forcing files) and :class:`DriftParams`
(how: duration, particles, steps, seed, datum radius, perturbation). The web service builds
the scene from a stored case, the command line from its options, the exercise from its case;
all three then call :func:`drift_request`, so the same case drifts the same way wherever it
is started.

Defaults (:class:`DriftParams`): 12 h, 2,000 particles, a 10 min step, output every 30 min,
seed 1, a datum radius of 1 NM, and **forcing perturbation on**. On-scene wind and current
are single observations whose errors are of the order of the Leeway coefficients' spread;
the correlated perturbation (an Ornstein-Uhlenbeck process per particle, Breivik and Allen
2008, :class:`littoral.drift.Perturbation`) spreads the cloud by that uncertainty. Without it
the cloud of a PIW-1 after 12 h in 25 kn of wind is about a tenth narrower, which shrinks the
area a coordinator searches.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from littoral.clock import require_utc
from littoral.errors import InputError

if TYPE_CHECKING:
    from littoral.drift import DriftRequest, ForcingReader
    from littoral.search.detection import DetectionModel
    from littoral.store.service import Case

Device = Literal["cpu", "gpu"]
CoastAction = Literal["stranding", "previous"]
SeedShape = Literal["normal", "uniform"]
M_PER_NM = 1852.0


def _number(name: str, value: float, low: float, high: float, *, open_low: bool = False) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if ok:
        ok = (value > low if open_low else value >= low) and value <= high
    if not ok:
        bracket = "(" if open_low else "["
        raise InputError(f"{name}={value!r} must be a number in {bracket}{low:g}, {high:g}]")


@dataclass(frozen=True, kw_only=True)
class Observation:
    """One on-scene reading: wind (from) and current (toward) at a time."""

    time: datetime
    wind_from_deg: float
    wind_speed_kn: float
    current_to_deg: float
    current_speed_kn: float

    def __post_init__(self) -> None:
        require_utc(self.time, "observation time")
        _number("wind_from_deg", self.wind_from_deg, 0.0, 360.0)
        _number("wind_speed_kn", self.wind_speed_kn, 0.0, 150.0)
        _number("current_to_deg", self.current_to_deg, 0.0, 360.0)
        _number("current_speed_kn", self.current_speed_kn, 0.0, 10.0)

    def row(self) -> list[Any]:
        """Return the reading as stored: ``[time, wind from, wind kn, current to, current kn]``."""
        t = self.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return [
            t,
            self.wind_from_deg,
            self.wind_speed_kn,
            self.current_to_deg,
            self.current_speed_kn,
        ]

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Observation:
        """Read back :meth:`row`."""
        if len(row) != 5:
            raise InputError(f"observation {row!r} must be [time, wind from, kn, current to, kn]")
        try:
            when = datetime.fromisoformat(str(row[0]).replace("Z", "+00:00"))
        except ValueError as exc:
            raise InputError(f"observation time={row[0]!r} is not ISO 8601") from exc
        return cls(
            time=when,
            wind_from_deg=float(row[1]),
            wind_speed_kn=float(row[2]),
            current_to_deg=float(row[3]),
            current_speed_kn=float(row[4]),
        )


@dataclass(frozen=True, kw_only=True)
class OnScene:
    """What is known on scene: wind, current, visibility, sea, water temperature.

    ``wind`` is (direction **from**, knots), ``current`` (direction **toward**, knots), as
    ``docs/conventions.md`` says. ``observations``, when there are two or more, are a time
    series of wind and current that the drift follows instead of the single values.
    """

    wind: tuple[float, float] | None = None
    current: tuple[float, float] | None = None
    visibility_nm: float = 10.0
    sea_height_m: float = 1.0
    water_temp_c: float | None = None
    observations: tuple[Observation, ...] = ()

    def __post_init__(self) -> None:
        if self.wind is not None:
            _number("wind_from_deg", self.wind[0], 0.0, 360.0)
            _number("wind_speed_kn", self.wind[1], 0.0, 150.0)
        if self.current is not None:
            _number("current_to_deg", self.current[0], 0.0, 360.0)
            _number("current_speed_kn", self.current[1], 0.0, 10.0)
        _number("visibility_nm", self.visibility_nm, 0.0, 50.0, open_low=True)
        _number("sea_height_m", self.sea_height_m, 0.0, 20.0)
        if self.water_temp_c is not None:
            _number("water_temp_c", self.water_temp_c, -2.0, 40.0)
        times = [o.time for o in self.observations]
        if any(b <= a for a, b in itertools.pairwise(times)):
            raise InputError("on-scene observation times must increase strictly")

    def to_environment(self) -> dict[str, Any]:
        """Return the case's stored ``environment`` (flat keys the page and SITREP read)."""
        env: dict[str, Any] = {}
        if self.wind is not None:
            env["wind_from_deg"], env["wind_speed_kn"] = self.wind
        if self.current is not None:
            env["current_to_deg"], env["current_speed_kn"] = self.current
        env["visibility_nm"] = self.visibility_nm
        env["sea_height_m"] = self.sea_height_m
        env["water_temp_c"] = self.water_temp_c
        if self.observations:
            env["observations"] = [o.row() for o in self.observations]
        return env

    @classmethod
    def from_environment(cls, env: Mapping[str, Any]) -> OnScene | None:
        """Read a case's stored ``environment``; ``None`` when nothing was reported."""
        if not env:
            return None
        wind = None
        if env.get("wind_speed_kn") is not None:
            wind = (float(env.get("wind_from_deg", 0.0)), float(env["wind_speed_kn"]))
        current = None
        if env.get("current_speed_kn") is not None:
            current = (float(env.get("current_to_deg", 0.0)), float(env["current_speed_kn"]))
        temp = env.get("water_temp_c")
        return cls(
            wind=wind,
            current=current,
            visibility_nm=float(env.get("visibility_nm", 10.0)),
            sea_height_m=float(env.get("sea_height_m", 0.0)),
            water_temp_c=None if temp is None else float(temp),
            observations=tuple(Observation.from_row(r) for r in env.get("observations", ())),
        )

    def wind_kn_at(self, when: datetime | None) -> float:
        """Wind speed at ``when`` (linear between observations), else the single value."""
        if len(self.observations) >= 2 and when is not None:
            import numpy as np

            t = require_utc(when, "time").timestamp()
            times = [o.time.timestamp() for o in self.observations]
            speeds = [o.wind_speed_kn for o in self.observations]
            return float(np.interp(t, times, speeds))
        return 0.0 if self.wind is None else self.wind[1]


@dataclass(frozen=True, kw_only=True)
class ForcingFile:
    """A forcing file that may hold wind and current (``any``), or a CSV series of ``kind``."""

    path: str
    kind: Literal["wind", "current", "any"] = "any"


@dataclass(frozen=True, kw_only=True)
class DriftScene:
    """What drifts, from where and when, and the forcing known for it.

    Attributes
    ----------
    object_class:
        Leeway object class, e.g. ``PIW-1``.
    lon, lat, time:
        The datum: last known position and its time (aware UTC).
    on_scene:
        Reported wind and current (single values or observation series).
    forcing_files:
        Files read first: a case's attached file, its modelled currents.
    wind_files, current_files:
        Wind and current products (files, directories, globs, URLs; several are ensemble
        members), as :class:`littoral.drift.forcing.choice.ForcingChoice` takes them.
    current_from:
        Without a current: ``wind`` (IAMSAR wind-driven current) or ``none``.
    stokes_files:
        Wave models' Stokes drift, added to the motion (read last: they override nothing).
    fill, hold_last:
        Gap fill of gridded forcing, and holding its last field past its end.
    line_to:
        Seed along the great circle from the datum to this (lon, lat) instead of a point.
    cone_to:
        Seed a cone to (lon, lat, radius_m): the position and the radius move from the datum's
        to these over the release window.
    radius_shape:
        ``normal`` (the radius is one standard deviation) or ``uniform`` (a disc).
    release_end:
        Release particles evenly from ``time`` to this time.
    attrs:
        Provenance copied into the result (the case id, the source).
    """

    object_class: str
    lon: float
    lat: float
    time: datetime
    on_scene: OnScene | None = None
    forcing_files: tuple[ForcingFile, ...] = ()
    wind_files: tuple[str, ...] = ()
    current_files: tuple[str, ...] = ()
    current_from: str | None = None
    stokes_files: tuple[str, ...] = ()
    fill: str | None = None
    hold_last: bool = False
    line_to: tuple[float, float] | None = None
    cone_to: tuple[float, float, float] | None = None
    radius_shape: SeedShape = "normal"
    release_end: datetime | None = None
    attrs: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _number("datum lon", self.lon, -180.0, 180.0)
        _number("datum lat", self.lat, -90.0, 90.0)
        require_utc(self.time, "datum time")
        if self.radius_shape not in ("normal", "uniform"):
            raise InputError(f"radius_shape={self.radius_shape!r} must be 'normal' or 'uniform'")

    @classmethod
    def from_case(cls, case: Case) -> DriftScene:
        """Return the scene of a stored case: datum, object, on-scene data, forcing file."""
        files = () if case.forcing_file is None else (ForcingFile(path=case.forcing_file),)
        return cls(
            object_class=case.object_class,
            lon=case.datum_lon,
            lat=case.datum_lat,
            time=case.datum_time,
            on_scene=OnScene.from_environment(case.environment),
            forcing_files=files,
            attrs={"case": str(case.id)},
        )


@dataclass(frozen=True, kw_only=True)
class Release:
    """How a stored case's particles are released beyond a point at the datum.

    A release toward ``(to_lon, to_lat)`` seeds along the track from the datum to there (a
    voyage line); with ``to_radius_m`` as well it seeds a cone: the position and the radius
    both move from the datum's to these over the release window (as OpenDrift's cone
    seeding). ``over_h`` spreads the release over that many hours after the datum time.
    """

    to_lon: float | None = None
    to_lat: float | None = None
    to_radius_m: float | None = None
    over_h: float = 0.0

    def __post_init__(self) -> None:
        if (self.to_lon is None) != (self.to_lat is None):
            given = "to_lon" if self.to_lat is None else "to_lat"
            missing = "to_lat" if self.to_lat is None else "to_lon"
            raise InputError(f"release {given} given without {missing}: an end needs both")
        if self.to_lon is not None and self.to_lat is not None:
            _number("release to_lon", self.to_lon, -180.0, 180.0)
            _number("release to_lat", self.to_lat, -90.0, 90.0)
        if self.to_radius_m is not None:
            if self.to_lon is None:
                raise InputError(
                    f"release to_radius_m={self.to_radius_m!r} needs the cone's end "
                    "(to_lon, to_lat)"
                )
            _number("release to_radius_m", self.to_radius_m, 0.0, 200_000.0)
        _number("release over_h", self.over_h, 0.0, 120.0)

    def apply(self, scene: DriftScene) -> DriftScene:
        """Return ``scene`` released this way (its own line, cone and window replaced)."""
        import dataclasses

        line_to = cone_to = None
        if self.to_lon is not None and self.to_lat is not None:
            if self.to_radius_m is None:
                line_to = (self.to_lon, self.to_lat)
            else:
                cone_to = (self.to_lon, self.to_lat, self.to_radius_m)
        end = scene.time + timedelta(hours=self.over_h) if self.over_h > 0.0 else None
        return dataclasses.replace(scene, line_to=line_to, cone_to=cone_to, release_end=end)

    def describe(self) -> str:
        """One line for the case log."""
        if self.to_lon is None:
            shape = "at the datum"
        elif self.to_radius_m is None:
            shape = f"along a line to {self.to_lat:.4f}, {self.to_lon:.4f}"
        else:
            shape = (
                f"in a cone to {self.to_lat:.4f}, {self.to_lon:.4f} "
                f"(radius {self.to_radius_m:.0f} m)"
            )
        window = f" over {self.over_h:g} h" if self.over_h > 0.0 else ""
        return f"released {shape}{window}"


@dataclass(frozen=True, kw_only=True)
class DriftParams:
    """How to drift: the one set of defaults of the web service, the command line and the exercise.

    Attributes
    ----------
    duration_h:
        Length of the run, hours, in (0, 240].
    particles:
        Ensemble size, 1 to 10,000,000 (the web service allows up to 20,000 a run).
    step_min, output_min:
        Model time step and output interval, minutes; the output a multiple of the step.
    seed:
        Seed of the random generator (recorded in the result).
    datum_radius_nm:
        Uncertainty of the datum, NM (one standard deviation of a normal spread).
    perturb:
        Correlated perturbation of wind and current (:class:`littoral.drift.Perturbation`).
    backward:
        Backtrack from the datum (negative time step).
    jibe_probability_per_h:
        Probability per hour that an object jibes to the other side of the wind.
    coast:
        Test each step against the Caspian shore.
    coast_action:
        At the shore: ``stranding``, or ``previous`` (back to the last water position).
    device:
        ``cpu`` or ``gpu``.
    """

    duration_h: float = 12.0
    particles: int = 2000
    step_min: float = 10.0
    output_min: float = 30.0
    seed: int = 1
    datum_radius_nm: float = 1.0
    perturb: bool = True
    backward: bool = False
    jibe_probability_per_h: float = 0.04
    coast: bool = True
    coast_action: CoastAction = "stranding"
    device: Device = "cpu"

    def __post_init__(self) -> None:
        _number("duration_h", self.duration_h, 0.0, 240.0, open_low=True)
        if isinstance(self.particles, bool) or not isinstance(self.particles, int):
            raise InputError(f"particles={self.particles!r} must be a whole number")
        if not 1 <= self.particles <= 10_000_000:
            raise InputError(f"particles={self.particles!r} must be in [1, 10000000]")
        _number("step_min", self.step_min, 0.0, 360.0, open_low=True)
        _number("output_min", self.output_min, 0.0, 24 * 60.0, open_low=True)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise InputError(f"seed={self.seed!r} must be a whole number")
        if not 0 <= self.seed <= 2**63 - 1:
            raise InputError(f"seed={self.seed!r} must be in [0, 2**63 - 1]")
        _number("datum_radius_nm", self.datum_radius_nm, 0.0, 100.0)
        _number("jibe_probability_per_h", self.jibe_probability_per_h, 0.0, 0.999)
        if self.device not in ("cpu", "gpu"):
            raise InputError(f"device={self.device!r} must be 'cpu' or 'gpu'")
        if self.coast_action not in ("stranding", "previous"):
            raise InputError(
                f"coast_action={self.coast_action!r} must be 'stranding' or 'previous'"
            )

    def describe(self) -> str:
        """Return the run's figures in a line for the case log."""
        text = (
            f"{self.particles} particles, {self.duration_h:g} h, seed {self.seed}, "
            f"datum radius {self.datum_radius_nm:g} NM, "
            f"perturbation {'on' if self.perturb else 'off'}"
        )
        return text + (", backward" if self.backward else "")


def _reader(source: ForcingFile, fill: str | None) -> ForcingReader:
    # By content, never by name: GRIB, NetCDF (or a URL, a directory, a glob) or CSV.
    from pathlib import Path

    from littoral.drift.forcing import Format, open_forcing, sniff
    from littoral.drift.forcing.netcdf import is_url

    p = Path(source.path)
    if source.kind == "any" and not is_url(source.path) and p.is_file() and sniff(p) is Format.CSV:
        raise InputError(f"forcing file {p.name!r}: say whether it holds wind or current")
    kind = "wind" if source.kind == "any" else source.kind
    return open_forcing(source.path, kind, fill=fill)


def forcing_readers(scene: DriftScene) -> list[ForcingReader]:
    """Return the readers of a scene in priority order (see :func:`forcing_of`)."""
    return forcing_of(scene)[0]


def forcing_of(scene: DriftScene) -> tuple[list[ForcingReader], dict[str, str]]:
    """Return the readers of a scene in priority order, and the provenance to record.

    The scene's own forcing files come first (a case's attached file, its modelled currents);
    then either the on-scene observation series (two or more readings) or the choice of
    products and single on-scene values that
    :func:`littoral.drift.forcing.choice.build_readers` opens.
    """
    from littoral.drift import ObservationSeries
    from littoral.drift.forcing.choice import ForcingChoice, build_readers
    from littoral.drift.forcing.detect import open_forcing

    readers = [_reader(f, scene.fill) for f in scene.forcing_files]
    attrs: dict[str, str] = {}
    on = scene.on_scene
    if on is not None and len(on.observations) >= 2:
        times = [o.time for o in on.observations]
        n = len(times)
        readers.append(
            ObservationSeries(
                "wind",
                times,
                [o.wind_from_deg for o in on.observations],
                [o.wind_speed_kn for o in on.observations],
                name=f"on-scene wind, {n} observations",
            )
        )
        readers.append(
            ObservationSeries(
                "current",
                times,
                [o.current_to_deg for o in on.observations],
                [o.current_speed_kn for o in on.observations],
                name=f"on-scene current, {n} observations",
            )
        )
        attrs["current_choice"] = "on-scene observations"
    else:
        wind = None if on is None else on.wind
        current = None if on is None else on.current
        chosen = (
            wind is not None
            or current is not None
            or scene.wind_files
            or scene.current_files
            or scene.current_from is not None
        )
        if not chosen and not readers:
            who = f"case {scene.attrs['case']}" if "case" in scene.attrs else "the drift"
            raise InputError(
                f"{who} has no forcing: give on-scene wind and current, observations "
                "or a forcing file"
            )
        if chosen:
            built = build_readers(
                ForcingChoice(
                    wind_files=scene.wind_files,
                    current_files=scene.current_files,
                    wind=wind,
                    current=current,
                    current_from=scene.current_from,
                    fill=scene.fill,
                    hold_last=scene.hold_last,
                )
            )
            readers.extend(built.readers)
            attrs.update(built.attrs)
    # last: the waves' Stokes drift is added to the motion without overriding wind or current
    readers.extend(open_forcing(path, "stokes", fill=scene.fill) for path in scene.stokes_files)
    return readers, attrs


def drift_request(scene: DriftScene, params: DriftParams) -> DriftRequest:
    """Build the drift request of ``scene`` with ``params``; it records its own description.

    The description (:meth:`littoral.drift.DriftRequest.describe`) goes into the result's
    ``request`` attribute as JSON, so a finished run says exactly how it was asked.
    """
    import dataclasses

    from littoral.drift import ConeSeed, DriftRequest, LineSeed, Perturbation, PointSeed
    from littoral.drift.seeding import Seed

    radius_m = round(params.datum_radius_nm * M_PER_NM, 6)  # 500 m given as NM stays 500 m
    seeding: Seed
    if scene.line_to is not None:
        seeding = LineSeed(scene.lon, scene.lat, scene.line_to[0], scene.line_to[1], radius_m)
    elif scene.cone_to is not None:
        lon1, lat1, r1 = scene.cone_to
        seeding = ConeSeed(scene.lon, scene.lat, radius_m, lon1, lat1, r1)
    else:
        seeding = PointSeed(scene.lon, scene.lat, radius_m, scene.radius_shape)
    step = timedelta(minutes=params.step_min)
    readers, forcing_attrs = forcing_of(scene)
    request = DriftRequest(
        object_class=scene.object_class,
        seeding=seeding,
        time=require_utc(scene.time, "datum time").replace(microsecond=0),
        duration=timedelta(hours=params.duration_h),
        forcing=readers,
        step=-step if params.backward else step,
        output_step=timedelta(minutes=params.output_min),
        particles=params.particles,
        seed=params.seed,
        release_end=scene.release_end,
        jibe_probability_per_h=params.jibe_probability_per_h,
        perturbation=Perturbation() if params.perturb else None,
        coast=params.coast,
        coast_action=params.coast_action,
        stokes=bool(scene.stokes_files),
        device=params.device,
    )
    attrs = {**forcing_attrs, **scene.attrs}
    attrs["request"] = json.dumps(request.describe(), sort_keys=True)
    return dataclasses.replace(request, attrs=attrs)


def recorded_request(attrs: Mapping[str, str]) -> dict[str, Any] | None:
    """Return the request description a drift result recorded, or ``None`` (older results)."""
    text = attrs.get("request")
    if not text:
        return None
    value: dict[str, Any] = json.loads(text)
    return value


@dataclass(frozen=True, kw_only=True)
class PlanParams:
    """A search plan request: when the search starts; the datum's error without a drift."""

    start_time: datetime | None = None
    error_nm: float = 2.0

    def __post_init__(self) -> None:
        if self.start_time is not None:
            require_utc(self.start_time, "start_time")
        _number("error_nm", self.error_nm, 0.0, 100.0, open_low=True)


def detection_model(
    object_class: str, on_scene: OnScene | None, at: datetime | None
) -> DetectionModel:
    """Return the detection conditions of a search: object, visibility, wind and sea at ``at``."""
    from littoral.search.detection import DetectionModel
    from littoral.search.objects import sweep_object_for

    scene = on_scene or OnScene(sea_height_m=0.0)
    return DetectionModel(
        search_object=sweep_object_for(object_class).search_object,
        visibility_nm=scene.visibility_nm,
        wind_kn=scene.wind_kn_at(at),
        sea_m=scene.sea_height_m,
    )
