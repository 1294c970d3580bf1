"""End-to-end helpers: a real ``littoral serve`` process on loopback, fed NMEA over TCP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "e2e"
PASSWORD = "harbour-lights-42"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class NmeaServer:
    """A TCP server that sends NMEA lines to the service's feed client, as a receiver does."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port: int = self.sock.getsockname()[1]
        self.client: socket.socket | None = None
        self.connected = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            self.client, _ = self.sock.accept()
        except OSError:
            return
        self.connected.set()

    def send(self, lines: list[str]) -> None:
        assert self.connected.wait(20), "the service never connected to the feed"
        assert self.client is not None
        self.client.sendall(("\r\n".join(lines) + "\r\n").encode("ascii"))

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        self.sock.close()


@dataclass
class Service:
    """A running service: its URL, database, feed and process."""

    url: str
    db_url: str
    feed: NmeaServer
    process: subprocess.Popen[str]
    data_dir: Path
    log: list[str] = field(default_factory=list)

    def stop(self) -> tuple[int, str]:
        """Send SIGTERM and return the exit status and output."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            out, _ = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return int(self.process.returncode), out


def littoral(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "littoral.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def start_service(tmp_path: Path, feed: NmeaServer, add_users: bool = True) -> Service:
    db_url = f"sqlite:///{tmp_path / 'centre.sqlite'}"
    accounts = (("coord.az", "AZ", "coordinator"), ("watch.ru", "RU", "watch-officer"))
    for name, state, role in accounts if add_users else ():
        done = littoral(
            "users",
            "add",
            name,
            "--state",
            state,
            "--role",
            role,
            "--db",
            db_url,
            env={**os.environ, "LITTORAL_PASSWORD": PASSWORD},
        )
        assert done.returncode == 0, done.stderr
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "littoral.cli.main",
            "serve",
            "--db",
            db_url,
            "--port",
            str(port),
            "--feed",
            f"tcp://127.0.0.1:{feed.port}",
            "--data-dir",
            str(tmp_path / "data"),
            "--watch-lateness",
            "30",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"service exited: {process.communicate()[0]}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError("service did not start")
    return Service(url, db_url, feed, process, tmp_path / "data")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    feed = NmeaServer()
    running = start_service(tmp_path, feed)
    yield running
    running.stop()
    feed.close()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from littoral.web import missing_vendor_files

    missing = missing_vendor_files()
    if missing:
        pytest.skip(f"map page assets {missing} not installed; run `make web-assets`")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # the page forbids eval (CSP); the test harness needs it for its string predicates
        page = browser.new_page(viewport={"width": 1400, "height": 900}, bypass_csp=True)
        yield page
        browser.close()
