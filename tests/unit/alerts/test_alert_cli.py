import json
from pathlib import Path

import pytest

from littoral.cli.main import main

ALERTS = Path(__file__).resolve().parents[2] / "data" / "alerts"


def test_read_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alert", "read", str(ALERTS / "sit185_initial_ambiguous.txt"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "sit185"
    assert out["beacon_id"] == "34E436DB20FE3FC"
    assert [p["source"] for p in out["positions"]] == ["doppler_a", "doppler_b"]
    assert [p["probability"] for p in out["positions"]] == [0.62, 0.38]


def test_read_text_dsc(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alert", "read", str(ALERTS / "dsc_distress.nmea")]) == 0
    out = capsys.readouterr().out
    assert "mmsi      423112345" in out
    assert "nature    sinking" in out


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("$CDDSC,12,4231123450,,05,00,0402204948,0940,,,S,E*00\n", "checksum"),
        ("just some words\n", "neither a SIT 185 message nor"),
        ("DISTRESS COSPAS-SARSAT INITIAL ALERT\nMSG NO: 1\n", "no 'HEX ID:' line"),
    ],
)
def test_malformed_is_one_line_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, named: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content)
    assert main(["alert", "read", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert named in err
    assert "Traceback" not in err


def test_binary_file_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bin"
    path.write_bytes(b"\xff\xfe\x00")
    assert main(["alert", "read", str(path)]) == 2
    assert "not ASCII text" in capsys.readouterr().err


def test_open_then_update_a_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    first = ["alert", "open", str(ALERTS / "sit185_initial_ambiguous.txt"), "--db", db]
    assert main([*first, "--state", "AZ", "--json"]) == 0
    opened = json.loads(capsys.readouterr().out)
    assert opened["action"] == "opened"
    second = ["alert", "open", str(ALERTS / "sit185_confirmed.txt"), "--db", db]
    assert main([*second, "--state", "AZ", "--json"]) == 0
    updated = json.loads(capsys.readouterr().out)
    assert (updated["action"], updated["case_id"]) == ("updated", opened["case_id"])
    # the ambiguity opened two weighted scenarios; the confirmation kept A and ruled out B
    assert [(s["name"], s["share"]) for s in opened["scenarios"]] == [
        ("Doppler A", 0.62),
        ("Doppler B", 0.38),
    ]
    assert [(s["name"], s["weight"]) for s in updated["scenarios"]] == [
        ("Doppler A", 1.0),
        ("Doppler B", 0.0),
    ]
    assert updated["scenarios"][1]["reason"].startswith("ruled out: SIT 185 message 414")
    third = ["alert", "open", str(ALERTS / "sit185_confirmed.txt"), "--db", db, "--state", "AZ"]
    assert main(third) == 0
    assert "scenario Doppler B: weight 0, share 0% (ruled out" in capsys.readouterr().out
