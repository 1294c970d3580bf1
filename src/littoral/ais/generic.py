"""Decoding of every message type 1-27 through pyais, and the reference mapping to records.

pyais (M0r13n/pyais, MIT) gives the breadth: every type, the binary application messages of
types 6 and 8 where it knows them. Its fields are kept under pyais's names and in its scaled
units (degrees, knots, metres, degrees per minute for ``turn``), enumerations as integers and
binary data as hexadecimal text. :func:`reports_from_fields` maps those fields to the seam
records; it is the reference the hand-written fast path is tested against, and it serves the
types without a fast path (type 12, and the type 14 and type 6 texts that
:mod:`littoral.ais.texts` leaves to it).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from littoral.ais.binary_text import binary_text
from littoral.ais.fastpath import LENGTH_BOUNDS
from littoral.ais.sixbit import armour, payload_bits
from littoral.ais.statics import eta_from_fields, name_extension
from littoral.errors import DecodeError
from littoral.records.reports import AisClass, PositionReport, SafetyReport, StaticReport

Record = PositionReport | StaticReport | SafetyReport

_CLASS_BY_TYPE: dict[int, AisClass] = {
    1: AisClass.A,
    2: AisClass.A,
    3: AisClass.A,
    4: AisClass.BASE,
    5: AisClass.A,
    9: AisClass.SAR,
    18: AisClass.B,
    19: AisClass.B,
    21: AisClass.ATON,
    24: AisClass.B,
    27: AisClass.A,
}


def _plain(value: Any) -> Any:
    """Return ``value`` as JSON-ready data: enums to numbers, bytes to hex, recursively."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return value.partition("@")[0].rstrip()
    return value


_ENUM_FIELDS = frozenset(
    ("status", "maneuver", "epfd", "ship_type", "aid_type", "station_type", "txrx", "interval")
)
_TEXT = 3  # pyais's field kinds: 0 int, 1 bool, 2 float, 3 text, 4 bytes
# Positions that pyais gives in minutes (1/10 minute resolution) rather than degrees.
_MINUTE_FIELDS: dict[int, tuple[str, ...]] = {
    17: ("lon", "lat"),
    22: ("ne_lon", "ne_lat", "sw_lon", "sw_lat"),
    23: ("ne_lon", "ne_lat", "sw_lon", "sw_lat"),
}


def decode_fields(payload: str, fill_bits: int) -> dict[str, object]:
    """Decode an assembled payload with pyais and return its fields, spare bits left out.

    Three corrections bring pyais in line with gpsd, the reference of the conformance suite:
    a numeric field (or a text field of a fixed-layout type) cut by the end of the payload is
    read on through the fill bits and then zero bits (not shortened), except the radio
    status, which is read as far as it goes;
    enumerations keep their transmitted code, even one outside pyais's table; text stops at
    the first ``@`` (the AIS padding character). Positions of types 17, 22 and 23 are
    given in degrees, and an unstructured type 25/26 has no application id (its 16 bits
    belong to the data).

    Raises
    ------
    DecodeError
        If pyais cannot decode the payload (unknown type, unknown part number...).
    """
    from pyais.bit_vector import bit_vector
    from pyais.messages import MSG_CLASS

    try:
        value, bits = payload_bits(payload, fill_bits)
        msg_type = value >> (bits - 6) if bits >= 6 else 0
        if not 1 <= msg_type <= 27:
            raise DecodeError(f"message type {msg_type} is not 1-27")
        cls = MSG_CLASS[msg_type]
        message = cls.from_vector(bit_vector(payload.encode("ascii"), fill_bits))
        plan = type(message).decoder_plan()
        cut = next(
            (
                o + w
                for name, o, w, _s, kind, *_ in plan
                if o < bits < o + w
                and name != "radio"
                and (kind < _TEXT or (kind == _TEXT and msg_type in LENGTH_BOUNDS))
            ),
            None,
        )
        if cut is not None:
            # As gpsd: the fill bits of the last character are read as data, zeros beyond.
            value, bits = payload_bits(payload, 0)
            if cut > bits:
                value <<= cut - bits
                bits = cut
            padded, fill = armour(value, bits)
            message = cls.from_vector(bit_vector(padded.encode("ascii"), fill))
            plan = type(message).decoder_plan()
        data = message.asdict(enum_as_int=True)
        for name, offset, width, *_ in plan:
            if name in _ENUM_FIELDS and name in data and offset + width <= bits:
                data[name] = (value >> (bits - offset - width)) & ((1 << width) - 1)
    except DecodeError:
        raise
    except Exception as exc:  # pyais raises several unrelated exception types
        raise DecodeError(f"pyais cannot decode {payload!r}: {exc}") from exc
    data.pop("msg_type", None)
    fields = {k: _plain(v) for k, v in data.items()}
    for key in _MINUTE_FIELDS.get(msg_type, ()):
        minutes = fields.get(key)
        if isinstance(minutes, int | float):
            if msg_type == 17:  # pyais reads these two as unsigned
                half = 13107.2 if key == "lon" else 6553.6
                if minutes >= half:
                    minutes -= 2 * half
            fields[key] = round(minutes / 60.0, 6)
    if msg_type == 21:
        fields["name_ext"] = name_extension(value, bits)
    if msg_type in (25, 26) and not fields.get("structured") and "app_id" in fields:
        app_id = fields.pop("app_id")
        if isinstance(app_id, int):
            fields["data"] = f"{app_id:04x}" + str(fields.get("data") or "")
    return fields


def _opt_float(value: object, unavailable: float) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if number >= unavailable else number


def _opt_int(value: object) -> int | None:
    number = int(value) if value is not None else 0  # type: ignore[call-overload]
    return number or None


def _opt_dim(value: object) -> float | None:
    number = _opt_int(value)
    return None if number is None else float(number)


def _opt_str(value: object) -> str | None:
    return str(value) if value else None


def reports_from_fields(
    msg_type: int, fields: dict[str, object], time: datetime, source: str
) -> tuple[Record, ...]:
    """Map decoded fields (as from :func:`decode_fields`) to the seam records.

    Positions come from types 1-4, 9, 18, 19, 21 and 27, statics from 5, 19, 21 and 24,
    safety texts from 12 and 14 and from the text applications of binary messages 6 and 8
    (:mod:`littoral.ais.binary_text`); a "not available" position gives no
    :class:`~littoral.records.reports.PositionReport`.
    """
    mmsi = int(fields["mmsi"])  # type: ignore[call-overload]
    ais_class = _CLASS_BY_TYPE.get(msg_type, AisClass.UNKNOWN)
    out: list[Record] = []
    if msg_type in (1, 2, 3, 4, 9, 18, 19, 21, 27):
        lon = fields.get("lon")
        lat = fields.get("lat")
        if (
            isinstance(lon, float | int)
            and isinstance(lat, float | int)
            and -180.0 <= lon <= 180.0
            and -90.0 <= lat <= 90.0
        ):
            sog_na = {9: 1023.0, 27: 63.0}.get(msg_type, 102.3)
            cog_na = 360.0
            heading = fields.get("heading")
            status = fields.get("status") if msg_type in (1, 2, 3, 27) else None
            out.append(
                PositionReport(
                    mmsi,
                    time,
                    float(lon),
                    float(lat),
                    msg_type,
                    source,
                    sog_kn=_opt_float(fields.get("speed"), sog_na),
                    cog_deg=_opt_float(fields.get("course"), cog_na),
                    heading_deg=_opt_float(heading, 360.0),
                    nav_status=None if status is None else int(status),  # type: ignore[call-overload]
                    ais_class=ais_class,
                    accuracy=bool(fields.get("accuracy")),
                )
            )
    if msg_type in (5, 19, 21, 24):
        out.extend(_static(msg_type, mmsi, fields, time, source, ais_class))
    if msg_type in (12, 14):
        dest = fields.get("dest_mmsi")
        out.append(
            SafetyReport(
                mmsi,
                time,
                msg_type,
                str(fields.get("text") or ""),
                source,
                dest_mmsi=None if dest is None else int(dest),  # type: ignore[call-overload]
            )
        )
    if msg_type in (6, 8):
        text = binary_text(msg_type, fields)
        if text is not None:
            dest = fields.get("dest_mmsi")
            out.append(
                SafetyReport(
                    mmsi,
                    time,
                    msg_type,
                    text,
                    source,
                    dest_mmsi=None if dest is None else int(dest),  # type: ignore[call-overload]
                )
            )
    return tuple(out)


def _static(
    msg_type: int,
    mmsi: int,
    fields: dict[str, object],
    time: datetime,
    source: str,
    ais_class: AisClass,
) -> tuple[StaticReport, ...]:
    if msg_type == 24 and fields.get("partno") not in (0, 1):
        return ()
    name = fields.get("shipname", fields.get("name"))
    if msg_type == 21 and fields.get("name_ext"):
        name = str(name or "") + str(fields["name_ext"])
    eta = None
    if msg_type == 5:
        eta = eta_from_fields(
            int(fields.get("month") or 0),  # type: ignore[call-overload]
            int(fields.get("day") or 0),  # type: ignore[call-overload]
            int(fields.get("hour") or 0),  # type: ignore[call-overload]
            int(fields.get("minute") or 0),  # type: ignore[call-overload]
            time,
        )
    draught = fields.get("draught")
    return (
        StaticReport(
            mmsi,
            time,
            msg_type,
            source,
            name=_opt_str(name),
            callsign=_opt_str(fields.get("callsign")),
            imo=_opt_int(fields.get("imo")),
            ship_type=None if msg_type == 21 else _opt_int(fields.get("ship_type")),
            to_bow_m=_opt_dim(fields.get("to_bow")),
            to_stern_m=_opt_dim(fields.get("to_stern")),
            to_port_m=_opt_dim(fields.get("to_port")),
            to_starboard_m=_opt_dim(fields.get("to_starboard")),
            destination=_opt_str(fields.get("destination")),
            eta=eta,
            draught_m=float(draught) or None if draught is not None else None,  # type: ignore[arg-type]
            ais_class=ais_class,
        ),
    )
