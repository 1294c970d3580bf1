"""The short text summary printed at the end of ``littoral exercise``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from littoral.exercise.run import ExerciseResult


def _hm(seconds: float) -> str:
    m = round(abs(seconds) / 60.0)
    sign = "-" if seconds < 0 and m > 0 else ""
    return f"{sign}{m // 60} h {m % 60:02d} min" if m >= 60 else f"{sign}{m} min"


def text_summary(result: ExerciseResult) -> str:
    """Return a few lines: the day, each planted event's verdict, the search, the report."""
    t = result.traffic
    total = sum(s.wall_s for s in result.steps)
    lines = [
        f"exercise: seed {result.config.seed}, {t.hours:g} h, {len(t.vessels)} vessels, "
        f"{t.n_messages:,} AIS messages, {total:.0f} s",
        "steps: " + ", ".join(f"{s.name} {s.wall_s:.1f} s" for s in result.steps),
    ]
    card = result.scorecard
    if card is not None:
        for s in card.scores:
            if s.raised is None:
                verdict = "MISSED"
            else:
                state = "on time" if s.on_time else "LATE"
                late = _hm(s.late_s or 0.0)
                verdict = f"{s.rule} at {s.raised:%H:%M}, {late} after detectable, {state}"
            lines.append(f"  {s.event.kind.value:<13} {verdict}")
        lines.append(f"  false alerts of the planted kinds: {len(card.false_alerts)}")
    sar = result.sar
    if sar is not None:
        for r in sar.rounds:
            seen = r.found
            what = f"seen by {seen.unit_name}" if seen is not None else "not found"
            lines.append(f"  search round {r.number}: plan POS {r.plan.pos:.1%}, {what}")
            on = ", ".join(f"{x.unit_name} {x.commence:%H:%M}" for x in r.sorties)
            lines.append(f"    on scene (UTC): {on}")
        found = sar.found
        if found is not None and found.detected_at is not None:
            fall = datetime.fromtimestamp(t.mob.fall_time_s, UTC)
            lines.append(
                f"  person found at {found.detected_at:%H:%M} UTC, "
                f"{_hm((found.detected_at - fall).total_seconds())} after falling overboard"
            )
    not_done = [s for s in result.steps if s.status != "done"]
    for step in not_done:
        lines.append(f"  not done: {step.name} ({step.status}: {step.note})")
    if result.report is not None:
        lines.append(f"report: {result.report}")
    return "\n".join(lines)
