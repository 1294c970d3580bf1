"""A centre joins a running federation, as the runbook says (docs/federation.md).

Three centres run and store their feeds; a fourth starts its server with a link to the hub
and its littoral with the others as peers, and the others restart their littoral with the
new peer in their list. The new centre receives the others' history from their streams, the
others receive its feed, and every store ends with every position once.
"""

from __future__ import annotations

import asyncio

from fedkit import Fed, add_server, make_centre, position_lines, raw, run_all, start_servers

from littoral.store.federated import receiver_count

START = 1777622400


def lines_of(k: int, station: str) -> list[str]:
    lines: list[str] = []
    for v in range(5):
        lines += position_lines(273300000 + 1000 * k + v, station, START, 20, lon=48.0 + k)
    return lines


def test_a_centre_joins_a_running_federation(fed: Fed) -> None:
    fed.servers = start_servers(fed.workdir, ["az", "kz", "ir"], hub="kz")
    feeds = {n: lines_of(k, f"{n.upper()}-RX1") for k, n in enumerate(["az", "kz", "ir", "tm"])}
    for name in ("az", "kz", "ir"):
        make_centre(fed, name)
    first = sum(len(feeds[n]) for n in ("az", "kz", "ir"))

    def everyone_has(count: int) -> bool:
        return all(c.store.positions.count() == count for c in fed.centres.values())

    own = {n: raw(feeds[n], f"live:{n}") for n in ("az", "kz", "ir")}
    asyncio.run(run_all(fed, own, lambda: everyone_has(first), 30))
    assert everyone_has(first)

    add_server(fed, "tm", hub="kz")  # settings now name tm as a peer of every centre
    make_centre(fed, "tm")
    total = first + len(feeds["tm"])
    new = {"tm": raw(feeds["tm"], "live:tm")}
    asyncio.run(run_all(fed, new, lambda: everyone_has(total), 40))
    for name, centre in fed.centres.items():
        assert centre.store.positions.count() == total, name
        assert receiver_count(centre.store) == total, name
        assert fed.figures[name].lost == 0, name
    # the others' history came to tm from their streams, not again from their feeds
    assert fed.figures["tm"].fetched + fed.figures["tm"].mended >= 3
