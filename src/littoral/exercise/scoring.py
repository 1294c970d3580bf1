"""The exercise as a test of littoral: the watch's alerts against the planted truth.

Each planted event is matched with the alerts of its rule that name one of its vessels; it
is found on time when the earliest such alert was raised no later than ``detectable_at +
tolerance_s``. An alert of a planted kind that names no planted vessel of that kind is a
false alert. Alerts of other kinds (loitering, area entry) are listed but not scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from littoral.exercise.planted import EventKind, PlantedEvent
from littoral.exercise.stream import RaisedAlert

RULE_OF: dict[EventKind, str] = {
    EventKind.FOREIGN_FLAG: "non_littoral",
    EventKind.DARK: "going_dark",
    EventKind.SHIP_TO_SHIP: "encounter",
    EventKind.SPOOFING: "integrity",
    EventKind.DISTRESS: "distress",
}
"""The watch rule expected to raise each kind of planted event."""


@dataclass(frozen=True)
class EventScore:
    """How the watch did on one planted event."""

    event: PlantedEvent
    rule: str
    alerts: tuple[RaisedAlert, ...]
    raised: datetime | None

    @property
    def found(self) -> bool:
        """Whether any alert of the right rule named the event's vessels."""
        return self.raised is not None

    @property
    def late_s(self) -> float | None:
        """Seconds from ``detectable_at`` to the first alert (negative: earlier)."""
        if self.raised is None:
            return None
        return (self.raised - self.event.detectable_at).total_seconds()

    @property
    def after_start_s(self) -> float | None:
        """Seconds from the event's start in the world to the first alert."""
        if self.raised is None:
            return None
        return (self.raised - self.event.start).total_seconds()

    @property
    def on_time(self) -> bool:
        """Found, and no later than the event's tolerance allows."""
        late = self.late_s
        return late is not None and late <= self.event.tolerance_s


@dataclass(frozen=True)
class Scorecard:
    """The whole comparison."""

    scores: tuple[EventScore, ...]
    false_alerts: tuple[RaisedAlert, ...]
    other_alerts: tuple[RaisedAlert, ...]

    @property
    def all_on_time(self) -> bool:
        """Every planted event alerted within its tolerance."""
        return all(s.on_time for s in self.scores)

    @property
    def passed(self) -> bool:
        """Every planted event on time and no false alert of the planted kinds."""
        return self.all_on_time and not self.false_alerts


def score(truth: tuple[PlantedEvent, ...], alerts: dict[str, RaisedAlert]) -> Scorecard:
    """Compare the alerts of the run with the planted events."""
    scored_rules = set(RULE_OF.values())
    used: set[str] = set()
    scores: list[EventScore] = []
    for event in truth:
        rule = RULE_OF[event.kind]
        mine = tuple(
            sorted(
                (
                    a
                    for a in alerts.values()
                    if a.alert.rule == rule and set(a.alert.mmsis) & set(event.mmsis)
                ),
                key=lambda a: a.raised,
            )
        )
        used.update(a.alert.id for a in mine)
        scores.append(EventScore(event, rule, mine, mine[0].raised if mine else None))
    false = tuple(
        sorted(
            (a for a in alerts.values() if a.alert.rule in scored_rules and a.alert.id not in used),
            key=lambda a: a.raised,
        )
    )
    other = tuple(
        sorted(
            (a for a in alerts.values() if a.alert.rule not in scored_rules),
            key=lambda a: a.raised,
        )
    )
    return Scorecard(tuple(scores), false, other)
