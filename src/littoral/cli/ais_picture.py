"""The picture's commands: ``littoral ais ingest``, ``ais vessels`` and ``ais track``.

``ingest`` reads AIS sources (files, ``-``, ``tcp://host:port``, ``udp://host:port``) into
the store, with a live status line on a terminal; ``vessels`` lists the picture (now, or at a
past time, optionally in a box); ``track`` prints one vessel's positions as JSON, GeoJSON or
CSV. ``--db`` takes ``sqlite:///FILE``, a file path or ``postgresql://...``; the default is a
SQLite file in the user's data directory (see ``docs/store.md``).
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import logging
import signal
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from littoral.cli.db import add_create_option, open_cli_store
from littoral.clock import SystemClock, require_utc
from littoral.errors import InputError
from littoral.jsonvalues import json_default

if TYPE_CHECKING:
    from littoral.ais.sources import Source
    from littoral.services.ingest import IngestProgress


def register_ais_commands(
    ais_subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add ``ingest``, ``vessels`` and ``track`` under ``littoral ais``."""
    db_help = (
        "store: sqlite:///FILE, a file path, or postgresql://USER:PW@HOST/DB "
        "(default: $LITTORAL_DB, else a SQLite file in the user data directory)"
    )
    ingest = ais_subparsers.add_parser(
        "ingest",
        help="read AIS sources into the picture and the store",
        description=(
            "Decode AIS sources and keep the picture, every position and every rejected line "
            "in the store, in batches committed at least every second. Sources: files "
            "(plain or .gz), - for stdin, tcp://HOST:PORT (client, reconnects), "
            "udp://HOST:PORT (listener). Running it again on the same files adds nothing."
        ),
    )
    ingest.add_argument("sources", nargs="+", metavar="SOURCE")
    ingest.add_argument("--db", metavar="URL", help=db_help)
    add_create_option(ingest)
    ingest.add_argument(
        "--watch", action="store_true", help="run the watch rules; print alerts as JSON lines"
    )
    ingest.add_argument("--rules", metavar="FILE", help="watch rules file (implies --watch)")
    ingest.add_argument(
        "--flush-s", type=float, default=1.0, metavar="S", help="longest time between commits"
    )
    ingest.add_argument("--quiet", action="store_true", help="no status line and no summary")
    ingest.set_defaults(func=_ingest)

    vessels = ais_subparsers.add_parser(
        "vessels",
        help="list the vessels of the picture",
        description="List vessels: their latest state, or where they were at --at.",
    )
    vessels.add_argument("--db", metavar="URL", help=db_help)
    add_create_option(vessels)
    vessels.add_argument("--bbox", metavar="W,S,E,N", help="only vessels in this lon/lat box")
    vessels.add_argument("--at", metavar="TIME", help="ISO 8601 UTC time, e.g. 2026-05-01T12:00Z")
    vessels.add_argument(
        "--max-age-min",
        type=float,
        default=60.0,
        metavar="MIN",
        help="with --at: last position at most this old (default 60)",
    )
    vessels.add_argument("--json", action="store_true", help="one JSON object per vessel")
    vessels.set_defaults(func=_vessels)

    track = ais_subparsers.add_parser(
        "track",
        help="print the track of one vessel",
        description="Print the stored positions of one MMSI between --from and --to.",
    )
    track.add_argument("mmsi", metavar="MMSI")
    track.add_argument("--db", metavar="URL", help=db_help)
    add_create_option(track)
    track.add_argument("--from", dest="start", metavar="TIME", help="ISO 8601 UTC start")
    track.add_argument("--to", dest="end", metavar="TIME", help="ISO 8601 UTC end")
    track.add_argument("--format", choices=("json", "geojson", "csv"), default="json")
    track.set_defaults(func=_track)


def parse_time(text: str, name: str) -> datetime:
    """Parse an ISO 8601 time with a zone (``2026-05-01T12:00Z``); refuse a naive one."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{name}={text!r} is not an ISO 8601 time (2026-05-01T12:00Z)") from None
    return require_utc(value, name)


def parse_mmsi(text: str) -> int:
    """Parse an MMSI: a whole number of at most nine digits."""
    if not text.isdigit() or not 0 < int(text) <= 999_999_999:
        raise InputError(f"mmsi={text!r} must be a number of at most nine digits")
    return int(text)


class StatusLine:
    """A one-line live status on a terminal, rewritten at most a few times a second."""

    def __init__(self, stream: TextIO, interval_s: float = 0.5) -> None:
        self._stream = stream
        self._interval_s = interval_s
        self._last = 0.0
        self._width = 0

    def __call__(self, progress: IngestProgress) -> None:
        """Show ``progress`` unless the line was rewritten very recently."""
        now = time.monotonic()
        if now - self._last < self._interval_s:
            return
        self._last = now
        text = (
            f"{progress.messages:,} msg  {progress.messages_per_s:,.0f} msg/s  "
            f"{progress.vessels:,} vessels  {progress.rejects:,} rejects  "
            f"{progress.positions_stored:,} stored"
        )
        self._width = max(self._width, len(text))
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()

    def end(self) -> None:
        """Leave the status line."""
        if self._width:
            self._stream.write("\n")
            self._stream.flush()


def _json_default(value: object) -> object:
    try:
        return json_default(value)
    except TypeError:
        return str(value)


def alert_json(alert: Any) -> str:
    """Return one alert as a JSON line, as ``littoral watch run`` prints it."""
    from littoral.watch.export import alert_to_dict

    return json.dumps(alert_to_dict(alert), ensure_ascii=False)


def _watch_engine(rules: str | None) -> Any:
    try:
        watch = importlib.import_module("littoral.watch")
        engine_class = watch.Engine
    except (ImportError, AttributeError):
        raise InputError("--watch: littoral.watch.Engine is not part of this build") from None
    if rules is None:
        return engine_class()
    from littoral.watch.config_file import load_config

    return engine_class(load_config(rules))


def open_ingest_sources(specs: Sequence[str], on_event: Any = None) -> Source:
    """Open the sources of an ingest; lines of files without their own time get a stable one.

    A line that carries no tag-block ``c:`` and no USCG time is stamped by its source. For
    live sources that is the system clock; for files it is the newest modification time of
    the files given, so that ingesting the same files again gives the same times and adds
    no rows.
    """
    from pathlib import Path

    from littoral.ais.sources import FileSource, MergedSource, make_source
    from littoral.clock import FixedClock

    if not specs:
        raise InputError("no AIS source given")
    files = [s for s in specs if s != "-" and "://" not in s]
    sources: list[Source] = []
    if files:
        for name in files:
            if not Path(name).is_file():
                raise InputError(f"AIS file {name!r} does not exist")
        newest = max(Path(name).stat().st_mtime for name in files)
        stamp = datetime.fromtimestamp(newest, tz=UTC)
        sources.append(FileSource(files, FixedClock(stamp)))
    clock = SystemClock()
    sources.extend(make_source(s, clock, on_event=on_event) for s in specs if s not in files)
    return sources[0] if len(sources) == 1 else MergedSource(sources)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _ingest(args: argparse.Namespace) -> int:
    if args.flush_s <= 0:
        raise InputError(f"--flush-s={args.flush_s!r} must be > 0")
    # source events are printed by on_event below, not a second time by logging's last resort
    logging.getLogger("littoral.ais.sources").addHandler(logging.NullHandler())
    # a service manager's SIGTERM stops like Ctrl-C: what was read is stored, the run recorded
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _run_ingest(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


class DistressReminder:
    """Print again, on a live feed, the open distress alerts nobody has acknowledged.

    Distress alerts are latched (:mod:`littoral.watch.latch`); an officer acknowledges them
    on the map page or the API, in the same store. Checked at most every ``check_s``.
    """

    def __init__(self, store: Any, clock: Any, interval_s: float, check_s: float = 5.0) -> None:
        from littoral.watch.latch import Renotifier

        self.store = store
        self.clock = clock
        self.renotifier = Renotifier(interval_s)
        self.check_s = check_s
        self._checked = -float("inf")

    def announced(self, alerts: list[Any]) -> None:
        """Record alerts just printed by the ingest."""
        self.renotifier.announced(alerts, self.clock.now())

    def check(self, now_s: float) -> list[str]:
        """Return the JSON lines of the alerts due again (``now_s``: a monotonic time)."""
        from littoral.records.alerts import AlertStatus
        from littoral.watch.export import alert_to_dict

        if now_s - self._checked < self.check_s:
            return []
        self._checked = now_s
        stored = self.store.alerts.find(AlertStatus.OPEN, rule="distress")
        due = self.renotifier.due([s.alert for s in stored], self.clock.now())
        return [json.dumps({**alert_to_dict(a), "renotify": True}, ensure_ascii=False) for a in due]


def _run_ingest(args: argparse.Namespace) -> int:
    from littoral.ais.sources import SourceEvent
    from littoral.services.ingest import ingest

    clock = SystemClock()
    watch = _watch_engine(args.rules) if (args.watch or args.rules) else None
    status = StatusLine(sys.stderr) if sys.stderr.isatty() and not args.quiet else None

    def on_event(event: SourceEvent) -> None:
        if status is not None:
            status.end()
        detail = f": {event.detail}" if event.detail else ""
        print(f"littoral: {event.source}: {event.kind}{detail}", file=sys.stderr)

    specs: Sequence[str] = args.sources
    live = any(s == "-" or "://" in s for s in specs)
    store = open_cli_store(args.db, create=args.create)
    reminder = (
        DistressReminder(store, clock, watch.config.distress.renotify_s)
        if watch is not None and live
        else None
    )

    def on_alerts(alerts: list[Any]) -> None:
        for alert in alerts:
            print(alert_json(alert), flush=True)
        if reminder is not None:
            reminder.announced(alerts)

    def on_progress(progress: Any) -> None:
        if status is not None:
            status(progress)
        if reminder is not None:
            for line in reminder.check(time.monotonic()):
                print(line, flush=True)

    try:
        with open_ingest_sources(specs, on_event) as lines:
            try:
                result = ingest(
                    lines,
                    store,
                    clock,
                    sources=specs,
                    live=live,
                    watch=watch,
                    on_alerts=on_alerts,
                    on_progress=on_progress if reminder is not None else status,
                    flush_interval_s=args.flush_s,
                )
            finally:
                if status is not None:
                    status.end()
    finally:
        store.close()
    if not args.quiet:
        rate = result.stats.messages / result.elapsed_s if result.elapsed_s > 0 else 0.0
        print(result.stats.summary(), file=sys.stderr)
        drops = result.counts.get("kernel_drops", 0)
        if drops:
            print(
                f"UDP: {drops:,} datagrams dropped by the kernel (receive buffer full)",
                file=sys.stderr,
            )
        invalid = result.counts.get("invalid_mmsi", 0)
        if invalid:
            print(
                f"invalid MMSIs (no ITU-R M.585 format): {invalid:,} reports kept out of the "
                "vessel list",
                file=sys.stderr,
            )
        print(
            f"stored {result.positions_stored:,} new positions of {result.vessels:,} vessels "
            f"in {result.elapsed_s:.1f} s ({rate:,.0f} msg/s) into {store.url}",
            file=sys.stderr,
        )
    return 0


def _vessels(args: argparse.Namespace) -> int:
    from littoral.store import BoundingBox

    bbox = BoundingBox.parse(args.bbox) if args.bbox else None
    at = parse_time(args.at, "--at") if args.at else None
    if args.max_age_min <= 0:
        raise InputError(f"--max-age-min={args.max_age_min!r} must be > 0")
    store = open_cli_store(args.db, create=args.create)
    try:
        states = store.vessels.find(bbox, at, timedelta(minutes=args.max_age_min))
    finally:
        store.close()
    if args.json:
        for state in states:
            print(json.dumps(state.to_dict()))
        return 0
    from littoral.geo.coords import format_position

    head = f"{'MMSI':>9}  {'flag':<4} {'name':<20} {'position':<24} {'SOG':>5} {'COG':>5}"
    print(f"{head}  last (UTC)")
    for s in states:
        flag = s.flag_code or (str(s.mid) if s.mid is not None else "-")
        where = "-"
        if s.lon is not None and s.lat is not None:
            where = format_position(s.lon, s.lat, decimals=1)
        sog = f"{s.sog_kn:.1f}" if s.sog_kn is not None else "-"
        cog = f"{s.cog_deg:.0f}" if s.cog_deg is not None else "-"
        seen = (s.position_time or s.last_seen).strftime("%Y-%m-%d %H:%M:%S")
        name = (s.name or "-")[:20]
        print(f"{s.key:>9}  {flag:<4} {name:<20} {where:<24} {sog:>5} {cog:>5}  {seen}")
    print(f"{len(states)} vessels", file=sys.stderr)
    return 0


def _point(p: Any) -> dict[str, object]:
    return {
        "mmsi": p.mmsi,
        "time": _json_default(p.time),
        "lon": p.lon,
        "lat": p.lat,
        "sog_kn": p.sog_kn,
        "cog_deg": p.cog_deg,
        "heading_deg": p.heading_deg,
        "nav_status": p.nav_status,
        "msg_type": p.msg_type,
        "source": p.source,
    }


def track_geojson(mmsi: int, points: Sequence[Any]) -> dict[str, object]:
    """Return a track as a GeoJSON FeatureCollection: a LineString, then each point."""
    features: list[dict[str, object]] = []
    if len(points) >= 2:
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[p.lon, p.lat] for p in points],
                },
                "properties": {
                    "mmsi": mmsi,
                    "start": _json_default(points[0].time),
                    "end": _json_default(points[-1].time),
                    "times": [_json_default(p.time) for p in points],
                },
            }
        )
    features.extend(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": _point(p),
        }
        for p in points
    )
    return {"type": "FeatureCollection", "features": features}


def _track(args: argparse.Namespace) -> int:
    mmsi = parse_mmsi(args.mmsi)
    start = parse_time(args.start, "--from") if args.start else None
    end = parse_time(args.end, "--to") if args.end else None
    store = open_cli_store(args.db, create=args.create)
    try:
        store.vessels.get(mmsi)  # NotFoundError names the MMSI
        points = store.positions.track(mmsi, start, end)
    finally:
        store.close()
    if args.format == "json":
        json.dump([_point(p) for p in points], sys.stdout)
        sys.stdout.write("\n")
    elif args.format == "geojson":
        json.dump(track_geojson(mmsi, points), sys.stdout)
        sys.stdout.write("\n")
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        columns = list(_point(points[0]).keys()) if points else list(_COLUMNS)
        writer.writerow(columns)
        for p in points:
            writer.writerow(["" if v is None else v for v in _point(p).values()])
    print(f"{len(points)} positions of {mmsi}", file=sys.stderr)
    return 0


_COLUMNS = (
    "mmsi",
    "time",
    "lon",
    "lat",
    "sog_kn",
    "cog_deg",
    "heading_deg",
    "nav_status",
    "msg_type",
    "source",
)
