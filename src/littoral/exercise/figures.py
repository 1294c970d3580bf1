"""The report's maps, drawn with matplotlib (Agg) onto the Caspian shore.

Traffic, alerts against the planted truth, the drift cloud over time, and per search round
the probability map with the units' areas and flown tracks. Probability is drawn as
``search plan`` draws it (:func:`littoral.search.report.draw_probability`: one colour scale,
probability per NM²), axes in degrees and minutes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from littoral.exercise.fleet import VesselKind
from littoral.exercise.planted import EventKind
from littoral.search.report import cell_text, degrees_minutes_axes, draw_probability

if TYPE_CHECKING:
    from littoral.drift import DriftResult
    from littoral.exercise.run import ExerciseResult
    from littoral.exercise.sar import SearchRound
    from littoral.exercise.traffic import Traffic

KIND_COLOURS: dict[VesselKind, str] = {
    VesselKind.FERRY: "#d62728",
    VesselKind.TANKER: "#8c564b",
    VesselKind.RIVER_SEA: "#1f77b4",
    VesselKind.SUPPLY: "#ff7f0e",
    VesselKind.FISHING: "#2ca02c",
    VesselKind.LEISURE: "#9467bd",
}
RULE_COLOURS = {
    "non_littoral": "#1f77b4",
    "going_dark": "#7f7f7f",
    "encounter": "#ff7f0e",
    "integrity": "#d62728",
    "distress": "#e377c2",
    "loitering": "#bcbd22",
    "area": "#17becf",
}


def _figure(width: float = 8.0, height: float = 9.0) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    return fig, ax


def _shore(ax: Any, box: tuple[float, float, float, float] | None = None) -> None:
    from littoral.geo import CaspianSea

    sea = CaspianSea.load()
    for line in sea.shore.geoms:
        x, y = np.asarray(line.coords).T
        ax.plot(x, y, color="#555555", linewidth=0.6)
    west, south, east, north = box or sea.bbox
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1.0 / np.cos(np.radians((south + north) / 2)))
    degrees_minutes_axes(ax)
    ax.set_facecolor("#eef5fb")


def _save(fig: Any, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def traffic_map(traffic: Traffic, path: Path) -> Path:
    """All position reports of the day by kind of vessel, and where the events were planted."""
    fig, ax = _figure()
    _shore(ax)
    kinds = {v.mmsi: v.kind for v in traffic.vessels}
    r = traffic.reports
    step = max(1, r.mmsi.size // 80_000)
    who = np.array([kinds.get(int(m), VesselKind.MOB_BEACON) for m in r.mmsi[::step]])
    for kind, colour in KIND_COLOURS.items():
        sel = who == kind
        if not sel.any():
            continue  # the legend names only what the map shows
        ax.scatter(r.lon[::step][sel], r.lat[::step][sel], s=0.3, color=colour, label=kind.value)
    for e in traffic.truth:
        ax.scatter([e.lon], [e.lat], s=120, facecolors="none", edgecolors="black", linewidths=1.2)
        ax.annotate(e.kind.value, (e.lon, e.lat), xytext=(6, 6), textcoords="offset points")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(
        f"Traffic {traffic.start:%Y-%m-%d} {traffic.hours:g} h: {traffic.n_messages:,} messages"
    )
    return _save(fig, path)


def alerts_map(result: ExerciseResult, path: Path) -> Path:
    """Alerts of the watch by rule, and the planted events (rings) they should match."""
    fig, ax = _figure()
    _shore(ax)
    stream = result.stream
    if stream is not None:
        for rule, colour in RULE_COLOURS.items():
            mine = [a.alert for a in stream.alerts.values() if a.alert.rule == rule]
            if mine:
                ax.scatter(
                    [a.lon for a in mine],
                    [a.lat for a in mine],
                    s=25,
                    color=colour,
                    label=f"{rule} ({len(mine)})",
                    zorder=3,
                )
    for e in result.traffic.truth:
        ax.scatter([e.lon], [e.lat], s=260, facecolors="none", edgecolors="black", zorder=4)
        ax.annotate(
            f"planted: {e.kind.value}", (e.lon, e.lat), xytext=(8, -12), textcoords="offset points"
        )
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper right", fontsize=8)
    ax.set_title("Watch alerts (dots) and planted events (rings)")
    return _save(fig, path)


def _box(lon: Any, lat: Any, pad: float = 0.08) -> tuple[float, float, float, float]:
    west, east = float(np.nanmin(lon)), float(np.nanmax(lon))
    south, north = float(np.nanmin(lat)), float(np.nanmax(lat))
    span = max(east - west, north - south, 0.1)
    cx, cy = (west + east) / 2, (south + north) / 2
    half = span / 2 + pad
    return cx - half, cy - half * 0.8, cx + half, cy + half * 0.8


def drift_map(result: ExerciseResult, drift: DriftResult, path: Path) -> Path:
    """Draw the drift cloud at eight times, the beacon's last report, the person's true track."""
    import matplotlib.cm as cm

    sar = result.sar
    person = result.traffic.person
    fig, ax = _figure(8.0, 7.0)
    _shore(ax, _box(drift.lon, drift.lat))
    every = max(1, drift.n_times // 8)
    ks = list(range(0, drift.n_times, every))
    colours = cm.viridis(np.linspace(0, 1, len(ks)))
    for k, colour in zip(ks, colours, strict=True):
        t = str(drift.times[k].astype("datetime64[m]"))[11:16]
        ax.scatter(drift.lon[k], drift.lat[k], s=1.0, color=colour)
        ax.plot([], [], "o", color=colour, markersize=5, label=f"{t} UTC")
    t0, t1 = (
        drift.times[0].astype("datetime64[s]").astype(np.int64),
        drift.times[-1].astype("datetime64[s]").astype(np.int64),
    )
    sel = (person.time_s >= t0) & (person.time_s <= t1)
    ax.plot(person.lon[sel], person.lat[sel], color="black", linewidth=1.2, label="person (truth)")
    if sar is not None:
        ax.scatter([sar.last_known.lon], [sar.last_known.lat], marker="*", s=160, color="red",
                   label="beacon's last report", zorder=5)  # fmt: skip
    ax.legend(loc="upper right", fontsize=7)
    ax.set_title(f"Drift of {drift.n_particles} particles ({drift.object_class})")
    return _save(fig, path)


def round_map(result: ExerciseResult, rnd: SearchRound, path: Path) -> Path:
    """Probability map of a round, the units' areas, the flown tracks, the person."""
    plan = rnd.plan
    frame = plan.grid.frame
    fig, ax = _figure(8.0, 7.0)
    lon_e, lat_e = draw_probability(fig, ax, plan.grid)
    _shore(ax, _box(lon_e, lat_e, pad=0.02))
    xs, ys = frame.x_edges_nm(), frame.y_edges_nm()
    for a in plan.assignments:
        if a.rect is None:
            continue
        r = a.rect
        bx = [xs[r.col0], xs[r.col1], xs[r.col1], xs[r.col0], xs[r.col0]]
        by = [ys[r.row0], ys[r.row0], ys[r.row1], ys[r.row1], ys[r.row0]]
        blon, blat = frame.to_lonlat(bx, by)
        ax.plot(blon, blat, linewidth=1.5, label=f"{a.unit.name}: POS {a.pos:.0%}")
    for s in rnd.sorties:
        ax.plot(s.lon, s.lat, linewidth=0.5, color="#333333")
    person = result.traffic.person
    t0 = rnd.commence.timestamp()
    t1 = rnd.end.timestamp()
    sel = (person.time_s >= t0) & (person.time_s <= t1)
    ax.plot(person.lon[sel], person.lat[sel], color="red", linewidth=2, label="person (truth)")
    found = rnd.found
    if found is not None and found.detected_lon is not None:
        ax.scatter([found.detected_lon], [found.detected_lat], marker="*", s=250, color="gold",
                   edgecolors="black", zorder=6, label=f"seen by {found.unit_name}")  # fmt: skip
    ax.legend(loc="upper right", fontsize=7)
    ax.set_title(
        f"Round {rnd.number}: map at {rnd.map_time:%H:%M} UTC, plan POS {plan.pos:.0%}; "
        f"cells of {cell_text(frame.cell_nm)}"
    )
    return _save(fig, path)


def planted_label(kind: EventKind) -> str:
    """Return a reader's name for a kind of planted event."""
    return {
        EventKind.FOREIGN_FLAG: "non-littoral flag enters",
        EventKind.DARK: "vessel goes dark",
        EventKind.SHIP_TO_SHIP: "ship-to-ship encounter",
        EventKind.SPOOFING: "spoofed position",
        EventKind.DISTRESS: "person overboard (AIS-MOB)",
    }[kind]
