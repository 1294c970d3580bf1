"""A state's NATS user may publish on its own subjects only, and littoral works under it.

``docs/federation.md`` asks each state's operators to give the user littoral connects as
publish rights on ``littoral.<state>.>`` and the JetStream API, nothing else: a message
published at ``az`` on ``littoral.ru.pos`` would otherwise travel to ``ru``'s stream as
``ru``'s. This runs a real ``nats-server`` with an account and that permission set (the
include file a state's operators write), starts a centre's transport as that user (its
streams, its consumer, a publish with acknowledgement) and checks that the same user's
publish on another state's subject is refused by the server.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from fedkit import T0

from littoral.federation import wire
from littoral.federation.jetstream import JetStreamTransport, NatsSettings, stream_name
from littoral.federation.server import LocalServer, ServerPlan, free_port
from littoral.records.reports import AisClass, PositionReport

PASSWORD = "not-a-secret-test-password"

ACCOUNT = """\
accounts {
  AZ: {
    jetstream: enabled
    users: [
      { user: littoral, password: "@PASSWORD@",
        permissions: {
          publish: { allow: ["littoral.az.>", "$JS.API.>", "$JS.az.API.>", "$JS.ACK.>",
                             "_INBOX.>"] }
          subscribe: { allow: ["_INBOX.>", "littoral.az.>"] }
        } }
    ]
  }
}
""".replace("@PASSWORD@", PASSWORD)


def _position() -> PositionReport:
    return PositionReport(
        mmsi=273_456_780, time=T0, lon=50.1, lat=40.4, msg_type=1, source="BAKU",
        sog_kn=10.0, cog_deg=90.0, heading_deg=90.0, nav_status=0, ais_class=AisClass.A,
    )  # fmt: skip


def test_a_state_publishes_its_own_subjects_only(tmp_path: Path) -> None:
    include = tmp_path / "az-accounts.conf"
    include.write_text(ACCOUNT, encoding="utf-8")
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    plan = ServerPlan(
        centre="az", client_port=free_port(), leaf_port=free_port(),
        store_dir=tmp_path / "js", include=include,
    )  # fmt: skip
    server = LocalServer(plan, tmp_path / "nats")
    server.start()
    try:
        asyncio.run(_exercise(server.url, password_file))
    finally:
        server.stop()


async def _exercise(url: str, password_file: Path) -> None:
    import nats

    settings = NatsSettings(
        centre="az", url=url, peers=("ru",), user="littoral", password_file=password_file
    )
    transport = JetStreamTransport(settings)
    await transport.start()  # its own stream, the inbound one sourcing ru's, the consumer
    try:
        published = await transport.publish(wire.encode_positions("az", [_position()]))
        assert published.stored == 1
    finally:
        await transport.close()

    refusals: list[str] = []

    async def on_error(exc: Exception) -> None:
        refusals.append(str(exc))

    nc = await nats.connect(
        url, user="littoral", password=PASSWORD, error_cb=on_error, allow_reconnect=False
    )
    try:
        # the same user, pretending to be ru: the server refuses the subject
        await nc.publish("littoral.ru.pos", b"{}")
        await nc.publish("littoral.az.pos-probe", b"{}")  # its own subjects stay open
        await nc.flush(timeout=5)
        for _ in range(50):
            if refusals:
                break
            await asyncio.sleep(0.05)
        js = nc.jetstream()
        own = await js.stream_info(stream_name("az"))
    finally:
        await nc.close()
    assert any("permissions violation" in r.lower() and "littoral.ru.pos" in r for r in refusals), (
        refusals
    )
    assert not any("littoral.az" in r for r in refusals), refusals
    assert own.state.messages == 2  # the centre's position and the probe, nothing of "ru"
