"""Properties of the picture: the order reports arrive in does not change what it shows."""

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
