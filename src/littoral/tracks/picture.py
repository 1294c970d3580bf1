"""The maritime picture: one :class:`VesselState` per MMSI, updated report by report.

:class:`TrackStore` (also exported as ``Picture``) applies decoded reports in any order from
any number of receivers: a report older than the state it would replace still counts as a
message and enters the history in time order, but never moves the vessel back in time. The
same report heard by two receivers (same MMSI, time and position) is one report.

History is bounded twice: at most ``history_points`` points per vessel, and, when
:meth:`TrackStore.expire` runs, no point older than ``history_ttl`` before the clock's time.
The clock is passed in: a live feed uses the system clock, a replay the message time.

Numbers that fit no ITU-R M.585 format (0, 1, 123456789, 912345678, a MID below 200...)
are not stations: their reports are counted in :attr:`TrackStore.quarantined`, by
MMSI, and never listed as vessels (the watch still sees them, to raise its integrity alert).

One MMSI heard at two places at once, farther apart than any ship could travel in between,
is kept as two (or more) ships of that MMSI, each with its own track: the first keeps the
MMSI as its key, the others are ``MMSI-2``, ``MMSI-3``... (:attr:`VesselState.key`; when and
how, :mod:`littoral.tracks.split`). Static and safety reports cannot say which of them sent
them: they go to the first.

Message counts are idempotent on re-ingest: a vessel restored from the store counts only
the reports newer than its restored ``last_seen``, so reading the same file twice gives the
same counts (a file of older traffic read later adds its positions to the track, but not to
the count).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from functools import partial
from itertools import repeat, starmap
from operator import itemgetter
from typing import Any, NamedTuple

from littoral.clock import Clock, require_utc
from littoral.errors import InputError, NotFoundError
from littoral.geo.flags import MmsiKind, flag_of, is_littoral, mmsi_kind
from littoral.records.reports import AisClass, PositionReport, SafetyReport, StaticReport
from littoral.tracks.groups import group_positions
from littoral.tracks.split import SplitRule, compatible, distance_m, never_split
from littoral.tracks.state import TrackPoint, VesselState

Report = PositionReport | StaticReport | SafetyReport
"""Any record the picture applies."""


class FlagInfo(NamedTuple):
    """What an MMSI tells of its flag state."""

    mid: int | None
    flag: str | None
    flag_code: str | None
    is_littoral: bool
    valid: bool = True
    """False for a number that fits no ITU-R M.585 format: not a station."""


FlagLookup = Callable[[int], FlagInfo]
"""MMSI -> its :class:`FlagInfo`."""

GROUPED_MIN = 2000
"""Positions in one call of :meth:`TrackStore.apply_position_columns` from which they are
applied by MMSI (fewer, as a live feed's, are applied one by one: grouping costs more than
it saves when most vessels have one report in the call)."""

_SOG_NOT_AVAILABLE_KN = 102.25
"""SOG 1023 (102.3 kn) is "not available"; 1022 means 102.2 kn or more."""


def geo_flag_lookup(mmsi: int) -> FlagInfo:
    """Return the flag of ``mmsi`` from the ITU MID table of :mod:`littoral.geo.flags`."""
    flag = flag_of(mmsi)
    if flag is None:
        return FlagInfo(None, None, None, False, mmsi_kind(mmsi) is not MmsiKind.INVALID)
    return FlagInfo(flag.mid, flag.country, flag.state_code, is_littoral(mmsi))


class TrackStore:
    """Latest state and recent history of every station heard.

    Parameters
    ----------
    clock
        Tells :meth:`expire` the current time when none is given.
    history_points
        Most points kept per vessel (> 0).
    history_ttl
        Age beyond which :meth:`expire` drops history points (> 0).
    vessel_ttl
        Age of ``last_seen`` beyond which :meth:`expire` forgets a vessel; ``None`` keeps all.
    flag_lookup
        MMSI to (flag, is_littoral); defaults to :func:`geo_flag_lookup`.
    split
        When one MMSI's positions are kept as two ships (:class:`SplitRule`); ``None``
        keeps one vessel per MMSI whatever its positions.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from littoral.clock import FixedClock
    >>> t = datetime(2026, 5, 1, 12, tzinfo=UTC)
    >>> picture = TrackStore(FixedClock(t))
    >>> picture.apply(PositionReport(mmsi=423000001, time=t, lon=50.1, lat=40.3, msg_type=1))
    >>> picture.get(423000001).lat
    40.3
    """

    def __init__(
        self,
        clock: Clock,
        *,
        history_points: int = 360,
        history_ttl: timedelta = timedelta(hours=6),
        vessel_ttl: timedelta | None = None,
        flag_lookup: FlagLookup | None = None,
        split: SplitRule | None = SplitRule(),  # noqa: B008 (an immutable NamedTuple)
    ) -> None:
        if history_points <= 0:
            raise InputError(f"history_points={history_points!r} must be > 0")
        if history_ttl <= timedelta(0):
            raise InputError(f"history_ttl={history_ttl!r} must be > 0")
        if vessel_ttl is not None and vessel_ttl <= timedelta(0):
            raise InputError(f"vessel_ttl={vessel_ttl!r} must be > 0 or None")
        self._clock = clock
        self._history_points = history_points
        self._history_ttl = history_ttl
        self._vessel_ttl = vessel_ttl
        self._flag_lookup = flag_lookup or geo_flag_lookup
        self._vessels: dict[int, VesselState] = {}
        self._twins: dict[int, list[VesselState]] = {}
        """Ships after the first of an MMSI heard at two places at once (track 1, 2...)."""
        self._held: dict[int, list[list[PositionReport]]] = {}
        """Positions that fit no ship of their MMSI, waiting to be placed: groups of positions
        that fit each other, each oldest first."""
        self._split = split
        self._careful: set[int] = set()
        """MMSIs with more than one ship or with held positions: the careful path."""
        self._dirty: set[VesselState] = set()
        self.invalid_positions = 0
        """Position reports whose coordinates were out of range (counted, not applied)."""
        self.quarantined: Counter[int] = Counter()
        """Reports of invalid MMSIs by MMSI (counted, never listed as vessels)."""
        self._counted_until: dict[int, datetime] = {}
        """Restored vessels: reports up to this time were counted before the restore."""

    def __len__(self) -> int:
        return len(self._vessels) + sum(len(t) for t in self._twins.values())

    def __contains__(self, mmsi: object) -> bool:
        return mmsi in self._vessels

    def __iter__(self) -> Iterator[VesselState]:
        yield from self._vessels.values()
        for twins in self._twins.values():
            yield from twins

    def get(self, mmsi: int, track: int = 0) -> VesselState:
        """Return the state of ``mmsi`` (of its ship ``track`` when it is more than one).

        Raises
        ------
        NotFoundError
            If the station has not been heard (or was forgotten by :meth:`expire`).
        """
        if track:
            for state in self._twins.get(mmsi, ()):
                if state.track == track:
                    return state
            raise NotFoundError(f"vessel {mmsi}-{track + 1} is not in the picture")
        try:
            return self._vessels[mmsi]
        except KeyError:
            raise NotFoundError(f"mmsi={mmsi!r} is not in the picture") from None

    def twins(self, mmsi: int) -> list[VesselState]:
        """Return the other ships heard on ``mmsi`` (none, usually)."""
        return list(self._twins.get(mmsi, ()))

    def vessels(self) -> list[VesselState]:
        """Return every vessel, in the order first heard (other ships of an MMSI last)."""
        return list(self)

    def restore(self, states: Iterable[VesselState]) -> None:
        """Put back states saved earlier (e.g. loaded from the store after a restart)."""
        for state in states:
            state.history = deque(state.history, maxlen=self._history_points)
            if state.track:
                twins = self._twins.setdefault(state.mmsi, [])
                self._careful.add(state.mmsi)
                twins[:] = [t for t in twins if t.track != state.track] + [state]
                twins.sort(key=_by_track)
                continue
            self._vessels[state.mmsi] = state
            self._counted_until[state.mmsi] = state.last_seen

    def take_dirty(self) -> list[VesselState]:
        """Return the vessels changed since the last call, and forget that they changed."""
        changed = list(self._dirty)
        self._dirty.clear()
        return changed

    def apply_many(self, reports: Iterable[Report]) -> None:
        """Apply reports in the order given."""
        apply = self.apply
        for report in reports:
            apply(report)

    def apply(self, report: Report) -> None:
        """Apply one decoded report to the picture."""
        if isinstance(report, PositionReport):
            self.apply_positions((report,))
        elif isinstance(report, StaticReport):
            self._apply_static(report)
        elif isinstance(report, SafetyReport):
            self.apply_safety((report,))
        else:
            raise InputError(f"report={report!r} is not a position, static or safety report")

    def _new_state(self, mmsi: int, time: datetime, track: int = 0) -> VesselState | None:
        """Make a new vessel; return None (and count) for a number that is no station."""
        if mmsi in self.quarantined:
            self.quarantined[mmsi] += 1
            return None
        info = self._flag_lookup(mmsi)
        if not info.valid:
            self.quarantined[mmsi] += 1
            return None
        state = VesselState(
            mmsi=mmsi,
            track=track,
            first_seen=time,
            last_seen=time,
            mid=info.mid,
            flag=info.flag,
            flag_code=info.flag_code,
            is_littoral=info.is_littoral,
            history=deque(maxlen=self._history_points),
        )
        if track:
            self._twins.setdefault(mmsi, []).append(state)
            self._careful.add(mmsi)
        else:
            self._vessels[mmsi] = state
        return state

    def _place(self, first: VesselState, report: PositionReport, point: TrackPoint) -> None:
        """Apply a position far from ``first``'s: to the ship of its MMSI it fits, or hold it.

        Positions that fit none of the MMSI's ships are held (counted when placed). When a
        position fits the first ship again after two or more held ones that fit each other,
        one MMSI was at two places at once: the held positions become a ship of their own.
        When three held positions fit each other and nothing came from the first ship
        between them, the vessel itself moved (a gap in reception, or times missing from
        the input): they go to the first ship.
        """
        rule = self._split
        mmsi = first.mmsi
        if rule is None or never_split(mmsi, report.msg_type):
            self._update(first, report, point)
            return
        best: VesselState | None = None
        best_d = float("inf")
        ships = (first, *self._twins.get(mmsi, ()))
        for state in ships:
            if state.position_time is None or state.lon is None or state.lat is None:
                best = state  # nothing to compare with: the point starts its track
                break
            here = (state.position_time, state.lon, state.lat)
            ok, d = compatible(rule, here, (point.time, point.lon, point.lat))
            if ok and d < best_d:
                best, best_d = state, d
        groups = self._held.get(mmsi)
        if best is not None:
            if groups and best is first:
                for group in [g for g in groups if len(g) >= 2]:
                    self._resolve(first, group, twin=True)  # back at the first place: two ships
            self._update(best, report, point)
            return
        groups = self._held.setdefault(mmsi, [])
        self._careful.add(mmsi)
        time = point.time
        window = timedelta(seconds=rule.confirm_s)
        for group in [g for g in groups if abs(time - g[-1].time) > window]:
            self._resolve(first, group, count_only=True)
        for group in groups:
            last = group[-1]
            if (last.time, last.lon, last.lat) == (time, point.lon, point.lat):
                return  # the same report heard again, by another receiver
            if compatible(rule, (last.time, last.lon, last.lat), (time, point.lon, point.lat))[0]:
                group.append(report)
                self._count_only(first, mmsi, time)
                if len(group) >= 3:
                    self._resolve(first, group, twin=_between(first, group))
                return
        groups.append([report])
        self._count_only(first, mmsi, time)
        if len(groups) > rule.max_tracks:
            self._resolve(first, groups[0], count_only=True)

    def _resolve(
        self,
        first: VesselState,
        group: list[PositionReport],
        *,
        twin: bool = False,
        count_only: bool = False,
    ) -> None:
        """Place held positions of ``first``'s MMSI: on a new ship, or on ``first``.

        With the MMSI's ships all taken, a group that would be a new ship joins the ship
        nearest to its last position.
        """
        mmsi = first.mmsi
        groups = self._held[mmsi]
        groups.remove(group)
        if not groups:
            del self._held[mmsi]
            if mmsi not in self._twins:
                self._careful.discard(mmsi)
        if count_only:  # strays: counted as the first ship's messages, nothing else
            return
        for report in group:  # counted when held: counted again where they go
            if self._counts(mmsi, report.time):
                first.message_count -= 1
        target: VesselState | None = first
        if twin:
            twins = self._twins.get(mmsi, [])
            rule = self._split
            if rule is not None and 1 + len(twins) >= rule.max_tracks:
                target = _nearest((first, *twins), group[-1])
            else:
                track = 1 + max((t.track for t in twins), default=0)
                target = self._new_state(mmsi, group[0].time, track)
        if target is None:
            return
        for report in group:
            self._update(target, report, _point_of(report))

    def _touch(self, mmsi: int, time: datetime) -> VesselState | None:
        state = self._vessels.get(mmsi)
        if state is None:
            state = self._new_state(mmsi, time)
            if state is None:
                return None
        elif time > state.last_seen:
            state.last_seen = time
        elif time < state.first_seen:
            state.first_seen = time
        self._count_only(state, mmsi, time)
        return state

    def _count_only(self, state: VesselState, mmsi: int, time: datetime) -> None:
        """Count a report of ``state`` that changes nothing else."""
        if time > state.last_seen:
            state.last_seen = time
        if self._counts(mmsi, time):
            state.message_count += 1
        self._dirty.add(state)

    def _counts(self, mmsi: int, time: datetime) -> bool:
        """Whether a report of ``mmsi`` at ``time`` is new to the counts (see the module)."""
        counted = self._counted_until
        return not counted or mmsi not in counted or time > counted[mmsi]

    def apply_positions(self, reports: Iterable[PositionReport]) -> None:
        """Apply position reports in the order given (the ingest's hot path).

        :meth:`_apply_column_rows` (behind :meth:`apply_position_columns`) is the same loop
        over columns, written out again so neither path pays for the other's shape: a change
        to one belongs in both.
        """
        vessels = self._vessels
        new_state = self._new_state
        new_point = _new_point
        update = self._update
        counted = self._counted_until
        counts = self._counts
        dirty_add = self._dirty.add
        unknown = AisClass.UNKNOWN
        careful = self._careful
        near = self._split.near_deg if self._split is not None else float("inf")
        for report in reports:
            lon = report.lon
            lat = report.lat
            if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                self.invalid_positions += 1
                continue
            mmsi = report.mmsi
            time = report.time
            sog = report.sog_kn
            if sog is not None and sog >= _SOG_NOT_AVAILABLE_KN:
                sog = None
            cog = report.cog_deg
            if cog is not None and cog >= 360.0:
                cog = None
            point = new_point((time, lon, lat, sog, cog))
            state = vessels.get(mmsi)
            if state is None:
                state = new_state(mmsi, time)
                if state is None:
                    continue
            elif (careful and mmsi in careful) or (
                state.lat is not None
                and not (-near < lat - state.lat < near and -near < lon - state.lon < near)  # type: ignore[operator]
            ):
                # far from where it was, or more than one ship on it: the careful way
                self._place(state, report, point)
                continue
            history = state.history
            if not history or time <= history[-1][0]:
                update(state, report, point)  # first, late, or at the same time as the last
                continue
            # the usual report: newer than anything held (what _update does, inline)
            history.append(point)
            if time > state.last_seen:
                state.last_seen = time
            if not counted or counts(mmsi, time):
                state.message_count += 1
            dirty_add(state)
            if report.ais_class is not unknown:
                state.ais_class = report.ais_class
            heading = report.heading_deg
            state.lon = lon
            state.lat = lat
            state.position_time = time
            state.sog_kn = sog
            state.cog_deg = cog
            state.heading_deg = None if heading is None or heading >= 360.0 else heading
            if report.nav_status is not None:
                state.nav_status = report.nav_status

    def apply_position_columns(
        self, columns: Sequence[Sequence[Any]], times_ms: Sequence[int] | None = None
    ) -> None:
        """Apply position reports given as columns, one per field of :class:`PositionReport`.

        The same as :meth:`apply_positions` on ``map(PositionReport, *columns)``, without
        making a report per position on the usual path (a decode worker sends columns).

        ``times_ms``: the times in milliseconds since 1970 (as the store keeps them), when
        the caller has them. A batch of at least :data:`GROUPED_MIN` positions is applied
        by MMSI (:mod:`littoral.tracks.groups`): a vessel's plain run of reports in one
        step, anything else report by report; a smaller one report by report.
        """
        count = len(columns[0])
        if count < GROUPED_MIN:
            self._apply_column_rows(columns, range(count))
            return
        mmsis, times, lons, lats, _, _, sogs, cogs, headings, statuses, classes, _ = columns
        if times_ms is None:
            times_ms = [round(t.timestamp() * 1000.0) for t in times]
        near = self._split.near_deg if self._split is not None else float("inf")
        unknown = AisClass.UNKNOWN
        groups = group_positions(
            mmsis,
            lons,
            lats,
            times_ms,
            near,
            ([c is not unknown for c in classes], [v is not None for v in statuses]),
        )
        order, bounds = groups.order, groups.bounds
        not_available = _SOG_NOT_AVAILABLE_KN
        points = list(
            map(
                _new_point,
                zip(
                    times,
                    lons,
                    lats,
                    [None if s is None or s >= not_available else s for s in sogs],
                    [None if c is None or c >= 360.0 else c for c in cogs],
                    strict=True,
                ),
            )
        )
        in_order = list(map(points.__getitem__, order))
        vessels = self._vessels
        careful = self._careful
        counted = self._counted_until
        dirty_add = self._dirty.add
        others: list[int] = []
        """Positions of the groups that are no plain run of a known vessel: applied last,
        one by one in the batch's order (new vessels are then made in the order heard)."""
        classed, statused = groups.marked
        for a, b, plain, ordered, first, last, with_class, with_status in zip(
            bounds,
            bounds[1:],
            groups.plain,
            groups.ordered,
            groups.firsts,
            groups.lasts,
            classed,
            statused,
            strict=False,  # (one bound more than groups)
        ):
            mmsi = mmsis[first]
            state = vessels.get(mmsi) if ordered else None
            if (
                state is None
                or not (history := state.history)
                or (careful and mmsi in careful)
                or times[first] <= history[-1][0]
            ):
                others.extend(order[a:b])
                continue
            if (
                not plain
                or (
                    state.lat is not None
                    and not (
                        -near < lats[first] - state.lat < near
                        and -near < lons[first] - state.lon < near
                    )
                )
            ) and not self._one_ship(state, order[a:b], columns):
                others.extend(order[a:b])
                continue
            history.extend(in_order[a:b])
            time = times[last]
            if time > state.last_seen:
                state.last_seen = time
            if not counted or mmsi not in counted:
                state.message_count += b - a
            else:
                until = counted[mmsi]
                state.message_count += sum(1 for k in order[a:b] if times[k] > until)
            dirty_add(state)
            if with_class >= 0:
                state.ais_class = classes[with_class]
            if with_status >= 0:
                state.nav_status = statuses[with_status]
            _move_to(state, points[last], headings[last])
        if others:
            others.sort()
            self._apply_column_rows(columns, others)

    def _one_ship(
        self, state: VesselState, rows: Sequence[int], columns: Sequence[Sequence[Any]]
    ) -> bool:
        """Whether one by one, ``state`` would take each of the positions ``rows`` as its own.

        ``rows``: a group of ``state``'s MMSI (which is not careful: one ship, nothing held),
        in range and each later than the one before and than ``state``'s history. A step
        beyond the near box of the position before (``state``'s for the first) goes through
        :meth:`_place` one by one, which gives it to ``state`` exactly when it is from a SAR
        aircraft, ``state`` has no position time, or it is compatible under the split rule
        with that position: then every step here is ``state``'s, as in a plain run. A long
        step of a ship heard seldom (class B, long-range type 27) then stays in the run.
        """
        rule = self._split
        if rule is None:
            return True
        near = rule.near_deg
        mmsi = state.mmsi
        times, lons, lats, msg_types = columns[1], columns[2], columns[3], columns[4]
        here: tuple[datetime | None, float, float] | None = None
        if state.lat is not None and state.lon is not None:
            here = (state.position_time, state.lon, state.lat)
        for k in rows:
            there = (times[k], lons[k], lats[k])
            if (
                here is not None
                and not (-near < there[2] - here[2] < near and -near < there[1] - here[1] < near)
                and not never_split(mmsi, msg_types[k])
                and here[0] is not None
                and not compatible(rule, (here[0], here[1], here[2]), there)[0]
            ):
                return False
            here = there
        return True

    def _apply_column_rows(self, columns: Sequence[Sequence[Any]], rows: Iterable[int]) -> None:
        """Apply the positions ``rows`` of ``columns``, in that order, one by one.

        :meth:`apply_positions`'s loop over columns, written out again so neither path pays
        for the other's shape (a change to one belongs in both); the rarer paths (a ship far
        from where it was, several on one MMSI, late reports) get the report built.
        """
        vessels = self._vessels
        new_state = self._new_state
        new_point = _new_point
        update = self._update
        counted = self._counted_until
        counts = self._counts
        dirty_add = self._dirty.add
        unknown = AisClass.UNKNOWN
        careful = self._careful
        near = self._split.near_deg if self._split is not None else float("inf")
        mmsis, times, lons, lats, _, _, sogs, cogs, headings, statuses, classes, _ = columns
        for k in rows:
            lon = lons[k]
            lat = lats[k]
            if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                self.invalid_positions += 1
                continue
            mmsi = mmsis[k]
            time = times[k]
            sog = sogs[k]
            if sog is not None and sog >= _SOG_NOT_AVAILABLE_KN:
                sog = None
            cog = cogs[k]
            if cog is not None and cog >= 360.0:
                cog = None
            point = new_point((time, lon, lat, sog, cog))
            state = vessels.get(mmsi)
            if state is None:
                state = new_state(mmsi, time)
                if state is None:
                    continue
            elif (careful and mmsi in careful) or (
                state.lat is not None
                and not (-near < lat - state.lat < near and -near < lon - state.lon < near)
            ):
                self._place(state, PositionReport(*(column[k] for column in columns)), point)
                continue
            history = state.history
            if not history or time <= history[-1][0]:
                update(state, PositionReport(*(column[k] for column in columns)), point)
                continue
            history.append(point)
            if time > state.last_seen:
                state.last_seen = time
            if not counted or counts(mmsi, time):
                state.message_count += 1
            dirty_add(state)
            ais_class = classes[k]
            if ais_class is not unknown:
                state.ais_class = ais_class
            state.lon = lon
            state.lat = lat
            state.position_time = time
            state.sog_kn = sog
            state.cog_deg = cog
            heading = headings[k]
            state.heading_deg = None if heading is None or heading >= 360.0 else heading
            status = statuses[k]
            if status is not None:
                state.nav_status = status

    def _update(self, state: VesselState, report: PositionReport, point: TrackPoint) -> None:
        """Apply one position (its not-available values already cleared in ``point``)."""
        time = point[0]
        history = state.history
        if not history or time > history[-1][0]:
            history.append(point)
        elif _held(history, point):
            return  # the same report heard again, by another receiver
        elif time == history[-1][0]:
            history.append(point)
        else:
            self._insert_in_order(history, point)
        if time > state.last_seen:
            state.last_seen = time
        elif time < state.first_seen:
            state.first_seen = time
        counted = self._counted_until
        if not counted or self._counts(state.mmsi, time):
            state.message_count += 1
        self._dirty.add(state)
        if report.ais_class is not AisClass.UNKNOWN:
            state.ais_class = report.ais_class
        position_time = state.position_time
        if position_time is None or time >= position_time:
            _move_to(state, point, report.heading_deg)
            if report.nav_status is not None:
                state.nav_status = report.nav_status

    def apply_statics(self, reports: Iterable[StaticReport]) -> None:
        """Apply static and voyage reports in the order given."""
        for report in reports:
            self._apply_static(report)

    def apply_safety(self, reports: Iterable[SafetyReport]) -> None:
        """Apply safety texts in the order given."""
        for report in reports:
            state = self._touch(report.mmsi, report.time)
            if state is not None:
                state.last_text = report.text

    @staticmethod
    def _insert_in_order(history: deque[TrackPoint], point: TrackPoint) -> None:
        index = bisect_right([p.time for p in history], point.time)
        if history.maxlen is not None and len(history) == history.maxlen:
            if index == 0:
                return  # older than everything kept
            history.popleft()
            index -= 1
        history.insert(index, point)

    def _apply_static(self, report: StaticReport) -> None:
        state = self._touch(report.mmsi, report.time)
        if state is None:
            return
        if report.ais_class is not AisClass.UNKNOWN and state.ais_class is AisClass.UNKNOWN:
            state.ais_class = report.ais_class
        if state.static_time is not None and report.time < state.static_time:
            return  # older than what we hold: counted, but it does not overwrite
        state.static_time = report.time
        # each field kept unless this report carries it (type 24 A and B carry halves)
        if report.name is not None:
            state.name = report.name
        if report.callsign is not None:
            state.callsign = report.callsign
        if report.imo is not None:
            state.imo = report.imo
        if report.ship_type is not None:
            state.ship_type = report.ship_type
        if report.to_bow_m is not None:
            state.to_bow_m = report.to_bow_m
        if report.to_stern_m is not None:
            state.to_stern_m = report.to_stern_m
        if report.to_port_m is not None:
            state.to_port_m = report.to_port_m
        if report.to_starboard_m is not None:
            state.to_starboard_m = report.to_starboard_m
        if report.destination is not None:
            state.destination = report.destination
        if report.eta is not None:
            state.eta = report.eta
        if report.draught_m is not None:
            state.draught_m = report.draught_m

    def expire(self, now: datetime | None = None) -> int:
        """Drop history older than ``history_ttl`` and vessels older than ``vessel_ttl``.

        Parameters
        ----------
        now
            The time to measure ages from (UTC-aware); the clock's time when omitted.

        Returns
        -------
        int
            The number of vessels forgotten.
        """
        when = self._clock.now() if now is None else require_utc(now, "now")
        oldest = when - self._history_ttl
        for state in self:
            history = state.history
            if history and history[0].time < oldest:
                if history[-1].time < oldest:
                    history.clear()  # (the usual case of a ship not heard for a while)
                else:  # (a history is in time order; the old points popped in C)
                    old = bisect_left(history, oldest, key=_time_of)
                    deque(starmap(history.popleft, repeat((), old)), maxlen=0)
        if self._vessel_ttl is None:
            return 0
        stale_before = when - self._vessel_ttl
        stale = [s for s in self if s.last_seen < stale_before]
        for state in stale:
            if state.track:
                twins = self._twins[state.mmsi]
                twins.remove(state)
                if not twins:
                    del self._twins[state.mmsi]
                    if state.mmsi not in self._held:
                        self._careful.discard(state.mmsi)
            else:
                del self._vessels[state.mmsi]
            self._dirty.discard(state)
        return len(stale)


def _move_to(state: VesselState, point: TrackPoint, heading_deg: float | None) -> None:
    """Take ``point`` (its not-available values already cleared) as ``state``'s position."""
    state.lon = point[1]
    state.lat = point[2]
    state.position_time = point[0]
    state.sog_kn = point[3]
    state.cog_deg = point[4]
    state.heading_deg = None if heading_deg is None or heading_deg >= 360.0 else heading_deg


def _between(first: VesselState, group: list[PositionReport]) -> bool:
    """Whether ``first`` has a position from after the first of the held ones."""
    pt = first.position_time
    return pt is not None and group[0].time < pt


def _nearest(ships: Iterable[VesselState], report: PositionReport) -> VesselState:
    def away(state: VesselState) -> float:
        if state.lon is None or state.lat is None:
            return float("inf")
        return distance_m(state.lon, state.lat, report.lon, report.lat)

    return min(ships, key=away)


def _point_of(report: PositionReport) -> TrackPoint:
    sog = report.sog_kn
    cog = report.cog_deg
    return TrackPoint(
        report.time,
        report.lon,
        report.lat,
        None if sog is None or sog >= _SOG_NOT_AVAILABLE_KN else sog,
        None if cog is None or cog >= 360.0 else cog,
    )


def _by_track(state: VesselState) -> int:
    return state.track


def _held(history: deque[TrackPoint], point: TrackPoint) -> bool:
    """Whether ``history`` already holds a point at the same time and place."""
    time, lon, lat = point[0], point[1], point[2]
    index = bisect_right([p[0] for p in history], time) if time < history[-1][0] else len(history)
    for j in range(index - 1, -1, -1):
        held = history[j]
        if held[0] != time:
            return False
        if held[1] == lon and held[2] == lat:
            return True
    return False


_new_point = partial(tuple.__new__, TrackPoint)
_time_of = itemgetter(0)
"""Build a :class:`TrackPoint` from a tuple without the keyword-handling constructor."""

Picture = TrackStore
"""The same class under the name watch officers use."""
