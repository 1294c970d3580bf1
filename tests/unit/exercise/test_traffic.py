from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from pyais.stream import IterMessages

from littoral.errors import InputError
from littoral.exercise.planted import EventKind
from littoral.exercise.traffic import Traffic, generate_traffic
from littoral.geo import CaspianSea, haversine_m, is_littoral

START = datetime(2026, 10, 14, tzinfo=UTC)


@pytest.fixture(scope="module")
def day() -> Traffic:
    return generate_traffic(np.random.default_rng(11), START, 8.0, 60, rate_scale=10.0)


def test_same_seed_same_lines_other_seed_other_lines(day: Traffic) -> None:
    again = generate_traffic(np.random.default_rng(11), START, 8.0, 60, rate_scale=10.0)
    assert again.lines == day.lines
    other = generate_traffic(np.random.default_rng(12), START, 8.0, 60, rate_scale=10.0)
    assert other.lines != day.lines


def test_lines_are_time_ordered_inside_the_day(day: Traffic) -> None:
    t = day.line_time_s
    assert np.all(np.diff(t) >= 0)
    assert t[0] >= START.timestamp()
    assert t[-1] <= START.timestamp() + 8 * 3600 + 5
    stamps = [int(line.split(",c:")[1].split("*")[0]) for line in day.lines[:500]]
    assert stamps == [int(x) for x in t[:500]]


def test_every_line_decodes_and_types_are_as_planned(day: Traffic) -> None:
    types: dict[int, int] = {}
    mmsis = set()
    for msg in IterMessages([line.encode() for line in day.lines]):
        d = msg.decode()
        types[d.msg_type] = types.get(d.msg_type, 0) + 1
        mmsis.add(d.mmsi)
    assert sum(types.values()) == day.n_messages
    assert set(types) == {1, 5, 14, 18, 24}
    assert {v.mmsi for v in day.vessels} | {day.mob.beacon_mmsi} == mmsis


def test_all_positions_are_in_the_sea_except_the_spoofed(day: Traffic) -> None:
    r = day.reports
    inside = CaspianSea.load().contains(r.lon, r.lat)
    assert inside[~r.spoofed].all()
    assert r.spoofed.sum() >= 1
    assert not inside[r.spoofed].any()


def test_a_whole_day_keeps_every_vessel_in_the_sea() -> None:
    # a long day takes the planted ships on to their next ports
    long_day = generate_traffic(np.random.default_rng(5), START, 24.0, 40, rate_scale=40.0)
    r = long_day.reports
    inside = CaspianSea.load().contains(r.lon, r.lat)
    assert inside[~r.spoofed].all(), np.unique(r.mmsi[~inside & ~r.spoofed])


def test_implied_speeds_are_plausible_apart_from_the_spoof(day: Traffic) -> None:
    r = day.reports
    for m in np.unique(r.mmsi):
        sel = (r.mmsi == m) & ~r.spoofed
        t, x, y = r.time_s[sel], r.lon[sel], r.lat[sel]
        if t.size < 2:
            continue
        dt = np.diff(t)
        d = haversine_m(x[:-1], y[:-1], x[1:], y[1:])
        speed_kn = d / np.maximum(dt, 1.0) / 0.514444
        assert np.max(speed_kn[dt > 5]) < 25.0, m


def test_flags_are_littoral_but_for_the_one_planted_visitor(day: Traffic) -> None:
    foreign = [v for v in day.vessels if not is_littoral(v.mmsi)]
    (event,) = [e for e in day.truth if e.kind is EventKind.FOREIGN_FLAG]
    assert [v.mmsi for v in foreign] == list(event.mmsis)


def test_truth_holds_each_planted_kind_once_in_the_day(day: Traffic) -> None:
    kinds = [e.kind for e in day.truth]
    assert sorted(kinds) == sorted(EventKind)
    for e in day.truth:
        assert START <= e.start <= e.detectable_at
        assert e.detectable_at.timestamp() <= START.timestamp() + 8 * 3600


def test_ship_to_ship_pair_meets_the_definition_and_nobody_else_does(day: Traffic) -> None:
    (event,) = [e for e in day.truth if e.kind is EventKind.SHIP_TO_SHIP]
    r = day.reports
    grid = np.arange(START.timestamp(), START.timestamp() + 8 * 3600, 300.0)
    pos = {}
    for m in np.unique(r.mmsi):
        sel = r.mmsi == m
        if sel.sum() < 2 or m == day.mob.beacon_mmsi:
            continue
        t = r.time_s[sel]
        live = (grid >= t[0]) & (grid <= t[-1])
        pos[int(m)] = (
            np.where(live, np.interp(grid, t, r.lon[sel]), np.nan),
            np.where(live, np.interp(grid, t, r.lat[sel]), np.nan),
            np.where(live, np.interp(grid, t, r.sog_kn[sel]), np.nan),
        )
    a, b = event.mmsis
    d = haversine_m(pos[a][0], pos[a][1], pos[b][0], pos[b][1])
    together = (d < 500.0) & (pos[a][2] < 2.0) & (pos[b][2] < 2.0)
    assert together.sum() * 300.0 >= 2 * 3600.0
    # no other pair at sea lies together (within 500 m, slow) for over two hours, far from port
    from littoral.geo import nearest

    keys = sorted(pos)
    lon = np.array([pos[k][0] for k in keys])
    lat = np.array([pos[k][1] for k in keys])
    sog = np.array([pos[k][2] for k in keys])
    for i in range(len(keys)):
        dd = haversine_m(lon[i][None, :], lat[i][None, :], lon, lat)
        close = (dd < 500.0) & (sog[i][None, :] < 2.0) & (sog < 2.0)
        for j in np.flatnonzero(close.sum(axis=1) * 300.0 > 2 * 3600.0):
            if j <= i or {keys[i], keys[j]} == {a, b}:
                continue
            k = int(np.flatnonzero(close[j])[0])
            _, dist_m = nearest(float(lon[i][k]), float(lat[i][k]), kind="port")
            assert dist_m < 10_000.0, (keys[i], keys[j])


def test_dark_vessel_is_silent_for_hours_and_others_never_are(day: Traffic) -> None:
    (event,) = [e for e in day.truth if e.kind is EventKind.DARK]
    r = day.reports
    for m in np.unique(r.mmsi):
        t = r.time_s[r.mmsi == m]
        gap = np.max(np.diff(t)) if t.size > 1 else 0.0
        if m == event.mmsis[0]:
            assert gap >= 2.5 * 3600
        elif m != day.mob.beacon_mmsi:
            assert gap <= 600.0 + 30.0, m


def test_mob_beacon_transmits_sart_status_and_safety_text_then_stops(day: Traffic) -> None:
    beacon = [
        msg.decode()
        for msg in IterMessages([ln.encode() for ln in day.lines if ln.count(",") > 6])
        if msg.decode().mmsi == day.mob.beacon_mmsi
    ]
    kinds = {m.msg_type for m in beacon}
    assert kinds == {1, 14}
    assert all(int(m.status) == 14 for m in beacon if m.msg_type == 1)
    assert all(m.text == "MOB ACTIVE" for m in beacon if m.msg_type == 14)
    r = day.reports
    t = r.time_s[r.mmsi == day.mob.beacon_mmsi]
    assert t[0] == pytest.approx(day.mob.beacon_first_s)
    assert t[-1] == pytest.approx(day.mob.beacon_last_s)
    assert t[-1] < START.timestamp() + 8 * 3600 - 3600
    sel = r.mmsi == day.mob.beacon_mmsi
    first_lon, first_lat = r.lon[sel][0], r.lat[sel][0]
    assert haversine_m(first_lon, first_lat, day.mob.fall_lon, day.mob.fall_lat) < 200.0


def test_on_scene_is_a_northerly_with_a_southward_current(day: Traffic) -> None:
    s = day.on_scene
    wind_from = np.radians(s.wind_from_deg)
    assert np.mean(np.cos(wind_from)) > 0.9
    assert np.mean(np.cos(np.radians(s.current_to_deg))) < -0.9
    assert 5.0 < float(np.mean(s.wind_speed_ms)) < 20.0


def test_bad_arguments_are_named() -> None:
    with pytest.raises(InputError, match="hours=2"):
        generate_traffic(np.random.default_rng(0), START, 2, 60)
    with pytest.raises(InputError, match="n_vessels=3"):
        generate_traffic(np.random.default_rng(0), START, 8, 3)
    with pytest.raises(InputError, match="naive"):
        generate_traffic(np.random.default_rng(0), datetime(2026, 10, 14), 8, 60)  # noqa: DTZ001
