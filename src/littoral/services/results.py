"""What a finished run leaves and how it is shown: packed particles, summaries, frames.

A drift result is kept in its run as compressed numpy arrays (:func:`pack_result`), with a
JSON summary (:func:`drift_summary`: centroid track, stranded fraction, the text for the
SITREP and the request the run was built from); a plan is kept as JSON (:func:`plan_summary`).
The map page draws one output time at a time (:func:`frame_json`, :func:`heat_png`).
"""

from __future__ import annotations

import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np

from littoral.drift.result import DriftResult
from littoral.records.particle_status import ParticleStatus
from littoral.services.formats import format_dtg, position_text
from littoral.services.requests import recorded_request


def pack_result(result: DriftResult) -> bytes:
    """Serialise a drift result (float32 positions are ample for display and search)."""
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        times=result.times.astype("datetime64[s]").astype(np.int64),
        lon=result.lon.astype(np.float32),
        lat=result.lat.astype(np.float32),
        status=result.status.astype(np.int8),
        weight=result.weight,
        meta=np.frombuffer(
            json.dumps(
                {"seed": result.seed, "object_class": result.object_class, "attrs": result.attrs}
            ).encode(),
            dtype=np.uint8,
        ),
    )
    return buffer.getvalue()


def unpack_result(data: bytes) -> DriftResult:
    """Read back :func:`pack_result`."""
    with np.load(io.BytesIO(data)) as z:
        meta = json.loads(bytes(z["meta"]).decode())
        return DriftResult(
            times=z["times"].astype("datetime64[s]"),
            lon=z["lon"].astype(np.float64),
            lat=z["lat"].astype(np.float64),
            status=z["status"].astype(np.int8),
            weight=z["weight"].astype(np.float64),
            seed=int(meta["seed"]),
            object_class=str(meta["object_class"]),
            attrs={str(k): str(v) for k, v in meta["attrs"].items()},
        )


def result_bytes(result: DriftResult) -> int:
    """Return the memory the arrays of a drift result hold."""
    arrays = (result.times, result.lon, result.lat, result.status, result.weight)
    return int(sum(a.nbytes for a in arrays))


class ResultCache:
    """Unpacked drift results for the map page, bounded in bytes, least recently used out.

    A result bigger than the whole budget is handed out but not kept.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[int, tuple[DriftResult, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.held_bytes = 0

    def get(self, key: int, load: Callable[[], DriftResult]) -> DriftResult:
        """Return the result under ``key``, loading (and keeping, if it fits) when absent."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit[0]
        result = load()
        size = result_bytes(result)
        with self._lock:
            if size > self.max_bytes or key in self._items:
                return result
            while self._items and self.held_bytes + size > self.max_bytes:
                _, (_, freed) = self._items.popitem(last=False)
                self.held_bytes -= freed
            self._items[key] = (result, size)
            self.held_bytes += size
        return result

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items


def _iso(t: np.datetime64) -> str:
    return str(np.datetime_as_string(t.astype("datetime64[s]"), unit="s")) + "Z"


def to_datetime(t: np.datetime64) -> datetime:
    """Return a numpy time as an aware UTC datetime (to the second)."""
    seconds = int(t.astype("datetime64[s]").astype(np.int64))
    return datetime.fromtimestamp(seconds, UTC)


def drift_summary(result: DriftResult, note: str = "") -> dict[str, Any]:
    """Return the figures the page and the SITREP show of a drift result."""
    from littoral.drift.summary import centroid
    from littoral.search.update import CUMULATIVE_POS_ATTR

    centres = [centroid(result, k) for k in range(result.n_times)]
    released = (result.status == ParticleStatus.ACTIVE) | (result.status == ParticleStatus.STRANDED)
    stranded = result.status == ParticleStatus.STRANDED
    w = result.weight
    stranded_fraction = [
        float(w[stranded[k]].sum() / max(w[released[k]].sum(), 1e-12))
        for k in range(result.n_times)
    ]
    last = centres[-1]
    text = f"DRIFT {result.object_class}, {result.n_particles} PARTICLES, SEED {result.seed}"
    if last is not None:
        text += (
            f": MOST PROBABLE POSITION {position_text(*last)} AT "
            f"{format_dtg(to_datetime(result.times[-1]))}"
        )
    if note:
        text += f"; {note}"
    return {
        "request": recorded_request(result.attrs),
        "times": [_iso(t) for t in result.times],
        "centroids": [None if c is None else [round(c[0], 6), round(c[1], 6)] for c in centres],
        "stranded_fraction": [round(f, 4) for f in stranded_fraction],
        "particles": result.n_particles,
        "seed": result.seed,
        "object_class": result.object_class,
        "cumulative_pos": float(result.attrs.get(CUMULATIVE_POS_ATTR, "0") or 0),
        "text": text,
    }


def plan_summary(plan: Any, start: datetime, basis: str) -> dict[str, Any]:
    """Return the plan as JSON: per unit its area, pattern, spacing, POD, POC and POS."""
    from littoral.search.export import assignment_figures, plan_detection

    areas = []
    lines = []
    for label, a in zip("ABCDEFGHJKLMNPQRSTUVWXYZ", plan.assignments, strict=False):
        area: dict[str, Any] = {
            "label": label,
            "unit": a.unit.name,
            "state": a.unit.state,
            **assignment_figures(a),
            "sweep_width_nm": round(a.sweep_width.corrected_nm, 3),
            "time_on_scene_h": round(a.time_on_scene_h, 2),
            "track_length_nm": round(a.pattern.length_nm, 2) if a.pattern is not None else 0.0,
            **_search_window(a),
            "note": a.note,
            "polygon": None,
            "pattern": None,
        }
        if a.outline is not None:
            lon, lat = a.outline
            area["polygon"] = [
                [round(float(u), 6), round(float(v), 6)] for u, v in zip(lon, lat, strict=True)
            ]
            corners = ", ".join(
                position_text(float(u), float(v)) for u, v in zip(lon[:4], lat[:4], strict=True)
            )
            lines.append(
                f"AREA {label} FOR {a.unit.name}: {corners}; {a.area_nm2:.0f} NM2, "
                f"S {a.spacing_nm:.1f} NM, POD {a.pod:.0%}, POC {a.poc:.0%}, POS {a.pos:.0%}"
            )
        if a.pattern is not None:
            p = a.pattern
            area["pattern"] = {
                "kind": p.kind.value,
                "waypoints": [
                    [round(float(u), 6), round(float(v), 6)]
                    for u, v in zip(p.lon, p.lat, strict=True)
                ],
                "csp": position_text(*p.commence_search_point),
            }
        areas.append(area)
    lines.append(f"PLAN POS {plan.pos:.0%} ({plan.ratio_to_bound:.0%} OF THE OPTIMUM)")
    return {
        "start": start.isoformat(),
        "basis": basis,
        "pos": round(plan.pos, 4),
        "bound_pos": round(plan.bound.pos, 4),
        "ratio_to_bound": round(plan.ratio_to_bound, 4),
        **{k: round(v, 4) for k, v in plan.extra.items()},
        "areas": areas,
        "detection": plan_detection(plan),
        "text": "\n".join(lines),
    }


def _search_window(a: Any) -> dict[str, str | None]:
    """Return when a unit is planned on scene and when its search ends (ISO 8601 UTC)."""
    w = a.window
    if w is None:
        return {"on_scene": None, "search_end": None}
    from littoral.search.export import iso_second

    return {"on_scene": iso_second(w.arrive), "search_end": iso_second(w.search_end)}


def heat_png(result: DriftResult, k: int) -> tuple[bytes, list[float]]:
    """Render the probability at output ``k`` as a PNG; return it and its [W, S, E, N]."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import colormaps
    from matplotlib.image import imsave

    from littoral.drift.summary import density_grid

    grid = density_grid(result, k)
    p = grid.probability
    top = float(p.max())
    scaled = p / top if top > 0 else p
    rgba = colormaps["YlOrRd"](0.25 + 0.75 * np.sqrt(scaled))
    rgba[..., 3] = np.where(scaled > 0, 0.35 + 0.6 * np.sqrt(scaled), 0.0)
    buffer = io.BytesIO()
    imsave(buffer, np.flipud(rgba), format="png")
    bounds = [
        float(grid.lon_edges[0]),
        float(grid.lat_edges[0]),
        float(grid.lon_edges[-1]),
        float(grid.lat_edges[-1]),
    ]
    return buffer.getvalue(), bounds


def frame_json(result: DriftResult, k: int, max_points: int = 800) -> dict[str, Any]:
    """Return one output time of a drift: a sample of particles and the containment areas."""
    from littoral.drift.summary import containment_polygons

    released = (result.status[k] == ParticleStatus.ACTIVE) | (
        result.status[k] == ParticleStatus.STRANDED
    )
    index = np.nonzero(released)[0]
    if index.size > max_points:
        index = index[:: int(np.ceil(index.size / max_points))]
    points = [
        [
            round(float(result.lon[k, i]), 5),
            round(float(result.lat[k, i]), 5),
            int(result.status[k, i]),
            round(float(result.weight[i] * result.n_particles), 3),
        ]
        for i in index
    ]
    return {
        "index": k,
        "time": _iso(result.times[k]),
        "particles": points,
        "containment": {
            "50": containment_polygons(result, k, 0.5),
            "90": containment_polygons(result, k, 0.9),
        },
    }
