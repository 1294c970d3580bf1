"""Hand-written decoders for the message types that make up nearly all of a feed.

Types 1-3 and 18 (position reports), 5 and 24 (static data), 4 (base station), 9 (SAR
aircraft), 19 (extended class B), 21 (aid to navigation) and 27 (long-range position) go
straight from the payload integer to the seam records of :mod:`littoral.tracks.types`,
without building a generic message. Bit offsets are those of ITU-R M.1371-5, Annex 8, as
tabulated in the gpsd AIVDM/AIVDO protocol decoding document; scaling and rounding are the
same as pyais (latitude and longitude rounded to 10^-6 degree), and
``tests/unit/ais/test_fastpath.py`` checks both agree field by field.

"Not available" codes become ``None``; a position whose latitude is 91 or longitude 181 (or
otherwise out of range) yields no :class:`~littoral.tracks.types.PositionReport`.

Each decoder takes the payload as ``(value, bits)`` already cut to its nominal length (see
:data:`NOMINAL_BITS`) and returns a tuple of records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime

from littoral.ais.sixbit import text
from littoral.tracks.types import AisClass, PositionReport, StaticReport

Record = PositionReport | StaticReport
FastDecoder = Callable[[int, datetime, str], tuple[Record, ...]]

# Raw values of "not available" and of the valid range (in 1/10 000 minute).
_LON_NA = 181 * 600_000
_LAT_NA = 91 * 600_000
_LON_MAX = 180 * 600_000
_LAT_MAX = 90 * 600_000
_LON_NA_600 = 181 * 600
_LAT_NA_600 = 91 * 600

LENGTH_BOUNDS: dict[int, tuple[int, int]] = {
    1: (163, 216),
    2: (163, 216),
    3: (163, 216),
    4: (163, 216),
    5: (420, 432),
    9: (163, 216),
    11: (163, 216),
    18: (163, 216),
    19: (312, 320),
    21: (272, 368),
    24: (160, 176),
    27: (96, 168),
}
"""Accepted payload length in bits (inclusive) per type; other types need 40 bits or more."""

NOMINAL_BITS: dict[int, int] = {
    1: 168,
    2: 168,
    3: 168,
    4: 168,
    5: 424,
    9: 168,
    18: 168,
    19: 312,
    27: 96,
}
"""Length each decoder reads; shorter payloads are padded with zero bits, longer cut."""

_A = AisClass.A
_B = AisClass.B


def _lonlat(lon_raw: int, lat_raw: int) -> tuple[float, float] | None:
    """Return (lon, lat) in degrees from signed 1/10 000 minute, or None when not valid."""
    if lon_raw & 0x8000000:
        lon_raw -= 0x10000000
    if lat_raw & 0x4000000:
        lat_raw -= 0x8000000
    if not (-_LON_MAX <= lon_raw <= _LON_MAX and -_LAT_MAX <= lat_raw <= _LAT_MAX):
        return None
    # Same rounding as pyais: round(raw * 5 / 3) / 1e6, exact in integers.
    return ((10 * lon_raw + 3) // 6) / 1e6, ((10 * lat_raw + 3) // 6) / 1e6


def _sog(raw: int) -> float | None:
    return None if raw == 1023 else raw / 10.0


def _cog(raw: int) -> float | None:
    return None if raw >= 3600 else raw / 10.0


def _heading(raw: int) -> float | None:
    return None if raw >= 360 else float(raw)


def _position_factory() -> Callable[..., PositionReport]:
    """Return a constructor of :class:`PositionReport` from its fields in order.

    The frozen dataclass's own ``__init__`` goes through ``object.__setattr__`` for each of
    its twelve fields; filling the slots directly makes an identical object in half the
    time, which matters at hundreds of thousands of reports a second. If the seam type ever
    changes shape, the plain constructor is used.
    """
    names = [f.name for f in fields(PositionReport)]
    expected = [
        "mmsi", "time", "lon", "lat", "msg_type", "source", "sog_kn", "cog_deg",
        "heading_deg", "nav_status", "ais_class", "accuracy",
    ]  # fmt: skip
    if names != expected or not hasattr(PositionReport, "__slots__"):
        return PositionReport
    (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11) = (
        getattr(PositionReport, name).__set__ for name in names
    )
    new = object.__new__

    def make(
        mmsi: int,
        time: datetime,
        lon: float,
        lat: float,
        msg_type: int,
        source: str,
        sog_kn: float | None,
        cog_deg: float | None,
        heading_deg: float | None,
        nav_status: int | None,
        ais_class: AisClass,
        accuracy: bool,
    ) -> PositionReport:
        obj = new(PositionReport)
        s0(obj, mmsi)
        s1(obj, time)
        s2(obj, lon)
        s3(obj, lat)
        s4(obj, msg_type)
        s5(obj, source)
        s6(obj, sog_kn)
        s7(obj, cog_deg)
        s8(obj, heading_deg)
        s9(obj, nav_status)
        s10(obj, ais_class)
        s11(obj, accuracy)
        return obj

    return make


new_position = _position_factory()


def _static_factory() -> Callable[..., StaticReport]:
    """Return a constructor of :class:`StaticReport` from its 16 fields in order.

    As :func:`_position_factory`: slots filled directly, the plain constructor if the seam
    type changes shape.
    """
    names = [f.name for f in fields(StaticReport)]
    expected = [
        "mmsi", "time", "msg_type", "source", "name", "callsign", "imo", "ship_type",
        "to_bow_m", "to_stern_m", "to_port_m", "to_starboard_m", "destination", "eta",
        "draught_m", "ais_class",
    ]  # fmt: skip
    if names != expected or not hasattr(StaticReport, "__slots__"):
        return StaticReport
    setters = [getattr(StaticReport, name).__set__ for name in names]
    (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15) = setters
    new = object.__new__

    def make(
        mmsi: int,
        time: datetime,
        msg_type: int,
        source: str,
        name: str | None,
        callsign: str | None,
        imo: int | None,
        ship_type: int | None,
        to_bow_m: float | None,
        to_stern_m: float | None,
        to_port_m: float | None,
        to_starboard_m: float | None,
        destination: str | None,
        eta: datetime | None,
        draught_m: float | None,
        ais_class: AisClass,
    ) -> StaticReport:
        obj = new(StaticReport)
        s0(obj, mmsi)
        s1(obj, time)
        s2(obj, msg_type)
        s3(obj, source)
        s4(obj, name)
        s5(obj, callsign)
        s6(obj, imo)
        s7(obj, ship_type)
        s8(obj, to_bow_m)
        s9(obj, to_stern_m)
        s10(obj, to_port_m)
        s11(obj, to_starboard_m)
        s12(obj, destination)
        s13(obj, eta)
        s14(obj, draught_m)
        s15(obj, ais_class)
        return obj

    return make


new_static = _static_factory()


def type_1_2_3(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a class A position report (types 1, 2, 3; 168 bits)."""
    lon = (v >> 79) & 0xFFFFFFF
    lat = (v >> 52) & 0x7FFFFFF
    if lon & 0x8000000:
        lon -= 0x10000000
    if lat & 0x4000000:
        lat -= 0x8000000
    if not (-_LON_MAX <= lon <= _LON_MAX and -_LAT_MAX <= lat <= _LAT_MAX):
        return ()
    speed = (v >> 108) & 1023
    course = (v >> 40) & 4095
    heading = (v >> 31) & 511
    return (
        new_position(
            (v >> 130) & 0x3FFFFFFF,
            time,
            ((10 * lon + 3) // 6) / 1e6,
            ((10 * lat + 3) // 6) / 1e6,
            v >> 162,
            source,
            None if speed == 1023 else speed / 10.0,
            None if course >= 3600 else course / 10.0,
            None if heading >= 360 else float(heading),
            (v >> 126) & 15,
            _A,
            bool((v >> 107) & 1),
        ),
    )


def type_18(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a standard class B position report (type 18; 168 bits)."""
    lon = (v >> 83) & 0xFFFFFFF
    lat = (v >> 56) & 0x7FFFFFF
    if lon & 0x8000000:
        lon -= 0x10000000
    if lat & 0x4000000:
        lat -= 0x8000000
    if not (-_LON_MAX <= lon <= _LON_MAX and -_LAT_MAX <= lat <= _LAT_MAX):
        return ()
    speed = (v >> 112) & 1023
    course = (v >> 44) & 4095
    heading = (v >> 35) & 511
    return (
        new_position(
            (v >> 130) & 0x3FFFFFFF,
            time,
            ((10 * lon + 3) // 6) / 1e6,
            ((10 * lat + 3) // 6) / 1e6,
            18,
            source,
            None if speed == 1023 else speed / 10.0,
            None if course >= 3600 else course / 10.0,
            None if heading >= 360 else float(heading),
            None,
            _B,
            bool((v >> 111) & 1),
        ),
    )


def type_4(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a base station report (type 4; 168 bits) into its position."""
    pos = _lonlat((v >> 61) & 0xFFFFFFF, (v >> 34) & 0x7FFFFFF)
    if pos is None:
        return ()
    return (
        PositionReport(
            (v >> 130) & 0x3FFFFFFF,
            time,
            pos[0],
            pos[1],
            4,
            source,
            ais_class=AisClass.BASE,
            accuracy=bool((v >> 89) & 1),
        ),
    )


def type_9(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a SAR aircraft position report (type 9; 168 bits; speed in whole knots)."""
    pos = _lonlat((v >> 79) & 0xFFFFFFF, (v >> 52) & 0x7FFFFFF)
    if pos is None:
        return ()
    speed = (v >> 108) & 1023
    return (
        PositionReport(
            (v >> 130) & 0x3FFFFFFF,
            time,
            pos[0],
            pos[1],
            9,
            source,
            sog_kn=None if speed == 1023 else float(speed),
            cog_deg=_cog((v >> 40) & 4095),
            ais_class=AisClass.SAR,
            accuracy=bool((v >> 107) & 1),
        ),
    )


def type_27(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a long-range position report (type 27; 96 bits; 1/10 minute positions)."""
    lon_raw = (v >> 34) & 0x3FFFF
    lat_raw = (v >> 17) & 0x1FFFF
    if lon_raw & 0x20000:
        lon_raw -= 0x40000
    if lat_raw & 0x10000:
        lat_raw -= 0x20000
    if not (-180 * 600 <= lon_raw <= 180 * 600 and -90 * 600 <= lat_raw <= 90 * 600):
        return ()
    speed = (v >> 11) & 63
    course = (v >> 2) & 511
    return (
        PositionReport(
            (v >> 58) & 0x3FFFFFFF,
            time,
            ((10000 * lon_raw + 3) // 6) / 1e6,
            ((10000 * lat_raw + 3) // 6) / 1e6,
            27,
            source,
            sog_kn=None if speed == 63 else float(speed),
            cog_deg=None if course >= 360 else float(course),
            nav_status=(v >> 52) & 15,
            ais_class=_A,
            accuracy=bool((v >> 57) & 1),
        ),
    )


def _none_if_zero(value: int) -> int | None:
    return value if value else None


def _dim(value: int) -> float | None:
    return float(value) if value else None


def _str(value: str) -> str | None:
    return value or None


def eta_from_fields(
    month: int, day: int, hour: int, minute: int, time: datetime
) -> datetime | None:
    """Return the ETA as a UTC datetime, its year chosen near the receive ``time``.

    The ETA of type 5 carries no year. The year is that of the receive time, or the next
    one when the date would lie more than about six months in the past (an ETA in January
    sent in December). ``None`` when month, day, hour or minute is "not available" or the
    date does not exist.
    """
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60):
        return None
    year = time.year
    try:
        eta = datetime(year, month, day, hour, minute, tzinfo=UTC)
        if (time - eta).days > 183:
            eta = datetime(year + 1, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None
    return eta


# Static data repeats: a ship sends the same type 5 every six minutes. Decoded fields are kept
# by payload value (bounded), so a repeat costs a dictionary look-up.
_STATIC_CACHE: dict[int, tuple[object, ...]] = {}
_ETA_CACHE: dict[tuple[int, object], datetime | None] = {}
_CACHE_LIMIT = 50_000


def _eta(raw: int, time: datetime) -> datetime | None:
    key = (raw, time.date())
    try:
        return _ETA_CACHE[key]
    except KeyError:
        if len(_ETA_CACHE) >= _CACHE_LIMIT:
            _ETA_CACHE.clear()
        eta = eta_from_fields(raw >> 16, (raw >> 11) & 31, (raw >> 6) & 31, raw & 63, time)
        _ETA_CACHE[key] = eta
        return eta


def _type_5_fields(v: int) -> tuple[object, ...]:
    return (
        _str(text((v >> 192) & ((1 << 120) - 1), 20)),
        _str(text((v >> 312) & ((1 << 42) - 1), 7)),
        _none_if_zero((v >> 354) & 0x3FFFFFFF),
        _none_if_zero((v >> 184) & 255),
        _dim((v >> 175) & 511),
        _dim((v >> 166) & 511),
        _dim((v >> 160) & 63),
        _dim((v >> 154) & 63),
        _str(text((v >> 2) & ((1 << 120) - 1), 20)),
        (v >> 130) & 0xFFFFF,  # ETA month, day, hour, minute
        ((v >> 122) & 255) / 10.0 or None,
    )


def type_5(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode static and voyage data (type 5; 424 bits)."""
    cached = _STATIC_CACHE.get(v)
    if cached is None:
        if len(_STATIC_CACHE) >= _CACHE_LIMIT:
            _STATIC_CACHE.clear()
        cached = _STATIC_CACHE[v] = _type_5_fields(v)
    name, callsign, imo, ship_type, bow, stern, port, starboard, dest, eta, draught = cached
    return (
        new_static(
            (v >> 386) & 0x3FFFFFFF,
            time,
            5,
            source,
            name,
            callsign,
            imo,
            ship_type,
            bow,
            stern,
            port,
            starboard,
            dest,
            _eta(eta, time),  # type: ignore[arg-type]
            draught,
            _A,
        ),
    )


def type_24(v: int, bits: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a class B static data report (type 24, part A 160 bits or part B 168 bits).

    Unlike the others this takes the payload at its received length, as the two parts
    differ. Part B of an auxiliary craft (MMSI 98xxxxxxx) carries the mother ship's MMSI
    instead of dimensions.
    """
    v = v << (168 - bits) if bits < 168 else v >> (bits - 168)
    mmsi = (v >> 130) & 0x3FFFFFFF
    cached = _STATIC_CACHE.get(v)
    if cached is None:
        if len(_STATIC_CACHE) >= _CACHE_LIMIT:
            _STATIC_CACHE.clear()
        cached = _STATIC_CACHE[v] = _type_24_fields(v, mmsi)
    if not cached:
        return ()
    name, callsign, ship_type, bow, stern, port, starboard = cached
    return (
        new_static(
            mmsi,
            time,
            24,
            source,
            name,
            callsign,
            None,
            ship_type,
            bow,
            stern,
            port,
            starboard,
            None,
            None,
            None,
            _B,
        ),
    )


def _type_24_fields(v: int, mmsi: int) -> tuple[object, ...]:
    """(name, callsign, ship type, bow, stern, port, starboard) of part A or B; () else."""
    part = (v >> 128) & 3
    if part == 0:
        return (_str(text((v >> 8) & ((1 << 120) - 1), 20)), None, None, None, None, None, None)
    if part != 1:
        return ()
    if 980_000_000 <= mmsi < 990_000_000:  # auxiliary craft: the mother ship's MMSI instead
        dims: tuple[float | None, ...] = (None, None, None, None)
    else:
        dims = (
            _dim((v >> 27) & 511),
            _dim((v >> 18) & 511),
            _dim((v >> 12) & 63),
            _dim((v >> 6) & 63),
        )
    return (
        None,
        _str(text((v >> 36) & ((1 << 42) - 1), 7)),
        _none_if_zero((v >> 120) & 255),
        *dims,
    )


def type_19(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode an extended class B report (type 19; 312 bits): position and static data."""
    head = v >> 144  # the first 168 bits share the layout of type 18
    mmsi = (head >> 130) & 0x3FFFFFFF
    static = StaticReport(
        mmsi,
        time,
        19,
        source,
        name=_str(text((v >> 49) & ((1 << 120) - 1), 20)),
        ship_type=_none_if_zero((v >> 41) & 255),
        to_bow_m=_dim((v >> 32) & 511),
        to_stern_m=_dim((v >> 23) & 511),
        to_port_m=_dim((v >> 17) & 63),
        to_starboard_m=_dim((v >> 11) & 63),
        ais_class=_B,
    )
    pos = type_18(head, time, source)
    if not pos:
        return (static,)
    p = pos[0]
    assert isinstance(p, PositionReport)
    return (
        PositionReport(
            p.mmsi,
            time,
            p.lon,
            p.lat,
            19,
            source,
            p.sog_kn,
            p.cog_deg,
            p.heading_deg,
            None,
            _B,
            p.accuracy,
        ),
        static,
    )


def name_extension(v: int, bits: int) -> str:
    """Return the name extension of a type 21 payload of ``bits`` bits, or "".

    As gpsd, the whole characters after bit 272 extend the name only when the 20-character
    name field is full (holds no ``@`` padding); otherwise those bits are filler.
    """
    chars = (bits - 272) // 6 if bits > 272 else 0
    if chars <= 0:
        return ""
    name = text((v >> (bits - 163)) & ((1 << 120) - 1), 20, strip=False)
    if len(name) < 20:
        return ""
    extension = text((v >> (bits - 272 - 6 * chars)) & ((1 << (6 * chars)) - 1), chars, False)
    return extension.rstrip()


def type_21(v: int, bits: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode an aid-to-navigation report (type 21; 272 bits and a name extension).

    Takes the payload at its received length: the name extension (up to 14 characters after
    bit 272) is appended to the name, as gpsd does.
    """
    extension = name_extension(v, bits)
    v = v >> (bits - 272) if bits >= 272 else v << (272 - bits)
    mmsi = (v >> 234) & 0x3FFFFFFF
    name = text((v >> 109) & ((1 << 120) - 1), 20) + extension
    static = StaticReport(
        mmsi,
        time,
        21,
        source,
        name=_str(name),
        to_bow_m=_dim((v >> 44) & 511),
        to_stern_m=_dim((v >> 35) & 511),
        to_port_m=_dim((v >> 29) & 63),
        to_starboard_m=_dim((v >> 23) & 63),
        ais_class=AisClass.ATON,
    )
    pos = _lonlat((v >> 80) & 0xFFFFFFF, (v >> 53) & 0x7FFFFFF)
    if pos is None:
        return (static,)
    return (
        PositionReport(
            mmsi,
            time,
            pos[0],
            pos[1],
            21,
            source,
            ais_class=AisClass.ATON,
            accuracy=bool((v >> 108) & 1),
        ),
        static,
    )


FAST: dict[int, FastDecoder] = {
    1: type_1_2_3,
    2: type_1_2_3,
    3: type_1_2_3,
    4: type_4,
    5: type_5,
    9: type_9,
    18: type_18,
    19: type_19,
    27: type_27,
}
"""Fixed-layout decoders by message type (types 21 and 24 take the length too)."""
