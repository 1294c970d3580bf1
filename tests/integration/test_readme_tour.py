"""Every command of the README tour runs as written, in order, from a copy of the checkout.

The tour is the ``sh`` block after the ``<!-- tour: ... -->`` marker in README.md. Each
command (continuation lines joined, comments skipped) runs through ``bash`` in a temporary
folder holding a copy of ``examples/``, with ``littoral`` on the PATH as ``make install``
and ``. .venv/bin/activate`` put it there (here: a small launcher running this checkout's
source with the test's Python). A command failing fails the test with its output. ``serve``
is the one command that does not end by itself: it is started, must answer ``/health`` on
its port (the README's, or a free one when that is taken), and is then stopped with
SIGINT, as Ctrl-C would.

No command may write progress frames (``\\r``) when its output is not a terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- tour:"
LONG_RUNNING = ("littoral serve",)


def tour_commands(readme: str) -> list[str]:
    """Return the tour's commands in order, continuation lines joined, comments dropped."""
    after = readme[readme.index(MARKER) :]
    block = re.search(r"```sh\n(.*?)```", after, flags=re.S)
    assert block is not None, "no sh block after the tour marker"
    joined = block.group(1).replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        text = line.strip()
        if text and not text.startswith("#"):
            commands.append(re.sub(r"\s+", " ", text))
    return commands


def _launcher(bin_dir: Path) -> None:
    bin_dir.mkdir()
    script = bin_dir / "littoral"
    script.write_text(
        f'#!/bin/sh\nPYTHONPATH={ROOT / "src"} exec {sys.executable} -m littoral.cli.main "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_taken(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _serve(command: str, cwd: Path, env: dict[str, str]) -> None:
    match = re.search(r"--port (\d+)", command)
    assert match is not None, f"the tour's serve has no --port: {command}"
    port = int(match.group(1))
    if _port_taken(port):
        port = _free_port()
        command = command.replace(match.group(0), f"--port {port}")
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60.0
        while True:
            assert proc.poll() is None, f"{command} ended: {proc.communicate()[0]}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            assert time.monotonic() < deadline, f"{command} does not answer on port {port}"
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_tour_has_the_commands_it_promises() -> None:
    commands = tour_commands((ROOT / "README.md").read_text())
    assert commands[0].startswith("littoral geo where")
    for needed in ("ais ingest", "watch run", "drift run", "search plan", "users add", "serve"):
        assert any(needed in c for c in commands), needed
    for path in re.findall(r"examples/[\w.]+", " ".join(commands)):
        assert (ROOT / path).is_file(), path


@pytest.mark.slow
def test_every_command_of_the_readme_tour_runs(tmp_path: Path) -> None:
    commands = tour_commands((ROOT / "README.md").read_text())
    work = tmp_path / "checkout"
    work.mkdir()
    shutil.copytree(ROOT / "examples", work / "examples")
    _launcher(tmp_path / "bin")
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("LITTORAL_DB", None)
    env.pop("LITTORAL_PASSWORD", None)
    env["HOME"] = str(tmp_path / "home")  # nothing of the user's own data folder is touched
    for command in commands:
        if command.startswith(LONG_RUNNING):
            _serve(command, work, env)
            continue
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        shown = f"{command}\nstdout: {done.stdout[-3000:]}\nstderr: {done.stderr[-3000:]}"
        assert done.returncode == 0, shown
        assert "Traceback" not in done.stderr, shown
        assert "\r" not in done.stderr, f"progress frames written to a log: {command}"
    assert (work / "case-updated.nc").stat().st_size > 0
    assert (work / "out" / "exercise" / "index.html").is_file()
