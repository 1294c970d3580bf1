"""The one small interface between a centre and the engine that carries its messages.

A centre publishes to its own log (a JetStream stream, or a Kafka topic) and reads the other
centres' logs. What the centre needs of the engine is four things, so that NATS JetStream
(:mod:`littoral.federation.jetstream`) can be replaced where a state already runs Kafka
(``docs/design/0003-federation-transport.md`` gives the mapping):

- publish a message with an id; the engine drops a second message with the same id inside
  its de-duplication window (a publisher that retries after a lost acknowledgement);
- read the other centres' messages durably, in the order each centre published them, and
  acknowledge them once their effect is stored: what is not acknowledged is delivered again
  after a crash or a cut link;
- replay a log from a sequence number (a centre rebuilding its store);
- read another centre's own log directly, between two of its sequence numbers: the mend for
  a hole in what was delivered (a server killed under load may resume its reading of the
  others past messages it never stored).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Kind(StrEnum):
    """What a federation message carries; the last token of its subject."""

    POSITION = "pos"
    STATIC = "static"
    ALERT = "alert"
    CASE = "case"


@dataclass(frozen=True, slots=True, kw_only=True)
class Outgoing:
    """A message this centre publishes: its kind, id, encoded body and number of reports.

    A message of positions carries many reports; any other kind carries one.
    """

    kind: Kind
    msg_id: str
    data: bytes
    reports: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Incoming:
    """A message of another centre, as delivered to this one.

    ``seq`` is its sequence number in the log this centre reads (in order of arrival);
    ``origin_seq`` its number in the publishing centre's own log. ``kind`` is the subject's
    last token as text when it is none this version knows (a newer centre's message): it
    is delivered, counted and kept aside, never raised, so an upgrade at one centre cannot
    stop the readers of the others.
    """

    origin: str
    kind: Kind | str
    msg_id: str
    data: bytes
    seq: int
    origin_seq: int
    token: object = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Published:
    """What a publish of several messages did: stored, dropped as duplicates, last sequence."""

    stored: int
    duplicates: int
    last_seq: int


class Transport(Protocol):
    """A centre's link to the federation log (NATS JetStream, or Kafka)."""

    centre: str

    async def start(self) -> None:
        """Connect and create this centre's log and its reading of the others when missing."""
        ...

    async def publish(self, messages: Sequence[Outgoing]) -> Published:
        """Publish ``messages`` in order to this centre's log; return when all are stored."""
        ...

    async def fetch(self, max_messages: int, timeout_s: float) -> list[Incoming]:
        """Return up to ``max_messages`` of the others' messages not yet acknowledged.

        In order of arrival; an empty list when none came within ``timeout_s``.
        """
        ...

    async def ack(self, messages: Sequence[Incoming]) -> None:
        """Acknowledge ``messages``: their effect is stored and they are not delivered again."""
        ...

    async def replay(self, from_seq: int, max_messages: int) -> list[Incoming]:
        """Return up to ``max_messages`` of the others' messages from sequence ``from_seq``."""
        ...

    async def read_origin(self, origin: str, from_seq: int, to_seq: int) -> list[Incoming]:
        """Return ``origin``'s messages numbered ``from_seq`` to ``to_seq`` in its own log.

        Read from that log directly, in order; those it no longer holds are left out. Raises
        :class:`~littoral.errors.LittoralError` when the log cannot be reached.
        """
        ...

    async def close(self) -> None:
        """Finish pending publishes and disconnect."""
        ...
