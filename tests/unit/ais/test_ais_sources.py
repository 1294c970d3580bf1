"""Sources: files (plain, gzip, time order), streams, a real TCP feed and a UDP listener."""

from __future__ import annotations

import gzip
import io
import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from littoral.ais import Decoder
from littoral.ais.sources import (
    FileSource,
    MergedSource,
    SourceEvent,
    StreamSource,
    TcpSource,
    UdpSource,
    make_source,
    open_sources,
)
from littoral.clock import FixedClock
from littoral.errors import InputError

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
POS = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
TAGGED = [
    "\\c:1418172113*5E\\!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78",
    "\\c:1318172113*5F\\!AIVDM,1,1,,A,13F?Vv700;DJul5tvi88aDpb0<00,0*03",
]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


def test_plain_and_gzip_files(tmp_path: Path, clock: FixedClock) -> None:
    plain = tmp_path / "a.nmea"
    plain.write_text(f"{POS}\r\n{POS}\n")
    packed = tmp_path / "b.nmea.gz"
    with gzip.open(packed, "wt") as fh:
        fh.write(POS + "\n")
    with FileSource([plain, packed], clock, order_by_time=False) as source:
        lines = list(source)
    assert [line.text for line in lines] == [POS, POS, POS]
    assert [line.source for line in lines] == ["file:a.nmea", "file:a.nmea", "file:b.nmea.gz"]
    assert all(line.received == T0 for line in lines)


def test_files_are_read_in_time_order(tmp_path: Path, clock: FixedClock) -> None:
    late, early = tmp_path / "late.nmea", tmp_path / "early.nmea"
    late.write_text(TAGGED[0] + "\n")  # 2014
    early.write_text(TAGGED[1] + "\n")  # 2011
    source = FileSource([late, early], clock)
    assert source.paths == [early, late]
    assert [line.text for line in source] == [TAGGED[1], TAGGED[0]]


def test_missing_file_is_an_input_error(tmp_path: Path, clock: FixedClock) -> None:
    with pytest.raises(InputError, match=r"nope\.nmea"):
        FileSource([tmp_path / "nope.nmea"], clock)


def test_stream_source_stamps_with_the_clock(clock: FixedClock) -> None:
    source = StreamSource(clock, io.StringIO(f"{POS}\n\n"))
    lines = list(source)
    assert [line.text for line in lines] == [POS, ""]
    assert lines[0].source == "stdin"
    assert lines[0].received == T0


def test_make_source_forms(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "x.nmea"
    path.write_text(POS + "\n")
    assert isinstance(make_source(str(path), clock), FileSource)
    assert isinstance(make_source("-", clock), StreamSource)
    assert isinstance(make_source("tcp://127.0.0.1:9", clock), TcpSource)
    for bad in ("tcp://nohost", "udp://h:99999", "http://x:1"):
        with pytest.raises(InputError, match=r"source|port"):
            make_source(bad, clock)


class _Feed:
    """A real TCP server sending a few lines per connection, then closing it."""

    def __init__(self, lines: list[str], connections: int) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.lines = lines
        self.connections = connections
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        for _ in range(self.connections):
            conn, _ = self.server.accept()
            with conn:
                payload = "\r\n".join(self.lines) + "\r\n"
                # split mid-line to check the line buffer
                conn.sendall(payload[:20].encode())
                time.sleep(0.05)
                conn.sendall(payload[20:].encode())
        self.server.close()


def test_tcp_client_reads_reconnects_and_says_so(clock: FixedClock) -> None:
    feed = _Feed([POS, TAGGED[0]], connections=2)
    events: list[SourceEvent] = []
    source = TcpSource(
        "127.0.0.1",
        feed.port,
        clock,
        backoff_initial_s=0.05,
        backoff_max_s=0.1,
        max_retries=1,
        on_event=events.append,
    )
    with source:
        lines = list(source)
    assert [line.text for line in lines] == [POS, TAGGED[0], POS, TAGGED[0]]
    assert lines[0].source == f"tcp://127.0.0.1:{feed.port}"
    kinds = [e.kind for e in events]
    assert kinds.count("connected") == 2
    assert "disconnected" in kinds
    assert "retry" in kinds
    assert kinds[-1] == "closed"


def test_tcp_client_gives_up_after_max_retries(clock: FixedClock) -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    events: list[SourceEvent] = []
    source = TcpSource(
        "127.0.0.1", port, clock, backoff_initial_s=0.01, max_retries=2, on_event=events.append
    )
    assert list(source) == []
    kinds = [e.kind for e in events]
    assert kinds.count("error") == 3
    assert kinds.count("retry") == 2


def _send_udp(port: int, datagrams: list[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for data in datagrams:
            sock.sendto(data.encode(), ("127.0.0.1", port))


def _collect(source: UdpSource, count: int) -> Iterator[str]:
    for n, line in enumerate(source, start=1):
        yield line.text
        if n == count:
            source.close()


def test_udp_listener(clock: FixedClock) -> None:
    source = UdpSource("127.0.0.1", 0, clock)
    sender = threading.Timer(0.1, _send_udp, (source.port, [f"{POS}\r\n{POS}", TAGGED[0]]))
    sender.start()
    received = list(_collect(source, 3))
    assert received == [POS, POS, TAGGED[0]]


def test_udp_listener_enlarges_its_buffer(clock: FixedClock) -> None:
    source = UdpSource("127.0.0.1", 0, clock)
    small = UdpSource("127.0.0.1", 0, clock, rcvbuf_bytes=4096)
    try:
        assert source.rcvbuf_bytes > small.rcvbuf_bytes
    finally:
        for udp in (source, small):
            udp.close()
            assert list(udp) == []  # (an iteration after close releases the socket)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_RXQ_OVFL is Linux's")
def test_udp_kernel_drops_are_counted(clock: FixedClock) -> None:
    source = UdpSource("127.0.0.1", 0, clock, rcvbuf_bytes=4096)
    assert source.drops_counted
    sent = 2000
    _send_udp(source.port, [POS] * sent)  # a burst nobody reads yet: the buffer overflows
    # the count of drops so far comes with the next datagram queued after them
    later = threading.Timer(0.5, _send_udp, (source.port, [POS]))
    later.start()
    closer = threading.Timer(1.5, source.close)
    closer.start()
    received = sum(1 for _ in source)
    assert source.kernel_drops > 0
    # every datagram is either received or counted as dropped by the kernel
    assert received + source.kernel_drops == sent + 1


def test_merged_sources_feed_one_decoder(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "a.nmea"
    path.write_text(POS + "\n")
    udp = UdpSource("127.0.0.1", 0, clock, name="receiver-2")
    files = FileSource([path], clock, name="receiver-1")
    merged = MergedSource([files, udp])
    sender = threading.Timer(0.2, _send_udp, (udp.port, [POS]))
    sender.start()
    decoder = Decoder()
    got = []
    with merged:
        for line in merged:
            got.append(line)
            if len(got) == 2:
                break
    batch = decoder.decode_lines(got)
    assert sorted(p.source for p in batch.positions) == ["receiver-1", "receiver-2"]
    assert {p.mmsi for p in batch.positions} == {371798000}  # one vessel, two receivers


def test_open_sources_groups_files(tmp_path: Path, clock: FixedClock) -> None:
    a, b = tmp_path / "a.nmea", tmp_path / "b.nmea"
    a.write_text(POS + "\n")
    b.write_text(POS + "\n")
    source = open_sources([str(a), str(b)], clock)
    assert isinstance(source, FileSource)
    assert len(list(source)) == 2
    with pytest.raises(InputError, match="no AIS source"):
        open_sources([], clock)


def test_file_chunks_match_iteration(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "a.nmea"
    path.write_text("\n".join([POS] * 7) + "\n")
    source = FileSource([path], clock)
    chunks = list(source.chunks(3))
    assert [len(texts) for texts, _, _ in chunks] == [3, 3, 1]
    assert all(name == "file:a.nmea" and when == T0 for _, name, when in chunks)
    decoder = Decoder()
    for texts, name, when in chunks:
        decoder.decode_texts(texts, name, when)
    assert decoder.stats.positions == 7
    # a first chunk of its own size (a decode worker's, so the ingest starts sooner)
    firsts = [len(texts) for texts, _, _ in FileSource([path], clock).chunks(3, first=1)]
    assert firsts == [1, 3, 3]
    with pytest.raises(InputError, match="first=0"):
        list(FileSource([path], clock).chunks(3, first=0))


def test_naive_receive_times_are_refused() -> None:
    from littoral.ais import RawLine

    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(InputError, match="naive"):
        Decoder().decode_lines([RawLine(POS, "s", naive)])
    with pytest.raises(InputError, match="naive"):
        Decoder().decode_texts([POS], "s", naive)
