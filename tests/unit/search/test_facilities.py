from __future__ import annotations

from pathlib import Path

import pytest

from littoral.errors import InputError
from littoral.search.facilities import load_units
from littoral.search.patterns import PatternKind
from littoral.search.sweep_tables import Platform

GOOD = """
[[unit]]
name = "Patrol 101"
state = "AZ"
type = "ship"
speed_kn = 12
endurance_h = 24
transit_speed_kn = 16
eye_height_ft = 14
base_lat = 40.35
base_lon = 49.87

[[unit]]
name = "Helo 7"
state = "RU"
type = "helicopter"
speed_kn = 90
endurance_h = 3.5
transit_speed_kn = 120
altitude_ft = 500
base_lat = 42.98
base_lon = 47.5
pattern = "creeping-line"
fatigue = true
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "units.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_load_units(tmp_path: Path) -> None:
    units = load_units(_write(tmp_path, GOOD))
    assert [u.name for u in units] == ["Patrol 101", "Helo 7"]
    assert units[0].platform is Platform.VESSEL
    assert units[0].height_ft == 14
    assert units[1].pattern is PatternKind.CREEPING
    assert units[1].fatigue is True
    # endurance less the reserve (10 %), less the transit both ways, 85 % of it searching
    assert units[1].search_hours(60.0) == pytest.approx((3.5 - 0.35 - 1.0) * 0.85)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("speed_kn = 12", 'speed_kn = "fast"', r"unit 1 \('Patrol 101'\): speed_kn='fast'"),
        ('state = "AZ"', 'state = "XX"', r"unit 1 \('Patrol 101'\).*state='XX'"),
        ('type = "ship"', 'type = "submarine"', r"type='submarine'"),
        ("altitude_ft = 500", "", r"unit 2 \('Helo 7'\): missing field 'altitude_ft'"),
        ('pattern = "creeping-line"', 'pattern = "zigzag"', r"pattern='zigzag'"),
        ("base_lat = 40.35", "base_lat = 140.35", r"base_lat=140.35"),
        ("fatigue = true", "fatigue = 1", r"fatigue=1"),
        ("eye_height_ft = 14", "eye_hieght_ft = 14", r"unknown field\(s\) eye_hieght_ft"),
        ('name = "Helo 7"', 'name = "Patrol 101"', r"used twice: Patrol 101"),
    ],
)
def test_bad_fields_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in GOOD
    with pytest.raises(InputError, match=message):
        load_units(_write(tmp_path, GOOD.replace(old, new, 1)))


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_units(tmp_path / "none.toml")
    with pytest.raises(InputError, match="not valid TOML"):
        load_units(_write(tmp_path, "[[unit]\nname="))
    with pytest.raises(InputError, match=r"no \[\[unit\]\]"):
        load_units(_write(tmp_path, "title = 'x'\n"))


def test_base_from_the_places_table(tmp_path: Path) -> None:
    text = GOOD.replace("base_lat = 42.98\nbase_lon = 47.5", 'base = "Makhachkala"')
    units = load_units(_write(tmp_path, text))
    assert units[1].base_name == "Makhachkala seaport"
    assert units[1].base_lat == pytest.approx(42.985)
    with pytest.raises(InputError, match="base='Baku' matches several places"):
        load_units(
            _write(tmp_path, GOOD.replace("base_lat = 42.98\nbase_lon = 47.5", 'base = "Baku"'))
        )
    with pytest.raises(InputError, match="base='Atlantis' is not in the places table"):
        load_units(_write(tmp_path, text.replace("Makhachkala", "Atlantis")))


def test_the_example_in_the_docs_loads(tmp_path: Path) -> None:
    doc = Path(__file__).resolve().parents[3] / "docs" / "search.md"
    text = doc.read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```toml\n")[1:]]
    example = next(b for b in blocks if "[[unit]]" in b)
    units = load_units(_write(tmp_path, example))
    assert [u.name for u in units] == ["Patrol 101", "CG 12", "Helo 7"]
    assert units[2].fatigue is True


def test_sensor_fields_in_the_units_file(tmp_path: Path) -> None:
    from littoral.search.facilities import Sensor, unit_from_mapping

    base = {"name": "Helo", "state": "KZ", "type": "helicopter", "speed_kn": 90,
            "endurance_h": 3, "altitude_ft": 500, "base_lat": 43.6, "base_lon": 51.2}  # fmt: skip
    with pytest.raises(InputError, match="sensor='sonar' is not one of"):
        unit_from_mapping({**base, "sensor": "sonar"}, "unit 1")
    with pytest.raises(InputError, match="sensor='nvg' has no sweep width"):
        unit_from_mapping({**base, "sensor": "nvg"}, "unit 1")
    nvg = unit_from_mapping(
        {**base, "sensor": "nvg", "sweep_width_nm": 0.4, "sweep_width_source": "table X"}, "u"
    )
    assert nvg.sensor is Sensor.NVG
    assert nvg.searches_at_night
    assert not unit_from_mapping(base, "u").searches_at_night
