"""``littoral serve`` runs the web service; ``littoral users`` makes and lists accounts.

``serve`` opens the store, ingests the ``--feed`` sources and runs the watch rules in the
background, and answers on ``--host``/``--port`` with uvicorn. SIGTERM or Ctrl-C stops it
cleanly: the live streams end, running jobs finish, the feed is flushed to the store and the
store is closed; started again on the same database it resumes where it stopped.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from littoral.cli.db import require_store

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

    from littoral.services.settings import ServiceSettings

PASSWORD_ENV = "LITTORAL_PASSWORD"  # noqa: S105 (the name of a variable)
CLI_USER = "cli"
"""Name under which the command line's account changes are audited."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` and ``users`` sub-commands."""
    serve = subparsers.add_parser("serve", help="run the web service and the map page")
    _db_option(serve)
    serve.add_argument(
        "--feed",
        action="append",
        default=[],
        metavar="SOURCE",
        help="AIS source to ingest (tcp://HOST:PORT, udp://HOST:PORT or a file); repeatable",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--data-dir",
        type=Path,
        default=Path("littoral-data"),
        help="folder for uploaded forcing files (default ./littoral-data)",
    )
    serve.add_argument("--no-watch", action="store_true", help="do not run the watch rules")
    serve.add_argument(
        "--package-key",
        type=Path,
        default=os.environ.get("LITTORAL_PACKAGE_KEY"),
        help="the centre's Ed25519 key (littoral case keygen) signing exported case packages",
    )
    serve.add_argument(
        "--trusted-keys",
        type=Path,
        default=os.environ.get("LITTORAL_TRUSTED_KEYS"),
        help="folder of the trusted centres' public keys (CENTRE.pub) for package import",
    )
    serve.add_argument(
        "--watch-rules",
        type=Path,
        default=None,
        metavar="FILE",
        help="TOML rules file of the watch engine (see docs/watch.md)",
    )
    serve.add_argument(
        "--watch-lateness",
        type=float,
        default=None,
        metavar="SECONDS",
        help="reorder window of the watch engine (default 300 s; 30 s for one near receiver)",
    )
    serve.add_argument(
        "--effort-interval",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="how often linked units' AIS reports become searched effort (default 20 s, at "
        "most 60; 0 turns it off)",
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDR",
        help="address of a reverse proxy whose X-Forwarded-For names the client (repeatable; "
        "by default the header is ignored)",
    )
    serve.add_argument(
        "--secure-cookie",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="send the session cookie over HTTPS only (default: yes unless --host is loopback)",
    )
    serve.set_defaults(func=_serve)

    users = subparsers.add_parser("users", help="make and list accounts of the web service")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add an account")
    add.add_argument("name", help="account name (letters, digits, '.', '_', '-')")
    add.add_argument("--state", required=True, help="AZ, IR, KZ, RU or TM")
    add.add_argument(
        "--role", required=True, help="watch-officer, coordinator or admin (administrator)"
    )
    add.add_argument("--language", default="en", help="page language: en, ru, az, kk, tk or fa")
    add.add_argument(
        "--password",
        default=None,
        help=f"password (else ${PASSWORD_ENV}, else asked on the terminal)",
    )
    _db_option(add)
    add.set_defaults(func=_users_add)
    lister = actions.add_parser("list", help="list accounts")
    _db_option(lister)
    lister.set_defaults(func=_users_list)
    set_role = actions.add_parser("set-role", help="change an account's role (ends its sessions)")
    set_role.add_argument("name", help="account name")
    set_role.add_argument("role", help="watch-officer, coordinator or admin")
    _db_option(set_role)
    set_role.set_defaults(func=_users_change, change="role")
    for action, text in (
        ("disable", "disable an account (ends its sessions)"),
        ("enable", "enable a disabled account (it logs in afresh)"),
    ):
        toggle = actions.add_parser(action, help=text)
        toggle.add_argument("name", help="account name")
        _db_option(toggle)
        toggle.set_defaults(func=_users_change, change=action)
    reset = actions.add_parser(
        "reset-password",
        help=f"set a new password (from ${PASSWORD_ENV}, else one line on standard input when "
        "it is not a terminal, else asked twice); ends the account's sessions",
    )
    reset.add_argument("name", help="account name")
    _db_option(reset)
    reset.set_defaults(func=_users_change, change="password")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=os.environ.get("LITTORAL_DB"),
        help="database URL or SQLite file (default $LITTORAL_DB, else the user's data folder)",
    )


def _read_password(given: str | None) -> str:
    from littoral.errors import InputError

    if given is not None:
        return given
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():  # a script: the first line of standard input
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InputError(f"no password: give ${PASSWORD_ENV} or one line on standard input")
        return line
    first = getpass.getpass("password: ")
    second = getpass.getpass("password again: ")
    if first != second:
        raise InputError("the two passwords differ")
    return first


def _users_add(args: argparse.Namespace) -> int:
    """Add an account, acting as the installation's administrator of the account's state."""
    from littoral.clock import SystemClock
    from littoral.services import AccountDesk, system_user
    from littoral.services.accounts import check_name, parse_role, parse_state
    from littoral.services.context import opened

    name = check_name(args.name)
    state = parse_state(args.state)
    role = parse_role(args.role)
    password = _read_password(args.password)
    with opened(args.db, SystemClock()) as ctx:
        desk = AccountDesk(ctx, system_user(CLI_USER, state))
        desk.add_user(name, state, role.value, password, args.language)
    print(f"added user {name} ({role.value}, {state})")
    return 0


def _users_change(args: argparse.Namespace) -> int:
    """Change one account as the installation's administrator of the account's state."""
    from littoral.clock import SystemClock
    from littoral.services import AccountDesk, system_user
    from littoral.services.accounts import check_name
    from littoral.services.context import opened

    name = check_name(args.name)
    require_store(args.db, create=False)
    with opened(args.db, SystemClock()) as ctx:
        state = ctx.service.user_by_name(name).state
        desk = AccountDesk(ctx, system_user(CLI_USER, state))
        if args.change == "role":
            user = desk.change_user(name, role=args.role)
            done = f"role {user.role}"
        elif args.change == "password":
            desk.change_user(name, password=_read_password(None))
            done = "password changed"
        else:
            desk.change_user(name, disabled=args.change == "disable")
            done = f"{args.change}d"
    ended = desk.audited.get("sessions_ended", 0)
    print(f"user {name}: {done}; {ended} session(s) ended")
    return 0


def _users_list(args: argparse.Namespace) -> int:
    """List the accounts of every state."""
    from littoral.clock import SystemClock
    from littoral.services import AccountDesk, system_user
    from littoral.services.accounts import STATES
    from littoral.services.context import opened

    require_store(args.db, create=False)
    with opened(args.db, SystemClock()) as ctx:
        users = AccountDesk(ctx, system_user(CLI_USER, STATES[0])).list_users()
    for user in users:
        flag = " (disabled)" if user.disabled else ""
        print(f"{user.name}\t{user.state}\t{user.role}\t{user.language}{flag}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from littoral.api import create_app
    from littoral.clock import SystemClock
    from littoral.services.ingest import fewer_collections
    from littoral.services.settings import build_settings
    from littoral.store import default_store_url, open_store

    settings = build_settings(
        db_url=args.db or default_store_url(),
        feeds=tuple(args.feed),
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        watch=not args.no_watch,
        watch_rules=args.watch_rules,
        watch_lateness_s=args.watch_lateness,
        cookie_secure=args.secure_cookie,
        trusted_proxies=tuple(args.trusted_proxy),
        effort_interval_s=args.effort_interval,
        package_key=args.package_key,
        trusted_keys=args.trusted_keys,
    )
    # the feed and watch threads hold the interpreter in 5 ms slices by default; shorter
    # slices let the event loop answer the map pages sooner while a batch is being processed
    sys.setswitchinterval(0.001)
    store = open_store(settings.db_url)
    try:
        app = create_app(settings, store, SystemClock())
        services = app.state.services

        class _Server(uvicorn.Server):
            def handle_exit(self, sig: int, frame: FrameType | None) -> None:
                services.stopping.set()  # ends the live streams so shutdown does not wait
                super().handle_exit(sig, frame)
                # uvicorn re-raises the signal after shutdown, killing the process before the
                # store is closed; a requested stop is a clean exit here
                captured = getattr(self, "_captured_signals", None)
                if isinstance(captured, list):
                    captured.clear()

        config = uvicorn_config(app, settings)
        with fewer_collections():  # the picture is large; full collections stall answers
            _Server(config).run()
    finally:
        store.close()
    print("littoral: service stopped")
    return 0


def uvicorn_config(app: FastAPI, settings: ServiceSettings) -> uvicorn.Config:
    """Return the server settings of ``littoral serve`` for ``app``."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        timeout_graceful_shutdown=10,
        # X-Forwarded-For only from the configured proxies (uvicorn trusts loopback else)
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies) or None,
        access_log=False,
    )
