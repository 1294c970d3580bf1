"""Positions staged in a file of their own are stored in the batch's transaction, in order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from littoral.errors import StoreError
from littoral.store import open_store
from littoral.store.batch import PreparedBatch
from littoral.store.staging import PositionStaging, StagedPart, StagedRows

T = 1_777_622_400_000


def _row(mmsi: int, k: int, sog_kn: float = 10.0) -> tuple[object, ...]:
    return (mmsi, T + 1000 * k, 50.0 + k / 1000, 40.0, sog_kn, 90.0, None, 0, 1, "rx")


def _stored(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM positions ORDER BY mmsi, time_ms").fetchall()


def test_the_writer_gives_each_batch_its_range(tmp_path: Path) -> None:
    staging = PositionStaging(tmp_path / "s.sqlite")
    writer = staging.writer()
    first = writer.add([_row(273000001, k) for k in range(3)])
    empty = writer.add([])
    second = writer.add([_row(273000001, k) for k in range(3, 5)])
    writer.close()
    assert (first.first, first.last, first.count) == (1, 3, 3)
    assert empty.count == 0
    assert (second.first, second.last) == (4, 5)
    joined = first.then(empty).then(second)
    assert (joined.first, joined.last, joined.count) == (1, 5, 5)
    assert StagedRows(staging.path, 1, 0).then(second) == second
    with pytest.raises(StoreError, match="do not follow"):
        second.then(first)
    assert staging.path.name.startswith("s.sqlite.staging-")
    staging.remove()
    assert not list(tmp_path.glob("*staging*"))


def test_staged_rows_are_stored_in_the_batchs_transaction_first_key_kept(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with open_store(path) as store:
        staging = store.position_staging()
        assert staging is not None
        writer = staging.writer()
        # the same key twice: the first row is kept, as with rows given directly
        staged = writer.add([_row(273000001, 0, 5.0), _row(273000001, 1), _row(273000001, 0, 7.0)])
        batch = PreparedBatch(positions=[_row(273000002, 0)], staged=[StagedPart(1, staged)])
        assert store.start_write(batch).wait() == 3
        assert _stored(path) == [_row(273000001, 0, 5.0), _row(273000001, 1), _row(273000002, 0)]
        # written again (a second ingest of the same lines): nothing new
        again = writer.add([_row(273000001, 1), _row(273000001, 2)])
        assert store.write_prepared(PreparedBatch(staged=[StagedPart(0, again)])) == 1
        assert store.positions.count() == 4
        writer.close()
        staging.remove()
        # the connection that attached the file has let it go: the store goes on
        assert store.start_write(PreparedBatch(positions=[_row(273000003, 0)])).wait() == 1


def test_a_write_whose_staging_file_is_gone_fails_whole_and_the_next_one_works(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite"
    with open_store(path) as store:
        lost = StagedRows(tmp_path / "missing" / "x.staging", 1, 2)
        batch = PreparedBatch(positions=[_row(273000001, 0)], staged=[StagedPart(1, lost)])
        with pytest.raises(StoreError, match="cannot write to store"):
            store.start_write(batch).wait()
        assert store.positions.count() == 0
        staging = store.position_staging()
        assert staging is not None
        writer = staging.writer()
        staged = writer.add([_row(273000001, 0)])
        assert store.start_write(PreparedBatch(staged=[StagedPart(0, staged)])).wait() == 1
        writer.close()
        staging.remove()


def test_staged_and_given_rows_are_stored_in_the_order_they_came(tmp_path: Path) -> None:
    """Rows given directly and staged parts between them: a key that came twice keeps the
    row that came first, whichever way it came."""
    path = tmp_path / "s.sqlite"
    with open_store(path) as store:
        staging = store.position_staging()
        assert staging is not None
        writer = staging.writer()
        a, b = 273000001, 273000002
        first = writer.add([_row(a, 1, 1.0), _row(b, 0, 1.0)])  # after given row 0
        second = writer.add([_row(a, 0, 2.0), _row(b, 2, 2.0)])  # after given rows 0-1
        given = [_row(a, 0, 3.0), _row(b, 0, 3.0), _row(a, 1, 3.0), _row(b, 3, 3.0)]
        batch = PreparedBatch(positions=given, staged=[StagedPart(1, first), StagedPart(2, second)])
        assert store.start_write(batch).wait() == 5
        # order: given[0], first, given[1], second, given[2:]
        assert _stored(path) == [
            _row(a, 0, 3.0), _row(a, 1, 1.0), _row(b, 0, 1.0), _row(b, 2, 2.0), _row(b, 3, 3.0)
        ]  # fmt: skip
        writer.close()
        staging.remove()


def test_no_staging_on_a_private_database() -> None:
    with open_store("sqlite:///:memory:") as store:
        assert store.position_staging() is None
