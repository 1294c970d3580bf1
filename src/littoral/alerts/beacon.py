"""The 15-hex beacon ID of a first-generation 406 MHz beacon (C/S T.001).

C/S T.001 (Issue 4 Rev. 10, "Specification for Cospas-Sarsat 406 MHz distress beacons"),
section 3.2 and Annex A: the 15-hex ID is bits 26-85 of the beacon message, 60 bits. Bit 26
is the protocol flag (1: user or user-location protocol, 0: location protocol); bits 27-36 the
country code (the ITU MID of the country of registration); then

- user protocols: bits 37-39 the user protocol code (000 orbitography, 001 ELT, 010
  maritime with MMSI or call sign in six modified-Baudot characters in bits 40-75, 011 serial,
  100 national, 110 radio call sign, 111 test);
- location protocols: bits 37-40 the location protocol code (0010 EPIRB MMSI and 1100 ship
  security: last six MMSI digits as a 20-bit number in bits 41-60 and a beacon number in
  61-64; 0011 ELT 24-bit aircraft address in 41-64; 0100/0110/0111 ELT, EPIRB or PLB serial:
  type approval number in 41-50, serial in 51-64; 1000/1010/1011/1111 national location:
  national ID in 41-58; 1101 RLS; 1110 standard test), the position bits of the 15-hex ID
  being set to their defaults.

>>> b = decode_beacon_id("34E436DB20FE3FC")
>>> b.country_code, b.protocol, b.mmsi
(423, 'standard location: EPIRB (MMSI)', 423112345)
"""

from __future__ import annotations

from dataclasses import dataclass

from littoral.errors import DecodeError
from littoral.geo.flags import mid_table

USER_PROTOCOLS: dict[int, str] = {
    0b000: "orbitography",
    0b001: "user: ELT (aviation)",
    0b010: "user: maritime (MMSI or call sign)",
    0b011: "user: serial",
    0b100: "user: national",
    0b101: "user: spare",
    0b110: "user: radio call sign",
    0b111: "user: test",
}
LOCATION_PROTOCOLS: dict[int, str] = {
    0b0010: "standard location: EPIRB (MMSI)",
    0b0011: "standard location: ELT (24-bit address)",
    0b0100: "standard location: ELT (serial)",
    0b0101: "standard location: ELT (operator designator)",
    0b0110: "standard location: EPIRB (serial)",
    0b0111: "standard location: PLB (serial)",
    0b1000: "national location: ELT",
    0b1001: "ELT(DT) location",
    0b1010: "national location: EPIRB",
    0b1011: "national location: PLB",
    0b1100: "standard location: ship security (MMSI)",
    0b1101: "RLS location",
    0b1110: "standard location: test",
    0b1111: "national location: test",
}
SERIAL_TYPES: dict[int, str] = {
    0b000: "ELT",
    0b001: "ELT (operator designator)",
    0b010: "EPIRB (float free)",
    0b011: "ELT (24-bit address)",
    0b100: "EPIRB (non float free)",
    0b110: "PLB",
}
# Modified Baudot of C/S T.001 Table A2: letters are the ITA2 letter code after a 1, figures
# the ITA2 figure code after a 0.
BAUDOT: dict[int, str] = {
    0b111000: "A", 0b110011: "B", 0b101110: "C", 0b110010: "D", 0b110000: "E",
    0b110110: "F", 0b101011: "G", 0b100101: "H", 0b101100: "I", 0b111010: "J",
    0b111110: "K", 0b101001: "L", 0b100111: "M", 0b100110: "N", 0b100011: "O",
    0b101101: "P", 0b111101: "Q", 0b101010: "R", 0b110100: "S", 0b100001: "T",
    0b111100: "U", 0b101111: "V", 0b111001: "W", 0b110111: "X", 0b110101: "Y",
    0b110001: "Z", 0b100100: " ", 0b011000: "-", 0b010111: "/",
    0b001101: "0", 0b011101: "1", 0b011001: "2", 0b010000: "3", 0b001010: "4",
    0b000001: "5", 0b010101: "6", 0b011100: "7", 0b001100: "8", 0b000011: "9",
}  # fmt: skip
_MMSI_PROTOCOLS = frozenset({0b0010, 0b1100})
_SERIAL_PROTOCOLS = frozenset({0b0100, 0b0110, 0b0111})
_NATIONAL_PROTOCOLS = frozenset({0b1000, 0b1010, 0b1011, 0b1111})


@dataclass(frozen=True, kw_only=True, slots=True)
class BeaconId:
    """What a 15-hex beacon ID says about the beacon."""

    hex_id: str
    country_code: int
    country: str | None
    protocol: str
    mmsi: int | None = None
    call_sign: str | None = None
    serial: int | None = None
    type_approval: int | None = None
    aircraft_address: str | None = None
    national_id: int | None = None
    beacon_number: int | None = None
    ais_mmsi: int | None = None
    """The EPIRB-AIS identity (``974XXYYYY``) of a second-generation beacon."""
    aircraft_registration: str | None = None
    operator: str | None = None
    """The aircraft operator designator (three letters)."""
    operator_serial: int | None = None


class _Bits:
    """Bits of the 15-hex ID addressed by their T.001 message bit numbers (26-85)."""

    def __init__(self, hex_id: str) -> None:
        self.value = int(hex_id, 16)

    def get(self, first: int, last: int) -> int:
        width = last - first + 1
        shift = 85 - last
        return (self.value >> shift) & ((1 << width) - 1)


def _baudot(bits: _Bits, first: int, count: int) -> str:
    chars = []
    for i in range(count):
        code = bits.get(first + 6 * i, first + 6 * i + 5)
        chars.append(BAUDOT.get(code, "?"))
    return "".join(chars)


def decode_beacon_id(hex_id: str) -> BeaconId:
    """Decode a 15-hex beacon ID (see the module docstring).

    Raises
    ------
    DecodeError
        When ``hex_id`` is not 15 hexadecimal digits; a 23-hex (second-generation) ID is
        refused by name (:func:`littoral.alerts.beacon23.decode_hex_id` reads either).
    """
    text = hex_id.strip().upper()
    if len(text) == 23 and all(c in "0123456789ABCDEF" for c in text):
        raise DecodeError(
            f"beacon ID {text!r} is a 23-hex second-generation ID: "
            "littoral.alerts.beacon23 decodes it"
        )
    if len(text) != 15 or any(c not in "0123456789ABCDEF" for c in text):
        raise DecodeError(f"beacon ID {hex_id!r} must be 15 hexadecimal digits")
    bits = _Bits(text)
    country_code = bits.get(27, 36)
    country = mid_table().get(country_code)
    fields: dict[str, object] = {}
    if bits.get(26, 26) == 1:
        code = bits.get(37, 39)
        protocol = USER_PROTOCOLS[code]
        if code in (0b010, 0b110):
            sign = _baudot(bits, 40, 6).strip()
            if code == 0b010 and sign.isdigit():
                fields["mmsi"] = country_code * 1_000_000 + int(sign)
            else:
                fields["call_sign"] = sign
        elif code == 0b011:
            kind = bits.get(40, 42)
            protocol = f"{protocol}: {SERIAL_TYPES.get(kind, 'spare')}"
            fields["serial"] = bits.get(44, 63)
    else:
        code = bits.get(37, 40)
        protocol = LOCATION_PROTOCOLS.get(code, f"location protocol {code:04b} (spare)")
        if code in _MMSI_PROTOCOLS:
            fields["mmsi"] = country_code * 1_000_000 + bits.get(41, 60)
            fields["beacon_number"] = bits.get(61, 64)
        elif code in _SERIAL_PROTOCOLS:
            fields["type_approval"] = bits.get(41, 50)
            fields["serial"] = bits.get(51, 64)
        elif code == 0b0011:
            fields["aircraft_address"] = f"{bits.get(41, 64):06X}"
        elif code in _NATIONAL_PROTOCOLS:
            fields["national_id"] = bits.get(41, 58)
    return BeaconId(
        hex_id=text,
        country_code=country_code,
        country=country,
        protocol=protocol,
        **fields,  # type: ignore[arg-type]
    )
