"""A ``littoral serve`` process for the service benchmarks: a free port, waiting until it
answers, and a clean stop."""

from __future__ import annotations

import signal
import socket
import subprocess
import time

import httpx


def free_port() -> int:
    """Return a TCP port free on loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, timeout_s: float = 120.0) -> None:
    """Wait until ``GET url/health`` answers 200; raise ``SystemExit`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the service did not start")
        time.sleep(0.3)


def stop(server: subprocess.Popen[bytes] | subprocess.Popen[str], timeout_s: float = 60) -> None:
    """SIGTERM the service and wait for it; kill it if it does not stop in ``timeout_s``."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
