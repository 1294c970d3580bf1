"""The ingest pipeline end to end: lines -> decoder -> picture -> store (+ watch hook)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from littoral.ais import RawLine
from littoral.clock import FixedClock
from littoral.records import PositionReport
from littoral.records.alerts import Alert, Priority
from littoral.services.ingest import Ingest, ingest
from littoral.store import open_store
from littoral.tracks.picture import Report

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)
# real sentences (gpsd's sample.aivdm): type 1 of 371798000, type 1 of 440348000, type 5
TYPE1 = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
TYPE1_B = "!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42"
TYPE5 = (
    "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
    "!AIVDM,2,2,1,A,88888888880,2*25",
)


def _checksum(body: str) -> str:
    value = 0
    for char in body:
        value ^= ord(char)
    return f"{value:02X}"


def tagged(sentence: str, unix_s: int) -> str:
    """Put an NMEA 4.10 tag block with receive time ``c:`` in front of a sentence."""
    body = f"c:{unix_s}"
    return f"\\{body}*{_checksum(body)}\\{sentence}"


def _lines(texts: Sequence[str], source: str = "test") -> list[RawLine]:
    return [RawLine(t, source, T0) for t in texts]


def _day(n: int) -> list[str]:
    start = int(T0.timestamp())
    out = []
    for i in range(n):
        out.append(tagged(TYPE1 if i % 2 else TYPE1_B, start + i))
    return out


def test_ingest_stores_positions_vessels_quarantine_and_statistics(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    texts = [*_day(100), *TYPE5, "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B", "hello"]
    with open_store(url) as store:
        result = ingest(_lines(texts), store, FixedClock(T0), sources=["test"])
        assert result.positions_stored == 100
        assert store.positions.count() == 100
        assert store.vessels.count() == 3
        named = store.vessels.get(351759000)
        assert named.name == "EVER DIADEM"
        assert store.quarantine.count_by_reason() == {"checksum": 1, "not_nmea": 1}
        run = store.ingest_runs.recent()[0]
        assert (run.lines, run.messages, run.rejects, run.sources) == (104, 101, 2, ("test",))
        assert run.counts["type_1"] == 100
        track = store.positions.track(371798000)
        assert len(track) == 50
        assert track[0].time == T0 + timedelta(seconds=1)
        # the same lines again: nothing new, and the picture carries on from the store
        again = ingest(_lines(texts), store, FixedClock(T0))
        assert again.positions_stored == 0
        assert store.positions.count() == 100
        assert sum(store.quarantine.count_by_reason().values()) == 2
        assert store.vessels.get(371798000).first_seen == T0 + timedelta(seconds=1)


def test_batches_are_flushed_by_time(tmp_path: Path) -> None:
    with open_store(tmp_path / "b.sqlite") as store:
        job = Ingest(store, FixedClock(T0), flush_interval_s=1e-9, chunk_lines=10)
        result = job.run(_lines(_day(95)))
        assert result.batches >= 10
        assert store.positions.count() == 95


class SartWatch:
    """A minimal watch engine: an alert for a vessel reporting AIS-SART active (status 14)."""

    def __init__(self) -> None:
        self.seen: list[datetime] = []
        self.finished: datetime | None = None

    def process(self, records: Sequence[Report]) -> list[Alert]:
        self.seen.extend(r.time for r in records)
        return [
            Alert(id=f"sart-{r.mmsi}", rule="sart", priority=Priority.CRITICAL,
                  mmsis=(r.mmsi,), start=r.time, lon=r.lon, lat=r.lat, reason="SART")
            for r in records
            if isinstance(r, PositionReport) and r.mmsi == 371798000
        ]  # fmt: skip

    def finish(self, time: datetime) -> list[Alert]:
        self.finished = time
        return []


def test_watch_hook_gets_records_in_time_order_and_alerts_are_stored(tmp_path: Path) -> None:
    watch = SartWatch()
    printed: list[Alert] = []
    texts = list(reversed(_day(20)))  # newest first: the hook must still see time order
    with open_store(tmp_path / "w.sqlite") as store:
        result = ingest(_lines(texts), store, FixedClock(T0), watch=watch, on_alerts=printed.extend)
        assert watch.seen == sorted(watch.seen)
        assert len(watch.seen) == 20
        assert watch.finished == T0 + timedelta(seconds=19)
        assert [a.id for a in printed] == ["sart-371798000"]
        assert result.alerts == 1
        assert store.alerts.get("sart-371798000").alert.priority is Priority.CRITICAL


def test_bad_parameters_are_refused(tmp_path: Path) -> None:
    with open_store(tmp_path / "c.sqlite") as store:
        with pytest.raises(ValueError, match="flush_interval_s=0"):
            Ingest(store, FixedClock(T0), flush_interval_s=0)
        with pytest.raises(ValueError, match="chunk_lines=0"):
            Ingest(store, FixedClock(T0), chunk_lines=0)


def test_live_source_is_flushed_while_quiet(tmp_path: Path) -> None:
    import threading

    gate = threading.Event()

    def feed():  # two lines, then a pause the ingest must not wait out before flushing
        yield from _lines(_day(2))
        gate.wait(5)
        yield from _lines(["!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"])

    with open_store(tmp_path / "l.sqlite") as store:
        job = Ingest(store, FixedClock(T0), flush_interval_s=0.05, chunk_lines=100)

        flushed_while_quiet: list[bool] = []

        def check() -> None:
            deadline = datetime.now(UTC) + timedelta(seconds=3)
            while datetime.now(UTC) < deadline and store.positions.count() < 2:
                threading.Event().wait(0.02)
            flushed_while_quiet.append(store.positions.count() == 2)
            gate.set()

        watcher = threading.Thread(target=check)
        watcher.start()
        job.run(feed(), live=True)
        watcher.join()
        assert flushed_while_quiet == [True]
        assert store.positions.count() == 3


def test_a_message_from_the_far_future_does_not_age_the_picture(tmp_path: Path) -> None:
    start = int(T0.timestamp())
    texts = [tagged(TYPE1, start), tagged(TYPE1_B, start + 10 * 365 * 86400)]
    with open_store(tmp_path / "f.sqlite") as store:
        job = Ingest(store, FixedClock(T0))
        result = job.run(_lines(texts))
        assert result.latest == T0
        assert len(job.picture.get(371798000).history) == 1


def test_the_collector_thresholds_come_back_after_an_ingest(tmp_path: Path) -> None:
    """An ingest runs the cyclic collector less often, and gives its thresholds back after,
    also when the ingest fails; the picture it built is freed before that."""
    import gc

    before = gc.get_threshold()
    clock = FixedClock(T0)
    with open_store(tmp_path / "s.sqlite") as store:
        ingest(_lines(_day(50)), store, clock)
        assert gc.get_threshold() == before

        def broken() -> Iterator[RawLine]:
            yield from _lines(_day(3))
            raise OSError("the feed broke")

        with pytest.raises(OSError, match="the feed broke"):
            ingest(broken(), store, clock)
        assert gc.get_threshold() == before
