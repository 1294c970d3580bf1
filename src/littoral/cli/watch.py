"""The watch's commands: ``littoral watch run`` over stored history, ``watch defaults``.

``run`` replays the stored positions of ``[--from, --to]`` through the watch rules in event
time, writes the alerts to the store's alerts table (upsert by id: running it again changes
nothing, acknowledgements survive) and prints them as JSON lines or a table. The live watch
runs inside ``littoral ais ingest --watch`` and ``littoral serve``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from littoral.cli.db import add_create_option, open_cli_store
from littoral.clock import SystemClock, require_utc
from littoral.errors import InputError

if TYPE_CHECKING:
    from littoral.records.alerts import Alert


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``littoral watch run``."""
    watch = subparsers.add_parser("watch", help="watch alerts over stored history")
    commands = watch.add_subparsers(dest="watch_command", metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="run the watch rules over stored positions",
        description=(
            "Replay stored positions through the watch rules in event time; store and print "
            "the alerts. See docs/watch.md for the rules file."
        ),
    )
    run.add_argument(
        "--db",
        metavar="URL",
        help="store: sqlite:///FILE, a file path or postgresql://... (default: $LITTORAL_DB)",
    )
    run.add_argument("--rules", metavar="FILE", help="rules file (TOML); defaults otherwise")
    run.add_argument("--from", dest="start", metavar="TIME", help="ISO 8601 UTC start")
    run.add_argument("--to", dest="end", metavar="TIME", help="ISO 8601 UTC end")
    run.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    run.add_argument("--no-store", action="store_true", help="print only; write nothing")
    add_create_option(run)
    run.set_defaults(func=_run)
    defaults = commands.add_parser(
        "defaults", help="print a rules file with every key at its default"
    )
    defaults.set_defaults(func=_defaults)
    watch.set_defaults(func=lambda args: _help(watch))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _defaults(args: argparse.Namespace) -> int:
    from littoral.watch.config_file import defaults_toml

    print(defaults_toml(), end="")
    return 0


def parse_time(text: str | None, name: str) -> datetime | None:
    """Parse an ISO 8601 time with its zone (``2026-05-01T00:00Z``); refuse a naive one."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{name}={text!r} is not an ISO 8601 time") from exc
    return require_utc(value, name)


def _run(args: argparse.Namespace) -> int:
    from littoral.store.history import history
    from littoral.watch.config import WatchConfig
    from littoral.watch.config_file import load_config
    from littoral.watch.engine import Engine
    from littoral.watch.export import alert_table, alert_to_dict

    start = parse_time(args.start, "--from")
    end = parse_time(args.end, "--to")
    config = load_config(args.rules) if args.rules else WatchConfig()
    store = open_cli_store(args.db, create=args.create)
    clock = SystemClock()
    engine = Engine(config)
    latest: datetime | None = None
    until: datetime | None = None
    final: dict[str, Alert] = {}
    try:
        for chunk in history(store, start, end):
            changed = engine.process(chunk)
            if chunk:
                latest = max(latest or chunk[-1].time, chunk[-1].time)
            final.update((a.id, a) for a in changed)
            if changed and not args.no_store:
                store.alerts.upsert(changed, clock.now())
        until = end or latest
        if until is not None:
            changed = engine.finish(until)
            final.update((a.id, a) for a in changed)
            if changed and not args.no_store:
                store.alerts.upsert(changed, clock.now())
    finally:
        store.close()
    alerts = sorted(final.values(), key=lambda a: (a.start, a.id))
    if args.format == "table":
        print(alert_table(alerts))
    else:
        for alert in alerts:
            print(json.dumps(alert_to_dict(alert), ensure_ascii=False))
    horizon = until.isoformat() if until is not None else "no data"
    opened = sum(1 for a in alerts if a.end is None)
    stats = engine.stats
    kept = ""
    if stats["outside"] or stats["inland"] or stats["area_only"]:
        kept = (
            f" ({stats['outside']} outside the area of application and {stats['inland']} "
            f"inland: kept, not alerted; {stats['area_only']} outside the zones of interest: "
            "distress only)"
        )
    print(
        f"watch: {stats['positions']} positions{kept}, {len(alerts)} alerts ({opened} open), "
        f"up to {horizon}",
        file=sys.stderr,
    )
    return 0
