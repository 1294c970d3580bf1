"""Outages: a link cut and restored under load, a server killed with SIGKILL and restarted.

Each centre publishes a paced live feed; while a link is down both sides keep ingesting; once
it is back the backlog arrives in the order it was published, and the counts are exact:
every position once in every store, every message delivered once, none out of order.
"""

from __future__ import annotations

import asyncio
import threading

from fedkit import (
    T0,
    Fed,
    LinkProxy,
    make_centre,
    paced,
    position_lines,
    raw,
    running,
    start_servers,
    wait_until,
)

from littoral.store.federated import receiver_count

START = 1777622400


def feed(name: str, k: int, vessels: int, reports: int) -> list[str]:
    lines: list[str] = []
    for i in range(reports):  # interleaved: one report of each vessel every 10 s
        for v in range(vessels):
            lines += position_lines(
                273000000 + 1000 * k + v, f"{name.upper()}-RX1", START + 10 * i, 1,
                lon=48.0 + k + 0.1 * v + 0.001 * i,
            )  # fmt: skip
    return lines


def check_exact(fed: Fed, expected: int) -> None:
    published = sum(f.published for f in fed.figures.values())
    for name, centre in fed.centres.items():
        figures = fed.figures[name]
        assert centre.store.positions.count() == expected, name
        assert receiver_count(centre.store) == expected, name  # no copy stored twice
        own = fed.figures[name].published
        # every message taken once: delivered, or read from its origin to mend a hole
        assert figures.fetched + figures.mended == published - own, name
        assert figures.redelivered == 0, name
        assert figures.lost == 0, name
        assert figures.errors == [], name
        assert centre.stats.rejected == {}, name
    assert sum(f.publish_duplicates for f in fed.figures.values()) == 0


def test_link_cut_and_restored_under_load(fed: Fed) -> None:
    proxies: dict[str, LinkProxy] = {"az": None}  # type: ignore[dict-item]
    fed.servers = start_servers(fed.workdir, ["az", "kz", "ir"], hub="kz", proxies=proxies)
    link = proxies["az"]
    for name in fed.servers:
        make_centre(fed, name)
    names = list(fed.servers)
    lines = {n: feed(n, k, vessels=10, reports=60) for k, n in enumerate(names)}
    expected = sum(len(v) for v in lines.values())
    gate = threading.Event()  # the second half of every feed comes during the cut
    feeds = {n: paced(raw(v, f"live:{n}"), per_s=300, gate=gate) for n, v in lines.items()}
    az, kz = fed.centres["az"], fed.centres["kz"]
    half = len(lines["az"]) // 2

    async def scenario() -> None:
        async with running(fed, feeds):
            assert await wait_until(lambda: kz.stats.remote_new > 100, 20)
            link.cut()
            await asyncio.sleep(1.0)  # the cut in effect before the second half is released
            before_gate = fed.figures["az"].published  # messages: all of the first half
            gate.set()
            at_cut_kz = kz.store.positions.count()
            at_cut_az = az.store.positions.count()
            # both sides keep working on their own while the link is down
            assert await wait_until(
                lambda: (
                    az.store.positions.count() > at_cut_az + 100
                    and kz.store.positions.count() > at_cut_kz + 100
                    and fed.figures["az"].published_reports > half + 100
                ),
                20,
            )
            await asyncio.sleep(0.5)
            # kz has received nothing of what az published during the cut
            # (under load kz may have heard nothing of az before the cut, only of ir)
            assert fed.figures["kz"].last_origin_seq.get("az", 0) <= before_gate
            link.restore()
            done = await wait_until(
                lambda: all(c.store.positions.count() == expected for c in fed.centres.values()),
                20,
            )
            assert done, {n: c.store.positions.count() for n, c in fed.centres.items()}

    asyncio.run(scenario())
    check_exact(fed, expected)
    assert T0.tzinfo is not None


def test_server_killed_and_restarted(fed: Fed) -> None:
    fed.servers = start_servers(fed.workdir, ["az", "kz", "ir"], hub="kz")
    for name in fed.servers:
        make_centre(fed, name)
    names = list(fed.servers)
    lines = {n: feed(n, k, vessels=10, reports=40) for k, n in enumerate(names)}
    expected = sum(len(v) for v in lines.values())
    gate = threading.Event()  # the second half of every feed comes while kz's server is down
    feeds = {n: paced(raw(v, f"live:{n}"), per_s=300, gate=gate) for n, v in lines.items()}
    kz = fed.centres["kz"]

    async def scenario() -> None:
        async with running(fed, feeds):
            assert await wait_until(lambda: kz.stats.remote_new > 100, 20)
            fed.servers["kz"].kill()  # the hub: every link and kz's own JetStream go down
            gate.set()
            before = kz.store.positions.count()
            # kz keeps ingesting its own feed
            assert await wait_until(lambda: kz.store.positions.count() > before + 50, 20)
            fed.servers["kz"].start()
            # a restarted server re-creates its sources on its own retry schedule (seconds
            # to tens of seconds): wait for the last message, not for a fixed time
            done = await wait_until(
                lambda: all(c.store.positions.count() == expected for c in fed.centres.values()),
                90,
            )
            counts = {n: c.store.positions.count() for n, c in fed.centres.items()}
            assert done, (counts, fed.figures)

    asyncio.run(scenario())
    for name, centre in fed.centres.items():
        assert centre.store.positions.count() == expected, name
        assert receiver_count(centre.store) == expected, name
        # acknowledgements lost with the server are deliveries again, which store nothing;
        # messages the killed server lost are read from their origin (``test_holes``)
        figures = fed.figures[name]
        assert figures.lost == 0, name
        # a message stored before its acknowledgement was lost is acknowledged as a duplicate
        # when sent again: either way it is in the stream once
        others = sum(
            f.published + f.publish_duplicates for n, f in fed.figures.items() if n != name
        )
        assert figures.fetched - figures.redelivered + figures.mended == others, name
        assert sum(f.published_reports for f in fed.figures.values()) == expected
        assert fed.figures[name].errors == [], name
