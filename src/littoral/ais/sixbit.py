"""The six-bit armouring of AIS payloads (ITU-R M.1371, IEC 61162-1) and the NMEA checksum.

A payload character carries six bits: ``0``-``W`` are 0-39 and `````-``w`` are 40-63. The
whole payload is turned into one Python integer through the standard base-64 decoder (the
armouring is a permutation of the base-64 alphabet), which runs in C; fields are then cut out
of that integer with shifts and masks.
"""

from __future__ import annotations

import binascii
from functools import reduce
from operator import xor

from littoral.errors import DecodeError

_ARMOUR = bytes(range(48, 88)) + bytes(range(96, 120))
_BASE64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_TO_BASE64 = bytes.maketrans(_ARMOUR, _BASE64)
# Characters outside the armouring become "!", which the strict base-64 decoder refuses.
TO_BASE64 = bytes(
    _TO_BASE64[i] if (48 <= i < 88 or 96 <= i < 120) else ord("!") for i in range(256)
)
"""``bytes.translate`` table from the AIS armouring to base 64 (others to ``!``)."""
_FROM_BASE64 = bytes.maketrans(
    _BASE64, b"@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?"
)
_B64_TO_ARMOUR = bytes.maketrans(_BASE64, _ARMOUR)
PAD = ("", "AAA", "AA", "A")
"""Base-64 padding for a payload of ``n`` characters: ``PAD[n & 3]``."""
_a2b = binascii.a2b_base64
_b2a = binascii.b2a_base64

SIXBIT_TEXT = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?"
"""The AIS six-bit text alphabet: value ``i`` is ``SIXBIT_TEXT[i]``."""


def payload_bits(payload: str, fill_bits: int) -> tuple[int, int]:
    """Return the payload as ``(value, bit_count)``, the first bit the most significant.

    Raises
    ------
    DecodeError
        If a character is outside the armouring or ``fill_bits`` is not 0-5.
    """
    n = len(payload)
    if not 0 <= fill_bits <= 5 or fill_bits > 6 * n:
        raise DecodeError(f"fill_bits={fill_bits!r} must be 0-5 and fit the payload")
    pad = PAD[n & 3]
    try:
        raw = _a2b((payload + pad).encode("ascii").translate(TO_BASE64), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise DecodeError(f"payload {payload!r} has characters outside the AIS armouring") from exc
    return int.from_bytes(raw, "big") >> (6 * len(pad) + fill_bits), 6 * n - fill_bits


def text(value: int, chars: int, strip: bool = True) -> str:
    """Decode ``chars`` six-bit characters held in the low ``6 * chars`` bits of ``value``.

    The text ends at the first ``@`` (the padding character), as gpsd reads it; surrounding
    spaces are removed unless ``strip`` is false.
    """
    extra = (-chars) & 3
    value <<= 6 * extra
    nbytes = (chars + extra) * 3 // 4
    armoured = _b2a(value.to_bytes(nbytes, "big"), newline=False).translate(_FROM_BASE64)
    out = armoured[:chars].decode("ascii").partition("@")[0]
    return out.strip() if strip else out


def checksum(body: str) -> int:
    r"""Return the NMEA checksum (XOR of all characters) of ``body``.

    ``body`` is the text between the leading ``!``/``$``/``\`` and the ``*``.
    """
    return reduce(xor, body.encode("latin-1", "replace"), 0)


def armour(value: int, bits: int) -> tuple[str, int]:
    """Return ``(payload, fill_bits)``: the inverse of :func:`payload_bits`."""
    chars = (bits + 5) // 6
    fill = 6 * chars - bits
    extra = (-chars) & 3
    value <<= fill + 6 * extra
    nbytes = (chars + extra) * 3 // 4
    b64 = _b2a(value.to_bytes(nbytes, "big"), newline=False)
    return b64.translate(_B64_TO_ARMOUR)[:chars].decode("ascii"), fill
