"""Fixtures of the federation tests (the helpers are in ``fedkit``)."""

from fedkit import _need_nats_server, fed

__all__ = ["_need_nats_server", "fed"]
