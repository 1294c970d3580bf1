"""The ``Store`` protocol and its typed repositories, implemented by every backend.

A store holds the vessels of the picture, their positions, the quarantined input lines, the
statistics of each ingest run and the watch alerts. Reads return domain types
(:class:`~littoral.tracks.VesselState`, :class:`~littoral.records.alerts.Alert`) or the records
of :mod:`littoral.store.records`; a missing thing raises
:class:`~littoral.errors.NotFoundError`, never returns ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Engine

from littoral.records.alerts import Alert, AlertStatus
from littoral.records.reports import PositionReport, SafetyReport, StaticReport
from littoral.store.records import (
    BoundingBox,
    IngestRun,
    QuarantinedLine,
    QuarantineEntry,
    StoredPosition,
)
from littoral.store.track_columns import TrackColumns
from littoral.tracks.state import VesselState

if TYPE_CHECKING:
    from littoral.store.repos import PositionRow


@dataclass(slots=True)
class StoredAlert:
    """An alert as kept by the store, with who acknowledged or closed it and when."""

    alert: Alert
    updated: datetime
    acknowledged_by: str | None = None
    acknowledged: datetime | None = None
    comment: str | None = None


class VesselRepository(Protocol):
    """Latest state of every vessel (one row per MMSI, and per other ship of a shared one)."""

    def upsert(self, states: Iterable[VesselState]) -> None:
        """Insert or replace the rows of these vessels."""
        ...

    def get(self, mmsi: int, track: int = 0) -> VesselState:
        """Return one vessel (history empty); raise ``NotFoundError`` if unknown.

        ``track`` names another ship heard on the MMSI (1 for the vessel key ``MMSI-2``).
        """
        ...

    def all(self) -> list[VesselState]:
        """Return every vessel, by MMSI."""
        ...

    def count(self) -> int:
        """Return the number of vessels."""
        ...

    def find(
        self,
        bbox: BoundingBox | None = None,
        at: datetime | None = None,
        max_age: timedelta = timedelta(hours=1),
    ) -> list[VesselState]:
        """Return vessels by MMSI whose position (latest, or latest at ``at``) is in ``bbox``.

        With ``at``, a vessel's position is its last stored position in
        ``[at - max_age, at]``; vessels with none are left out. Without it, vessels with no
        position are left out only when ``bbox`` is given.
        """
        ...


class PositionRepository(Protocol):
    """Every valid position received, once each."""

    def add(self, reports: Iterable[PositionReport]) -> int:
        """Store positions; return how many were new (duplicates are ignored)."""
        ...

    def track(
        self, mmsi: int, start: datetime | None = None, end: datetime | None = None
    ) -> list[StoredPosition]:
        """Return the positions of ``mmsi`` in ``[start, end]``, oldest first."""
        ...

    def track_columns(
        self, mmsi: int, start: datetime | None = None, end: datetime | None = None
    ) -> TrackColumns:
        """Return :meth:`track` as columns (numpy arrays, NaN or -1 where not reported)."""
        ...

    def between(
        self, start: datetime, end: datetime, chunk_size: int = 10_000
    ) -> Iterator[list[StoredPosition]]:
        """Yield every position in ``[start, end]`` in order of (time, MMSI, lon, lat).

        In lists of at most ``chunk_size`` (> 0); memory does not grow with the range, so a
        month of history can be replayed. ``end`` before ``start`` raises ``InputError``.
        """
        ...

    def count(self, mmsi: int | None = None) -> int:
        """Return the number of positions (of one MMSI when given)."""
        ...


class SafetyTextRepository(Protocol):
    """Safety texts (types 12 and 14, binary distress texts), once each."""

    def add(self, reports: Iterable[SafetyReport]) -> int:
        """Store texts; return how many were new (duplicates are ignored)."""
        ...

    def between(self, start: datetime, end: datetime) -> list[SafetyReport]:
        """Return the texts of ``[start, end]`` in order of (time, MMSI, type, text)."""
        ...

    def count(self, mmsi: int | None = None) -> int:
        """Return the number of stored texts (of one MMSI when given)."""
        ...


class StaticReportRepository(Protocol):
    """Identity history: the static reports that changed a vessel."""

    def add(self, reports: Iterable[StaticReport]) -> int:
        """Store static reports; return how many were new (duplicates are ignored)."""
        ...

    def between(self, start: datetime | None, end: datetime) -> list[StaticReport]:
        """Return the reports of ``[start, end]`` (all up to ``end`` without ``start``)."""
        ...

    def count(self) -> int:
        """Return the number of stored static reports."""
        ...


class QuarantineRepository(Protocol):
    """Input lines that were not decoded, with their reason."""

    def add(self, lines: Iterable[QuarantinedLine]) -> int:
        """Keep rejected lines; return how many were new."""
        ...

    def recent(self, reason: str | None = None, limit: int = 100) -> list[QuarantineEntry]:
        """Return the latest quarantined lines, newest first (of one reason when given)."""
        ...

    def count_by_reason(self) -> dict[str, int]:
        """Return the number of quarantined lines per reason."""
        ...


class IngestRunRepository(Protocol):
    """Statistics of ingest runs."""

    def record(self, run: IngestRun) -> IngestRun:
        """Store one run; return it with its ``id``."""
        ...

    def recent(self, limit: int = 20) -> list[IngestRun]:
        """Return the latest runs, newest first."""
        ...


class AlertRepository(Protocol):
    """Watch alerts and what officers did with them."""

    def upsert(self, alerts: Iterable[Alert], at: datetime) -> None:
        """Insert or update alerts by ``id``; an acknowledgement survives an update."""
        ...

    def get(self, alert_id: str) -> StoredAlert:
        """Return one alert; raise ``NotFoundError`` if unknown."""
        ...

    def find(
        self, status: AlertStatus | None = None, limit: int = 1000, rule: str | None = None
    ) -> list[StoredAlert]:
        """Return alerts, distress first, then highest priority, then newest.

        Of one status and one rule when given.
        """
        ...

    def acknowledge(self, alert_id: str, user: str, comment: str, at: datetime) -> StoredAlert:
        """Mark an open alert acknowledged by ``user`` with ``comment``; return it."""
        ...

    def close(self, alert_id: str, user: str, comment: str, at: datetime) -> StoredAlert:
        """Close an alert by hand; return it."""
        ...


class Store(Protocol):
    """One database holding the picture, its history, quarantine, statistics and alerts."""

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine; other concerns may create their own tables on it."""
        ...

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        ...

    @property
    def vessels(self) -> VesselRepository:
        """Vessel rows."""
        ...

    @property
    def positions(self) -> PositionRepository:
        """Position rows."""
        ...

    @property
    def safety(self) -> SafetyTextRepository:
        """Safety texts."""
        ...

    @property
    def statics(self) -> StaticReportRepository:
        """Identity history."""
        ...

    @property
    def quarantine(self) -> QuarantineRepository:
        """Quarantined lines."""
        ...

    @property
    def ingest_runs(self) -> IngestRunRepository:
        """Ingest statistics."""
        ...

    @property
    def alerts(self) -> AlertRepository:
        """Watch alerts."""
        ...

    def write_batch(
        self,
        positions: Sequence[PositionReport],
        vessels: Sequence[VesselState],
        quarantine: Sequence[QuarantinedLine] = (),
        alerts: Sequence[Alert] = (),
        at: datetime | None = None,
        safety: Sequence[SafetyReport] = (),
        statics: Sequence[StaticReport] = (),
        *,
        position_rows: Sequence[PositionRow] | None = None,
    ) -> int:
        """Write one ingest batch in one transaction (all or nothing); return new positions.

        ``position_rows``: the rows of ``positions`` (:func:`~littoral.store.repos.position_rows`
        of them, in order) when the caller already has them.
        """
        ...

    def close(self) -> None:
        """Release connections."""
        ...
