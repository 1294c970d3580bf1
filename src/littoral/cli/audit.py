"""``littoral audit verify``: check that the service's audit log is an unbroken chain."""

from __future__ import annotations

import argparse
import json
import os


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``audit`` command."""
    audit = subparsers.add_parser("audit", help="check the web service's audit log")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        help="recompute the audit hash chain; exit 1 at the first entry that does not fit",
    )
    verify.add_argument(
        "--db",
        default=os.environ.get("LITTORAL_DB"),
        help="database URL or SQLite file (default $LITTORAL_DB, else the user's data folder)",
    )
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.set_defaults(func=_verify)


def _verify(args: argparse.Namespace) -> int:
    from littoral.cli.db import require_store
    from littoral.clock import SystemClock
    from littoral.services import AccountDesk, system_user
    from littoral.services.accounts import STATES
    from littoral.services.context import opened

    require_store(args.db, create=False)
    with opened(args.db, SystemClock()) as ctx:
        report = AccountDesk(ctx, system_user("cli", STATES[0])).verify_audit()
    if args.json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "entries": report.entries,
                    "legacy_unchained": report.legacy,
                    "first_bad_id": report.first_bad_id,
                    "reason": report.reason or None,
                }
            )
        )
    elif report.ok:
        legacy = f" ({report.legacy} older entries unchained)" if report.legacy else ""
        print(f"audit chain intact: {report.entries} entries{legacy}")
    else:
        print(
            f"audit chain BROKEN at entry id={report.first_bad_id}: {report.reason} "
            f"({report.entries} entries read)"
        )
    return 0 if report.ok else 1
