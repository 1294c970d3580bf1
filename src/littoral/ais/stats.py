"""Counts of what happened to every line of a feed, with a few samples of each failure.

Every line that enters :class:`~littoral.ais.decoder.Decoder` is counted exactly once in
``by_outcome``; every decoded message once in ``by_type``; every quarantined line (or expired
group of fragments) once in ``by_reason``. Nothing is dropped silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


class Outcome:
    """What became of one line: the keys of :attr:`IngestStats.by_outcome`."""

    DECODED = "decoded"
    """A single-sentence message, decoded."""
    FRAGMENT = "fragment"
    """One sentence of a multi-sentence message, held for assembly."""
    OTHER_NMEA = "other_nmea"
    """A valid-looking NMEA sentence that is not AIS (``$GPRMC``...), skipped."""
    BLANK = "blank"
    """An empty line or a comment (``#``), skipped."""
    REJECTED = "rejected"
    """Quarantined with a reason."""


@dataclass(slots=True)
class IngestStats:
    """Running counts of an ingest; merge several with :meth:`merge`.

    Attributes
    ----------
    lines
        Lines seen.
    messages
        AIS messages decoded (single- or multi-sentence).
    positions, statics, safety
        Records produced of each seam type.
    no_position
        Position messages whose position was "not available" (lat 91 / lon 181), which
        therefore produced no :class:`~littoral.records.reports.PositionReport`.
    by_outcome
        Lines by :class:`Outcome`.
    by_type
        Decoded messages by AIS message type (1-27).
    by_reason
        Rejections by :class:`~littoral.ais.records.Reason`.
    samples
        Up to ``max_samples`` raw lines kept for each rejection reason.
    by_path
        Lines by the way they were decoded: ``lane`` (one-sentence position and type 24
        reports, a whole batch at once with numpy), ``pair`` (the two sentences of a message
        on consecutive lines), ``line`` (one at a time: anything else); and messages decoded
        through pyais's generic tables (``generic``: rare types). The share of ``line`` is
        what costs speed on a real feed.
    fallbacks
        Times a vectorised step failed on a batch and the line-by-line path did its work,
        by step and exception (``scan: ValueError``...): never expected; a count here is a
        bug to report, not bad data.
    """

    lines: int = 0
    messages: int = 0
    positions: int = 0
    statics: int = 0
    safety: int = 0
    no_position: int = 0
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_type: Counter[int] = field(default_factory=Counter)
    by_reason: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[str]] = field(default_factory=dict)
    by_path: Counter[str] = field(default_factory=Counter)
    fallbacks: Counter[str] = field(default_factory=Counter)
    max_samples: int = 5

    @property
    def rejected(self) -> int:
        """Total number of rejections (lines and expired groups)."""
        return sum(self.by_reason.values())

    def reject(self, reason: str, line: str) -> None:
        """Count one rejection and keep the line as a sample if there is room."""
        self.by_reason[reason] += 1
        kept = self.samples.setdefault(reason, [])
        if len(kept) < self.max_samples:
            kept.append(line)

    def merge(self, other: IngestStats) -> None:
        """Add the counts of ``other`` into this one (samples up to ``max_samples``)."""
        self.lines += other.lines
        self.messages += other.messages
        self.positions += other.positions
        self.statics += other.statics
        self.safety += other.safety
        self.no_position += other.no_position
        self.by_outcome.update(other.by_outcome)
        self.by_type.update(other.by_type)
        self.by_reason.update(other.by_reason)
        self.by_path.update(other.by_path)
        self.fallbacks.update(other.fallbacks)
        for reason, lines in other.samples.items():
            kept = self.samples.setdefault(reason, [])
            kept.extend(lines[: max(0, self.max_samples - len(kept))])

    def as_dict(self) -> dict[str, object]:
        """Return the counts as plain JSON-ready data (type keys as strings)."""
        return {
            "lines": self.lines,
            "messages": self.messages,
            "positions": self.positions,
            "statics": self.statics,
            "safety": self.safety,
            "no_position": self.no_position,
            "rejected": self.rejected,
            "by_outcome": dict(sorted(self.by_outcome.items())),
            "by_type": {str(k): v for k, v in sorted(self.by_type.items())},
            "by_reason": dict(sorted(self.by_reason.items())),
            "samples": {k: list(v) for k, v in sorted(self.samples.items())},
            "by_path": dict(sorted(self.by_path.items())),
            "fallbacks": dict(sorted(self.fallbacks.items())),
        }

    def summary(self) -> str:
        """Return a short multi-line text summary for a person."""
        out = [
            f"lines {self.lines}, messages {self.messages}, positions {self.positions}, "
            f"statics {self.statics}, safety {self.safety}, rejected {self.rejected}"
        ]
        if self.by_outcome:
            out.append(
                "outcome: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_outcome.items()))
            )
        if self.by_type:
            out.append(
                "by type: " + ", ".join(f"{k}: {v}" for k, v in sorted(self.by_type.items()))
            )
        if self.by_reason:
            out.append(
                "rejected: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_reason.items()))
            )
        if self.by_path:
            out.append(
                "decoded by: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_path.items()))
            )
        if self.fallbacks:
            out.append(
                "fast-path fallbacks (a bug, please report): "
                + ", ".join(f"{k} {v}" for k, v in sorted(self.fallbacks.items()))
            )
        if self.no_position:
            out.append(f"positions not available (lat 91/lon 181): {self.no_position}")
        return "\n".join(out)
