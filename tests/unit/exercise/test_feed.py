from __future__ import annotations

import time
from datetime import UTC, datetime

import numpy as np
import pytest

from littoral.ais.sources import TcpSource
from littoral.clock import FixedClock
from littoral.errors import InputError
from littoral.exercise.feed import FeedServer
from littoral.exercise.stream import TapClock


def _lines(n: int) -> tuple[list[str], np.ndarray]:
    t0 = 1_790_000_000
    times = t0 + np.arange(n, dtype=np.float64) * 10.0
    return [f"\\s:AZ-BAK,c:{int(t)}*00\\!AIVDM,{k}" for k, t in enumerate(times)], times


def _read_all(server: FeedServer) -> list[str]:
    clock = FixedClock(datetime(2026, 10, 14, tzinfo=UTC))
    source = TcpSource(
        server.host, server.port, clock, backoff_initial_s=0.05, backoff_max_s=0.05, max_retries=0
    )
    with source:
        return [line.text for line in source]


def test_every_line_arrives_once_in_order_then_the_source_ends() -> None:
    lines, times = _lines(20_000)
    server = FeedServer(lines, times).start()
    got = _read_all(server)
    server.join(5.0)
    assert got == lines
    assert server.sent == len(lines)
    assert server.error is None


def test_speedup_paces_the_feed_by_event_time() -> None:
    lines, times = _lines(31)  # 300 s of event time
    server = FeedServer(lines, times, speedup=1000.0).start()
    started = time.monotonic()
    got = _read_all(server)
    assert got == lines
    assert time.monotonic() - started >= 0.25  # 300 s / 1000, less the first line


def test_tap_clock_follows_tag_block_time() -> None:
    lines, times = _lines(5)
    server = FeedServer(lines, times).start()
    clock = TapClock(datetime(2026, 9, 1, tzinfo=UTC))
    source = TcpSource(server.host, server.port, clock, backoff_initial_s=0.05, max_retries=0)
    with source:
        list(clock.tap(source))
    assert clock.now().timestamp() == times[-1]


def test_bad_speedup_is_named() -> None:
    lines, times = _lines(3)
    with pytest.raises(InputError, match="speedup=-1"):
        FeedServer(lines, times, speedup=-1.0)
