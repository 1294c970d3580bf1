"""``littoral users``: accounts made from the command line, bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

from littoral.cli.main import main
from littoral.store import open_store
from littoral.store.service import ServiceStore


def test_users_add_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    args = ["users", "add", "ops.baku", "--state", "az", "--role", "SAR-coordinator", "--db", db]
    assert main([*args, "--password", "long enough"]) == 0
    assert main(["users", "list", "--db", db]) == 0
    assert "ops.baku\tAZ\tcoordinator\ten" in capsys.readouterr().out
    with open_store(db) as store:
        user = ServiceStore(store.engine).user_by_name("ops.baku")
        entries, _ = ServiceStore(store.engine).audit(10, 0)
    assert user.password_hash.startswith("$argon2id$")
    # the command acts through the account use cases, so the addition is audited
    (added,) = [e for e in entries if e.path == "users.add"]
    assert (added.method, added.user_name, added.state) == ("CALL", "cli", "AZ")
    assert added.detail["target_user"] == "ops.baku"
    assert main([*args, "--password", "long enough"]) == 2  # the name is taken
    assert "already taken" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--state", "XX", "--role", "admin"], "state='XX'"),
        (["--state", "RU", "--role", "captain"], "role='captain'"),
        (["--state", "RU", "--role", "admin", "--password", "short"], "length 5"),
        (["--state", "RU", "--role", "admin", "--language", "fr"], "language='fr'"),
    ],
)
def test_users_add_names_the_bad_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], named: str
) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    argv = ["users", "add", "someone", *flags, "--db", db]
    if "--password" not in flags:
        argv += ["--password", "long enough"]
    assert main(argv) == 2
    assert named in capsys.readouterr().err
