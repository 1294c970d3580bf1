"""DSC calls from a DSC controller: NMEA 0183 ``$--DSC`` and ``$--DSE`` sentences.

Field layout of IEC 61162-1 (Ed. 5, 2016), sentences DSC and DSE; the codes are the
ITU-R M.493-15 (2019) symbols less 100, as the sentence carries them in two digits:

``$--DSC,fmt,address,cat,tc1,tc2,position,time,mmsi,nature,ack,exp*hh``

- ``fmt`` format specifier: 02 geographic area, 12 distress, 14 group, 16 all ships,
  20 individual, 23 individual automatic (M.493 Table A1-3);
- ``address``: ten digits, the nine-digit MMSI and a trailing 0 (for a distress call the
  caller's own identity);
- ``cat`` category: 00 routine, 08 safety, 10 urgency, 12 distress;
- ``tc1``: the nature of distress in a distress call (M.493 Table A1-3: 00 fire/explosion ...
  12 EPIRB emission), else the first telecommand (10 distress acknowledgement, 12 distress
  relay, 18 test, 21 ship position, ...); ``tc2``: the kind of subsequent communication (00 F3E/G3E
  telephony, 09 J3E telephony, 13 F1B/J2B FEC, 26 no information);
- ``position`` (in distress traffic and position replies; otherwise a channel or frequency):
  ten digits ``QDDMMDDDMM``: quadrant (0 NE, 1 NW, 2 SE, 3 SW), latitude
  degrees and minutes, longitude degrees and minutes; ``9999999999`` when not known;
- ``time``: ``hhmm`` UTC of that position; ``8888`` when not known;
- ``mmsi`` and ``nature``: the station in distress and its nature of distress, in a distress
  acknowledgement or relay;
- ``ack``: R acknowledgement requested, B acknowledgement, S neither; ``exp``: E when a DSE
  sentence follows.

``$--DSE,total,number,flag,address,code,data,...*hh`` (expansion, ITU-R M.821): code 00 is the
enhanced position resolution, eight digits giving four more decimals of the latitude and the
longitude minutes (``00,45894494``: +0.4589' of latitude, +0.4494' of longitude).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from littoral.alerts.model import AlertKind, AlertPosition, ParsedAlert, PositionSource
from littoral.alerts.nmea import NmeaSentence, split_sentence
from littoral.errors import DecodeError, InputError
from littoral.geo.flags import flag_of

FORMATS: dict[str, str] = {
    "02": "geographic area",
    "12": "distress",
    "14": "group",
    "16": "all ships",
    "20": "individual",
    "23": "individual automatic",
}
CATEGORIES: dict[str, str] = {"00": "routine", "08": "safety", "10": "urgency", "12": "distress"}
NATURES: dict[str, str] = {
    "00": "fire, explosion",
    "01": "flooding",
    "02": "collision",
    "03": "grounding",
    "04": "listing, in danger of capsizing",
    "05": "sinking",
    "06": "disabled and adrift",
    "07": "undesignated distress",
    "08": "abandoning ship",
    "09": "piracy/armed robbery attack",
    "10": "man overboard",
    "12": "EPIRB emission",
}
COMMUNICATIONS: dict[str, str] = {
    "00": "F3E/G3E telephony",
    "01": "F3E/G3E duplex telephony",
    "09": "J3E telephony",
    "13": "F1B/J2B FEC",
    "15": "F1B/J2B ARQ",
    "26": "no information",
}
DISTRESS_ACK, DISTRESS_RELAY = "10", "12"
POSITION_REPLY = "21"
ACK_FLAGS = frozenset({"R", "B", "S", ""})
DSC_FIELDS = 11


def decode_position(text: str) -> tuple[float, float] | None:
    """Return ``(lat, lon)`` of a ten-digit DSC position, None when it says "not known".

    >>> decode_position("0453104951")
    (45.516666666666666, 49.85)
    >>> decode_position("2123406012")
    (-12.566666666666666, 60.2)
    """
    if text in ("", "9999999999"):
        return None
    if len(text) != 10 or not text.isdigit():
        raise DecodeError(f"DSC position {text!r} must be ten digits QDDMMDDDMM")
    quadrant = text[0]
    if quadrant not in "0123":
        raise DecodeError(f"DSC position {text!r}: quadrant {quadrant!r} must be 0-3")
    lat_deg, lat_min = int(text[1:3]), int(text[3:5])
    lon_deg, lon_min = int(text[5:8]), int(text[8:10])
    if lat_min >= 60 or lon_min >= 60:
        raise DecodeError(f"DSC position {text!r}: minutes must be below 60")
    lat = lat_deg + lat_min / 60.0
    lon = lon_deg + lon_min / 60.0
    if lat > 90.0 or lon > 180.0:
        raise DecodeError(f"DSC position {text!r} is outside -90..90, -180..180")
    south, west = quadrant in "23", quadrant in "13"
    return (-lat if south else lat, -lon if west else lon)


def _mmsi(text: str, what: str) -> int | None:
    if text == "":
        return None
    if len(text) != 10 or not text.isdigit():
        raise DecodeError(f"DSC {what} {text!r} must be ten digits")
    return int(text[:9])


def _time(text: str, received: datetime) -> datetime:
    if text in ("", "8888"):
        return received
    if len(text) != 4 or not text.isdigit() or int(text[:2]) > 23 or int(text[2:]) > 59:
        raise DecodeError(f"DSC time {text!r} must be hhmm UTC or 8888")
    at = received.replace(hour=int(text[:2]), minute=int(text[2:]), second=0, microsecond=0)
    # The call gives no date: the latest such time not after the receipt.
    return at - timedelta(days=1) if at > received + timedelta(minutes=5) else at


def _code(table: dict[str, str], text: str, what: str) -> str:
    if text not in table:
        raise DecodeError(f"DSC {what} {text!r} is not one of {sorted(table)}")
    return table[text]


def _stage(fmt: str, category: str, tc1: str) -> str:
    if fmt == "12":
        return "distress"
    if category == "12":
        return {DISTRESS_ACK: "distress_ack", DISTRESS_RELAY: "distress_relay"}.get(
            tc1, "distress_traffic"
        )
    return CATEGORIES.get(category, "routine")


def _enhance(position: tuple[float, float], dse: NmeaSentence | None) -> tuple[float, float]:
    """Add the DSE enhanced resolution (code 00) to a DSC position."""
    if dse is None:
        return position
    pairs = dse.fields[4:]
    for code, data in zip(pairs[::2], pairs[1::2], strict=False):
        if code != "00":
            continue
        if len(data) != 8 or not data.isdigit():
            raise DecodeError(f"DSE enhanced position {data!r} must be eight digits")
        lat, lon = position
        dlat = int(data[:4]) / 10_000 / 60.0
        dlon = int(data[4:]) / 10_000 / 60.0
        return (lat + dlat if lat >= 0 else lat - dlat, lon + dlon if lon >= 0 else lon - dlon)
    return position


def _matching_dse(sentences: Sequence[NmeaSentence], address: str) -> NmeaSentence | None:
    for s in sentences:
        if s.formatter == "DSE":
            if len(s.fields) < 4:
                raise DecodeError(f"DSE sentence has {len(s.fields)} fields; at least 4 needed")
            if s.fields[3] == address:
                return s
    return None


def parse_dsc(lines: Sequence[str], received: datetime) -> ParsedAlert:
    """Parse one DSC call: a ``$--DSC`` sentence and any ``$--DSE`` that expands it.

    Parameters
    ----------
    lines
        The sentences, one per item; blank items are skipped.
    received
        When the call was received (UTC): it supplies the date the call lacks, and the time
        when the call gives none.

    Raises
    ------
    DecodeError
        A bad checksum, field count or code, named in the message.
    """
    if received.tzinfo is None:
        raise InputError(f"received={received!r} must be timezone-aware (UTC)")
    received = received.astimezone(UTC)
    sentences = [split_sentence(line) for line in lines if line.strip()]
    calls = [s for s in sentences if s.formatter == "DSC"]
    if not calls:
        raise DecodeError("no $--DSC sentence found")
    call = calls[0]
    f = call.fields
    if len(f) != DSC_FIELDS:
        raise DecodeError(f"DSC sentence has {len(f)} fields; {DSC_FIELDS} expected")
    fmt, address, category, tc1, tc2, pos, hhmm, subject, nature2, ack, _exp = f
    format_name = _code(FORMATS, fmt, "format specifier")
    if category:
        _code(CATEGORIES, category, "category")
    if ack not in ACK_FLAGS:
        raise DecodeError(f"DSC acknowledgement flag {ack!r} must be R, B or S")
    stage = _stage(fmt, category, tc1)
    details = {"format": format_name, "talker": call.talker}
    if ack:
        details["acknowledgement"] = ack
    nature: str | None = None
    if stage == "distress":
        nature = _code(NATURES, tc1, "nature of distress")
        if tc2:
            details["communication"] = _code(COMMUNICATIONS, tc2, "communication")
        mmsi = _mmsi(address, "address")
    elif fmt == "02":
        mmsi = _mmsi(subject, "distress MMSI")
        details["area"] = address
    else:
        mmsi = _mmsi(subject, "distress MMSI") or _mmsi(address, "address")
        if nature2:
            nature = _code(NATURES, nature2, "nature of distress")
        if category:
            details["telecommand"] = tc1
        if address and fmt != "02":
            details["address"] = address[:9]
    # the sixth field is a position in distress traffic and in a position reply (first
    # telecommand 21, M.493 symbol 121); in other calls it is a working channel or frequency
    has_position = stage.startswith("distress") or tc1 == POSITION_REPLY
    position = decode_position(pos) if has_position else None
    positions: tuple[AlertPosition, ...] = ()
    if position is not None:
        lat, lon = _enhance(position, _matching_dse(sentences, address))
        positions = (AlertPosition(lat=lat, lon=lon, source=PositionSource.DSC),)
    flag = flag_of(mmsi) if mmsi else None
    return ParsedAlert(
        kind=AlertKind.DSC,
        time=_time(hhmm, received),
        mmsi=mmsi,
        country=flag.country if flag else None,
        positions=positions,
        stage=stage,
        protocol=f"DSC {format_name}",
        nature=nature,
        distress=stage.startswith("distress"),
        details=details,
    )
