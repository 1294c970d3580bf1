"""Properties of the picture: the order reports arrive in does not change what it shows.

The reports drawn here jump across the sea at any speed; the pictures that take them keep
one vessel per MMSI (``split=None``): which ship of a shared MMSI a position belongs to may
depend on arrival order, what one ship's picture shows may not. A vessel moving as ships do
is never split, in any arrival order.
"""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from littoral.clock import FixedClock
from littoral.records import PositionReport
from littoral.tracks import TrackStore
from littoral.tracks.picture import FlagInfo

T0 = datetime(2026, 5, 1, tzinfo=UTC)

reports = st.lists(
    st.builds(
        PositionReport,
        mmsi=st.sampled_from([273000001, 423000002, 436000003]),
        time=st.integers(0, 3600).map(lambda s: T0 + timedelta(seconds=s)),
        lon=st.floats(46.0, 55.0),
        lat=st.floats(36.0, 47.5),
        msg_type=st.just(1),
        sog_kn=st.one_of(st.none(), st.floats(0.0, 30.0)),
    ),
    max_size=60,
)


def _picture(history_points: int = 1000) -> TrackStore:
    return TrackStore(
        FixedClock(T0),
        history_points=history_points,
        flag_lookup=lambda m: FlagInfo(None, None, None, False),
        split=None,
    )


@settings(max_examples=150, deadline=None)
@given(reports, st.randoms(use_true_random=False))
def test_arrival_order_does_not_change_the_picture(given_reports, rng) -> None:
    shuffled = list(given_reports)
    rng.shuffle(shuffled)
    in_order, out_of_order = _picture(), _picture()
    in_order.apply_positions(sorted(given_reports, key=lambda r: r.time))
    out_of_order.apply_positions(shuffled)
    for state in in_order:
        other = out_of_order.get(state.mmsi)
        assert (other.first_seen, other.last_seen, other.position_time) == (
            state.first_seen,
            state.last_seen,
            state.position_time,
        )
        assert [p.time for p in other.history] == [p.time for p in state.history]
        assert other.message_count == state.message_count
        # the latest position is one of the reports at the latest time
        latest = [(r.lon, r.lat) for r in given_reports
                  if r.mmsi == state.mmsi and r.time == state.position_time]  # fmt: skip
        assert (other.lon, other.lat) in latest
        assert (state.lon, state.lat) in latest


@settings(max_examples=100, deadline=None)
@given(reports, st.integers(1, 10))
def test_history_is_sorted_bounded_and_holds_the_newest(given_reports, limit) -> None:
    picture = _picture(history_points=limit)
    picture.apply_positions(given_reports)
    for state in picture:
        times = [p.time for p in state.history]
        assert times == sorted(times)
        assert len(times) <= limit
        assert times[-1] == state.position_time == state.last_seen


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 1800), st.floats(0.0, 30.0), st.floats(0.0, 360.0)),
        min_size=1,
        max_size=40,
    ),
    st.randoms(use_true_random=False),
)
def test_a_vessel_moving_as_ships_do_is_never_split(legs, rng) -> None:
    """Legs of up to 30 kn in any direction, the reports heard in any order: one vessel."""
    import math

    time, lon, lat = T0, 50.0, 42.0
    track = [PositionReport(mmsi=273000001, time=time, lon=lon, lat=lat, msg_type=1)]
    for dt_s, speed_kn, course_deg in legs:
        step_deg = speed_kn * dt_s / 3600 / 60  # nautical miles are minutes of latitude
        lat += step_deg * math.cos(math.radians(course_deg))
        lon += step_deg * math.sin(math.radians(course_deg)) / math.cos(math.radians(lat))
        time += timedelta(seconds=dt_s)
        track.append(PositionReport(mmsi=273000001, time=time, lon=lon, lat=lat, msg_type=1))
    rng.shuffle(track)
    picture = TrackStore(FixedClock(T0), flag_lookup=lambda m: FlagInfo(None, None, None, False))
    picture.apply_positions(track)
    assert [v.key for v in picture] == ["273000001"]
    assert picture.get(273000001).message_count == len(track)
