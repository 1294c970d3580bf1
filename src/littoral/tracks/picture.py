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

Message counts are idempotent on re-ingest: a vessel restored from the store counts only
the reports newer than its restored ``last_seen``, so reading the same file twice gives the
same counts (a file of older traffic read later adds its positions to the track, but not to
the count).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from functools import partial
from typing import NamedTuple

from littoral.clock import Clock, require_utc
from littoral.errors import InputError, NotFoundError
from littoral.records.reports import AisClass, PositionReport, SafetyReport, StaticReport
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

_SOG_NOT_AVAILABLE_KN = 102.25
"""SOG 1023 (102.3 kn) is "not available"; 1022 means 102.2 kn or more."""


def geo_flag_lookup(mmsi: int) -> FlagInfo:
    """Return the flag of ``mmsi`` from the ITU MID table of :mod:`littoral.geo.flags`."""
    from littoral.geo.flags import MmsiKind, flag_of, is_littoral, mmsi_kind

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
        self._dirty: set[int] = set()
        self.invalid_positions = 0
        """Position reports whose coordinates were out of range (counted, not applied)."""
        self.quarantined: Counter[int] = Counter()
        """Reports of invalid MMSIs by MMSI (counted, never listed as vessels)."""
        self._counted_until: dict[int, datetime] = {}
        """Restored vessels: reports up to this time were counted before the restore."""

    def __len__(self) -> int:
        return len(self._vessels)

    def __contains__(self, mmsi: object) -> bool:
        return mmsi in self._vessels

    def __iter__(self) -> Iterator[VesselState]:
        return iter(self._vessels.values())

    def get(self, mmsi: int) -> VesselState:
        """Return the state of ``mmsi``.

        Raises
        ------
        NotFoundError
            If the station has not been heard (or was forgotten by :meth:`expire`).
        """
        try:
            return self._vessels[mmsi]
        except KeyError:
            raise NotFoundError(f"mmsi={mmsi!r} is not in the picture") from None

    def vessels(self) -> list[VesselState]:
        """Return every vessel, in the order first heard."""
        return list(self._vessels.values())

    def restore(self, states: Iterable[VesselState]) -> None:
        """Put back states saved earlier (e.g. loaded from the store after a restart)."""
        for state in states:
            state.history = deque(state.history, maxlen=self._history_points)
            self._vessels[state.mmsi] = state
            self._counted_until[state.mmsi] = state.last_seen

    def take_dirty(self) -> list[VesselState]:
        """Return the vessels changed since the last call, and forget that they changed."""
        vessels = self._vessels
        changed = [vessels[m] for m in self._dirty if m in vessels]
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

    def _new_state(self, mmsi: int, time: datetime) -> VesselState | None:
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
            first_seen=time,
            last_seen=time,
            mid=info.mid,
            flag=info.flag,
            flag_code=info.flag_code,
            is_littoral=info.is_littoral,
            history=deque(maxlen=self._history_points),
        )
        self._vessels[mmsi] = state
        return state

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
        counted = self._counted_until
        if not counted or mmsi not in counted or time > counted[mmsi]:
            state.message_count += 1
        self._dirty.add(mmsi)
        return state

    def apply_positions(self, reports: Iterable[PositionReport]) -> None:
        """Apply position reports in the order given (the ingest's hot path)."""
        vessels = self._vessels
        dirty_add = self._dirty.add
        new_state = self._new_state
        new_point = _new_point
        unknown = AisClass.UNKNOWN
        counted = self._counted_until
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
                state.history.append(point)
            else:
                history = state.history
                if not history or time > history[-1][0]:
                    history.append(point)
                elif _held(history, point):
                    continue  # the same report heard again, by another receiver
                elif time == history[-1][0]:
                    history.append(point)
                else:
                    self._insert_in_order(history, point)
                if time > state.last_seen:
                    state.last_seen = time
                elif time < state.first_seen:
                    state.first_seen = time
            if not counted or mmsi not in counted or time > counted[mmsi]:
                state.message_count += 1
            dirty_add(mmsi)
            if report.ais_class is not unknown:
                state.ais_class = report.ais_class
            position_time = state.position_time
            if position_time is None or time >= position_time:
                heading = report.heading_deg
                state.lon = lon
                state.lat = lat
                state.position_time = time
                state.sog_kn = sog
                state.cog_deg = cog
                state.heading_deg = None if heading is None or heading >= 360.0 else heading
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
        for state in self._vessels.values():
            history = state.history
            while history and history[0].time < oldest:
                history.popleft()
        if self._vessel_ttl is None:
            return 0
        stale_before = when - self._vessel_ttl
        stale = [m for m, s in self._vessels.items() if s.last_seen < stale_before]
        for mmsi in stale:
            del self._vessels[mmsi]
            self._dirty.discard(mmsi)
        return len(stale)


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
"""Build a :class:`TrackPoint` from a tuple without the keyword-handling constructor."""

Picture = TrackStore
"""The same class under the name watch officers use."""
