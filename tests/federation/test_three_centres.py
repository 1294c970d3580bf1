"""Three centres on loopback: each ingests its own feed, each sees the union."""

from __future__ import annotations

import asyncio

from fedkit import Fed, make_centre, position_lines, raw, run_all, start_servers, static_lines

from littoral.store.federated import receiver_count, receivers_of
from littoral.store.records import from_ms


def test_three_centres_see_the_union(fed: Fed) -> None:
    fed.servers = start_servers(fed.workdir, ["az", "kz", "ir"], hub="kz")
    for name in fed.servers:
        make_centre(fed, name)
    start = 1777622400  # 2026-05-01T08:00Z
    feeds = {}
    for k, name in enumerate(["az", "kz", "ir"]):
        lines: list[str] = []
        for v in range(5):
            mmsi = 273000000 + 1000 * k + v
            lines += static_lines(mmsi, f"{name.upper()}-RX1", start, 70, f"SHIP {k}{v}")
            lines += position_lines(mmsi, f"{name.upper()}-RX1", start + 1, 20,
                                    lon=48.0 + k + 0.1 * v)  # fmt: skip
        feeds[name] = lines
    # one transmission heard by the receivers of two centres, az and ir
    shared = position_lines(273999999, "AZ-RX2", start + 5, 1, lon=50.5, lat=41.0)
    feeds["az"] += shared
    feeds["ir"] += [line.replace("AZ-RX2", "IR-RX2") for line in shared]
    expected = 3 * 5 * 20 + 1

    def union() -> bool:
        return all(c.store.positions.count() == expected for c in fed.centres.values())

    asyncio.run(run_all(fed, {n: raw(v, f"file:{n}") for n, v in feeds.items()}, union))
    for name, centre in fed.centres.items():
        assert centre.store.positions.count() == expected, name
        assert centre.store.vessels.count() == 16, name
        assert centre.stats.rejected == {}, name
        track = centre.store.positions.track(273999999)
        assert len(track) == 1
        assert receivers_of(centre.store, 273999999, track[0].time) == ["az/file:az", "ir/file:ir"]
        # every position is attributed to the receiver that heard it, and the shared one twice
        assert receiver_count(centre.store) == expected + 1
    assert fed.centres["az"].store.vessels.get(273002004).name == "SHIP 24"
    assert from_ms(0).year == 1970
