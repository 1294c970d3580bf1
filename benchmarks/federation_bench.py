"""Five centres on loopback: picture lag, CPU per centre, and catching up after a cut link.

Five real ``nats-server`` processes (JetStream, one domain per centre) are joined by
leaf-node links in the documented chain ``ru - az - ir - tm - kz`` (``docs/federation.md``);
the ``az - ir`` link runs through a TCP relay that this script cuts. Each centre is a process
of its own (a :class:`~littoral.services.federation.Centre` with its SQLite store) fed a live
feed of ``--rate`` (2,000) AIS position lines a second from its own vessels, stamped with the
wall clock as a live receiver does.

Phases: ``--steady-s`` of steady load (picture lag: receive time at the publishing centre to
stored in another centre's picture, p50 and p99; CPU seconds per second of each centre),
then one link (``--cut``: ``az - ir``, or ``tm - kz``) cut for ``--cut-s`` with the feeds
running, then restored, the feeds running for ``--recover-s`` more (0: the feeds end at the
restore): the backlog at ``kz`` (what the centres beyond the cut published that ``kz`` had
not got at the moment of restoring) and the time until ``kz`` had it all give the catch-up
rate. Cutting ``az - ir`` leaves three centres (``ir``, ``tm``, ``kz``) catching up at once
on this one machine; cutting ``tm - kz`` leaves ``kz`` alone behind, as a centre on a machine
of its own catches up. After the feeds end each centre runs until nothing has arrived for
``--quiet-s`` (10 s, counted from the feeds' end at the earliest; at most ``--drain-s``);
then every store is counted: positions stored against positions published (lost), and
receivers against positions (stored twice).

Peer in the same run: a plain nats-py loop without littoral on the same servers: messages of
the same size published to ``ru``'s stream, sourced to ``kz`` across the same links, and
read there by a pull consumer with explicit acknowledgements (msg/s; as many messages as
the backlog, 20,000 to 50,000), and its lag at the same rate. littoral sends up to 500
positions in one message; the peer sends one message per position, as a straightforward use
of JetStream would: its msg/s are positions/s.

Usage: ``python benchmarks/federation_bench.py [--rate 2000] [--steady-s 20] [--cut-s 30]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "federation"))

CHAIN = ("ru", "az", "ir", "tm", "kz")
"""Leaf-node links: each centre links to the next one (the last is the root)."""

PEER_MAX = 50_000
"""The most messages the peer consumes for its rate."""

CUTS = ("az-ir", "tm-kz")
"""The links the script can cut (through a relay): one centre near, one far."""


def _lines(k: int, count: int, vessels: int) -> list[str]:
    """Position sentences (no tag block: the live clock stamps them) of centre ``k``."""
    from littoral.exercise.nmea import PositionBatch, encode_positions

    i = np.arange(count)
    v = i % vessels
    batch = PositionBatch(
        msg_type=np.ones(count, dtype=np.int64),
        mmsi=(273_100_000 + 10_000 * k + v).astype(np.int64),
        time_s=np.full(count, 1_777_622_400.0),
        lon=47.5 + 1.2 * k + 0.01 * v + 1e-5 * (i // vessels),
        lat=np.full(count, 41.0) + 0.001 * v,
        sog_kn=np.full(count, 10.0),
        cog_deg=np.full(count, 90.0),
        heading_deg=np.full(count, 90.0),
        nav_status=np.zeros(count, dtype=np.int64),
        station=np.zeros(count, dtype=np.int64),
    )
    return [line.split("\\")[-1] for line in encode_positions(batch, ("BENCH1",))]


def centre_worker(
    name: str, k: int, url: str, args: dict[str, Any], out: Any, ready: Any, start: Any
) -> None:
    """Run one centre in this process and put its figures on ``out``."""
    import resource

    from littoral.ais import RawLine
    from littoral.clock import SystemClock
    from littoral.federation.jetstream import JetStreamTransport, NatsSettings
    from littoral.services.federation import Centre, RemoteResult
    from littoral.services.federation_run import RunFigures, run_centre
    from littoral.store import open_store

    total_s, rate = args["total_s"], args["rate"]
    sentences = _lines(k, int(rate * total_s) + rate, args["vessels"])
    store = open_store(f"sqlite:///{args['workdir']}/{name}.db")
    centre = Centre(name, store, SystemClock())
    ready.put(name)
    t0 = start.get()  # the same start time for every centre, once all are ready
    figures = RunFigures()
    lags: list[tuple[float, float]] = []
    seqs: list[tuple[float, dict[str, int]]] = []
    published: list[tuple[float, int]] = []
    cpu: list[tuple[float, float]] = []

    def feed() -> Any:
        while time.time() < t0:
            time.sleep(0.01)
        for n, text in enumerate(sentences):
            due = t0 + n / rate
            if due > t0 + total_s:
                return
            ahead = due - time.time()
            if ahead > 0:
                time.sleep(ahead)
            yield RawLine(text, f"live:{name}", datetime.now(UTC))

    got: Counter[str] = Counter()  # positions stored, by publishing centre

    def on_remote(result: RemoteResult) -> None:
        now = time.time()
        lags.extend((now, now - p.time.timestamp()) for p in result.positions)
        got.update(p.source.split("/", 1)[0] for p in result.positions)
        seqs.append((now, dict(got)))

    async def main() -> None:
        stop = asyncio.Event()
        transport = JetStreamTransport(
            NatsSettings(centre=name, url=url, peers=tuple(c for c in CHAIN if c != name))
        )
        run = asyncio.create_task(
            run_centre(centre, transport, feed(), stop, on_remote=on_remote, figures=figures)
        )

        def quiet() -> bool:  # after the feed: nothing left to publish, nothing arriving
            # counted from the feeds' end at the earliest: a centre cut off to the end (tm-kz,
            # --recover-s 0) has heard nothing for the whole cut, and must still wait for it
            last = max(seqs[-1][0] if seqs else 0.0, t0 + total_s)
            return figures.publish_backlog == 0 and time.time() - last > args["quiet_s"]

        while time.time() < t0 + total_s + args["drain_s"] and not (
            time.time() > t0 + total_s and quiet()
        ):
            await asyncio.sleep(0.25)
            usage = resource.getrusage(resource.RUSAGE_SELF)
            cpu.append((time.time(), usage.ru_utime + usage.ru_stime))
            published.append((time.time(), figures.published_reports))
            if args["verbose"] and len(cpu) % 8 == 0:
                print(f"{time.time() - t0:6.1f} s {name}: own {centre.stats.local_positions} "
                      f"published {figures.published} from others {centre.stats.remote_messages}",
                      file=sys.stderr, flush=True)  # fmt: skip
        stop.set()
        await run

    asyncio.run(main())
    from littoral.store.federated import receiver_count

    out.put(
        {
            "name": name,
            "lags": lags,
            "seqs": seqs,
            "published": published,
            "cpu": cpu,
            "positions": store.positions.count(),
            "receivers": receiver_count(store),
            "local_new": centre.stats.local_new,
            "remote_messages": centre.stats.remote_messages,
            "redelivered": figures.redelivered,
            "gaps": figures.gaps,
            "mended": figures.mended,
            "lost": figures.lost,
            "errors": figures.errors,
        }
    )


def _at(series: list[tuple[float, Any]], t: float) -> Any:
    """The last value of a (time, value) series at or before ``t``."""
    found = series[0][1]
    for when, value in series:
        if when > t:
            break
        found = value
    return found


def peer(url_from: str, url_to: str, count: int, size: int, rate: int) -> dict[str, float]:
    """Plain nats-py: publish to ``ru``, source to ``kz`` over the same links, consume there."""
    import nats
    from nats.js import api

    async def run() -> dict[str, float]:
        src = await nats.connect(url_from)
        dst = await nats.connect(url_to)
        js_src, js_dst = src.jetstream(), dst.jetstream()
        await js_src.add_stream(name="PEER", subjects=["peer.>"], storage=api.StorageType.FILE)
        await js_dst.add_stream(
            name="PEER_IN",
            storage=api.StorageType.FILE,
            sources=[api.StreamSource(name="PEER", external=api.ExternalStream(api="$JS.ru.API"))],
        )
        body = b"x" * size
        futures = [await js_src.publish_async("peer.pos", body) for _ in range(count)]
        await asyncio.gather(*futures)
        while (await js_dst.stream_info("PEER_IN")).state.messages < count:
            await asyncio.sleep(0.05)
        sub = await js_dst.pull_subscribe("", durable="peer", stream="PEER_IN")
        got = 0
        t = time.perf_counter()
        while got < count:
            msgs = await sub.fetch(2000, timeout=2)
            for m in msgs:
                await m.ack()
            got += len(msgs)
        consume_rate = count / (time.perf_counter() - t)
        # lag at the same rate as a centre: publish paced with the send time in the body
        lags: list[float] = []
        sub2 = await js_dst.pull_subscribe("", durable="peer_lag", stream="PEER_IN",
                                           config=api.ConsumerConfig(
                                               deliver_policy=api.DeliverPolicy.NEW))  # fmt: skip

        async def reader(n: int) -> None:
            while len(lags) < n:
                try:
                    msgs = await sub2.fetch(2000, timeout=0.5)
                except nats.errors.TimeoutError:
                    continue
                now = time.time()
                for m in msgs:
                    lags.append(now - float(m.data[:20]))
                    await m.ack()

        n = rate * 5
        task = asyncio.create_task(reader(n))
        start = time.time()
        for i in range(n):
            ahead = start + i / rate - time.time()
            if ahead > 0:
                await asyncio.sleep(ahead)
            await js_src.publish_async("peer.pos", f"{time.time():20.6f}".encode() + body[20:])
        await asyncio.wait_for(task, 60)
        await src.close()
        await dst.close()
        return {
            "consume_msg_s": consume_rate,
            "lag_p50_s": float(np.percentile(lags, 50)),
            "lag_p99_s": float(np.percentile(lags, 99)),
        }

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=2000, help="position lines/s per centre")
    parser.add_argument("--vessels", type=int, default=400, help="vessels per centre")
    parser.add_argument("--steady-s", type=float, default=20.0)
    parser.add_argument("--cut-s", type=float, default=30.0)
    parser.add_argument("--recover-s", type=float, default=30.0)
    parser.add_argument("--drain-s", type=float, default=120.0, help="most time to catch up")
    parser.add_argument(
        "--quiet-s", type=float, default=10.0, help="after the feeds: caught up when idle this long"
    )
    parser.add_argument("--verbose", action="store_true", help="progress on stderr")
    parser.add_argument("--skip-peer", action="store_true", help="littoral's figures only")
    parser.add_argument(
        "--cut",
        choices=CUTS,
        default="az-ir",
        help="the link cut: az-ir leaves ir, tm and kz behind; tm-kz leaves kz alone behind",
    )
    parser.add_argument("--json", type=Path, help="write the figures here too")
    a = parser.parse_args()

    from fedkit import LinkProxy

    from littoral.federation.server import LocalServer, ServerPlan, free_port

    workdir = Path(tempfile.mkdtemp(prefix="federation-bench-"))
    ports = {n: (free_port(), free_port()) for n in CHAIN}
    servers: dict[str, LocalServer] = {}
    near, far = a.cut.split("-")  # near links to far through the relay
    proxy = LinkProxy(ports[far][1])
    # far advertises the relay, or near would reconnect round the cut link to far's own port
    advertise = {far: f"127.0.0.1:{proxy.port}"}
    for i in range(len(CHAIN) - 1, -1, -1):  # the root first, then down the chain
        name = CHAIN[i]
        links: tuple[str, ...] = ()
        if i + 1 < len(CHAIN):
            nxt = proxy.port if name == near else ports[CHAIN[i + 1]][1]
            links = (f"127.0.0.1:{nxt}",)
        plan = ServerPlan(centre=name, client_port=ports[name][0], leaf_port=ports[name][1],
                          store_dir=workdir / "js" / name, links=links,
                          advertise=advertise.get(name))  # fmt: skip
        servers[name] = LocalServer(plan, workdir / "nats")
        servers[name].start()
    total_s = a.steady_s + a.cut_s + a.recover_s
    args = {"total_s": total_s, "rate": a.rate, "vessels": a.vessels,
            "workdir": str(workdir), "drain_s": a.drain_s, "quiet_s": a.quiet_s,
            "verbose": a.verbose}  # fmt: skip
    ctx = mp.get_context("spawn")
    out, ready, start = ctx.Queue(), ctx.Queue(), ctx.Queue()
    procs = [
        ctx.Process(target=centre_worker, args=(n, k, servers[n].url, args, out, ready, start))
        for k, n in enumerate(CHAIN)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get()
    t0 = time.time() + 1.0
    for _ in procs:
        start.put(t0)
    t_cut = t0 + a.steady_s
    t_restore = t_cut + a.cut_s
    time.sleep(max(0.0, t_cut - time.time()))
    proxy.cut()
    time.sleep(max(0.0, t_restore - time.time()))
    proxy.restore()
    results = {r["name"]: r for r in (out.get() for _ in procs)}
    for p in procs:
        p.join()

    print(
        f"five centres on loopback ({', '.join(CHAIN)}), {a.rate} msg/s each, steady "
        f"{a.steady_s:.0f} s, cut {a.cut_s:.0f} s ({a.cut}), recovery {a.recover_s:.0f} s"
    )
    figures: dict[str, Any] = {"rate": a.rate, "cut_s": a.cut_s, "cut": a.cut, "centres": {}}
    for name in CHAIN:
        r = results[name]
        steady = [lag for t, lag in r["lags"] if t0 + 2 <= t <= t_cut]
        cpu0, cpu1 = _at(r["cpu"], t0 + 2), _at(r["cpu"], t_cut)
        cpu_share = (cpu1 - cpu0) / (t_cut - t0 - 2)
        p50 = float(np.percentile(steady, 50)) if steady else float("nan")
        p99 = float(np.percentile(steady, 99)) if steady else float("nan")
        figures["centres"][name] = {"lag_p50_s": p50, "lag_p99_s": p99, "cpu": cpu_share}
        print(f"  {name}: picture lag p50 {p50:.3f} s, p99 {p99:.3f} s; CPU {cpu_share:.2f} "
              f"core; from others {r['remote_messages']} messages, redelivered "
              f"{r['redelivered']}, gaps {r['gaps']} (mended {r['mended']}, lost {r['lost']}), "
              f"errors {len(r['errors'])}")  # fmt: skip

    # catch-up at kz of what the centres beyond the cut published during it, in positions
    # (a message carries up to 500)
    kz = results["kz"]
    at_restore = _at(kz["seqs"], t_restore)
    beyond = CHAIN[: CHAIN.index(near) + 1]
    target = {o: _at(results[o]["published"], t_restore) for o in beyond}
    backlog = sum(target[o] - at_restore.get(o, 0) for o in target)
    caught = next(
        (t for t, seq in kz["seqs"] if t >= t_restore
         and all(seq.get(o, 0) >= target[o] for o in target)),
        None,
    )  # fmt: skip
    rate_catch = backlog / (caught - t_restore) if caught else float("nan")
    expected = sum(r["local_new"] for r in results.values())
    lost = {n: expected - r["positions"] for n, r in results.items()}
    doubled = {n: r["receivers"] - r["positions"] for n, r in results.items()}
    took_s = (caught or float("nan")) - t_restore
    print(f"  outage: backlog at kz {backlog} positions, caught up in {took_s:.2f} s: "
          f"{rate_catch:,.0f} positions/s")  # fmt: skip
    print(f"  counted: {expected} positions published; lost {sum(lost.values())}, "
          f"stored twice {sum(doubled.values())} (over the five stores)")  # fmt: skip
    figures.update(backlog=backlog, catch_up_msg_s=rate_catch, lost=lost, doubled=doubled)
    if a.skip_peer:
        if a.json:
            a.json.write_text(json.dumps(figures, indent=2))
        for server in servers.values():
            server.stop()
        return
    body = 230  # bytes of a position message (JSON)
    # as many messages as the backlog, within bounds: the peer acknowledges one message per
    # position (about 500/s), so a 10-minute cut's millions would take hours
    count = min(max(backlog, 20_000), PEER_MAX)
    p = peer(servers["ru"].url, servers["kz"].url, count, body, a.rate)
    print(
        f"  peer (plain nats-py, ru -> kz, no littoral): consume {p['consume_msg_s']:,.0f} "
        f"msg/s; lag at {a.rate} msg/s p50 {p['lag_p50_s']:.3f} s, p99 {p['lag_p99_s']:.3f} s"
    )
    kz_p99 = figures["centres"]["kz"]["lag_p99_s"]
    print(
        f"  ratio: catch-up {rate_catch / p['consume_msg_s']:.2f}x the peer's consume rate; "
        f"kz's p99 lag {kz_p99 / p['lag_p99_s']:.1f}x the peer's"
    )
    figures.update(peer=p)
    if a.json:
        a.json.write_text(json.dumps(figures, indent=2))
    for server in servers.values():
        server.stop()


if __name__ == "__main__":
    main()
