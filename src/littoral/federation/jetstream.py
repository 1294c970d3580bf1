"""The federation transport on NATS JetStream (``nats-server -js``, client ``nats-py``).

Each centre's NATS server runs JetStream in a domain named after the centre; the servers are
joined by leaf-node links (``docs/federation.md``). A centre publishes to its own stream,
``LITTORAL_<CENTRE>`` (subjects ``littoral.<centre>.<kind>``, file storage, a
de-duplication window on the ``Nats-Msg-Id`` header), and its server *sources* every other
centre's stream into one stream of its own, ``LITTORAL_<CENTRE>_IN``, through the JetStream
API of the other domain (``$JS.<domain>.API``). Sourcing is done by the servers: while a
link is down each side keeps publishing to its own stream, and when the link is back the
server pulls the backlog from where it stopped, in the order it was published. The centre
reads its ``_IN`` stream with one durable pull consumer (``littoral``), acknowledging each
message once its effect is stored.

Reference: NATS documentation, "JetStream", "Leaf Nodes", "Stream sources" and "Message
de-duplication" (docs.nats.io).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from littoral.errors import InputError, LittoralError
from littoral.federation.names import check_centre
from littoral.federation.transport import Incoming, Kind, Outgoing, Published

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg
    from nats.js import JetStreamContext

DURABLE = "littoral"
"""The name of each centre's durable consumer of its ``_IN`` stream."""


class TransportError(LittoralError):
    """The NATS server refused or could not be reached in time."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NatsSettings:
    """How a centre reaches its own NATS server, and the other centres' JetStream domains.

    Credentials and certificates are files named here (from the centre's TOML file), never
    written in code: ``creds`` a NATS credentials file (``nsc``), or ``user`` with
    ``password_file``; ``tls_ca`` to verify the server, with ``tls_cert`` and ``tls_key``
    for a client certificate.
    """

    centre: str
    url: str
    peers: tuple[str, ...]
    duplicate_window_s: float = 120.0
    max_age_s: float = 30 * 86400.0
    creds: Path | None = None
    user: str | None = None
    password_file: Path | None = None
    tls_ca: Path | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    domains: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_centre(self.centre, "centre")
        for peer in self.peers:
            check_centre(peer, "peers")
        if self.centre in self.peers:
            raise InputError(f"peers={list(self.peers)!r} must not hold the centre itself")
        if self.duplicate_window_s <= 0:
            raise InputError(f"duplicate_window_s={self.duplicate_window_s!r} must be > 0")
        if self.max_age_s < self.duplicate_window_s:
            raise InputError(
                f"max_age_s={self.max_age_s!r} must be >= duplicate_window_s "
                f"({self.duplicate_window_s!r})"
            )

    def domain(self, centre: str) -> str:
        """Return the JetStream domain of ``centre`` (its name unless set in ``domains``)."""
        return self.domains.get(centre, centre)


def stream_name(centre: str) -> str:
    """Return the name of ``centre``'s own stream."""
    return f"LITTORAL_{centre.upper()}"


def subject(centre: str, kind: Kind) -> str:
    """Return the subject of a ``kind`` message published by ``centre``."""
    return f"littoral.{centre}.{kind.value}"


class JetStreamTransport:
    """:class:`~littoral.federation.transport.Transport` on NATS JetStream.

    Parameters
    ----------
    settings
        The centre, its server, its peers.
    ack_timeout_s
        How long to wait for the server's acknowledgements of a publish before sending the
        unacknowledged messages again (same ids: the server drops the copies).
    """

    def __init__(self, settings: NatsSettings, ack_timeout_s: float = 5.0) -> None:
        self.settings = settings
        self.centre = settings.centre
        self._ack_timeout_s = ack_timeout_s
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._sub: Any = None
        self.in_stream = f"{stream_name(settings.centre)}_IN"
        self.out_stream = stream_name(settings.centre)

    async def start(self) -> None:
        """Connect (retrying for ever on a lost connection) and create the streams."""
        import nats

        s = self.settings
        options: dict[str, Any] = {
            "name": f"littoral-{s.centre}",
            "max_reconnect_attempts": -1,
            "reconnect_time_wait": 0.25,
            "connect_timeout": 5,
        }
        if s.creds is not None:
            options["user_credentials"] = str(s.creds)
        if s.user is not None:
            options["user"] = s.user
            if s.password_file is not None:
                options["password"] = s.password_file.read_text().strip()
        if s.tls_ca is not None or s.tls_cert is not None:
            options["tls"] = self._tls_context()

        async def quiet(_exc: Exception) -> None:
            return None  # reconnection is retried for ever; fetch and publish report time-outs

        options["error_cb"] = quiet
        try:
            self._nc = await nats.connect(s.url, **options)
        except Exception as exc:  # nats-py raises several unrelated classes
            raise TransportError(f"cannot connect to NATS at {s.url!r}: {exc!r}") from exc
        self._js = self._nc.jetstream(timeout=10.0)
        await self._ensure_streams()

    def _tls_context(self) -> ssl.SSLContext:
        s = self.settings
        context = ssl.create_default_context(cafile=None if s.tls_ca is None else str(s.tls_ca))
        if s.tls_cert is not None:
            if s.tls_key is None:
                raise InputError(f"tls_cert={str(s.tls_cert)!r} needs tls_key")
            context.load_cert_chain(str(s.tls_cert), str(s.tls_key))
        return context

    async def _ensure_streams(self) -> None:
        from nats.js import api

        js = self._require()
        s = self.settings
        own = api.StreamConfig(
            name=self.out_stream,
            subjects=[f"littoral.{s.centre}.>"],
            storage=api.StorageType.FILE,
            duplicate_window=s.duplicate_window_s,
            max_age=s.max_age_s,
        )
        sources = [
            api.StreamSource(
                name=stream_name(peer),
                external=api.ExternalStream(api=f"$JS.{s.domain(peer)}.API"),
            )
            for peer in s.peers
        ]
        inbound = api.StreamConfig(
            name=self.in_stream,
            sources=sources,
            storage=api.StorageType.FILE,
            duplicate_window=s.duplicate_window_s,
            max_age=s.max_age_s,
        )
        for config in (own, inbound):
            await self._add_or_update(config)
        consumer = api.ConsumerConfig(
            durable_name=DURABLE,
            ack_policy=api.AckPolicy.EXPLICIT,
            ack_wait=30.0,
            max_ack_pending=100_000,
            deliver_policy=api.DeliverPolicy.ALL,
        )
        await js.add_consumer(self.in_stream, consumer)
        self._sub = await js.pull_subscribe_bind(DURABLE, self.in_stream)

    async def _add_or_update(self, config: Any) -> None:
        from nats.js.errors import BadRequestError, NotFoundError

        js = self._require()
        try:
            await js.stream_info(config.name)
        except NotFoundError:
            await js.add_stream(config)
            return
        try:
            await js.update_stream(config)
        except BadRequestError as exc:
            raise TransportError(f"cannot update stream {config.name}: {exc}") from exc

    def _require(self) -> JetStreamContext:
        if self._js is None:
            raise TransportError(f"transport of centre {self.centre!r} is not started")
        return self._js

    async def publish(self, messages: Sequence[Outgoing]) -> Published:
        """Publish in order; send again (same ids) what was not acknowledged in time."""
        js = self._require()
        stored = duplicates = last = 0
        waiting = list(messages)
        while waiting:
            futures: list[asyncio.Future[Any]] = []
            try:
                for m in waiting:
                    futures.append(
                        await js.publish_async(
                            subject(self.centre, m.kind),
                            m.data,
                            headers={"Nats-Msg-Id": m.msg_id},
                        )
                    )
            except _link_errors():
                await asyncio.sleep(0.25)  # the server is restarting: send the rest again
            if futures:
                await asyncio.wait(futures, timeout=self._ack_timeout_s)
            unsent = waiting[len(futures) :]
            again = []
            for m, future in zip(waiting, futures, strict=False):
                if not future.done() or future.cancelled() or future.exception() is not None:
                    if not future.done():
                        future.cancel()
                    again.append(m)
                    continue
                ack = future.result()
                last = max(last, int(ack.seq))
                if ack.duplicate:
                    duplicates += 1
                else:
                    stored += 1
            waiting = again + unsent
        return Published(stored=stored, duplicates=duplicates, last_seq=last)

    async def fetch(self, max_messages: int, timeout_s: float) -> list[Incoming]:
        """Fetch the next messages of the ``_IN`` stream (empty on a time-out)."""
        from nats.errors import TimeoutError as NatsTimeout

        if self._sub is None:
            raise TransportError(f"transport of centre {self.centre!r} is not started")
        try:
            msgs = await self._sub.fetch(max_messages, timeout=timeout_s)
        except (NatsTimeout, TimeoutError):
            return []
        except _link_errors():
            await asyncio.sleep(0.25)  # the server is restarting; the consumer is durable
            return []
        return [_incoming(m) for m in msgs]

    async def ack(self, messages: Sequence[Incoming]) -> None:
        """Acknowledge each message (a lost acknowledgement means a redelivery, not a loss)."""
        for m in messages:
            msg: Msg = m.token  # type: ignore[assignment]
            try:
                await msg.ack()
            except _link_errors():
                return  # not acknowledged: delivered again, and stored once

    async def replay(self, from_seq: int, max_messages: int) -> list[Incoming]:
        """Read the ``_IN`` stream from ``from_seq`` with a short-lived consumer."""
        from nats.js import api

        if from_seq < 1:
            raise InputError(f"from_seq={from_seq!r} must be >= 1")
        js = self._require()
        sub = await js.pull_subscribe(
            "",
            stream=self.in_stream,
            config=api.ConsumerConfig(
                deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE,
                opt_start_seq=from_seq,
                ack_policy=api.AckPolicy.NONE,
                inactive_threshold=30.0,
            ),
        )
        found: list[Incoming] = []
        try:
            while len(found) < max_messages:
                batch = await self._fetch_some(sub, max_messages - len(found))
                if not batch:
                    break
                found.extend(batch)
        finally:
            await sub.unsubscribe()
        return found

    async def read_origin(self, origin: str, from_seq: int, to_seq: int) -> list[Incoming]:
        """Read ``origin``'s own stream, ``from_seq`` to ``to_seq``, through its domain's API."""
        from nats.js import api
        from nats.js.errors import NotFoundError

        check_centre(origin, "origin")
        if origin == self.centre or origin not in self.settings.peers:
            raise InputError(f"origin={origin!r} is not a peer of centre {self.centre!r}")
        if from_seq < 1 or to_seq < from_seq:
            raise InputError(f"from_seq={from_seq!r}, to_seq={to_seq!r}: need 1 <= from <= to")
        if self._nc is None:
            raise TransportError(f"transport of centre {self.centre!r} is not started")
        js = self._nc.jetstream(domain=self.settings.domain(origin), timeout=5.0)
        try:
            info = await js.stream_info(stream_name(origin))
            first_seq = max(from_seq, int(info.state.first_seq or 1))
            if first_seq > to_seq:
                return []  # the origin no longer holds any of them
            sub = await js.pull_subscribe(
                "",
                stream=stream_name(origin),
                config=api.ConsumerConfig(
                    deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE,
                    opt_start_seq=first_seq,
                    ack_policy=api.AckPolicy.NONE,
                    inactive_threshold=30.0,
                ),
            )
        except NotFoundError as exc:
            raise TransportError(f"stream of centre {origin!r} not found: {exc}") from exc
        except _unreachable() as exc:
            raise TransportError(f"cannot reach the stream of centre {origin!r}: {exc!r}") from exc
        wanted = to_seq - first_seq + 1
        found: list[Incoming] = []
        try:
            while len(found) < wanted:
                batch = await self._fetch_some(sub, wanted - len(found))
                found.extend(m for m in batch if m.origin_seq <= to_seq)
                if not batch or batch[-1].origin_seq >= to_seq:
                    break
        except _link_errors() as exc:
            raise TransportError(f"lost the stream of centre {origin!r}: {exc!r}") from exc
        finally:
            with contextlib.suppress(*_unreachable()):
                await sub.unsubscribe()
        if len(found) < wanted:  # the stream holds them (no message is removed in the middle)
            raise TransportError(
                f"read {len(found)} of messages {first_seq}..{to_seq} of centre {origin!r}"
            )
        return found

    @staticmethod
    async def _fetch_some(sub: Any, n: int) -> list[Incoming]:
        from nats.errors import TimeoutError as NatsTimeout

        try:
            msgs = await sub.fetch(min(n, 1000), timeout=1.0)
        except (NatsTimeout, TimeoutError):
            return []
        return [_incoming(m) for m in msgs]

    async def pending(self) -> int:
        """Messages of the ``_IN`` stream not yet delivered to this centre's consumer."""
        js = self._require()
        info = await js.consumer_info(self.in_stream, DURABLE)
        return int(info.num_pending or 0) + int(info.num_ack_pending or 0)

    async def close(self) -> None:
        """Flush what was published and close the connection."""
        if self._nc is not None and not self._nc.is_closed:
            # a server that went away mid-way has nothing to flush, and a reset to report
            with contextlib.suppress(Exception):
                await self._nc.flush(timeout=2)
            with contextlib.suppress(*_link_errors()):
                await self._nc.close()
        self._nc = None
        self._js = None


@functools.cache
def _link_errors() -> tuple[type[BaseException], ...]:
    """Errors of a lost connection to the centre's own server: retried, never raised."""
    from nats.errors import (
        ConnectionClosedError,
        NoRespondersError,
        OutboundBufferLimitError,
        StaleConnectionError,
        UnexpectedEOF,
    )
    from nats.js.errors import ServiceUnavailableError

    return (
        OSError,
        ConnectionClosedError,
        NoRespondersError,
        OutboundBufferLimitError,
        StaleConnectionError,
        UnexpectedEOF,
        ServiceUnavailableError,
    )


@functools.cache
def _unreachable() -> tuple[type[BaseException], ...]:
    """Errors of another centre's log out of reach: a lost link, or no answer in time."""
    return (*_link_errors(), TimeoutError)


_KINDS = frozenset(k.value for k in Kind)


def _incoming(msg: Msg) -> Incoming:
    parts = msg.subject.split(".")
    origin = parts[1] if len(parts) == 3 else ""
    token = parts[2] if len(parts) == 3 else msg.subject
    kind: Kind | str = Kind(token) if token in _KINDS else token  # a newer centre's kind
    headers = msg.headers or {}
    meta = msg.metadata
    origin_seq = 0
    source = headers.get("Nats-Stream-Source", "")
    for token in source.split():
        if token.isdigit():
            origin_seq = int(token)
            break
    if not source and meta.stream == stream_name(origin):
        origin_seq = int(meta.sequence.stream)  # read from the origin's own stream
    return Incoming(
        origin=origin,
        kind=kind,
        msg_id=headers.get("Nats-Msg-Id", ""),
        data=msg.data,
        seq=int(meta.sequence.stream),
        origin_seq=origin_seq,
        token=msg,
    )
