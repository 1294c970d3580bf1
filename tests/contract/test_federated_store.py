"""The federated centre's store, on every backend: a message applied twice stores nothing,
two receivers' copies of one transmission are one position with both receivers, and alert
copies are replaced by their merge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyais
from sqlalchemy import delete

from littoral.ais import RawLine
from littoral.clock import FixedClock
from littoral.exercise.nmea import tag_block
from littoral.federation import wire
from littoral.federation.transport import Incoming, Kind
from littoral.records.alerts import Alert, Evidence, Priority
from littoral.records.reports import PositionReport, StaticReport
from littoral.services.federation import Centre
from littoral.services.joint_cases import JOINT, JointCases
from littoral.store import SqlStore, open_store
from littoral.store.federated import (
    ensure_tables,
    federation_cases,
    federation_cursors,
    federation_outbox,
    position_receivers,
    receiver_count,
    receivers_of,
)

T = datetime(2026, 5, 1, 8, tzinfo=UTC)


def incoming(seq: int, out: wire.Outgoing, origin: str) -> Incoming:
    return Incoming(
        origin=origin, kind=out.kind, msg_id=out.msg_id, data=out.data, seq=seq, origin_seq=seq
    )


def test_exactly_once_effect(store: SqlStore) -> None:
    ensure_tables(store)
    with store.engine.begin() as conn:
        conn.execute(delete(position_receivers))
    centre = Centre("kz", store, FixedClock(T))
    report = PositionReport(
        mmsi=273000001,
        time=T,
        lon=50.1,
        lat=41.2,
        msg_type=1,
        source="rx1",
        sog_kn=10.0,
        cog_deg=90.0,
    )
    # the same transmission heard 0.4 s later by a receiver of another centre
    copy = PositionReport(
        mmsi=273000001,
        time=T + timedelta(milliseconds=400),
        lon=50.1,
        lat=41.2,
        msg_type=1,
        source="rx9",
        sog_kn=10.0,
        cog_deg=90.0,
    )
    later = PositionReport(
        mmsi=273000001,
        time=T + timedelta(seconds=10),
        lon=50.11,
        lat=41.2,
        msg_type=1,
        source="rx1",
        sog_kn=10.0,
        cog_deg=90.0,
    )
    first = [
        incoming(1, wire.encode_position("az", report), "az"),
        incoming(2, wire.encode_position("az", later), "az"),
    ]
    centre.take_remote(first)
    centre.take_remote(first)  # delivered again (an acknowledgement lost)
    centre.take_remote([incoming(1, wire.encode_position("ir", copy), "ir")])
    assert store.positions.count() == 2
    assert receivers_of(store, 273000001, T) == ["az/rx1", "ir/rx9"]
    assert receiver_count(store) == 3
    assert centre.stats.merged_copies == 3  # two redelivered, one copy


def test_cursors_move_with_the_effect_and_never_back(store: SqlStore) -> None:
    ensure_tables(store)
    with store.engine.begin() as conn:
        conn.execute(delete(federation_cursors))
    centre = Centre("kz", store, FixedClock(T))
    reports = [
        PositionReport(
            mmsi=273000002,
            time=T + timedelta(seconds=10 * i),
            lon=50.0 + 0.01 * i,
            lat=41.0,
            msg_type=1,
            source="rx1",
        )
        for i in range(4)
    ]
    az = [incoming(i + 1, wire.encode_position("az", r), "az") for i, r in enumerate(reports)]
    assert centre.cursors() == {}
    centre.take_remote(az[:3])
    assert centre.cursors() == {"az": 3}
    centre.take_remote(az[:1])  # a redelivery of an earlier message
    centre.take_remote([incoming(7, wire.encode_position("ir", reports[3]), "ir")])
    assert centre.cursors() == {"az": 3, "ir": 7}
    # a new centre on the same store (a restart) knows what it holds
    assert Centre("kz", store, FixedClock(T)).cursors() == {"az": 3, "ir": 7}


def test_outbox_holds_what_is_stored_until_acknowledged(store: SqlStore) -> None:
    ensure_tables(store)
    with store.engine.begin() as conn:
        conn.execute(delete(federation_outbox))
    centre = Centre("az", store, FixedClock(T))
    lines = []
    for i in range(3):
        payload = {"msg_type": 1, "mmsi": 273000003, "lon": 50.0 + 0.01 * i, "lat": 41.0,
                   "speed": 10.0, "course": 90.0, "heading": 90, "status": 0}  # fmt: skip
        (sentence,) = pyais.encode_dict(payload, talker_id="AI")
        stamp = tag_block("AZ-RX1", int(T.timestamp()) + 10 * i)
        lines.append(RawLine(stamp + sentence, "live:az", T))
    out = centre.take_local(lines[:2]) + centre.take_local(lines[2:])
    assert len(out) == 2
    assert sum(m.reports for m in out) == 3
    assert Centre("az", store, FixedClock(T)).outbox() == out  # kept across a restart
    centre.published(out[:1])
    assert centre.outbox() == out[1:]
    centre.published(out[1:])
    assert centre.outbox() == []


def test_a_joint_case_copy_is_replaced_by_each_update(store: SqlStore, tmp_path: Path) -> None:
    ensure_tables(store)
    with store.engine.begin() as conn:
        conn.execute(delete(federation_cases))
    with open_store(f"sqlite:///{tmp_path / 'az.db'}") as az_store:
        home = JointCases("az", az_store)
        case = home.service.add_case(
            state="az", title="Ferry aground at Pirallahi", status="open", created=T,
            created_by="coord.az", datum_lon=50.6, datum_lat=40.5, datum_time=T,
            object_class="PIW", persons=1, description="", environment={},
        )  # fmt: skip
        home.service.add_log(case.id, T, "coord.az", JOINT, "marked joint")
        (first,) = home.changed()
        assert home.changed() == []  # unchanged: nothing to publish again
        home.service.add_log(case.id, T + timedelta(minutes=5), "coord.az", "note", "tug sent")
        (second,) = home.changed()
    here = JointCases("kz", store)
    local = here.take(first.data)
    assert here.take(first.data) == local  # delivered again: the same copy
    assert here.take(second.data) == local
    copy = here.service.case(local)
    assert (copy.title, copy.state) == ("Ferry aground at Pirallahi", "az")
    assert [e.text for e in here.service.case_log(local)] == ["marked joint", "tug sent"]


def test_alert_copies_become_one(store: SqlStore) -> None:
    ensure_tables(store)
    centre = Centre("kz", store, FixedClock(T))

    def alert(centre_name: str, minute: int) -> Alert:
        start = T + timedelta(minutes=minute)
        return Alert(
            id=f"distress:beacon:970123456:{centre_name}",
            rule="distress",
            priority=Priority.CRITICAL,
            mmsis=(970123456,),
            start=start,
            lon=50.5,
            lat=41.0,
            reason="AIS-SART",
            evidence=[Evidence(970123456, start, 50.5, 41.0)],
        )

    own = alert("kz", 2)
    centre.take_remote([incoming(1, wire.encode_alert("kz", own), "kz")])
    centre.take_remote([incoming(2, wire.encode_alert("az", alert("az", 0)), "az")])
    found = [s.alert for s in store.alerts.find(rule="distress")]
    assert [a.id for a in found] == ["distress:beacon:970123456:az"]
    assert found[0].details["federation"]["centres"] == ["az", "kz"]  # type: ignore[index]
    assert len(found[0].evidence) == 2


def test_a_bad_row_in_a_batch_loses_nothing_else(store: SqlStore) -> None:
    import json

    ensure_tables(store)
    centre = Centre("tm", store, FixedClock(T))
    reports = [
        PositionReport(
            mmsi=273000100 + i,
            time=T + timedelta(seconds=i),
            lon=51.0,
            lat=40.0,
            msg_type=1,
            source="rx2",
            sog_kn=5.0,
            cog_deg=10.0,
        )
        for i in range(3)
    ]
    (out,) = wire.encode_positions("ru", reports)
    body = json.loads(out.data)
    body["p"][1][0] = "not an mmsi"
    bad = wire.Outgoing(kind=out.kind, msg_id=out.msg_id, data=json.dumps(body).encode())
    before = store.positions.count()
    result = centre.take_remote([incoming(1, bad, "ru")])
    assert [p.mmsi for p in result.positions] == [273000100, 273000102]
    assert store.positions.count() == before + 2
    assert centre.stats.rejected == {"bad_position_row": 1}


def test_text_no_store_keeps_is_kept_aside_not_raised(store: SqlStore) -> None:
    """A NUL in a receiver, a name or a case, or half a surrogate pair in an alert's reason:
    PostgreSQL refused the batch's write, and the same message came again at every restart."""
    import json

    ensure_tables(store)
    centre = Centre("tm", store, FixedClock(T))
    reports = [
        PositionReport(mmsi=273000200 + i, time=T + timedelta(seconds=i), lon=51.0, lat=40.0,
                       msg_type=1, source="rx2" if i != 1 else "rx\x002")
        for i in range(3)
    ]  # fmt: skip
    static = wire.encode_static("ru", StaticReport(mmsi=273000200, time=T, msg_type=5,
                                                   source="rx2", name="VOLGA\x00"))  # fmt: skip
    alert = json.loads(wire.encode_alert("ru", Alert(
        id="dark:273000200", rule="dark", priority=Priority.HIGH, mmsis=(273000200,), start=T,
        lon=51.0, lat=40.0, reason="dark", evidence=[])).data)  # fmt: skip
    alert["reason"] = "dark \ud800"
    case = json.loads(wire.encode_case("ru", 7, {"case": {}, "log": [], "units": [],
                                                 "scenarios": []}).data)  # fmt: skip
    case["case"] = {"title": "ferry\x00"}
    messages = [
        *wire.encode_positions("ru", reports),
        static,
        wire.Outgoing(kind=Kind.ALERT, msg_id="a", data=json.dumps(alert).encode()),
        wire.Outgoing(kind=Kind.CASE, msg_id="c", data=json.dumps(case).encode()),
    ]
    before = store.positions.count()
    result = centre.take_remote([incoming(i + 1, m, "ru") for i, m in enumerate(messages)])
    assert [p.mmsi for p in result.positions] == [273000200, 273000202]
    assert store.positions.count() == before + 2
    assert centre.stats.rejected == {
        "bad_position_row": 1, "bad_static": 1, "bad_alert": 1, "bad_case": 1
    }  # fmt: skip
    # kept aside in the quarantine, named, escaped: the quarantine cannot refuse them too
    kept = {e.reason: e for e in store.quarantine.recent() if e.source == "federation:ru"}
    assert sorted(kept) == [f"federation_bad_{k}" for k in ("alert", "case", "position_row",
                                                           "static")]  # fmt: skip
    assert kept["federation_bad_position_row"].line.startswith("ru #1 (")
    assert "source='rx\\x002' holds a NUL" in kept["federation_bad_position_row"].line
    assert "reason='dark \\ud800' holds half" in kept["federation_bad_alert"].line
    assert "body.case.title='ferry\\x00' holds a NUL" in kept["federation_bad_case"].line


def test_an_alert_applied_twice_is_one_alert_with_its_evidence_once(store: SqlStore) -> None:
    """A message is applied again when a centre stopped before its batch committed."""
    ensure_tables(store)
    centre = Centre("kz", store, FixedClock(T))
    start = T + timedelta(hours=3)
    alert = Alert(id="dark:273000300:az", rule="dark", priority=Priority.HIGH,
                  mmsis=(273000300,), start=start, lon=50.0, lat=41.0, reason="dark 1 h",
                  evidence=[Evidence(273000300, start, 50.0, 41.0)])  # fmt: skip
    message = wire.encode_alert("az", alert)
    centre.take_remote([incoming(1, message, "az")])
    centre.take_remote([incoming(1, message, "az")])
    found = [s.alert for s in store.alerts.find(rule="dark") if 273000300 in s.alert.mmsis]
    assert [a.id for a in found] == ["dark:273000300:az"]
    assert len(found[0].evidence) == 1


def test_an_alert_without_evidence_is_stored(store: SqlStore) -> None:
    """An unlocated distress alert has no evidence; it stopped a receiving centre's reader."""
    ensure_tables(store)
    centre = Centre("kz", store, FixedClock(T))
    alert = Alert(id="distress:dsc:273000301:az", rule="distress", priority=Priority.CRITICAL,
                  mmsis=(273000301,), start=T, lon=50.0, lat=41.0, reason="DSC distress",
                  evidence=[])  # fmt: skip
    centre.take_remote([incoming(1, wire.encode_alert("az", alert), "az")])
    found = [s.alert for s in store.alerts.find(rule="distress") if 273000301 in s.alert.mmsis]
    assert [a.id for a in found] == ["distress:dsc:273000301:az"]


def test_a_message_of_a_kind_this_version_does_not_know_is_kept_aside(store: SqlStore) -> None:
    """A centre upgraded to a version with a new kind of message must not stop the others."""
    ensure_tables(store)
    centre = Centre("kz", store, FixedClock(T))
    report = PositionReport(mmsi=273000400, time=T, lon=50.0, lat=41.0, msg_type=1,
                            source="rx1")  # fmt: skip
    n = centre.cursors().get("az", 0) + 1  # (the store is shared with the other tests)
    newer = Incoming(origin="az", kind="sitrep", msg_id="az:x", data=b"{}", seq=n, origin_seq=n)
    centre.take_remote([newer, incoming(n + 1, wire.encode_position("az", report), "az")])
    assert centre.stats.rejected == {"bad_kind": 1}
    assert centre.cursors()["az"] == n + 1  # past it: the next message is no hole
    (kept,) = [e for e in store.quarantine.recent() if e.reason == "federation_bad_kind"]
    assert "unknown kind 'sitrep'" in kept.line
    assert store.positions.track(273000400)


def test_a_message_claiming_another_centre_than_its_stream_is_refused(
    store: SqlStore, tmp_path: Path
) -> None:
    """az can publish only on its own subjects, but its messages' bodies could name ru."""
    ensure_tables(store)
    centre = Centre("kz", store, FixedClock(T))
    report = PositionReport(mmsi=273000500, time=T, lon=50.0, lat=41.0, msg_type=1,
                            source="rx1")  # fmt: skip
    alert = Alert(id="dark:273000500:ru", rule="dark", priority=Priority.HIGH,
                  mmsis=(273000500,), start=T, lon=50.0, lat=41.0, reason="dark",
                  evidence=[])  # fmt: skip
    with open_store(f"sqlite:///{tmp_path / 'ru.db'}") as ru_store:
        home = JointCases("ru", ru_store)
        case = home.service.add_case(
            state="ru", title="Tug adrift", status="open", created=T, created_by="coord.ru",
            datum_lon=47.9, datum_lat=43.0, datum_time=T, object_class="PIW", persons=1,
            description="", environment={},
        )  # fmt: skip
        home.service.add_log(case.id, T, "coord.ru", JOINT, "marked joint")
        (case_message,) = home.changed()
    static = StaticReport(mmsi=273000500, time=T, msg_type=5, source="rx1", name="NOT RU")
    claims = [
        wire.encode_position("ru", report),
        wire.encode_static("ru", static),
        wire.encode_alert("ru", alert),
        case_message,
    ]
    n = centre.cursors().get("az", 0)
    centre.take_remote([incoming(n + i + 1, m, "az") for i, m in enumerate(claims)])
    assert centre.stats.rejected == {"bad_pos": 1, "bad_static": 1, "bad_alert": 1,
                                     "bad_case": 1}  # fmt: skip
    assert store.positions.track(273000500) == []
    assert not [s for s in store.alerts.find(rule="dark") if 273000500 in s.alert.mmsis]
    lines = [e.line for e in store.quarantine.recent() if e.source == "federation:az"]
    assert sum("on 'az''s stream claims to be from 'ru'" in line for line in lines) == 4
