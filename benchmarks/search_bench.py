"""Search planning: plan quality against the unconstrained optimum, and planning speed.

Peer: the unconstrained optimum of Koopman and Stone (water-filling), the best any plan can
reach with the same effort; and for speed, scipy's generic SLSQP optimiser solving the same
effort allocation on a small grid. Planning on a mixture of eight scenarios
of 100,000 particles each is timed against the same plan on one scenario. Detection along
tracks (``detection_probability``) is timed
against the way it was computed before: a pyproj transformer to the plane of each track's
centre and the same inverse-cube kernel (measured after the plans above, so the compiled
paths are warm). Numbers are from one run on a shared
machine: noisy.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
from scipy.optimize import minimize

from littoral.drift import DriftResult
from littoral.drift.scenarios import Scenario, scenario_from_mapping
from littoral.search import (
    Datum,
    DetectionModel,
    PatternKind,
    Platform,
    SearchUnit,
    Track,
    circular_normal_pos,
    detection_probability,
    from_datum,
    open_water,
    plan_search,
    water_filling,
)
from littoral.search.grid import ProbabilityGrid
from littoral.search.priors import datum_frame
from littoral.search.sighting import _exponent  # the kernel, for the previous path only
from littoral.units import M_PER_NM

DATUM = Datum(51.0, 41.0, 8.0)
MODEL = DetectionModel("Raft 4 person", visibility_nm=10)
SHIP = SearchUnit("Patrol ship", "AZ", Platform.VESSEL, 12, 10, 51.0, 41.0, 12, 14)
BOAT = SearchUnit(
    "CG boat", "KZ", Platform.VESSEL, 18, 8, 50.8, 40.9, 22, 8, pattern=PatternKind.CREEPING
)
HELO = SearchUnit("Helicopter", "RU", Platform.HELICOPTER, 90, 3, 51.3, 41.2, 120, 500)


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


COAST = Datum(50.05, 40.63, 6.0)
"""5 km off the north Absheron shore: the coastal case."""


def six_units(lon: float, lat: float) -> list[SearchUnit]:
    """Six units round a datum (bases offset as in the open-sea case)."""
    d_lon, d_lat = lon - 51.0, lat - 41.0
    units = [
        SHIP, BOAT, HELO,
        SearchUnit("Patrol ship 2", "IR", Platform.VESSEL, 14, 12, 50.9, 40.8, 16, 14),
        SearchUnit("Aircraft", "TM", Platform.AIRCRAFT, 150, 5, 51.5, 41.5, 180, 1000),
        SearchUnit("CG boat 2", "AZ", Platform.VESSEL, 20, 6, 51.1, 41.1, 25, 8),
    ]  # fmt: skip
    return [replace(u, base_lon=u.base_lon + d_lon, base_lat=u.base_lat + d_lat) for u in units]


def ratios(name: str, grid, lon: float, lat: float) -> None:
    """Plan POS over the bound for 1, 3 and 6 units, and the time to plan six."""
    units = six_units(lon, lat)
    for k in (1, 3, 6):
        t = time.perf_counter()
        plan = plan_search(grid, units[:k], MODEL)
        dt = time.perf_counter() - t
        print(
            f"  {name}, {k} unit(s): plan POS {plan.pos:.4f}, optimum {plan.bound.pos:.4f}, "
            f"ratio {plan.ratio_to_bound:.3f} (target >= 0.95); planned in {dt:.2f} s"
        )


def main() -> None:
    grid120 = from_datum(DATUM, frame=datum_frame([DATUM], max_side_cells=120), water=open_water)
    print("plan POS against the unconstrained optimum (circular normal priors); every mile")
    print("counted (cross-legs, transits both ways, 10 % reserve), the bound counts none")
    ratios("open sea 41.0N 51.0E, E 8 NM", grid120, DATUM.lon, DATUM.lat)
    coast = from_datum(COAST)  # the Caspian: areas, legs and transits kept to water
    ratios("coast 40.63N 50.05E, E 6 NM", coast, COAST.lon, COAST.lat)
    effort = float(np.pi * DATUM.sigma_nm**2)  # H = 1
    opt = water_filling(grid120.p, grid120.cell_area_nm2, effort)
    exact = circular_normal_pos(effort, DATUM.sigma_nm)
    print(f"  water-filling {opt.pos:.5f} vs closed form {exact:.5f} (H = 1)")

    grid200 = from_datum(DATUM, frame=datum_frame([DATUM], max_side_cells=200), water=open_water)
    assert grid200.frame.shape == (200, 200)
    six = six_units(DATUM.lon, DATUM.lat)
    t_plan = best_of(lambda: plan_search(grid200, six, MODEL))
    plan6 = plan_search(grid200, six, MODEL)
    t_bound = best_of(
        lambda: water_filling(grid200.p, grid200.cell_area_nm2, plan6.bound.effort_nm2)
    )
    print(
        f"200x200 grid, six units: plan in {t_plan:.2f} s (target < 2 s), ratio "
        f"{plan6.ratio_to_bound:.3f}; the unconstrained optimum alone in {t_bound * 1000:.1f} ms"
    )

    rng = np.random.default_rng(1)
    n = 100
    p = rng.random(n) ** 3
    p /= p.sum()
    area = np.ones(n)
    z = 20.0

    def slsqp() -> float:
        res = minimize(
            lambda c: -float(np.sum(p * -np.expm1(-c))), np.full(n, z / n),
            jac=lambda c: -p * np.exp(-c), bounds=[(0.0, None)] * n,
            constraints=[{"type": "eq", "fun": lambda c: float(area @ c) - z}],
            method="SLSQP", options={"ftol": 1e-12, "maxiter": 1000},
        )  # fmt: skip
        return -float(res.fun)

    t_s = best_of(slsqp)
    t_w = best_of(lambda: water_filling(p, area, z))
    print(
        f"100 cells: water-filling {t_w * 1e6:.0f} us, scipy SLSQP {t_s * 1e3:.1f} ms "
        f"(x{t_s / t_w:.0f}); POS {water_filling(p, area, z).pos:.6f} vs {slsqp():.6f}"
    )

    detection()


def _previous_detection(track: Track, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The way it was computed before: a pyproj transformer to the track's own plane."""
    from pyproj import Transformer

    lon0, lat0 = float(np.mean(track.lon)), float(np.mean(track.lat))
    laea = f"+proj=laea +lat_0={lat0!r} +lon_0={lon0!r} +ellps=WGS84 +units=m +no_defs"
    to_plane = Transformer.from_crs("EPSG:4326", laea, always_xy=True)
    tx, ty = (np.asarray(v) / M_PER_NM for v in to_plane.transform(track.lon, track.lat))
    px, py = (np.asarray(v) / M_PER_NM for v in to_plane.transform(lon, lat))
    e = _exponent(px, py, tx[:-1], ty[:-1], tx[1:], ty[1:], track.sweep_width_nm)
    return np.asarray(-np.expm1(-e))


def detection() -> None:
    """Detection along tracks: many short pieces (as an update by track leg does) and one
    whole sortie, each on 2,000 particles; every track new, as in use."""
    rng = np.random.default_rng(5)
    lon = 51.0 + rng.normal(0.0, 0.1, 2000)
    lat = 41.0 + rng.normal(0.0, 0.1, 2000)
    for legs, n_tracks in ((3, 200), (240, 20)):
        tracks = []
        for _ in range(n_tracks):
            x0, y0 = rng.uniform(50.8, 51.2), rng.uniform(40.8, 41.2)
            tracks.append(
                Track(
                    x0 + np.cumsum(rng.uniform(-0.01, 0.01, legs + 1)),
                    y0 + np.cumsum(rng.uniform(-0.01, 0.01, legs + 1)),
                    1.5,
                )
            )
        t = time.perf_counter()
        fast = [detection_probability(tr, lon, lat) for tr in tracks]
        t_fast = (time.perf_counter() - t) / n_tracks
        t = time.perf_counter()
        before = [_previous_detection(tr, lon, lat) for tr in tracks]
        t_before = (time.perf_counter() - t) / n_tracks
        diff = max(float(np.abs(a - b).max()) for a, b in zip(fast, before, strict=True))
        print(
            f"detection, {legs}-leg track on 2,000 points: {t_fast * 1e3:.2f} ms per track, "
            f"previous path (pyproj transformer per track) {t_before * 1e3:.2f} ms "
            f"(x{t_before / t_fast:.1f}); largest difference {diff:.1e}"
        )


SCENARIO_T0 = datetime(2026, 5, 1, 3, tzinfo=UTC)


def _eight_scenarios() -> list[Scenario]:
    """Eight weighted scenarios round 41.0N 51.0E: positions, voyage tracks and an area, each
    with a person in the water and a life raft (and a vessel that becomes a raft)."""
    objects = [{"object_class": "PIW-1", "fraction": 0.6},
               {"object_class": "LIFE-RAFT-DB-11", "fraction": 0.4}]  # fmt: skip
    out = []
    for k in range(8):
        angle = 2 * np.pi * k / 8
        lon, lat = 51.0 + 0.2 * np.cos(angle), 41.0 + 0.15 * np.sin(angle)
        values: dict[str, object] = {"name": f"S{k + 1}", "weight": 1.0 + 0.25 * k,
                                     "lat": lat, "lon": lon, "objects": objects}  # fmt: skip
        if k % 3 == 1:
            values.update(kind="track", to_lat=lat + 0.08, to_lon=lon + 0.1,
                          time_end=(SCENARIO_T0 + timedelta(hours=3)).isoformat())  # fmt: skip
        elif k == 6:
            ring = [[lon - 0.05, lat - 0.04], [lon + 0.05, lat - 0.04], [lon + 0.05, lat + 0.04],
                    [lon - 0.05, lat + 0.04]]  # fmt: skip
            values = {"name": "S7", "weight": 1.0, "kind": "area", "ring": ring,
                      "objects": [{"object_class": "FISHING-VESSEL-1", "fraction": 1}],
                      "transitions": [{"from_object": "FISHING-VESSEL-1",
                                       "to_object": "LIFE-RAFT-DB-11", "after_h": 4}]}  # fmt: skip
        out.append(scenario_from_mapping(values, SCENARIO_T0))
    return out


def _plan_on_drift(result: DriftResult, units: list[SearchUnit]) -> tuple[float, str]:
    """Plan as a case's plan run does (littoral.services.runs.plan_work): the map of the whole
    run, each unit's area on its own time's cloud, then the scenarios' shares after it (the
    routes judged when each unit runs them, a leg after the run's end on its last cloud, as
    littoral.services.runs.plan_scenarios does)."""
    from littoral.search.allocation import PlanTiming
    from littoral.search.priors import from_drift, run_frame
    from littoral.search.scenarios import particle_shares_after
    from littoral.search.update import plan_pod_on_particles
    from littoral.search.weather import Weather, WeatherGiven

    t = time.perf_counter()
    start = SCENARIO_T0 + timedelta(hours=3)
    last = datetime.fromisoformat(str(result.times[-1]) + "+00:00")
    frame = run_frame(result, axis_at=start)
    grid = from_drift(result, start, frame=frame)

    def map_at(when: datetime) -> ProbabilityGrid:
        return from_drift(result, min(max(when, start), last), frame=frame)

    weather = Weather(WeatherGiven(wind_kn=15.0, sea_m=1.0, visibility_nm=10.0))
    plan = plan_search(
        grid, units, MODEL, timing=PlanTiming(tasked=start, weather=weather, map_at=map_at)
    )
    pod = plan_pod_on_particles(plan, result, start, timed=True)
    before, after = particle_shares_after(result, pod)
    dt = time.perf_counter() - t
    moved = max(abs(after[k] - before[k]) for k in before)
    return dt, f"plan POS {plan.pos:.3f}, largest share change {moved:.3f}"


def scenarios() -> None:
    """Six units planned on the mixture of 8 scenarios x 100,000 particles (16 components),
    against the same plan on one scenario of 100,000 particles."""
    from littoral.drift import ConstantForcing, DriftRequest, PointSeed
    from littoral.drift.mixture import run_mixture

    template = DriftRequest(
        object_class="PIW-1",
        seeding=PointSeed(51.0, 41.0),
        time=SCENARIO_T0,
        duration=timedelta(hours=12),
        forcing=[ConstantForcing.from_observation(wind=(340.0, 15.0), current=(160.0, 0.4))],
        output_step=timedelta(hours=1),
        particles=800_000,
        seed=1,
    )
    eight = _eight_scenarios()
    t = time.perf_counter()
    mixture = run_mixture(template, eight)
    t_drift = time.perf_counter() - t
    one = run_mixture(replace(template, particles=100_000), eight[:1])
    units = six_units(51.0, 41.0)
    _plan_on_drift(one, units)  # warm the compiled paths
    t_one, _ = _plan_on_drift(one, units)
    t_mix, figures = _plan_on_drift(mixture, units)
    print(
        f"six units on 8 scenarios x 100,000 particles ({mixture.n_particles:,} particles, "
        f"16 components; drift {t_drift:.1f} s): planned in {t_mix:.2f} s (target < 2 s), "
        f"{figures}; one scenario of 100,000 particles {t_one:.2f} s (x{t_mix / t_one:.1f})"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["scenarios"]:
        scenarios()
    else:
        main()
        scenarios()
