"""NMEA 0183 sentence framing for the alert parsers: ``$``, talker, fields, ``*hh`` checksum.

IEC 61162-1 (NMEA 0183) section 7: a sentence starts with ``$``, ends with ``*hh`` where
``hh`` is the XOR of every character between ``$`` and ``*``, in two hex digits.
"""

from __future__ import annotations

from dataclasses import dataclass

from littoral.errors import DecodeError


@dataclass(frozen=True, kw_only=True, slots=True)
class NmeaSentence:
    """One checked sentence: talker (``CD``), formatter (``DSC``) and its fields."""

    talker: str
    formatter: str
    fields: tuple[str, ...]


def checksum(body: str) -> str:
    """Return the NMEA checksum of ``body`` (the text between ``$`` and ``*``).

    >>> checksum("CDDSC,12,2734001230,,01,00,0453104951,1213,,,S,")
    '27'
    """
    value = 0
    for char in body:
        value ^= ord(char)
    return f"{value:02X}"


def split_sentence(line: str) -> NmeaSentence:
    """Check one sentence's framing and checksum and split it into fields."""
    text = line.strip()
    if not text.startswith("$"):
        raise DecodeError(f"sentence {text[:40]!r} does not start with '$'")
    star = text.rfind("*")
    if star < 0:
        raise DecodeError(f"sentence {text[:40]!r} has no '*hh' checksum")
    body, given = text[1:star], text[star + 1 :]
    if not body.isascii() or not body.isprintable():
        raise DecodeError(f"sentence {text[:40]!r} holds characters outside printable ASCII")
    if given.upper() != checksum(body):
        raise DecodeError(f"checksum {given!r} of {text[:40]!r} should be {checksum(body)!r}")
    parts = body.split(",")
    address = parts[0]
    if len(address) != 5 or not address.isalnum():
        raise DecodeError(f"address field {address!r} must be a talker and a formatter")
    return NmeaSentence(talker=address[:2], formatter=address[2:], fields=tuple(parts[1:]))
