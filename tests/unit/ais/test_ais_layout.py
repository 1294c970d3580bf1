"""The one table of AIS bit layouts, checked against pyais's own message definitions."""

from __future__ import annotations

import attr
import pyais.messages as pm
import pytest

from littoral.ais.layout import CLASS_A, CLASS_B, GENERATED, LAYOUTS, Layout, render_fastpath

PYAIS = {1: pm.MessageType1, 4: pm.MessageType4, 9: pm.MessageType9, 18: pm.MessageType18}
PYAIS[27] = pm.MessageType27


def _pyais_fields(cls: type) -> dict[str, tuple[int, int, bool, object]]:
    """Field name -> (offset, width, signed, raw-to-value converter) from pyais's table.

    (pyais names the converter from raw bits to a value ``to_converter``.)
    """
    out: dict[str, tuple[int, int, bool, object]] = {}
    offset = 0
    for item in attr.fields(cls):
        meta = item.metadata
        out[item.name] = (offset, meta["width"], meta["signed"], meta["to_converter"])
        offset += meta["width"]
    return out


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda x: x.name)
def test_every_field_agrees_with_pyais(layout: Layout) -> None:
    theirs = _pyais_fields(PYAIS[layout.types[0]])
    assert sum(w for _, w, _, _ in theirs.values()) == layout.bits
    for field in layout.fields:
        offset, width, signed, convert = theirs[field.name]
        assert (field.offset, field.width, field.signed) == (offset, width, signed), field
        if field.name in ("msg_type", "mmsi", "status", "accuracy", "heading", "turn"):
            continue  # no scale (pyais gives enums, booleans and rate-of-turn codes)
        for raw in (0, 1, 7, 123, (1 << (width - 1)) - 1):
            expected = convert(raw) if callable(convert) else raw
            # pyais rounds degrees to 10^-6
            assert raw * field.scale == pytest.approx(expected, abs=6e-7), (field, raw)


def test_not_available_codes_are_the_itu_ones() -> None:
    for layout in LAYOUTS:
        lon, lat = layout["lon"], layout["lat"]
        assert lon.not_available is not None
        assert lat.not_available is not None
        assert lon.not_available * lon.scale == pytest.approx(181)
        assert lat.not_available * lat.scale == pytest.approx(91)
    assert CLASS_A["speed"].not_available == 1023
    assert CLASS_A["heading"].not_available == 511
    assert CLASS_A["course"].not_available == 3600


def test_class_a_and_b_share_what_the_lane_decodes_in_one_column() -> None:
    for name in ("speed", "course", "heading", "lon", "lat", "accuracy"):
        a, b = CLASS_A[name], CLASS_B[name]
        assert (a.width, a.signed, a.scale, a.not_available, a.valid_below) == (
            b.width,
            b.signed,
            b.scale,
            b.not_available,
            b.valid_below,
        )


def test_the_generated_decoders_are_those_of_the_table() -> None:
    assert GENERATED.read_text(encoding="utf-8") == render_fastpath(), (
        "run `python -m littoral.ais.layout` after changing the table"
    )
