from __future__ import annotations

import pytest

from littoral.errors import InputError
from littoral.geo.coords import Position, format_position, parse_position

DM = 41 + 30.5 / 60


@pytest.mark.parametrize(
    ("text", "lon", "lat"),
    [
        ("41 30.5N 50 12.0E", 50.2, DM),
        ("41°30.5′N 050°12.0′E", 50.2, DM),
        ("41°30.5'N 50°12.0'E", 50.2, DM),
        ("41 30.5 N, 50 12.0 E", 50.2, DM),
        ("N41 30.5 E050 12.0", 50.2, DM),
        ("41 30.5 50 12.0", 50.2, DM),
        ("41°30′30″N 50°12′0″E", 50.2, 41 + 30.5 / 60),
        ("41.5083 50.2", 50.2, 41.5083),
        ("41.5083, 50.2", 50.2, 41.5083),
        ("41.5083N 50.2E", 50.2, 41.5083),
        ("41 30.5S 50 12.0W", -50.2, -DM),
        ("-12.5 130.1", 130.1, -12.5),
        ("50 12E 41 30.5N", 50.2, DM),  # letters decide the axis
    ],
)
def test_accepted_forms(text: str, lon: float, lat: float) -> None:
    pos = parse_position(text)
    assert pos == Position(lon=pytest.approx(lon, abs=1e-12), lat=pytest.approx(lat, abs=1e-12))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("95 50", "latitude 95 is outside"),
        ("41 190", "longitude 190 is outside"),
        ("91 00.0N 50 00.0E", "latitude 91 is outside"),
        ("nan 50", "unexpected"),
        ("NaN NaN", "unexpected"),
        ("inf 50", "unexpected"),
        ("41 30.5E 50 12.0E", "same axis"),
        ("41 30.5N 50 12.0S", "same axis"),
        ("41 30.5X 50 12.0E", "unexpected"),
        ("41 30.5N 50 12.0", "one hemisphere letter"),
        ("-41 30.5N 50 12.0E", "either a sign or a hemisphere letter"),
        ("41 60.0N 50 12.0E", "minutes 60.0 must be below 60"),
        ("41.5 30N 50 12E", "must be whole"),
        ("41 30.5 50", "cannot tell"),
        ("", "empty"),
        ("41.5", "cannot tell"),
    ],
)
def test_refused_with_the_input_in_the_message(text: str, why: str) -> None:
    with pytest.raises(InputError) as err:
        parse_position(text)
    assert repr(text) in str(err.value)
    assert why in str(err.value)


def test_format_round_trip() -> None:
    text = format_position(50.2, DM)
    assert text == "41°30.500′N 050°12.000′E"
    assert parse_position(text) == Position(50.2, pytest.approx(DM))
    assert format_position(-0.5, -0.25) == "00°15.000′S 000°30.000′W"
    with pytest.raises(InputError, match="nan"):
        format_position(float("nan"), 1.0)
