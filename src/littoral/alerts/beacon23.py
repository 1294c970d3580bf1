"""The 23-hex beacon ID of a second-generation 406 MHz beacon (C/S T.018).

C/S T.018 (Specification for second-generation Cospas-Sarsat 406-MHz distress beacons),
Rev. 6, gives the 23-hex ID: 92 bits, read here by their numbers 1-92 from the most
significant bit of the hex string:

- bit 1: fixed ``1``;
- bits 2-11: country code (the ITU MID of the country of registration);
- bits 12-14: fixed ``101``;
- bits 15-30: type approval certificate number (TAC);
- bits 31-44: serial number;
- bit 45: test protocol flag;
- bits 46-48: vessel ID type, then bits 49-92 the vessel ID:
  0 none; 1 MMSI (30 bits, ``111111`` none) and the last four digits of the EPIRB-AIS
  identity ``974XXYYYY`` (14 bits, 10922 none; ``XX`` are the MMSI's fourth and fifth
  digits); 2 radio call sign and 3 aircraft registration marking (two spare bits, then seven
  modified-Baudot characters of six bits); 4 aircraft 24-bit address (24 bits) and an
  aircraft operator designator (three five-bit Baudot characters, all zero when none);
  5 aircraft operator designator (three five-bit characters) and serial number (12 bits).

The specification itself was not at hand: the layout above is the one the Australian
Maritime Safety Authority's open-source decoder (``sgb-decoder``, written to C/S T.018
Rev. 6) reads, and the example of its tests (``9934039823D000000000000``: country 201, TAC
230, serial 573, no vessel ID) is one of littoral's.

>>> b = decode_beacon_id23("9934039823D000000000000")
>>> b.country_code, b.type_approval, b.serial
(201, 230, 573)
"""

from __future__ import annotations

from littoral.alerts.beacon import BAUDOT, BeaconId, decode_beacon_id
from littoral.errors import DecodeError
from littoral.geo.flags import mid_table

VESSEL_ID_TYPES: dict[int, str] = {
    0: "no vessel ID",
    1: "MMSI",
    2: "radio call sign",
    3: "aircraft registration marking",
    4: "aircraft 24-bit address",
    5: "aircraft operator and serial number",
}
NO_MMSI = 111111
NO_AIS_DIGITS = 10922


class _Bits:
    """The 92 bits of a 23-hex ID addressed by their numbers 1-92."""

    def __init__(self, hex_id: str) -> None:
        self.value = int(hex_id, 16)

    def get(self, first: int, last: int) -> int:
        width = last - first + 1
        return (self.value >> (92 - last)) & ((1 << width) - 1)

    def baudot(self, first: int, count: int, width: int = 6) -> str:
        # the five-bit short code is the six-bit code of a letter without its leading 1
        prefix = 0b100000 if width == 5 else 0
        codes = (self.get(first + width * i, first + width * i + width - 1) for i in range(count))
        return "".join(BAUDOT.get(prefix | c, "?") for c in codes).strip()


def _vessel(bits: _Bits, kind: int) -> dict[str, object]:
    if kind == 1:
        fields: dict[str, object] = {}
        mmsi = bits.get(49, 78)
        if mmsi != NO_MMSI:
            fields["mmsi"] = mmsi
        digits = bits.get(79, 92)
        if digits != NO_AIS_DIGITS:
            padded = f"{mmsi:09d}"
            fields["ais_mmsi"] = int(f"974{padded[3:5]}{digits:04d}")
        return fields
    if kind == 2:
        return {"call_sign": bits.baudot(51, 7)}
    if kind == 3:
        return {"aircraft_registration": bits.baudot(51, 7)}
    if kind == 4:
        fields = {"aircraft_address": f"{bits.get(49, 72):06X}"}
        if bits.get(73, 92):
            fields["operator"] = bits.baudot(73, 3, width=5)
        return fields
    if kind == 5:
        return {"operator": bits.baudot(49, 3, width=5), "operator_serial": bits.get(64, 75)}
    return {}


def decode_beacon_id23(hex_id: str) -> BeaconId:
    """Decode a 23-hex beacon ID (see the module docstring); refuse a malformed one by name."""
    text = hex_id.strip().upper()
    if len(text) != 23 or any(c not in "0123456789ABCDEF" for c in text):
        raise DecodeError(f"beacon ID {hex_id!r} must be 23 hexadecimal digits")
    bits = _Bits(text)
    if bits.get(1, 1) != 1 or bits.get(12, 14) != 0b101:
        raise DecodeError(
            f"beacon ID {text!r} is not a 23-hex ID: its fixed bits 1 and 12-14 are "
            f"{bits.get(1, 1):b} and {bits.get(12, 14):03b}, not 1 and 101"
        )
    country_code = bits.get(2, 11)
    kind = bits.get(46, 48)
    name = VESSEL_ID_TYPES.get(kind, f"vessel ID type {kind} (spare)")
    test = " test" if bits.get(45, 45) else ""
    return BeaconId(
        hex_id=text,
        country_code=country_code,
        country=mid_table().get(country_code),
        protocol=f"second generation{test}: {name}",
        type_approval=bits.get(15, 30),
        serial=bits.get(31, 44),
        **_vessel(bits, kind),  # type: ignore[arg-type]
    )


def decode_hex_id(hex_id: str) -> BeaconId:
    """Decode a 15-hex (first-generation) or 23-hex (second-generation) beacon ID."""
    text = hex_id.strip()
    return decode_beacon_id23(text) if len(text) == 23 else decode_beacon_id(text)
