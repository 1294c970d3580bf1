"""Reading and writing positions as people type them: latitude first, degrees and minutes.

Coordinate entry errors are a classic failure in search and rescue (a swapped hemisphere, a
minutes value read as decimal degrees), so the reader accepts only unambiguous forms and
refuses everything else with a message that repeats the input:

- decimal degrees: ``41.5083 50.2``, ``41.5083, 50.2``, ``41.5083N 50.2E``, ``-12.5 130.1``;
- degrees and decimal minutes: ``41 30.5N 50 12.0E``, ``41°30.5′N 050°12.0′E``,
  ``N41 30.5 E050 12.0``, ``41 30.5 50 12.0`` (no letters: north and east);
- degrees, minutes and seconds: ``41°30′30″N 50°12′0″E``.

Latitude comes first. With hemisphere letters the letters decide (``50 12E 41 30N`` is read
as 41°30′N 50°12′E); each coordinate then needs exactly one letter, N or S for one and E or W
for the other, and no minus sign. Minutes and seconds must be below 60, and a value with
minutes needs whole degrees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Literal, NamedTuple

from littoral.errors import InputError

_TOKEN = re.compile(r"[+-]?\d+(?:\.\d+)?|[NSEWnsew]|[°º]|[′']|[″\"]|[,;]|\s+")
_EXAMPLE = "write it as e.g. '41 30.5N 50 12.0E' or '41.5083 50.2' (latitude first)"


class Position(NamedTuple):
    """A position in decimal degrees, in littoral's (lon, lat) order."""

    lon: float
    lat: float


def _fail(text: str, why: str) -> InputError:
    return InputError(f"cannot read the position {text!r}: {why}; {_EXAMPLE}")


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _fail(text, f"unexpected {text[pos : pos + 8]!r}")
        if not m.group().isspace():
            out.append(m.group())
        pos = m.end()
    return out


def _split(text: str, tokens: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split the tokens into the two coordinates and their hemisphere letters."""
    letters = [t.upper() for t in tokens if t.isalpha()]
    if letters:
        if len(letters) != 2:
            raise _fail(text, "give one hemisphere letter (N/S, E/W) to each coordinate")
        idx = [i for i, t in enumerate(tokens) if t.isalpha()]
        if idx[0] == 0:  # letters before the numbers: N41 30.5 E50 12.0
            first, second = tokens[1 : idx[1]], tokens[idx[1] + 1 :]
        else:
            if idx[1] != len(tokens) - 1:
                raise _fail(text, "a hemisphere letter must close or open each coordinate")
            first, second = tokens[: idx[0]], tokens[idx[0] + 1 : idx[1]]
        return _strip(first), _strip(second), letters
    seps = [i for i, t in enumerate(tokens) if t in ",;"]
    if len(seps) > 1:
        raise _fail(text, "more than one separator")
    if seps:
        return _strip(tokens[: seps[0]]), _strip(tokens[seps[0] + 1 :]), []
    numbers = [i for i, t in enumerate(tokens) if t[-1].isdigit()]
    degree_marks = [i for i, t in enumerate(tokens) if t in "°º"]
    if len(degree_marks) == 2:
        cut = degree_marks[1] - 1  # the second coordinate starts at its degrees
        return tokens[:cut], tokens[cut:], []
    if len(numbers) in (2, 4, 6):
        half = numbers[len(numbers) // 2]
        return tokens[:half], tokens[half:], []
    raise _fail(text, "cannot tell where the latitude ends and the longitude starts")


def _strip(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in ",;"]


def _value(
    text: str,
    tokens: list[str],
    signed: bool,
    fail: Callable[[str, str], InputError] = _fail,
) -> float:
    """Decimal degrees of one coordinate given as [D(°)] [M(′)] [S(″)] tokens."""
    numbers: list[str] = []
    marks: list[str] = []
    for t in tokens:
        if t[-1].isdigit():
            numbers.append(t)
            marks.append("")
        elif not numbers or marks[-1]:
            raise fail(text, f"misplaced {t!r}")
        else:
            marks[-1] = {"°": "°", "º": "°", "′": "′", "'": "′", "″": "″", '"': "″"}[t]
    if not 1 <= len(numbers) <= 3:
        raise fail(text, "a coordinate has degrees, then optionally minutes and seconds")
    expected = ["°", "′", "″"]
    for k, mark in enumerate(marks):
        if mark and mark != expected[k]:
            raise fail(text, f"{numbers[k]}{mark} is out of place")
    if any(n[0] in "+-" for n in numbers[1:]):
        raise fail(text, "only the degrees may carry a sign")
    if not signed and numbers[0][0] in "+-":
        raise fail(text, "use either a sign or a hemisphere letter, not both")
    values = [float(n) for n in numbers]
    for k in range(len(values) - 1):
        if values[k] != math.trunc(values[k]):
            raise fail(text, f"{numbers[k]} must be whole when followed by {numbers[k + 1]}")
    for k, name in ((1, "minutes"), (2, "seconds")):
        if len(values) > k and not 0.0 <= values[k] < 60.0:
            raise fail(text, f"{name} {numbers[k]} must be below 60")
    sign = -1.0 if numbers[0].startswith("-") else 1.0
    magnitude = abs(values[0]) + sum(v / 60.0**k for k, v in enumerate(values[1:], start=1))
    return sign * magnitude


def parse_position(text: str) -> Position:
    """Read a position typed by a person (latitude first) into decimal degrees.

    Parameters
    ----------
    text : str
        For example ``"41 30.5N 50 12.0E"``, ``"41°30.5′N 050°12.0′E"``, ``"41.5083 50.2"``.

    Returns
    -------
    Position
        ``(lon, lat)`` in decimal degrees.

    Raises
    ------
    InputError
        For anything else: out of range, NaN, wrong or doubled hemisphere letters, minutes
        of 60 or more, a form that could be read two ways. The message repeats the input.

    Examples
    --------
    >>> parse_position("41 30.5N 50 12.0E")
    Position(lon=50.2, lat=41.50833333333333)
    >>> parse_position("41.5, 50.25")
    Position(lon=50.25, lat=41.5)
    """
    if not isinstance(text, str) or not text.strip():
        raise _fail(str(text), "it is empty")
    tokens = _tokens(text)
    first, second, letters = _split(text, tokens)
    if not first or not second:
        raise _fail(text, "it needs a latitude and a longitude")
    a = _value(text, first, signed=not letters)
    b = _value(text, second, signed=not letters)
    if letters:
        axes = ["NS".find(x) >= 0 for x in letters]
        if axes[0] == axes[1]:
            raise _fail(text, f"hemispheres {letters[0]} and {letters[1]} are on the same axis")
        if not axes[0]:  # longitude given first, the letters say so
            a, b, letters = b, a, letters[::-1]
        a = -a if letters[0] == "S" else a
        b = -b if letters[1] == "W" else b
    lat, lon = a, b
    if not math.isfinite(lat) or not -90.0 <= lat <= 90.0:
        raise _fail(text, f"latitude {lat:g} is outside -90...90")
    if not math.isfinite(lon) or not -180.0 <= lon <= 180.0:
        raise _fail(text, f"longitude {lon:g} is outside -180...180")
    return Position(lon=lon, lat=lat)


def parse_coordinate(text: str, axis: Literal["lat", "lon"]) -> float:
    """Read one latitude or longitude typed by a person into decimal degrees.

    The forms of :func:`parse_position`, for one coordinate: decimal degrees with a sign
    (``-12.5``) or a hemisphere letter (``40.9N``), degrees and decimal minutes (``40 54N``,
    ``N40 54.0``, ``40°54′N``), degrees, minutes and seconds. Without a letter a value is
    north or east. The letter must fit the axis (N/S for a latitude, E/W for a longitude).

    Raises
    ------
    InputError
        Naming the value, for a wrong letter, minutes of 60 or more, a value out of range.

    Examples
    --------
    >>> parse_coordinate("40 54N", "lat")
    40.9
    >>> parse_coordinate("050 36.0E", "lon")
    50.6
    >>> parse_coordinate("-12.5", "lat")
    -12.5
    """
    name = "latitude" if axis == "lat" else "longitude"
    example = "'40 54.0N' or '40.9'" if axis == "lat" else "'050 36.0E' or '50.6'"

    def fail(given: str, why: str) -> InputError:
        return InputError(f"cannot read the {name} {given!r}: {why}; write it as e.g. {example}")

    if not isinstance(text, str) or not text.strip():
        raise fail(str(text), "it is empty")
    try:
        tokens = _tokens(text)
    except InputError:
        raise fail(text, "unexpected characters") from None
    letters = [t.upper() for t in tokens if t.isalpha()]
    numbers = [t for t in tokens if not t.isalpha()]
    if any(t in ",;" for t in numbers):
        raise fail(text, "one coordinate only, no separator")
    if len(letters) > 1:
        raise fail(text, "one hemisphere letter at most")
    at = [i for i, t in enumerate(tokens) if t.isalpha()]
    if at and at[0] not in (0, len(tokens) - 1):
        raise fail(text, "the hemisphere letter must open or close the coordinate")
    allowed = "NS" if axis == "lat" else "EW"
    if letters and letters[0] not in allowed:
        raise fail(
            text, f"{letters[0]} is not a hemisphere of a {name} ({allowed[0]} or {allowed[1]})"
        )
    value = _value(text, numbers, signed=not letters, fail=fail)
    if letters and letters[0] in "SW":
        value = -value
    limit = 90.0 if axis == "lat" else 180.0
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise fail(text, f"{value:g} is outside -{limit:g}...{limit:g}")
    return value


def format_position(lon: float, lat: float, decimals: int = 3) -> str:
    """Write a position as a mariner reads it, e.g. ``41°30.500′N 050°12.000′E``.

    Raises
    ------
    InputError
        For a non-finite or out-of-range position.
    """
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90 or abs(lon) > 180:
        raise InputError(f"position lon={lon!r} lat={lat!r} is not a valid position")

    def dm(value: float, width: int, hemispheres: str) -> str:
        hemi = hemispheres[0] if value >= 0 else hemispheres[1]
        minutes_total = round(abs(value) * 60.0, decimals)
        degrees, minutes = divmod(minutes_total, 60.0)
        return f"{int(degrees):0{width}d}°{minutes:0{decimals + 3}.{decimals}f}′{hemi}"

    return f"{dm(lat, 2, 'NS')} {dm(lon, 3, 'EW')}"
