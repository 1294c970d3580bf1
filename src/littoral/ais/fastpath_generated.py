"""Position decoders generated from :mod:`littoral.ais.layout`: do not edit by hand.

Regenerate with ``python -m littoral.ais.layout`` after changing the table.
"""

from __future__ import annotations

from datetime import datetime

from littoral.ais.constructors import new_position
from littoral.records.reports import AisClass, PositionReport, StaticReport

Record = PositionReport | StaticReport

_A = AisClass.A
_B = AisClass.B


def type_1_2_3(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a class A position report (types 1, 2, 3; 168 bits)."""
    lon = (v >> 79) & 0xFFFFFFF
    if lon & 0x8000000:
        lon -= 0x10000000
    lat = (v >> 52) & 0x7FFFFFF
    if lat & 0x4000000:
        lat -= 0x8000000
    if not (-108000000 <= lon <= 108000000 and -54000000 <= lat <= 54000000):
        return ()
    speed = (v >> 108) & 1023
    course = (v >> 40) & 4095
    heading = (v >> 31) & 511
    return (
        new_position(
            (v >> 130) & 0x3FFFFFFF,
            time,
            ((10 * lon + 3) // 6) / 1e6,
            ((10 * lat + 3) // 6) / 1e6,
            v >> 162,
            source,
            None if speed == 1023 else speed / 10.0,
            None if course >= 3600 else course / 10.0,
            None if heading >= 360 else float(heading),
            (v >> 126) & 15,
            _A,
            bool((v >> 107) & 1),
        ),
    )


def type_18(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a standard class B position report (type 18; 168 bits)."""
    lon = (v >> 83) & 0xFFFFFFF
    if lon & 0x8000000:
        lon -= 0x10000000
    lat = (v >> 56) & 0x7FFFFFF
    if lat & 0x4000000:
        lat -= 0x8000000
    if not (-108000000 <= lon <= 108000000 and -54000000 <= lat <= 54000000):
        return ()
    speed = (v >> 112) & 1023
    course = (v >> 44) & 4095
    heading = (v >> 35) & 511
    return (
        new_position(
            (v >> 130) & 0x3FFFFFFF,
            time,
            ((10 * lon + 3) // 6) / 1e6,
            ((10 * lat + 3) // 6) / 1e6,
            18,
            source,
            None if speed == 1023 else speed / 10.0,
            None if course >= 3600 else course / 10.0,
            None if heading >= 360 else float(heading),
            None,
            _B,
            bool((v >> 111) & 1),
        ),
    )


def type_4(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a base station report (type 4; 168 bits) into its position."""
    lon = (v >> 61) & 0xFFFFFFF
    if lon & 0x8000000:
        lon -= 0x10000000
    lat = (v >> 34) & 0x7FFFFFF
    if lat & 0x4000000:
        lat -= 0x8000000
    if not (-108000000 <= lon <= 108000000 and -54000000 <= lat <= 54000000):
        return ()
    return (
        PositionReport(
            (v >> 130) & 0x3FFFFFFF,
            time,
            ((10 * lon + 3) // 6) / 1e6,
            ((10 * lat + 3) // 6) / 1e6,
            4,
            source,
            ais_class=AisClass.BASE,
            accuracy=bool((v >> 89) & 1),
        ),
    )


def type_9(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a SAR aircraft position report (type 9; 168 bits; whole knots)."""
    lon = (v >> 79) & 0xFFFFFFF
    if lon & 0x8000000:
        lon -= 0x10000000
    lat = (v >> 52) & 0x7FFFFFF
    if lat & 0x4000000:
        lat -= 0x8000000
    if not (-108000000 <= lon <= 108000000 and -54000000 <= lat <= 54000000):
        return ()
    speed = (v >> 108) & 1023
    course = (v >> 40) & 4095
    return (
        new_position(
            (v >> 130) & 0x3FFFFFFF,
            time,
            ((10 * lon + 3) // 6) / 1e6,
            ((10 * lat + 3) // 6) / 1e6,
            9,
            source,
            None if speed == 1023 else float(speed),
            None if course >= 3600 else course / 10.0,
            None,
            None,
            AisClass.SAR,
            bool((v >> 107) & 1),
        ),
    )


def type_27(v: int, time: datetime, source: str) -> tuple[Record, ...]:
    """Decode a long-range position report (type 27; 96 bits; 1/10 minute)."""
    lon = (v >> 34) & 0x3FFFF
    if lon & 0x20000:
        lon -= 0x40000
    lat = (v >> 17) & 0x1FFFF
    if lat & 0x10000:
        lat -= 0x20000
    if not (-108000 <= lon <= 108000 and -54000 <= lat <= 54000):
        return ()
    speed = (v >> 11) & 63
    course = (v >> 2) & 511
    return (
        new_position(
            (v >> 58) & 0x3FFFFFFF,
            time,
            ((10000 * lon + 3) // 6) / 1e6,
            ((10000 * lat + 3) // 6) / 1e6,
            27,
            source,
            None if speed == 63 else float(speed),
            None if course >= 360 else float(course),
            None,
            (v >> 52) & 15,
            _A,
            bool((v >> 57) & 1),
        ),
    )
