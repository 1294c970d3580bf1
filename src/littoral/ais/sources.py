"""Where AIS lines come from: files (plain or gzip), stdin, a TCP feed, a UDP listener.

Every source is a named, iterable context manager of :class:`~littoral.ais.records.RawLine`
stamped with the source's name and the receive time from the clock passed in. Several sources
run together through :func:`open_sources`: files are read one after the other in time order,
live sources each in a thread feeding one queue, so lines of a vessel seen by two receivers
reach one decoder (and one picture).

TCP clients reconnect with exponential backoff and say so: through the ``littoral.ais.sources``
logger and an optional ``on_event`` callback receiving :class:`SourceEvent`.

A UDP listener asks the kernel for a large receive buffer (:data:`UDP_RCVBUF_BYTES`; Linux
caps it at ``net.core.rmem_max`` unless the process may force it) so that bursts are not
lost, and counts the datagrams the kernel still dropped for want of room: on Linux the
``SO_RXQ_OVFL`` socket option (``socket(7)``) puts the socket's running drop count on every
datagram received; :attr:`UdpSource.kernel_drops` holds the latest.
"""

from __future__ import annotations

import gzip
import logging
import queue
import socket
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import IO, Protocol, Self

from littoral.ais.records import RawLine
from littoral.ais.tagblock import unix_time
from littoral.clock import Clock
from littoral.errors import DecodeError, InputError

log = logging.getLogger("littoral.ais.sources")

_STAMP_EVERY = 4096  # lines of a file read between two readings of the clock
_SOCKET_POLL_S = 0.5

UDP_RCVBUF_BYTES = 16 * 1024 * 1024
"""Receive buffer a UDP listener asks for: some seconds of a busy aggregator feed."""
_SO_RXQ_OVFL = getattr(socket, "SO_RXQ_OVFL", 40)  # Linux, include/uapi/asm-generic/socket.h
_SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)


@dataclass(frozen=True, slots=True)
class SourceEvent:
    """Something a live source reports.

    ``kind`` is ``connected``, ``disconnected``, ``retry``, ``error`` or ``closed``.
    """

    kind: str
    source: str
    detail: str = ""


EventCallback = Callable[[SourceEvent], None]


class Source(Protocol):
    """A named iterable of raw lines that is also a context manager."""

    name: str

    def __iter__(self) -> Iterator[RawLine]:
        """Yield lines until the source ends (or forever for a live feed)."""
        ...

    def close(self) -> None:
        """Stop the source; a running iteration ends soon after."""
        ...

    def __enter__(self) -> Self:
        """Return the source."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the source."""
        ...


class _Base:
    name: str

    def __init__(self, name: str, on_event: EventCallback | None = None) -> None:
        self.name = name
        self._closed = threading.Event()
        self._on_event = on_event

    def _event(self, kind: str, detail: str = "", level: int = logging.INFO) -> None:
        log.log(level, "%s: %s %s", self.name, kind, detail)
        if self._on_event is not None:
            self._on_event(SourceEvent(kind, self.name, detail))

    def close(self) -> None:
        """Stop the source; a running iteration ends soon after."""
        self._closed.set()

    @property
    def kernel_drops(self) -> int:
        """Datagrams the kernel dropped before this source could read them (UDP only)."""
        return 0

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed.is_set()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="latin-1", newline="")
    return path.open("r", encoding="latin-1", newline="")


def first_time(path: Path, max_lines: int = 200) -> float | None:
    """Return the first tag-block ``c:`` or USCG trailing time of a file (Unix s), or None."""
    try:
        with _open_text(path) as fh:
            for i, line in enumerate(fh):
                if i >= max_lines:
                    break
                stamp = _line_time(line.strip())
                if stamp is not None:
                    return stamp
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    return None


def _line_time(line: str) -> float | None:
    try:
        if line.startswith("\\"):
            for item in line[1 : line.find("\\", 1)].split("*")[0].split(","):
                if item.startswith("c:"):
                    return unix_time(item[2:]).timestamp()
        star = line.rfind("*")
        if star >= 0:
            for item in line[star + 3 :].split(","):
                if len(item) >= 9 and item.isdigit():
                    return unix_time(item).timestamp()
    except DecodeError:
        return None
    return None


class FileSource(_Base):
    """Lines of one or more files, plain or gzip (``.gz``), read in time order.

    Files are ordered by the first time they carry (tag block ``c:`` or USCG trailing time);
    files without one keep the order given, ahead of the dated ones. Each line is named
    ``file:<file name>`` unless ``name`` is given, and stamped with the clock at read time
    (a file's lines usually carry their own time, which the decoder prefers).

    Raises
    ------
    InputError
        If a file does not exist.
    """

    def __init__(
        self,
        paths: Sequence[str | Path],
        clock: Clock,
        *,
        name: str | None = None,
        order_by_time: bool = True,
    ) -> None:
        files = [Path(p) for p in paths]
        for f in files:
            if not f.is_file():
                raise InputError(f"AIS file {str(f)!r} does not exist")
        if order_by_time and len(files) > 1:
            times = [first_time(f) for f in files]
            order = sorted(
                range(len(files)),
                key=lambda i: (times[i] is not None, times[i] or 0.0, i),
            )
            files = [files[i] for i in order]
        super().__init__(name or ",".join(f"file:{f.name}" for f in files))
        self.paths = files
        self._fixed_name = name
        self._clock = clock

    def __iter__(self) -> Iterator[RawLine]:
        clock = self._clock
        for path in self.paths:
            name = self._fixed_name or f"file:{path.name}"
            with _open_text(path) as fh:
                stamp = clock.now()
                count = 0
                for line in fh:
                    if self._closed.is_set():
                        return
                    count += 1
                    if count == _STAMP_EVERY:
                        stamp = clock.now()
                        count = 0
                    yield RawLine(line.rstrip("\r\n"), name, stamp)

    def chunks(
        self, size: int = 5000, first: int | None = None
    ) -> Iterator[tuple[list[str], str, datetime]]:
        """Yield ``(texts, source name, read time)`` of up to ``size`` lines at a time.

        For :meth:`~littoral.ais.decoder.Decoder.decode_texts`: the same lines as iterating
        the source, without a :class:`RawLine` per line. ``first``: the first chunk's size,
        when it is to be other than ``size`` (a small one gets the work started sooner).
        """
        if size < 1:
            raise InputError(f"size={size!r} must be >= 1")
        if first is not None and first < 1:
            raise InputError(f"first={first!r} must be >= 1")
        take = size if first is None else first
        for path in self.paths:
            name = self._fixed_name or f"file:{path.name}"
            with _open_text(path) as fh:
                while not self._closed.is_set():
                    texts = [line.rstrip("\r\n") for line in islice(fh, take)]
                    if not texts:
                        break
                    take = size
                    yield texts, name, self._clock.now()


class StreamSource(_Base):
    """Lines of an open text stream, stdin by default (``-`` on the command line)."""

    def __init__(self, clock: Clock, stream: IO[str] | None = None, *, name: str = "stdin") -> None:
        super().__init__(name)
        self._clock = clock
        self._stream = stream

    def __iter__(self) -> Iterator[RawLine]:
        stream = self._stream if self._stream is not None else sys.stdin
        clock = self._clock
        name = self.name
        for line in stream:
            if self._closed.is_set():
                return
            yield RawLine(line.rstrip("\r\n"), name, clock.now())


def _split_host_port(spec: str, scheme: str) -> tuple[str, int]:
    rest = spec[len(scheme) + 3 :]
    host, sep, port = rest.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise InputError(f"source {spec!r} must be {scheme}://host:port")
    number = int(port)
    if not 0 <= number <= 65535:
        raise InputError(f"port {number} of source {spec!r} must be 0-65535")
    return host.strip("[]"), number


class TcpSource(_Base):
    """A TCP client to an AIS feed (``tcp://host:port``), reconnecting with backoff.

    After a failed connection or a lost one it waits ``backoff_initial_s``, doubling up to
    ``backoff_max_s``, and reconnects; the wait goes back to the start after a connection
    that delivered data. ``max_retries`` (None: forever) bounds the attempts in a row.
    """

    def __init__(
        self,
        host: str,
        port: int,
        clock: Clock,
        *,
        name: str | None = None,
        connect_timeout_s: float = 10.0,
        backoff_initial_s: float = 1.0,
        backoff_max_s: float = 60.0,
        max_retries: int | None = None,
        on_event: EventCallback | None = None,
    ) -> None:
        if backoff_initial_s <= 0 or backoff_max_s < backoff_initial_s:
            raise InputError(
                f"backoff_initial_s={backoff_initial_s!r} must be > 0 and "
                f"<= backoff_max_s={backoff_max_s!r}"
            )
        super().__init__(name or f"tcp://{host}:{port}", on_event)
        self.host = host
        self.port = port
        self._clock = clock
        self._connect_timeout_s = connect_timeout_s
        self._backoff_initial_s = backoff_initial_s
        self._backoff_max_s = backoff_max_s
        self._max_retries = max_retries

    def __iter__(self) -> Iterator[RawLine]:
        delay = self._backoff_initial_s
        failures = 0
        while not self._closed.is_set():
            got_data = False
            try:
                with socket.create_connection(
                    (self.host, self.port), timeout=self._connect_timeout_s
                ) as sock:
                    self._event("connected", f"{self.host}:{self.port}")
                    sock.settimeout(_SOCKET_POLL_S)
                    for line in self._lines(sock):
                        got_data = True
                        yield line
                if self._closed.is_set():
                    break
                self._event("disconnected", "connection closed by peer", logging.WARNING)
            except OSError as exc:
                self._event("error", str(exc), logging.WARNING)
            if got_data:
                delay = self._backoff_initial_s
                failures = 0
            else:
                failures += 1
            if self._max_retries is not None and failures > self._max_retries:
                self._event("closed", f"gave up after {failures} failed attempts", logging.ERROR)
                return
            if self._closed.is_set():
                break
            self._event("retry", f"reconnecting in {delay:g} s", logging.WARNING)
            if self._closed.wait(delay):
                break
            delay = min(delay * 2.0, self._backoff_max_s)
        self._event("closed")

    def _lines(self, sock: socket.socket) -> Iterator[RawLine]:
        buffer = b""
        name = self.name
        clock = self._clock
        while not self._closed.is_set():
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                return
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            now = clock.now()
            for raw in complete:
                yield RawLine(raw.decode("latin-1").rstrip("\r"), name, now)


class UdpSource(_Base):
    """A UDP listener (``udp://0.0.0.0:port``); a datagram may hold several lines.

    The socket is bound when the source is made; :attr:`port` is the bound port (useful
    with port 0). ``rcvbuf_bytes`` is the receive buffer asked for; :attr:`rcvbuf_bytes`
    the one the kernel gave (Linux reports twice the usable size). :attr:`kernel_drops`
    counts the datagrams the kernel dropped because that buffer was full, where the kernel
    tells (Linux); :attr:`drops_counted` says whether it does.
    """

    def __init__(
        self,
        host: str,
        port: int,
        clock: Clock,
        *,
        name: str | None = None,
        rcvbuf_bytes: int = UDP_RCVBUF_BYTES,
    ) -> None:
        super().__init__(name or f"udp://{host}:{port}")
        if rcvbuf_bytes <= 0:
            raise InputError(f"rcvbuf_bytes={rcvbuf_bytes!r} must be > 0")
        self._clock = clock
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self._sock.bind((host, port))
        except OSError as exc:
            self._sock.close()
            raise InputError(f"cannot listen on udp://{host}:{port}: {exc}") from exc
        self._sock.settimeout(_SOCKET_POLL_S)
        self.port: int = self._sock.getsockname()[1]
        self.rcvbuf_bytes = self._set_rcvbuf(rcvbuf_bytes)
        try:
            self._sock.setsockopt(socket.SOL_SOCKET, _SO_RXQ_OVFL, 1)
            self.drops_counted = True
        except OSError:  # not Linux: drops cannot be counted
            self.drops_counted = False
        self._drops = 0

    def _set_rcvbuf(self, size: int) -> int:
        sock = self._sock
        for option in (_SO_RCVBUFFORCE, socket.SO_RCVBUF):  # forcing needs CAP_NET_ADMIN
            try:
                sock.setsockopt(socket.SOL_SOCKET, option, size)
                break
            except OSError:
                continue
        return int(sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))

    @property
    def kernel_drops(self) -> int:
        """Datagrams dropped by the kernel for want of buffer since the socket opened."""
        return self._drops

    def __iter__(self) -> Iterator[RawLine]:
        name = self.name
        clock = self._clock
        sock = self._sock
        space = socket.CMSG_SPACE(4)
        level, kind = socket.SOL_SOCKET, _SO_RXQ_OVFL
        try:
            while not self._closed.is_set():
                try:
                    data, ancillary, _, _ = sock.recvmsg(65536, space)
                except TimeoutError:
                    continue
                except OSError:
                    return
                for cmsg_level, cmsg_type, cmsg_data in ancillary:
                    if cmsg_level == level and cmsg_type == kind and len(cmsg_data) >= 4:
                        self._drops = int.from_bytes(cmsg_data[:4], sys.byteorder)
                now = clock.now()
                for raw in data.split(b"\n"):
                    text = raw.decode("latin-1").rstrip("\r")
                    if text:
                        yield RawLine(text, name, now)
        finally:
            self._sock.close()

    def close(self) -> None:
        """Stop listening."""
        super().close()


_END = object()


class MergedSource(_Base):
    """Several sources read together: each in its own thread, one queue, one iteration.

    Iteration ends when every source has ended. Closing it closes every source.
    """

    def __init__(self, sources: Sequence[Source], *, queue_size: int = 10_000) -> None:
        super().__init__("+".join(s.name for s in sources))
        self.sources = list(sources)
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_size)
        self._threads: list[threading.Thread] = []

    @property
    def kernel_drops(self) -> int:
        """Datagrams the kernel dropped, summed over the sources."""
        return sum(int(getattr(s, "kernel_drops", 0)) for s in self.sources)

    def _pump(self, source: Source) -> None:
        try:
            for line in source:
                while not self._closed.is_set():
                    try:
                        self._queue.put(line, timeout=_SOCKET_POLL_S)
                        break
                    except queue.Full:
                        continue
                if self._closed.is_set():
                    break
        except Exception as exc:  # a source failing must not take the others down
            self._event("error", f"{source.name}: {exc}", logging.ERROR)
        finally:
            self._queue.put(_END)

    def __iter__(self) -> Iterator[RawLine]:
        for source in self.sources:
            thread = threading.Thread(target=self._pump, args=(source,), daemon=True)
            thread.start()
            self._threads.append(thread)
        running = len(self.sources)
        while running:
            item = self._queue.get()
            if item is _END:
                running -= 1
                continue
            assert isinstance(item, RawLine)
            yield item

    def close(self) -> None:
        """Close every source and stop the threads."""
        super().close()
        for source in self.sources:
            source.close()
        for thread in self._threads:
            thread.join(timeout=2.0)


def make_source(spec: str, clock: Clock, *, on_event: EventCallback | None = None) -> Source:
    """Make one source from its command-line form.

    ``-`` is stdin, ``tcp://host:port`` a TCP client, ``udp://host:port`` a UDP listener,
    anything else a file path (plain or ``.gz``).

    Raises
    ------
    InputError
        If the form is not understood, the file does not exist or the port cannot be bound.
    """
    if spec == "-":
        return StreamSource(clock)
    if spec.startswith("tcp://"):
        host, port = _split_host_port(spec, "tcp")
        return TcpSource(host, port, clock, on_event=on_event)
    if spec.startswith("udp://"):
        host, port = _split_host_port(spec, "udp")
        return UdpSource(host, port, clock)
    if "://" in spec:
        raise InputError(f"source {spec!r}: use a file path, -, tcp://host:port or udp://host:port")
    return FileSource([spec], clock)


def open_sources(
    specs: Iterable[str], clock: Clock, *, on_event: EventCallback | None = None
) -> Source:
    """Open several sources as one.

    All files become one time-ordered :class:`FileSource`; each live source (stdin, TCP,
    UDP) runs in a thread of a :class:`MergedSource`.

    Raises
    ------
    InputError
        If ``specs`` is empty or one of them is bad (see :func:`make_source`).
    """
    specs = list(specs)
    if not specs:
        raise InputError("no AIS source given")
    files = [s for s in specs if s != "-" and "://" not in s]
    live = [make_source(s, clock, on_event=on_event) for s in specs if s not in files]
    sources: list[Source] = []
    if files:
        sources.append(FileSource(files, clock))
    sources.extend(live)
    if len(sources) == 1:
        return sources[0]
    return MergedSource(sources)
