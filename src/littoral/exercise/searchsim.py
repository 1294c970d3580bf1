"""Simulated sorties: each unit flies or sails its pattern while the person drifts.

A unit leaves its base, transits straight to its commence search point and runs the planned
pattern at search speed. Its path is cut into pieces of five minutes; for each piece the
probability of detecting the person, wherever the person truly is in the middle of it (a
person in the water moves a few hundred metres in that time), comes from
the inverse-cube sighting law with the unit's corrected sweep width
(:func:`littoral.search.leg_detection_probability`: Koopman 1946, IAMSAR
Vol. II app. N), and one
draw of the seeded generator per piece says whether the person is seen. The planner never
sees the true track; only this simulation does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from littoral.exercise.person import PersonTrack
from littoral.geo import haversine_m
from littoral.search import Assignment, Track, leg_detection_probability
from littoral.units import M_PER_NM

F64 = npt.NDArray[np.float64]
PIECE_S = 300.0


@dataclass
class Sortie:
    """One unit's sortie in one round: where it searched, when, and whether it saw the person.

    Attributes
    ----------
    unit_name, state:
        Who.
    depart, commence, end:
        Leaving base, commence search, end of search (UTC).
    lon, lat, time_s:
        The search track (pattern points with Unix times).
    sweep_width_nm:
        Corrected sweep width used for the draws.
    pod_true:
        Probability this sortie had of seeing the person on the person's true track.
    detected_at:
        Time of the sighting, or ``None``.
    detected_lon, detected_lat:
        Where the person was when seen.
    """

    unit_name: str
    state: str
    depart: datetime
    commence: datetime
    end: datetime
    lon: F64
    lat: F64
    time_s: F64
    sweep_width_nm: float
    pod_true: float
    detected_at: datetime | None = None
    detected_lon: float | None = None
    detected_lat: float | None = None
    spacing_nm: float | None = None

    def track(self) -> Track:
        """Return the search track for a Bayesian update (with times)."""
        return Track(
            self.lon,
            self.lat,
            self.sweep_width_nm,
            name=self.unit_name,
            times=self.time_s.astype(np.int64).astype("datetime64[s]"),
            spacing_nm=self.spacing_nm,
        )


def _resample(lon: F64, lat: F64, step_m: float) -> tuple[F64, F64, F64]:
    """Points along the polyline every ``step_m`` or less; return lon, lat, distance (m)."""
    out_lon, out_lat = [lon[:1]], [lat[:1]]
    for k in range(lon.size - 1):
        d = float(haversine_m(lon[k], lat[k], lon[k + 1], lat[k + 1]))
        n = max(1, int(np.ceil(d / step_m)))
        f = np.arange(1, n + 1) / n
        out_lon.append(lon[k] + f * (lon[k + 1] - lon[k]))
        out_lat.append(lat[k] + f * (lat[k + 1] - lat[k]))
    x, y = np.concatenate(out_lon), np.concatenate(out_lat)
    dist = np.concatenate([[0.0], np.cumsum(haversine_m(x[:-1], y[:-1], x[1:], y[1:]))])
    return x, y, dist


def fly(
    assignment: Assignment,
    commence_not_before: datetime,
    depart: datetime,
    person: PersonTrack,
    rng: np.random.Generator,
    search_until: datetime | None = None,
) -> Sortie | None:
    """Run one unit's planned pattern and draw whether it sees the person.

    The pattern ends when the unit's time on scene does, or at ``search_until`` (the end of
    its planned daylight search) if that comes first. Returns ``None`` for a unit that got
    no area.
    """
    if assignment.pattern is None or assignment.rect is None:
        return None
    unit = assignment.unit
    pattern = assignment.pattern
    csp_lon, csp_lat = pattern.commence_search_point
    transit_nm = float(haversine_m(unit.base_lon, unit.base_lat, csp_lon, csp_lat)) / M_PER_NM
    arrive = depart + timedelta(hours=transit_nm / unit.transit_speed_kn)
    commence = max(arrive, commence_not_before)
    if search_until is not None and search_until <= commence:
        return None  # its planned daylight search is over before it could start
    speed_ms = unit.speed_kn * M_PER_NM / 3600.0
    x, y, dist = _resample(pattern.lon, pattern.lat, speed_ms * 60.0)
    on_scene_s = max(0.0, (unit.endurance_h - 2.0 * transit_nm / unit.transit_speed_kn) * 3600.0)
    times = commence.timestamp() + dist / speed_ms
    last = commence.timestamp() + on_scene_s
    if search_until is not None:
        last = min(last, search_until.timestamp())
    keep = times <= last
    keep[:2] = True
    x, y, times = x[keep], y[keep], times[keep]
    w = assignment.sweep_width.corrected_nm
    # legs grouped into pieces of PIECE_S: piece c runs from point bounds[c] to bounds[c + 1]
    piece_of_leg = ((times[1:] - times[0]) // PIECE_S).astype(np.int64)
    bounds = np.concatenate([[0], np.flatnonzero(np.diff(piece_of_leg)) + 1, [times.size - 1]])
    mid = (times[bounds[:-1]] + times[bounds[1:]]) / 2.0
    p_lon = np.interp(mid, person.time_s, person.lon)
    p_lat = np.interp(mid, person.time_s, person.lat)
    ashore = np.interp(mid, person.time_s, person.stranded.astype(np.float64)) > 0.5
    # each leg's own inverse-cube chance at the person's position in its piece; the legs of a
    # piece act together: 1 - prod(1 - p_leg)
    path = Track(x, y, w, name=unit.name)
    p_leg = leg_detection_probability(path, p_lon, p_lat)  # (pieces, legs)
    piece_of = np.repeat(np.arange(mid.size), np.diff(bounds))
    with np.errstate(divide="ignore"):  # a leg right over the person: p = 1, log 0
        log_miss = np.log1p(-p_leg[piece_of, np.arange(piece_of.size)])
    p = -np.expm1(np.bincount(piece_of, weights=log_miss, minlength=mid.size))
    p = np.where(ashore, 0.0, p)
    draws = rng.random(mid.size)
    seen = np.flatnonzero(draws < p)
    sortie = Sortie(
        unit_name=unit.name,
        state=unit.state,
        depart=depart,
        commence=commence,
        end=datetime.fromtimestamp(float(times[-1]), tz=UTC),
        lon=x,
        lat=y,
        time_s=times,
        sweep_width_nm=w,
        pod_true=float(1.0 - np.prod(1.0 - p)),
        spacing_nm=pattern.spacing_nm,
    )
    if seen.size:
        c = int(seen[0])
        sortie.detected_at = datetime.fromtimestamp(float(mid[c]), tz=UTC)
        sortie.detected_lon, sortie.detected_lat = float(p_lon[c]), float(p_lat[c])
        # the unit breaks off its pattern to recover the person
        end = int(bounds[c + 1]) + 1
        sortie.lon, sortie.lat, sortie.time_s = x[:end], y[:end], times[:end]
        sortie.end = datetime.fromtimestamp(float(times[end - 1]), tz=UTC)
    return sortie
