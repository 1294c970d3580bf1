"""One contract for every store backend: what is written is read back, once, intact."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import pytest

from littoral.errors import InputError, NotFoundError, StoreError
from littoral.records import AisClass, PositionReport, SafetyReport, StaticReport
from littoral.records.alerts import Alert, AlertStatus, Evidence, Priority
from littoral.store import BoundingBox, IngestRun, SqlStore
from littoral.tracks import VesselState

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _pos(mmsi: int, minute: float, lon: float, lat: float, source: str = "baku") -> PositionReport:
    return PositionReport(
        mmsi=mmsi, time=T0 + timedelta(minutes=minute), lon=lon, lat=lat, msg_type=1,
        source=source, sog_kn=12.5, cog_deg=45.0, heading_deg=44.0, nav_status=0,
        ais_class=AisClass.A,
    )  # fmt: skip


def _vessel(mmsi: int, **fields: object) -> VesselState:
    state = VesselState(mmsi=mmsi, first_seen=T0, last_seen=T0 + timedelta(minutes=5))
    for name, value in fields.items():
        setattr(state, name, value)
    return state


class Bad(NamedTuple):
    line: str
    source: str
    reason: str
    time: datetime


def test_positions_are_stored_once_and_read_back_in_time_order(store: SqlStore) -> None:
    reports = [_pos(423000001, m, 50.0 + m / 100, 40.0) for m in (3, 1, 2)]
    assert store.positions.add(reports) == 3
    assert store.positions.add(reports) == 0  # the same again: nothing new
    same_heard_elsewhere = _pos(423000001, 1, 50.01, 40.0, source="aktau")
    assert store.positions.add([same_heard_elsewhere]) == 0
    track = store.positions.track(423000001)
    assert [p.time for p in track] == [T0 + timedelta(minutes=m) for m in (1, 2, 3)]
    first = track[0]
    assert (first.lon, first.lat, first.sog_kn, first.cog_deg) == (50.01, 40.0, 12.5, 45.0)
    assert (first.heading_deg, first.nav_status, first.msg_type) == (44.0, 0, 1)
    assert first.source == "baku"
    assert first.time.tzinfo is not None
    assert store.positions.count() == 3


def test_track_window_is_inclusive_and_checked(store: SqlStore) -> None:
    store.positions.add([_pos(273000001, m, 49.0, 42.0 + m / 100) for m in range(10)])
    store.positions.add([_pos(273000002, m, 49.5, 42.0) for m in range(10)])
    track = store.positions.track(
        273000001, start=T0 + timedelta(minutes=2), end=T0 + timedelta(minutes=5)
    )
    assert [p.time.minute for p in track] == [2, 3, 4, 5]
    assert store.positions.count(273000002) == 10
    with pytest.raises(InputError, match="before start"):
        store.positions.track(273000001, start=T0, end=T0 - timedelta(minutes=1))
    with pytest.raises(InputError, match="naive"):
        store.positions.track(273000001, start=datetime(2026, 5, 1))  # noqa: DTZ001


def test_vessels_round_trip_every_field(store: SqlStore) -> None:
    vessel = _vessel(
        423000001, ais_class=AisClass.A, mid=423, flag="Azerbaijan", flag_code="AZ",
        is_littoral=True, name="ABSHERON",
        callsign="4JAB", imo=9123456, ship_type=80, to_bow_m=100.0, to_stern_m=20.0,
        to_port_m=8.0, to_starboard_m=10.0, destination="AKTAU", eta=T0 + timedelta(days=1),
        draught_m=6.5, static_time=T0, lon=50.1, lat=40.2, position_time=T0, sog_kn=10.0,
        cog_deg=90.0, heading_deg=91.0, nav_status=0, message_count=7, last_text="TEST",
    )  # fmt: skip
    store.vessels.upsert([vessel])
    got = store.vessels.get(423000001)
    assert got.to_dict() == vessel.to_dict()
    assert (got.static_time, got.last_text) == (T0, "TEST")
    vessel.name = "ABSHERON 2"
    vessel.message_count = 9
    store.vessels.upsert([vessel])
    assert store.vessels.get(423000001).name == "ABSHERON 2"
    assert store.vessels.count() == 1
    with pytest.raises(NotFoundError, match="273999999"):
        store.vessels.get(273999999)


def test_two_ships_on_one_mmsi_are_two_vessel_rows(store: SqlStore) -> None:
    first = _vessel(273000005, lon=50.1, lat=40.3, position_time=T0, message_count=4)
    second = _vessel(273000005, track=1, lon=51.1, lat=43.6, position_time=T0, message_count=3)
    store.write_batch(positions=[], vessels=[first, second])
    assert [(v.key, v.lat) for v in store.vessels.all()] == [
        ("273000005", 40.3),
        ("273000005-2", 43.6),
    ]
    assert store.vessels.get(273000005, 1).to_dict() == second.to_dict()
    assert store.vessels.get(273000005).message_count == 4
    assert store.vessels.count() == 2
    box = BoundingBox(west=51.0, south=43.0, east=52.0, north=44.0)
    assert [v.key for v in store.vessels.find(bbox=box)] == ["273000005-2"]
    second.message_count = 5
    store.vessels.upsert([second])
    assert store.vessels.get(273000005, 1).message_count == 5
    with pytest.raises(NotFoundError, match="273000005-3"):
        store.vessels.get(273000005, 2)


def test_vessels_in_a_box_now_and_at_a_time(store: SqlStore) -> None:
    # A sails east from 49.0 to 51.0 over an hour; B stays at 52.0; C has no position.
    track_a = [_pos(423000001, m, 49.0 + m / 30, 40.0) for m in range(0, 61, 10)]
    store.write_batch(
        positions=[*track_a, _pos(436000002, 30, 52.0, 43.0)],
        vessels=[
            _vessel(423000001, lon=51.0, lat=40.0, position_time=T0 + timedelta(minutes=60)),
            _vessel(436000002, lon=52.0, lat=43.0, position_time=T0 + timedelta(minutes=30)),
            _vessel(273000003),
        ],
    )
    west = BoundingBox(46.0, 36.0, 50.0, 47.0)
    assert [v.mmsi for v in store.vessels.find()] == [273000003, 423000001, 436000002]
    assert [v.mmsi for v in store.vessels.find(bbox=west)] == []
    at = T0 + timedelta(minutes=20)
    found = store.vessels.find(bbox=west, at=at)
    assert [v.mmsi for v in found] == [423000001]
    assert found[0].lon == pytest.approx(49.0 + 20 / 30)
    assert found[0].position_time == at
    # B's only position is 10 minutes after `at`: not there yet
    assert [v.mmsi for v in store.vessels.find(at=at)] == [423000001]
    late = T0 + timedelta(hours=3)
    assert store.vessels.find(at=late) == []
    assert [v.mmsi for v in store.vessels.find(at=late, max_age=timedelta(hours=4))] == [
        423000001,
        436000002,
    ]


def test_bounding_box_parses_and_refuses_bad_text() -> None:
    assert BoundingBox.parse("46.5,36.5,54.5,47.2") == (46.5, 36.5, 54.5, 47.2)
    with pytest.raises(InputError, match="'1,2,3'"):
        BoundingBox.parse("1,2,3")
    with pytest.raises(InputError, match="west < east"):
        BoundingBox.parse("50,36,49,47")


def test_quarantine_keeps_line_reason_source_time_once(store: SqlStore) -> None:
    bad = [
        Bad("!AIVDM,1,1,,A,13aG?P0P00PD;88MD5MTDww@2D7k,0*47", "baku", "bad_checksum", T0),
        Bad("garbage", "baku", "not_nmea", T0 + timedelta(seconds=1)),
        Bad("garbage", "aktau", "not_nmea", T0 + timedelta(seconds=1)),
    ]
    assert store.quarantine.add(bad) == 3
    assert store.quarantine.add(bad) == 0
    assert store.quarantine.count_by_reason() == {"bad_checksum": 1, "not_nmea": 2}
    recent = store.quarantine.recent(reason="bad_checksum")
    assert [(q.line, q.source, q.time) for q in recent] == [(bad[0].line, "baku", T0)]
    assert len(store.quarantine.recent(limit=2)) == 2


def test_ingest_runs_are_recorded(store: SqlStore) -> None:
    run = IngestRun(
        started=T0, finished=T0 + timedelta(seconds=3), sources=("a.nmea", "tcp://x:1"),
        lines=10, messages=8, positions_stored=6, vessels=2, rejects=2,
        counts={"bad_checksum": 1, "type_1": 5},
    )  # fmt: skip
    first = store.ingest_runs.record(run)
    assert first.id is not None
    store.ingest_runs.record(
        IngestRun(started=T0, finished=T0 + timedelta(seconds=9), sources=("b",))
    )
    runs = store.ingest_runs.recent()
    assert [r.sources for r in runs] == [("b",), ("a.nmea", "tcp://x:1")]
    assert runs[1].counts == {"bad_checksum": 1, "type_1": 5}
    assert (runs[1].messages, runs[1].finished) == (8, T0 + timedelta(seconds=3))


def _alert(alert_id: str, priority: Priority = Priority.HIGH, **fields: object) -> Alert:
    alert = Alert(
        id=alert_id, rule="ais_gap", priority=priority, mmsis=(423000001, 273000002),
        start=T0, lon=50.0, lat=40.0, reason="AIS silent for 30 min",
        evidence=[Evidence(mmsi=423000001, time=T0, lon=50.0, lat=40.0)],
        details={"gap_s": 1800, "seen": T0, "names": ("A", "B")},
    )  # fmt: skip
    for name, value in fields.items():
        setattr(alert, name, value)
    return alert


def test_alerts_upsert_list_acknowledge_and_close(store: SqlStore) -> None:
    store.alerts.upsert([_alert("a1"), _alert("a2", Priority.CRITICAL)], at=T0)
    stored = store.alerts.get("a1")
    assert stored.alert.mmsis == (423000001, 273000002)
    assert stored.alert.evidence == [Evidence(423000001, T0, 50.0, 40.0)]
    assert stored.alert.details == {
        "gap_s": 1800,
        "seen": "2026-05-01T12:00:00Z",
        "names": ["A", "B"],
    }
    assert [s.alert.id for s in store.alerts.find()] == ["a2", "a1"]  # critical first

    later = T0 + timedelta(minutes=5)
    acked = store.alerts.acknowledge("a1", "officer.aliyev", "calling the vessel", at=later)
    assert acked.alert.status is AlertStatus.ACKNOWLEDGED
    assert (acked.acknowledged_by, acked.comment, acked.acknowledged) == (
        "officer.aliyev", "calling the vessel", later,
    )  # fmt: skip
    # the engine updates the (still open) alert: the acknowledgement stays
    store.alerts.upsert([_alert("a1", reason="AIS silent for 40 min")], at=later)
    again = store.alerts.get("a1")
    assert again.alert.status is AlertStatus.ACKNOWLEDGED
    assert again.alert.reason == "AIS silent for 40 min"
    assert again.acknowledged_by == "officer.aliyev"
    assert [s.alert.id for s in store.alerts.find(AlertStatus.OPEN)] == ["a2"]

    # the engine closes it
    end = T0 + timedelta(minutes=50)
    store.alerts.upsert([_alert("a1", status=AlertStatus.CLOSED, end=end)], at=end)
    closed = store.alerts.get("a1")
    assert (closed.alert.status, closed.alert.end) == (AlertStatus.CLOSED, end)
    assert [s.alert.id for s in store.alerts.find(AlertStatus.CLOSED)] == ["a1"]
    with pytest.raises(InputError, match="closed"):
        store.alerts.acknowledge("a1", "officer.aliyev", "late", at=end)

    by_hand = store.alerts.close("a2", "officer.nurlan", "false alarm", at=end)
    assert (by_hand.alert.status, by_hand.alert.end, by_hand.comment) == (
        AlertStatus.CLOSED, end, "false alarm",
    )  # fmt: skip
    with pytest.raises(NotFoundError, match="nope"):
        store.alerts.acknowledge("nope", "officer", "", at=end)
    with pytest.raises(InputError, match="user=''"):
        store.alerts.close("a1", "", "", at=end)


def test_an_alert_closed_by_hand_stays_closed_when_the_watch_hands_it_out_again(
    store: SqlStore,
) -> None:
    latched = _alert("d1", Priority.CRITICAL, rule="distress")
    store.alerts.upsert([latched], at=T0)
    closed_at = T0 + timedelta(minutes=20)
    store.alerts.close("d1", "officer.nurlan", "crew recovered", at=closed_at)
    # a replay (or the latched alert's silence) hands it out again, open
    store.alerts.upsert([_alert("d1", Priority.CRITICAL, rule="distress")], at=closed_at)
    again = store.alerts.get("d1")
    assert (again.alert.status, again.alert.end) == (AlertStatus.CLOSED, closed_at)
    assert again.comment == "crew recovered"
    # an alert the watch itself closed may still be reopened by the watch
    store.alerts.upsert([_alert("w2", status=AlertStatus.CLOSED, end=closed_at)], at=closed_at)
    store.alerts.upsert([_alert("w2")], at=closed_at)
    assert store.alerts.get("w2").alert.status is AlertStatus.OPEN


def test_safety_texts_are_stored_once_and_read_back_in_time_order(store: SqlStore) -> None:
    texts = [
        SafetyReport(972000001, T0 + timedelta(minutes=3), 14, "MOB ACTIVE", "baku"),
        SafetyReport(273000002, T0 + timedelta(minutes=1), 12, "MAYDAY FIRE ON BOARD", "aktau",
                     dest_mmsi=273000009),
        SafetyReport(972000001, T0 + timedelta(minutes=3), 14, "MOB ACTIVE", "baku"),
        SafetyReport(423000003, T0 + timedelta(minutes=2), 8, "DISTRESS: ФЛАГ", "rasht"),
    ]  # fmt: skip
    assert store.safety.add(texts) == 3
    assert store.safety.add(texts) == 0  # re-ingest changes nothing
    assert store.safety.count() == 3
    assert store.safety.count(972000001) == 1
    got = store.safety.between(T0, T0 + timedelta(minutes=3))
    assert got == sorted(texts[:2] + texts[3:], key=lambda t: t.time)
    assert store.safety.between(T0, T0 + timedelta(minutes=1)) == [texts[1]]
    with pytest.raises(InputError, match="before"):
        store.safety.between(T0, T0 - timedelta(minutes=1))
    new = store.write_batch(
        positions=[_pos(972000001, 4, 50.0, 40.0)],
        vessels=[_vessel(972000001)],
        safety=[SafetyReport(972000001, T0 + timedelta(minutes=4), 14, "MOB ACTIVE", "baku")],
    )
    assert new == 1
    assert store.safety.count() == 4


def test_identity_history_is_stored_once_and_read_back_in_time_order(store: SqlStore) -> None:
    reports = [
        StaticReport(273000001, T0, 5, "baku", name="VOLGA STAR", callsign="UBCD7", imo=9123456,
                     ship_type=80),
        StaticReport(273000001, T0 + timedelta(hours=2), 5, "baku", name="CASPIAN PEARL"),
        StaticReport(423000002, T0 + timedelta(hours=1), 24, "rasht", callsign="EPAB1"),
    ]  # fmt: skip
    assert store.statics.add(reports) == 3
    assert store.statics.add(reports) == 0
    assert store.statics.count() == 3
    ordered = [reports[0], reports[2], reports[1]]
    assert store.statics.between(None, T0 + timedelta(hours=3)) == ordered
    assert store.statics.between(T0 + timedelta(minutes=1), T0 + timedelta(hours=1)) == [reports[2]]
    with pytest.raises(InputError, match="before"):
        store.statics.between(T0, T0 - timedelta(minutes=1))
    store.write_batch(positions=[], vessels=[], statics=[
        StaticReport(423000002, T0 + timedelta(hours=4), 24, "rasht", name="SAHAR")])  # fmt: skip
    assert store.statics.count() == 4


def test_write_batch_is_all_or_nothing(store: SqlStore) -> None:
    good = [_pos(423000001, m, 50.0, 40.0 + m / 100) for m in range(5)]
    store.write_batch(positions=good, vessels=[_vessel(423000001)])
    broken = _vessel(273000001)
    broken.message_count = None  # type: ignore[assignment]  # NOT NULL in the database
    more = [_pos(273000001, m, 49.0, 41.0) for m in range(5)]
    with pytest.raises(StoreError, match="cannot write to store"):
        store.write_batch(positions=more, vessels=[broken])
    assert store.positions.count() == 5
    assert store.vessels.count() == 1


def test_a_write_started_stores_what_write_batch_stores(store: SqlStore) -> None:
    from littoral.store.batch import prepare_batch

    first = [_pos(423000001, m, 50.0, 40.0 + m / 100) for m in range(5)]
    store.write_batch(positions=first[:2], vessels=[_vessel(423000001)])
    again = [*first, _pos(423000001, 9, 50.0, 40.0, source="other"), first[3]]
    # (the key of the sixth is new; of the seventh, one given before it in the same batch)
    again[-1] = _pos(423000001, 3, 50.0, 40.03, source="late")
    batch = prepare_batch(
        again, [_vessel(423000001, name="A")], [Bad("x", "s", "not_nmea", T0)], statics=[
            StaticReport(423000001, T0, 5, "baku", name="A")
        ]
    )  # fmt: skip
    pending = store.start_write(batch)
    assert pending.wait() == 4
    assert pending.wait() == 4  # (asked again: the same)
    back = store.positions.track(423000001, T0, T0 + timedelta(hours=1))
    assert [(p.time, p.lat, p.source) for p in back] == [
        (r.time, r.lat, r.source) for r in sorted(again[:6], key=lambda r: r.time)
    ]
    assert store.vessels.get(423000001).name == "A"
    assert store.quarantine.count_by_reason() == {"not_nmea": 1}
    assert store.statics.count() == 1
    # and the next one goes through the same connection's table of incoming rows, emptied
    later = [_pos(423000002, m, 51.0, 41.0) for m in range(3)]
    assert store.start_write(prepare_batch(later, [_vessel(423000002)])).wait() == 3
    assert store.positions.count() == 9


def test_a_write_started_of_many_rows_keeps_their_order(store: SqlStore) -> None:
    """More rows than one statement takes (SQLite's are handed over in blocks of rows)."""
    from littoral.store.background import BLOCK_ROWS
    from littoral.store.batch import prepare_batch

    count = 2 * BLOCK_ROWS + 52
    rows = [_pos(423000001, m, 50.0, 40.0 + m / 1000) for m in range(count)]
    rows[7] = dataclasses.replace(rows[7], sog_kn=None, cog_deg=None, nav_status=None)
    # a key heard again in a later block: the first one given keeps its row
    rows[BLOCK_ROWS + 3] = dataclasses.replace(rows[BLOCK_ROWS - 2], source="late")
    assert store.start_write(prepare_batch(rows, [_vessel(423000001)])).wait() == count - 1
    back = store.positions.track(423000001, T0, T0 + timedelta(minutes=count))
    kept = [r for k, r in enumerate(rows) if k != BLOCK_ROWS + 3]
    assert [(p.time, p.lat, p.source, p.sog_kn, p.nav_status) for p in back] == [
        (r.time, r.lat, r.source, r.sog_kn, r.nav_status) for r in kept
    ]


def test_a_write_started_is_all_or_nothing(store: SqlStore) -> None:
    from littoral.store.batch import prepare_batch

    broken = _vessel(273000001)
    broken.message_count = None  # type: ignore[assignment]  # NOT NULL in the database
    more = [_pos(273000001, m, 49.0, 41.0) for m in range(5)]
    with pytest.raises(StoreError, match="cannot write to store"):
        store.start_write(prepare_batch(more, [broken])).wait()
    assert store.positions.count() == 0
    assert store.vessels.count() == 0
    good = [_pos(423000001, m, 50.0, 40.0) for m in range(5)]
    assert store.start_write(prepare_batch(good, [_vessel(423000001)])).wait() == 5


def test_write_batch_carries_alerts_and_quarantine(store: SqlStore) -> None:
    new = store.write_batch(
        positions=[_pos(423000001, 0, 50.0, 40.0)],
        vessels=[_vessel(423000001)],
        quarantine=[Bad("x", "s", "not_nmea", T0)],
        alerts=[_alert("w1")],
    )
    assert new == 1
    assert store.alerts.get("w1").updated == T0
    assert store.quarantine.count_by_reason() == {"not_nmea": 1}


def test_engine_is_public_for_other_tables(store: SqlStore) -> None:
    from sqlalchemy import Column, Integer, MetaData, Table, select

    other = MetaData()
    cases = Table("contract_cases", other, Column("id", Integer, primary_key=True))
    other.create_all(store.engine)
    with store.engine.begin() as conn:
        conn.execute(cases.insert().values(id=1))
        assert conn.execute(select(cases.c.id)).scalar_one() == 1
    other.drop_all(store.engine)


def test_between_streams_every_position_in_time_order(store: SqlStore) -> None:
    # three vessels, interleaved in time, one report repeated from another place
    store.positions.add([_pos(423000001, m, 50.0, 40.0 + m / 100) for m in range(0, 300, 7)])
    store.positions.add([_pos(273000002, m, 49.0, 41.0) for m in range(0, 300, 5)])
    store.positions.add([_pos(100000003, m, 51.0, 42.0) for m in range(0, 300, 30)])
    store.positions.add([_pos(273000002, 35, 48.5, 41.0)])  # same time, another position
    start, end = T0 + timedelta(minutes=35), T0 + timedelta(minutes=240)
    chunks = list(store.positions.between(start, end, chunk_size=7))
    assert chunks
    assert all(0 < len(c) <= 7 for c in chunks)
    got = [p for chunk in chunks for p in chunk]
    expected = sorted(
        (p for mmsi in (423000001, 273000002, 100000003) for p in store.positions.track(mmsi)),
        key=lambda p: (p.time, p.mmsi, p.lon, p.lat),
    )
    expected = [p for p in expected if start <= p.time <= end]
    assert got == expected
    assert got[0].time == start  # both ends inclusive
    assert got[-1].time == end
    assert [(p.mmsi, p.lon) for p in got[:4]] == [
        (273000002, 48.5),
        (273000002, 49.0),
        (423000001, 50.0),
        (273000002, 49.0),
    ]  # fmt: skip  (minute 35: by MMSI, then lon; then minute 40)
    assert all(p.time.tzinfo is not None for p in got)
    # windows of the read do not change the result
    small = [p for c in store.positions.between(start, end, window=timedelta(minutes=3)) for p in c]
    assert small == got


def test_between_checks_its_arguments_and_may_be_empty(store: SqlStore) -> None:
    assert list(store.positions.between(T0, T0 + timedelta(days=1))) == []
    store.positions.add([_pos(423000001, 0, 50.0, 40.0)])
    assert list(store.positions.between(T0 + timedelta(seconds=1), T0 + timedelta(days=1))) == []
    with pytest.raises(InputError, match="before start"):
        list(store.positions.between(T0, T0 - timedelta(minutes=1)))
    with pytest.raises(InputError, match="chunk_size=0"):
        list(store.positions.between(T0, T0, chunk_size=0))
    with pytest.raises(InputError, match="naive"):
        list(store.positions.between(datetime(2026, 5, 1), T0))  # noqa: DTZ001


def test_an_alert_without_a_known_position_is_stored_without_one(store: SqlStore) -> None:
    from sqlalchemy import select

    from littoral.store import schema

    unknown = _alert("d1", lon=0.0, lat=0.0, evidence=[], details={"position_known": False})
    not_a_number = _alert("d2", lon=float("nan"), lat=float("nan"), evidence=[])
    known = _alert("d3", details={"position_known": True})
    store.write_batch(positions=[], vessels=[], alerts=[unknown, not_a_number, known], at=T0)
    a = schema.alerts
    with store.engine.connect() as conn:
        rows = dict((r.id, (r.lon, r.lat)) for r in conn.execute(select(a.c.id, a.c.lon, a.c.lat)))
    assert rows == {"d1": (None, None), "d2": (None, None), "d3": (50.0, 40.0)}
    back = store.alerts.get("d1").alert
    assert (back.lon, back.lat, back.details["position_known"]) == (0.0, 0.0, False)
    assert (store.alerts.get("d2").alert.lon, store.alerts.get("d3").alert.lon) == (0.0, 50.0)
    # the device reports a position: the same alert gets it
    store.alerts.upsert([_alert("d1", details={"position_known": True})], at=T0)
    assert (store.alerts.get("d1").alert.lon, store.alerts.get("d1").alert.lat) == (50.0, 40.0)
