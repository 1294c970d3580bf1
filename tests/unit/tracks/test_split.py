"""One MMSI at two places at once is two ships in the picture; real traffic is never split."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from littoral.ais import Decoder, RawLine
from littoral.clock import FixedClock
from littoral.records import PositionReport, StaticReport
from littoral.tracks import TrackStore
from littoral.tracks.picture import FlagInfo
from littoral.tracks.split import SplitRule, compatible, distance_m

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
SHARED = 273_456_789
BAKU = (49.95, 40.30)
AKTAU = (51.05, 43.55)


def _picture(**kwargs: object) -> TrackStore:
    return TrackStore(
        FixedClock(T0),
        flag_lookup=lambda m: FlagInfo(273, "Russia", "RU", True),
        **kwargs,  # type: ignore[arg-type]
    )


def _pos(second: float, at: tuple[float, float], mmsi: int = SHARED, **kw: object):
    return PositionReport(
        mmsi=mmsi,
        time=T0 + timedelta(seconds=second),
        lon=at[0],
        lat=at[1],
        msg_type=kw.pop("msg_type", 1),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def _moving(start: tuple[float, float], k: int) -> tuple[float, float]:
    """A ship at 10 kn heading north: 10 NM an hour, 1/6 minute of latitude a minute."""
    return start[0], start[1] + k * 10 / 60 / 60


def test_two_ships_on_one_mmsi_are_two_vessels() -> None:
    picture = _picture()
    reports = []
    for k in range(10):  # one report a minute from each, interleaved
        reports.append(_pos(60 * k, _moving(BAKU, k), sog_kn=10.0))
        reports.append(_pos(60 * k + 20, _moving(AKTAU, k), sog_kn=12.0))
    picture.apply_positions(reports)
    ships = {v.key: v for v in picture}
    assert set(ships) == {f"{SHARED}", f"{SHARED}-2"}
    baku, aktau = ships[f"{SHARED}"], ships[f"{SHARED}-2"]
    assert all(p.lat < 41 for p in baku.history)
    assert all(p.lat > 43 for p in aktau.history)
    assert (baku.lat, aktau.lat) == (_moving(BAKU, 9)[1], _moving(AKTAU, 9)[1])
    assert (baku.track, aktau.track, aktau.mmsi) == (0, 1, SHARED)
    assert baku.message_count + aktau.message_count == len(reports)
    assert len(baku.history) + len(aktau.history) == len(reports)
    assert picture.get(SHARED, 1) is aktau
    assert picture.twins(SHARED) == [aktau]
    assert len(picture) == 2
    assert {v.key for v in picture.take_dirty()} == set(ships)
    assert aktau.to_dict()["key"] == f"{SHARED}-2"


def test_a_stray_position_is_no_ship() -> None:
    picture = _picture()
    for k in range(6):
        picture.apply(_pos(60 * k, _moving(BAKU, k)))
        if k == 2:
            picture.apply(_pos(60 * k + 10, (0.0, 0.0)))  # a receiver's null island
    assert [v.key for v in picture] == [str(SHARED)]
    state = picture.get(SHARED)
    assert state.lat == _moving(BAKU, 5)[1]
    assert all(p.lon == BAKU[0] for p in state.history)


def test_a_vessel_that_moved_while_not_heard_stays_one() -> None:
    # a file without times: every line has the clock's time of reading; the vessel was out
    # of range for an hour, then is heard 12 NM away
    picture = _picture()
    for k in range(3):
        picture.apply(_pos(0, _moving(BAKU, k)))
    for k in range(72, 76):
        picture.apply(_pos(0, _moving(BAKU, k)))
    assert [v.key for v in picture] == [str(SHARED)]
    state = picture.get(SHARED)
    assert state.lat == _moving(BAKU, 75)[1]
    assert state.message_count == 7


def test_the_same_positions_again_from_another_receiver_count_once() -> None:
    picture = _picture()
    reports = []
    for k in range(6):
        reports.append(_pos(60 * k, BAKU))
        reports.append(_pos(60 * k + 20, AKTAU))
    picture.apply_positions(reports)
    picture.apply_positions(reports)  # heard again, by another receiver
    assert sorted(v.message_count for v in picture) == [6, 6]


def test_aircraft_are_never_split() -> None:
    picture = _picture()
    for k in range(6):  # 240 kn: 4 NM a minute
        picture.apply(_pos(60 * k, (50.0, 40.0 + k * 4 / 60), mmsi=111_273_001, msg_type=9))
    assert [v.key for v in picture] == ["111273001"]


def test_no_more_ships_than_the_rule_allows() -> None:
    picture = _picture(split=SplitRule(max_tracks=2))
    places = [BAKU, AKTAU, (53.0, 39.9)]
    for k in range(6):
        for j, place in enumerate(places):
            picture.apply(_pos(60 * k + 10 * j, place))
    assert sorted(v.key for v in picture) == [str(SHARED), f"{SHARED}-2"]
    assert sum(v.message_count for v in picture) == 18


def test_static_data_goes_to_the_first_ship() -> None:
    picture = _picture()
    for k in range(5):
        picture.apply(_pos(60 * k, BAKU))
        picture.apply(_pos(60 * k + 20, AKTAU))
    picture.apply(StaticReport(mmsi=SHARED, time=T0 + timedelta(minutes=6), msg_type=5, name="X"))
    assert picture.get(SHARED).name == "X"
    assert picture.get(SHARED, 1).name is None


def test_split_off_keeps_one_vessel_per_mmsi() -> None:
    picture = _picture(split=None)
    for k in range(5):
        picture.apply(_pos(60 * k, BAKU))
        picture.apply(_pos(60 * k + 20, AKTAU))
    assert [v.key for v in picture] == [str(SHARED)]


def test_restore_puts_each_ship_back() -> None:
    picture = _picture()
    for k in range(5):
        picture.apply(_pos(60 * k, BAKU))
        picture.apply(_pos(60 * k + 20, AKTAU))
    again = _picture()
    again.restore(picture.vessels())
    assert sorted(v.key for v in again) == [str(SHARED), f"{SHARED}-2"]
    again.apply(_pos(400, AKTAU))
    assert again.get(SHARED, 1).position_time == T0 + timedelta(seconds=400)
    assert again.get(SHARED).lat == BAKU[1]


def test_compatible_is_distance_over_time() -> None:
    rule = SplitRule()
    d = distance_m(*BAKU, *AKTAU)
    assert d == pytest.approx(360_000, rel=0.05)
    hours = d / 1852 / rule.speed_kn
    a = (T0, *BAKU)
    assert compatible(rule, a, (T0 + timedelta(hours=hours * 1.01), *AKTAU))[0]
    assert not compatible(rule, a, (T0 + timedelta(hours=hours * 0.99), *AKTAU))[0]
    assert compatible(rule, a, (T0, BAKU[0], BAKU[1] + 0.04))[0]  # 2.4 NM: noise


CAPTURES = (
    "ais/real/pyais-nmea_data_sample.txt",
    "conformance/ais/gpsd/sample.aivdm",
    "conformance/ais/gpsd/ais-nmea.log",
    "conformance/ais/gpsd/ais-18-27.log",
    "conformance/ais/gpsd/ais-raw-messages.log",
)


@pytest.mark.parametrize("name", CAPTURES)
def test_real_traffic_is_never_split(data_dir: Path, name: str) -> None:
    lines = (data_dir / name).read_text(errors="replace").splitlines()
    batch = Decoder().decode_lines([RawLine(t, name, T0) for t in lines])
    picture = TrackStore(FixedClock(T0))
    picture.apply_positions(batch.positions)
    assert len(batch.positions) > 5
    assert [v.key for v in picture if v.track] == []
    assert len(picture) == len({p.mmsi for p in batch.positions} - set(picture.quarantined))
