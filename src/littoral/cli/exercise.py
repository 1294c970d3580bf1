"""``littoral exercise``: play a whole SAR exercise through the real system and report on it.

A seeded day of Caspian AIS traffic with planted events and a person overboard is streamed
as NMEA over loopback TCP into the ingest and the watch; the distress alert opens a case; a
drift and a search plan for units of three states follow, and the search is simulated. The
report folder (``index.html``) compares every alert with the planted truth. ``--serve`` then
leaves the web service running on the exercise's store.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``exercise`` sub-command."""
    p = subparsers.add_parser(
        "exercise",
        help="play a CASAREX exercise end to end and write a report",
        description=(
            "Generate a seeded day of Caspian AIS traffic with planted events and a person "
            "overboard, stream it over TCP into the ingest and watch, open the SAR case, run "
            "the drift and a search plan for units of three states, simulate the search and "
            "write a report folder."
        ),
    )
    p.add_argument("--seed", type=int, default=2026, help="seed of every draw (default 2026)")
    p.add_argument("--hours", type=float, default=24.0, help="length of the day (>= 6, default 24)")
    p.add_argument("--vessels", type=int, default=600, help="size of the fleet (default 600)")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("out/exercise"),
        help="report folder (default out/exercise)",
    )
    p.add_argument(
        "--speedup",
        type=float,
        default=0.0,
        help="event time per wall time of the feed, e.g. 2000; 0 (default) as fast as possible",
    )
    p.add_argument(
        "--rate-scale",
        type=float,
        default=None,
        help="factor on AIS reporting intervals (1: real rates; default 20)",
    )
    p.add_argument("--particles", type=int, default=2000, help="drift particles (default 2000)")
    p.add_argument(
        "--currents",
        choices=("modelled", "on-scene"),
        default="modelled",
        help="the drift's current: modelled from the day's wind (default) or the reported one",
    )
    p.add_argument("--serve", action="store_true", help="leave the web service running afterwards")
    p.add_argument("--host", default="127.0.0.1", help="with --serve: address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="with --serve: port (default 8000)")
    p.set_defaults(func=_exercise)


class _Display:
    """Progress on a terminal as one rewritten line, elsewhere as plain lines."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._width = 0
        self._last_s = 0.0

    def __call__(self, text: str) -> None:
        streaming = text.startswith("2/6 streaming:")
        if self.tty and streaming:
            self._width = max(self._width, len(text))
            sys.stderr.write("\r" + text.ljust(self._width))
            sys.stderr.flush()
            return
        if streaming:
            now = time.monotonic()
            if now - self._last_s < 5.0:
                return
            self._last_s = now
        if self._width:
            sys.stderr.write("\n")
            self._width = 0
        print(text, file=sys.stderr, flush=True)


def _exercise(args: argparse.Namespace) -> int:
    from littoral.errors import InputError
    from littoral.exercise.run import ExerciseConfig, run_exercise

    if args.vessels < 12:
        raise InputError(f"--vessels={args.vessels!r} must be >= 12")
    config = ExerciseConfig(
        seed=args.seed,
        hours=args.hours,
        vessels=args.vessels,
        out=args.out,
        speedup=args.speedup,
        rate_scale=args.rate_scale,
        particles=args.particles,
        currents=args.currents,
    )
    result = run_exercise(config, progress=_Display())
    from littoral.exercise.summary import text_summary

    print(text_summary(result))
    if args.serve:
        from littoral.exercise.serve import serve_exercise

        serve_exercise(result, args.host, args.port)
    failed = [s for s in result.steps if s.status == "failed"]
    return 1 if failed else 0
