r"""A seeded, deterministic day of Caspian AIS traffic as NMEA lines, with its planted truth.

:func:`generate_traffic` plans the regular fleet (:mod:`littoral.exercise.schedules`) and the
planted events (:mod:`littoral.exercise.planted`), draws report times at AIS rates
(:mod:`littoral.exercise.motion`), and encodes every report as a tag-blocked ``!AIVDM`` line
(:mod:`littoral.exercise.nmea`). Same generator state, same lines.

A short day, for instance:

>>> import numpy as np
>>> from datetime import datetime, UTC
>>> day = generate_traffic(np.random.default_rng(7), datetime(2026, 10, 14, tzinfo=UTC),
...                        hours=6, n_vessels=40, rate_scale=30)
>>> day.lines[0].startswith("\\s:")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from littoral.clock import require_utc
from littoral.errors import InputError
from littoral.exercise import schedules
from littoral.exercise.fleet import IdentityFactory, VesselIdentity, VesselKind
from littoral.exercise.motion import STATUS_AIS_SART, Plan, Samples, sample_reports
from littoral.exercise.nmea import (
    PositionBatch,
    encode_positions,
    static_sentences,
    with_tag_blocks,
)
from littoral.exercise.person import PersonTrack, drift_person
from littoral.exercise.planted import (
    SPOOF_POSITION,
    EventKind,
    MobIncident,
    PlantedEvent,
    PlantedPlans,
    plan_planted,
)
from littoral.exercise.routes import (
    BERTHS,
    FERRY_ROUTES,
    FIELDS,
    FISHING_AREAS,
    LEISURE_PORTS,
    RECEIVERS,
    RIVER_SEA_ROUTES,
    ROUTES,
    SUPPLY_ROUTES,
    TANKER_ROUTES,
)
from littoral.exercise.weather import OnScene, khazri_day
from littoral.geo.sea import CaspianSea
from littoral.units import EARTH_RADIUS_M

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
H = 3600.0

MIX: tuple[tuple[VesselKind, float], ...] = (
    (VesselKind.FERRY, 0.04),
    (VesselKind.TANKER, 0.14),
    (VesselKind.RIVER_SEA, 0.22),
    (VesselKind.SUPPLY, 0.14),
    (VesselKind.FISHING, 0.24),
    (VesselKind.LEISURE, 0.22),
)
"""Share of each kind in the regular fleet."""

MIN_HOURS = 6.0
MIN_VESSELS = 12
STATIC_INTERVAL_S = 360.0
"""Class A static and voyage data (type 5) and class B static data (24A/B): every 6 min."""


@dataclass(frozen=True)
class Reports:
    """Every position report of the day as sent (one element per report, time-ordered)."""

    mmsi: I64
    time_s: F64
    lon: F64
    lat: F64
    sog_kn: F64
    cog_deg: F64
    spoofed: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Traffic:
    """A day of traffic: the NMEA lines, who sent them, and what was planted in them.

    Attributes
    ----------
    start, hours:
        The day.
    lines:
        Tag-blocked NMEA sentences in receive-time order (a two-sentence message on two
        consecutive lines).
    line_time_s:
        Receive time of each line, seconds since 1970-01-01 UTC.
    vessels:
        Identities of the fleet (the beacon is in ``mob``).
    truth:
        The planted events.
    reports:
        The position reports as sent, for maps and checks.
    on_scene:
        Wind and current of the day.
    person:
        True drift of the person overboard.
    mob:
        The distress incident.
    rate_scale:
        Decimation factor used on AIS intervals.
    plans:
        The movement of each vessel of ``vessels`` (same order), before the planted edits
        (the dark gap, the spoofed positions) are applied to its reports.
    """

    start: datetime
    hours: float
    lines: list[str]
    line_time_s: F64
    vessels: tuple[VesselIdentity, ...]
    truth: tuple[PlantedEvent, ...]
    reports: Reports
    on_scene: OnScene
    person: PersonTrack
    mob: MobIncident
    rate_scale: float
    plans: tuple[Plan, ...] = ()

    @property
    def n_messages(self) -> int:
        """Number of AIS messages (a two-sentence message counts once)."""
        return sum(1 for line in self.lines if ",2,2," not in line)


def generate_traffic(
    rng: np.random.Generator,
    start: datetime,
    hours: float,
    n_vessels: int,
    *,
    rate_scale: float = 1.0,
    max_interval_s: float = 600.0,
    sea: CaspianSea | None = None,
) -> Traffic:
    """Generate a day of Caspian AIS traffic with its planted events.

    Parameters
    ----------
    rng:
        The only source of randomness; the same state gives the same day.
    start:
        Start of the day, timezone-aware UTC.
    hours:
        Length of the day (>= 6, so every planted event fits).
    n_vessels:
        Size of the fleet, planted vessels included (>= 12).
    rate_scale:
        Factor (>= 1) on the AIS reporting intervals; 1 is the real rate.
    max_interval_s:
        Longest interval between two position reports of a vessel after scaling.
    sea:
        The water polygon (default :meth:`CaspianSea.load`).

    Returns
    -------
    Traffic
    """
    start = require_utc(start, "start")
    if not hours >= MIN_HOURS:
        raise InputError(f"hours={hours!r} must be >= {MIN_HOURS} so every planted event fits")
    if n_vessels < MIN_VESSELS:
        raise InputError(f"n_vessels={n_vessels!r} must be >= {MIN_VESSELS}")
    sea = sea or CaspianSea.load()
    t0 = start.timestamp()
    end_s = hours * H
    ids = IdentityFactory(rng)
    standby = schedules.Spacing(1500.0)
    grounds = schedules.Spacing(4000.0)
    planted = plan_planted(rng, sea, ids, hours, standby)
    fleet = list(planted.vessels) + _regular_fleet(
        rng, sea, ids, (standby, grounds), n_vessels - len(planted.vessels), end_s
    )
    on_scene = khazri_day(rng, start, hours)
    idents = [v for v, _ in fleet]
    plans = [p for _, p in fleet]
    samples = sample_reports(
        plans, [v.ais_class for v in idents], end_s, rng, rate_scale, max_interval_s
    )
    mmsi = np.array([v.mmsi for v in idents], dtype=np.int64)
    keep, spoofed = _planted_edits(samples, mmsi, planted)
    samples = Samples(*(getattr(samples, f)[keep] for f in Samples.__dataclass_fields__))
    spoofed = spoofed[keep]
    lon = np.where(spoofed, SPOOF_POSITION[0], samples.lon)
    lat = np.where(spoofed, SPOOF_POSITION[1], samples.lat)

    ferry_plan = plans[idents.index(planted.mob_ferry)]
    fall_lon, fall_lat = ferry_plan.position_at(np.array([planted.mob_fall_s]))
    person = drift_person(
        rng, on_scene, t0 + planted.mob_fall_s, float(fall_lon[0]), float(fall_lat[0]), sea
    )
    beacon_t = np.arange(
        planted.beacon_on_s, planted.beacon_on_s + planted.beacon_minutes * 60.0, 60.0
    )
    beacon_lon = np.interp(t0 + beacon_t, person.time_s, person.lon)
    beacon_lat = np.interp(t0 + beacon_t, person.time_s, person.lat)

    positions = _position_batch(rng, samples, idents, mmsi, lon, lat, t0)
    beacon = _beacon_batch(planted.beacon_mmsi, beacon_t + t0, beacon_lon, beacon_lat)
    batch = _concat(positions, beacon)
    records = encode_positions(batch, tuple(code for code, _, _ in RECEIVERS))
    rec_time = list(batch.time_s)
    static_records, static_times = _static_records(
        rng, idents, plans, planted, end_s, t0, rate_scale, max_interval_s
    )
    records += static_records
    rec_time += static_times
    safety = static_sentences(
        {"type": 14, "mmsi": planted.beacon_mmsi, "text": "MOB ACTIVE"}, seq_id=0
    )
    station = _nearest_station(beacon_lon[:1], beacon_lat[:1])[0]
    for k, t in enumerate(beacon_t[::4]):
        records.append(with_tag_blocks(safety, RECEIVERS[station][0], int(t0 + t + 1), k))
        rec_time.append(t0 + t + 1.0)
    order = np.argsort(np.asarray(rec_time), kind="stable")
    ordered = [records[i] for i in order.tolist()]
    lines = "\n".join(ordered).split("\n")
    per_record = np.fromiter((r.count("\n") + 1 for r in ordered), np.int64, len(ordered))
    line_time = np.repeat(np.asarray(rec_time)[order], per_record)

    reports = Reports(
        mmsi=np.concatenate([mmsi[samples.vessel], np.full(beacon_t.size, planted.beacon_mmsi)]),
        time_s=np.concatenate([samples.t_s + t0, beacon_t + t0]),
        lon=np.concatenate([lon, beacon_lon]),
        lat=np.concatenate([lat, beacon_lat]),
        sog_kn=np.concatenate([samples.sog_kn, np.zeros(beacon_t.size)]),
        cog_deg=np.concatenate([samples.cog_deg, np.zeros(beacon_t.size)]),
        spoofed=np.concatenate([spoofed, np.zeros(beacon_t.size, dtype=bool)]),
    )
    ro = np.argsort(reports.time_s, kind="stable")
    reports = Reports(*(getattr(reports, f)[ro] for f in Reports.__dataclass_fields__))
    mob = MobIncident(
        ferry_mmsi=planted.mob_ferry.mmsi,
        ferry_name=planted.mob_ferry.name,
        route=planted.mob_ferry.route,
        fall_time_s=t0 + planted.mob_fall_s,
        fall_lon=float(fall_lon[0]),
        fall_lat=float(fall_lat[0]),
        beacon_mmsi=planted.beacon_mmsi,
        beacon_first_s=float(t0 + beacon_t[0]),
        beacon_last_s=float(t0 + beacon_t[-1]),
    )
    truth = _truth(planted, samples, mmsi, spoofed, mob, person, t0, end_s, fleet)
    return Traffic(
        start=start,
        hours=hours,
        lines=lines,
        line_time_s=line_time,
        vessels=tuple(idents),
        truth=truth,
        reports=reports,
        on_scene=on_scene,
        person=person,
        mob=mob,
        rate_scale=rate_scale,
        plans=tuple(plans),
    )


def _regular_fleet(
    rng: np.random.Generator,
    sea: CaspianSea,
    ids: IdentityFactory,
    spacing: tuple[schedules.Spacing, schedules.Spacing],
    n: int,
    end_s: float,
) -> list[tuple[VesselIdentity, Plan]]:
    counts = {kind: int(share * n) for kind, share in MIX}
    counts[VesselKind.RIVER_SEA] += n - sum(counts.values())
    out: list[tuple[VesselIdentity, Plan]] = []
    for kind, _ in MIX:
        for k in range(counts[kind]):
            out.append(_one_vessel(rng, sea, ids, spacing, kind, k, end_s))
    return out


def _route_flag(rng: np.random.Generator, route: tuple[str, str]) -> str:
    states = [BERTHS[p].state if p in BERTHS else FIELDS[p][2] for p in route]
    return states[int(rng.integers(len(states)))]


def _one_vessel(
    rng: np.random.Generator,
    sea: CaspianSea,
    ids: IdentityFactory,
    spacing: tuple[schedules.Spacing, schedules.Spacing],
    kind: VesselKind,
    k: int,
    end_s: float,
) -> tuple[VesselIdentity, Plan]:
    if kind is VesselKind.FISHING:
        for j in range(len(FISHING_AREAS)):
            flag, *box = FISHING_AREAS[(k + j) % len(FISHING_AREAS)]
            centre = schedules.fishing_grounds(
                rng, sea, (box[0], box[1], box[2], box[3]), spacing[1]
            )
            if centre is not None:
                ident = ids.vessel(flag, kind, route="fishing grounds")
                return ident, schedules.fishing_day(rng, centre, end_s)
        raise InputError("no free fishing grounds left: lower n_vessels")
    if kind is VesselKind.LEISURE:
        port = LEISURE_PORTS[k % len(LEISURE_PORTS)]
        ident = ids.vessel(BERTHS[port].state, kind, route=f"{port} coast")
        return ident, schedules.leisure_day(rng, sea, port, end_s)
    if kind is VesselKind.SUPPLY:
        route = SUPPLY_ROUTES[k % len(SUPPLY_ROUTES)]
        ident = ids.vessel(_route_flag(rng, route), kind, route="-".join(route))
        plan = schedules.supply_run(rng, sea, ROUTES[route], route[1], spacing[0], end_s)
        return ident, plan
    table = {
        VesselKind.FERRY: (FERRY_ROUTES, (13.0, 16.0), (2.0, 6.0)),
        VesselKind.TANKER: (TANKER_ROUTES, (10.0, 12.0), (6.0, 14.0)),
        VesselKind.RIVER_SEA: (RIVER_SEA_ROUTES, (9.0, 11.0), (8.0, 20.0)),
    }
    routes, speeds, dwell_h = table[kind]
    route = routes[k % len(routes)]
    ident = ids.vessel(_route_flag(rng, route), kind, route="-".join(route))
    plan = schedules.shuttle(
        rng,
        schedules.jitter_ends(rng, ROUTES[route]),
        speed_kn=float(rng.uniform(*speeds)),
        dwell_s=(float(rng.uniform(*dwell_h)) * H, float(rng.uniform(*dwell_h)) * H),
        end_s=end_s,
    )
    return ident, plan


def _planted_edits(
    samples: Samples, mmsi: I64, planted: PlantedPlans
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Which reports survive (the dark window removed) and which are spoofed."""
    who = mmsi[samples.vessel]
    keep = ~(
        (who == planted.dark_mmsi)
        & (samples.t_s >= planted.dark_from_s)
        & (samples.t_s < planted.dark_until_s)
    )
    spoofed = np.zeros(samples.t_s.shape, dtype=bool)
    idx = np.flatnonzero((who == planted.spoof_mmsi) & (samples.t_s >= planted.spoof_from_s))
    spoofed[idx[: planted.spoof_reports]] = True
    return keep, spoofed


def _nearest_station(lon: F64, lat: F64) -> I64:
    rx = np.array([r[1] for r in RECEIVERS])
    ry = np.array([r[2] for r in RECEIVERS])
    coslat = np.cos(np.radians(42.0))
    d2 = ((lon[:, None] - rx[None, :]) * coslat) ** 2 + (lat[:, None] - ry[None, :]) ** 2
    return np.asarray(np.argmin(d2, axis=1), dtype=np.int64)


def _position_batch(
    rng: np.random.Generator,
    samples: Samples,
    idents: list[VesselIdentity],
    mmsi: I64,
    lon: F64,
    lat: F64,
    t0: float,
) -> PositionBatch:
    n = samples.t_s.size
    is_b = np.array([v.ais_class == "B" for v in idents])[samples.vessel]
    moving = samples.sog_kn >= 0.5
    fixed_heading = rng.uniform(0.0, 360.0, len(idents))[samples.vessel]
    sog = np.where(
        moving,
        np.maximum(samples.sog_kn + rng.normal(0.0, 0.1, n), 0.0),
        np.abs(rng.normal(0.0, 0.05, n)),
    )
    cog = (
        np.where(moving, samples.cog_deg + rng.normal(0.0, 1.0, n), rng.uniform(0.0, 360.0, n))
        % 360.0
    )
    heading = np.where(moving, cog + rng.normal(0.0, 2.0, n), fixed_heading) % 360.0
    heading = np.where(is_b, np.nan, heading)  # small craft rarely have a heading sensor
    gps_m = rng.normal(0.0, 4.0, (2, n))
    lat_j = lat + np.degrees(gps_m[1] / EARTH_RADIUS_M)
    lon_j = lon + np.degrees(gps_m[0] / (EARTH_RADIUS_M * np.cos(np.radians(lat))))
    return PositionBatch(
        msg_type=np.where(is_b, 18, 1).astype(np.int64),
        mmsi=mmsi[samples.vessel],
        time_s=samples.t_s + t0,
        lon=lon_j,
        lat=lat_j,
        sog_kn=sog,
        cog_deg=cog,
        heading_deg=heading,
        nav_status=samples.status.astype(np.int64),
        station=_nearest_station(lon, lat),
    )


def _beacon_batch(mmsi: int, time_s: F64, lon: F64, lat: F64) -> PositionBatch:
    n = time_s.size
    dist = np.hypot(
        np.diff(lon, prepend=lon[0]) * np.cos(np.radians(lat)) * 60.0,
        np.diff(lat, prepend=lat[0]) * 60.0,
    )
    sog = dist / 60.0 * 3600.0  # NM per minute to knots
    cog = (
        np.degrees(
            np.arctan2(
                np.diff(lon, prepend=lon[0]) * np.cos(np.radians(lat)),
                np.diff(lat, prepend=lat[0]),
            )
        )
        % 360.0
    )
    return PositionBatch(
        msg_type=np.ones(n, dtype=np.int64),
        mmsi=np.full(n, mmsi, dtype=np.int64),
        time_s=time_s,
        lon=lon,
        lat=lat,
        sog_kn=sog,
        cog_deg=cog,
        heading_deg=np.full(n, np.nan),
        nav_status=np.full(n, STATUS_AIS_SART, dtype=np.int64),
        station=_nearest_station(lon, lat),
    )


def _concat(a: PositionBatch, b: PositionBatch) -> PositionBatch:
    return PositionBatch(
        *(
            np.concatenate([getattr(a, f), getattr(b, f)])
            for f in PositionBatch.__dataclass_fields__
        )
    )


def _static_records(
    rng: np.random.Generator,
    idents: list[VesselIdentity],
    plans: list[Plan],
    planted: PlantedPlans,
    end_s: float,
    t0: float,
    rate_scale: float,
    max_interval_s: float,
) -> tuple[list[str], list[float]]:
    interval = max(STATIC_INTERVAL_S, min(STATIC_INTERVAL_S * rate_scale, 3 * max_interval_s))
    eta = datetime.fromtimestamp(t0 + end_s, tz=UTC)
    records: list[str] = []
    times: list[float] = []
    group = 0
    for v, plan in zip(idents, plans, strict=True):
        messages = _static_messages(v, eta)
        lo = max(0.0, plan.first_s)
        t = lo + rng.uniform(0.0, interval) + np.arange(0.0, end_s - lo, interval)
        t = t[t < min(end_s, plan.last_s)]
        if v.mmsi == planted.dark_mmsi:
            t = t[(t < planted.dark_from_s) | (t >= planted.dark_until_s)]
        lon, lat = plan.position_at(t)
        stations = _nearest_station(lon, lat)
        for ts, st in zip(t.tolist(), stations.tolist(), strict=True):
            for k, sentences in enumerate(messages):
                group = group % 9999 + 1
                records.append(
                    with_tag_blocks(sentences, RECEIVERS[st][0], int(t0 + ts + k), group)
                )
                times.append(t0 + ts + k)
    return records, times


def _static_messages(v: VesselIdentity, eta: datetime) -> list[list[str]]:
    if v.ais_class == "B":
        part_a = static_sentences(
            {"type": 24, "mmsi": v.mmsi, "partno": 0, "shipname": v.name}, seq_id=0
        )
        part_b = static_sentences(
            {
                "type": 24,
                "mmsi": v.mmsi,
                "partno": 1,
                "ship_type": v.ship_type,
                "callsign": v.callsign,
                "to_bow": v.to_bow_m,
                "to_stern": v.to_stern_m,
                "to_port": v.to_port_m,
                "to_starboard": v.to_starboard_m,
            },
            seq_id=0,
        )
        return [part_a, part_b]
    destination = v.route.split("-")[-1][:20]
    data: dict[str, str | int | float] = {
        "type": 5,
        "mmsi": v.mmsi,
        "ais_version": 2,
        "imo": v.imo or 0,
        "callsign": v.callsign,
        "shipname": v.name,
        "ship_type": v.ship_type,
        "to_bow": v.to_bow_m,
        "to_stern": v.to_stern_m,
        "to_port": v.to_port_m,
        "to_starboard": v.to_starboard_m,
        "epfd": 1,
        "month": eta.month,
        "day": eta.day,
        "hour": eta.hour,
        "minute": eta.minute,
        "draught": v.draught_m,
        "destination": destination,
    }
    return [static_sentences(data, seq_id=v.mmsi % 10)]


def _truth(
    planted: PlantedPlans,
    samples: Samples,
    mmsi: I64,
    spoofed: npt.NDArray[np.bool_],
    mob: MobIncident,
    person: PersonTrack,
    t0: float,
    end_s: float,
    fleet: list[tuple[VesselIdentity, Plan]],
) -> tuple[PlantedEvent, ...]:
    who = mmsi[samples.vessel]

    def utc(t_s: float) -> datetime:
        return datetime.fromtimestamp(t0 + t_s, tz=UTC)

    def reports_of(m: int) -> npt.NDArray[np.int64]:
        return np.flatnonzero(who == m)

    events: list[PlantedEvent] = []
    first = reports_of(planted.foreign_mmsi)[0]
    foreign = next(v for v, _ in fleet if v.mmsi == planted.foreign_mmsi)
    events.append(
        PlantedEvent(
            kind=EventKind.FOREIGN_FLAG,
            mmsis=(planted.foreign_mmsi,),
            start=utc(samples.t_s[first]),
            detectable_at=utc(samples.t_s[first]),
            tolerance_s=600.0,
            lon=float(samples.lon[first]),
            lat=float(samples.lat[first]),
            description=f"{foreign.name} (Panama) enters the sea from the Volga-Caspian canal",
        )
    )
    dark_idx = reports_of(planted.dark_mmsi)
    before = dark_idx[samples.t_s[dark_idx] < planted.dark_from_s][-1]
    after = dark_idx[samples.t_s[dark_idx] >= planted.dark_until_s]
    dark = next(v for v, _ in fleet if v.mmsi == planted.dark_mmsi)
    events.append(
        PlantedEvent(
            kind=EventKind.DARK,
            mmsis=(planted.dark_mmsi,),
            start=utc(samples.t_s[before]),
            detectable_at=utc(samples.t_s[before]),
            tolerance_s=2.0 * H,
            lon=float(samples.lon[before]),
            lat=float(samples.lat[before]),
            description=f"{dark.name} stops transmitting on standby at {planted.dark_field}",
            end=utc(samples.t_s[after[0]]) if after.size else None,
        )
    )
    sts_lon, sts_lat = fleet[[v.mmsi for v, _ in fleet].index(planted.sts_mmsis[1])][1].position_at(
        np.array([planted.sts_start_s])
    )
    names = [v.name for v, _ in fleet if v.mmsi in planted.sts_mmsis]
    events.append(
        PlantedEvent(
            kind=EventKind.SHIP_TO_SHIP,
            mmsis=planted.sts_mmsis,
            start=utc(planted.sts_start_s),
            detectable_at=utc(planted.sts_start_s + 2 * H),
            tolerance_s=0.5 * H,
            lon=float(sts_lon[0]),
            lat=float(sts_lat[0]),
            description=f"{' and '.join(names)} lie alongside each other far from port",
            end=utc(planted.sts_end_s),
        )
    )
    sp = np.flatnonzero(spoofed)
    spoofer = next(v for v, _ in fleet if v.mmsi == planted.spoof_mmsi)
    events.append(
        PlantedEvent(
            kind=EventKind.SPOOFING,
            mmsis=(planted.spoof_mmsi,),
            start=utc(samples.t_s[sp[0]]),
            detectable_at=utc(samples.t_s[sp[0]]),
            tolerance_s=600.0,
            lon=SPOOF_POSITION[0],
            lat=SPOOF_POSITION[1],
            description=f"{spoofer.name} reports a position ashore in Dagestan",
            end=utc(samples.t_s[sp[-1]]),
        )
    )
    events.append(
        PlantedEvent(
            kind=EventKind.DISTRESS,
            mmsis=(mob.beacon_mmsi,),
            start=datetime.fromtimestamp(mob.fall_time_s, tz=UTC),
            detectable_at=datetime.fromtimestamp(mob.beacon_first_s, tz=UTC),
            tolerance_s=180.0,
            lon=mob.fall_lon,
            lat=mob.fall_lat,
            description=(
                f"person overboard from the ferry {mob.ferry_name} ({mob.route}); "
                f"AIS-MOB beacon {mob.beacon_mmsi}"
            ),
            end=datetime.fromtimestamp(mob.beacon_last_s, tz=UTC),
        )
    )
    del person, end_s
    return tuple(sorted(events, key=lambda e: e.start))
