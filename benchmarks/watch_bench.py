"""Watch rules on a synthetic Caspian day: engine alone, and full ingest with and without rules.

The day comes from the project's traffic generator (``littoral.exercise.traffic``): 1,500
vessels over 24 h, tag-blocked NMEA with its planted events (foreign flag, going dark,
ship-to-ship transfer, spoofing, distress). Measured in one run, on the same lines:

- ``engine alone``: decoded records (decoding not timed) through ``littoral.watch.Engine``
  with all seven rules, in chunks of 5,000 as ingest hands them; target well over 200,000
  positions/s;
- ``ingest without rules`` (the peer): decode + picture + store into a fresh SQLite file;
- ``ingest with rules``: the same with the watch engine hooked in; the rules must not slow
  ingest by more than half (ratio >= 0.5).

It also prints the alerts by rule and which planted events the watch raised an alert for.

Usage: ``python benchmarks/watch_bench.py [--vessels 1500] [--hours 24] [--messages 1000000]``.
Timings on a shared machine are noisy; the ratio in the same run is the figure.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from littoral.ais import Decoder, RawLine
from littoral.clock import FixedClock
from littoral.exercise.traffic import generate_traffic
from littoral.services.ingest import ingest
from littoral.store import open_store
from littoral.watch import Engine

START = datetime(2026, 10, 14, tzinfo=UTC)
RULE_OF_EVENT = {
    "foreign_flag": "non_littoral",
    "dark": "going_dark",
    "ship_to_ship": "encounter",
    "spoofing": "integrity",
    "distress": "distress",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vessels", type=int, default=1500)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--messages", type=int, default=1_000_000, help="about this many lines")
    parser.add_argument("--repeat", type=int, default=2, help="ingest runs of each kind")
    args = parser.parse_args()

    t = time.perf_counter()
    scale = max(1.0, 13_600_000 * args.vessels / 1500 * args.hours / 24 / args.messages / 1.08)
    day = generate_traffic(
        np.random.default_rng(2026),
        START,
        hours=args.hours,
        n_vessels=args.vessels,
        rate_scale=scale,
    )
    lines = [RawLine(text, "bench", START) for text in day.lines]
    print(
        f"day: {len(lines):,} lines, {args.vessels} vessels, {args.hours:g} h, rate scale "
        f"{scale:.1f} (generated in {time.perf_counter() - t:.0f} s)"
    )

    decoder = Decoder(keep_others=False)
    records: list = []
    for i in range(0, len(lines), 5000):
        batch = decoder.decode_lines(lines[i : i + 5000])
        chunk = [*batch.positions, *batch.statics, *batch.safety]
        chunk.sort(key=lambda r: r.time)
        records.append(chunk)
    n_positions = sum(1 for chunk in records for r in chunk if hasattr(r, "lon"))
    n_records = sum(len(c) for c in records)
    end = START + timedelta(hours=args.hours)

    # once per process: compile the kernels, build the shore and zone indexes
    t = time.perf_counter()
    warm = Engine()
    warm.process(records[0])
    warm.finish(records[0][-1].time)
    warm.ctx.geo.zones(np.array([51.0]), np.array([42.0]), np.array([1], dtype=np.int8))
    print(
        f"warm-up (kernels, shore and zone indexes, once per process): "
        f"{time.perf_counter() - t:.1f} s"
    )

    engine = Engine()
    t, cpu = time.perf_counter(), time.process_time()
    for chunk in records:
        engine.process(chunk)
    engine.finish(end)
    alone_s, alone_cpu = time.perf_counter() - t, time.process_time() - cpu
    print(
        f"engine alone:          {n_positions / alone_s:12,.0f} positions/s wall, "
        f"{n_positions / alone_cpu:,.0f} per CPU-second ({n_positions:,} positions of "
        f"{n_records:,} records, "
        f"{alone_s:.1f} s wall, {alone_cpu:.1f} s CPU)"
    )

    # alternate the two ingests and keep the best of each: the machine's load changes
    best: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.repeat):
            for label in ("without rules", "with rules"):
                watch = Engine() if label == "with rules" else None
                store = open_store(Path(tmp) / f"{label.replace(' ', '_')}_{k}.sqlite")
                t, cpu = time.perf_counter(), time.process_time()
                ingest(lines, store, FixedClock(START), watch=watch)
                elapsed, used = time.perf_counter() - t, time.process_time() - cpu
                store.close()
                old = best.get(label, (np.inf, np.inf))
                best[label] = (min(old[0], elapsed), min(old[1], used))
    for label, (elapsed, used) in best.items():
        print(
            f"ingest {label:14} {len(lines) / elapsed:12,.0f} messages/s wall, "
            f"{len(lines) / used:,.0f} per CPU-second (best of {args.repeat}: {elapsed:.1f} s, "
            f"{used:.1f} s CPU)"
        )
    wall = best["without rules"][0] / best["with rules"][0]
    cpu_ratio = best["without rules"][1] / best["with rules"][1]
    verdict = "meets" if min(wall, cpu_ratio) >= 0.5 else "MISSES"
    print(
        f"ratio with/without rules: {wall:.2f} wall, {cpu_ratio:.2f} CPU "
        f"({verdict} the target >= 0.5)"
    )

    counts = Counter(a.rule for a in engine.alerts)
    print("alerts by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    by_rule: dict[str, set[int]] = {}
    for alert in engine.alerts:
        by_rule.setdefault(alert.rule, set()).update(alert.mmsis)
    for event in day.truth:
        rule = RULE_OF_EVENT.get(str(event.kind), "?")
        found = bool(set(event.mmsis) & by_rule.get(rule, set()))
        print(
            f"planted {event.kind!s:13} {event.mmsis!s:24} -> {rule:12} "
            f"{'raised' if found else 'NOT RAISED'}"
        )


if __name__ == "__main__":
    main()
