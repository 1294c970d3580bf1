"""The vectorised lane: single-sentence position reports of a batch decoded with numpy.

Most lines of a feed are one-sentence class A or B position reports (or base station reports)
of 168 bits:
``!AIVDM,1,1,,A,<28 characters>,0*hh``, perhaps behind a tag block. For a whole batch, this
module finds those lines (fixed layout after the tag block, checksum already verified),
turns their payloads into three integer words per line and cuts the fields out with vector
shifts (offsets and widths from the one table of :mod:`littoral.ais.layout`), with the same
scaling and rounding. What is left per line is building the record, in the decoder's loop,
once the receive time is known.

Lines that do not fit exactly (other types, other lengths, fill bits, trailing USCG fields,
a "not available" position) go through the ordinary path; ``tests/unit/ais`` checks both
paths give identical records. The two sentences of a type 5 have a lane of their own,
:mod:`littoral.ais.pairs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from littoral.ais.checksums import BatchScan
from littoral.ais.layout import BASE_STATION, CLASS_A, CLASS_B
from littoral.records.reports import AisClass

LaneFields = tuple[
    int, float, float, int, float | None, float | None, float | None, int | None, AisClass, bool
]
"""(mmsi, lon, lat, msg_type, sog_kn, cog_deg, heading_deg, nav_status, ais_class, accuracy)."""

SENTENCE_LEN = 47
"""Length of ``!AIVDM,1,1,,A,<28>,0*hh``."""

_SIXBIT = np.full(256, 255, dtype=np.uint8)
_SIXBIT[48:88] = np.arange(40, dtype=np.uint8)
_SIXBIT[96:120] = np.arange(40, 64, dtype=np.uint8)

# (column, required byte) of the fixed layout
_FIXED = [
    (0, ord("!")),
    (3, ord("V")),
    (4, ord("D")),
    (6, ord(",")),
    (7, ord("1")),
    (8, ord(",")),
    (9, ord("1")),
    (10, ord(",")),
    (11, ord(",")),
    (13, ord(",")),
    (42, ord(",")),
    (43, ord("0")),
    (44, ord("*")),
]
_WORD_BITS = (60, 60, 48)  # 168 bits as three words of 10, 10 and 8 characters
_TYPES = np.array([*CLASS_A.types, *CLASS_B.types, *BASE_STATION.types], dtype=np.uint64)
_LON_MAX = round(180 / CLASS_A["lon"].scale)
_LAT_MAX = round(90 / CLASS_A["lat"].scale)
_TENTHS = round(1 / CLASS_A["speed"].scale)
_CLASSES = np.array([AisClass.A, AisClass.B, AisClass.BASE], dtype=object)
"""The class of a position by ``is_b + 2 * is_base``."""


def _code(value: int | None) -> int:
    if value is None:
        raise ValueError("the class A layout lacks a 'not available' code the lane needs")
    return value


# Class A and B share scale, width and codes of these fields (tests/unit/ais checks it), so
# the lane decodes both in one column each.
_SPEED_NA = _code(CLASS_A["speed"].not_available)
_COURSE_VALID_BELOW = _code(CLASS_A["course"].valid_below)
_HEADING_VALID_BELOW = _code(CLASS_A["heading"].valid_below)


def _field(words: list[npt.NDArray[np.uint64]], offset: int, width: int) -> npt.NDArray[np.int64]:
    """Bits ``offset .. offset + width`` of every payload, as unsigned integers."""
    k, start = 0, offset
    while start >= _WORD_BITS[k]:
        start -= _WORD_BITS[k]
        k += 1
    end = start + width
    if end <= _WORD_BITS[k]:
        value = (words[k] >> np.uint64(_WORD_BITS[k] - end)) & np.uint64((1 << width) - 1)
    else:
        low_bits = end - _WORD_BITS[k]
        high = words[k] & np.uint64((1 << (_WORD_BITS[k] - start)) - 1)
        low = words[k + 1] >> np.uint64(_WORD_BITS[k + 1] - low_bits)
        value = (high << np.uint64(low_bits)) | low
    return value.astype(np.int64)


def _signed(raw: npt.NDArray[np.int64], width: int) -> npt.NDArray[np.int64]:
    return np.where(raw >= (1 << (width - 1)), raw - (1 << width), raw)


def _or_none(values: npt.NDArray[np.float64], missing: npt.NDArray[np.bool_]) -> list[object]:
    out = values.astype(object)
    out[missing] = None
    return out.tolist()  # type: ignore[no-any-return]


@dataclass(slots=True)
class Lane:
    """The lines of a batch the lane took, decoded.

    ``index[i]`` is -1 for a line outside the position lane, else the place of its decoded
    fields in ``fields``. ``static_rows`` are the lines holding a one-sentence type 24 of
    168 bits, ``static_values`` their payloads as integers (decoded by
    :func:`littoral.ais.statics.type_24`, which caches repeats).
    """

    index: list[int]
    rows: list[int] = field(default_factory=list)
    """The lines of the positions, in order (``index[rows[j]] == j``)."""
    columns: tuple[list[Any], ...] = field(default_factory=lambda: tuple([] for _ in range(10)))
    """The fields of :data:`LaneFields` as ten columns, one value per position."""
    static_rows: list[int] = field(default_factory=list)
    static_values: list[int] = field(default_factory=list)

    @property
    def fields(self) -> list[LaneFields]:
        """The decoded fields of each position, one tuple each."""
        return list(zip(*self.columns, strict=True))


def position_lane(scan: BatchScan) -> tuple[list[int], list[LaneFields]]:
    """Return ``(index, fields)`` of :func:`decode_lane`."""
    lane = decode_lane(scan)
    return lane.index, lane.fields


def decode_lane(scan: BatchScan) -> Lane:
    """Find and decode the lane's lines of a batch."""
    n = len(scan.star)
    index = [-1] * n
    lane = Lane(index)
    if n == 0:
        return lane
    close = scan.close_array
    start = close + 1  # first character of the sentence ("!")
    ok = scan.sentence_ok_array.copy()
    has_tag = close >= 0
    ok &= ~has_tag | scan.tag_ok_array
    ok &= (scan.lengths - start) == SENTENCE_LEN
    if scan.line_ascii is not None:
        # a character beyond latin-1 stands as "?" in the scan, a valid payload character:
        # such lines go the plain way, which refuses a payload that is not ASCII
        ok &= scan.line_ascii
    rows = np.flatnonzero(ok)
    if rows.size == 0:
        return lane
    base = scan.offsets[rows] + start[rows]
    sentence = scan.data[base[:, None] + np.arange(SENTENCE_LEN)]
    keep = np.ones(rows.size, dtype=bool)
    for column, byte in _FIXED:
        keep &= sentence[:, column] == byte
    keep &= (sentence[:, 5] == ord("M")) | (sentence[:, 5] == ord("O"))
    for column in (1, 2, 12):
        keep &= sentence[:, column] != ord(",")
    six = _SIXBIT[sentence[:, 14:42]]
    keep &= (six != 255).all(axis=1)
    rows, six = rows[keep], six[keep].astype(np.uint64)
    if rows.size == 0:
        return lane
    words = []
    first = 0
    for bits in _WORD_BITS:
        chars = bits // 6
        word = np.zeros(rows.size, dtype=np.uint64)
        for j in range(chars):
            word = (word << np.uint64(6)) | six[:, first + j]
        words.append(word)
        first += chars
    kind = CLASS_A["msg_type"]
    msg_type = _field(words, kind.offset, kind.width)
    statics = np.flatnonzero(msg_type == 24)
    if statics.size:
        lane.static_rows = rows[statics].tolist()
        lane.static_values = [
            (a << 108) | (b << 48) | c
            for a, b, c in zip(
                words[0][statics].tolist(),
                words[1][statics].tolist(),
                words[2][statics].tolist(),
                strict=True,
            )
        ]
    is_b = msg_type == CLASS_B.types[0]
    is_base = msg_type == BASE_STATION.types[0]

    def both(name: str) -> npt.NDArray[np.int64]:  # the same field of class A and B reports
        a, b = CLASS_A[name], CLASS_B[name]
        raw = np.where(is_b, _field(words, b.offset, b.width), _field(words, a.offset, a.width))
        return _signed(raw, a.width) if a.signed else raw

    def all_three(name: str) -> npt.NDArray[np.int64]:  # and of base station reports
        base = BASE_STATION[name]
        raw = _field(words, base.offset, base.width)
        return np.where(is_base, _signed(raw, base.width) if base.signed else raw, both(name))

    lon = all_three("lon")
    lat = all_three("lat")
    usable = np.isin(msg_type, _TYPES.astype(np.int64))
    usable &= (np.abs(lon) <= _LON_MAX) & (np.abs(lat) <= _LAT_MAX)
    rows = rows[usable]
    if rows.size == 0:
        return lane

    speed = both("speed")[usable]
    course = both("course")[usable]
    heading = both("heading")[usable]
    accuracy = all_three("accuracy")[usable]
    status_field, mmsi_field = CLASS_A["status"], CLASS_A["mmsi"]
    status = _field(words, status_field.offset, status_field.width)[usable]
    mmsi = _field(words, mmsi_field.offset, mmsi_field.width)[usable]
    is_b = is_b[usable]
    is_base = is_base[usable]
    msg_type = msg_type[usable]
    lon, lat = lon[usable], lat[usable]
    status_list = status.astype(object)
    status_list[is_b | is_base] = None
    classes = _CLASSES[is_b.astype(np.intp) + 2 * is_base].tolist()  # (members, not str)
    lane.columns = (
        mmsi.tolist(),
        (((10 * lon + 3) // 6) / 1e6).tolist(),
        (((10 * lat + 3) // 6) / 1e6).tolist(),
        msg_type.tolist(),
        _or_none(speed / _TENTHS, (speed == _SPEED_NA) | is_base),
        _or_none(course / _TENTHS, (course >= _COURSE_VALID_BELOW) | is_base),
        _or_none(heading.astype(np.float64), (heading >= _HEADING_VALID_BELOW) | is_base),
        status_list.tolist(),
        classes,
        (accuracy == 1).tolist(),
    )
    lane.rows = rows.tolist()
    where = np.full(n, -1, dtype=np.int64)
    where[rows] = np.arange(rows.size)
    lane.index = where.tolist()
    return lane


def leading_seconds(scan: BatchScan, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    r"""Return the ``c:`` seconds of tag blocks that open with them: ``\c:SECONDS,...*hh\``.

    For each row: the ten-digit Unix seconds of a tag block in a provider's order (time
    first, other fields after it), else -1. What follows the time is the caller's to check.
    """
    out = np.full(rows.size, -1, dtype=np.int64)
    close = scan.close_array[rows]
    tagged = np.flatnonzero(close >= 14 + 3)  # "\c:" ten digits "," then "*hh"
    if tagged.size == 0:
        return out
    data = scan.data
    begin = scan.offsets[rows[tagged]]  # the opening backslash
    digits = data[(begin + 3)[:, None] + np.arange(10)]
    ok = ((digits >= ord("0")) & (digits <= ord("9"))).all(axis=1)
    ok &= (data[begin + 1] == ord("c")) & (data[begin + 2] == ord(":"))
    ok &= data[begin + 13] == ord(",")
    powers = 10 ** np.arange(9, -1, -1, dtype=np.int64)
    seconds = (digits.astype(np.int64) - ord("0")) @ powers
    out[tagged[ok]] = seconds[ok]
    return out


def tag_seconds(scan: BatchScan, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    r"""Receive times of the usual tag blocks of lane lines, vectorised.

    For each row: its ``c:`` Unix seconds when the tag block is exactly ``\c:SECONDS*hh\``
    or ``\s:STATION,c:SECONDS*hh\`` (ten digits, no other field), -1 when the line has no
    tag block, -2 when its tag block has another form (to be read line by line).
    """
    out = np.full(rows.size, -2, dtype=np.int64)
    close = scan.close_array[rows]
    out[close < 0] = -1
    tagged = np.flatnonzero(close >= 13 + 3)
    if tagged.size == 0:
        return out
    data = scan.data
    begin = scan.offsets[rows[tagged]]  # the opening backslash
    star = begin + close[tagged] - 3  # the "*" of the tag block
    digits = data[star[:, None] - np.arange(10, 0, -1)]
    simple = ((digits >= ord("0")) & (digits <= ord("9"))).all(axis=1)
    simple &= (data[star - 12] == ord("c")) & (data[star - 11] == ord(":"))
    before = data[star - 13]
    alone = star - 13 == begin
    with_station = before == ord(",")
    with_station &= (data[begin + 1] == ord("s")) & (data[begin + 2] == ord(":"))
    commas = np.flatnonzero(data == ord(","))  # one comma between the station and c:
    inside = np.searchsorted(commas, star) - np.searchsorted(commas, begin + 1)
    with_station &= inside == 1
    simple &= alone | with_station
    powers = 10 ** np.arange(9, -1, -1, dtype=np.int64)
    seconds = (digits.astype(np.int64) - ord("0")) @ powers
    out[tagged[simple]] = seconds[simple]
    return out
