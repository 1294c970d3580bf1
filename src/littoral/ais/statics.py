"""Hand-written decoders of static data: types 5, 24, 19 and 21.

Same conventions as :mod:`littoral.ais.fastpath` (ITU-R M.1371-5 Annex 8 layouts, agreement
with pyais tested field by field). Text ends at the first ``@``; zero dimensions, IMO,
ship type and draught are "not available" and become ``None``. Static messages repeat (a
ship sends the same type 5 every six minutes), so decoded fields are kept by payload value
in a bounded cache and a repeat costs a dictionary look-up.
"""

from __future__ import annotations

from datetime import UTC, datetime

from littoral.ais.constructors import new_static
from littoral.ais.fastpath import Record, lonlat, type_18
from littoral.ais.sixbit import text
from littoral.records.reports import AisClass, PositionReport, StaticReport

_A = AisClass.A
_B = AisClass.B


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
    pos = lonlat((v >> 80) & 0xFFFFFFF, (v >> 53) & 0x7FFFFFF)
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
