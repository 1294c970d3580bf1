"""The plan as a person reads it: a text summary, a PNG map and a printable page.

Every probability map of littoral (``search plan`` and the exercise report) is drawn by
:func:`draw_probability`: one colour scale (``YlOrRd`` from zero, land grey) and one unit,
probability per NM², which does not change with the grid's cell size, so two maps compare.
Map titles give the cell size as the text does (:func:`cell_text`, in NM). A symbol is named
in a legend only when the map shows it (a base far off the search area is not drawn).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from littoral.search.allocation import Assignment, SearchPlan
from littoral.search.grid import ProbabilityGrid
from littoral.search.sweep_tables import Platform
from littoral.units import M_PER_NM


def _latlon(lon: float, lat: float) -> str:
    """Latitude first, degrees and minutes, as mariners write it."""

    def dm(v: float, pos: str, neg: str, width: int) -> str:
        h = pos if v >= 0 else neg
        v = abs(v)
        d = int(v)
        m = (v - d) * 60
        if round(m, 1) >= 60.0:
            d, m = d + 1, 0.0
        return f"{d:0{width}d}°{m:04.1f}′{h}"

    return f"{dm(lat, 'N', 'S', 2)} {dm(lon, 'E', 'W', 3)}"


def _route_nm(route: tuple[np.ndarray, np.ndarray] | None) -> float:
    if route is None or len(route[0]) < 2:
        return 0.0
    from littoral.geo import haversine_m

    lon, lat = route
    return float(haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:]).sum()) / M_PER_NM


def plan_summary(plan: SearchPlan, *, title: str = "Search plan") -> str:
    """Readable summary: conditions, then each unit's area, pattern and IAMSAR figures."""
    g = plan.grid
    m = plan.model
    timed = any(a.window is not None for a in plan.assignments)
    conditions = (
        "weather per unit below"
        if timed
        else f"visibility {m.visibility_nm:g} NM, wind {m.wind_kn:g} kn, sea {m.sea_m:g} m"
    )
    lines = [
        title,
        "=" * len(title),
        f"Search object: {m.search_object}; {conditions}; POD law {m.law}",
        f"Grid: {g.frame.nx} x {g.frame.ny} cells of {cell_text(g.frame.cell_nm)} "
        f"(equal-area, centred {_latlon(g.frame.lon0, g.frame.lat0)})",
        f"Probability stranded ashore (not searched): {g.stranded_probability:.1%}; "
        f"outside the grid: {g.outside_probability:.1%}; found so far: {g.cumulative_pos:.1%}",
        "",
    ]
    for a in plan.assignments:
        u = a.unit
        lines.append(f"{u.name} ({u.state}, {u.platform}, from {u.base_name})")
        w = a.window
        if w is not None:
            lines.append(
                f"  Leaves {w.depart:%d %H:%M}, on scene {w.arrive:%d %H:%M}-{w.leave:%d %H:%M} "
                f"UTC, searching in daylight to {w.search_end:%d %H:%M}"
                + (f" (first light {w.first_light:%H:%M})" if w.first_light else "")
            )
            if w.conditions is not None:
                c = w.conditions
                lines.append(
                    f"  On scene: wind {c.wind_kn:.0f} kn, sea {c.sea_m:g} m, visibility "
                    f"{c.visibility_nm:g} NM ({c.source})"
                )
        if a.rect is None or a.pattern is None:
            lines.append(f"  {a.note}")
            lines.append("")
            continue
        lon, lat = a.pattern.commence_search_point
        lines += [
            f"  Pattern {a.pattern.kind}, CSP {_latlon(lon, lat)}",
            f"  Area {a.area_nm2:.1f} NM², track spacing {a.spacing_nm:.2f} NM, "
            f"sweep width {a.sweep_width.corrected_nm:.2f} NM "
            f"(table {a.sweep_width.uncorrected_nm:.2f} x weather {a.sweep_width.weather:g} "
            f"x speed {a.sweep_width.speed:.2f} x fatigue {a.sweep_width.fatigue:g})",
            f"  Coverage {a.coverage:.2f} (W/S), {a.swept_coverage:.2f} laid (W x length / "
            f"area), POD {a.pod:.0%}, POC {a.poc:.0%}, POS {a.pos:.1%}",
            f"  Transit {a.transit_nm:.1f} NM out, {_route_nm(a.route_back):.1f} NM back"
            f"{' (by water, round land)' if u.platform is Platform.VESSEL else ''}; "
            f"track {a.pattern.length_nm:.1f} NM, {a.time_on_scene_h:.1f} h searching at "
            f"{u.speed_kn:g} kn; reserve {u.reserve_hours:.1f} h",
        ]
        if a.note:
            lines.append(f"  Note: {a.note}")
        lines.append("")
    lines += [
        f"Plan POS {plan.pos:.1%}; best possible with this effort (unconstrained optimum) "
        f"{plan.bound.pos:.1%}; ratio {plan.ratio_to_bound:.2f}",
    ]
    if "pos_particles" in plan.extra:
        lines.append(
            f"On the drift's particles themselves (what search update with these routes finds): "
            f"POS {plan.extra['pos_particles']:.1%}"
        )
    return "\n".join(lines) + "\n"


PROBABILITY_CMAP = "YlOrRd"
"""The one colour scale of probability maps."""

PROBABILITY_UNIT = "probability per NM²"
"""The one unit of probability maps."""


def cell_text(cell_nm: float) -> str:
    """Return a grid's cell size as the plan's text and maps write it.

    Examples
    --------
    >>> cell_text(0.1347)
    '0.13 NM'
    """
    return f"{cell_nm:.2f} NM"


def draw_probability(fig: Any, ax: Any, grid: ProbabilityGrid) -> tuple[Any, Any]:
    """Draw ``grid`` as probability per NM² on the one colour scale; return the cell edges.

    Returns the longitudes and latitudes of the cells' corners, ``(ny + 1, nx + 1)`` each.
    """
    f = grid.frame
    ex, ey = np.meshgrid(f.x_edges_nm(), f.y_edges_nm())
    lon_e, lat_e = f.to_lonlat(ex, ey)
    dens = np.where(grid.water, grid.density, np.nan)
    mesh = ax.pcolormesh(lon_e, lat_e, dens, cmap=PROBABILITY_CMAP, vmin=0.0, shading="flat")
    land = np.where(grid.water, np.nan, 1.0)
    ax.pcolormesh(lon_e, lat_e, land, cmap="Greys", vmin=0, vmax=2, shading="flat")
    fig.colorbar(
        mesh, ax=ax, shrink=0.7, label=f"{PROBABILITY_UNIT} (cells of {cell_text(f.cell_nm)})"
    )
    return lon_e, lat_e


def degrees_minutes_axes(ax: Any) -> None:
    """Label a map's axes in degrees and minutes, as a chart does."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    def label(hemispheres: str) -> Any:
        def fmt(value: float, _pos: int) -> str:
            h = hemispheres[0] if value >= 0 else hemispheres[1]
            minutes = round(abs(value) * 60.0, 1)
            d, m = divmod(minutes, 60.0)
            if m == 0:
                return f"{int(d)}°{h}"
            return f"{int(d)}°{m:02.0f}′{h}" if m == round(m) else f"{int(d)}°{m:04.1f}′{h}"

        return FuncFormatter(fmt)

    # steps of whole minutes where they fit, few enough that the labels stand apart
    steps = [1, 2, 2.5, 3, 5, 6, 10]
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=steps))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=7, steps=steps))
    ax.xaxis.set_major_formatter(label("EW"))
    ax.yaxis.set_major_formatter(label("NS"))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")


def inside(ax: Any, lon: float, lat: float) -> bool:
    """Whether a point lies within the map's current extent."""
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    return bool(west <= lon <= east and south <= lat <= north)


def plot_plan(plan: SearchPlan, path: str | Path, *, title: str = "Search plan") -> None:
    """Write a PNG map: probability per NM², each unit's area, track, CSP and base if in view."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    f = plan.grid.frame
    fig, ax = plt.subplots(figsize=(9, 8), dpi=110)
    try:
        lon_e, lat_e = draw_probability(fig, ax, plan.grid)
        lat_mid = float(np.mean(lat_e))
        ax.set_aspect(1.0 / max(np.cos(np.radians(lat_mid)), 0.1))
        ax.set_xlim(float(lon_e.min()), float(lon_e.max()))
        ax.set_ylim(float(lat_e.min()), float(lat_e.max()))
        _draw_assignments(ax, plan.assignments)
        degrees_minutes_axes(ax)
        ax.set_title(
            f"{title}\nPOS {plan.pos:.0%} (bound {plan.bound.pos:.0%}); "
            f"cells of {cell_text(f.cell_nm)}"
        )
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper right", fontsize=8)
        fig.tight_layout()
        fig.savefig(str(path))
    finally:
        plt.close(fig)


def _draw_assignments(ax: Any, assignments: Sequence[Assignment]) -> None:
    import matplotlib.pyplot as plt

    colours = plt.get_cmap("tab10")
    shown = {"base": False, "csp": False}
    for k, a in enumerate(assignments):
        c = colours(k % 10)
        u = a.unit
        if inside(ax, u.base_lon, u.base_lat):
            ax.plot(u.base_lon, u.base_lat, marker="^", color=c, markersize=8, linestyle="")
            shown["base"] = True
        if a.rect is None or a.pattern is None or a.outline is None:
            continue
        blon, blat = a.outline
        ax.plot(blon, blat, color=c, linewidth=2, label=f"{u.name}: POS {a.pos:.0%}")
        ax.plot(a.pattern.lon, a.pattern.lat, color=c, linewidth=0.7)
        for route in (a.route_out, a.route_back):
            if route is not None:
                ax.plot(route[0], route[1], color=c, linewidth=0.7, linestyle=":")
        ax.plot(*a.pattern.commence_search_point, marker="o", color=c, linestyle="")
        shown["csp"] = True
    # the legend names a symbol only when the map shows one
    if shown["base"]:
        ax.plot([], [], marker="^", color="#444444", linestyle="", label="unit's base")
    if shown["csp"]:
        ax.plot([], [], marker="o", color="#444444", linestyle="", label="CSP")
