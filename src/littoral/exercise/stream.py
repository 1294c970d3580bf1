"""Step 1 and 2 of the exercise: the day's NMEA over TCP into the real ingest and watch.

The feed (:class:`~littoral.exercise.feed.FeedServer`) listens on loopback; a
:class:`~littoral.ais.sources.TcpSource` connects to it exactly as ``littoral ais ingest
tcp://HOST:PORT --watch`` would, and :func:`littoral.services.ingest.ingest` decodes, updates the
picture, runs the watch engine and writes positions, vessels and alerts to the store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from littoral.exercise.feed import FeedServer
from littoral.exercise.traffic import Traffic

if TYPE_CHECKING:
    from littoral.ais import RawLine
    from littoral.records.alerts import Alert
    from littoral.services.ingest import IngestProgress, IngestResult
    from littoral.store.protocol import Store


@dataclass
class RaisedAlert:
    """An alert of the watch as the exercise saw it: its latest state and when it was raised.

    ``raised`` is the event time at which the rule could raise it (the rule's ``raised_at``
    where it records one, else the alert's start); ``published`` the event time the ingest had
    read to when it first handed the alert out.
    """

    alert: Alert
    raised: datetime
    published: datetime


@dataclass
class StreamResult:
    """What streaming the day did."""

    alerts: dict[str, RaisedAlert]
    ingest: IngestResult
    lines_sent: int
    feed_url: str
    wall_s: float
    source_events: list[str]


class TapClock:
    """The exercise's clock: the tag-block time of the latest line the ingest has read.

    The picture's history limits and the ingest's run record then follow the day being
    played, not the wall clock of the machine playing it.
    """

    def __init__(self, start: datetime) -> None:
        self._now_s = start.timestamp()

    def now(self) -> datetime:
        """Return the receive time of the latest line read."""
        return datetime.fromtimestamp(self._now_s, tz=UTC)

    def tap(self, lines: Iterable[RawLine]) -> Iterator[RawLine]:
        """Pass ``lines`` through, advancing the clock to each tag block's ``c:`` time."""
        for line in lines:
            k = line.text.find(",c:")
            if k > 0:
                stamp = line.text[k + 3 : k + 13]
                if stamp.isdigit():
                    self._now_s = max(self._now_s, float(stamp))
            yield line


def raised_time(alert: Alert) -> datetime:
    """Return when ``alert`` was raised in event time (``details['raised_at']`` or its start)."""
    value = alert.details.get("raised_at")
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return alert.start
    return alert.start


def stream_day(
    traffic: Traffic,
    store: Store,
    *,
    speedup: float = 0.0,
    on_progress: Callable[[IngestProgress, datetime], None] | None = None,
) -> StreamResult:
    """Play ``traffic`` over a loopback TCP socket into the ingest with the watch engine.

    Parameters
    ----------
    traffic:
        The day.
    store:
        The open store the ingest writes to.
    speedup:
        Event time per wall time; 0 plays as fast as the ingest takes it.
    on_progress:
        Called with the ingest's running figures and the feed's event time.
    """
    import time

    from littoral.ais.sources import SourceEvent, TcpSource
    from littoral.services.ingest import ingest
    from littoral.watch import Engine

    server = FeedServer(traffic.lines, traffic.line_time_s, speedup=speedup)
    clock = TapClock(traffic.start)
    alerts: dict[str, RaisedAlert] = {}

    def take(changed: list[Alert]) -> None:
        now = clock.now()
        for alert in changed:
            seen = alerts.get(alert.id)
            if seen is None:
                alerts[alert.id] = RaisedAlert(alert, raised_time(alert), now)
            else:
                seen.alert = alert

    def progress(p: IngestProgress) -> None:
        if on_progress is not None:
            on_progress(p, clock.now())

    events: list[str] = []

    def on_event(event: SourceEvent) -> None:
        events.append(f"{event.kind} {event.detail}".strip())

    started = time.monotonic()
    server.start()
    source = TcpSource(
        server.host,
        server.port,
        clock,
        name=server.url,
        backoff_initial_s=0.05,
        backoff_max_s=0.05,
        max_retries=0,
        on_event=on_event,
    )
    # the feed's end is expected: keep the source's reconnect messages off the terminal
    # (they are kept in source_events)
    source_log = logging.getLogger("littoral.ais.sources")
    level = source_log.level
    source_log.setLevel(logging.CRITICAL)
    try:
        with source:
            result = ingest(
                clock.tap(source),
                store,
                clock,
                sources=[server.url],
                live=True,
                watch=Engine(),
                on_alerts=take,
                on_progress=progress,
            )
    finally:
        source_log.setLevel(level)
        server.stop()
        server.join(5.0)
    return StreamResult(
        alerts=alerts,
        ingest=result,
        lines_sent=server.sent,
        feed_url=server.url,
        wall_s=time.monotonic() - started,
        source_events=events,
    )
