import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.alerts import PositionSource, parse_dsc, read_alert
from littoral.alerts.dsc import decode_position
from littoral.errors import DecodeError, InputError

from .build import nmea

RECEIVED = datetime(2026, 12, 4, 9, 43, 10, tzinfo=UTC)


def test_distress_call_with_dse(data_dir) -> None:
    text = (data_dir / "alerts" / "dsc_distress.nmea").read_text()
    alert = read_alert(text, RECEIVED)
    assert alert.kind == "dsc"
    assert alert.stage == "distress"
    assert alert.distress
    assert alert.mmsi == 423112345
    assert alert.country is not None
    assert alert.country.startswith("Azerbaijan")
    assert alert.nature == "sinking"
    assert alert.details["communication"] == "F3E/G3E telephony"
    assert alert.time == datetime(2026, 12, 4, 9, 40, tzinfo=UTC)
    (pos,) = alert.positions
    assert pos.source is PositionSource.DSC
    # 40 22' N 049 48' E, refined by the DSE to 40 22.5123' N 049 48.4567' E
    assert pos.lat == pytest.approx(40 + 22.5123 / 60, abs=1e-9)
    assert pos.lon == pytest.approx(49 + 48.4567 / 60, abs=1e-9)


def test_without_dse_the_position_is_to_the_minute() -> None:
    line = nmea("CDDSC,12,4231123450,,05,00,0402204948,0940,,,S,")
    (pos,) = parse_dsc([line], RECEIVED).positions
    assert (pos.lat, pos.lon) == (pytest.approx(40 + 22 / 60), pytest.approx(49 + 48 / 60))


def test_distress_relay_names_the_vessel_in_distress(data_dir) -> None:
    text = (data_dir / "alerts" / "dsc_relay.nmea").read_text()
    alert = read_alert(text, RECEIVED)
    assert alert.stage == "distress_relay"
    assert alert.mmsi == 423112345
    assert alert.nature == "sinking"
    assert alert.details["address"] == "273001234"
    assert len(alert.positions) == 1


def test_position_reply_carries_a_position_but_no_distress() -> None:
    lines = [
        nmea("CDDSC,20,2730012340,00,21,26,0412305012,0815,,,B,E"),
        nmea("CDDSE,1,1,R,2730012340,00,50002500"),
    ]
    alert = parse_dsc(lines, RECEIVED)
    assert (alert.stage, alert.distress, alert.mmsi) == ("routine", False, 273001234)
    (pos,) = alert.positions
    assert pos.lat == pytest.approx(41 + 23.5 / 60)
    assert pos.lon == pytest.approx(50 + 12.25 / 60)


def test_a_working_channel_is_not_read_as_a_position() -> None:
    alert = parse_dsc([nmea("CDDSC,20,2730012340,00,00,26,9000160000,,,,R,")], RECEIVED)
    assert alert.positions == ()


def test_routine_call_is_not_a_distress() -> None:
    alert = parse_dsc([nmea("CDDSC,20,4221000000,08,00,00,,,,,R,")], RECEIVED)
    assert alert.stage == "safety"
    assert not alert.distress
    assert alert.positions == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0402204948", (40 + 22 / 60, 49 + 48 / 60)),
        ("1402204948", (40 + 22 / 60, -(49 + 48 / 60))),
        ("2402204948", (-(40 + 22 / 60), 49 + 48 / 60)),
        ("3402204948", (-(40 + 22 / 60), -(49 + 48 / 60))),
        ("9999999999", None),
    ],
)
def test_quadrants(text: str, expected: tuple[float, float] | None) -> None:
    assert decode_position(text) == (pytest.approx(expected) if expected else None)


def test_time_after_receipt_is_the_day_before() -> None:
    line = nmea("CDDSC,12,4231123450,,05,00,0402204948,2350,,,S,")
    assert parse_dsc([line], RECEIVED).time == datetime(2026, 12, 3, 23, 50, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("$CDDSC,12,4231123450,,05,00,0402204948,0940,,,S,E*00", "checksum"),
        (nmea("CDDSC,99,4231123450,,05,00,0402204948,0940,,,S,E"), "format specifier '99'"),
        (nmea("CDDSC,12,4231123450,,31,00,0402204948,0940,,,S,E"), "nature of distress '31'"),
        (nmea("CDDSC,12,42311234,,05,00,0402204948,0940,,,S,E"), "address '42311234'"),
        (nmea("CDDSC,12,4231123450,,05,00,4402204948,0940,,,S,E"), "quadrant '4'"),
        (nmea("CDDSC,12,4231123450,,05,00,0407204948,0940,,,S,E"), "minutes"),
        (nmea("CDDSC,12,4231123450,,05,00,0402204948,2560,,,S,E"), "time '2560'"),
        (nmea("CDDSC,12,4231123450,,05,00,0402204948,0940,,,X,E"), "acknowledgement flag"),
        (nmea("CDDSC,12,4231123450,,05"), "fields"),
        ("CDDSC,12,4231123450,,05", "does not start with"),
    ],
)
def test_malformed_sentences_named(line: str, named: str) -> None:
    with pytest.raises(DecodeError, match=named):
        parse_dsc([line], RECEIVED)


def test_naive_receipt_refused() -> None:
    with pytest.raises(InputError, match="timezone-aware"):
        parse_dsc([nmea("CDDSC,20,4221000000,08,00,00,,,,,R,")], datetime(2026, 1, 1))  # noqa: DTZ001


def test_bad_dse_named() -> None:
    lines = [
        nmea("CDDSC,12,4231123450,,05,00,0402204948,0940,,,S,E"),
        nmea("CDDSE,1,1,A,4231123450,00,5123"),
    ]
    with pytest.raises(DecodeError, match="DSE enhanced position '5123'"):
        parse_dsc(lines, RECEIVED)


_fields = st.lists(st.text(alphabet="0123456789ABRSE", max_size=11), min_size=0, max_size=14).map(
    lambda f: nmea("CDDSC," + ",".join(f))
)


@settings(max_examples=200, deadline=None)
@given(_fields)
def test_fuzz_dsc_fields(line: str) -> None:
    with contextlib.suppress(DecodeError):
        parse_dsc([line], RECEIVED)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_fuzz_any_text(text: str) -> None:
    with contextlib.suppress(DecodeError):
        read_alert("$CDDSC," + text, RECEIVED)
