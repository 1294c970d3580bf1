"""The ``littoral case`` commands: a case's messages to other centres, and its package.

``littoral case sam CASE --db URL`` prints the search action message (IAMSAR Vol. II) of the
case's latest plan (``--plan RUN`` another), ``littoral case sitrep CASE --db URL`` its
SITREP; both in English or Russian (``--lang``), as text or a printable page (``--html``).

``littoral case keygen``, ``case export`` and ``case import`` write a centre's Ed25519 key,
and export and import a signed case package (:mod:`littoral.cli.case_package`).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any


def _store_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        default=os.environ.get("LITTORAL_DB"),
        help="database URL or SQLite file (default $LITTORAL_DB, else the user's data folder)",
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("LITTORAL_DATA_DIR", "littoral-data")),
        help="the service's data folder (default $LITTORAL_DATA_DIR, else ./littoral-data)",
    )
    p.add_argument("--state", default="AZ", help="the acting user's state: AZ IR KZ RU TM")
    p.add_argument("--user", default="cli", help="the name written in the audit log")


def _message_options(p: argparse.ArgumentParser, languages: list[str]) -> None:
    p.add_argument("case", type=int, help="the case id")
    p.add_argument("--lang", default="en", choices=languages, help="language (default en)")
    p.add_argument("--html", action="store_true", help="print a printable HTML page")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    _store_options(p)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``littoral case`` and its sub-commands."""
    from littoral.i18n import LANGUAGES
    from littoral.i18n.sam import SAM_LANGUAGES

    parser = subparsers.add_parser(
        "case",
        help="a case's messages (SAM, SITREP) and signed case packages",
        description="Messages between centres and signed case packages.",
    )
    actions = parser.add_subparsers(dest="case_command", metavar="ACTION")
    sam = actions.add_parser(
        "sam",
        help="print the search action message of a plan (IAMSAR Vol. II)",
        description="The search action message of the case's latest plan, or of --plan RUN.",
    )
    _message_options(sam, list(SAM_LANGUAGES))
    sam.add_argument("--plan", type=int, help="the plan run (default: the latest)")
    sam.add_argument("--osc", help="the unit designated on-scene co-ordinator")
    sam.add_argument("--report-every-h", type=float, default=2.0, help="OSC report interval")
    sam.set_defaults(func=_sam)
    sitrep = actions.add_parser(
        "sitrep", help="print the case's SITREP (IAMSAR Vol. II)", description="The SITREP."
    )
    _message_options(sitrep, list(LANGUAGES))
    sitrep.set_defaults(func=_sitrep)
    from littoral.cli import case_package

    case_package.register(actions, _store_options)
    parser.set_defaults(func=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _emit(args: argparse.Namespace, text: str) -> int:
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        print(f"written {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _desk(args: argparse.Namespace) -> Any:
    from littoral.services import Role, system_user

    return system_user(args.user, args.state, Role.COORDINATOR)


def _sam(args: argparse.Namespace) -> int:
    from littoral.clock import SystemClock
    from littoral.services.cases import CaseDesk
    from littoral.services.context import opened
    from littoral.services.sam import SamOptions

    options = SamOptions(osc=args.osc, report_every_h=args.report_every_h)
    with opened(args.db, SystemClock(), data_dir=args.data_dir, watch=False) as ctx:
        message = CaseDesk(ctx, _desk(args)).sam(args.case, args.lang, args.plan, options)
    return _emit(args, message.html() if args.html else message.text())


def _sitrep(args: argparse.Namespace) -> int:
    from littoral.clock import SystemClock
    from littoral.services.cases import CaseDesk
    from littoral.services.context import opened

    with opened(args.db, SystemClock(), data_dir=args.data_dir, watch=False) as ctx:
        report = CaseDesk(ctx, _desk(args)).sitrep(args.case, args.lang)
    return _emit(args, report.html() if args.html else report.text())
