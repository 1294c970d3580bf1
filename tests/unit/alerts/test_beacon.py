import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.alerts import decode_beacon_id
from littoral.errors import DecodeError

from .build import location_mmsi_hex, location_serial_hex, user_maritime_hex


def test_standard_location_epirb_mmsi() -> None:
    b = decode_beacon_id(location_mmsi_hex(423, 112345, beacon_number=3))
    assert b.country_code == 423
    assert b.country is not None
    assert b.country.startswith("Azerbaijan")
    assert b.protocol == "standard location: EPIRB (MMSI)"
    assert b.mmsi == 423112345
    assert b.beacon_number == 3


def test_ship_security_mmsi() -> None:
    b = decode_beacon_id(location_mmsi_hex(273, 451234, code=0b1100))
    assert b.protocol == "standard location: ship security (MMSI)"
    assert b.mmsi == 273451234
    assert b.country == "Russian Federation"


def test_standard_location_plb_serial() -> None:
    b = decode_beacon_id(location_serial_hex(436, 0b0111, 123, 4567))
    assert b.protocol == "standard location: PLB (serial)"
    assert (b.type_approval, b.serial, b.mmsi) == (123, 4567, None)
    assert b.country is not None
    assert b.country.startswith("Kazakhstan")


def test_user_maritime_mmsi_in_baudot() -> None:
    b = decode_beacon_id(user_maritime_hex(422, "123456"))
    assert b.protocol == "user: maritime (MMSI or call sign)"
    assert b.mmsi == 422123456


def test_lower_case_and_spaces_accepted() -> None:
    assert decode_beacon_id(" 34e436db20fe3fc ").hex_id == "34E436DB20FE3FC"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("34E436DB20FE3F", "15 hexadecimal digits"),
        ("34E436DB20FE3FG", "15 hexadecimal digits"),
        ("9934039823D000000000000", "23-hex second-generation"),
        ("", "15 hexadecimal digits"),
    ],
)
def test_malformed_ids_named(text: str, named: str) -> None:
    with pytest.raises(DecodeError, match=named):
        decode_beacon_id(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=(1 << 60) - 1))
def test_any_15_hex_decodes(value: int) -> None:
    b = decode_beacon_id(f"{value:015X}")
    assert 0 <= b.country_code < 1024
    assert b.protocol


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_decodes_or_is_refused(text: str) -> None:
    with contextlib.suppress(DecodeError):
        decode_beacon_id(text)
