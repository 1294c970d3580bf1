"""Alerts raised on both sides of a cut link become one alert, with evidence from both."""

from __future__ import annotations

import asyncio

from fedkit import (
    Fed,
    LinkProxy,
    make_centre,
    position_lines,
    raw,
    running,
    start_servers,
    wait_until,
)

from littoral.store.federated import receivers_of

START = 1777622400
SART = 970123456


def test_alerts_of_a_split_are_merged(fed: Fed) -> None:
    proxies: dict[str, LinkProxy] = {"az": None}  # type: ignore[dict-item]
    fed.servers = start_servers(fed.workdir, ["az", "kz"], hub="kz", proxies=proxies)
    link = proxies["az"]
    link.cut()
    make_centre(fed, "az", watch=True)
    make_centre(fed, "kz", watch=True)
    # one AIS-SART: az's receiver hears every other report, kz's all but the first
    sart = position_lines(SART, "RX", START, 10, step_s=10, lon=50.5, lat=41.0)
    feeds = {"az": raw(sart[0::2], "file:az"), "kz": raw(sart[1:], "file:kz")}
    az, kz = fed.centres["az"], fed.centres["kz"]
    evidence: dict[str, set[int]] = {}

    def distress_alerts(name: str) -> list[str]:
        return [s.alert.id for s in fed.centres[name].store.alerts.find(rule="distress")]

    def merged(name: str) -> bool:
        found = fed.centres[name].store.alerts.find(rule="distress")
        federation = found[0].alert.details.get("federation") if len(found) == 1 else None
        return isinstance(federation, dict) and federation["centres"] == ["az", "kz"]

    async def scenario() -> None:
        async with running(fed, feeds):
            assert await wait_until(
                lambda: (
                    all(fed.figures[n].feed_done for n in ("az", "kz"))
                    and len(distress_alerts("az")) == 1
                    and len(distress_alerts("kz")) == 1
                ),
                15,
            )
            # split: each side raised its own alert, under its own id
            assert distress_alerts("az") != distress_alerts("kz")
            for name in ("az", "kz"):
                (own,) = fed.centres[name].store.alerts.find(rule="distress")
                evidence[name] = {round(e.time.timestamp()) for e in own.alert.evidence}
            link.restore()
            assert await wait_until(
                lambda: (
                    len(distress_alerts("az")) == 1
                    and distress_alerts("az") == distress_alerts("kz")
                    and az.store.positions.count() == 10
                    and kz.store.positions.count() == 10
                    and merged("az")
                    and merged("kz")
                ),
                20,
            ), (distress_alerts("az"), distress_alerts("kz"))

    asyncio.run(scenario())
    for centre in (az, kz):
        (stored,) = centre.store.alerts.find(rule="distress")
        alert = stored.alert
        assert alert.details["federation"]["centres"] == ["az", "kz"]  # type: ignore[index]
        assert len(alert.details["federation"]["copies"]) == 2  # type: ignore[arg-type]
        times = {round(e.time.timestamp()) for e in alert.evidence}
        assert times == evidence["az"] | evidence["kz"]
        assert START in times  # heard only by az
        assert evidence["kz"] - evidence["az"]  # kz's copy brought evidence az did not have
        assert alert.start.timestamp() == START
        # the three transmissions both heard are stored once, attributed to both receivers
        track = centre.store.positions.track(SART)
        assert len(track) == 10
        assert receivers_of(centre.store, SART, track[4].time) == ["az/file:az", "kz/file:kz"]
        assert receivers_of(centre.store, SART, track[0].time) == ["az/file:az"]
