"""``littoral ais decode`` through the real command-line entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from littoral.cli.main import main

POS = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
TYPE5 = (
    "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
    "!AIVDM,2,2,1,A,88888888880,2*25",
)


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.nmea"
    lines = [
        "\\s:AZ-BAK,c:1418172113*49\\" + POS,
        *TYPE5,
        POS[:-2] + "00",  # bad checksum
        "$GPGGA,213950.00,5250.53669,N,00542.34920,E,1,09,1.03,-6.0,M,45.8,M,,*7B",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_decode_json_prints_one_object_per_message(
    feed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ais", "decode", str(feed), "--json"]) == 0
    out, err = capsys.readouterr()
    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["type"] for o in objects] == [1, 5]
    first = objects[0]
    assert first["mmsi"] == 371798000
    assert first["lat"] == pytest.approx(48.381633)
    assert first["speed"] == 12.3
    assert first["time"] == "2014-12-10T00:41:53Z"
    assert first["station"] == "AZ-BAK"
    assert first["source"] == "file:feed.nmea"
    assert objects[1]["shipname"] == "EVER DIADEM"
    assert "by type: 1: 1, 5: 1" in err
    assert "checksum 1" in err
    assert "other_nmea 1" in err


def test_decode_text_lines(feed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ais", "decode", str(feed)]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[0].startswith("2014-12-10T00:41:53Z type=1 mmsi=371798000")


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ais", "decode", str(tmp_path / "missing.nmea")]) == 2
    assert "missing.nmea" in capsys.readouterr().err


def test_ais_without_action_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ais"]) == 2
    assert "decode" in capsys.readouterr().err
