"""A write finished in the store's thread tells whether it has ended (the ingest writes its
next batch early when it has)."""

from __future__ import annotations

import threading

import pytest

from littoral.errors import StoreError
from littoral.store.background import PendingWrite


def test_a_write_is_done_once_its_thread_has_ended() -> None:
    gate = threading.Event()

    def commit() -> int:
        assert gate.wait(10)
        return 3

    pending = PendingWrite(commit)
    assert not pending.done()
    gate.set()
    assert pending.wait() == 3
    assert pending.done()
    assert PendingWrite(done=5).done()  # (written in the caller's thread already)


def test_a_failed_write_is_done_and_raises_when_waited_for() -> None:
    def commit() -> int:
        raise OSError("disk full")

    pending = PendingWrite(commit)
    while not pending.done():
        threading.Event().wait(0.001)
    with pytest.raises(StoreError, match="disk full"):
        pending.wait()
