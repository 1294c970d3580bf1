"""Assembly of multi-sentence AIS messages, as strict as gpsd's, with bounded memory.

Fragments are grouped per :data:`GroupKey`: source, sentence formatter with its talker
(``AIVDM``, ``SAVDM``, ``BSVDO``...), channel, sequence id and tag-block station (``s:``).
Two receivers, the two VHF channels of one receiver, or two talkers of one feed may
interleave their fragments freely; within one key they must come in order, as gpsd
(``driver_ais.c``) and pyais require, because a receiver sends them so and nothing else can
tell a lost fragment from a late one. A fragment whose station is not given (the later
sentences of an NMEA 4.10 group often carry only ``g:``) joins the group its key last opened
with a station.

Every fragment that cannot become part of a message is discarded and counted by reason
(:class:`~littoral.ais.records.Reason`):

- ``fragment_replaced``: a new fragment 1 (or a different total) arrives while a group of
  the same key is open: the old message lost a fragment, and is dropped rather than glued
  to the new one;
- ``fragment_orphan``: fragment *k* > 1 arrives when the open group does not hold exactly
  1..*k*-1 (its first fragment was lost, or it repeats): it and that group are dropped;
- ``fragment_expired``: a group older than ``timeout_s`` (the time of its first fragment:
  tag-block ``c:`` when present, else the USCG time, else the receive time, against the
  newest such time seen), or open at the end of input;
- ``fragment_overflow``: more than ``max_pending`` groups are open (the oldest goes first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from littoral.ais.records import Reason

GroupKey = tuple[str, str, str, str, str]
"""(source, formatter with talker, channel, sequence id, station or "")."""


class Group:
    """The fragments of one multi-sentence message received so far."""

    __slots__ = ("lines", "payloads", "reason", "source", "station", "time", "total")

    def __init__(self, source: str, total: int, time: datetime, station: str | None) -> None:
        self.source = source
        self.total = total
        self.time = time
        self.station = station
        self.payloads: list[tuple[str, str]] = []
        """(payload, fill bits as text) of fragments 1, 2, ... in order."""
        self.lines: list[str] = []
        self.reason = Reason.FRAGMENT_EXPIRED
        """Why the group was discarded, once it is."""


@dataclass(frozen=True, slots=True)
class Assembled:
    """A complete multi-sentence message."""

    payload: str
    fill_bits: str
    time: datetime
    station: str | None
    lines: tuple[str, ...]


class Assembler:
    """Collects fragments and returns complete messages; see the module notes for discards."""

    def __init__(self, timeout_s: float = 60.0, max_pending: int = 10_000) -> None:
        if timeout_s <= 0:
            raise ValueError(f"timeout_s={timeout_s!r} must be > 0")
        if max_pending < 1:
            raise ValueError(f"max_pending={max_pending!r} must be >= 1")
        self._timeout = timedelta(seconds=timeout_s)
        self._max_pending = max_pending
        self._pending: dict[GroupKey, Group] = {}
        self._stations: dict[tuple[str, str, str, str], str] = {}
        """Station of the group each key (without station) last opened with one."""
        self._expired: list[Group] = []
        self._newest: datetime | None = None

    def __len__(self) -> int:
        return len(self._pending)

    def can_bypass(
        self, key: tuple[str, str, str, str], station1: str | None, station2: str | None
    ) -> bool:
        """Tell whether fragments 1 and 2 on consecutive lines may skip the assembler.

        They may when that gives what :meth:`add` on each would give; then the first
        fragment's station is noted as :meth:`add` would note it.
        """
        if station2 is not None and station2 != station1:
            return False
        if station2 is None and station1 is not None and (*key, "") in self._pending:
            return False  # add() would give the second fragment to that group
        if len(self._pending) >= self._max_pending or (*key, station1 or "") in self._pending:
            return False
        if station1 is not None:
            self._stations[key] = station1
        return True

    @property
    def timeout(self) -> timedelta:
        """Longest time between the first and the last fragment of a message."""
        return self._timeout

    @property
    def max_pending(self) -> int:
        """Most groups held open at once."""
        return self._max_pending

    def _drop(self, key: GroupKey, reason: str) -> None:
        group = self._pending.pop(key)
        group.reason = reason
        self._expired.append(group)

    def add(
        self,
        key: tuple[str, str, str, str],
        total: int,
        number: int,
        payload: str,
        fill_bits: str,
        time: datetime,
        station: str | None,
        line: str,
        timed: bool = True,
    ) -> Assembled | None:
        """Add one fragment of ``key`` = (source, formatter, channel, sequence id).

        ``timed`` is False for a later fragment without a time of its own (a tag block
        without ``c:``): it is dated by its group. Return the message when this fragment
        completes it.
        """
        pending = self._pending
        full: GroupKey
        if station is None and number > 1:
            full = (*key, "")
            if full not in pending:
                full = (*key, self._stations.get(key, ""))
        else:
            full = (*key, station or "")
        group = pending.get(full)
        if timed and group is not None and time - group.time > self._timeout:
            self._drop(full, Reason.FRAGMENT_EXPIRED)
            group = None
        if number == 1:
            if group is not None:
                self._drop(full, Reason.FRAGMENT_REPLACED)
            group = Group(key[0], total, time, station)
            pending[full] = group
            if station is not None:
                self._stations[key] = station
            if len(pending) > self._max_pending:
                self._drop(next(iter(pending)), Reason.FRAGMENT_OVERFLOW)
        elif group is None or group.total != total or len(group.payloads) != number - 1:
            if group is not None:
                self._drop(full, Reason.FRAGMENT_REPLACED)
            orphan = Group(key[0], total, time, station)
            orphan.lines.append(line)
            orphan.payloads.append((payload, fill_bits))
            orphan.reason = Reason.FRAGMENT_ORPHAN
            self._expired.append(orphan)
            return None
        elif group.station is None:
            group.station = station
        parts = group.payloads
        parts.append((payload, fill_bits))
        group.lines.append(line)
        if len(parts) < total:
            return None
        del pending[full]
        text = "".join([p for p, _ in parts])
        return Assembled(text, parts[-1][1], group.time, group.station, tuple(group.lines))

    def expire(self, everything: bool = False, now: datetime | None = None) -> list[Group]:
        """Remove and return the groups discarded since the last call.

        ``now`` is the newest message time seen (of any line); groups older than the timeout
        against it are discarded too, and with ``everything`` (end of input) every open
        group. Each group's :attr:`Group.reason` says why.
        """
        if now is not None and (self._newest is None or now > self._newest):
            self._newest = now
        out = self._expired
        self._expired = []
        if everything:
            out.extend(self._pending.values())
            self._pending.clear()
            self._stations.clear()
        elif self._newest is not None and self._pending:
            limit = self._newest - self._timeout
            stale = [k for k, g in self._pending.items() if g.time < limit]
            out.extend(self._pending.pop(k) for k in stale)
        return out
