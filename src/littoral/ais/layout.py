"""One table of the AIS position-report bit layouts, driving the fast path and the lane.

Each :class:`BitField` gives a field's name (as pyais and gpsd name it), its offset from
the first bit of the payload, width, sign, scale to the unit littoral uses and the raw
"not available" value (ITU-R M.1371-5, Annex 8; gpsd's "AIVDM/AIVDO protocol decoding").
The scalar decoders of :mod:`littoral.ais.fastpath` are generated from this table into
:mod:`littoral.ais.fastpath_generated` (``python -m littoral.ais.layout`` rewrites it; a
test fails when the file and the table differ), so they keep literal shifts and masks, the
fastest Python there is; the vectorised lane (:mod:`littoral.ais.lane`) reads its offsets
from the table directly. ``tests/unit/ais/test_ais_layout.py`` checks every field against
pyais's own message definitions: offset, width, sign and scale.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class BitField:
    """One field of a fixed AIS layout.

    Attributes
    ----------
    name
        Field name, as pyais names it.
    offset
        First bit, counted from the start of the payload.
    width
        Number of bits.
    signed
        Two's complement.
    scale
        Unit of one raw step in littoral's unit (knots, degrees...).
    not_available
        Raw value meaning "not available", if the field has one.
    valid_below
        Raw values from this one up are not a value (heading 360-511, course 3600-4095);
        ``None`` when only ``not_available`` is.
    """

    name: str
    offset: int
    width: int
    signed: bool = False
    scale: float = 1.0
    not_available: int | None = None
    valid_below: int | None = None

    @property
    def mask(self) -> int:
        """Mask of ``width`` low bits."""
        return (1 << self.width) - 1

    def shift(self, bits: int) -> int:
        """Right shift that brings the field to the low end of a ``bits``-bit payload."""
        return bits - self.offset - self.width


@dataclass(frozen=True, slots=True)
class Layout:
    """The fixed fields of one message layout, in bit order."""

    name: str
    types: tuple[int, ...]
    bits: int
    fields: tuple[BitField, ...]

    def __getitem__(self, name: str) -> BitField:
        """Return the field called ``name``."""
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(f"layout {self.name!r} has no field {name!r}")


_DEG_PER_TEN_THOUSANDTH_MIN = 1 / 600_000
_DEG_PER_TENTH_MIN = 1 / 600


def _common() -> tuple[BitField, ...]:
    return BitField("msg_type", 0, 6), BitField("mmsi", 8, 30)


def _lon_lat(lon_at: int, lat_at: int, width: int, scale: float) -> tuple[BitField, ...]:
    return (
        BitField("lon", lon_at, width, True, scale, round(181 / scale)),
        BitField("lat", lat_at, width - 1, True, scale, round(91 / scale)),
    )


CLASS_A = Layout(
    "class_a",
    (1, 2, 3),
    168,
    (
        *_common(),
        BitField("status", 38, 4, not_available=15),
        BitField("turn", 42, 8, signed=True, not_available=-128),
        BitField("speed", 50, 10, scale=0.1, not_available=1023),
        BitField("accuracy", 60, 1),
        *_lon_lat(61, 89, 28, _DEG_PER_TEN_THOUSANDTH_MIN),
        BitField("course", 116, 12, scale=0.1, not_available=3600, valid_below=3600),
        BitField("heading", 128, 9, not_available=511, valid_below=360),
    ),
)
"""Class A position report (types 1, 2, 3)."""

BASE_STATION = Layout(
    "base_station",
    (4,),
    168,
    (*_common(), BitField("accuracy", 78, 1), *_lon_lat(79, 107, 28, _DEG_PER_TEN_THOUSANDTH_MIN)),
)
"""Base station report (type 4)."""

SAR_AIRCRAFT = Layout(
    "sar_aircraft",
    (9,),
    168,
    (
        *_common(),
        BitField("speed", 50, 10, not_available=1023),
        BitField("accuracy", 60, 1),
        *_lon_lat(61, 89, 28, _DEG_PER_TEN_THOUSANDTH_MIN),
        BitField("course", 116, 12, scale=0.1, not_available=3600, valid_below=3600),
    ),
)
"""Standard SAR aircraft position report (type 9; speed in whole knots)."""

CLASS_B = Layout(
    "class_b",
    (18,),
    168,
    (
        *_common(),
        BitField("speed", 46, 10, scale=0.1, not_available=1023),
        BitField("accuracy", 56, 1),
        *_lon_lat(57, 85, 28, _DEG_PER_TEN_THOUSANDTH_MIN),
        BitField("course", 112, 12, scale=0.1, not_available=3600, valid_below=3600),
        BitField("heading", 124, 9, not_available=511, valid_below=360),
    ),
)
"""Standard class B position report (type 18)."""

LONG_RANGE = Layout(
    "long_range",
    (27,),
    96,
    (
        *_common(),
        BitField("accuracy", 38, 1),
        BitField("status", 40, 4, not_available=15),
        *_lon_lat(44, 62, 18, _DEG_PER_TENTH_MIN),
        BitField("speed", 79, 6, not_available=63),
        BitField("course", 85, 9, not_available=511, valid_below=360),
    ),
)
"""Long-range AIS broadcast (type 27; 1/10 minute positions, whole knots and degrees)."""

LAYOUTS: tuple[Layout, ...] = (CLASS_A, BASE_STATION, SAR_AIRCRAFT, CLASS_B, LONG_RANGE)
"""Every layout of the table."""


# -- code generation ---------------------------------------------------------------------

_HEAD = '''"""Position decoders generated from :mod:`littoral.ais.layout`: do not edit by hand.

Regenerate with ``python -m littoral.ais.layout`` after changing the table.
"""

from __future__ import annotations

from datetime import datetime

from littoral.ais.constructors import new_position
from littoral.records.reports import AisClass, PositionReport, StaticReport

Record = PositionReport | StaticReport

_A = AisClass.A
_B = AisClass.B
'''


def _signed_lines(name: str, f: BitField, bits: int) -> list[str]:
    return [
        f"    {name} = (v >> {f.shift(bits)}) & 0x{f.mask:X}",
        f"    if {name} & 0x{1 << (f.width - 1):X}:",
        f"        {name} -= 0x{1 << f.width:X}",
    ]


def _position_lines(layout: Layout) -> list[str]:
    """Cut lon and lat, refuse the out-of-range ones, and name the scaled values."""
    lon, lat = layout["lon"], layout["lat"]
    lines = [
        *_signed_lines("lon", lon, layout.bits),
        *_signed_lines("lat", lat, layout.bits),
    ]
    lon_max, lat_max = round(180 / lon.scale), round(90 / lat.scale)
    lines += [
        f"    if not (-{lon_max} <= lon <= {lon_max} and -{lat_max} <= lat <= {lat_max}):",
        "        return ()",
    ]
    return lines


def _micro(name: str, f: BitField) -> str:
    """Degrees rounded to 10^-6 as pyais rounds them: round(raw * scale * 1e6), in integers."""
    factor = round(6e6 * f.scale)  # raw * scale * 1e6 == raw * factor / 6
    return f"(({factor} * {name} + 3) // 6) / 1e6"


def _value(expr: str, f: BitField, scale: str) -> str:
    """``expr`` (the raw value) scaled, or None when not available."""
    if f.valid_below is not None:
        return f"None if {expr} >= {f.valid_below} else {scale}"
    return f"None if {expr} == {f.not_available} else {scale}"


def _raw(f: BitField, bits: int) -> str:
    mask = f"0x{f.mask:X}" if f.width > 12 else str(f.mask)
    return f"(v >> {f.shift(bits)}) & {mask}"


def _scaled(name: str, f: BitField) -> str:
    if f.scale == 1.0:
        return f"float({name})"
    return f"{name} / {round(1 / f.scale)}.0"


def _render_moving(layout: Layout, func: str, doc: str, kind: str) -> str:
    """Render the decoder of a layout with speed and course (types 1-3, 9, 18, 27)."""
    bits = layout.bits
    fields = {f.name for f in layout.fields}
    lines = [f"def {func}(v: int, time: datetime, source: str) -> tuple[Record, ...]:", doc]
    lines += _position_lines(layout)
    speed, course = layout["speed"], layout["course"]
    lines.append(f"    speed = {_raw(speed, bits)}")
    lines.append(f"    course = {_raw(course, bits)}")
    if "heading" in fields:
        lines.append(f"    heading = {_raw(layout['heading'], bits)}")
    heading = (
        _value("heading", layout["heading"], "float(heading)") if "heading" in fields else "None"
    )
    status = f"{_raw(layout['status'], bits)}" if "status" in fields else "None"
    mmsi, accuracy = layout["mmsi"], layout["accuracy"]
    first = layout["msg_type"].shift(bits)
    msg_type = f"v >> {first}" if len(layout.types) > 1 else str(layout.types[0])
    lines += [
        "    return (",
        "        new_position(",
        f"            {_raw(mmsi, bits)},",
        "            time,",
        f"            {_micro('lon', layout['lon'])},",
        f"            {_micro('lat', layout['lat'])},",
        f"            {msg_type},",
        "            source,",
        f"            {_value('speed', speed, _scaled('speed', speed))},",
        f"            {_value('course', course, _scaled('course', course))},",
        f"            {heading},",
        f"            {status},",
        f"            {kind},",
        f"            bool((v >> {accuracy.shift(bits)}) & 1),",
        "        ),",
        "    )",
    ]
    return "\n".join(lines)


def _render_base(layout: Layout) -> str:
    bits = layout.bits
    lines = [
        "def type_4(v: int, time: datetime, source: str) -> tuple[Record, ...]:",
        '    """Decode a base station report (type 4; 168 bits) into its position."""',
        *_position_lines(layout),
        "    return (",
        "        PositionReport(",
        f"            {_raw(layout['mmsi'], bits)},",
        "            time,",
        f"            {_micro('lon', layout['lon'])},",
        f"            {_micro('lat', layout['lat'])},",
        "            4,",
        "            source,",
        "            ais_class=AisClass.BASE,",
        f"            accuracy=bool((v >> {layout['accuracy'].shift(bits)}) & 1),",
        "        ),",
        "    )",
    ]
    return "\n".join(lines)


def render_fastpath() -> str:
    """Return the source of :mod:`littoral.ais.fastpath_generated`."""
    parts = [
        _HEAD.rstrip("\n"),
        _render_moving(
            CLASS_A,
            "type_1_2_3",
            '    """Decode a class A position report (types 1, 2, 3; 168 bits)."""',
            "_A",
        ),
        _render_moving(
            CLASS_B,
            "type_18",
            '    """Decode a standard class B position report (type 18; 168 bits)."""',
            "_B",
        ),
        _render_base(BASE_STATION),
        _render_moving(
            SAR_AIRCRAFT,
            "type_9",
            '    """Decode a SAR aircraft position report (type 9; 168 bits; whole knots)."""',
            "AisClass.SAR",
        ),
        _render_moving(
            LONG_RANGE,
            "type_27",
            '    """Decode a long-range position report (type 27; 96 bits; 1/10 minute)."""',
            "_A",
        ),
    ]
    return "\n\n\n".join(parts) + "\n"


GENERATED = Path(__file__).with_name("fastpath_generated.py")
"""Where :func:`render_fastpath` is written."""


def main() -> int:
    """Write :data:`GENERATED` from the table."""
    GENERATED.write_text(render_fastpath(), encoding="utf-8")
    print(f"wrote {GENERATED.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
