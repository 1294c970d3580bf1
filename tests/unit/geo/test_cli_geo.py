from __future__ import annotations

import json

import pytest

from littoral.cli.main import main


def test_where_prints_water_sector_band_and_place(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "where", "40°20.4′N", "049°51.3′E"]) == 0
    out = capsys.readouterr().out
    assert "sea (Caspian Sea)" in out
    assert "AZ (median line, approximate)" in out
    assert "territorial waters" in out
    assert "Baku Bay" in out


def test_where_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "where", "41", "30.5N", "50", "12.0E", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["class"] == "sea"
    assert info["water"] is True
    assert info["lat"] == pytest.approx(41 + 30.5 / 60)
    assert info["band"] == "common"
    assert info["sector_state"] == "AZ"
    assert 80_000 < info["distance_to_shore_m"] < 100_000
    assert info["nearest_place"]["state"] == "AZ"


def test_where_on_an_island_and_in_kara_bogaz_gol(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "where", "43.97", "47.75", "--json"]) == 0
    island = json.loads(capsys.readouterr().out)
    assert (island["class"], island["water"], island["sector_state"]) == ("island", False, None)
    assert main(["geo", "where", "41.3", "53.5", "--json"]) == 0
    kbg = json.loads(capsys.readouterr().out)
    assert (kbg["class"], kbg["sector_state"], kbg["band"]) == ("kara_bogaz_gol", "TM", "internal")


def test_bad_position_exits_2_and_shows_the_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "where", "41", "30.5E", "50", "12E"]) == 2
    err = capsys.readouterr().err
    assert "'41 30.5E 50 12E'" in err
    assert "same axis" in err


def test_where_warns_far_outside_the_caspian(capsys: pytest.CaptureFixture[str]) -> None:
    # Latitude south instead of north: a classic entry error, accepted but flagged.
    assert main(["geo", "where", "41 30.5S 50 12.0E"]) == 0
    out = capsys.readouterr().out
    assert "outside the Caspian region" in out
    assert main(["geo", "where", "41 30.5N 50 12.0E", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["in_caspian_region"] is True
