"""Planned against actual coverage of a case's search, unit by unit.

The plan (the case's latest plan run) says, for each unit, its track length, its area, the
coverage ``C = W L / A`` and the POS it expects (IAMSAR Vol. II ch. 4). What was actually
searched is the sum of the unit's recorded pieces since that plan, whether uploaded as GPX
or taken from its AIS track (:mod:`littoral.services.effort`): the track run, the effort
``W L`` (NM²), that effort spread over the planned area, and the POS the pieces achieved,
``1 - Π (1 - POS_k)`` over the unit's pieces, each POS judged on the drift cloud as the
earlier pieces had left it (so a unit is not credited twice for probability another unit
already swept). The case line adds the pieces of every unit and the cumulative POS of every
round so far.
"""

from __future__ import annotations

from typing import Any

from littoral.errors import NotFoundError
from littoral.services.cases import unit_mmsi
from littoral.services.context import ServiceContext
from littoral.store.service import Run

PLANNED_KEYS = (
    "area_nm2", "track_length_nm", "sweep_width_nm", "spacing_nm", "coverage", "pod", "poc",
    "pos", "on_scene", "search_end",
)  # fmt: skip
"""What the plan said of each unit, as the coverage repeats it."""


def _combined(pos: list[float]) -> float:
    remaining = 1.0
    for p in pos:
        remaining *= 1.0 - p
    return 1.0 - remaining


def _actual(pieces: list[dict[str, Any]], area_nm2: float | None) -> dict[str, Any]:
    track_nm = sum(float(s["searched"]["track_nm"]) for s in pieces)
    effort = sum(
        float(s["searched"]["track_nm"]) * float(s["searched"]["sweep_width_nm"]) for s in pieces
    )
    times = [s["searched"]["to"] for s in pieces if s["searched"].get("to")]
    return {
        "pieces": len(pieces),
        "points": sum(int(s["searched"]["points"]) for s in pieces),
        "track_nm": round(track_nm, 2),
        "effort_nm2": round(effort, 3),
        "coverage": round(effort / area_nm2, 3) if area_nm2 else None,
        "pos": round(_combined([float(s["search_pos"]) for s in pieces]), 6),
        "last_report": max(times) if times else None,
    }


def case_coverage(ctx: ServiceContext, case_id: int) -> dict[str, Any]:
    """Return a case's planned against actual coverage, per unit and for the whole search.

    Raises
    ------
    NotFoundError
        When the case has no finished plan.
    """
    ctx.service.case(case_id)
    plan_run = ctx.service.latest_run(case_id, "plan")
    if plan_run is None:
        raise NotFoundError(f"case {case_id} has no finished plan run")
    pieces = [
        r.summary
        for r in reversed(ctx.service.runs(case_id, "drift"))
        if r.id > plan_run.id and r.status == "done" and isinstance(r.summary.get("searched"), dict)
    ]
    areas = {str(a["unit"]): a for a in plan_run.summary.get("areas", [])}
    units = []
    for unit in ctx.service.units(case_id):
        area = areas.get(unit.name)
        planned = None if area is None else {k: area.get(k) for k in PLANNED_KEYS}
        mine = [s for s in pieces if s["searched"].get("unit_id") == unit.id]
        units.append(
            {
                "unit_id": unit.id,
                "unit": unit.name,
                "state": unit.state,
                "mmsi": unit_mmsi(unit),
                "planned": planned,
                "actual": _actual(mine, None if area is None else area.get("area_nm2")),
            }
        )
    return {
        "case_id": case_id,
        "plan_run_id": plan_run.id,
        "planned_pos": plan_run.summary.get("pos"),
        "actual_pos": round(_combined([float(s["search_pos"]) for s in pieces]), 6),
        "cumulative_pos": _cumulative(ctx, case_id),
        "updates": len(pieces),
        "units": units,
    }


def _cumulative(ctx: ServiceContext, case_id: int) -> float | None:
    latest: Run | None = next(
        (r for r in ctx.service.runs(case_id, "drift") if r.status == "done"), None
    )
    return None if latest is None else latest.summary.get("cumulative_pos")


def coverage_text(report: dict[str, Any]) -> str:
    """Return the coverage as lines for a terminal or a log."""
    lines = [
        f"CASE {report['case_id']}, PLAN RUN {report['plan_run_id']}: PLANNED POS "
        f"{_pct(report['planned_pos'])}, ACTUAL SO FAR {_pct(report['actual_pos'])} "
        f"({report['updates']} updates), CUMULATIVE POS {_pct(report['cumulative_pos'])}"
    ]
    for u in report["units"]:
        p, a = u["planned"], u["actual"]
        link = f"MMSI {u['mmsi']}" if u["mmsi"] else "no AIS link"
        if p is None:
            lines.append(f"  {u['unit']} ({link}): not in the plan; searched {a['track_nm']} NM")
            continue
        lines.append(
            f"  {u['unit']} ({link}): track {a['track_nm']:.1f} of "
            f"{p['track_length_nm'] or 0:.1f} NM, effort {a['effort_nm2']:.2f} NM2 over "
            f"{p['area_nm2'] or 0:.1f} NM2 (coverage {a['coverage'] or 0:.2f} of "
            f"{p['coverage'] or 0:.2f}), POS {_pct(a['pos'])} of "
            f"{_pct(p['pos'])}; {a['pieces']} pieces, last report {a['last_report'] or '-'}"
        )
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100.0 * value:.1f} %"
