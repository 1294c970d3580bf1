"""One centre of the federation: its own feed in, its share out, the others' shares in.

A centre decodes its own receivers' lines, updates its picture and its store, runs its watch
on what its own receivers heard, and hands back what its policy shares
(:class:`~littoral.federation.policy.SharePolicy`) as messages to publish. The other centres'
messages come back through :meth:`Centre.take_remote` into the same picture and store, so
the centre's picture is the union.

The exactly-once effect rests on three things: message ids (JetStream drops a message
published twice), the store's keys (a message delivered twice stores nothing the second
time), and the merge of copies: a transmission heard by several receivers (two centres', or
two of one centre) gives positions with the same content (MMSI, type, position, speed,
course, heading, status) received within ``merge_window_s`` of each other; the first stored
is kept, its receiver as the position's source, and every other receiver is recorded
against it (``position_receivers``). The merge looks
the copies up in the store, not in memory, so a backlog replayed hours later after a cut
link merges just the same. Alerts raised at several centres are merged by
:func:`littoral.federation.reconcile.merge`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

from littoral.ais import Decoder, RawLine
from littoral.clock import Clock
from littoral.errors import InputError
from littoral.federation import wire
from littoral.federation.policy import SharePolicy
from littoral.federation.reconcile import merge, overlaps
from littoral.federation.transport import Incoming, Kind, Outgoing
from littoral.records.alerts import Alert
from littoral.records.reports import PositionReport, SafetyReport, StaticReport
from littoral.services.ingest import WatchHook
from littoral.services.joint_cases import JointCases
from littoral.store.federated import (
    OutboxRow,
    ReceiverRow,
    ReceiverWrite,
    add_outbox,
    ensure_tables,
    find_alert_copies,
    near_positions,
    read_cursors,
    read_outbox,
    remove_outbox,
    replace_alerts,
)
from littoral.store.records import fast_ms
from littoral.store.sqlstore import SqlStore
from littoral.tracks.picture import TrackStore

_Content = tuple[int, int, float, float, float | None, float | None, float | None, int | None]


@dataclass(slots=True)
class CentreStats:
    """What a centre did, counted."""

    local_positions: int = 0
    local_new: int = 0
    shared: Counter[str] = field(default_factory=Counter)
    withheld: Counter[str] = field(default_factory=Counter)
    remote_messages: int = 0
    remote_new: int = 0
    merged_copies: int = 0
    receivers_added: int = 0
    alerts_merged: int = 0
    cases_received: int = 0
    rejected: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class Refused:
    """A peer's message or row kept aside in the store's quarantine (source ``federation:C``)."""

    line: str
    source: str
    reason: str
    time: datetime


_REFUSED_CHARS = 2000
"""The most of a refusal's text kept (a joint case's document can be long)."""


def refused(m: Incoming, reason: str, error: str, at: datetime) -> Refused:
    """Return what is kept of a refused message: where it is in its origin's log, and why.

    The text is made safe for any store: non-ASCII characters and NUL are escaped, so the
    text that got the message refused cannot get its quarantine row refused too.
    """
    text = f"{m.origin} #{m.origin_seq} ({m.msg_id}): {error}"
    text = text.encode("ascii", "backslashreplace").decode("ascii").replace("\x00", "\\x00")
    if len(text) > _REFUSED_CHARS:
        text = text[: _REFUSED_CHARS - 1] + "~"
    return Refused(line=text, source=f"federation:{m.origin}", reason=reason, time=at)


def _check_origin(claimed: str, m: Incoming) -> None:
    if m.origin:  # (a message read without its subject has no stream to compare with)
        wire.check_origin(claimed, m.origin)


@dataclass(frozen=True, slots=True)
class RemoteResult:
    """What one batch of the others' messages did, with the positions it added."""

    positions: list[PositionReport]
    merged: int
    alerts: list[Alert]


class Centre:
    """The picture, store and watch of one centre, fed by its receivers and by the others.

    Parameters
    ----------
    name
        The centre (its NATS subjects and domain).
    store
        Its store (SQLite or PostgreSQL).
    clock
        The live clock (ages the picture's history).
    policy
        What it shares.
    watch
        Its watch engine, run on what its own receivers hear; ``None`` for no watch.
    merge_window_s
        Copies of one transmission are received within this time of each other (> 0).
    """

    def __init__(
        self,
        name: str,
        store: SqlStore,
        clock: Clock,
        *,
        policy: SharePolicy | None = None,
        watch: WatchHook | None = None,
        merge_window_s: float = 5.0,
    ) -> None:
        if merge_window_s <= 0:
            raise InputError(f"merge_window_s={merge_window_s!r} must be > 0")
        self.name = name
        self.store = store
        self.clock = clock
        self.policy = policy or SharePolicy()
        self.watch = watch
        self._window_ms = round(merge_window_s * 1000)
        ensure_tables(store)
        self.joint = JointCases(name, store)
        self.picture = TrackStore(clock)
        self.picture.restore(store.vessels.all())
        self.decoder = Decoder(keep_others=False)
        self.stats = CentreStats()

    # -- the picture -----------------------------------------------------------------------

    def ship_type(self, mmsi: int) -> int | None:
        """Return the last ship type heard of ``mmsi`` (``None`` if not known)."""
        return self.picture.get(mmsi).ship_type if mmsi in self.picture else None

    def last_position(self, mmsi: int) -> tuple[float, float] | None:
        """Return the last (lon, lat) of ``mmsi`` (``None`` if not known)."""
        if mmsi not in self.picture:
            return None
        state = self.picture.get(mmsi)
        return None if state.lon is None or state.lat is None else (state.lon, state.lat)

    # -- own receivers ---------------------------------------------------------------------

    def take_local(self, lines: Sequence[RawLine]) -> list[Outgoing]:
        """Decode, store and watch the own receivers' lines; return the messages to share."""
        batch = self.decoder.decode_lines(lines)
        positions = [_stamped(p, self.name) for p in batch.positions]
        statics = [_stamped(s, self.name) for s in batch.statics]
        self.picture.apply_statics(statics)
        alerts: list[Alert] = []
        if self.watch is not None:
            records: list[PositionReport | StaticReport | SafetyReport] = [
                *positions,
                *statics,
                *batch.safety,
            ]
            records.sort(key=lambda r: r.time)
            alerts = self.watch.process(records)
        new, receivers = self._merge_copies(positions)
        self.picture.apply_positions(new)
        self.picture.apply_safety(batch.safety)
        out = self._share(positions, statics, alerts)
        # receivers and the messages to share, in the batch's own transaction
        also = ReceiverWrite(self.store, receivers, outbox=_outbox_rows(out))
        self.store.write_batch(
            positions=new,
            vessels=self.picture.take_dirty(),
            quarantine=batch.rejects,
            safety=batch.safety,
            statics=statics,
            also=also,
        )
        self.stats.receivers_added += also.added
        self.stats.local_positions += len(positions)
        self.stats.local_new += len(new)
        for alert in alerts:
            self._store_alert(alert, self.name)
        return out

    def joint_cases(self) -> list[Outgoing]:
        """Return the messages of own joint cases changed since last published (policy)."""
        if not self.policy.joint_cases:
            return []
        out = self.joint.changed()
        self.stats.shared["case"] += len(out)
        return out

    def outbox(self) -> list[Outgoing]:
        """Return the messages stored but not yet acknowledged by the server, in order."""
        return [
            Outgoing(kind=Kind(r.kind), msg_id=r.msg_id, data=r.data, reports=r.reports)
            for r in read_outbox(self.store)
        ]

    def published(self, messages: Sequence[Outgoing]) -> None:
        """Forget ``messages``: the server acknowledged them."""
        remove_outbox(self.store, [m.msg_id for m in messages])

    def _share(
        self, positions: list[PositionReport], statics: list[StaticReport], alerts: list[Alert]
    ) -> list[Outgoing]:
        policy, name, stats = self.policy, self.name, self.stats
        out_statics = policy.statics(statics, self.ship_type, self.last_position)
        out_positions = policy.positions(positions, self.ship_type)
        out_alerts = policy.alerts(alerts)
        stats.withheld["static"] += len(statics) - len(out_statics)
        stats.withheld["position"] += len(positions) - len(out_positions)
        stats.withheld["alert"] += len(alerts) - len(out_alerts)
        out = [wire.encode_static(name, s) for s in out_statics]
        out.extend(wire.encode_positions(name, out_positions))
        out.extend(wire.encode_alert(name, a) for a in out_alerts)
        stats.shared["static"] += len(out_statics)
        stats.shared["position"] += len(out_positions)
        stats.shared["alert"] += len(out_alerts)
        return out

    # -- the others ------------------------------------------------------------------------

    def cursors(self) -> dict[str, int]:
        """Return, for each other centre, the number of its last message whose effect is stored."""
        return read_cursors(self.store)

    def take_remote(self, messages: Sequence[Incoming]) -> RemoteResult:
        """Store the others' messages (in the order given); bad ones are counted, not raised."""
        positions: list[PositionReport] = []
        statics: list[StaticReport] = []
        alerts: list[tuple[str, Alert]] = []
        kept_aside: list[Refused] = []
        now = self.clock.now()
        for m in messages:
            try:
                if m.kind is Kind.POSITION:
                    batch = wire.decode_positions(m.data, stamp_origin=True)
                    _check_origin(batch.origin, m)
                    positions.extend(batch.positions)
                    if batch.bad_rows:
                        self.stats.rejected["bad_position_row"] += len(batch.bad_rows)
                        kept_aside.extend(
                            refused(m, "federation_bad_position_row", row, now)
                            for row in batch.bad_rows
                        )
                elif m.kind is Kind.STATIC:
                    origin, s = wire.decode_static(m.data)
                    _check_origin(origin, m)
                    statics.append(_stamped(s, origin))
                elif m.kind is Kind.ALERT:
                    origin, alert = wire.decode_alert(m.data)
                    _check_origin(origin, m)
                    alerts.append((origin, alert))
                elif m.kind is Kind.CASE:  # the case whole: its copy here is replaced
                    self.joint.take(m.data, via=m.origin or None)
                    self.stats.cases_received += 1
                else:  # a kind of a newer version: kept aside, the cursor moves on
                    raise InputError(f"message of unknown kind {str(m.kind)!r}")
            except InputError as exc:
                kind = m.kind.value if isinstance(m.kind, Kind) else "kind"  # a known name
                self.stats.rejected[f"bad_{kind}"] += 1
                kept_aside.append(refused(m, f"federation_bad_{kind}", str(exc), now))
        self.stats.remote_messages += len(messages)
        self.picture.apply_statics(statics)
        new, receivers = self._merge_copies(positions)
        self.picture.apply_positions(new)
        cursors: dict[str, int] = {}  # each centre's last message, stored with its effect
        for m in messages:
            if m.origin_seq > cursors.get(m.origin, 0):
                cursors[m.origin] = m.origin_seq
        # the alerts before the batch that moves the cursors: stopped in between, the
        # messages come again and an alert merges with its own stored copy (no change)
        merged = [self._store_alert(a, origin) for origin, a in alerts]
        also = ReceiverWrite(self.store, receivers, cursors)
        self.store.write_batch(
            positions=new,
            vessels=self.picture.take_dirty(),
            statics=statics,
            quarantine=kept_aside,
            also=also,
        )
        self.stats.receivers_added += also.added
        self.stats.remote_new += len(new)
        return RemoteResult(positions=new, merged=len(positions) - len(new), alerts=merged)

    def _merge_copies(
        self, positions: Sequence[PositionReport]
    ) -> tuple[list[PositionReport], list[ReceiverRow]]:
        """Split positions into new ones and copies of stored ones; every receiver's row."""
        if not positions:
            return [], []
        window = self._window_ms
        times = [fast_ms(p.time) for p in positions]
        seen: dict[_Content, list[tuple[int, str]]] = {}  # copies stored: time, receiver
        for row in near_positions(
            self.store,
            {(p.mmsi, p.lon, p.lat) for p in positions},
            min(times) - window,
            max(times) + window,
        ):
            key = (row.mmsi, row.msg_type, row.lon, row.lat, row.sog_kn, row.cog_deg,
                   row.heading_deg, row.nav_status)  # fmt: skip
            seen.setdefault(key, []).append((row.time_ms, row.source))
        new: list[PositionReport] = []
        receivers: list[ReceiverRow] = []
        for p, t in zip(positions, times, strict=True):
            key = (p.mmsi, p.msg_type, p.lon, p.lat, p.sog_kn, p.cog_deg, p.heading_deg,
                   p.nav_status)  # fmt: skip
            found = seen.get(key)
            first = None
            if found is not None:
                first = min(found, key=lambda s: (abs(s[0] - t), s[0]))
                if abs(first[0] - t) > window:
                    first = None
            if first is None:
                seen.setdefault(key, []).append((t, p.source))
                new.append(p)  # its receiver is the position's own source
                continue
            self.stats.merged_copies += 1
            if p.source != first[1]:  # another receiver of a stored position
                receivers.append(ReceiverRow(p.mmsi, first[0], p.lon, p.lat, p.source))
        return new, receivers

    def _store_alert(self, alert: Alert, origin: str) -> Alert:
        stored = [a for a in find_alert_copies(self.store, alert.rule, alert.mmsis)]
        related = [a for a in stored if overlaps(a, alert)]
        merged, gone = merge(alert, origin, related, self.name)
        if gone or merged.id != alert.id:
            self.stats.alerts_merged += 1
        at = merged.end or max([merged.start, *(e.time for e in merged.evidence[-1:])])
        replace_alerts(self.store, merged, gone, at)
        return merged

    def finish(self, time: datetime) -> list[Outgoing]:
        """End of the own feed at event ``time``: the watch's last alerts, to share."""
        alerts = [] if self.watch is None else self.watch.finish(time)
        for alert in alerts:
            self._store_alert(alert, self.name)
        out = self._share([], [], alerts)
        add_outbox(self.store, _outbox_rows(out))
        return out


def _outbox_rows(messages: Sequence[Outgoing]) -> list[OutboxRow]:
    return [OutboxRow(m.msg_id, m.kind.value, m.data, m.reports) for m in messages]


_R = TypeVar("_R", PositionReport, StaticReport)


def _stamped(report: _R, centre: str) -> _R:
    """``report`` with its source named ``centre/source`` (the receiving centre stamped)."""
    if report.source.startswith(f"{centre}/"):
        return report
    return replace(report, source=f"{centre}/{report.source}")


def remote_lag_s(positions: Sequence[PositionReport], now: Callable[[], datetime]) -> list[float]:
    """Seconds between each position's receive time and ``now()``: the picture's lag."""
    t = now()
    return [(t - p.time).total_seconds() for p in positions]
