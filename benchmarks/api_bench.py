"""Vessels-in-view latency of the web service with 1,500 live vessels and the day streaming.

A real ``littoral serve`` (uvicorn, one process, SQLite store, watch rules on) ingests the
project's synthetic Caspian day (``littoral.exercise.traffic``: 1,500 vessels, rate scale 20)
from a TCP feed on loopback: the first half hour at once, so every vessel is in the picture,
then the rest paced at ``--speedup`` times real time (60: about 460 lines/s, the rate a full
Caspian feed delivers) for as long as the measurement lasts. Meanwhile ``--clients`` (20)
threads, each with its own keep-alive connection and a session token, ask
``GET /api/vessels?bbox=...`` for random map views (a quarter of them the whole sea, the rest
a 3 x 2 degree view), ``--requests`` (60) each, within ``--max-seconds``.

Peers measured in the same run, same clients: ``GET /health`` through the same stack (the
floor of HTTP, auth aside), and the same views answered from the database by the store's own
SQL bounding-box query (``SqlStore.vessels.find``, no HTTP) with 20 threads.

Targets (issue 7): median under 50 ms, p99 under 200 ms. Timings on a shared machine are
noisy; say which machine and load they came from.

Usage: ``python benchmarks/api_bench.py [--clients 20] [--requests 60] [--speedup 60]``.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np

from littoral.exercise.traffic import generate_traffic
from littoral.store import open_store
from littoral.store.records import BoundingBox
from service_proc import free_port, stop, wait_healthy

START = datetime(2026, 10, 14, tzinfo=UTC)
PASSWORD = "benchmark-password"
SEA = (46.6, 36.5, 54.1, 47.2)


class Feeder:
    """Serve the day's lines to the service: a head at once, then paced by receive time."""

    def __init__(self, lines: list[str], times: np.ndarray, head_s: float, speedup: float) -> None:
        self.lines = lines
        self.times = times
        self.head_s = head_s
        self.speedup = speedup
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port: int = self.sock.getsockname()[1]
        self.sent = 0
        self.stop = threading.Event()
        self.streaming = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        conn, _ = self.sock.accept()
        t0 = self.times[0]
        head = int(np.searchsorted(self.times, t0 + self.head_s))
        conn.sendall(("\r\n".join(self.lines[:head]) + "\r\n").encode("ascii"))
        self.sent = head
        self.streaming.wait()
        wall0, event0 = time.monotonic(), self.times[head]
        k = head
        while k < len(self.lines) and not self.stop.is_set():
            due = event0 + (time.monotonic() - wall0) * self.speedup
            j = int(np.searchsorted(self.times, due, side="right"))
            if j > k:
                conn.sendall(("\r\n".join(self.lines[k:j]) + "\r\n").encode("ascii"))
                self.sent += j - k
                k = j
            time.sleep(0.05)
        conn.close()
        self.sock.close()


def views(rng: np.random.Generator, n: int) -> list[str]:
    out = []
    west, south, east, north = SEA
    for _ in range(n):
        if rng.random() < 0.25:
            out.append(",".join(f"{v:g}" for v in SEA))
            continue
        lon = rng.uniform(west, east - 3.0)
        lat = rng.uniform(south, north - 2.0)
        out.append(f"{lon:.3f},{lat:.3f},{lon + 3.0:.3f},{lat + 2.0:.3f}")
    return out


def run_clients(
    clients: int, per_client: int, max_s: float, call: Callable[[httpx.Client | None, int], int]
) -> tuple[list[float], int]:
    """Run ``call`` from ``clients`` threads; return latencies (ms) and the error count."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + max_s

    def worker(index: int) -> None:
        mine: list[float] = []
        with httpx.Client(timeout=30.0) as client:
            for k in range(per_client):
                if time.monotonic() > deadline:
                    break
                t = time.perf_counter()
                status = call(client, index * per_client + k)
                mine.append((time.perf_counter() - t) * 1000.0)
                if status != 200:
                    with lock:
                        errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def summary(name: str, ms: list[float]) -> tuple[float, float]:
    q = np.percentile(ms, [50, 90, 99])
    print(
        f"{name:<44} n={len(ms):5d}  median {q[0]:7.1f} ms  p90 {q[1]:7.1f} ms  p99 {q[2]:7.1f} ms"
    )
    return float(q[0]), float(q[2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vessels", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=60, help="per client")
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--speedup", type=float, default=60.0)
    args = parser.parse_args()

    t = time.perf_counter()
    day = generate_traffic(
        np.random.default_rng(7), START, hours=24, n_vessels=args.vessels, rate_scale=20
    )
    times = np.asarray(day.line_time_s, dtype=np.float64)
    print(
        f"synthetic day: {len(day.lines):,} lines, {args.vessels} vessels "
        f"({time.perf_counter() - t:.1f} s to generate)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        env = {**os.environ, "LITTORAL_PASSWORD": PASSWORD}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "littoral.cli.main",
                "users",
                "add",
                "bench",
                "--state",
                "AZ",
                "--role",
                "watch-officer",
                "--db",
                db_url,
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        feeder = Feeder(day.lines, times, head_s=1800.0, speedup=args.speedup)
        port = free_port()
        server = subprocess.Popen(
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
                f"tcp://127.0.0.1:{feeder.port}",
                "--data-dir",
                tmp,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            return measure(args, base, db_url, feeder)
        finally:
            feeder.stop.set()
            stop(server)


def measure(args: argparse.Namespace, base: str, db_url: str, feeder: Feeder) -> int:
    wait_healthy(base)
    login = httpx.post(f"{base}/api/auth/login", json={"name": "bench", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    t = time.perf_counter()
    while True:
        count = httpx.get(f"{base}/api/vessels", headers=headers, timeout=10).json()["count"]
        if count >= args.vessels * 0.98 or time.perf_counter() - t > 120:
            break
        time.sleep(0.5)
    print(
        f"picture: {count} vessels live after the first half hour of the day "
        f"({time.perf_counter() - t:.1f} s to ingest {feeder.sent:,} lines)"
    )
    feeder.streaming.set()
    time.sleep(2.0)

    boxes = views(np.random.default_rng(1), args.clients * args.requests)
    sent0, t0 = feeder.sent, time.monotonic()
    sizes: list[int] = []

    def in_view(client: httpx.Client | None, k: int) -> int:
        assert client is not None
        r = client.get(f"{base}/api/vessels", params={"bbox": boxes[k]}, headers=headers)
        sizes.append(r.content.count(b'"mmsi"'))  # no JSON parsing in the timed loop
        return r.status_code

    ms, errors = run_clients(args.clients, args.requests, args.max_seconds, in_view)
    rate = (feeder.sent - sent0) / (time.monotonic() - t0)

    def health(client: httpx.Client | None, k: int) -> int:
        assert client is not None
        return client.get(f"{base}/health").status_code

    floor, _ = run_clients(args.clients, max(10, args.requests // 2), args.max_seconds, health)

    store = open_store(db_url)
    parsed = [BoundingBox.parse(b) for b in boxes]

    def sql(client: httpx.Client | None, k: int) -> int:
        store.vessels.find(parsed[k])
        return 200

    sql_ms, _ = run_clients(args.clients, max(10, args.requests // 2), args.max_seconds, sql)
    store.close()

    print(
        f"\n{args.clients} concurrent clients on loopback, feed streaming {rate:.0f} lines/s "
        f"during the measurement; {errors} errors; "
        f"median {statistics.median(sizes):.0f} vessels per answer"
    )
    med, p99 = summary("littoral GET /api/vessels?bbox (in view)", ms)
    floor_med, _ = summary("peer: GET /health (same stack)", floor)
    sql_med, _ = summary("peer: SqlStore.vessels.find(bbox), no HTTP", sql_ms)
    print(f"\nratio in-view / health median: {med / floor_med:.2f}")
    print(f"ratio in-view / SQL query median: {med / sql_med:.2f}")
    ok = med < 50.0 and p99 < 200.0 and errors == 0
    print(f"targets median < 50 ms and p99 < 200 ms: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
