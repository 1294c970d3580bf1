"""The ``littoral alert`` commands: read a distress alert message, or take it in.

``littoral alert read FILE [--json]`` tells a Cospas-Sarsat SIT 185 message from NMEA DSC
sentences by content and prints what it says: kind, time, beacon ID or MMSI, country and the
candidate positions with their source and probability.

``littoral alert open FILE --db URL --state XX`` takes the message in through the service
layer (:class:`littoral.services.intake.IntakeDesk`) as a coordinator of state ``XX``: a SIT
185 message opens a case, or updates the open case of the same beacon; a DSC distress raises
a latched distress alert from which a case is opened. A malformed message exits with status 2
and one line naming what is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 20_000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``littoral alert`` and its sub-commands."""
    parser = subparsers.add_parser(
        "alert",
        help="distress alerts: Cospas-Sarsat SIT 185 messages and DSC calls",
        description="Read a SIT 185 message or NMEA DSC sentences, or open a case from one.",
    )
    actions = parser.add_subparsers(dest="alert_command", metavar="ACTION")
    read = actions.add_parser(
        "read",
        help="print a parsed SIT 185 message or DSC call",
        description="Detect the kind (SIT 185 text or $--DSC/$--DSE sentences) and print it.",
    )
    read.add_argument("file", type=Path, help="the message ('-' reads standard input)")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.set_defaults(func=_read)
    take = actions.add_parser(
        "open",
        help="open or update a case from a SIT 185 message; raise a DSC distress alert",
        description=(
            "Take an alert in: a SIT 185 message opens a case (or updates the open case of the "
            "same beacon); a DSC distress raises a latched distress alert offering a case."
        ),
    )
    take.add_argument("file", type=Path, help="the message ('-' reads standard input)")
    take.add_argument(
        "--db",
        default=os.environ.get("LITTORAL_DB"),
        help="database URL or SQLite file (default $LITTORAL_DB, else the user's data folder)",
    )
    take.add_argument("--state", required=True, help="the coordinating state: AZ IR KZ RU TM")
    take.add_argument("--user", default="cli", help="the name written in the case log")
    take.add_argument("--json", action="store_true", help="print one JSON object")
    take.set_defaults(func=_open)
    parser.set_defaults(func=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _text(path: Path) -> str:
    from littoral.errors import InputError

    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    else:
        try:
            with path.open("rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise InputError(f"cannot read {str(path)!r}: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{str(path)!r} is over {MAX_FILE_BYTES} bytes: not an alert message")
    try:
        return data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise InputError(f"{str(path)!r} is not ASCII text (byte {exc.start})") from None


def _lines(parsed: Any) -> list[str]:
    from littoral.services.formats import position_text

    out = [f"kind      {parsed.kind.value} ({parsed.stage})"]
    out.append(f"time      {parsed.time:%Y-%m-%d %H:%M:%S}Z")
    if parsed.message_number is not None:
        out.append(f"message   {parsed.message_number}")
    if parsed.beacon_id:
        out.append(f"beacon    {parsed.beacon_id} ({parsed.protocol})")
    if parsed.mmsi is not None:
        out.append(f"mmsi      {parsed.mmsi}")
    out.append(f"country   {parsed.country or '-'}")
    if parsed.nature:
        out.append(f"nature    {parsed.nature}")
    for p in parsed.positions:
        prob = "" if p.probability is None else f"  p={p.probability:.2f}"
        acc = "" if p.accuracy_nm is None else f"  ±{p.accuracy_nm:g} NM"
        out.append(f"position  {p.source.value:<9} {position_text(p.lon, p.lat)}{prob}{acc}")
    if not parsed.positions:
        out.append("position  none")
    return out


def _read(args: argparse.Namespace) -> int:
    from littoral.alerts import read_alert
    from littoral.clock import SystemClock

    parsed = read_alert(_text(args.file), SystemClock().now())
    if args.json:
        print(json.dumps(parsed.to_json()))
    else:
        print("\n".join(_lines(parsed)))
    return 0


def _open(args: argparse.Namespace) -> int:
    from littoral.clock import SystemClock
    from littoral.services import Role, ServiceContext, build_settings, system_user
    from littoral.services.intake import IntakeDesk
    from littoral.store import default_store_url, open_store

    text = _text(args.file)
    user = system_user(args.user, args.state, Role.COORDINATOR)
    settings = build_settings(db_url=args.db or default_store_url(), watch=False)
    store = open_store(settings.db_url)
    ctx = ServiceContext.build(settings, store, SystemClock())
    try:
        desk = IntakeDesk(ctx, user)
        result = desk.intake(text)
        scenarios = [] if result.case_id is None else desk.scenarios(result.case_id)
        shares = {} if result.case_id is None else desk.shares(result.case_id)
    finally:
        ctx.close()
        store.close()
    if args.json:
        out = {
            "action": result.action,
            "alert_id": result.alert_id,
            "case_id": result.case_id,
            "offer_case": result.offer_case,
            "alert": result.alert.to_json(),
            "scenarios": [
                {
                    "name": sc.name,
                    "weight": sc.weight,
                    "share": round(shares.get(sc.name, 0.0), 6),
                    "reason": sc.reason,
                }
                for sc in scenarios
            ],
        }
        print(json.dumps(out))
        return 0
    print("\n".join(_lines(result.alert)))
    if result.action == "opened":
        print(f"case {result.case_id} opened from alert {result.alert_id}")
    elif result.action == "updated":
        print(f"case {result.case_id} updated from alert {result.alert_id}")
    elif result.action == "alerted":
        print(f"distress alert {result.alert_id} raised (latched until acknowledged)")
        if result.offer_case:
            print("open a case from it on the map page, or POST /api/cases/from-alert")
        else:
            print("no position yet: open a case by hand with a datum once one is known")
    else:
        print("not a distress: nothing stored")
    for sc in scenarios:
        share = shares.get(sc.name, 0.0)
        print(f"  scenario {sc.name}: weight {sc.weight:g}, share {share:.0%} ({sc.reason})")
    return 0
