"""Assembly of multi-sentence AIS messages, tolerant of interleaving, with bounded memory.

Fragments are grouped per ``(source, channel, sequence id)``: two receivers, or the two VHF
channels of one receiver, may interleave their fragments freely. A group is complete when
every fragment number 1..total has arrived, in any order. A group that cannot complete is
expired, and counted, when:

- a fragment arrives whose number the group already holds, or whose total differs (the
  sender reused the sequence id for a new message: the old one lost a fragment);
- it is older than ``timeout_s`` (receive time of its first fragment against the newest
  receive time seen);
- more than ``max_pending`` groups are open (the oldest goes first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

GroupKey = tuple[str, str, str]


class Group:
    """The fragments of one multi-sentence message received so far."""

    __slots__ = ("lines", "payloads", "source", "station", "time", "total")

    def __init__(self, source: str, total: int, time: datetime, station: str | None) -> None:
        self.source = source
        self.total = total
        self.time = time
        self.station = station
        self.payloads: dict[int, tuple[str, str]] = {}
        """Fragment number -> (payload, fill bits as text)."""
        self.lines: list[str] = []


@dataclass(frozen=True, slots=True)
class Assembled:
    """A complete multi-sentence message."""

    payload: str
    fill_bits: str
    time: datetime
    station: str | None
    lines: tuple[str, ...]


class Assembler:
    """Collects fragments and returns complete messages; see the module notes for expiry."""

    def __init__(self, timeout_s: float = 60.0, max_pending: int = 10_000) -> None:
        if timeout_s <= 0:
            raise ValueError(f"timeout_s={timeout_s!r} must be > 0")
        if max_pending < 1:
            raise ValueError(f"max_pending={max_pending!r} must be >= 1")
        self._timeout = timedelta(seconds=timeout_s)
        self._max_pending = max_pending
        self._pending: dict[GroupKey, Group] = {}
        self._expired: list[Group] = []
        self._newest: datetime | None = None

    def __len__(self) -> int:
        return len(self._pending)

    def __contains__(self, key: object) -> bool:
        return key in self._pending

    @property
    def max_pending(self) -> int:
        """Most groups held open at once."""
        return self._max_pending

    def add(
        self,
        key: GroupKey,
        total: int,
        number: int,
        payload: str,
        fill_bits: str,
        time: datetime,
        station: str | None,
        line: str,
    ) -> Assembled | None:
        """Add one fragment; return the message when this fragment completes it."""
        pending = self._pending
        group = pending.get(key)
        if group is not None and (group.total != total or number in group.payloads):
            self._expired.append(pending.pop(key))
            group = None
        if group is None:
            group = Group(key[0], total, time, station)
            pending[key] = group
            if len(pending) > self._max_pending:
                self._expired.append(pending.pop(next(iter(pending))))
        if number == 1:
            # The first fragment's tag block or trailing time dates the whole message.
            group.time = time
            if station is not None:
                group.station = station
        elif group.station is None:
            group.station = station
        parts = group.payloads
        parts[number] = (payload, fill_bits)
        group.lines.append(line)
        if len(parts) < total:
            return None
        del pending[key]
        if total == 2:
            text = parts[1][0] + parts[2][0]
        else:
            text = "".join([parts[i][0] for i in range(1, total + 1)])
        return Assembled(text, parts[total][1], group.time, group.station, tuple(group.lines))

    def expire(self, everything: bool = False, now: datetime | None = None) -> list[Group]:
        """Remove and return the groups that can no longer complete.

        ``now`` is the newest receive time seen (of any line); with ``everything`` (end of
        input) every open group is returned.
        """
        if now is not None and (self._newest is None or now > self._newest):
            self._newest = now
        out = self._expired
        self._expired = []
        if everything:
            out.extend(self._pending.values())
            self._pending.clear()
        elif self._newest is not None and self._pending:
            limit = self._newest - self._timeout
            stale = [k for k, g in self._pending.items() if g.time < limit]
            out.extend(self._pending.pop(k) for k in stale)
        return out
