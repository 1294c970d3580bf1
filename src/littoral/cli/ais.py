"""The ``littoral ais`` commands: ``decode`` here; the picture's commands when installed.

``littoral ais decode FILE... [--json]`` prints one line (or one JSON object) per decoded
message and a summary by message type and rejection reason on stderr. The commands that
feed and read the picture (``ingest``, ``vessels``, ``track``) are registered by
:mod:`littoral.cli.ais_picture` when that module is present.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Iterator
from typing import TextIO

from littoral.ais.decoder import Decoder
from littoral.ais.records import DecodedMessage, RawLine
from littoral.ais.sources import FileSource, StreamSource
from littoral.clock import SystemClock

_TEXT_KEYS = (
    "lat",
    "lon",
    "speed",
    "course",
    "heading",
    "status",
    "shipname",
    "name",
    "callsign",
    "imo",
    "ship_type",
    "destination",
    "draught",
    "partno",
    "dest_mmsi",
    "dac",
    "fid",
    "text",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``littoral ais`` and its sub-commands."""
    parser = subparsers.add_parser(
        "ais",
        help="AIS feeds: decode files, and ingest into the picture",
        description="AIS feeds: decode NMEA files, ingest into the maritime picture.",
    )
    ais_subparsers = parser.add_subparsers(dest="ais_command", metavar="ACTION")
    decode = ais_subparsers.add_parser(
        "decode",
        help="decode NMEA/AIS files and print the messages",
        description=(
            "Decode AIS sentences (NMEA 0183 !AIVDM/!AIVDO with optional NMEA 4.10 tag blocks "
            "and USCG trailing fields) from files (plain or .gz; - for stdin). Prints one "
            "line per message, or one JSON object per message with --json (fields and units: "
            "docs/ais.md); a summary by type and rejection reason goes to stderr."
        ),
    )
    decode.add_argument("files", nargs="+", metavar="FILE", help="NMEA file, .gz, or - for stdin")
    decode.add_argument("--json", action="store_true", help="one JSON object per message")
    decode.set_defaults(func=_decode)
    parser.set_defaults(func=lambda _args: _help(parser))
    if importlib.util.find_spec("littoral.cli.ais_picture") is not None:
        picture = importlib.import_module("littoral.cli.ais_picture")
        picture.register_ais_commands(ais_subparsers)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _lines(files: list[str]) -> Iterator[RawLine]:
    clock = SystemClock()
    for name in files:
        if name == "-":
            yield from StreamSource(clock)
        else:
            yield from FileSource([name], clock)


def message_json(message: DecodedMessage) -> str:
    """Return one decoded message as the JSON object of ``ais decode --json``."""
    head: dict[str, object] = {
        "type": message.msg_type,
        "mmsi": message.mmsi,
        "time": message.time.isoformat().replace("+00:00", "Z"),
        "source": message.source,
        "channel": message.channel,
        "station": message.station,
    }
    body = {k: v for k, v in message.fields.items() if k not in head}
    return json.dumps(head | body, default=str, ensure_ascii=False)


def message_text(message: DecodedMessage) -> str:
    """Return one decoded message as a short line of text."""
    parts = [
        message.time.isoformat().replace("+00:00", "Z"),
        f"type={message.msg_type}",
        f"mmsi={message.mmsi}",
    ]
    fields = message.fields
    parts.extend(f"{k}={fields[k]!r}" for k in _TEXT_KEYS if fields.get(k) not in (None, ""))
    return " ".join(parts)


def _write(out: TextIO, messages: list[DecodedMessage], as_json: bool) -> None:
    render = message_json if as_json else message_text
    out.writelines(render(m) + "\n" for m in messages)


def _decode(args: argparse.Namespace) -> int:
    # Open every file first so a missing one fails before anything is printed.
    for name in args.files:
        if name != "-":
            FileSource([name], SystemClock())
    decoder = Decoder(keep_messages=True, keep_others=False)
    out = sys.stdout
    try:
        for batch in decoder.iter_batches(_lines(args.files), batch_size=2000):
            _write(out, batch.messages, args.json)
        out.flush()
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): nothing more to say
        return 0
    print(decoder.stats.summary(), file=sys.stderr)
    return 0
