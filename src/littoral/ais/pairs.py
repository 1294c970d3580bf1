r"""The vectorised pairs: type 5 messages in two sentences on consecutive lines, with numpy.

A ship's static and voyage data (type 5, 424 bits) comes in two sentences, usually one after
the other: ``!AIVDM,2,1,S,C,<P1>,0*hh`` then ``!AIVDM,2,2,S,C,<P2>,2*hh``, 71 payload
characters in all, each perhaps behind a tag block (``g:1-2-ID,s:STATION,c:SECONDS`` on the
first, ``g:2-2-ID`` on the second, as NMEA 4.10 groups go). For a whole batch, this module
finds those pairs (checksums already verified), reads their tag blocks when they have one of
the usual forms, checks the fields the decoder's per-pair path checks, and turns the two
payloads into one integer per pair. What is left per pair is the assembler's say (whether the
pair may skip it: :meth:`littoral.ais.assembly.Assembler.can_bypass`, in line order) and the
record, in the decoder's loop.

Pairs that do not fit exactly (other types, lengths or fill bits, USCG trailing fields,
another form of tag block, characters outside the armouring) are left to the per-pair and
line-by-line paths; ``tests/unit/ais`` checks the paths give identical results.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from littoral.ais.checksums import BatchScan
from littoral.ais.lane import _SIXBIT

PAYLOAD_CHARS = 71
"""Payload characters of a type 5 of 424 bits (with 2 fill bits)."""

TAG_WIDTH = 64
"""Longest tag block body (between the backslash and ``*hh``) read here."""

NO_TAG = 0
"""Tag kind: the line has no tag block."""
GROUP_ONLY = 1
"""Tag kind: ``g:N-T-ID`` alone (no time, no station)."""
TIMED = 2
"""Tag kind: ``[g:N-T-ID,][s:STATION,]c:SECONDS`` (ten digits)."""
OTHER = -1
"""Tag kind: another form (or a bad tag block): left to the per-line path."""

_BYTES = np.frombuffer(b"!$,VDMO*:cgs-", dtype=np.uint8)
_BANG, _DOLLAR, _COMMA, _V, _D, _M, _O, _STAR, _COLON, _C, _G, _S, _DASH = _BYTES.tolist()
_ZERO, _NINE = ord("0"), ord("9")
_IS_DIGIT, _IS_DASH, _IS_COMMA = 1, 2, 4
_KINDS = np.zeros(256, dtype=np.uint8)
"""What each byte is, for the tag block checks."""
_KINDS[_ZERO : _NINE + 1] = _IS_DIGIT
_KINDS[_DASH] = _IS_DASH
_KINDS[_COMMA] = _IS_COMMA


@dataclass(frozen=True, slots=True)
class Pairs:
    """The pairs of a batch: the first line of each and what was read of both lines.

    Positions (``*_at``) are relative to the line; ``station*_at`` is -1 where the line has
    no station, ``seconds*`` -1 where its tag block carries no time.
    """

    rows: npt.NDArray[np.int64]
    """The first line of each pair (the second is the next line)."""
    kind1: npt.NDArray[np.int64]
    kind2: npt.NDArray[np.int64]
    seconds1: npt.NDArray[np.int64]
    seconds2: npt.NDArray[np.int64]
    station1_at: npt.NDArray[np.int64]
    station1_end: npt.NDArray[np.int64]
    station2_at: npt.NDArray[np.int64]
    station2_end: npt.NDArray[np.int64]
    formatter_at: npt.NDArray[np.int64]
    """Where the formatter with its talker (``AIVDM``, five characters) starts in line 1."""
    seq_at: npt.NDArray[np.int64]
    seq_end: npt.NDArray[np.int64]
    channel_end: npt.NDArray[np.int64]
    """The channel of line 1 is ``seq_end + 1 .. channel_end``."""
    values: list[int]
    """The 424-bit payload of each pair as an integer."""
    key_codes: npt.NDArray[np.int64]
    """Formatter, sequence id and channel of each pair as one number (equal for equal ones)."""


def _empty() -> Pairs:
    none = np.zeros(0, dtype=np.int64)
    n = none
    return Pairs(n, n, n, n, n, n, n, n, n, n, n, n, n, [], n)


_PAD = 128  # (at least TAG_WIDTH and PAYLOAD_CHARS)


def _padded(data: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    padded = np.zeros(data.size + _PAD, dtype=np.uint8)
    padded[: data.size] = data
    return padded


def _windows(
    padded: npt.NDArray[np.uint8], at: npt.NDArray[np.int64], width: int
) -> npt.NDArray[np.uint8]:
    """Return the ``width`` bytes from each of ``at`` (zeros past the data), one row each."""
    return sliding_window_view(padded[: padded.size - _PAD + width], width)[at]


def tag_kinds(
    scan: BatchScan, rows: npt.NDArray[np.int64], padded: npt.NDArray[np.uint8] | None = None
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]
]:
    r"""Read the tag blocks of ``rows`` that have one of the forms of a group's sentences.

    Return ``(kind, seconds, station_at, station_end)`` per row: :data:`NO_TAG`,
    :data:`GROUP_ONLY`, :data:`TIMED` or :data:`OTHER`; the ``c:`` Unix seconds (-1 when
    none); where the ``s:`` station lies in the line (-1 when none). The forms are those
    :class:`littoral.ais.tagblock.TagReader` reads to the same time and station: a group
    ``g:N-T-ID`` (two dashes, digits) alone, or ``[g:N-T-ID,][s:STATION,]c:SECONDS`` with
    ten digits and no comma in the station. A tag block whose checksum is wrong is OTHER.
    ``padded`` is ``scan.data`` followed by zeros, when the caller has made it.
    """
    m = rows.size
    kind = np.full(m, OTHER, dtype=np.int64)
    seconds = np.full(m, -1, dtype=np.int64)
    station_at = np.full(m, -1, dtype=np.int64)
    station_end = np.full(m, -1, dtype=np.int64)
    data = scan.data
    close = scan.close_array[rows]
    starts_slash = data[scan.offsets[rows]] == ord("\\")
    kind[~starts_slash & (close < 0)] = NO_TAG
    length = close - 4  # the body: text[1:close - 3]
    tagged = np.flatnonzero(
        (close >= 0) & scan.tag_ok_array[rows] & (length >= 5) & (length <= TAG_WIDTH)
    )
    if tagged.size == 0:
        return kind, seconds, station_at, station_end
    length = length[tagged]
    first = scan.offsets[rows[tagged]] + 1  # the body's first character
    width = int(length.max())
    places = np.arange(width)
    inside = places < length[:, None]
    if padded is None:
        padded = _padded(data)
    body = _windows(padded, first, width)
    kinds = _KINDS[body]
    kinds[~inside] = 0
    comma = kinds == _IS_COMMA
    commas = comma.sum(axis=1)
    first_comma = np.where(commas > 0, comma.argmax(axis=1), length)
    # a group g:N-T-ID up to the first comma (or the end): digits and two dashes
    in_group = (places >= 2) & (places < first_comma[:, None])
    group = (body[:, 0] == _G) & (body[:, 1] == _COLON) & (first_comma >= 5)
    group &= ((kinds == _IS_DASH) & in_group).sum(axis=1) == 2
    group &= ~(in_group & ((kinds & (_IS_DIGIT | _IS_DASH)) == 0)).any(axis=1)
    kind_t = np.full(tagged.size, OTHER, dtype=np.int64)
    kind_t[group & (commas == 0)] = GROUP_ONLY
    # ...,c:SECONDS at the end: ten digits, "c:" before them, a comma before that (or nothing)
    end = first + length
    last = _windows(padded, np.maximum(end - 12, 0), 12)
    timed = (length >= 12) & (last[:, 0] == _C) & (last[:, 1] == _COLON)
    timed &= (_KINDS[last[:, 2:]] == _IS_DIGIT).all(axis=1)
    alone = length == 12
    timed &= alone | (padded[np.maximum(end - 13, 0)] == _COMMA)
    # what comes before ",c:": nothing, g:GROUP, s:STATION or g:GROUP,s:STATION
    prefix_commas = commas - (~alone).astype(np.int64)
    led_s = (body[:, 0] == _S) & (body[:, 1] == _COLON)
    s_after_group = padded[first + first_comma + 1] == _S
    s_after_group &= padded[first + first_comma + 2] == _COLON
    just_group = group & (prefix_commas == 0)
    group_station = group & (prefix_commas == 1) & s_after_group
    just_station = led_s & (prefix_commas == 0)
    timed &= alone | just_group | group_station | just_station
    kind_t[timed] = TIMED
    digits = last[:, 2:].astype(np.int64) - _ZERO
    secs = digits @ (10 ** np.arange(9, -1, -1, dtype=np.int64))
    at = np.where(just_station, 3, first_comma + 4)  # (line = body + 1)
    has_station = timed & ~alone & (just_station | group_station)
    kind[tagged] = kind_t
    seconds[tagged] = np.where(timed, secs, -1)
    station_at[tagged] = np.where(has_station, at, -1)
    station_end[tagged] = np.where(has_station, length - 12, -1)  # the comma before "c:"
    return kind, seconds, station_at, station_end


def _field_end(data: npt.NDArray[np.uint8], at: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Where a field of at most one character that starts at ``at`` ends (its comma); -1 else."""
    here = data[np.minimum(at, data.size - 1)] == _COMMA
    next_ = data[np.minimum(at + 1, data.size - 1)] == _COMMA
    return np.where(here, at, np.where(next_, at + 1, -1))


def find_pairs(scan: BatchScan, taken: npt.NDArray[np.bool_]) -> Pairs:
    """Find and read the type 5 pairs of a batch; ``taken`` marks the lines the lane took."""
    n = len(scan.star)
    if n < 2:
        return _empty()
    data = scan.data
    offsets = scan.offsets
    start = offsets + scan.close_array + 1  # the "!" of each sentence
    # the line ends with "*hh" (no USCG trailer): its last "*" (of a sentence_ok line) is there
    star = scan.lengths - 3
    # fragment 1 of 2, then fragment 2 of 2 on the next line, neither taken by the lane
    last = data.size - 1
    total = data[np.minimum(start + 7, last)] == ord("2")
    total &= scan.sentence_ok_array & ~taken & (data[np.maximum(offsets + star, 0)] == _STAR)
    number = data[np.minimum(start + 9, last)]
    rows = np.flatnonzero(total[:-1] & total[1:] & (number[:-1] == ord("1")))
    rows = rows[number[rows + 1] == ord("2")]
    if rows.size == 0:
        return _empty()
    nxt = rows + 1
    padded = _padded(data)
    head = _windows(padded, start[rows], 11)
    head2 = _windows(padded, start[nxt], 11)
    same = np.ones(rows.size, dtype=bool)
    for h in (head, head2):
        same &= (h[:, 0] == _BANG) | (h[:, 0] == _DOLLAR)
        same &= (h[:, 1] != _COMMA) & (h[:, 2] != _COMMA)
        same &= (h[:, 3] == _V) & (h[:, 4] == _D) & ((h[:, 5] == _M) | (h[:, 5] == _O))
        same &= (h[:, 6] == _COMMA) & (h[:, 8] == _COMMA) & (h[:, 10] == _COMMA)
    # the same formatter (talker included), sequence id and channel on both lines
    same &= (head[:, 1:6] == head2[:, 1:6]).all(axis=1)
    seq1, seq2 = _field_end(data, start[rows] + 11), _field_end(data, start[nxt] + 11)
    channel1, channel2 = _field_end(data, seq1 + 1), _field_end(data, seq2 + 1)
    same &= (seq1 >= 0) & (channel1 >= 0) & (seq2 >= 0) & (channel2 >= 0)
    same &= (seq1 - start[rows]) == (seq2 - start[nxt])
    same &= (channel1 - seq1) == (channel2 - seq2)
    same &= (seq1 == start[rows] + 11) | (
        data[np.minimum(start[rows] + 11, last)] == data[np.minimum(start[nxt] + 11, last)]
    )
    same &= (channel1 == seq1 + 1) | (
        data[np.minimum(seq1 + 1, last)] == data[np.minimum(seq2 + 1, last)]
    )
    # payloads: between the channel's comma and ",F*hh"; 71 characters in all, F of line 2 "2"
    begin1, begin2 = channel1 + 1, channel2 + 1
    end1, end2 = offsets[rows] + star[rows] - 2, offsets[nxt] + star[nxt] - 2
    same &= (data[end1] == _COMMA) & (data[end2] == _COMMA)
    same &= (data[end1 + 1] != _COMMA) & (data[end2 + 1] == ord("2"))
    length1 = end1 - begin1
    same &= (length1 >= 0) & (end2 >= begin2) & (length1 + end2 - begin2 == PAYLOAD_CHARS)
    code = np.zeros(rows.size, dtype=np.int64)
    for column in range(1, 6):
        code = (code << 8) | head[:, column]
    # a one-character field as its byte + 1, an empty one as 0
    seq_byte = np.where(seq1 > start[rows] + 11, padded[seq1 - 1].astype(np.int64) + 1, 0)
    channel_byte = np.where(channel1 > seq1 + 1, padded[channel1 - 1].astype(np.int64) + 1, 0)
    code = (code << 18) | (seq_byte << 9) | channel_byte
    kind1, seconds1, station1_at, station1_end = tag_kinds(scan, rows, padded)
    kind2, seconds2, station2_at, station2_end = tag_kinds(scan, nxt, padded)
    same &= (kind1 != OTHER) & (kind2 != OTHER)
    keep = np.flatnonzero(same)
    if keep.size == 0:
        return _empty()
    rows, begin1, begin2, length1 = rows[keep], begin1[keep], begin2[keep], length1[keep]
    codes = np.empty((rows.size, PAYLOAD_CHARS), dtype=np.uint8)
    # the distinct places, nearly always one or two (by counting: np.unique would import
    # numpy.ma on its first call, 20 ms of a decode worker's first batch)
    for split in np.flatnonzero(np.bincount(length1)).tolist():
        these = np.flatnonzero(length1 == split)
        if split:
            codes[these, :split] = _windows(padded, begin1[these], split)
        if split < PAYLOAD_CHARS:
            codes[these, split:] = _windows(padded, begin2[these], PAYLOAD_CHARS - split)
    six = _SIXBIT[codes]
    good = (six != 255).all(axis=1) & (six[:, 0] == 5)
    good_rows = np.flatnonzero(good)
    keep, rows, six = keep[good_rows], rows[good_rows], six[good_rows]
    if rows.size == 0:
        return _empty()
    # 71 characters and a zero one: 18 groups of four characters, three bytes each
    quads = np.concatenate([six, np.zeros((rows.size, 1), dtype=np.uint8)], axis=1)
    quads = quads.reshape(rows.size, 18, 4)
    packed = np.empty((rows.size, 18, 3), dtype=np.uint8)
    packed[:, :, 0] = (quads[:, :, 0] << 2) | (quads[:, :, 1] >> 4)
    packed[:, :, 1] = ((quads[:, :, 1] & 15) << 4) | (quads[:, :, 2] >> 2)
    packed[:, :, 2] = ((quads[:, :, 2] & 3) << 6) | quads[:, :, 3]
    raw = packed.tobytes()
    from_bytes = int.from_bytes
    values = [from_bytes(raw[k : k + 54], "big") >> 8 for k in range(0, len(raw), 54)]
    offsets_rows = offsets[rows]
    return Pairs(
        rows,
        kind1[keep],
        kind2[keep],
        seconds1[keep],
        seconds2[keep],
        station1_at[keep],
        station1_end[keep],
        station2_at[keep],
        station2_end[keep],
        start[rows] + 1 - offsets_rows,
        start[rows] + 11 - offsets_rows,
        seq1[keep] - offsets_rows,
        channel1[keep] - offsets_rows,
        values,
        code[keep],
    )
