"""Cospas-Sarsat SIT 185 distress alert messages, as a mission control centre sends them.

The layout is the one of C/S A.002 (Mission Control Centres Standard Interface Description,
SIT 185 "message to SAR points of contact / RCCs") and its reading in C/S G.007 (Handbook on
Distress Alert Messages for RCCs, SPOCs and IMO Ship Security Competent Authorities): numbered
lines of labelled fields, in upper case, ending with ``END OF MESSAGE``:

- line 1, the title: ``DISTRESS COSPAS-SARSAT <stage> ALERT``, the stage being ``INITIAL``,
  ``POSITION CONFLICT``, ``POSITION CONFIRMED`` (the position is resolved), an ``UPDATE``
  (of the encoded, DOA or confirmed position) or a ``NOTIFICATION OF COUNTRY OF BEACON
  REGISTRATION``;
- ``MSG NO: nnnnn``, the message number; ``DETECTED AT: dd MON yyyy hhmm UTC``;
- ``COUNTRY OF BEACON REGISTRATION: MID/NAME``;
- the positions, one per line after ``POSITIONS:``: ``CONFIRMED``, ``DOPPLER A``,
  ``DOPPLER B``, ``DOA`` and ``ENCODED``, each ``- NIL`` or ``- dd mm.m N ddd mm.m E``,
  Doppler solutions with ``PROB nn PERCENT`` (or ``PROBABILITY``), a DOA or confirmed one
  possibly with ``EXPECTED ACCURACY n NM``;
- ``HEX ID: <15 or 23 hex>`` (the beacon ID, decoded by :mod:`littoral.alerts.beacon` or
  :mod:`littoral.alerts.beacon23`).

Lines are matched by their labels, not their numbers, so the numbering of a given issue of
A.002 does not matter; a message lacking the title, the message number, the detection time or
the hex ID is refused, naming what is missing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from littoral.alerts.beacon23 import decode_hex_id
from littoral.alerts.model import AlertKind, AlertPosition, ParsedAlert, PositionSource
from littoral.errors import DecodeError

_TITLE = re.compile(r"COSPAS-SARSAT\s+(.*?)\s*ALERT\b")
_MSG_NO = re.compile(r"\bMSG\s+NO\s*[:.]?\s*(\d{1,6})\b")
_DETECTED = re.compile(
    r"\bDETECTED\s+AT\s*:?\s*(\d{1,2})\s+([A-Z]{3})\s+(\d{2}|\d{4})\s+(\d{4})(\d{2})?\s*UTC\b"
)
_HEX_ID = re.compile(r"\b(?:BEACON\s+)?HEX\s+ID\s*:?\s*([0-9A-F]+)\b")
_COUNTRY = re.compile(r"\bCOUNTRY\s+OF\s+BEACON\s+REGISTRATION\s*:?\s*(\d{3})\s*/\s*([^\n]*)")
_LABELS: tuple[tuple[str, PositionSource], ...] = (
    ("CONFIRMED", PositionSource.CONFIRMED),
    ("DOPPLER A", PositionSource.DOPPLER_A),
    ("DOPPLER B", PositionSource.DOPPLER_B),
    ("DOA", PositionSource.DOA),
    ("ENCODED", PositionSource.ENCODED),
)
_POSITION_LINE = re.compile(r"^\s*(CONFIRMED|DOPPLER\s+A|DOPPLER\s+B|DOA|ENCODED)\s*[-:]\s*(.*)$")
_LATLON = re.compile(
    r"(\d{1,2})\s+(\d{1,2}(?:\.\d+)?)\s*([NS])\s+(\d{1,3})\s+(\d{1,2}(?:\.\d+)?)\s*([EW])\b"
)
_PROB = re.compile(r"\bPROB(?:ABILITY)?\s*:?\s*(\d{1,3})\s*(?:PERCENT|%)")
_ACCURACY = re.compile(r"\b(?:EXPECTED\s+)?ACCURACY\s*:?\s*(\d+(?:\.\d+)?)\s*(?:NM|NMI)\b")
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
MAX_CHARS = 20_000


def _stage(title: str) -> str:
    if "CONFLICT" in title:
        return "conflict"
    if "CONFIRMED" in title or "RESOLVED" in title:
        return "confirmed"
    if "UPDATE" in title:
        return "update"
    if "NOTIFICATION" in title:
        return "notification"
    if "INITIAL" in title:
        return "initial"
    raise DecodeError(f"SIT 185 title {title!r} names no known stage (initial, conflict, ...)")


def _detected(text: str) -> datetime:
    match = _DETECTED.search(text)
    if match is None:
        raise DecodeError("SIT 185 message has no 'DETECTED AT: dd MON yyyy hhmm UTC' line")
    day, month, year, hhmm, ss = match.groups()
    if month not in MONTHS:
        raise DecodeError(f"SIT 185 detection month {month!r} is not one of {list(MONTHS)}")
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return datetime(
            full_year,
            MONTHS.index(month) + 1,
            int(day),
            int(hhmm[:2]),
            int(hhmm[2:]),
            int(ss or 0),
            tzinfo=UTC,
        )
    except ValueError as exc:
        raise DecodeError(f"SIT 185 detection time {match.group(0)!r}: {exc}") from exc


def _latlon(match: re.Match[str], line: str) -> tuple[float, float]:
    lat_d, lat_m, ns, lon_d, lon_m, ew = match.groups()
    lat_min, lon_min = float(lat_m), float(lon_m)
    if lat_min >= 60.0 or lon_min >= 60.0:
        raise DecodeError(f"SIT 185 position {line.strip()!r}: minutes must be below 60")
    lat = int(lat_d) + lat_min / 60.0
    lon = int(lon_d) + lon_min / 60.0
    if lat > 90.0 or lon > 180.0:
        raise DecodeError(f"SIT 185 position {line.strip()!r} is outside -90..90, -180..180")
    return (-lat if ns == "S" else lat, -lon if ew == "W" else lon)


def _position(label: str, rest: str, line: str) -> AlertPosition | None:
    source = dict(_LABELS)[re.sub(r"\s+", " ", label)]
    if rest.strip().startswith("NIL") or not rest.strip():
        return None
    match = _LATLON.search(rest)
    if match is None:
        raise DecodeError(
            f"SIT 185 {label} position {line.strip()!r} is not 'dd mm.m N ddd mm.m E'"
        )
    lat, lon = _latlon(match, line)
    prob = _PROB.search(rest)
    probability = None
    if prob is not None:
        percent = int(prob.group(1))
        if percent > 100:
            raise DecodeError(f"SIT 185 {label} probability {percent} percent is above 100")
        probability = percent / 100.0
    accuracy = _ACCURACY.search(rest)
    return AlertPosition(
        lat=lat,
        lon=lon,
        source=source,
        probability=probability,
        accuracy_nm=float(accuracy.group(1)) if accuracy else None,
    )


def _positions(text: str) -> tuple[AlertPosition, ...]:
    found: dict[PositionSource, AlertPosition] = {}
    for line in text.splitlines():
        body = re.sub(r"^\s*\d{1,2}\.\s*", "", line)
        match = _POSITION_LINE.match(body)
        if match is None:
            continue
        position = _position(match.group(1), match.group(2), line)
        if position is not None:
            found.setdefault(position.source, position)
    return tuple(found[s] for _, s in _LABELS if s in found)


def parse_sit185(text: str) -> ParsedAlert:
    """Parse one SIT 185 message (see the module docstring).

    Raises
    ------
    DecodeError
        A missing title, message number, detection time or hex ID; a malformed position,
        probability or beacon ID. The message names which.
    """
    if len(text) > MAX_CHARS:
        raise DecodeError(f"SIT 185 message of {len(text)} characters is over {MAX_CHARS}")
    upper = text.upper()
    title = _TITLE.search(upper)
    if title is None:
        raise DecodeError("SIT 185 message has no 'COSPAS-SARSAT ... ALERT' title line")
    stage = _stage(title.group(1))
    number = _MSG_NO.search(upper)
    if number is None:
        raise DecodeError("SIT 185 message has no 'MSG NO:' line")
    hex_match = _HEX_ID.search(upper)
    if hex_match is None:
        raise DecodeError("SIT 185 message has no 'HEX ID:' line")
    beacon = decode_hex_id(hex_match.group(1))
    details = {"protocol_code_country": str(beacon.country_code)}
    country = beacon.country
    registered = _COUNTRY.search(upper)
    if registered is not None:
        details["registration"] = f"{registered.group(1)}/{registered.group(2).strip()}"
        if int(registered.group(1)) != beacon.country_code:
            details["registration_mismatch"] = (
                f"message says {registered.group(1)}, hex ID says {beacon.country_code}"
            )
    for name, value in (
        ("serial", beacon.serial),
        ("call_sign", beacon.call_sign),
        ("aircraft_address", beacon.aircraft_address),
        ("national_id", beacon.national_id),
        ("beacon_number", beacon.beacon_number),
        ("type_approval", beacon.type_approval),
        ("ais_mmsi", beacon.ais_mmsi),
        ("aircraft_registration", beacon.aircraft_registration),
        ("operator", beacon.operator),
        ("operator_serial", beacon.operator_serial),
    ):
        if value is not None:
            details[name] = str(value)
    return ParsedAlert(
        kind=AlertKind.SIT185,
        time=_detected(upper),
        beacon_id=beacon.hex_id,
        mmsi=beacon.mmsi,
        country=country,
        positions=_positions(upper),
        stage=stage,
        message_number=int(number.group(1)),
        protocol=beacon.protocol,
        distress=True,
        details=details,
    )
