"""``littoral db``: look after the store's position history.

``db partitions`` lists the daily partitions of a PostgreSQL store with their days and
sizes; ``db retention --keep-days N`` drops the partitions whose whole day is more than N
days old (``--dry-run`` lists them only), meant for a daily timer; ``db cluster`` rewrites
each finished day's partition in vessel order once (a vessel's track then reads a few
pages, not one per report), for the same timer; ``db upgrade`` moves the
positions of a store made before schema 2 into the layout of its backend: daily partitions
on PostgreSQL, keyed by hour on SQLite (:mod:`littoral.store.hourly`). SQLite stores have
no partitions: ``partitions`` and ``retention`` refuse them, naming the backend.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import TYPE_CHECKING

from littoral.errors import InputError

if TYPE_CHECKING:
    from littoral.store import SqlStore
    from littoral.store.partitions import PgPositionLayout

RETENTION_ENV = "LITTORAL_RETENTION_DAYS"
"""Environment variable giving ``--keep-days`` when the option is not given."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``db`` command."""
    db = subparsers.add_parser("db", help="position history: partitions, retention, upgrade")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    helps = {
        "partitions": "list the daily partitions of positions (PostgreSQL)",
        "retention": "drop the partitions of days older than --keep-days (PostgreSQL)",
        "upgrade": "move a schema 1 store's positions into daily partitions (PostgreSQL) "
        "or keyed by hour (SQLite)",
        "cluster": "rewrite finished days' partitions in vessel order: fast tracks (PostgreSQL)",
    }
    for name, text in helps.items():
        action = actions.add_parser(name, help=text)
        action.add_argument(
            "--db",
            default=os.environ.get("LITTORAL_DB"),
            help="database URL (default $LITTORAL_DB)",
        )
        action.add_argument("--json", action="store_true", help="print the answer as JSON")
        action.set_defaults(func=_HANDLERS[name])
    actions.choices["cluster"].add_argument(
        "--dry-run", action="store_true", help="list what would be rewritten, rewrite nothing"
    )
    retention = actions.choices["retention"]
    retention.add_argument(
        "--keep-days",
        type=int,
        default=None,
        help=f"days of positions to keep (default ${RETENTION_ENV})",
    )
    retention.add_argument(
        "--dry-run", action="store_true", help="list what would be dropped, drop nothing"
    )


def _layout(store: SqlStore) -> PgPositionLayout:
    layout = store.partitions
    if layout is None:
        raise InputError(
            f"--db {store.url!r} is a {store.backend} store: only PostgreSQL stores keep "
            "positions in daily partitions"
        )
    return layout


def _partitions(args: argparse.Namespace) -> int:
    from littoral.cli.db import open_cli_store

    with open_cli_store(args.db, create=False) as store:
        layout = _layout(store)
        found = layout.partitions()
        sizes = layout.sizes()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": p.name,
                        "day": p.day.isoformat(),
                        "rows_estimate": sizes.get(p.name, (0, 0))[0],
                        "bytes": sizes.get(p.name, (0, 0))[1],
                    }
                    for p in found
                ]
            )
        )
        return 0
    for p in found:
        rows, size = sizes.get(p.name, (0, 0))
        print(f"{p.name}  {p.day.isoformat()}  ~{rows} rows  {size / 2**20:.1f} MiB")
    print(f"{len(found)} partitions")
    return 0


def _retention(args: argparse.Namespace) -> int:
    from littoral.cli.db import open_cli_store
    from littoral.clock import SystemClock
    from littoral.store.partitions import retention_cutoff

    keep = args.keep_days
    if keep is None:
        env = os.environ.get(RETENTION_ENV)
        if not env:
            raise InputError(f"give --keep-days N (or set ${RETENTION_ENV})")
        try:
            keep = int(env)
        except ValueError:
            raise InputError(f"${RETENTION_ENV}={env!r} must be a whole number of days") from None
    cutoff = retention_cutoff(SystemClock().now(), keep)
    with open_cli_store(args.db, create=False) as store:
        dropped = _layout(store).drop_before(cutoff, dry_run=args.dry_run)
    verb = "would drop" if args.dry_run else "dropped"
    if args.json:
        print(
            json.dumps(
                {
                    "cutoff": cutoff.isoformat(),
                    "dry_run": args.dry_run,
                    "partitions": [p.name for p in dropped],
                }
            )
        )
        return 0
    for p in dropped:
        print(f"{verb} {p.name} ({p.day.isoformat()})")
    print(f"{verb} {len(dropped)} partitions older than {cutoff.isoformat()}")
    return 0


def _cluster(args: argparse.Namespace) -> int:
    from littoral.cli.db import open_cli_store
    from littoral.clock import SystemClock

    now = SystemClock().now()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)  # days before today
    with open_cli_store(args.db, create=False) as store:
        done = _layout(store).cluster_before(today, dry_run=args.dry_run)
    verb = "would rewrite" if args.dry_run else "rewrote"
    if args.json:
        print(json.dumps({"before": today.isoformat(), "dry_run": args.dry_run,
                          "partitions": [p.name for p in done]}))  # fmt: skip
        return 0
    for p in done:
        print(f"{verb} {p.name} ({p.day.isoformat()}) in vessel order")
    print(f"{verb} {len(done)} partitions of days before {today.date().isoformat()}")
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from littoral.cli.db import require_store
    from littoral.store.open import upgrade_store

    url = require_store(args.db, create=False)
    if url is None:
        raise InputError("give --db URL (or set $LITTORAL_DB) of the store to upgrade")
    report = upgrade_store(url)
    if args.json:
        print(
            json.dumps(
                {
                    "url": report.url,
                    "needed": report.needed,
                    "moved": report.moved,
                    "partitions": report.partitions,
                }
            )
        )
    else:
        print(report.describe())
    return 0


_HANDLERS = {
    "partitions": _partitions,
    "retention": _retention,
    "upgrade": _upgrade,
    "cluster": _cluster,
}
