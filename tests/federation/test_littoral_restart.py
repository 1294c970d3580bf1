"""littoral itself stopped or killed between storing its own batch and publishing it.

The messages that share a batch are written to the store's outbox in the batch's own
transaction and leave it once the centre's server acknowledges them; a littoral started
again publishes what is still there, and the others receive every position.
"""

from __future__ import annotations

import asyncio

from fedkit import Fed, make_centre, position_lines, raw, run_all, start_servers

from littoral.store.federated import receiver_count

START = 1777622400


def test_stored_but_unpublished_batch_is_published_at_the_next_start(fed: Fed) -> None:
    fed.servers = start_servers(fed.workdir, ["az", "kz"], hub="kz")
    lines: list[str] = []
    for v in range(4):
        lines += position_lines(273200000 + v, "AZ-RX1", START, 30, lon=49.0 + v)
    az = make_centre(fed, "az")
    # the process dies right after its batches are stored: nothing reached the server
    first = az.take_local(raw(lines[:60], "live:az"))
    second = az.take_local(raw(lines[60:], "live:az"))
    assert [m.msg_id for m in az.outbox()] == [m.msg_id for m in first + second]
    # started again (a new centre object on the same store), with no new feed
    make_centre(fed, "az")
    kz = make_centre(fed, "kz")
    asyncio.run(run_all(fed, {}, lambda: kz.store.positions.count() == len(lines), 20))
    assert kz.store.positions.count() == len(lines)
    assert receiver_count(kz.store) == len(lines)
    assert fed.figures["az"].published == len(first + second)
    assert fed.centres["az"].outbox() == []
