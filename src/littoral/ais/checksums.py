r"""NMEA checksums of a whole batch of lines at once, with numpy.

The NMEA checksum is the XOR of the characters between the leading ``!`` (or the ``\`` of a
tag block) and the ``*``. Done one line at a time in Python it costs about as much as the
rest of the decoding; here the lines of a batch are joined into one byte array whose prefix
XOR (taken over eight-byte words) gives the XOR of any range in two look-ups; the ``*`` and
``\`` of every line are found by searching the sorted positions of those characters, so a
line costs no Python at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_HEX = np.full(256, 256, dtype=np.int32)
for _i, _c in enumerate("0123456789ABCDEF"):
    _HEX[ord(_c)] = _i
    _HEX[ord(_c.lower())] = _i


_FIRST_BYTES = np.array([(1 << (8 * r)) - 1 for r in range(8)], dtype=np.uint64)
"""Masks of the first ``r`` bytes of a little-endian 64-bit word."""


class PrefixXor:
    """XOR of the first ``p`` bytes of an array, for many ``p`` at once.

    A running XOR over eight-byte words (eight times fewer steps than over the bytes), then
    for each ``p`` the words before it, the bytes of its own word before it, folded to one
    byte.
    """

    def __init__(self, data: npt.NDArray[np.uint8]) -> None:
        padded = np.zeros(data.size // 8 * 8 + 8, dtype=np.uint8)
        padded[: data.size] = data
        self._words = padded.view("<u8")
        self._before = np.zeros(self._words.size + 1, dtype=np.uint64)
        np.bitwise_xor.accumulate(self._words, out=self._before[1:])

    def at(self, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.uint8]:
        """XOR of ``data[:p]`` for each ``p`` of ``positions`` (0 <= p <= data.size)."""
        word, byte = np.divmod(positions, 8)
        x = self._before[word] ^ (self._words[word] & _FIRST_BYTES[byte])
        x ^= x >> np.uint64(32)
        x ^= x >> np.uint64(16)
        x ^= x >> np.uint64(8)
        return (x & np.uint64(0xFF)).astype(np.uint8)


def _verify(
    arr: npt.NDArray[np.uint8],
    acc: PrefixXor,
    offsets: npt.NDArray[np.int64],
    first: npt.NDArray[np.int64],
    star: npt.NDArray[np.int64],
    valid: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Check ``XOR(line[first:star]) == hex(line[star+1:star+3])`` for every valid line."""
    ok = valid.copy()
    if not ok.any():
        return ok
    first_a = first.copy()
    star_a = star.copy()
    first_a[~ok] = 0
    star_a[~ok] = 0
    start = offsets + first_a
    stop = offsets + star_a
    calc = acc.at(stop) ^ acc.at(start)
    high = _HEX[arr[np.minimum(stop + 1, arr.size - 1)]]
    low = _HEX[arr[np.minimum(stop + 2, arr.size - 1)]]
    ok &= calc == (high * 16 + low)
    return ok


@dataclass(frozen=True, slots=True)
class BatchScan:
    """What one vectorised pass over a batch of lines found.

    ``sentence_ok``, ``tag_ok``, ``star`` and ``close`` are per line (see
    :func:`batch_checksums`); ``data`` is the batch joined by newlines as bytes,
    ``offsets`` where each line starts in it and ``lengths`` the line lengths;
    ``sentence_ok_array``, ``tag_ok_array`` and ``close_array`` are the same as the lists, as
    arrays (the lane's steps read them so); ``ascii`` is True when every line is ASCII (else
    a character beyond latin-1 stands as ``?`` in ``data``), and ``line_ascii`` then tells
    which lines are (None when all are).
    """

    sentence_ok: list[bool]
    tag_ok: list[bool]
    star: list[int]
    close: list[int]
    data: npt.NDArray[np.uint8]
    offsets: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int64]
    sentence_ok_array: npt.NDArray[np.bool_]
    tag_ok_array: npt.NDArray[np.bool_]
    close_array: npt.NDArray[np.int64]
    ascii: bool = False
    line_ascii: npt.NDArray[np.bool_] | None = None


def scan_batch(texts: list[str]) -> BatchScan:
    """Check the sentence and tag-block checksums of many lines at once.

    Per line: whether the NMEA sentence checksum (``!...*hh``, the last ``*`` of the line)
    is right; whether the tag block checksum is right (False when there is no tag block);
    the index of that last ``*`` (-1 if none); the index of the backslash that closes the
    tag block (-1 if none).
    """
    empty = np.zeros(0, dtype=np.int64)
    if not texts:
        no = np.zeros(0, dtype=bool)
        return BatchScan([], [], [], [], np.zeros(0, dtype=np.uint8), empty, empty, no, no, empty)
    text = "\n".join(texts)
    joined = text.encode("latin-1", "replace")  # one byte per character
    arr = np.frombuffer(joined, dtype=np.uint8)
    length_a = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    offsets = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(length_a[:-1] + 1, out=offsets[1:])
    ends = offsets + length_a
    # the last "*" of each line, relative to the line (-1 if none)
    stars = np.flatnonzero(arr == ord("*"))
    last = np.searchsorted(stars, ends) - 1
    found = stars[np.maximum(last, 0)] if stars.size else np.zeros(len(texts), dtype=np.int64)
    star_a = np.where((last >= 0) & (found >= offsets), found - offsets, -1)
    # the backslash closing a tag block that opens the line (-1 if none)
    slashes = np.flatnonzero(arr == ord("\\"))
    if arr.size:
        opens = (length_a > 0) & (arr[np.minimum(offsets, arr.size - 1)] == ord("\\"))
    else:
        opens = np.zeros(len(texts), dtype=bool)
    nxt = np.searchsorted(slashes, offsets + 1)
    closing = slashes[np.minimum(nxt, slashes.size - 1)] if slashes.size else offsets
    close_a = np.where(opens & (nxt < slashes.size) & (closing < ends), closing - offsets, -1)
    # the tag block's own "*": the last one before the closing backslash
    before = np.searchsorted(stars, offsets + np.maximum(close_a, 0)) - 1
    found = stars[np.maximum(before, 0)] if stars.size else offsets
    tag_star_a = np.where((close_a > 0) & (before >= 0) & (found >= offsets), found - offsets, -1)
    # Sentence body: after "!" (and after the tag block when there is one) up to the "*".
    body_a = close_a + 2
    sentence_valid = (body_a <= star_a) & (star_a + 2 < length_a)
    tag_valid = (close_a > 0) & (tag_star_a + 3 == close_a)
    # acc.at(k) = XOR of arr[:k], so XOR of arr[a:b] is acc.at(b) ^ acc.at(a)
    acc = PrefixXor(arr)
    sentence_ok = _verify(arr, acc, offsets, body_a, star_a, sentence_valid)
    tag_ok = _verify(arr, acc, offsets, np.ones_like(offsets), tag_star_a, tag_valid)
    ascii = text.isascii()
    line_ascii = None if ascii else np.fromiter(map(str.isascii, texts), np.bool_, len(texts))
    return BatchScan(
        sentence_ok.tolist(), tag_ok.tolist(), star_a.tolist(), close_a.tolist(),
        arr, offsets, length_a, sentence_ok, tag_ok, close_a, ascii, line_ascii,
    )  # fmt: skip


def batch_checksums(texts: list[str]) -> tuple[list[bool], list[bool], list[int], list[int]]:
    """Return ``(sentence_ok, tag_ok, star, close)`` of :func:`scan_batch`."""
    scan = scan_batch(texts)
    return scan.sentence_ok, scan.tag_ok, scan.star, scan.close


def scan_lines(texts: list[str]) -> BatchScan:
    """Scan lines as :func:`scan_batch` does, one at a time in plain Python.

    The reference the vectorised scan is tested against, and the fallback should numpy
    ever fail on a batch.
    """
    close = [t.find("\\", 1) if t[:1] == "\\" else -1 for t in texts]
    star = [t.rfind("*") for t in texts]
    sentence_ok = []
    tag_ok = []
    for t, c, s in zip(texts, close, star, strict=True):
        sentence_ok.append(c + 2 <= s and s + 2 < len(t) and _hex_equals(t, c + 2, s))
        tag_star = t.rfind("*", 0, c) if c > 0 else -1
        tag_ok.append(c > 0 and tag_star + 3 == c and _hex_equals(t, 1, tag_star))
    empty = np.zeros(0, dtype=np.int64)
    return BatchScan(
        sentence_ok, tag_ok, star, close, np.zeros(0, dtype=np.uint8), empty, empty,
        np.array(sentence_ok, dtype=bool), np.array(tag_ok, dtype=bool),
        np.array(close, dtype=np.int64),
    )  # fmt: skip


def _hex_equals(text: str, first: int, star: int) -> bool:
    digits = text[star + 1 : star + 3]
    if len(digits) != 2 or any(d not in "0123456789ABCDEFabcdef" for d in digits):
        return False
    body = text[first:star].encode("latin-1", "replace")
    value = 0
    for byte in body:
        value ^= byte
    return value == int(digits, 16)
