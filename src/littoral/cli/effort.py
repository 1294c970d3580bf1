"""The ``littoral effort`` commands: search units' AIS tracks as searched effort.

``littoral effort link CASE UNIT --mmsi N`` links a committed unit to its AIS identity (a SAR
aircraft's ``111MIDxxx``, a vessel's own MMSI); ``--unlink`` removes the link.

``littoral effort run`` takes, once, what the linked units of the open cases (or of
``--case``) reported inside their planned search and records it as searched effort: the
Bayesian update of the case's drift cloud, as the web service does every
``--effort-interval`` seconds (:mod:`littoral.services.effort`). ``--at`` runs it as of a
past time (a replayed feed).

``littoral effort show CASE`` prints the plan's coverage per unit against what each has
searched so far (``--json``: the same as ``GET /api/cases/{id}/coverage``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from littoral.clock import Clock

_DB_HELP = "database URL or SQLite file (default $LITTORAL_DB, else the user's data folder)"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``littoral effort`` and its sub-commands."""
    parser = subparsers.add_parser(
        "effort",
        help="search units' AIS tracks as searched effort; planned against actual coverage",
        description="Link units to their AIS tracks, record what they searched, show coverage.",
    )
    actions = parser.add_subparsers(dest="effort_command", metavar="ACTION")
    link = actions.add_parser(
        "link",
        help="link a unit to its AIS track by its MMSI",
        description="Link a committed unit to its AIS track: its reports become its search.",
    )
    link.add_argument("case", type=int, help="the case number")
    link.add_argument("unit", type=int, help="the unit's id (GET /api/cases/{id}/units)")
    which = link.add_mutually_exclusive_group(required=True)
    which.add_argument("--mmsi", type=int, help="the unit's MMSI (nine digits)")
    which.add_argument("--unlink", action="store_true", help="remove the unit's link")
    _common(link)
    link.add_argument("--state", required=True, help="the acting coordinator's state")
    link.add_argument("--user", default="cli", help="the name written in the case log")
    link.set_defaults(func=_link)
    run = actions.add_parser(
        "run",
        help="record what linked units reported as searched effort, once",
        description=(
            "Take the reports of linked units inside their planned search and update the "
            "case's drift cloud (what the web service does every --effort-interval seconds)."
        ),
    )
    run.add_argument("--case", type=int, default=None, help="only this case (default: all open)")
    run.add_argument("--at", default=None, help="as of this UTC time (default now)")
    _common(run)
    run.add_argument("--json", action="store_true", help="print one JSON object per piece")
    run.set_defaults(func=_run)
    show = actions.add_parser(
        "show",
        help="planned against actual coverage of a case's search",
        description="Per unit: the plan's track, area, coverage and POS against actual so far.",
    )
    show.add_argument("case", type=int, help="the case number")
    _common(show)
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=_show)
    parser.set_defaults(func=lambda _args: _usage(parser))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=os.environ.get("LITTORAL_DB"), help=_DB_HELP)
    parser.add_argument(
        "--data-dir", default="littoral-data", help="the service's data folder (drift runs)"
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _clock(at: str | None) -> Clock:
    from littoral.clock import FixedClock, SystemClock, require_utc
    from littoral.errors import InputError

    if at is None:
        return SystemClock()
    try:
        value = datetime.fromisoformat(at.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--at={at!r} is not an ISO 8601 time (e.g. 2026-03-01T12:00Z)") from None
    return FixedClock(require_utc(value, "--at"))


def _link(args: argparse.Namespace) -> int:
    from littoral.clock import SystemClock
    from littoral.services import CaseDesk, Role, system_user
    from littoral.services.context import opened

    user = system_user(args.user, args.state, Role.COORDINATOR)
    with opened(args.db, SystemClock(), data_dir=args.data_dir, watch=False) as ctx:
        mmsi = None if args.unlink else args.mmsi
        unit = CaseDesk(ctx, user).link_unit(args.case, args.unit, mmsi)
    link = f"MMSI {unit.spec['mmsi']}" if "mmsi" in unit.spec else "no AIS link"
    print(f"case {args.case}: unit {unit.id} {unit.name}: {link}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from littoral.services.context import opened
    from littoral.services.effort import LiveEffort

    clock = _clock(args.at)
    with opened(args.db, clock, data_dir=args.data_dir, watch=False) as ctx:
        effort = LiveEffort(ctx)
        pieces = effort.tick(args.case)
    for piece in pieces:
        if args.json:
            print(json.dumps(piece.as_json()))
            continue
        pos = "-" if piece.cumulative_pos is None else f"{100 * piece.cumulative_pos:.1f} %"
        print(
            f"case {piece.case_id}: {piece.unit} (MMSI {piece.mmsi}) {piece.points} reports "
            f"{piece.first_report:%H:%M:%S}-{piece.last_report:%H:%M:%S}Z recorded, update run "
            f"{piece.run_id}, cumulative POS {pos}"
        )
    for error in effort.errors:
        print(f"littoral: error: {error}", file=sys.stderr)
    if not pieces and not effort.errors and not args.json:
        print("nothing new from linked units inside their planned search")
    return 1 if effort.errors else 0


def _show(args: argparse.Namespace) -> int:
    from littoral.clock import SystemClock
    from littoral.services.context import opened
    from littoral.services.coverage import case_coverage, coverage_text

    with opened(args.db, SystemClock(), data_dir=args.data_dir, watch=False) as ctx:
        report = case_coverage(ctx, args.case)
    print(json.dumps(report) if args.json else coverage_text(report))
    return 0
