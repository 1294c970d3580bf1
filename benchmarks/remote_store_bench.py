"""One centre storing the other centres' positions: ``Centre.take_remote`` per second.

Four peer centres' messages as the federation delivers them (up to 500 positions each,
``--vessels`` vessels per peer reporting ``--rate`` positions a second between them, in
0.1 s ticks), fed to a fresh SQLite centre ``--per-call`` messages at a time: decoding,
the merge of copies (the store lookup of each position's copies within 5 s), the picture,
and the write of positions, vessels and receivers in one transaction.

Peer in the same run: the same positions written by ``SqlStore.write_batch`` alone into a
fresh SQLite store (no decoding, no merge, no receivers): the floor of the store's write.

Usage: ``python benchmarks/remote_store_bench.py [--seconds 50] [--per-call 40]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

T0 = datetime(2026, 5, 1, 8, tzinfo=UTC)
PEERS = ("ru", "az", "ir", "tm")


def main() -> None:
    """Run the benchmark and print its figures."""
    from littoral.clock import FixedClock
    from littoral.federation import wire
    from littoral.federation.transport import Incoming
    from littoral.records.reports import PositionReport
    from littoral.services.federation import Centre
    from littoral.store import open_store
    from littoral.tracks.picture import TrackStore

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=50.0, help="seconds of traffic")
    parser.add_argument("--rate", type=int, default=2000, help="positions/s of each peer")
    parser.add_argument("--vessels", type=int, default=400, help="vessels of each peer")
    parser.add_argument("--per-call", type=int, default=40, help="messages per take_remote")
    a = parser.parse_args()

    per_tick = a.rate // 10
    messages: list[Incoming] = []
    reports: list[PositionReport] = []
    seq = 0
    for tick in range(int(a.seconds * 10)):
        for k, origin in enumerate(PEERS):
            batch = []
            for i in range(per_tick):
                v = (tick * per_tick + i) % a.vessels
                batch.append(PositionReport(
                    mmsi=273_100_000 + 10_000 * k + v,
                    time=T0 + timedelta(seconds=tick * 0.1 + i * 0.1 / per_tick),
                    lon=47.5 + 1.2 * k + 0.01 * v + 1e-5 * tick, lat=41.0 + 0.001 * v,
                    msg_type=1, source="RX1", sog_kn=10.0, cog_deg=90.0, heading_deg=90.0,
                    nav_status=0,
                ))  # fmt: skip
            reports.extend(batch)
            for out in wire.encode_positions(origin, batch):
                seq += 1
                messages.append(Incoming(origin=origin, kind=out.kind, msg_id=out.msg_id,
                                         data=out.data, seq=seq, origin_seq=seq))  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="remote_store_bench_"))
    centre = Centre("kz", open_store(f"sqlite:///{folder / 'kz.db'}"), FixedClock(T0))
    t = time.perf_counter()
    for i in range(0, len(messages), a.per_call):
        centre.take_remote(messages[i : i + a.per_call])
    ours_s = time.perf_counter() - t
    assert centre.stats.remote_new == len(reports), centre.stats

    store = open_store(f"sqlite:///{folder / 'peer.db'}")
    picture = TrackStore(FixedClock(T0))
    per = len(reports) * a.per_call // len(messages)
    t = time.perf_counter()
    for i in range(0, len(reports), per):
        chunk = reports[i : i + per]
        picture.apply_positions(chunk)
        store.write_batch(positions=chunk, vessels=picture.take_dirty())
    peer_s = time.perf_counter() - t
    n = len(reports)
    print(f"remote_store_bench: {n:,} positions of {len(PEERS)} peers in {len(messages):,} "
          f"messages, {a.per_call} messages a call")  # fmt: skip
    print(f"  Centre.take_remote: {n / ours_s:,.0f} positions/s ({ours_s:.1f} s)")
    print(f"  peer, SqlStore.write_batch alone: {n / peer_s:,.0f} positions/s ({peer_s:.1f} s)")
    print(f"  ratio take_remote / write_batch: {peer_s / ours_s:.2f}")
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
