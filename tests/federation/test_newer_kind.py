"""A centre running a newer littoral publishes a kind of message this version does not know.

Before, the reader of every other centre raised on the message's subject, and since the
message is delivered until acknowledged, it stopped again at every restart: one centre's
upgrade would have cut the others off. Now the message is counted and kept aside, the
cursor moves past it, and what follows is stored.
"""

from __future__ import annotations

import asyncio

import nats
from fedkit import Fed, make_centre, position_lines, raw, run_all, start_servers

START = 1777622400


def test_a_newer_kind_is_kept_aside_and_the_rest_stored(fed: Fed) -> None:
    fed.servers = start_servers(fed.workdir, ["az", "kz"], hub="kz")
    first = position_lines(273100001, "AZ-RX1", START, 5, lon=49.0)
    then = position_lines(273100002, "AZ-RX1", START + 60, 5, lon=49.5)
    az = make_centre(fed, "az")
    kz = make_centre(fed, "kz")

    async def scenario() -> None:
        az.take_local(raw(first, "live:az"))
        await run_all(fed, {}, lambda: kz.store.positions.count() == len(first), 20)
        nc = await nats.connect(fed.servers["az"].url)
        await nc.jetstream().publish("littoral.az.sitrep", b'{"c":"az","v":2}')
        await nc.close()
        az.take_local(raw(then, "live:az"))
        await run_all(fed, {}, lambda: kz.store.positions.count() == len(first + then), 20)

    asyncio.run(scenario())
    assert kz.store.positions.count() == len(first) + len(then)
    assert kz.stats.rejected == {"bad_kind": 1}
    assert fed.figures["kz"].errors == []
    assert fed.figures["kz"].gaps == 0
    (kept,) = [e for e in kz.store.quarantine.recent() if e.source == "federation:az"]
    assert "unknown kind 'sitrep'" in kept.line
