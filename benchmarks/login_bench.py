"""Login cost and throttling: Argon2id at RFC 9106's second option, and a burst of guesses.

1. Hash and verify times of the service's password hasher (t=3, m=64 MiB, p=4 lanes: RFC 9106
   section 4, second recommended option) against the same costs on one lane (p=1, the
   previous setting), in the same run. Target: under 0.5 s per verification on this machine.
2. ``--guesses`` (50) concurrent wrong passwords for one account against a real
   ``littoral serve`` on loopback: how many reach the password check (answered 401) and how
   many are held off by the throttle (429). Target: the configured free attempts (5), plus
   one for each doubling delay (1 s, 2 s, 4 s, ...) that has passed while the burst lasted.

Usage: ``python benchmarks/login_bench.py [--guesses 50] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from argon2 import PasswordHasher as Argon2

from littoral.services.accounts import PasswordHasher
from service_proc import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "login-bench-password"


def _times(hash_fn: object, verify_fn: object, repeat: int) -> tuple[float, float]:
    hashes, verifies = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        encoded = hash_fn(PASSWORD)  # type: ignore[operator]
        t1 = time.perf_counter()
        verify_fn(encoded, PASSWORD)  # type: ignore[operator]
        t2 = time.perf_counter()
        hashes.append(t1 - t0)
        verifies.append(t2 - t1)
    return statistics.median(hashes), statistics.median(verifies)


def _burst(guesses: int) -> tuple[Counter[int], float]:
    port = free_port()
    env = {**os.environ, "LITTORAL_PASSWORD": PASSWORD, "PYTHONPATH": str(ROOT / "src")}
    statuses: Counter[int] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/login.db"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "littoral.cli.main",
                "users",
                "add",
                "coord.az",
                "--state",
                "AZ",
                "--role",
                "coordinator",
                "--db",
                db,
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        log = (Path(tmp) / "serve.log").open("w")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "littoral.cli.main",
                "serve",
                "--db",
                db,
                "--port",
                str(port),
                "--data-dir",
                tmp,
                "--no-watch",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url)
            barrier = threading.Barrier(guesses)
            lock = threading.Lock()

            def guess(i: int) -> None:
                barrier.wait()
                r = httpx.post(
                    f"{url}/api/auth/login",
                    json={"name": "coord.az", "password": f"wrong-guess-{i:04d}"},
                    timeout=120,
                )
                with lock:
                    statuses[r.status_code] += 1

            threads = [threading.Thread(target=guess, args=(i,)) for i in range(guesses)]
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            lasted_s = time.monotonic() - started
        finally:
            stop(server)
            log.close()
    return statuses, lasted_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guesses", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ours = PasswordHasher()
    one_lane = Argon2(time_cost=3, memory_cost=65536, parallelism=1)
    h4, v4 = _times(ours.hash, ours.verify, args.repeat)
    h1, v1 = _times(one_lane.hash, one_lane.verify, args.repeat)
    print("Argon2id t=3 m=64 MiB, median of", args.repeat)
    print(f"  p=4 (littoral): hash {h4 * 1000:.0f} ms, verify {v4 * 1000:.0f} ms")
    print(f"  p=1 (peer):     hash {h1 * 1000:.0f} ms, verify {v1 * 1000:.0f} ms")
    print(f"  ratio p=4 / p=1 verify: {v4 / v1:.2f} (target: verify under 500 ms)")
    statuses, lasted_s = _burst(args.guesses)
    bound = 5 + int(math.log2(lasted_s + 1.0))
    print(f"{args.guesses} concurrent wrong guesses for one account, over {lasted_s:.1f} s:")
    print(f"  reached the password check (401): {statuses[401]} (target <= {bound}: 5 free,")
    print("  then one per doubling delay passed during the burst)")
    print(f"  held off by the throttle (429): {statuses[429]}")
    other = {k: v for k, v in statuses.items() if k not in (401, 429)}
    if other:
        print(f"  other answers: {other}")
    return 0 if v4 < 0.5 and statuses[401] <= bound and not other else 1


if __name__ == "__main__":
    raise SystemExit(main())
