"""A federation on loopback: one real nats-server per centre, linked by leaf nodes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyais
import pytest

from littoral.ais import RawLine
from littoral.clock import FixedClock
from littoral.exercise.nmea import tag_block
from littoral.federation.jetstream import JetStreamTransport, NatsSettings
from littoral.federation.policy import SharePolicy
from littoral.federation.server import LocalServer, ServerPlan, free_port
from littoral.services.federation import Centre
from littoral.services.federation_run import RunFigures, run_centre
from littoral.store import open_store
from littoral.watch import Engine

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def _have_nats() -> bool:
    return shutil.which("nats-server", path=os.environ.get("PATH", "") + ":/usr/sbin") is not None


@pytest.fixture(autouse=True)
def _need_nats_server() -> None:
    if not _have_nats():
        if os.environ.get("LITTORAL_REQUIRE_NATS"):
            pytest.fail("nats-server is not installed; .ci/run installs it (apt nats-server)")
        pytest.skip("nats-server is not installed here (Debian package nats-server)")


def position_lines(mmsi: int, station: str, start_s: int, count: int, step_s: int = 10,
                   lon: float = 50.0, lat: float = 40.0) -> list[str]:  # fmt: skip
    """Type 1 reports of one vessel moving east, one every ``step_s``, tag-blocked."""
    lines = []
    for i in range(count):
        payload = {"msg_type": 1, "mmsi": mmsi, "lon": lon + 0.001 * i, "lat": lat,
                   "speed": 10.0, "course": 90.0, "heading": 90, "status": 0}  # fmt: skip
        (sentence,) = pyais.encode_dict(payload, talker_id="AI")
        lines.append(tag_block(station, start_s + i * step_s) + sentence)
    return lines


def static_lines(mmsi: int, station: str, time_s: int, ship_type: int, name: str) -> list[str]:
    """A type 5 report (two sentences) of one vessel, tag-blocked."""
    payload = {"msg_type": 5, "mmsi": mmsi, "shipname": name, "ship_type": ship_type,
               "callsign": "TEST", "ais_version": 0}  # fmt: skip
    sentences = pyais.encode_dict(payload, talker_id="AI")
    return [tag_block(station, time_s) + s for s in sentences]


def raw(lines: list[str], source: str) -> list[RawLine]:
    return [RawLine(text, source, T0) for text in lines]


@dataclass
class Fed:
    """Servers, centres and their figures, by name."""

    workdir: Path
    servers: dict[str, LocalServer] = field(default_factory=dict)
    centres: dict[str, Centre] = field(default_factory=dict)
    figures: dict[str, RunFigures] = field(default_factory=dict)

    def settings(self, name: str) -> NatsSettings:
        peers = tuple(n for n in self.servers if n != name)
        return NatsSettings(centre=name, url=self.servers[name].url, peers=peers)


def start_servers(
    workdir: Path, names: list[str], hub: str, proxies: dict[str, LinkProxy] | None = None
) -> dict[str, LocalServer]:
    """One server per centre; every other centre opens a leaf-node link to ``hub``.

    A centre named in ``proxies`` gets its link through a :class:`LinkProxy`, added there.
    """
    ports = {n: (free_port(), free_port()) for n in names}
    servers = {}
    hub_leaf = f"127.0.0.1:{ports[hub][1]}"
    links = {n: hub_leaf for n in names if n != hub}
    for n in proxies or {}:
        proxies[n] = LinkProxy(ports[hub][1])  # type: ignore[index]
        links[n] = f"127.0.0.1:{proxies[n].port}"  # type: ignore[index]
    # the hub advertises the relayed address, or a cut centre reconnects straight to the hub
    # port it learnt from the hub, round the relay
    advertise = next((links[n] for n in proxies or {}), None)
    for n in [hub, *(m for m in names if m != hub)]:
        plan = ServerPlan(centre=n, client_port=ports[n][0], leaf_port=ports[n][1],
                          store_dir=workdir / "js" / n, links=(links[n],) if n in links else (),
                          advertise=advertise if n == hub else None)  # fmt: skip
        servers[n] = LocalServer(plan, workdir / "nats")
        servers[n].start()
    return servers


def add_server(fed: Fed, name: str, hub: str) -> LocalServer:
    """Start one more centre's server, with its leaf-node link to ``hub`` (runbook step 3)."""
    link = f"127.0.0.1:{fed.servers[hub].plan.leaf_port}"
    plan = ServerPlan(centre=name, client_port=free_port(), leaf_port=free_port(),
                      store_dir=fed.workdir / "js" / name, links=(link,))  # fmt: skip
    server = LocalServer(plan, fed.workdir / "nats")
    server.start()
    fed.servers[name] = server
    return server


@pytest.fixture
def fed(tmp_path: Path) -> Iterator[Fed]:
    f = Fed(workdir=tmp_path)
    yield f
    for server in f.servers.values():
        server.stop()


def make_centre(
    fed: Fed, name: str, policy: SharePolicy | None = None, *, watch: bool = False
) -> Centre:
    store = open_store(f"sqlite:///{fed.workdir / (name + '.db')}")
    engine = Engine() if watch else None
    centre = Centre(name, store, FixedClock(T0), policy=policy, watch=engine)  # type: ignore[arg-type]
    fed.centres[name] = centre
    return centre


async def run_all(fed: Fed, feeds: dict[str, list[RawLine]], until: object,
                  timeout_s: float = 20.0) -> None:  # fmt: skip
    """Run every centre until ``until()`` is true (checked every 0.1 s) or time runs out."""
    stop = asyncio.Event()
    runs = []
    for name, centre in fed.centres.items():
        transport = JetStreamTransport(fed.settings(name))
        figures = fed.figures.setdefault(name, RunFigures())
        runs.append(asyncio.create_task(
            run_centre(centre, transport, feeds.get(name), stop, figures=figures)))  # fmt: skip
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    try:
        while loop.time() < deadline and not until():  # type: ignore[operator]
            if any(r.done() for r in runs):
                break
            await asyncio.sleep(0.1)
    finally:
        stop.set()
        done, stuck = await asyncio.wait(runs, timeout=60)
        assert not stuck, f"{len(stuck)} centres did not stop within 60 s"
        for run in done:
            run.result()  # a centre's error, raised here


class LinkProxy:
    """A TCP relay standing for the link between two centres, which can be cut and restored.

    Cutting closes every relayed connection and stops listening, as a failed line does;
    restoring listens again on the same port.
    """

    def __init__(self, target_port: int) -> None:
        self.port = free_port()
        self.target_port = target_port
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            self._listener.close()
            self._listener = None
        with self._lock:
            conns, self._conns = self._conns, []
        for s in conns:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()


def paced(
    lines: list[RawLine], per_s: float, gate: threading.Event | None = None
) -> Iterator[RawLine]:
    """Yield ``lines`` at about ``per_s`` lines a second (a live feed).

    With ``gate``, the second half waits until it is set (what happens during an outage).
    """
    start = time.monotonic()
    for i, line in enumerate(lines):
        if gate is not None and i == len(lines) // 2 and not gate.is_set():
            gate.wait()
            start = time.monotonic() - i / per_s
        ahead = start + i / per_s - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
        yield line


@contextlib.asynccontextmanager
async def running(fed: Fed, feeds: dict[str, Iterable[RawLine]]) -> AsyncIterator[None]:
    """Run every centre inside the block; stop them all at its end."""
    stop = asyncio.Event()
    runs = []
    for name, centre in fed.centres.items():
        transport = JetStreamTransport(fed.settings(name))
        figures = fed.figures.setdefault(name, RunFigures())
        runs.append(asyncio.create_task(
            run_centre(centre, transport, feeds.get(name), stop, figures=figures)))  # fmt: skip
    try:
        yield
    finally:
        stop.set()
        done, stuck = await asyncio.wait(runs, timeout=60)
        assert not stuck, f"{len(stuck)} centres did not stop within 60 s"
        for run in done:
            run.result()  # a centre's error, raised here


async def wait_until(check: Callable[[], bool], timeout_s: float) -> bool:
    """Return once ``check()`` is true (``True``) or after ``timeout_s`` (``False``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while loop.time() < deadline:
        if check():
            return True
        await asyncio.sleep(0.05)
    return check()
