from __future__ import annotations

from pathlib import Path

import pytest

from littoral.cli.main import main


def test_bad_values_exit_2_and_name_the_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["exercise", "--vessels", "5", "--out", str(tmp_path)]) == 2
    assert "--vessels=5" in capsys.readouterr().err
    assert main(["exercise", "--hours", "2", "--out", str(tmp_path)]) == 2
    assert "hours=2.0" in capsys.readouterr().err
    assert main(["exercise", "--speedup", "-3", "--out", str(tmp_path)]) == 2
    assert "speedup=-3.0" in capsys.readouterr().err


def test_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["exercise", "--help"])
    text = capsys.readouterr().out
    for option in ("--seed", "--hours", "--vessels", "--out", "--speedup", "--serve"):
        assert option in text
