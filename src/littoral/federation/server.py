"""A centre's NATS server: its configuration file, and running one on this machine.

:func:`server_config` writes the ``nats-server`` configuration of one centre: JetStream
with the centre's domain and a file store, a client port, a leaf-node port for the
centres that connect to it, and the leaf-node links it opens to others. TLS and the NATS
accounts of each state are added by the state's operators in an ``include`` file
(``docs/federation.md``): nothing secret is written here.

:class:`LocalServer` starts Debian's ``nats-server`` on loopback for a trial federation, the
tests and the benchmark, and can stop it, kill it (``SIGKILL``) and start it again on the same
ports and store.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from littoral.errors import InputError, LittoralError
from littoral.federation.names import check_centre


class ServerError(LittoralError):
    """``nats-server`` is missing, or did not start."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerPlan:
    """Where one centre's NATS server listens and which centres it links to.

    ``links`` are ``host:port`` leaf-node addresses of other centres' servers, opened by
    this one; ``advertise`` is the ``host:port`` other centres reach this server's leaf-node
    port at, where that is not ``host:leaf_port`` (a NAT, a relay): leaf nodes learn this
    address from the server and reconnect to it, so it must be the address the link runs
    through; ``include`` names a file (TLS, accounts) the configuration includes (relative
    to the configuration's folder, as ``nats-server`` reads it; see :func:`server_config`).
    """

    centre: str
    host: str = "127.0.0.1"
    client_port: int = 4222
    leaf_port: int = 7422
    monitor_port: int | None = None
    store_dir: Path
    links: tuple[str, ...] = ()
    advertise: str | None = None
    include: Path | None = None

    def __post_init__(self) -> None:
        check_centre(self.centre, "centre")
        for key in ("client_port", "leaf_port"):
            port = getattr(self, key)
            if not 0 < port < 65536:
                raise InputError(f"{key}={port!r} must be a TCP port (1-65535)")


def server_config(plan: ServerPlan, config_dir: Path | None = None) -> str:
    """Return the ``nats-server`` configuration text of ``plan``.

    ``nats-server`` reads an ``include`` relative to the folder of the configuration file,
    an absolute path too (it is joined to that folder). An absolute ``plan.include`` is
    therefore written relative to ``config_dir``, the folder the configuration is saved in.

    Raises
    ------
    InputError
        If ``plan.include`` is absolute and ``config_dir`` is not given.
    """
    include = plan.include
    if include is not None and include.is_absolute():
        if config_dir is None:
            raise InputError(
                f"include={str(include)!r}: nats-server reads an include relative to the "
                "folder of the configuration file; give the path from that folder"
            )
        include = Path(os.path.relpath(include, config_dir))
    remotes = ",\n    ".join(f'{{ url: "nats-leaf://{link}" }}' for link in plan.links)
    lines = [
        f"server_name: {plan.centre}",
        f"listen: {plan.host}:{plan.client_port}",
        "jetstream {",
        f'  store_dir: "{plan.store_dir}"',
        f"  domain: {plan.centre}",
        "}",
        "leafnodes {",
        f"  listen: {plan.host}:{plan.leaf_port}",
    ]
    if plan.advertise is not None:
        lines.append(f'  advertise: "{plan.advertise}"')
    if plan.links:
        lines += ["  remotes: [", f"    {remotes}", "  ]"]
    lines.append("}")
    if plan.monitor_port is not None:
        lines.append(f"http: {plan.host}:{plan.monitor_port}")
    if include is not None:
        lines.append(f'include "{include}"')
    return "\n".join(lines) + "\n"


def find_nats_server() -> Path:
    """Return the ``nats-server`` program (``PATH``, then ``/usr/sbin``); raise if absent."""
    found = shutil.which("nats-server") or shutil.which("nats-server", path="/usr/sbin:/usr/bin")
    if found is None:
        raise ServerError("nats-server is not installed (Debian: apt-get install nats-server)")
    return Path(found)


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port free on ``host`` now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_for_port(host: str, port: int, timeout_s: float) -> None:
    """Return once ``host:port`` accepts a connection; raise ``ServerError`` on time-out."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise ServerError(f"nothing listens on {host}:{port} after {timeout_s} s") from None
            time.sleep(0.05)


class LocalServer:
    """One centre's ``nats-server`` process on this machine."""

    def __init__(self, plan: ServerPlan, workdir: Path) -> None:
        self.plan = plan
        self.workdir = workdir
        self.config_path = workdir / f"{plan.centre}.conf"
        self.log_path = workdir / f"{plan.centre}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The client URL of the server."""
        return f"nats://{self.plan.host}:{self.plan.client_port}"

    @property
    def leaf_address(self) -> str:
        """``host:port`` of its leaf-node listener."""
        return f"{self.plan.host}:{self.plan.leaf_port}"

    def start(self, timeout_s: float = 10.0) -> None:
        """Write the configuration and start the server; return when it accepts clients."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(server_config(self.plan, self.workdir), encoding="utf-8")
        program = find_nats_server()
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 (our own program and file)
                [str(program), "-c", str(self.config_path)],
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        try:
            wait_for_port(self.plan.host, self.plan.client_port, timeout_s)
        except ServerError:
            self.stop()
            tail = self.log_path.read_text(errors="replace")[-2000:]
            message = f"nats-server of {self.plan.centre!r} did not start:\n{tail}"
            raise ServerError(message) from None

    def kill(self) -> None:
        """Kill the server with ``SIGKILL`` (no clean shutdown) and wait for it."""
        if self._process is not None:
            os.kill(self._process.pid, signal.SIGKILL)
            self._process.wait()
            self._process = None

    def stop(self) -> None:
        """Stop the server cleanly (``SIGTERM``) and wait for it."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self._process is not None and self._process.poll() is None
