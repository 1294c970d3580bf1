"""The alert a watch officer acts on: what, who, where, when, why, and the evidence."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum


class Priority(IntEnum):
    """How urgently an officer must act; distress is always ``CRITICAL``."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4


class AlertStatus(StrEnum):
    """Lifecycle of an alert: open, acknowledged by an officer, or closed."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One position that contributed to raising an alert."""

    mmsi: int
    time: datetime
    lon: float
    lat: float


@dataclass(slots=True)
class Alert:
    """One alert of one rule about one vessel or a pair of vessels.

    ``id`` is stable for the same thing (rule, vessels, start), so an alert is never raised
    twice; ``end`` is set when it closes. ``details`` carries rule-specific facts, for a distress
    alert what a SAR case needs (``lon``, ``lat``, ``time``, identity).
    """

    id: str
    rule: str
    priority: Priority
    mmsis: tuple[int, ...]
    start: datetime
    lon: float
    lat: float
    reason: str
    end: datetime | None = None
    status: AlertStatus = AlertStatus.OPEN
    evidence: list[Evidence] = field(default_factory=list)
    details: dict[str, object] = field(default_factory=dict)

    @property
    def position_known(self) -> bool:
        """Whether ``lon`` and ``lat`` are a real position.

        Not when ``details["position_known"]`` is False (a distress text, a beacon or a DSC
        call that gave no position yet: ``lon``/``lat`` then hold a placeholder), nor when
        either is NaN.
        """
        return self.details.get("position_known", True) is not False and not (
            math.isnan(self.lon) or math.isnan(self.lat)
        )
