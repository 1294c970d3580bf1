"""A hole in what a centre is delivered: the missing messages are read from their origin.

A NATS server killed under load may resume its sourcing of another centre past messages it
never stored (``docs/federation.md``, Outages): they never come again. The
reader sees the hole in the origin's numbering and reads the missing messages from the
origin's own stream, in order, before the message that showed the hole. Here the holes are
made on purpose, by deleting messages from kz's inbound stream before kz reads them: one at
the very first message of az (kz has stored nothing of az yet), one in the middle.
"""

from __future__ import annotations

import asyncio

import nats
from fedkit import Fed, make_centre, position_lines, raw, run_all, start_servers

from littoral.federation.jetstream import JetStreamTransport
from littoral.services.federation_run import RunFigures
from littoral.store.federated import receiver_count

START = 1777622400


def test_holes_are_mended_from_the_origin(fed: Fed) -> None:
    fed.servers = start_servers(fed.workdir, ["az", "kz"], hub="kz")
    lines: list[str] = []
    for i in range(12):
        for v in range(5):
            lines += position_lines(273100000 + v, "AZ-RX1", START + 10 * i, 1, lon=49.0 + v)
    az = make_centre(fed, "az")

    async def scenario() -> None:
        kz_transport = JetStreamTransport(fed.settings("kz"))
        await kz_transport.start()  # kz's inbound stream and durable reader, before az speaks
        await kz_transport.close()
        # six batches stored (one message each), published from the outbox
        batches = [az.take_local(raw(lines[i : i + 10], "live:az")) for i in range(0, 60, 10)]
        assert [len(b) for b in batches] == [1] * 6
        await run_all(fed, {}, lambda: fed.figures["az"].published == 6, 20)
        published = fed.figures["az"].published
        assert published == 6, published
        nc = await nats.connect(fed.servers["kz"].url)
        js = nc.jetstream()
        for _ in range(300):  # the server sources az's stream into kz's
            if (await js.stream_info("LITTORAL_KZ_IN")).state.messages == published:
                break
            await asyncio.sleep(0.1)
        for seq in (1, 3, 4):
            await js.delete_msg("LITTORAL_KZ_IN", seq)
        await nc.close()
        kz = make_centre(fed, "kz")
        await run_all(fed, {}, lambda: kz.store.positions.count() == len(lines), 20)

    asyncio.run(scenario())
    kz = fed.centres["kz"]
    figures = fed.figures["kz"]
    published = fed.figures["az"].published
    assert kz.store.positions.count() == len(lines) == az.store.positions.count()
    assert receiver_count(kz.store) == len(lines)
    assert (figures.gaps, figures.mended, figures.lost) == (2, 3, 0)
    assert figures.fetched == published - 3
    assert figures.redelivered == 0
    assert kz.cursors() == {"az": published}

    # a restarted reader knows from its store what it holds: nothing is taken twice
    again = RunFigures()
    fed.figures["kz"] = again
    del fed.centres["az"]
    asyncio.run(run_all(fed, {}, lambda: False, 2))
    assert (again.fetched, again.gaps, again.mended) == (0, 0, 0)
    assert again.last_origin_seq == {"az": published}
