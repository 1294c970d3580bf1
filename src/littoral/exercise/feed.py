"""A one-client TCP server that plays the day's NMEA lines on loopback, faster than real time.

It stands in for an AIS receiver network's feed: the ingest connects to it as it would to any
``tcp://host:port`` source. The listening socket takes one connection and closes, so a client
that reconnects after the end finds nobody and stops. Lines are paced by their receive times
divided by ``speedup`` (0: as fast as the reader takes them); TCP flow control holds the
server back when the reader is slower.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError

_TICK_S = 0.02


class FeedServer:
    r"""Serve ``lines`` to the first client on ``host``, in a thread.

    Parameters
    ----------
    lines:
        NMEA lines in time order, without terminators (``\\r\\n`` is added).
    line_time_s:
        Receive time of each line, Unix seconds.
    speedup:
        Event time per wall time (e.g. 1000: an hour in 3.6 s); 0 sends as fast as possible.
    host:
        Address to listen on; loopback by default.
    accept_timeout_s:
        How long to wait for the client.
    """

    def __init__(
        self,
        lines: Sequence[str],
        line_time_s: npt.NDArray[np.float64],
        speedup: float = 0.0,
        host: str = "127.0.0.1",
        accept_timeout_s: float = 30.0,
    ) -> None:
        if speedup < 0 or not np.isfinite(speedup):
            raise InputError(f"speedup={speedup!r} must be >= 0 (0: as fast as possible)")
        if len(lines) != line_time_s.shape[0]:
            raise InputError("lines and line_time_s differ in length")
        self._lines = lines
        self.times = line_time_s
        self._speedup = speedup
        self._accept_timeout_s = accept_timeout_s
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(accept_timeout_s)
        self.host = host
        self.port: int = self._listener.getsockname()[1]
        self.sent = 0
        """Lines sent so far."""
        self.error: BaseException | None = None
        self.wall_s = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="exercise-feed", daemon=True)

    @property
    def url(self) -> str:
        """The source specification for the ingest: ``tcp://host:port``."""
        return f"tcp://{self.host}:{self.port}"

    def start(self) -> FeedServer:
        """Start serving in the background; return self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop sending and close (the client sees the connection end)."""
        self._stop.set()

    def join(self, timeout_s: float | None = None) -> None:
        """Wait for the server thread to finish."""
        self._thread.join(timeout_s)

    def _serve(self) -> None:
        try:
            conn, _ = self._listener.accept()
        except OSError as exc:
            self.error = exc
            self._listener.close()
            return
        self._listener.close()  # one client only: a reconnection finds nobody
        started = time.monotonic()
        try:
            with conn:
                self._send_all(conn, started)
                conn.shutdown(socket.SHUT_WR)
        except OSError as exc:
            self.error = exc
        finally:
            self.wall_s = time.monotonic() - started

    def _send_all(self, conn: socket.socket, started: float) -> None:
        n = len(self._lines)
        first = float(self.times[0]) if n else 0.0
        i = 0
        while i < n and not self._stop.is_set():
            if self._speedup > 0:
                virtual = first + (time.monotonic() - started) * self._speedup
                j = int(np.searchsorted(self.times, virtual, side="right"))
                if j <= i:
                    time.sleep(_TICK_S)
                    continue
                j = min(j, i + 20_000)
            else:
                j = min(n, i + 5_000)
            conn.sendall(("\r\n".join(self._lines[i:j]) + "\r\n").encode("ascii"))
            self.sent = j
            i = j
