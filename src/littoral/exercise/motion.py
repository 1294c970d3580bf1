"""Vessel movement as timed waypoints, and AIS report times drawn from it, vectorised.

A vessel's day is a :class:`Plan`: knots ``(t_s, lon, lat)`` joined by straight legs at constant
speed, each leg with a navigational status (under way, moored, fishing). Report times follow the
autonomous reporting intervals of ITU-R M.1371-5 (Annex 1, tables 1 and 2): class A every 10 s
at up to 14 kn, 6 s at 14-23 kn, 2 s above 23 kn and 3 min at anchor or moored; class B "CS"
every 30 s above 2 kn and 3 min below. ``rate_scale`` multiplies every interval (decimation for
demonstrations), capped at ``max_interval_s``; a leg's first report comes within 30 s of its start,
so a vessel is never silent for longer than ``max_interval_s`` + 30 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError
from littoral.geo.distance import bearing_deg
from littoral.geo.distance import haversine_m as distance_m
from littoral.units import EARTH_RADIUS_M, MS_PER_KN

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

STATUS_UNDER_WAY = 0
STATUS_AT_ANCHOR = 1
STATUS_MOORED = 5
STATUS_FISHING = 7
STATUS_AIS_SART = 14

LEG_START_JITTER_S = 30.0
"""A leg's first report comes within this many seconds of its start."""


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """Return the point ``east_m``/``north_m`` metres from (lon, lat) on a local tangent plane."""
    dlat = np.degrees(north_m / EARTH_RADIUS_M)
    dlon = np.degrees(east_m / (EARTH_RADIUS_M * np.cos(np.radians(lat))))
    return float(lon + dlon), float(lat + dlat)


@dataclass
class Plan:
    """One vessel's movement: knots in time joined by constant-speed legs.

    ``status[i]`` is the navigational status on the leg from knot ``i`` to knot ``i + 1``;
    ``t_s`` is seconds from the scenario start and may begin before zero (a ship already on
    passage when the day starts). Reports are drawn only between ``first_s`` and ``last_s``.
    """

    t_s: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    status: list[int] = field(default_factory=list)
    first_s: float = float("-inf")
    last_s: float = float("inf")

    def start_at(self, t_s: float, lon: float, lat: float) -> Plan:
        """Begin the plan at ``(lon, lat)`` at time ``t_s``."""
        if self.t_s:
            raise InputError("start_at must be the first knot of a plan")
        self.t_s.append(t_s)
        self.lon.append(lon)
        self.lat.append(lat)
        return self

    def stay(self, duration_s: float, status: int = STATUS_MOORED) -> Plan:
        """Stay where the plan is for ``duration_s`` seconds."""
        return self.to(self.lon[-1], self.lat[-1], duration_s=duration_s, status=status)

    def hold_until(self, t_s: float, status: int = STATUS_MOORED) -> Plan:
        """Stay where the plan is until ``t_s`` (at least one minute)."""
        return self.stay(max(t_s - self.end_s, 60.0), status)

    def to(
        self,
        lon: float,
        lat: float,
        *,
        speed_kn: float | None = None,
        duration_s: float | None = None,
        status: int = STATUS_UNDER_WAY,
    ) -> Plan:
        """Go straight to ``(lon, lat)`` at ``speed_kn``, or in ``duration_s`` seconds."""
        if not self.t_s:
            raise InputError("a plan needs start_at before its first leg")
        if duration_s is None:
            if speed_kn is None or speed_kn <= 0:
                raise InputError(f"speed_kn={speed_kn!r} must be > 0 when no duration is given")
            d = float(
                distance_m(
                    np.array(self.lon[-1]), np.array(self.lat[-1]), np.array(lon), np.array(lat)
                )
            )
            duration_s = d / (speed_kn * MS_PER_KN)
        if duration_s <= 0:
            raise InputError(f"duration_s={duration_s!r} must be > 0")
        self.t_s.append(self.t_s[-1] + duration_s)
        self.lon.append(lon)
        self.lat.append(lat)
        self.status.append(status)
        return self

    def follow(self, waypoints: tuple[tuple[float, float], ...], speed_kn: float) -> Plan:
        """Sail through ``waypoints`` (lon, lat) in order at ``speed_kn``."""
        for lon, lat in waypoints:
            if (lon, lat) != (self.lon[-1], self.lat[-1]):
                self.to(lon, lat, speed_kn=speed_kn)
        return self

    @property
    def end_s(self) -> float:
        """Time of the last knot."""
        return self.t_s[-1]

    def position_at(self, t_s: F64) -> tuple[F64, F64]:
        """Interpolated (lon, lat) at times ``t_s`` (held at the ends)."""
        t = np.asarray(self.t_s)
        return np.interp(t_s, t, self.lon), np.interp(t_s, t, self.lat)


def report_interval_s(ais_class: npt.NDArray[np.str_], speed_kn: F64, status: I64) -> F64:
    """Nominal autonomous reporting interval (ITU-R M.1371-5 Annex 1, tables 1 and 2)."""
    still = (status == STATUS_MOORED) | (status == STATUS_AT_ANCHOR)
    class_a = np.where(
        still & (speed_kn <= 3.0),
        180.0,
        np.where(speed_kn > 23.0, 2.0, np.where(speed_kn > 14.0, 6.0, 10.0)),
    )
    class_b = np.where(speed_kn > 2.0, 30.0, 180.0)
    return np.asarray(np.where(ais_class == "B", class_b, class_a))


@dataclass(frozen=True)
class Samples:
    """True state at each report time, one element per report, grouped by vessel."""

    vessel: I64
    t_s: F64
    lon: F64
    lat: F64
    sog_kn: F64
    cog_deg: F64
    status: I64


def sample_reports(
    plans: list[Plan],
    ais_classes: list[str],
    end_s: float,
    rng: np.random.Generator,
    rate_scale: float = 1.0,
    max_interval_s: float = 600.0,
) -> Samples:
    """Draw report times and true positions of every plan between 0 and ``end_s``.

    Parameters
    ----------
    plans:
        One plan per vessel.
    ais_classes:
        ``"A"`` or ``"B"`` per vessel.
    end_s:
        End of the scenario, seconds from its start.
    rng:
        Draws each leg's reporting phase and small timing jitter.
    rate_scale:
        Factor (>= 1) on every nominal interval; 1 reproduces real rates.
    max_interval_s:
        Longest interval after scaling (never below the nominal one).
    """
    if rate_scale < 1.0:
        raise InputError(f"rate_scale={rate_scale!r} must be >= 1")
    if len(plans) != len(ais_classes):
        raise InputError("plans and ais_classes differ in length")
    seg_v, t0, t1, lo0, la0, lo1, la1, st = [], [], [], [], [], [], [], []
    for v, plan in enumerate(plans):
        n = len(plan.status)
        t = np.asarray(plan.t_s)
        seg_v.append(np.full(n, v, dtype=np.int64))
        t0.append(t[:-1])
        t1.append(t[1:])
        lo0.append(np.asarray(plan.lon[:-1]))
        la0.append(np.asarray(plan.lat[:-1]))
        lo1.append(np.asarray(plan.lon[1:]))
        la1.append(np.asarray(plan.lat[1:]))
        st.append(np.asarray(plan.status, dtype=np.int64))
    sv = np.concatenate(seg_v)
    a0, a1 = np.concatenate(t0), np.concatenate(t1)
    x0, y0, x1, y1 = (np.concatenate(a) for a in (lo0, la0, lo1, la1))
    status = np.concatenate(st)
    dur = a1 - a0
    speed_kn = distance_m(x0, y0, x1, y1) / np.maximum(dur, 1e-9) / MS_PER_KN
    course = bearing_deg(x0, y0, x1, y1)
    cls = np.asarray(ais_classes)[sv]
    nominal = report_interval_s(cls, speed_kn, status)
    dt = np.maximum(nominal, np.minimum(nominal * rate_scale, max_interval_s))
    first = np.array([p.first_s for p in plans])[sv]
    last = np.array([p.last_s for p in plans])[sv]
    lo = np.maximum(np.maximum(a0, 0.0), first)
    hi = np.minimum(np.minimum(a1, end_s), last)
    # a transponder reports soon after a change of course or speed (a new leg)
    phase = lo + rng.uniform(0.0, 1.0, size=lo.shape) * np.minimum(dt, LEG_START_JITTER_S)
    counts = np.where(hi > phase, np.ceil((hi - phase) / dt), 0).astype(np.int64)
    seg = np.repeat(np.arange(sv.size), counts)
    within = np.arange(seg.size) - np.repeat(np.cumsum(counts) - counts, counts)
    times = phase[seg] + within * dt[seg]
    frac = (times - a0[seg]) / np.maximum(dur[seg], 1e-9)
    lon = x0[seg] + frac * (x1[seg] - x0[seg])
    lat = y0[seg] + frac * (y1[seg] - y0[seg])
    order = np.lexsort((times, sv[seg]))
    return Samples(
        vessel=sv[seg][order],
        t_s=times[order],
        lon=lon[order],
        lat=lat[order],
        sog_kn=speed_kn[seg][order],
        cog_deg=course[seg][order],
        status=status[seg][order],
    )
