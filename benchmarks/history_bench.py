"""Position history at scale: PostgreSQL + PostGIS (daily partitions, COPY) against SQLite.

Generates ``--rows`` (20 million) positions of ``--vessels`` (1,500) over ``--days`` (60):
ferries and tankers sailing back and forth between two points of the Caspian at their own
speed, fishing boats wandering, a fifth at anchor, each reporting at its own interval with
a little GPS noise, in receive-time order as a feed delivers them. The same batches
(``--batch``, 200,000 positions, with the vessel rows of each batch, as the ingest writes
them) are written through ``SqlStore.write_prepared`` into a fresh PostgreSQL schema (COPY
into daily partitions) and into a SQLite file (the embedded store, the named peer).

Reported for both stores, with the ratio SQLite / PostgreSQL:

- ingest: positions per second of wall time of the writes (target: PostgreSQL with COPY
  >= 100,000 msg/s), and per CPU-second of this process and of the server processes of its
  connections (read from ``/proc``, so when the server runs on this machine; autovacuum
  and the WAL writer are not counted): on a shared machine the wall figure falls with the
  load, the CPU one much less;
- vessels in view at a past time (``vessels.find(bbox, at=T, max_age=1 h)``) for random
  2 x 2 degree views and for the whole sea, at random times: p50 and p99 (target p99 < 100 ms);
- one vessel's 30-day track, random vessels and windows: p50 and p99 (target < 50 ms), as
  records (``positions.track(mmsi, T, T + 30 d)``, a ``StoredPosition`` with its receivers
  per point, what exports and replays read) and as columns (``positions.track_columns``,
  numpy arrays, what the chart's track route ``GET /api/vessels/{key}/track`` reads).

The PostgreSQL queries are timed again after ``littoral db cluster`` has rewritten every day
in vessel order (what the daily timer does to finished days), with the time it took.

Also the PostgreSQL ``INSERT`` path (``executemany``, what ingest used before COPY) on the
first ``--insert-rows`` positions in a schema of its own, as the peer of the COPY figure.

Needs PostgreSQL with PostGIS: ``LITTORAL_TEST_PG_URL`` (``source .ci/postgres.sh &&
start_postgres``). After the ingest the script runs ``ANALYZE`` on PostgreSQL (autovacuum
does it for each partition in service) and ``ANALYZE`` on SQLite. Disk: about 250 bytes a
position on PostgreSQL and 80 on SQLite (5 GB and 1.6 GB at 20 million).

Usage: ``python benchmarks/history_bench.py [--rows 20000000] [--vessels 1500] [--days 60]
[--queries 200] [--keep]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, text

from littoral.store import BoundingBox, SqlStore, open_store
from littoral.store.batch import PreparedBatch
from littoral.store.records import from_ms
from littoral.store.repos import insert_positions, vessel_values
from littoral.tracks import VesselState

T0 = datetime(2026, 9, 1, tzinfo=UTC)
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
CASPIAN = BoundingBox(46.5, 36.5, 54.5, 47.2)
WATER = (47.5, 37.5, 53.5, 46.5)  # where the generated traffic stays


@dataclass(frozen=True, slots=True, kw_only=True)
class Fleet:
    """The generated vessels, one entry per vessel (arrays of the same length)."""

    mmsi: np.ndarray
    interval_ms: np.ndarray
    phase_ms: np.ndarray
    kind: np.ndarray  # 0 shuttle, 1 wanderer, 2 at anchor
    a: np.ndarray  # (n, 2) start of the route, lon lat
    b: np.ndarray  # (n, 2) end of the route
    speed_deg_per_ms: np.ndarray
    msg_type: np.ndarray

    @classmethod
    def make(cls, vessels: int, rows: int, days: float, rng: np.random.Generator) -> Fleet:
        """Vessels whose report intervals give ``rows`` positions over ``days`` in all."""
        # report intervals spread a decade (a ship underway vs one at anchor), scaled to
        # give the asked number of rows
        raw = rng.lognormal(0.0, 0.7, vessels)
        span_ms = days * DAY_MS
        interval = raw * (span_ms * np.sum(1.0 / raw) / rows)
        kind = rng.choice(3, size=vessels, p=[0.55, 0.25, 0.20])
        lon = rng.uniform(WATER[0], WATER[2], (vessels, 2))
        lat = rng.uniform(WATER[1], WATER[3], (vessels, 2))
        speed_kn = np.where(kind == 2, 0.0, rng.uniform(6.0, 18.0, vessels))
        return cls(
            mmsi=np.arange(vessels, dtype=np.int64) * 7 + 273_100_000,
            interval_ms=interval,
            phase_ms=rng.uniform(0.0, 1.0, vessels) * interval,
            kind=kind,
            a=np.stack([lon[:, 0], lat[:, 0]], axis=1),
            b=np.stack([lon[:, 1], lat[:, 1]], axis=1),
            speed_deg_per_ms=speed_kn / 60.0 / HOUR_MS,
            msg_type=np.where(rng.random(vessels) < 0.8, 1, 18),
        )

    def reports(
        self, start_ms: int, end_ms: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, ...]:
        """Return the reports of ``[start_ms, end_ms)`` as columns, in time order."""
        first = np.ceil((start_ms - T0_MS - self.phase_ms) / self.interval_ms)
        last = np.ceil((end_ms - T0_MS - self.phase_ms) / self.interval_ms)
        first = np.maximum(first, 0).astype(np.int64)
        count = np.maximum(last.astype(np.int64) - first, 0)
        who = np.repeat(np.arange(len(self.mmsi)), count)
        k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count) + first[who]
        t = T0_MS + self.phase_ms[who] + k * self.interval_ms[who]
        t = np.floor(t + rng.normal(0.0, 300.0, len(t))).astype(np.int64)  # receive jitter
        t = np.clip(t, start_ms, end_ms - 1)
        a, b = self.a[who], self.b[who]
        length = np.hypot(*(b - a).T) + 1e-9
        travelled = self.speed_deg_per_ms[who] * (t - T0_MS) / length
        leg = np.abs((travelled % 2.0) - 1.0)  # triangle wave: there and back again
        frac = np.where(self.kind[who] == 1, 0.5 + 0.5 * np.sin(travelled * 3.0), 1.0 - leg)
        pos = a + (b - a) * frac[:, None]
        pos += rng.normal(0.0, 2e-5, pos.shape)  # GPS noise, a couple of metres
        direction = np.where(travelled % 2.0 < 1.0, 1.0, -1.0)  # towards b, or back to a
        cog = (np.degrees(np.arctan2(*(direction[:, None] * (b - a)).T)) + 360.0) % 360.0
        sog = self.speed_deg_per_ms[who] * 60.0 * HOUR_MS + rng.normal(0.0, 0.2, len(t))
        order = np.argsort(t, kind="stable")
        return (
            self.mmsi[who][order],
            t[order],
            pos[order, 0],
            pos[order, 1],
            np.maximum(sog[order], 0.0),
            cog[order],
            self.msg_type[who][order],
            self.kind[who][order],
        )


T0_MS = int(T0.timestamp() * 1000)


def batches(
    fleet: Fleet, days: float, batch: int, seed: int
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Yield (position rows, vessel rows) of about ``batch`` positions, in time order."""
    rng = np.random.default_rng(seed)
    rows_per_ms = float(np.sum(1.0 / fleet.interval_ms))
    step = max(1, int(batch / rows_per_ms / HOUR_MS)) * HOUR_MS
    end_ms = T0_MS + int(days * DAY_MS)
    sources = ("baku-1", "aktau-1", "anzali-1", "makhachkala-1", "turkmenbashi-1")
    first_seen: dict[int, int] = {}
    low = T0_MS
    while low < end_ms:
        high = min(low + step, end_ms)
        mmsi, t, lon, lat, sog, cog, msg, kind = fleet.reports(low, high, rng)
        heading = np.where(kind == 2, np.nan, np.round(cog))
        nav = np.where(kind == 2, 1, 0)
        rows = list(
            zip(
                mmsi.tolist(), t.tolist(), lon.tolist(), lat.tolist(),
                np.round(sog, 1).tolist(), np.round(cog, 1).tolist(),
                [None if h != h else h for h in heading.tolist()], nav.tolist(),
                msg.tolist(), [sources[m % 5] for m in mmsi.tolist()],
                strict=True,
            )
        )  # fmt: skip
        latest: dict[int, tuple[Any, ...]] = {}
        for r in rows:
            latest[r[0]] = r
        vessels = []
        for m, r in latest.items():
            first_seen.setdefault(m, r[1])
            state = VesselState(
                mmsi=m, first_seen=from_ms(first_seen[m]), last_seen=from_ms(r[1]),
                message_count=1, lon=r[2], lat=r[3], position_time=from_ms(r[1]),
                sog_kn=r[4], cog_deg=r[5], name=f"VESSEL {m % 100000}",
            )  # fmt: skip
            vessels.append(vessel_values(state))
        yield rows, vessels
        low = high


def percentile_ms(samples: list[float], q: float) -> float:
    """Return the ``q`` percentile of ``samples`` (seconds) in milliseconds."""
    return float(np.percentile(np.asarray(samples), q)) * 1000.0


def timed(calls: list[Callable[[], object]]) -> tuple[list[float], int]:
    """Run each call; return their durations (s) and the total of the lengths returned."""
    times: list[float] = []
    total = 0
    for call in calls:
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
        total += len(result) if isinstance(result, list) else 0
    return times, total


def backend_cpu_s(store: SqlStore) -> float | None:
    """Return the CPU seconds the server processes of ``store``'s connections used so far.

    Read from ``/proc`` of this machine (the server must run here); None otherwise.
    """
    if store.backend != "postgresql":
        return 0.0
    with store.engine.connect() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
            {"name": APPLICATION},
        ).scalars()
        total = 0.0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


APPLICATION = "history_bench"


@dataclass(slots=True)
class Figures:
    """What one store measured."""

    name: str
    ingest_s: float = 0.0
    client_cpu_s: float = 0.0
    server_cpu_s: float | None = 0.0
    rows: int = 0
    stored: int = 0
    view_small: tuple[float, float, float] = (0.0, 0.0, 0.0)  # p50, p99 ms, mean vessels
    view_sea: tuple[float, float, float] = (0.0, 0.0, 0.0)
    track: tuple[float, float, float] = (0.0, 0.0, 0.0)  # p50, p99 ms, mean positions
    columns: tuple[float, float, float] = (0.0, 0.0, 0.0)  # the same track as columns

    @property
    def rate(self) -> float:
        """Positions written per second of write time."""
        return self.rows / self.ingest_s if self.ingest_s else 0.0

    @property
    def cpu_rate(self) -> str:
        """Positions written per CPU-second (this process and the server's), as text."""
        if self.server_cpu_s is None:
            return "n/a"
        return f"{self.rows / (self.client_cpu_s + self.server_cpu_s):,.0f}"


def query_plan(fleet: Fleet, days: float, queries: int, seed: int) -> dict[str, list[tuple]]:
    """Random questions, the same for both stores."""
    rng = np.random.default_rng(seed)
    span_ms = int(days * DAY_MS)
    views = []
    for _ in range(queries):
        west = rng.uniform(WATER[0], WATER[2] - 2.0)
        south = rng.uniform(WATER[1], WATER[3] - 2.0)
        at = T0_MS + int(rng.uniform(DAY_MS, span_ms))
        views.append((BoundingBox(west, south, west + 2.0, south + 2.0), from_ms(at)))
    seas = [(CASPIAN, from_ms(T0_MS + int(rng.uniform(DAY_MS, span_ms)))) for _ in range(queries)]
    window = min(30 * DAY_MS, span_ms)
    tracks = []
    for _ in range(queries):
        mmsi = int(rng.choice(fleet.mmsi))
        start = T0_MS + int(rng.uniform(0, span_ms - window + 1))
        tracks.append((mmsi, from_ms(start), from_ms(start + window)))
    return {"views": views, "seas": seas, "tracks": tracks}


def measure_queries(store: SqlStore, figures: Figures, plan: dict[str, list[tuple]]) -> None:
    """Time the three questions on ``store`` (one warm-up pass of a few each first)."""
    hour = timedelta(hours=1)
    for bbox, at in plan["views"][:5]:
        store.vessels.find(bbox, at=at, max_age=hour)
    for mmsi, start, end in plan["tracks"][:5]:
        store.positions.track(mmsi, start, end)
    for key, attr in (("views", "view_small"), ("seas", "view_sea")):
        calls = [(lambda b=b, a=a: store.vessels.find(b, at=a, max_age=hour)) for b, a in plan[key]]
        times, total = timed(calls)
        setattr(
            figures,
            attr,
            (percentile_ms(times, 50), percentile_ms(times, 99), total / len(times)),
        )
    calls = [(lambda m=m, s=s, e=e: store.positions.track(m, s, e)) for m, s, e in plan["tracks"]]
    times, total = timed(calls)
    figures.track = (percentile_ms(times, 50), percentile_ms(times, 99), total / len(times))
    for mmsi, start, end in plan["tracks"][:5]:
        store.positions.track_columns(mmsi, start, end)
    calls = [
        (lambda m=m, s=s, e=e: store.positions.track_columns(m, s, e)) for m, s, e in plan["tracks"]
    ]
    times, total = timed(calls)
    figures.columns = (percentile_ms(times, 50), percentile_ms(times, 99), total / len(times))


def ingest(store: SqlStore, figures: Figures, args: argparse.Namespace, fleet: Fleet) -> None:
    """Write every batch into ``store``; time only the writes."""
    started = time.perf_counter()
    last_report = started
    server_before = backend_cpu_s(store)
    for rows, vessels in batches(fleet, args.days, args.batch, args.seed):
        t, cpu = time.perf_counter(), time.process_time()
        figures.stored += store.write_prepared(PreparedBatch(positions=rows, vessels=vessels))
        figures.ingest_s += time.perf_counter() - t
        figures.client_cpu_s += time.process_time() - cpu
        figures.rows += len(rows)
        if time.perf_counter() - last_report > 30.0:
            last_report = time.perf_counter()
            print(
                f"  {figures.name}: {figures.rows:,} rows, {figures.rate:,.0f}/s writing, "
                f"{last_report - started:.0f} s",
                file=sys.stderr,
            )
    server_after = backend_cpu_s(store)
    if server_before is None or server_after is None:
        figures.server_cpu_s = None
    else:
        figures.server_cpu_s = server_after - server_before


def insert_peer(url: str, args: argparse.Namespace, fleet: Fleet) -> tuple[int, float]:
    """Write the first ``--insert-rows`` positions with the ``INSERT`` path; rows and seconds."""
    rows_done, seconds = 0, 0.0
    with open_store(url) as store:
        layout = store.partitions
        assert layout is not None
        for rows, _vessels in batches(fleet, args.days, args.batch, args.seed):
            layout.ensure({r[1] // DAY_MS for r in rows})
            t = time.perf_counter()
            with store.engine.begin() as conn:
                insert_positions(conn, store._backend, rows)
            seconds += time.perf_counter() - t
            rows_done += len(rows)
            if rows_done >= args.insert_rows:
                break
    return rows_done, seconds


def _schema(base: str, name: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{name}&application_name={APPLICATION}"


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--vessels", type=int, default=1500)
    parser.add_argument("--days", type=float, default=60.0)
    parser.add_argument("--batch", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--insert-rows", type=int, default=400_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the schema and the file")
    parser.add_argument("--pg-url", default=os.environ.get("LITTORAL_TEST_PG_URL"))
    args = parser.parse_args()
    if not args.pg_url:
        print("set LITTORAL_TEST_PG_URL (source .ci/postgres.sh && start_postgres)")
        return 2
    fleet = Fleet.make(args.vessels, args.rows, args.days, np.random.default_rng(args.seed))
    plan = query_plan(fleet, args.days, args.queries, args.seed + 1)
    admin = create_engine(args.pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    names = [f"history_bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with admin.begin() as conn:
        for name in names:
            conn.execute(text(f"CREATE SCHEMA {name}"))
    folder = Path(tempfile.mkdtemp(prefix="history_bench_"))
    results: list[Figures] = []
    try:
        pg = Figures("PostgreSQL+PostGIS (COPY, daily partitions)")
        with open_store(_schema(args.pg_url, names[0])) as store:
            ingest(store, pg, args, fleet)
            with store.engine.begin() as conn:
                conn.execute(text("ANALYZE positions"))
                conn.execute(text("ANALYZE vessels"))
            layout = store.partitions
            partitions = len(layout.partitions()) if layout is not None else 0
            measure_queries(store, pg, plan)
            # the daily timer's `littoral db cluster`: every finished day in vessel order
            clustered = Figures("PostgreSQL, days clustered by vessel")
            t = time.perf_counter()
            if layout is not None:
                layout.cluster_before(from_ms(T0_MS + int((args.days + 1) * DAY_MS)))
            cluster_s = time.perf_counter() - t
            clustered.rows, clustered.ingest_s, clustered.server_cpu_s = pg.rows, 0.0, None
            measure_queries(store, clustered, plan)
        results.append(pg)
        peer_rows, peer_s = insert_peer(_schema(args.pg_url, names[1]), args, fleet)
        if not args.skip_sqlite:
            lite = Figures("SQLite (embedded, the peer)")
            with open_store(folder / "history.sqlite") as store:
                ingest(store, lite, args, fleet)
                with store.engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
                measure_queries(store, lite, plan)
            results.append(lite)
        sqlite_bytes = sum(f.stat().st_size for f in folder.iterdir())
        with admin.connect() as conn:
            pg_bytes = conn.execute(
                text(
                    "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = :name AND c.relkind = 'r'"
                ),
                {"name": names[0]},
            ).scalar_one()
    finally:
        if not args.keep:
            with admin.begin() as conn:
                for name in names:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
            for f in folder.iterdir():
                f.unlink()
            folder.rmdir()
        admin.dispose()
    print(
        f"history_bench: {pg.rows:,} positions of {args.vessels} vessels over {args.days:g} days "
        f"({partitions} daily partitions); {args.queries} queries each; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"{'store':46} {'ingest msg/s':>13} {'msg/CPU-s':>10} {'view 2x2 p50/p99 ms':>20} "
          f"{'view sea p50/p99 ms':>20} {'track 30 d p50/p99 ms':>22} "
          f"{'as columns p50/p99':>20}")  # fmt: skip
    for f in [*results[:1], clustered, *results[1:]]:
        print(
            f"{f.name:46} {f.rate:13,.0f} {f.cpu_rate:>10} "
            f"{f.view_small[0]:9.1f} /{f.view_small[1]:8.1f} "
            f"{f.view_sea[0]:9.1f} /{f.view_sea[1]:8.1f} {f.track[0]:10.1f} /{f.track[1]:9.1f} "
            f"{f.columns[0]:9.1f} /{f.columns[1]:8.1f}"
        )
    print(
        f"answers: view 2x2 {pg.view_small[2]:.0f} vessels, sea {pg.view_sea[2]:.0f} vessels, "
        f"track {pg.track[2]:.0f} positions on average; PostgreSQL stored {pg.stored:,} new rows"
    )
    print(
        f"PostgreSQL INSERT path (executemany, the peer of COPY): {peer_rows:,} rows "
        f"{peer_rows / peer_s:,.0f}/s; COPY / INSERT = {pg.rate / (peer_rows / peer_s):.2f}"
    )
    for f in results:
        server = "n/a" if f.server_cpu_s is None else f"{f.server_cpu_s:.1f}"
        print(
            f"ingest CPU of {f.name}: this process {f.client_cpu_s:.1f} s, server {server} s, "
            f"wall {f.ingest_s:.1f} s"
        )
    print(f"littoral db cluster of all {partitions} days: {cluster_s:.1f} s")
    print(f"disk: PostgreSQL {pg_bytes / 2**30:.2f} GiB, SQLite {sqlite_bytes / 2**30:.2f} GiB")
    if len(results) == 2:
        lite = results[1]
        print(
            "ratio SQLite / PostgreSQL: ingest "
            f"{lite.rate / pg.rate:.2f}, view 2x2 p99 {lite.view_small[1] / pg.view_small[1]:.2f}, "
            f"view sea p99 {lite.view_sea[1] / pg.view_sea[1]:.2f}, "
            f"track p99 {lite.track[1] / pg.track[1]:.2f} "
            f"(clustered: {lite.track[1] / clustered.track[1]:.2f}), "
            f"track as columns p99 {lite.columns[1] / pg.columns[1]:.2f} "
            f"(clustered: {lite.columns[1] / clustered.columns[1]:.2f})"
        )
    met = {
        "view p99 < 100 ms": max(pg.view_small[1], pg.view_sea[1]) < 100.0,
        "track p99 < 50 ms": pg.track[1] < 50.0,
        "track p99 < 50 ms once clustered": clustered.track[1] < 50.0,
        "track as columns p99 < 50 ms": pg.columns[1] < 50.0,
        "track as columns p99 < 50 ms once clustered": clustered.columns[1] < 50.0,
        "ingest >= 100,000 msg/s": pg.rate >= 100_000.0,
    }
    print(
        "targets (PostgreSQL): "
        + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in met.items())
    )
    return 0  # the figures are the answer; an unmet target is printed, not an error


if __name__ == "__main__":
    raise SystemExit(main())
