"""The case's weather and the sun drive the plan; unknown weather is refused, never zero."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from littoral.cli.main import main
from littoral.drift.netcdf import write_netcdf
from littoral.errors import InputError
from littoral.search.allocation import PlanTiming, plan_search
from littoral.search.detection import DetectionModel
from littoral.search.facilities import SearchUnit
from littoral.search.grid import open_water
from littoral.search.priors import Datum, from_datum
from littoral.search.sun import daylight, sun_declination_and_equation_of_time
from littoral.search.sweep_tables import Platform
from littoral.search.weather import Weather, WeatherGiven, wind_from_drift

from .helpers import drift_cloud

SHIP = SearchUnit("Patrol", "AZ", Platform.VESSEL, 12, 10, 51.0, 41.0, 12, 14)
RAFT = DetectionModel("Raft 4 person", visibility_nm=10)


def test_sun_matches_meeus_example_25a() -> None:
    """Meeus, Astronomical Algorithms, ex. 25.a and 28.b: 1992 Oct 13.0 TD."""
    t = datetime(1992, 10, 13, tzinfo=UTC).timestamp()
    decl, eot_min, ra = sun_declination_and_equation_of_time(t)
    assert float(decl) == pytest.approx(-7.78507, abs=0.002)
    assert float(ra) == pytest.approx(198.38083, abs=0.002)
    assert float(eot_min) == pytest.approx(13.0 + 42.6 / 60.0, abs=0.05)  # 13 m 42.6 s


def test_daylight_at_baku_in_december() -> None:
    """Sunrise about 07:47 and sunset about 17:13 local (UTC+4) on 4 December at Baku."""
    day = daylight(
        datetime(2026, 12, 4, 0, 0, tzinfo=UTC), datetime(2026, 12, 4, 23, 0, tzinfo=UTC),
        49.87, 40.41,
    )  # fmt: skip
    assert day.day_start is not None
    assert day.day_end is not None
    assert abs(day.day_start - datetime(2026, 12, 4, 3, 47, tzinfo=UTC)) < timedelta(minutes=4)
    assert abs(day.day_end - datetime(2026, 12, 4, 13, 13, tzinfo=UTC)) < timedelta(minutes=4)
    assert day.first_light is not None
    assert day.first_light < day.day_start


def test_missing_weather_is_refused_by_name() -> None:
    w = Weather(WeatherGiven(visibility_nm=10))
    with pytest.raises(InputError, match=r"wind speed \(--wind-kn\).*sea state"):
        w.at(datetime(2026, 3, 1, 9, tzinfo=UTC), 51.0, 41.0)
    with pytest.raises(InputError, match="visibility"):
        Weather(WeatherGiven(wind_kn=5, sea_m=1)).at(datetime(2026, 3, 1, tzinfo=UTC), 51, 41)


def test_wind_is_read_from_the_drift_forcing_record(tmp_path: Path) -> None:
    result = drift_cloud(n=100)
    result.attrs["forcing_wind"] = "constant wind from 340 deg at 25 kn; current toward 160 deg"
    reader, record = wind_from_drift(result)
    assert reader is not None
    on = Weather(WeatherGiven(sea_m=1.0, visibility_nm=10), reader, record).at(
        datetime(2026, 3, 1, 9, tzinfo=UTC), 51.0, 41.0
    )
    assert on.wind_kn == pytest.approx(25.0, abs=1e-6)
    csv = tmp_path / "wind.csv"
    csv.write_text("2026-03-01T00:00Z,0,10\n2026-03-01T12:00Z,0,30\n", encoding="utf-8")
    result.attrs["forcing_wind"] = "wind observations wind.csv"
    reader, record = wind_from_drift(result, [tmp_path])
    assert reader is not None
    on = Weather(WeatherGiven(sea_m=1.0, visibility_nm=10), reader, record).at(
        datetime(2026, 3, 1, 6, tzinfo=UTC), 51.0, 41.0
    )
    assert on.wind_kn == pytest.approx(20.0, abs=1e-3)  # halfway between 10 and 30 kn
    reader, _ = wind_from_drift(result, [tmp_path / "elsewhere"])
    assert reader is None


def test_each_unit_searches_in_daylight_with_its_own_weather() -> None:
    grid = from_datum(Datum(51.0, 41.0, 4.0), water=open_water)
    # a steady series: 10 kn before noon UTC, 30 kn after; the unit searches in the afternoon
    from littoral.drift import ObservationSeries

    t = [datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=h) for h in (0, 11, 12, 47)]
    wind = ObservationSeries("wind", t, [0, 0, 0, 0], [10, 10, 30, 30])
    weather = Weather(WeatherGiven(sea_m=0.5, visibility_nm=10), wind, "series")
    morning = plan_search(
        grid, [SHIP], RAFT, timing=PlanTiming(tasked=t[0] + timedelta(hours=4), weather=weather)
    )
    a = morning.assignments[0]
    assert a.window is not None
    assert a.window.conditions is not None
    # tasked at 04:00 UTC (08:00 local, after sunrise): on scene at once, weather mid-search
    assert a.window.arrive == datetime(2026, 3, 1, 4, tzinfo=UTC)
    assert a.model is not None
    assert a.model.wind_kn == pytest.approx(a.window.conditions.wind_kn)
    # tasked at 01:00 UTC, before first light: the unit waits and arrives at sunrise
    night = plan_search(
        grid, [SHIP], RAFT, timing=PlanTiming(tasked=t[0] + timedelta(hours=1), weather=weather)
    )
    w = night.assignments[0].window
    assert w is not None
    assert w.first_light is not None
    assert w.arrive > t[0] + timedelta(hours=2)
    assert "waits for daylight" in night.assignments[0].note
    # tasked at 09:00 UTC: about five hours of daylight left; the dark part is not searched
    dusk = plan_search(
        grid, [SHIP], RAFT, timing=PlanTiming(tasked=t[0] + timedelta(hours=9), weather=weather)
    ).assignments[0]
    assert dusk.window is not None
    assert dusk.window.dark_h > 2
    assert dusk.time_on_scene_h <= dusk.window.search_h + 1e-9
    # tasked at 11:00 UTC: three hours of light are left, so it searches them today
    late = plan_search(
        grid, [SHIP], RAFT, timing=PlanTiming(tasked=t[1], weather=weather)
    ).assignments[0]
    assert late.window is not None
    assert late.window.arrive == t[1]
    assert "waits for daylight" not in late.note
    assert late.window.search_h > 2.5
    # 30 kn from noon, the middle of its search: the raft's weather factor 0.25 (IAMSAR, > 25 kn)
    assert late.sweep_width.weather == pytest.approx(0.25)
    assert np.isclose(late.model.wind_kn if late.model else -1, 30.0, atol=1e-6)
    # tasked at 13:30 UTC, under an hour before sunset: it waits for the next sunrise
    dusk_late = plan_search(
        grid, [SHIP], RAFT, timing=PlanTiming(tasked=t[0] + timedelta(hours=13.5), weather=weather)
    ).assignments[0]
    assert dusk_late.window is not None
    assert dusk_late.window.arrive.day == 2
    assert "waits for daylight" in dusk_late.note


def test_plan_cli_refuses_unknown_sea_state_and_reads_the_drift_wind(
    tmp_path: Path, capsys
) -> None:
    result = drift_cloud(n=500, lon0=51.0, lat0=41.5, spread_deg=0.05)
    result.attrs["forcing_wind"] = "constant wind from 0 deg at 26 kn; current toward 180 deg"
    nc = tmp_path / "case.nc"
    write_netcdf(result, nc)
    units = tmp_path / "u.toml"
    units.write_text(
        '[[unit]]\nname = "P"\nstate = "AZ"\ntype = "ship"\nspeed_kn = 12\nendurance_h = 8\n'
        "base_lat = 41.5\nbase_lon = 51.0\n",
        encoding="utf-8",
    )
    base = ["search", "plan", "--drift", str(nc), "--at", "2026-03-01T09:00Z", "--units",
            str(units), "--visibility-nm", "10", "--out", str(tmp_path / "p")]  # fmt: skip
    assert main(base) == 2
    err = capsys.readouterr().err
    assert "sea state (--sea-m" in err
    assert "wind" not in err.split("give")[1]
    assert main([*base, "--sea-m", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "wind 26 kn" in out
    assert "x weather 0.25" in out


def test_first_light_is_the_morning_twilight_not_the_evening_one() -> None:
    # at dusk (sun between -0.833 and -6 deg) first light is the next morning's
    dusk = datetime(2026, 11, 27, 13, 35, tzinfo=UTC)
    day = daylight(dusk, dusk + timedelta(hours=20), 50.6, 40.8)
    assert day.first_light is not None
    assert datetime(2026, 11, 28, 2, 50, tzinfo=UTC) < day.first_light
    assert day.first_light < datetime(2026, 11, 28, 3, 30, tzinfo=UTC)


def test_an_instrument_needs_its_own_published_sweep_width_and_searches_at_night() -> None:
    from dataclasses import replace

    from littoral.search.facilities import Sensor

    with pytest.raises(InputError, match=r"sensor='flir' has no sweep width.*daylight visual"):
        replace(SHIP, sensor=Sensor.FLIR)
    with pytest.raises(InputError, match="needs sweep_width_source"):
        replace(SHIP, sensor=Sensor.FLIR, sweep_width_nm=1.5)
    with pytest.raises(InputError, match="sweep_width_nm=80"):
        replace(SHIP, sensor=Sensor.RADAR, sweep_width_nm=80.0, sweep_width_source="t")
    flir = replace(
        SHIP, name="Patrol FLIR", sensor=Sensor.FLIR, sweep_width_nm=1.5,
        sweep_width_source="the centre's own FLIR trials, table 3",
    )  # fmt: skip
    grid = from_datum(Datum(51.0, 41.0, 4.0), water=open_water)
    weather = Weather(WeatherGiven(wind_kn=10, sea_m=0.5, visibility_nm=10))
    tasked = datetime(2026, 3, 1, 19, tzinfo=UTC)  # 23:00 local: dark
    plan = plan_search(grid, [SHIP, flir], RAFT, timing=PlanTiming(tasked=tasked, weather=weather))
    eye, instrument = plan.assignments
    assert "waits for daylight" in eye.note
    assert instrument.window is not None
    assert instrument.window.arrive < datetime(2026, 3, 1, 21, tzinfo=UTC)  # on scene at night
    assert instrument.window.dark_h == 0.0
    assert instrument.sweep_width.corrected_nm == pytest.approx(1.5)
    assert "flir, day and night" in instrument.note
    assert instrument.pos > 0.1
