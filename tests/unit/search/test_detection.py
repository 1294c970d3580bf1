from __future__ import annotations

import math

import numpy as np
import pytest

from littoral.errors import InputError, NotFoundError
from littoral.search.detection import (
    DetectionLaw,
    DetectionModel,
    coverage_factor,
    pod_exponential,
    pod_inverse_cube,
    speed_factor,
    uncorrected_sweep_width_nm,
    weather_factor,
)
from littoral.search.objects import sweep_object_for
from littoral.search.sweep_tables import Platform, search_objects


def test_table_values_read_as_published() -> None:
    # Boat-14ft.csv, "Raft 4 person", visibility 10 NM
    assert uncorrected_sweep_width_nm("Raft 4 person", Platform.VESSEL, 10, height_ft=14) == 4.0
    # Helicopter-300ft.csv, "Person in Water", 5 NM
    assert uncorrected_sweep_width_nm(
        "Person in Water", Platform.HELICOPTER, 5, height_ft=300
    ) == pytest.approx(0.1)


def test_interpolation_in_visibility_and_height() -> None:
    # 8 ft: 2.2 at 5, 3.1 at 10 -> 2.65 at 7.5; 14 ft: 3.0 and 4.0 -> 3.5; 11 ft halfway
    w = uncorrected_sweep_width_nm("Raft 4 person", Platform.VESSEL, 7.5, height_ft=11)
    assert w == pytest.approx((2.65 + 3.5) / 2)
    # Aircraft 1000 ft: Raft 6 person 2.2 at 10 NM; 1500 ft table read as shipped
    lo = uncorrected_sweep_width_nm("Raft 6 person", Platform.AIRCRAFT, 10, height_ft=1000)
    hi = uncorrected_sweep_width_nm("Raft 6 person", Platform.AIRCRAFT, 10, height_ft=1500)
    mid = uncorrected_sweep_width_nm("Raft 6 person", Platform.AIRCRAFT, 10, height_ft=1250)
    assert lo == pytest.approx(2.2)
    assert mid == pytest.approx((lo + hi) / 2)


def test_visibility_edges() -> None:
    top = uncorrected_sweep_width_nm("Ship 225ft", Platform.VESSEL, 20, height_ft=8)
    assert uncorrected_sweep_width_nm("Ship 225ft", Platform.VESSEL, 40, height_ft=8) == top
    one = uncorrected_sweep_width_nm("Ship 225ft", Platform.VESSEL, 1, height_ft=8)
    half = uncorrected_sweep_width_nm("Ship 225ft", Platform.VESSEL, 0.5, height_ft=8)
    assert half == pytest.approx(one / 2)


def test_bad_inputs_are_named() -> None:
    with pytest.raises(InputError, match="altitude_ft=100"):
        uncorrected_sweep_width_nm("Raft 4 person", Platform.HELICOPTER, 10, height_ft=100)
    with pytest.raises(InputError, match="'Canoe'"):
        uncorrected_sweep_width_nm("Canoe", Platform.VESSEL, 10, height_ft=8)
    with pytest.raises(InputError, match="visibility_nm"):
        DetectionModel("Raft 4 person", visibility_nm=-1)
    with pytest.raises(InputError, match="wind_kn"):
        weather_factor("Raft 4 person", wind_kn=float("nan"))


def test_weather_factors_iamsar() -> None:
    assert weather_factor("Person in Water", wind_kn=10) == 1.0
    assert weather_factor("Person in Water", wind_kn=20) == 0.5
    assert weather_factor("Raft 4 person", wind_kn=30) == 0.25
    assert weather_factor("Power Boat 20ft", sea_m=1.2) == 0.5
    assert weather_factor("Ship 120ft", wind_kn=20) == 0.9
    assert weather_factor("Ship 120ft", sea_m=2.0) == 0.9
    assert weather_factor("Power Boat 33ft", wind_kn=14.9) == 1.0


def test_speed_factors() -> None:
    assert speed_factor("Person in Water", Platform.HELICOPTER, 60) == 1.5
    assert speed_factor("Person in Water", Platform.HELICOPTER, 75) == pytest.approx(1.25)
    assert speed_factor("Person in Water", Platform.AIRCRAFT, 150) == 1.2
    assert speed_factor("Person in Water", Platform.VESSEL, 12) == 1.0


def test_pod_laws() -> None:
    assert float(pod_exponential(1.0)) == pytest.approx(1 - math.exp(-1))
    assert float(pod_inverse_cube(1.0)) == pytest.approx(0.7899, abs=1e-4)
    assert float(pod_exponential(0.0)) == 0.0
    c = np.linspace(0.05, 3, 30)
    assert (pod_inverse_cube(c) > pod_exponential(c)).all()


def test_iamsar_worked_case_helicopter_raft() -> None:
    """Helicopter at 500 ft, 90 kn, 4-person raft, visibility 10 NM, wind 18 kn, tired crew.

    Table (Helicopter-500ft.csv) W0, weather 0.5 (small object, 15-25 kn), speed 1.0 at 90 kn,
    fatigue 0.9; a track spacing giving C = 1.0 is S = W; POD 63 % (exponential) and 79 %
    (inverse cube, ideal conditions).
    """
    model = DetectionModel("Raft 4 person", visibility_nm=10, wind_kn=18)
    sw = model.sweep_width(Platform.HELICOPTER, height_ft=500, speed_kn=90, fatigue=True)
    w0 = uncorrected_sweep_width_nm("Raft 4 person", Platform.HELICOPTER, 10, height_ft=500)
    assert sw.weather == 0.5
    assert sw.speed == 1.0
    assert sw.corrected_nm == pytest.approx(w0 * 0.5 * 0.9, abs=0.05)
    s = sw.corrected_nm  # spacing for C = 1
    assert coverage_factor(sw.corrected_nm, s) == pytest.approx(1.0)
    assert float(model.pod(1.0)) == pytest.approx(0.63, abs=0.01)
    ideal = DetectionModel("Raft 4 person", 10, law=DetectionLaw.INVERSE_CUBE)
    assert float(ideal.pod(1.0)) == pytest.approx(0.79, abs=0.01)


def test_iamsar_worked_case_vessel_piw() -> None:
    """Vessel eye height 14 ft, person in water, visibility 5 NM, calm: W = 0.5 NM (table).

    Track spacing 0.5 NM gives C = 1.0; spacing 1.0 NM gives C = 0.5 and POD 39 %.
    """
    model = DetectionModel("Person in Water", visibility_nm=5)
    sw = model.sweep_width(Platform.VESSEL, height_ft=14, speed_kn=10)
    assert sw.corrected_nm == pytest.approx(0.5, abs=0.05)
    c = coverage_factor(sw.corrected_nm, 1.0)
    assert c == pytest.approx(0.5, abs=0.01)
    assert float(model.pod(c)) == pytest.approx(0.39, abs=0.01)


def test_leeway_mapping_rules() -> None:
    assert sweep_object_for("PIW-3").search_object == "Person in Water"
    assert sweep_object_for("LIFE-RAFT-DB-11").search_object == "Raft 4 person"
    assert sweep_object_for("LIFE-RAFT-DB-18").search_object == "Raft 15 person"
    assert sweep_object_for("SAILBOAT-6b").search_object == "Power Boat 33ft"
    with pytest.raises(NotFoundError, match="UFO"):
        sweep_object_for("UFO")


def test_every_class_of_the_drift_table_maps() -> None:
    from littoral.drift.objects import leeway_objects

    keys = [o.key for o in leeway_objects()]
    assert len(keys) == 85
    names = set(search_objects())
    assert all(sweep_object_for(k).search_object in names for k in keys)
