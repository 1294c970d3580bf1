import itertools
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from littoral.errors import InputError
from littoral.records.reports import PositionReport
from littoral.watch import Engine
from littoral.watch.synthetic import synthetic_day

from .scripts import OPEN_SEA, T0, track

START = datetime(2026, 5, 1, tzinfo=UTC)
LATENESS_S = 300.0


@pytest.fixture(scope="module")
def day():
    return synthetic_day(np.random.default_rng(3), START, n_vessels=40, hours=12, interval_s=180)


def replay(records, chunk=500):
    engine = Engine()
    handed = []
    for i in range(0, len(records), chunk):
        handed += engine.process(records[i : i + chunk])
    handed += engine.finish(START + timedelta(hours=12))
    return engine, handed


def shuffled(records, rng, share=0.1):
    """Delay a share of the messages by up to the lateness (minus a margin) in arrival order."""
    arrival = np.array([r.time.timestamp() for r in records])
    chosen = rng.random(len(records)) < share
    arrival[chosen] += rng.uniform(0, LATENESS_S - 20, chosen.sum())
    order = np.argsort(arrival, kind="stable")
    return [records[i] for i in order], int(chosen.sum())


def test_shuffled_replay_gives_the_same_alerts(day):
    records, planted = day
    in_order, _ = replay(records)
    mixed, moved = shuffled(records, np.random.default_rng(11))
    assert moved > 0.09 * len(records)
    assert mixed != records
    out_of_order, _ = replay(mixed, chunk=20)  # about 90 s of traffic per call
    assert out_of_order.stats["late"] == 0
    assert {a.id: a for a in out_of_order.alerts} == {a.id: a for a in in_order.alerts}
    rules = defaultdict(set)
    for a in in_order.alerts:
        rules[a.rule].update(a.mmsis)
    assert set(planted.encounter) <= rules["encounter"]
    assert planted.loiterer in rules["loitering"]
    assert planted.dark in rules["going_dark"]
    assert planted.jumper in rules["integrity"]
    assert planted.sart in rules["distress"]
    assert rules["non_littoral"]


def test_an_alert_is_never_raised_twice_for_the_same_thing(day):
    engine, handed = replay(day[0])
    spans = defaultdict(list)
    for a in engine.alerts:
        subject = a.id.rsplit(":", 1)[0]
        spans[subject].append((a.start, a.end or START + timedelta(days=1)))
    for subject, items in spans.items():
        items.sort()
        for (_, end), (start, _) in itertools.pairwise(items):
            assert end <= start, subject
    assert {a.id for a in handed} == {a.id for a in engine.alerts}


def test_reports_later_than_the_lateness_are_counted_late():
    engine = Engine()
    engine.process(track(273_000_001, T0, *OPEN_SEA, minutes=60))
    assert engine.stats["late"] == 0
    engine.process(track(273_000_002, T0, *OPEN_SEA, minutes=0))
    assert engine.stats["late"] == 1


def test_naive_times_are_counted_and_left_out():
    naive = PositionReport(
        mmsi=970_000_001,
        time=datetime(2026, 5, 1),  # noqa: DTZ001
        lon=51.0,
        lat=42.0,
        msg_type=1,
        nav_status=14,
    )
    engine = Engine()
    assert engine.process([naive]) == []
    assert engine.stats["naive_time"] == 1
    with pytest.raises(InputError, match="naive"):
        engine.finish(datetime(2026, 5, 2))  # noqa: DTZ001


def test_records_may_come_from_any_iterable():
    engine = Engine()
    engine.process(iter(track(970_000_001, T0, *OPEN_SEA, minutes=3, every_s=60, nav_status=14)))
    assert [a.rule for a in engine.finish(T0 + timedelta(minutes=3))] == ["distress"]


def test_a_clean_day_raises_no_identity_interference_or_twin_alert(day):
    records, planted = day
    engine, _ = replay(records)
    rules = {a.rule for a in engine.alerts}
    assert "identity" not in rules
    assert "interference" not in rules
    integrity = [a for a in engine.alerts if a.rule == "integrity"]
    assert {a.mmsis for a in integrity} == {(planted.jumper,)}
    assert {a.details["check"] for a in integrity} == {"speed"}  # no "twin", no "on_land"


def test_closed_alerts_are_forgotten_after_a_week_but_open_ones_kept():
    sart = track(970_000_001, T0, *OPEN_SEA, minutes=3, every_s=60, nav_status=14)
    invalid = track(12_345, T0, 51.5, 42.0, minutes=3, every_s=60)  # fits no MMSI format
    engine = Engine()
    engine.process(sorted(sart + invalid, key=lambda r: r.time))
    engine.finish(T0 + timedelta(days=6))
    assert sorted(a.rule for a in engine.alerts) == ["distress", "integrity"]
    engine.finish(T0 + timedelta(days=9))
    # the integrity alert closed and was forgotten; distress is latched open
    assert [a.rule for a in engine.alerts] == ["distress"]
