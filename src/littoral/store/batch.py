"""One ingest batch as plain rows (tuples and dicts), ready for one transaction.

Writing a batch from another process was measured and rejected: pickling the rows cost more
CPU than SQLite's own insert (``docs/store.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from littoral.records.alerts import Alert
from littoral.records.reports import PositionReport, SafetyReport, StaticReport
from littoral.store.alerts import alert_row
from littoral.store.records import QuarantinedLine
from littoral.store.repos import (
    FlatRows,
    PositionRow,
    QuarantineRow,
    position_rows,
    quarantine_rows,
    vessel_rows,
)
from littoral.store.texts import SafetyRow, StaticRow, safety_rows, static_rows
from littoral.tracks.state import VesselState


@dataclass(slots=True)
class PreparedBatch:
    """Rows of one batch: positions, vessels, quarantined lines and alerts."""

    positions: Sequence[PositionRow] = field(default_factory=list)
    """Rows in :data:`~littoral.store.schema.POSITION_COLUMNS` order: a list of tuples, or
    :class:`~littoral.store.repos.FlatRows`."""
    vessels: list[tuple[Any, ...]] = field(default_factory=list)
    tracks: list[tuple[Any, ...]] = field(default_factory=list)
    """Rows of the other ships of shared MMSIs (``vessel_tracks``)."""
    quarantine: list[QuarantineRow] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    safety: list[SafetyRow] = field(default_factory=list)
    statics: list[StaticRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.positions
            or self.vessels
            or self.tracks
            or self.quarantine
            or self.alerts
            or self.safety
            or self.statics
        )


def prepare_batch(
    positions: Sequence[PositionReport],
    vessels: Sequence[VesselState],
    quarantine: Sequence[QuarantinedLine] = (),
    alerts: Sequence[Alert] = (),
    at: datetime | None = None,
    safety: Sequence[SafetyReport] = (),
    statics: Sequence[StaticReport] = (),
    rows_of_positions: Sequence[PositionRow] | None = None,
) -> PreparedBatch:
    """Return the rows of one batch.

    ``rows_of_positions``: :func:`position_rows` of ``positions``, made already (by a decode
    worker, say); they must be the rows of the same positions, in the same order. Flat rows
    (:class:`~littoral.store.repos.FlatRows`) are taken as they are, not copied.

    ``at`` stamps the alerts' ``updated`` time; when omitted, the latest start or end of the
    alerts themselves is used (event time, never wall time).
    """
    alert_rows: list[dict[str, Any]] = []
    if alerts:
        when = at or max(a.end or a.start for a in alerts)
        alert_rows = [alert_row(a, when) for a in alerts]
    vessel_values, track_values = vessel_rows(vessels)
    return PreparedBatch(
        positions=(
            position_rows(positions)
            if rows_of_positions is None
            else rows_of_positions
            if isinstance(rows_of_positions, FlatRows)
            else list(rows_of_positions)
        ),
        vessels=vessel_values,
        tracks=track_values,
        quarantine=quarantine_rows(quarantine),
        alerts=alert_rows,
        safety=safety_rows(safety),
        statics=static_rows(statics),
    )
