"""``littoral federate``: run a centre of the federation, check its files, write its server's.

- ``littoral federate run --config centre.toml``: ingest the centre's own feeds, publish what
  its policy shares, store the other centres' shares, until interrupted;
- ``littoral federate check --config centre.toml``: read the centre and policy files and say
  what they mean (exit 2 naming the bad key);
- ``littoral federate server-config``: print the ``nats-server`` configuration of a centre.

See ``docs/federation.md``.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``federate`` command."""
    fed = subparsers.add_parser(
        "federate", help="run a centre of the five-centre federation (NATS JetStream)"
    )
    actions = fed.add_subparsers(dest="federate_command", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="run the centre until interrupted (Ctrl-C)")
    run.add_argument("--config", type=Path, required=True, help="the centre's TOML file")
    run.add_argument(
        "--status-every", type=float, default=10.0, help="seconds between status lines"
    )
    run.set_defaults(func=_run)
    check = actions.add_parser(
        "check", help="read the centre's and policy files, say what they mean"
    )
    check.add_argument("--config", type=Path, required=True, help="the centre's TOML file")
    check.set_defaults(func=_check)
    server = actions.add_parser(
        "server-config", help="print the nats-server configuration of a centre"
    )
    server.add_argument("--centre", required=True, help="the centre's name (its JetStream domain)")
    server.add_argument("--host", default="0.0.0.0", help="address to listen on")  # noqa: S104
    server.add_argument("--client-port", type=int, default=4222, help="port for clients")
    server.add_argument("--leaf-port", type=int, default=7422, help="port for other centres")
    server.add_argument("--monitor-port", type=int, help="HTTP monitoring port (default none)")
    server.add_argument("--store-dir", type=Path, required=True, help="JetStream file store")
    server.add_argument(
        "--link", action="append", default=[], metavar="HOST:PORT",
        help="leaf-node port of a centre this one links to (repeat for two links)",
    )  # fmt: skip
    server.add_argument(
        "--advertise", metavar="HOST:PORT",
        help="leaf-node address the neighbours reach this server at, behind NAT or a relay",
    )  # fmt: skip
    server.add_argument(
        "--include", type=Path,
        help="file with TLS and accounts to include, relative to the folder the configuration "
        "is saved in (nats-server reads it from there)",
    )  # fmt: skip
    server.set_defaults(func=_server_config)


def _check(args: argparse.Namespace) -> int:
    from littoral.services.federation_run import load_centre

    config = load_centre(args.config)
    p = config.policy
    print(f"centre {config.centre}: store {config.store}")
    print(f"  feeds: {', '.join(config.feeds) or '(none: relays the others only)'}")
    print(f"  NATS: {config.nats.url}, peers {', '.join(config.nats.peers) or '(none)'}")
    auth = "creds file" if config.nats.creds else ("user" if config.nats.user else "none")
    tls = "yes" if config.nats.tls_ca or config.nats.tls_cert else "no"
    print(f"  credentials: {auth}; TLS: {tls}")
    if not p.ais:
        print("  shares AIS: no")
    else:
        types = "all" if p.ship_types is None else ",".join(map(str, sorted(p.ship_types)))
        withheld = ",".join(map(str, sorted(p.withhold_ship_types))) or "none"
        areas = f"{len(p.areas)} area(s)" if p.areas else "everywhere"
        unknown = "shared" if p.unknown_ship_type_shared else "withheld"
        print(
            f"  shares AIS: {areas}; ship types {types}; withheld {withheld}; "
            f"type not yet known: {unknown}"
        )
    kinds = "all" if p.alert_kinds is None else (", ".join(sorted(p.alert_kinds)) or "none")
    print(f"  shares alerts: {kinds}")
    print(f"  shares joint cases: {'yes' if p.joint_cases else 'no'}")
    return 0


def _run(args: argparse.Namespace) -> int:
    import asyncio
    import signal

    from littoral.ais.sources import open_sources
    from littoral.clock import SystemClock
    from littoral.federation.jetstream import JetStreamTransport
    from littoral.services.federation import Centre
    from littoral.services.federation_run import RunFigures, load_centre, run_centre
    from littoral.store import open_store

    config = load_centre(args.config)
    clock = SystemClock()
    watch = None
    if config.rules is not None:
        from littoral.watch import Engine, load_config

        watch = Engine(load_config(config.rules))
    store = open_store(config.store)
    centre = Centre(config.centre, store, clock, policy=config.policy, watch=watch)
    lines = open_sources(config.feeds, clock) if config.feeds else None
    figures = RunFigures()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        transport = JetStreamTransport(config.nats)
        task = asyncio.create_task(run_centre(centre, transport, lines, stop, figures=figures))
        while not task.done():
            await asyncio.wait({task}, timeout=args.status_every)
            s = centre.stats
            print(
                f"{config.centre}: own {s.local_positions} positions, published "
                f"{figures.published_reports} reports in {figures.published} messages "
                f"(waiting {figures.publish_backlog}), from others "
                f"{s.remote_messages} messages ({s.remote_new} new positions, "
                f"{s.merged_copies} copies merged), alerts merged {s.alerts_merged}, "
                f"joint cases received {s.cases_received}"
                + (
                    f"; holes {figures.gaps}: {figures.mended} messages read from their "
                    f"origin, {figures.lost} no longer held there"
                    if figures.gaps
                    else ""
                )
                + (
                    "; refused (kept aside) "
                    + ", ".join(f"{kind} {n}" for kind, n in sorted(s.rejected.items()))
                    if s.rejected
                    else ""
                ),
                flush=True,
            )
        await task

    try:
        asyncio.run(main())
    finally:
        store.close()
    for error in figures.errors:
        print(f"error: {error}")
    return 1 if figures.errors else 0


def _server_config(args: argparse.Namespace) -> int:
    from littoral.federation.server import ServerPlan, server_config

    plan = ServerPlan(
        centre=args.centre,
        host=args.host,
        client_port=args.client_port,
        leaf_port=args.leaf_port,
        monitor_port=args.monitor_port,
        store_dir=args.store_dir,
        links=tuple(args.link),
        advertise=args.advertise,
        include=args.include,
    )
    print(server_config(plan), end="")
    return 0
