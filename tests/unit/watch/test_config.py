import dataclasses
import re
from pathlib import Path

import pytest

from littoral.errors import InputError
from littoral.watch import WatchConfig, load_config
from littoral.watch.config_file import _SECTIONS, config_from_mapping

DOC = Path(__file__).resolve().parents[3] / "docs" / "watch.md"


def test_empty_file_gives_documented_defaults(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("")
    assert load_config(path) == WatchConfig()


def test_values_are_taken(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(
        "[engine]\nlateness_s = 600\n[loitering]\nmax_speed_kn = 1.5\n"
        "service_ship_types = [52]\n[distress]\nkeywords = ['mayday']\n"
    )
    cfg = load_config(path)
    assert cfg.engine.lateness_s == 600.0
    assert cfg.loitering.max_speed_kn == 1.5
    assert cfg.loitering.service_ship_types == (52,)
    assert cfg.distress.keywords == ("MAYDAY",)


def test_short_encounter_preset_and_override():
    cfg = config_from_mapping({"encounter": {"preset": "short"}})
    assert (cfg.encounter.max_distance_m, cfg.encounter.min_duration_s) == (250.0, 1800.0)
    cfg = config_from_mapping({"encounter": {"preset": "short", "max_distance_m": 300}})
    assert cfg.encounter.max_distance_m == 300.0


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"loitering": {"max_speed_kn": -1}}, "loitering.max_speed_kn=-1"),
        ({"loitering": {"max_speed_kn": "fast"}}, "loitering.max_speed_kn='fast'"),
        ({"going_dark": {"threshold_s": 0}}, "going_dark.threshold_s=0"),
        ({"going_dark": {"min_reports": 2.5}}, "going_dark.min_reports=2.5"),
        ({"encounter": {"enabled": "yes"}}, "encounter.enabled='yes'"),
        ({"encounter": {"max_distanse_m": 300}}, "encounter.max_distanse_m"),
        ({"encounter": {"preset": "long"}}, "encounter.preset='long'"),
        ({"loitering": {"service_ship_types": [52, 300]}}, "loitering.service_ship_types"),
        ({"engine": {"lateness_s": float("nan")}}, "engine.lateness_s=nan"),
        ({"enigne": {}}, "'enigne'"),
        ({"area": [{"name": "A", "polygon": [[50, 40], [51, 40]]}]}, "area['A'].polygon"),
        ({"area": [{"name": "A", "polygon": [[50, 40], [51, 40], [51, 91]]}]}, "[51, 91]"),
        ({"area": [{"name": "A"}]}, "area['A']"),
        (
            {
                "area": [
                    {"name": "A", "polygon": [[50, 40], [51, 40], [51, 41]], "priority": "urgent"}
                ]
            },
            "area['A'].priority='urgent'",
        ),
        (
            {
                "area": [
                    {
                        "name": "A",
                        "polygon": [[50, 40], [51, 40], [51, 41]],
                        "min_speed_kn": 5,
                        "max_speed_kn": 2,
                    }
                ]
            },
            "min_speed_kn=5.0",
        ),
        (
            {"area": [{"name": "A", "polygon": [[50, 40], [51, 41], [51, 40], [50, 41]]}]},
            "not a valid area",
        ),
    ],
)
def test_bad_values_are_refused_with_key_and_value(data, named):
    with pytest.raises(InputError) as info:
        config_from_mapping(data)
    assert named in str(info.value)


def test_missing_and_broken_files_are_refused(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[engine\n")
    with pytest.raises(InputError, match="not valid TOML"):
        load_config(bad)
    missing_geojson = tmp_path / "area.toml"
    missing_geojson.write_text('[[area]]\nname = "A"\ngeojson = "a.geojson"\n')
    with pytest.raises(InputError, match=r"a\.geojson"):
        load_config(missing_geojson)


def test_docs_list_every_key_with_its_default():
    text = DOC.read_text(encoding="utf-8")
    for section, cls in _SECTIONS.items():
        for f in dataclasses.fields(cls):
            default = f.default if f.default is not dataclasses.MISSING else None
            row = re.search(rf"^\| `{section}\.{f.name}` \| ([^|]*) \|", text, re.M)
            assert row, f"docs/watch.md does not list {section}.{f.name}"
            if isinstance(default, float | int) and not isinstance(default, bool):
                assert f"{default:g}" in row.group(1).replace(",", ""), (section, f.name)


def test_defaults_command_prints_a_rules_file_of_the_defaults(capsys, tmp_path):
    from littoral.cli.main import main

    assert main(["watch", "defaults"]) == 0
    path = tmp_path / "rules.toml"
    path.write_text(capsys.readouterr().out)
    assert load_config(path) == WatchConfig()
    assert "# A silence that begins closer than this to a port is not reported." in path.read_text()
