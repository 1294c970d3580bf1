"""An ingest batch written to SQLite with its slowest part in a thread.

Handing a row to SQLite (binding its values) needs Python's interpreter lock; inserting it
into the clustered ``positions`` table (a B-tree walk per row) and committing do not, but
an ``executemany`` takes the lock back for every row, so a thread doing it would wait on the
ingest's own Python work row after row. Here the caller's thread hands every row to SQLite
(the positions into a temporary table, the other tables of the batch directly, all inside
the batch's transaction); a thread then moves the positions into their table with one
``INSERT ... SELECT`` and commits, two statements that SQLite runs without the lock while
the ingest goes on with the next batches. Measured on the realistic corpus
(``benchmarks/ais_bench.py``): the caller's share of a batch's write halves (0.47 s to
0.25 s of CPU for 218,000 positions), the thread's is 0.30 s. The rows go in blocks of
:data:`BLOCK_ROWS` to a statement, which costs the caller less again (see :func:`_fill`).

The batch is still one transaction, written whole or not at all: the positions come in the
order given and a key already stored keeps its row, as the direct insert does. What a kill
loses is what was not committed, as before; only the commit of a batch may now come while
the next is being read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Engine

from littoral.errors import StoreError
from littoral.store import schema
from littoral.store.alerts import upsert_alert_rows
from littoral.store.backend import Backend
from littoral.store.batch import PreparedBatch
from littoral.store.hourly import move_sql
from littoral.store.repos import FlatRows, insert_quarantine_rows, upsert_vessel_rows
from littoral.store.texts import insert_safety_rows, insert_static_rows

_COLUMNS = ", ".join(schema.POSITION_COLUMNS)
_INCOMING = "positions_incoming"
# (table and column names are ours, never user input)
_CREATE = f"CREATE TEMP TABLE IF NOT EXISTS {_INCOMING} ({_COLUMNS})"
_ROW = f"({', '.join('?' * len(schema.POSITION_COLUMNS))})"
_FILL = f"INSERT INTO {_INCOMING} ({_COLUMNS}) VALUES {_ROW}"  # noqa: S608
BLOCK_ROWS = 99
"""Rows handed to SQLite by one statement (990 values: under the 999 of SQLite before 3.32)."""
_FILL_BLOCK = f"INSERT INTO {_INCOMING} ({_COLUMNS}) VALUES {', '.join([_ROW] * BLOCK_ROWS)}"  # noqa: S608
_MOVE = move_sql(_INCOMING)
_EMPTY = f"DELETE FROM {_INCOMING}"  # noqa: S608


class PendingWrite:
    """A batch whose write finishes in a thread; :meth:`wait` for it."""

    def __init__(self, run: Callable[[], int] | None = None, done: int = 0) -> None:
        self._count = done
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if run is not None:
            self._thread = threading.Thread(
                target=self._finish, args=(run,), name="littoral-store-write"
            )
            self._thread.start()

    def _finish(self, run: Callable[[], int]) -> None:
        try:
            self._count = run()
        except BaseException as exc:  # handed to wait(), in the caller's thread
            self._error = exc

    def done(self) -> bool:
        """Whether the write has ended (committed or failed): :meth:`wait` returns at once."""
        return self._thread is None or not self._thread.is_alive()

    def wait(self) -> int:
        """Wait for the commit; return the number of new positions.

        Raises
        ------
        StoreError
            If the write failed (nothing of the batch is stored then).
        """
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            if isinstance(error, StoreError):
                raise error
            raise StoreError(f"cannot write to store: {error}") from error
        return self._count


def _fill(cursor: Any, rows: Sequence[Sequence[Any]]) -> None:
    """Hand ``rows`` to the incoming table, in order, :data:`BLOCK_ROWS` to a statement.

    A statement of many rows costs SQLite and Python's binding far less per row than one
    statement per row (``executemany``): 0.14 s against 0.22 s to 0.31 s for the realistic
    corpus's 218,000 positions (``docs/store.md``). The last rows go one by one.
    """
    width = len(schema.POSITION_COLUMNS)
    if isinstance(rows, FlatRows) and rows.width == width:
        values = rows.values
    else:
        values = list(chain.from_iterable(rows))
    if len(values) != width * len(rows):
        raise StoreError(f"position rows of other than {width} values")
    whole = len(rows) // BLOCK_ROWS * BLOCK_ROWS * width
    step = BLOCK_ROWS * width
    execute = cursor.execute
    for start in range(0, whole, step):
        execute(_FILL_BLOCK, values[start : start + step])
    if whole < len(values):
        cursor.executemany(_FILL, rows[whole // width :])


def start_sqlite_write(
    engine: Engine, backend: Backend, batch: PreparedBatch, null_position: bool, url: str
) -> PendingWrite:
    """Write ``batch`` in one transaction; the positions' insert and the commit in a thread.

    The engine's connections must allow use from another thread (one at a time).

    Raises
    ------
    StoreError
        If handing the rows to SQLite fails (nothing of the batch is stored then).
    """
    conn = engine.connect()
    try:
        transaction = conn.begin()
        cursor = conn.connection.cursor()
        try:
            if batch.positions:
                cursor.execute(_CREATE)
                _fill(cursor, batch.positions)
        finally:
            cursor.close()
        upsert_vessel_rows(conn, backend, batch.vessels, batch.tracks)
        insert_quarantine_rows(conn, backend, batch.quarantine)
        insert_safety_rows(conn, backend, batch.safety)
        insert_static_rows(conn, backend, batch.statics)
        upsert_alert_rows(conn, backend, batch.alerts, null_position)
    except Exception as exc:
        conn.close()  # (rolls back)
        raise StoreError(f"cannot write to store {url}: {exc}") from exc

    def finish() -> int:
        try:
            stored = 0
            if batch.positions:
                cursor = conn.connection.cursor()
                try:
                    cursor.execute(_MOVE)
                    stored = max(cursor.rowcount, 0)
                    cursor.execute(_EMPTY)
                finally:
                    cursor.close()
            transaction.commit()
            return stored
        except Exception as exc:
            raise StoreError(f"cannot write to store {url}: {exc}") from exc
        finally:
            conn.close()  # (rolls back what was not committed)

    return PendingWrite(finish)
