"""A state that withholds one ship type: the others never see those vessels, it does."""

from __future__ import annotations

import asyncio

from fedkit import (
    Fed,
    make_centre,
    position_lines,
    raw,
    running,
    start_servers,
    static_lines,
    wait_until,
)

from littoral.errors import NotFoundError
from littoral.federation.policy import policy_from_dict

START = 1777622400


def test_policy_withholds_one_ship_type(fed: Fed) -> None:
    fed.servers = start_servers(fed.workdir, ["az", "kz", "ir"], hub="kz")
    make_centre(fed, "az", policy_from_dict({"ais": {"withhold_ship_types": [35]}}))
    make_centre(fed, "kz")
    make_centre(fed, "ir")
    lines: list[str] = []
    for v, ship_type in enumerate([35, 70, 35, 80]):
        mmsi = 423000000 + v
        lines += static_lines(mmsi, "AZ-RX1", START, ship_type, f"VESSEL {v}")
        lines += position_lines(mmsi, "AZ-RX1", START + 1, 10, lon=50.0 + 0.1 * v)
    az, kz, ir = (fed.centres[n] for n in ("az", "kz", "ir"))

    async def scenario() -> None:
        async with running(fed, {"az": raw(lines, "file:az")}):
            assert await wait_until(
                lambda: kz.store.positions.count() == 20 and ir.store.positions.count() == 20, 20
            )
            await asyncio.sleep(0.5)  # anything withheld would have arrived with the rest

    asyncio.run(scenario())
    assert az.store.positions.count() == 40  # the state itself sees all its vessels
    for other in (kz, ir):
        assert other.store.positions.count() == 20
        assert {v.mmsi for v in other.store.vessels.all()} == {423000001, 423000003}
        try:
            other.store.vessels.get(423000000)
            raise AssertionError("a vessel of type 35 reached another centre")
        except NotFoundError:
            pass
    assert az.stats.withheld["position"] == 20
    assert az.stats.withheld["static"] == 2
