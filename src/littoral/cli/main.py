"""Entry point of the ``littoral`` command.

Each concern registers its own sub-commands from a module of this package that defines
``register(subparsers)``; a sub-command stores its handler as ``func`` on the parsed namespace.
The handler returns the process exit status. An :class:`~littoral.errors.LittoralError`
reaching this level is printed as one line and exits with status 2. A reader that stops early
(``littoral ais vessels | head``) closes the pipe: the command then stops quietly with status
141 (128 + SIGPIPE, as a shell reports a process the signal ended), no traceback. Nothing else
is caught.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Sequence
from typing import cast

from littoral import __version__
from littoral.errors import LittoralError

COMMAND_MODULES: tuple[str, ...] = (
    "geo",
    "ais",
    "watch",
    "alert",
    "drift",
    "currents",
    "search",
    "case",
    "effort",
    "serve",
    "audit",
    "dbadmin",
    "exercise",
    "federate",
)
"""Modules of :mod:`littoral.cli` whose ``register`` adds sub-commands, in help order."""


def build_parser() -> argparse.ArgumentParser:
    """Build the full argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="littoral",
        description="Maritime picture, watch and search and rescue for the Caspian.",
    )
    parser.add_argument("--version", action="version", version=f"littoral {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        qualified = f"littoral.cli.{name}"
        if importlib.util.find_spec(qualified) is None:
            continue  # a concern whose commands are not part of this build
        module = importlib.import_module(qualified)
        module.register(subparsers)
    return parser


BROKEN_PIPE_STATUS = 141
"""Exit status when the reader of standard output went away (128 + SIGPIPE)."""


def _silence_stdout() -> None:
    """Point standard output at the null device, so the exit flush cannot raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``littoral`` command and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    handler = cast(Callable[[argparse.Namespace], int], func)
    try:
        status = handler(args)
        sys.stdout.flush()  # a closed pipe shows here rather than at interpreter exit
        return status
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_STATUS
    except LittoralError as exc:
        print(f"littoral: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("littoral: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
