import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.alerts import PositionSource, parse_sit185, read_alert
from littoral.errors import DecodeError

RECEIVED = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def _read(data_dir, name: str) -> str:
    return (data_dir / "alerts" / name).read_text()


def test_initial_alert_with_doppler_ambiguity(data_dir) -> None:
    alert = read_alert(_read(data_dir, "sit185_initial_ambiguous.txt"), RECEIVED)
    assert alert.kind == "sit185"
    assert alert.stage == "initial"
    assert alert.message_number == 412
    assert alert.time == datetime(2026, 12, 4, 9, 42, tzinfo=UTC)
    assert alert.beacon_id == "34E436DB20FE3FC"
    assert alert.mmsi == 423112345
    assert alert.country is not None
    assert alert.country.startswith("Azerbaijan")
    assert alert.protocol == "standard location: EPIRB (MMSI)"
    a, b = alert.positions
    assert (a.source, b.source) == (PositionSource.DOPPLER_A, PositionSource.DOPPLER_B)
    assert (a.lat, a.lon, a.probability) == (
        pytest.approx(40.375),
        pytest.approx(50.8),
        pytest.approx(0.62),
    )
    assert (b.lat, b.lon, b.probability) == (
        pytest.approx(38 + 41 / 60),
        pytest.approx(51.2),
        pytest.approx(0.38),
    )
    assert alert.details["registration"] == "423/AZERBAIJAN"
    assert "registration_mismatch" not in alert.details


def test_conflict_stage(data_dir) -> None:
    alert = parse_sit185(_read(data_dir, "sit185_conflict.txt"))
    assert alert.stage == "conflict"
    assert alert.message_number == 413
    assert [p.probability for p in alert.positions] == [0.55, 0.45]


def test_confirmed_stage_with_accuracy(data_dir) -> None:
    alert = parse_sit185(_read(data_dir, "sit185_confirmed.txt"))
    assert alert.stage == "confirmed"
    confirmed, doa = alert.positions
    assert confirmed.source is PositionSource.CONFIRMED
    assert confirmed.accuracy_nm == 1.0
    assert (doa.source, doa.accuracy_nm) == (PositionSource.DOA, 2.0)
    assert alert.best_position() == confirmed


def test_encoded_position_two_digit_year_and_west_south(data_dir) -> None:
    alert = parse_sit185(_read(data_dir, "sit185_encoded_user_maritime.txt"))
    assert alert.time == datetime(2026, 12, 4, 23, 10, tzinfo=UTC)
    assert alert.mmsi == 422123456
    doa, encoded = alert.positions
    assert (doa.lat, doa.lon) == (pytest.approx(-(37 + 35 / 60)), pytest.approx(-(52 + 1 / 60)))
    assert encoded.source is PositionSource.ENCODED
    assert (encoded.lat, encoded.lon) == (
        pytest.approx(37 + 34.95 / 60),
        pytest.approx(52 + 1.2 / 60),
    )
    assert alert.best_position() == encoded


def _replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("HEX ID: 34E436DB20FE3FC", "HEX: 34E436DB20FE3FC", "no 'HEX ID:' line"),
        ("HEX ID: 34E436DB20FE3FC", "HEX ID: 34E436DB20FE3", "15 hexadecimal digits"),
        ("MSG NO: 00412", "MSG: 00412", "no 'MSG NO:' line"),
        ("DETECTED AT: 04 DEC 2026", "DETECTED: 04 DEC 2026", "no 'DETECTED AT"),
        ("04 DEC 2026 0942", "04 DXC 2026 0942", "month 'DXC'"),
        ("04 DEC 2026 0942", "31 NOV 2026 0942", "day is out of range"),
        ("DISTRESS COSPAS-SARSAT INITIAL ALERT", "DISTRESS COSPAS-SARSAT ALARM", "title"),
        ("DISTRESS COSPAS-SARSAT INITIAL ALERT", "COSPAS-SARSAT ODD ALERT", "no known stage"),
        ("40 22.5 N 050 48.0 E", "40 22.5 X 050 48.0 E", "DOPPLER A position"),
        ("40 22.5 N 050 48.0 E", "40 62.5 N 050 48.0 E", "minutes must be below 60"),
        ("40 22.5 N 050 48.0 E", "95 22.5 N 050 48.0 E", "outside"),
        ("PROB 62 PERCENT", "PROB 162 PERCENT", "above 100"),
    ],
)
def test_malformed_messages_named(data_dir, old: str, new: str, named: str) -> None:
    text = _replace(_read(data_dir, "sit185_initial_ambiguous.txt"), old, new)
    with pytest.raises(DecodeError, match=named):
        read_alert(text, RECEIVED)


def test_neither_kind_named() -> None:
    with pytest.raises(DecodeError, match="neither a SIT 185 message nor"):
        read_alert("hello\nworld", RECEIVED)


_LINES = st.sampled_from(
    [
        "DISTRESS COSPAS-SARSAT INITIAL ALERT",
        "COSPAS-SARSAT POSITION CONFLICT ALERT",
        "MSG NO: 00012",
        "DETECTED AT: 04 DEC 2026 0942 UTC",
        "DETECTED AT: 99 DEC 2026 9999 UTC",
        "HEX ID: 34E436DB20FE3FC",
        "HEX ID: FFFFFFFFFFFFFFF",
        "DOPPLER A - 40 22.5 N 050 48.0 E PROB 62 PERCENT",
        "DOPPLER B - 99 99.9 S 999 99.9 W PROB 999 PERCENT",
        "ENCODED - NIL",
        "DOA - 1 2 N 3 4 E ACCURACY 5 NM",
        "COUNTRY OF BEACON REGISTRATION: 999/NOWHERE",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=14))
def test_fuzz_sit185(lines: list[str]) -> None:
    with contextlib.suppress(DecodeError):
        read_alert("\n".join(["COSPAS-SARSAT", *lines]), RECEIVED)
