"""Build beacon IDs and DSC sentences from the published bit and field layouts (test data)."""

from __future__ import annotations

# C/S T.001 modified Baudot figures: the ITA2 figure code after a 0.
BAUDOT_FIGURES = {
    "0": 0b001101, "1": 0b011101, "2": 0b011001, "3": 0b010000, "4": 0b001010,
    "5": 0b000001, "6": 0b010101, "7": 0b011100, "8": 0b001100, "9": 0b000011,
}  # fmt: skip
# Bits 65-85 of a location protocol's 15-hex ID: the default (no position) latitude
# 0 1111111 00 and longitude 0 11111111 00 of T.001.
DEFAULT_POSITION = 0b0_1111111_00_0_11111111_00


def location_mmsi_hex(mid: int, last6: int, beacon_number: int = 0, code: int = 0b0010) -> str:
    """15-hex ID of a standard location EPIRB-MMSI (or ship security, code 1100) beacon."""
    value = 0  # bit 26, protocol flag 0: location protocol
    value = (value << 10) | mid  # bits 27-36
    value = (value << 4) | code  # bits 37-40
    value = (value << 20) | last6  # bits 41-60
    value = (value << 4) | beacon_number  # bits 61-64
    value = (value << 21) | DEFAULT_POSITION  # bits 65-85
    return f"{value:015X}"


def location_serial_hex(mid: int, code: int, type_approval: int, serial: int) -> str:
    """15-hex ID of a standard location serial (ELT 0100, EPIRB 0110, PLB 0111) beacon."""
    value = (((0 << 10 | mid) << 4 | code) << 10 | type_approval) << 14 | serial
    return f"{(value << 21) | DEFAULT_POSITION:015X}"


def user_maritime_hex(mid: int, last6: str, beacon_number: int = 0) -> str:
    """15-hex ID of a maritime user protocol beacon carrying the last six MMSI digits."""
    value = 1  # bit 26, protocol flag 1: user protocol
    value = (value << 10) | mid  # bits 27-36
    value = (value << 3) | 0b010  # bits 37-39
    for digit in last6:  # bits 40-75
        value = (value << 6) | BAUDOT_FIGURES[digit]
    value = (value << 6) | BAUDOT_FIGURES[str(beacon_number)]  # bits 76-81
    value = value << 4  # bits 82-83 spare, 84-85 auxiliary device: none
    return f"{value:015X}"


def nmea(body: str) -> str:
    """Return ``$body*hh`` with the XOR checksum of IEC 61162-1."""
    value = 0
    for char in body:
        value ^= ord(char)
    return f"${body}*{value:02X}"


# Modified Baudot letters of C/S T.001/T.018: the ITA2 letter code after a 1.
BAUDOT_LETTERS = {
    "A": 0b111000, "B": 0b110011, "C": 0b101110, "D": 0b110010, "E": 0b110000,
    "K": 0b111110, "L": 0b101001, "R": 0b101010, "S": 0b110100, " ": 0b100100,
    "U": 0b111100, "Z": 0b110001,
}  # fmt: skip


def second_generation_hex(
    mid: int, tac: int, serial: int, *, test: bool = False, vessel: tuple[int, int] = (0, 0)
) -> str:
    """23-hex ID of a second-generation beacon (C/S T.018), bits 1-92 in order.

    ``vessel`` is the vessel ID type (bits 46-48) and its 44 bits (49-92).
    """
    value = 1  # bit 1, fixed
    value = (value << 10) | mid  # bits 2-11
    value = (value << 3) | 0b101  # bits 12-14, fixed
    value = (value << 16) | tac  # bits 15-30
    value = (value << 14) | serial  # bits 31-44
    value = (value << 1) | int(test)  # bit 45
    value = (value << 3) | vessel[0]  # bits 46-48
    value = (value << 44) | vessel[1]  # bits 49-92
    return f"{value:023X}"


def baudot_letters(text: str, width: int = 6) -> int:
    """The letters of ``text`` as modified Baudot (five bits: without the leading 1)."""
    value = 0
    for char in text:
        value = (value << width) | (BAUDOT_LETTERS[char] & ((1 << width) - 1))
    return value
