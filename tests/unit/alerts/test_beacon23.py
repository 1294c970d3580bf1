"""23-hex IDs of second-generation beacons (C/S T.018): fields, vessel IDs, refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.alerts import read_alert
from littoral.alerts.beacon23 import decode_beacon_id23, decode_hex_id
from littoral.errors import DecodeError

from .build import baudot_letters, second_generation_hex


def test_the_published_decoder_example() -> None:
    # the example of AMSA's sgb-decoder tests (C/S T.018 Rev. 6)
    b = decode_beacon_id23("9934039823D000000000000")
    assert (b.country_code, b.type_approval, b.serial) == (201, 230, 573)
    assert b.protocol == "second generation: no vessel ID"
    assert b.mmsi is None
    assert second_generation_hex(201, 230, 573) == "9934039823D000000000000"


def test_mmsi_and_epirb_ais_identity() -> None:
    vessel = (1, (423_112_345 << 14) | 1234)
    b = decode_hex_id(second_generation_hex(423, 9001, 77, vessel=vessel))
    assert b.country == "Azerbaijan (Republic of)"
    assert b.mmsi == 423_112_345
    assert b.ais_mmsi == 974_11_1234  # 974, the MMSI's fourth and fifth digits, then 1234
    assert (b.type_approval, b.serial) == (9001, 77)
    none = decode_beacon_id23(second_generation_hex(423, 1, 1, vessel=(1, (111111 << 14) | 10922)))
    assert none.mmsi is None
    assert none.ais_mmsi is None


def test_call_sign_registration_address_and_operator() -> None:
    sign = decode_beacon_id23(
        second_generation_hex(273, 5, 6, vessel=(2, baudot_letters("UBZK   ")))
    )
    assert sign.call_sign == "UBZK"
    assert sign.protocol == "second generation: radio call sign"
    marking = decode_beacon_id23(
        second_generation_hex(273, 5, 6, vessel=(3, baudot_letters("RA     "))),
    )
    assert marking.aircraft_registration == "RA"
    address = (0x1503A4 << 20) | (baudot_letters("AZL", width=5) << 5)
    plane = decode_beacon_id23(second_generation_hex(423, 5, 6, vessel=(4, address)))
    assert plane.aircraft_address == "1503A4"
    assert plane.operator == "AZL"
    bare = decode_beacon_id23(second_generation_hex(423, 5, 6, vessel=(4, 0x1503A4 << 20)))
    assert bare.operator is None
    operator = (baudot_letters("AZL", width=5) << 29) | (345 << 17)
    fleet = decode_beacon_id23(second_generation_hex(423, 5, 6, test=True, vessel=(5, operator)))
    assert (fleet.operator, fleet.operator_serial) == ("AZL", 345)
    assert fleet.protocol == "second generation test: aircraft operator and serial number"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("9934039823D00000000000", "23 hexadecimal digits"),
        ("9934039823D00000000000G", "23 hexadecimal digits"),
        ("1934039823D000000000000", "fixed bits 1 and 12-14 are 0 and 101"),
        ("9930039823D000000000000", "fixed bits 1 and 12-14 are 1 and 100"),
    ],
)
def test_malformed_ids_named(text: str, named: str) -> None:
    with pytest.raises(DecodeError, match=named):
        decode_beacon_id23(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=(1 << 92) - 1))
def test_any_23_hex_decodes_or_is_refused_by_name(value: int) -> None:
    text = f"{value:023X}"
    if value >> 91 != 1 or (value >> 78) & 0b111 != 0b101:
        with pytest.raises(DecodeError, match="fixed bits"):
            decode_hex_id(text)
        return
    b = decode_hex_id(text)
    assert 0 <= b.country_code < 1024
    assert b.protocol.startswith("second generation")


def test_a_sit185_message_with_a_23_hex_id(tmp_path: object) -> None:
    from datetime import UTC, datetime
    from pathlib import Path

    text = Path("tests/data/alerts/sit185_initial_ambiguous.txt").read_text(encoding="ascii")
    hex23 = second_generation_hex(423, 9001, 77, vessel=(1, (423_112_345 << 14) | 10922))
    text = text.replace("HEX ID: 34E436DB20FE3FC", f"HEX ID: {hex23}")
    parsed = read_alert(text, datetime(2026, 12, 4, 10, 0, tzinfo=UTC))
    assert parsed.beacon_id == hex23
    assert parsed.mmsi == 423_112_345
    assert parsed.details["type_approval"] == "9001"
