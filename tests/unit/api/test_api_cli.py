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


def test_users_set_role_disable_enable_and_reset_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import subprocess
    import sys

    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    for name, role in (("admin.az", "admin"), ("ops.az", "coordinator")):
        add = ["users", "add", name, "--state", "AZ", "--role", role, "--db", db]
        assert main([*add, "--password", "long enough"]) == 0
    with open_store(db) as store:
        service = ServiceStore(store.engine)
        ops = service.user_by_name("ops.az")
        service.add_session("d" * 64, ops.id, ops.created, ops.created.replace(year=2100))
    assert main(["users", "set-role", "ops.az", "watch-officer", "--db", db]) == 0
    assert "role watch_officer; 1 session(s) ended" in capsys.readouterr().out
    assert main(["users", "disable", "ops.az", "--db", db]) == 0
    assert main(["users", "enable", "ops.az", "--db", db]) == 0
    # the last enabled administrator of a state stays
    assert main(["users", "disable", "admin.az", "--db", db]) == 2
    assert "last enabled administrator of AZ" in capsys.readouterr().err
    monkeypatch.delenv("LITTORAL_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("a brand new secret\n"))
    assert main(["users", "reset-password", "ops.az", "--db", db]) == 0
    with open_store(db) as store:
        service = ServiceStore(store.engine)
        user = service.user_by_name("ops.az")
        entries, _ = service.audit(20, 0)
    from littoral.services.accounts import PasswordHasher

    assert PasswordHasher().verify(user.password_hash, "a brand new secret")
    assert (user.role, user.disabled) == ("watch_officer", False)
    changes = [e.detail["changes"] for e in entries if e.path == "users.change"]
    assert {"role": {"old": "coordinator", "new": "watch_officer"}} in changes
    assert {"password": "changed"} in changes
    # from a pipe, in a real process: no terminal needed, and no traceback
    piped = subprocess.run(
        [
            sys.executable,
            "-m",
            "littoral.cli.main",
            "users",
            "reset-password",
            "ops.az",
            "--db",
            db,
        ],
        input="another secret 2\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in __import__("os").environ.items() if k != "LITTORAL_PASSWORD"},
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
