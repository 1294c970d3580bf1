from datetime import UTC, datetime, timedelta

import pytest

from littoral.clock import FixedClock
from littoral.errors import InputError, NotFoundError
from littoral.records import AisClass, PositionReport, SafetyReport, StaticReport
from littoral.tracks import TrackStore, VesselState
from littoral.tracks.picture import FlagInfo

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _flags(mmsi: int) -> FlagInfo:
    if str(mmsi).startswith("423"):
        return FlagInfo(423, "Azerbaijan", "AZ", True)
    return FlagInfo(None, None, None, False)


def _picture(**kwargs: object) -> TrackStore:
    return TrackStore(FixedClock(T0), flag_lookup=_flags, **kwargs)  # type: ignore[arg-type]


def _pos(mmsi: int, minutes: float, lon: float = 50.0, lat: float = 40.0, **kw: object):
    return PositionReport(
        mmsi=mmsi, time=T0 + timedelta(minutes=minutes), lon=lon, lat=lat, msg_type=1, **kw
    )  # type: ignore[arg-type]


def test_latest_position_and_motion_come_from_the_newest_report() -> None:
    picture = _picture()
    picture.apply(_pos(423000001, 0, 50.0, 40.0, sog_kn=10.0, cog_deg=90.0, nav_status=0))
    picture.apply(_pos(423000001, 20, 50.1, 40.1, sog_kn=11.0, cog_deg=91.0, heading_deg=92.0))
    picture.apply(_pos(423000001, 10, 50.05, 40.05, sog_kn=10.5))  # late, from another receiver
    state = picture.get(423000001)
    assert (state.lon, state.lat, state.sog_kn, state.heading_deg) == (50.1, 40.1, 11.0, 92.0)
    assert state.nav_status == 0  # kept: the newer report did not carry it
    assert state.position_time == T0 + timedelta(minutes=20)
    assert state.message_count == 3
    assert [p.lon for p in state.history] == [50.0, 50.05, 50.1]  # time order
    assert state.first_seen == T0
    assert state.last_seen == T0 + timedelta(minutes=20)
    assert state.flag_code == "AZ"
    assert state.is_littoral


def test_same_report_from_two_receivers_is_one_report() -> None:
    picture = _picture()
    picture.apply(_pos(273000001, 0, source="baku"))
    picture.apply(_pos(273000001, 0, source="aktau"))
    state = picture.get(273000001)
    assert state.message_count == 1
    assert len(state.history) == 1
    assert len(picture) == 1


def test_not_available_values_never_become_motion_or_positions() -> None:
    picture = _picture()
    picture.apply(_pos(273000002, 0, sog_kn=102.3, cog_deg=360.0, heading_deg=511.0))
    picture.apply(_pos(273000003, 0, lon=181.0, lat=91.0))
    state = picture.get(273000002)
    assert state.sog_kn is None
    assert state.cog_deg is None
    assert state.heading_deg is None
    assert 273000003 not in picture
    assert picture.invalid_positions == 1


def test_static_parts_merge_and_old_static_does_not_overwrite() -> None:
    picture = _picture()
    mmsi = 436000001
    picture.apply(
        StaticReport(mmsi=mmsi, time=T0, msg_type=24, name="AKTAU STAR", ais_class=AisClass.B)
    )
    picture.apply(
        StaticReport(
            mmsi=mmsi,
            time=T0 + timedelta(seconds=5),
            msg_type=24,
            callsign="UNAB7",
            ship_type=30,
            to_bow_m=10.0,
            to_stern_m=5.0,
            to_port_m=2.0,
            to_starboard_m=3.0,
        )
    )
    picture.apply(
        StaticReport(mmsi=mmsi, time=T0 - timedelta(hours=1), msg_type=24, name="OLD NAME")
    )
    state = picture.get(mmsi)
    assert (state.name, state.callsign, state.ship_type) == ("AKTAU STAR", "UNAB7", 30)
    assert state.length_m == 15.0
    assert state.beam_m == 5.0
    assert state.ais_class is AisClass.B
    assert not state.has_position
    assert state.message_count == 3
    assert state.first_seen == T0 - timedelta(hours=1)


def test_safety_text_is_kept() -> None:
    picture = _picture()
    picture.apply(SafetyReport(mmsi=972123456, time=T0, msg_type=14, text="MOB ACTIVE"))
    assert picture.get(972123456).last_text == "MOB ACTIVE"


def test_history_is_bounded_in_points_and_age() -> None:
    clock = FixedClock(T0)
    picture = TrackStore(
        clock,
        history_points=5,
        history_ttl=timedelta(minutes=30),
        vessel_ttl=timedelta(hours=2),
        flag_lookup=_flags,
    )
    for minute in range(20):
        picture.apply(_pos(423000009, minute, lon=50.0 + minute / 100))
    history = picture.get(423000009).history
    assert len(history) == 5
    assert history[0].time == T0 + timedelta(minutes=15)
    clock.advance(timedelta(minutes=47))  # 12:47: points before 12:17 go
    assert picture.expire() == 0
    assert [p.time.minute for p in history] == [17, 18, 19]
    clock.advance(timedelta(hours=2))
    assert picture.expire() == 1
    with pytest.raises(NotFoundError, match="423000009"):
        picture.get(423000009)


def test_dirty_vessels_are_reported_once() -> None:
    picture = _picture()
    picture.apply(_pos(423000001, 0))
    picture.apply(_pos(423000002, 0))
    assert sorted(s.mmsi for s in picture.take_dirty()) == [423000001, 423000002]
    assert picture.take_dirty() == []
    picture.apply(_pos(423000002, 1))
    assert [s.mmsi for s in picture.take_dirty()] == [423000002]


def test_bad_parameters_and_reports_name_the_value() -> None:
    with pytest.raises(InputError, match="history_points=0"):
        _picture(history_points=0)
    with pytest.raises(InputError, match="report="):
        _picture().apply("not a report")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="naive"):
        _picture().expire(datetime(2026, 1, 1))  # noqa: DTZ001


def test_state_serialises_with_utc_times() -> None:
    state = VesselState(mmsi=1, first_seen=T0, last_seen=T0)
    data = state.to_dict()
    assert data["first_seen"] == "2026-05-01T12:00:00Z"
    assert data["position_time"] is None


def test_default_flag_lookup_reads_the_itu_mid_table() -> None:
    picture = TrackStore(FixedClock(T0))
    picture.apply(_pos(273456789, 0))
    picture.apply(_pos(538001234, 0))
    picture.apply(_pos(972123456, 0))  # MOB device: no MID
    russia, marshall, mob = (picture.get(m) for m in (273456789, 538001234, 972123456))
    assert (russia.mid, russia.flag_code, russia.is_littoral) == (273, "RU", True)
    assert "Russia" in (russia.flag or "")
    assert (marshall.mid, marshall.flag_code, marshall.is_littoral) == (538, None, False)
    assert (mob.mid, mob.flag, mob.is_littoral) == (None, None, False)


def test_late_report_into_a_full_history_keeps_the_newest_points_in_order() -> None:
    picture = _picture(history_points=3)
    for minute in (0, 2, 4):
        picture.apply(_pos(423000001, minute))
    picture.apply(_pos(423000001, 3))  # late: pushes out the oldest
    picture.apply(_pos(423000001, -5))  # older than everything kept: not kept
    history = picture.get(423000001).history
    assert [p.time.minute for p in history] == [2, 3, 4]
    assert picture.get(423000001).message_count == 5


def test_bulk_and_single_application_agree() -> None:
    reports = [_pos(423000000 + i % 7, i / 3, lon=50.0 + i / 1000) for i in range(60)]
    one, bulk = _picture(), _picture()
    for report in reports:
        one.apply(report)
    bulk.apply_positions(reports)
    assert [v.to_dict() for v in one] == [v.to_dict() for v in bulk]


@pytest.mark.parametrize("mmsi", [0, 1, 123456789, 912345678, 1_000_000_000])
def test_invalid_mmsis_are_quarantined_not_listed(mmsi: int) -> None:
    picture = TrackStore(FixedClock(T0))  # the real ITU-R M.585 rules
    picture.apply(_pos(mmsi, 0))
    picture.apply(_pos(mmsi, 1))
    picture.apply(StaticReport(mmsi=mmsi, time=T0, msg_type=5, name="NOBODY"))
    picture.apply(SafetyReport(mmsi=mmsi, time=T0, msg_type=14, text="TEST"))
    assert mmsi not in picture
    assert len(picture) == 0
    assert picture.quarantined == {mmsi: 4}
    assert picture.take_dirty() == []


@pytest.mark.parametrize(
    ("mmsi", "station"),
    [
        (374123000, "ship"),
        (2731234, "coast station"),
        (111273456, "SAR aircraft"),
        (992731234, "aid to navigation"),
        (982731234, "craft of a parent ship"),
        (970123456, "AIS-SART"),
        (972123456, "man overboard device"),
        (974123456, "EPIRB-AIS"),
    ],
)
def test_stations_of_every_class_are_listed_with_their_class(mmsi: int, station: str) -> None:
    picture = TrackStore(FixedClock(T0))
    picture.apply(_pos(mmsi, 0))
    state = picture.get(mmsi)
    assert state.station == station
    assert state.to_dict()["station"] == station


def test_message_counts_are_idempotent_on_re_ingest() -> None:
    reports = [_pos(423000001, m, lon=50 + m / 100) for m in range(10)]
    static = StaticReport(mmsi=423000001, time=T0, msg_type=5, name="SHAHDAG")
    first = _picture()
    first.apply_positions(reports)
    first.apply(static)
    saved = [
        VesselState(**{**{f: getattr(v, f) for f in v.__slots__}, "history": []})  # type: ignore[arg-type]
        for v in first.take_dirty()
    ]
    again = _picture()
    again.restore(saved)  # as an ingest restores from the store
    again.apply_positions(reports)
    again.apply(static)
    assert again.get(423000001).message_count == 11
    again.apply(_pos(423000001, 20))  # news counts
    assert again.get(423000001).message_count == 12
