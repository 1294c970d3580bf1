"""The plan's map and printable page: one probability unit, titles that match the text,
symbols named only when shown, the summary first and the map beside its table."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from littoral.search.allocation import SearchPlan, plan_search
from littoral.search.detection import DetectionModel
from littoral.search.facilities import SearchUnit
from littoral.search.grid import open_water
from littoral.search.printable import PAGE_CSS, plan_page
from littoral.search.priors import Datum, datum_frame, from_datum
from littoral.search.report import (
    PROBABILITY_CMAP,
    PROBABILITY_UNIT,
    cell_text,
    plan_summary,
    plot_plan,
)
from littoral.search.sweep_tables import Platform

DATUM = Datum(51.0, 41.0, 4.0)
MODEL = DetectionModel("Raft 4 person", visibility_nm=10)
NEAR = SearchUnit("Patrol", "AZ", Platform.VESSEL, 12, 10, 51.0, 41.0, 12, 14)
FAR = SearchUnit("Helo", "RU", Platform.HELICOPTER, 90, 3, 47.6, 43.0, 120, 500)


@pytest.fixture(scope="module")
def plan() -> SearchPlan:
    prior = from_datum(DATUM, frame=datum_frame([DATUM], max_side_cells=60), water=open_water)
    return plan_search(prior, [NEAR, FAR], MODEL)


def drawn(plan: SearchPlan, tmp_path: Path) -> tuple[object, object]:
    """Draw the plan and return the figure's title and legend texts, read back from matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    seen: dict[str, object] = {}
    original = plt.close

    def keep(fig: object = None) -> None:
        ax = fig.axes[0]  # type: ignore[union-attr]
        seen["title"] = ax.get_title()
        legend = ax.get_legend()
        seen["legend"] = [t.get_text() for t in legend.get_texts()] if legend else []
        seen["colourbar"] = fig.axes[1].get_ylabel()  # type: ignore[union-attr]
        seen["cmap"] = ax.collections[0].get_cmap().name
        seen["xlim"] = ax.get_xlim()
        original(fig)

    plt.close = keep
    try:
        plot_plan(plan, tmp_path / "map.png", title="Plan")
    finally:
        plt.close = original
    assert (tmp_path / "map.png").stat().st_size > 10_000
    return seen, plan


def test_map_title_and_colour_bar_say_what_the_text_says(plan: SearchPlan, tmp_path: Path) -> None:
    seen, _ = drawn(plan, tmp_path)
    cells = cell_text(plan.grid.frame.cell_nm)
    assert f"cells of {cells}" in str(seen["title"])
    assert f"cells of {cells}" in plan_summary(plan)
    assert "km" not in str(seen["title"])
    assert seen["colourbar"] == f"{PROBABILITY_UNIT} (cells of {cells})"
    assert seen["cmap"] == PROBABILITY_CMAP


def test_only_symbols_on_the_map_are_in_its_legend(plan: SearchPlan, tmp_path: Path) -> None:
    seen, _ = drawn(plan, tmp_path)
    legend = seen["legend"]
    west, east = seen["xlim"]  # type: ignore[misc]
    # the patrol's base lies in the area, the helicopter's at Makhachkala far off the map
    assert west <= NEAR.base_lon <= east
    assert not west <= FAR.base_lon <= east
    assert "unit's base" in legend  # type: ignore[operator]
    assert "▲" not in str(seen["title"])
    far_only = replace(plan, assignments=[a for a in plan.assignments if a.unit is FAR])
    seen, _ = drawn(far_only, tmp_path)
    assert "unit's base" not in seen["legend"]  # type: ignore[operator]


def test_the_page_reads_top_down_and_prints(plan: SearchPlan) -> None:
    html = plan_page(
        plan, title="Plan", summary_text=plan_summary(plan), map_name="map.png", warning="late"
    )
    summary = html.index("<h2>Summary</h2>")
    figure = html.index("<img src='map.png'")
    assert summary < figure < html.index("<h2>Full plan</h2>")
    # the map and the units' table sit in one two-column block, kept together on paper
    block = re.search(r"<section class='pair'>(.*?)</section>", html, re.S)
    assert block is not None
    assert "map.png" in block.group(1)
    assert "<th>POS</th>" in block.group(1)
    assert ".pair{display:grid" in PAGE_CSS
    assert "@media print{" in PAGE_CSS
    assert ".pair{break-inside:avoid" in PAGE_CSS
    assert f"{plan.pos:.1%}" in html[summary:figure]
    assert "late" in html[summary:figure]
    assert f"cells of {cell_text(plan.grid.frame.cell_nm)}" in html
    assert PROBABILITY_UNIT in html


def test_times_to_the_minute() -> None:
    from datetime import UTC, datetime

    from littoral.search.printable import minute

    assert minute(datetime(2026, 5, 1, 8, 32, 27, 378_054, tzinfo=UTC)) == "01 08:32"
    assert not re.search(r"\d\d:\d\d:\d\d", minute(datetime.now(UTC)))


def test_density_unit_does_not_change_with_the_cell(plan: SearchPlan) -> None:
    # per NM²: the same cloud on cells of half the side has the same peak density
    g = plan.grid
    coarse = from_datum(DATUM, frame=datum_frame([DATUM], max_side_cells=30), water=open_water)
    assert np.nanmax(g.density) == pytest.approx(np.nanmax(coarse.density), rel=0.15)
