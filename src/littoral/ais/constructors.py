"""Constructors of the seam records that fill their slots directly.

The frozen dataclasses of :mod:`littoral.records.reports` set each field through
``object.__setattr__`` in their ``__init__``; filling the slots directly makes an identical
object in about half the time, which matters at hundreds of thousands of records a second.
If a seam type ever changes shape, the plain constructor is used instead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import datetime
from itertools import repeat
from operator import attrgetter
from typing import Any

from littoral.records.reports import AisClass, PositionReport, StaticReport


def _position_factory() -> Callable[..., PositionReport]:
    """Return a constructor of :class:`PositionReport` from its fields in order.

    The frozen dataclass's own ``__init__`` goes through ``object.__setattr__`` for each of
    its twelve fields; filling the slots directly makes an identical object in half the
    time, which matters at hundreds of thousands of reports a second. If the seam type ever
    changes shape, the plain constructor is used.
    """
    names = [f.name for f in fields(PositionReport)]
    expected = [
        "mmsi", "time", "lon", "lat", "msg_type", "source", "sog_kn", "cog_deg",
        "heading_deg", "nav_status", "ais_class", "accuracy",
    ]  # fmt: skip
    if names != expected or not hasattr(PositionReport, "__slots__"):
        return PositionReport
    (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11) = (
        getattr(PositionReport, name).__set__ for name in names
    )
    new = object.__new__

    def make(
        mmsi: int,
        time: datetime,
        lon: float,
        lat: float,
        msg_type: int,
        source: str,
        sog_kn: float | None,
        cog_deg: float | None,
        heading_deg: float | None,
        nav_status: int | None,
        ais_class: AisClass,
        accuracy: bool,
    ) -> PositionReport:
        obj = new(PositionReport)
        s0(obj, mmsi)
        s1(obj, time)
        s2(obj, lon)
        s3(obj, lat)
        s4(obj, msg_type)
        s5(obj, source)
        s6(obj, sog_kn)
        s7(obj, cog_deg)
        s8(obj, heading_deg)
        s9(obj, nav_status)
        s10(obj, ais_class)
        s11(obj, accuracy)
        return obj

    return make


new_position = _position_factory()


def _columns_factory() -> Callable[..., list[PositionReport]]:
    """Return a maker of many :class:`PositionReport` from their fields as twelve columns.

    The same objects as :data:`new_position` on each row, filled a column at a time: each
    slot's setter is mapped over the objects, a loop in C rather than a call per record.
    """
    if new_position is PositionReport:
        return lambda *columns: list(map(PositionReport, *columns))
    setters = [getattr(PositionReport, f.name).__set__ for f in fields(PositionReport)]
    new = object.__new__

    def make_all(*columns: Sequence[object]) -> list[PositionReport]:
        if len(columns) != len(setters):
            raise TypeError(f"{len(setters)} columns expected, {len(columns)} given")
        count = len(columns[0])
        if any(len(column) != count for column in columns):
            raise ValueError("the columns differ in length")
        reports = list(map(new, repeat(PositionReport, count)))
        for setter, column in zip(setters, columns, strict=True):
            deque(map(setter, reports, column), maxlen=0)
        return reports

    return make_all


new_positions = _columns_factory()
"""Make position reports from their fields as twelve columns (:data:`new_position`'s order)."""

POSITION_WIDTH = len(fields(PositionReport))
"""Number of fields of a :class:`PositionReport`: the columns of :func:`position_columns`."""

_position_fields = attrgetter(*(f.name for f in fields(PositionReport)))


def position_columns(reports: Sequence[PositionReport]) -> list[list[Any]]:
    """Return the fields of ``reports`` as columns, one per field, in order.

    The reverse of :data:`new_positions`.
    """
    if not reports:
        return [[] for _ in range(POSITION_WIDTH)]
    return [list(column) for column in zip(*map(_position_fields, reports), strict=True)]


def _static_factory() -> Callable[..., StaticReport]:
    """Return a constructor of :class:`StaticReport` from its 16 fields in order.

    As :func:`_position_factory`: slots filled directly, the plain constructor if the seam
    type changes shape.
    """
    names = [f.name for f in fields(StaticReport)]
    expected = [
        "mmsi", "time", "msg_type", "source", "name", "callsign", "imo", "ship_type",
        "to_bow_m", "to_stern_m", "to_port_m", "to_starboard_m", "destination", "eta",
        "draught_m", "ais_class",
    ]  # fmt: skip
    if names != expected or not hasattr(StaticReport, "__slots__"):
        return StaticReport
    setters = [getattr(StaticReport, name).__set__ for name in names]
    (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15) = setters
    new = object.__new__

    def make(
        mmsi: int,
        time: datetime,
        msg_type: int,
        source: str,
        name: str | None,
        callsign: str | None,
        imo: int | None,
        ship_type: int | None,
        to_bow_m: float | None,
        to_stern_m: float | None,
        to_port_m: float | None,
        to_starboard_m: float | None,
        destination: str | None,
        eta: datetime | None,
        draught_m: float | None,
        ais_class: AisClass,
    ) -> StaticReport:
        obj = new(StaticReport)
        s0(obj, mmsi)
        s1(obj, time)
        s2(obj, msg_type)
        s3(obj, source)
        s4(obj, name)
        s5(obj, callsign)
        s6(obj, imo)
        s7(obj, ship_type)
        s8(obj, to_bow_m)
        s9(obj, to_stern_m)
        s10(obj, to_port_m)
        s11(obj, to_starboard_m)
        s12(obj, destination)
        s13(obj, eta)
        s14(obj, draught_m)
        s15(obj, ais_class)
        return obj

    return make


new_static = _static_factory()
