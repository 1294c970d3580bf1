"""Position rows handed to SQLite by a second process, moved into the store in one statement.

An ingest into SQLite spends a quarter of its main process's time binding position rows
(every value of every row goes through the interpreter, and an ``executemany`` holds its
lock row after row). A decode worker (:mod:`littoral.services.decode_worker`) has the rows
already and time to spare on its own core: it appends them to a staging file of its own
(:class:`StagingWriter`), and the ingest's write moves each batch's range of them into
``positions`` with one ``INSERT ... SELECT`` (:data:`MOVE`), which SQLite runs without the
lock, in the store's writing thread (:mod:`littoral.store.background`).

What is stored, and when, does not change: the rows of a batch enter ``positions`` in the
batch's own transaction, in the order they came, and a key already stored keeps its row.
The staging file is a scratch file beside the store, made for one ingest and removed by
:meth:`PositionStaging.remove` when it ends; it holds only rows the ingest still has to
store, so a killed ingest loses from it no more than it lost before (the uncommitted
batches), and leaves the file behind (``<store>.staging-*``), which may be deleted.

The worker writes and commits a batch's rows before it sends the batch (WAL, so a reader
in the ingest never waits for it); a range of row ids read afterwards is complete. Rows are
appended and never deleted while the ingest runs, so the ids are given in order, one more
than the largest so far, and a batch's rows are one range.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from littoral.errors import StoreError
from littoral.store import schema
from littoral.store.repos import PositionRow

_COLUMNS = ", ".join(schema.POSITION_COLUMNS)
TABLE = "positions_staged"
SCHEMA = "staging"
"""The name the staging file is attached under, in the store's connection."""
# (table and column names are ours, never user input)
_CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} ({_COLUMNS})"
_ADD = f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES ({', '.join('?' * len(schema.POSITION_COLUMNS))})"  # noqa: S608
MOVE = (
    f"INSERT INTO positions ({_COLUMNS}) SELECT {_COLUMNS} FROM {SCHEMA}.{TABLE} "  # noqa: S608
    "WHERE rowid BETWEEN ? AND ? ORDER BY rowid ON CONFLICT DO NOTHING"
)
"""Move the staged rows whose ids lie in a range (two parameters) into ``positions``."""


@dataclass(frozen=True, slots=True)
class StagedRows:
    """The rows of a batch in a staging file: ids ``first`` to ``last`` (none if last < first)."""

    path: Path
    first: int
    last: int

    @property
    def count(self) -> int:
        """How many rows."""
        return max(self.last - self.first + 1, 0)

    def then(self, later: StagedRows) -> StagedRows:
        """Return these rows and the ``later`` ones of the same file, which follow them."""
        if later.path != self.path or (self.count and later.count and later.first != self.last + 1):
            raise StoreError(f"staged rows {later!r} do not follow {self!r}")
        if not later.count:
            return self
        if not self.count:
            return later
        return StagedRows(self.path, self.first, later.last)


@dataclass(frozen=True, slots=True)
class StagedPart:
    """Staged rows that come after the first ``before`` rows a batch gives directly.

    A worker stages the rows of some batches and hands over those of others (see
    :mod:`littoral.services.decode_worker`); the store keeps their order, so a key that came
    twice keeps the row that came first, as it would in one process.
    """

    before: int
    rows: StagedRows


class PositionStaging:
    """A staging file beside the SQLite store ``store_path``, made empty here.

    Raises
    ------
    StoreError
        If the file cannot be made (a read-only folder, a full disk).
    """

    def __init__(self, store_path: Path) -> None:
        try:
            handle, name = tempfile.mkstemp(
                prefix=f"{store_path.name}.staging-", dir=store_path.parent
            )
            os.close(handle)
            self.path = Path(name)
            with sqlite3.connect(self.path) as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(_CREATE)
            conn.close()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"cannot make a staging file beside {str(store_path)!r}: {exc}"
            ) from exc

    def writer(self) -> StagingWriter:
        """Return a writer of this file (open it in the process that writes)."""
        return StagingWriter(self.path)

    def remove(self) -> None:
        """Delete the file (and its WAL): once every staged row is stored, or the ingest failed."""
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class StagingWriter:
    """Appends rows to a staging file; one writer per file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(path, isolation_level=None)
            self._conn.execute("PRAGMA synchronous=OFF")  # scratch: the store is what lasts
            self._conn.execute("PRAGMA cache_size=-16384")
            last = self._conn.execute(f"SELECT max(rowid) FROM {TABLE}").fetchone()[0]  # noqa: S608
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open staging file {str(path)!r}: {exc}") from exc
        self._last = int(last or 0)

    def add(self, rows: Sequence[PositionRow]) -> StagedRows:
        """Append ``rows`` and commit them; return where they are."""
        first = self._last + 1
        if not rows:
            return StagedRows(self.path, first, self._last)
        conn = self._conn
        try:
            conn.execute("BEGIN")
            conn.executemany(_ADD, rows)
            conn.execute("COMMIT")
            last = int(conn.execute(f"SELECT max(rowid) FROM {TABLE}").fetchone()[0])  # noqa: S608
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"cannot stage positions in {str(self.path)!r}: {exc}") from exc
        if last - first + 1 != len(rows):  # (only if another writer appended too)
            raise StoreError(f"staging file {str(self.path)!r} has another writer")
        self._last = last
        return StagedRows(self.path, first, last)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
