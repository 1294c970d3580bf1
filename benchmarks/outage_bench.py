"""The web service through a PostgreSQL outage: no 500, 503s while down, quick recovery.

A real ``littoral serve`` (uvicorn, one process) reaches PostgreSQL through a TCP relay on
loopback that this script cuts for ``--outage-s`` (12) seconds and then restores: existing
connections drop and new ones are refused, as when the database host goes away. Meanwhile
``--clients`` (50) threads, each with a session, loop over a mix of reads (the case list, the
vessels in view, ``/health``) and writes (a new case, 1 in 4 requests), and ``--streams``
(25) threads hold ``GET /api/events`` streams open.

Reported: responses by status before, during and after the outage; 500s (target 0); the
time from restoring the relay to the first successful write (target under 5 s); and every
write the service acknowledged (201) looked up in the database afterwards (target 0 lost).
The peer in the same run is the same load with no outage (the first phase), for the rate.

Needs PostgreSQL: ``LITTORAL_TEST_PG_URL`` (``source .ci/postgres.sh && start_postgres``).
Usage: ``python benchmarks/outage_bench.py [--clients 50] [--streams 25] [--outage-s 12]``.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "unit" / "api"))
from tcp_proxy import TcpProxy  # noqa: E402  (the relay the outage test uses)

from service_proc import free_port, stop, wait_healthy  # noqa: E402

PASSWORD = "outage-bench-42"
CASE = {"title": "outage", "datum_lon": 50.5, "datum_lat": 40.5}


def _littoral(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "littoral.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=300,
    )


class Phase:
    """Which part of the run a response falls in."""

    def __init__(self) -> None:
        self.name = "before"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--streams", type=int, default=25)
    parser.add_argument("--outage-s", type=float, default=12.0)
    parser.add_argument("--before-s", type=float, default=6.0)
    parser.add_argument("--after-s", type=float, default=10.0)
    args = parser.parse_args()
    base = os.environ.get("LITTORAL_TEST_PG_URL")
    if not base:
        print("LITTORAL_TEST_PG_URL is not set: source .ci/postgres.sh && start_postgres")
        return 2

    schema_name = f"outage_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema_name}"))
    parts = urlsplit(base)
    proxy = TcpProxy((parts.hostname or "localhost", parts.port or 5432))
    relayed = base.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")
    db_url = f"{relayed}?options=-csearch_path%3D{schema_name}"
    env = {**os.environ, "LITTORAL_PASSWORD": PASSWORD, "PYTHONPATH": str(ROOT / "src")}
    accounts = [f"coord{i}.az" for i in range((args.streams + 4) // 5 + 2)]
    for name in accounts:
        _littoral("users", "add", name, "--state", "AZ", "--role", "coordinator",
                  "--db", db_url, env=env)  # fmt: skip
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log_file = (Path(tmp) / "serve.log").open("w")
        command = [sys.executable, "-m", "littoral.cli.main", "serve", "--db", db_url]
        command += ["--port", str(port), "--data-dir", tmp]
        server = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            result = _run(args, url, accounts, proxy)
        finally:
            stop(server)
            proxy.cut()
            log_file.close()
    created_ids, statuses, recovery_s, stream_events = result
    with admin.begin() as conn:
        stored = {int(r[0]) for r in conn.execute(text(f"SELECT id FROM {schema_name}.sar_cases"))}
        conn.execute(text(f"DROP SCHEMA {schema_name} CASCADE"))
    admin.dispose()
    lost = sorted(set(created_ids) - stored)
    print(f"clients {args.clients}, streams {args.streams}, outage {args.outage_s:.0f} s")
    for phase in ("before", "outage", "after"):
        counts = statuses[phase]
        total = sum(counts.values())
        print(f"  {phase:7s} {total:6d} responses  " + ", ".join(
            f"{code}: {n}" for code, n in sorted(counts.items())))  # fmt: skip
    fives = sum(c[500] for c in statuses.values())
    print(f"  500 responses: {fives} (target 0)")
    print(f"  503 during the outage: {statuses['outage'][503]}")
    print(f"  recovery (relay restored -> first acknowledged write): {recovery_s:.2f} s "
          "(target < 5 s)")  # fmt: skip
    print(f"  writes acknowledged: {len(created_ids)}, lost: {len(lost)} (target 0)")
    print(f"  stream events received: {stream_events}")
    ok = fives == 0 and not lost and recovery_s < 5.0 and statuses["outage"][503] > 0
    return 0 if ok else 1


def _run(
    args: argparse.Namespace, url: str, accounts: list[str], proxy: TcpProxy
) -> tuple[list[int], dict[str, Counter[int]], float, int]:
    wait_healthy(url)
    tokens = []
    for name in accounts:
        login = httpx.post(f"{url}/api/auth/login", json={"name": name, "password": PASSWORD})
        tokens.append({"Authorization": f"Bearer {login.json()['token']}"})
    phase = Phase()
    statuses: dict[str, Counter[int]] = {p: Counter() for p in ("before", "outage", "after")}
    created: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()
    restored_at = [0.0]
    first_write_after = [0.0]
    events = [0]

    def client(i: int) -> None:
        rng = random.Random(i)
        headers = tokens[i % len(tokens)]
        with httpx.Client(base_url=url, headers=headers, timeout=15) as http:
            while not stop.is_set():
                roll = rng.random()
                try:
                    if roll < 0.25:
                        r = http.post(
                            "/api/cases",
                            json={**CASE, "datum_time": "2026-05-01T11:00:00Z"},
                        )
                    elif roll < 0.6:
                        r = http.get("/api/cases")
                    elif roll < 0.9:
                        r = http.get("/api/vessels", params={"bbox": "49,39,52,42"})
                    else:
                        r = http.get("/health")
                except httpx.HTTPError:
                    continue
                with lock:
                    statuses[phase.name][r.status_code] += 1
                    if r.status_code == 201:
                        created.append(int(r.json()["id"]))
                        if phase.name == "after" and not first_write_after[0]:
                            first_write_after[0] = time.monotonic()
                time.sleep(0.02)

    def stream(i: int) -> None:
        headers = tokens[i % len(tokens)]
        while not stop.is_set():
            try:
                with httpx.stream("GET", f"{url}/api/events", headers=headers, timeout=30) as r:
                    for line in r.iter_lines():
                        if line.startswith("event:"):
                            with lock:
                                events[0] += 1
                        if stop.is_set():
                            return
            except httpx.HTTPError:
                time.sleep(0.5)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    threads += [
        threading.Thread(target=stream, args=(i,), daemon=True) for i in range(args.streams)
    ]
    for t in threads:
        t.start()
    time.sleep(args.before_s)
    phase.name = "outage"
    proxy.cut()
    time.sleep(args.outage_s)
    proxy.restore()
    restored_at[0] = time.monotonic()
    phase.name = "after"
    time.sleep(args.after_s)
    stop.set()
    for t in threads[: args.clients]:
        t.join(timeout=30)
    recovery = (first_write_after[0] - restored_at[0]) if first_write_after[0] else float("inf")
    return created, statuses, recovery, events[0]


if __name__ == "__main__":
    raise SystemExit(main())
