"""The plan as a person reads it: a text summary and a PNG map."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from littoral.search.allocation import SearchPlan
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
        f"Grid: {g.frame.nx} x {g.frame.ny} cells of {g.frame.cell_nm:.2f} NM "
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
            f"  Coverage {a.coverage:.2f}, POD {a.pod:.0%}, POC {a.poc:.0%}, POS {a.pos:.1%}",
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


def plot_plan(plan: SearchPlan, path: str | Path, *, title: str = "Search plan") -> None:
    """Write a PNG map: probability per NM², each unit's area, track and base."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g = plan.grid
    f = g.frame
    ex, ey = np.meshgrid(f.x_edges_nm(), f.y_edges_nm())
    lon_e, lat_e = f.to_lonlat(ex, ey)
    fig, ax = plt.subplots(figsize=(9, 8), dpi=110)
    try:
        dens = np.where(g.water, g.density, np.nan)
        mesh = ax.pcolormesh(lon_e, lat_e, dens, cmap="YlOrRd", shading="flat")
        land = np.where(g.water, np.nan, 1.0)
        ax.pcolormesh(lon_e, lat_e, land, cmap="Greys", vmin=0, vmax=2, shading="flat")
        fig.colorbar(mesh, ax=ax, label="probability per NM²", shrink=0.8)
        colours = plt.get_cmap("tab10")
        for k, a in enumerate(plan.assignments):
            c = colours(k % 10)
            u = a.unit
            ax.plot(u.base_lon, u.base_lat, marker="^", color=c, markersize=8)
            if a.rect is None or a.pattern is None:
                continue
            if a.outline is None:
                continue
            blon, blat = a.outline
            ax.plot(blon, blat, color=c, linewidth=2, label=f"{u.name}: POS {a.pos:.0%}")
            ax.plot(a.pattern.lon, a.pattern.lat, color=c, linewidth=0.7)
            for route in (a.route_out, a.route_back):
                if route is not None:
                    ax.plot(route[0], route[1], color=c, linewidth=0.7, linestyle=":")
            ax.plot(*a.pattern.commence_search_point, marker="o", color=c)
        ax.set_xlabel("longitude (°E)")
        ax.set_ylabel("latitude (°N)")
        lat_mid = float(np.mean(lat_e))
        ax.set_aspect(1.0 / max(np.cos(np.radians(lat_mid)), 0.1))
        ax.set_xlim(float(lon_e.min()), float(lon_e.max()))
        ax.set_ylim(float(lat_e.min()), float(lat_e.max()))
        ax.set_title(
            f"{title}\nPOS {plan.pos:.0%} (bound {plan.bound.pos:.0%}); "
            f"cell {f.cell_nm * M_PER_NM / 1000:.1f} km; ▲ bases, ● CSP"
        )
        ax.legend(loc="upper right", fontsize=8)
        fig.tight_layout()
        fig.savefig(str(path))
    finally:
        plt.close(fig)
