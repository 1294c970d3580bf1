"""``littoral federate``: two centres as two processes; the files checked; the server's written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from fedkit import Fed, position_lines, start_servers, static_lines

from littoral.cli.main import main
from littoral.errors import StoreError
from littoral.store import open_store

START = 1777622400


def write_centre(fed: Fed, name: str, feeds: list[str], policy: str = "") -> Path:
    (fed.workdir / f"share-{name}.toml").write_text(policy)
    peers = [n for n in fed.servers if n != name]
    path = fed.workdir / f"{name}.toml"
    path.write_text(
        f'centre = "{name}"\nstore = "sqlite:///{fed.workdir / name}.db"\n'
        f'feeds = {feeds!r}\npolicy = "share-{name}.toml"\n'
        f'[nats]\nurl = "{fed.servers[name].url}"\npeers = {peers!r}\n'
    )
    return path


def test_two_centres_as_processes(fed: Fed) -> None:
    fed.servers = start_servers(fed.workdir, ["az", "kz"], hub="kz")
    feed = fed.workdir / "az.nmea"
    lines = static_lines(273000001, "AZ-RX1", START, 70, "CASPIAN STAR")
    lines += position_lines(273000001, "AZ-RX1", START + 1, 30)
    feed.write_text("\n".join(lines) + "\n")
    configs = {
        "az": write_centre(fed, "az", [str(feed)], '[alerts]\nshare = "all"\n'),
        "kz": write_centre(fed, "kz", []),
    }
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = {
        name: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "littoral.cli.main",
                "federate",
                "run",
                "--config",
                str(path),
                "--status-every",
                "0.5",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
        )
        for name, path in configs.items()
    }
    try:
        deadline = time.monotonic() + 60
        count = 0
        while time.monotonic() < deadline and count < 30:
            time.sleep(0.3)
            if (fed.workdir / "kz.db").exists():
                try:
                    with open_store(f"sqlite:///{fed.workdir / 'kz.db'}") as store:
                        count = store.positions.count()
                except StoreError:
                    continue  # the centre is creating its tables
    finally:
        for proc in procs.values():
            proc.send_signal(signal.SIGINT)
        outputs = {n: p.communicate(timeout=30)[0] for n, p in procs.items()}
    assert count == 30, outputs
    for name, proc in procs.items():
        assert proc.returncode == 0, outputs[name]
    assert "published 31 reports" in outputs["az"], outputs["az"]
    assert "30 new positions" in outputs["kz"], outputs["kz"]
    with open_store(f"sqlite:///{fed.workdir / 'kz.db'}") as store:
        assert store.vessels.get(273000001).name == "CASPIAN STAR"


def test_check_names_the_bad_key(fed: Fed, capsys: object, tmp_path: Path) -> None:
    (tmp_path / "share.toml").write_text("[ais]\nwithhold_ship_type = [35]\n")
    (tmp_path / "c.toml").write_text(
        'centre = "az"\nstore = "sqlite:///x.db"\npolicy = "share.toml"\n'
        '[nats]\nurl = "nats://127.0.0.1:4222"\npeers = ["kz"]\n'
    )
    assert main(["federate", "check", "--config", str(tmp_path / "c.toml")]) == 2
    (tmp_path / "share.toml").write_text("[ais]\nwithhold_ship_types = [35]\n")
    assert main(["federate", "check", "--config", str(tmp_path / "c.toml")]) == 0
    (tmp_path / "c.toml").write_text('centre = "AZ"\nstore = "x"\n[nats]\nurl = "x"\n')
    assert main(["federate", "check", "--config", str(tmp_path / "c.toml")]) == 2
    out = capsys.readouterr()  # type: ignore[attr-defined]
    assert "withhold_ship_type'" in out.err
    assert "withheld 35" in out.out
    assert "centre='AZ'" in out.err


def test_server_config_is_what_nats_server_runs(fed: Fed, capsys: object) -> None:
    args = ["federate", "server-config", "--centre", "tm", "--host", "127.0.0.1",
            "--store-dir", str(fed.workdir / "js"), "--link", "127.0.0.1:7999",
            "--advertise", "203.0.113.5:7422"]  # fmt: skip
    assert main(args) == 0
    text = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "domain: tm" in text
    assert 'url: "nats-leaf://127.0.0.1:7999"' in text
    assert 'advertise: "203.0.113.5:7422"' in text
    conf = fed.workdir / "tm.conf"
    conf.write_text(text)
    from littoral.federation.server import find_nats_server

    check = subprocess.run(
        [str(find_nats_server()), "-t", "-c", str(conf)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr + check.stdout


def test_server_config_include_is_read_from_the_configurations_folder(
    fed: Fed, capsys: object
) -> None:
    """nats-server joins an include to the configuration's folder, an absolute path too:
    an absolute ``--include`` is refused by name, a relative one is what nats-server reads."""
    base = ["federate", "server-config", "--centre", "tm", "--store-dir", str(fed.workdir / "js")]
    security = fed.workdir / "tm-security.conf"
    security.write_text("accounts { TM: { jetstream: enabled, users: [ { user: a } ] } }\n")
    assert main([*base, "--include", str(security)]) != 0
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "relative to the folder of the configuration file" in err
    assert main([*base, "--include", "tm-security.conf"]) == 0
    conf = fed.workdir / "tm.conf"
    conf.write_text(capsys.readouterr().out)  # type: ignore[attr-defined]
    from littoral.federation.server import find_nats_server

    check = subprocess.run(
        [str(find_nats_server()), "-t", "-c", str(conf)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr + check.stdout
