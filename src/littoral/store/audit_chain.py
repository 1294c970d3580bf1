"""The audit log as an append-only hash chain, checkable by anyone holding a copy.

Each entry stores ``entry_hash = SHA-256(prev_hash || canonical JSON of the entry)``, where
``prev_hash`` is the hash of the entry before it (by key order) and the first entry's
``prev_hash`` is 64 zeros. Changing, removing or inserting an entry anywhere breaks every
hash after it, so :func:`verify_chain` finds the first entry that no longer fits.

The database refuses ``UPDATE`` and ``DELETE`` on the table by trigger on both backends
(SQLite ``RAISE(ABORT)``, PostgreSQL a PL/pgSQL trigger that also refuses ``TRUNCATE``). The
chain is what catches a change made around the triggers, by someone who drops them or edits
the file.

Entries written before the chain existed (``entry_hash`` NULL) are reported as a legacy
prefix, not as a break.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first chained entry."""

APPEND_ONLY_MESSAGE = "audit_log is append-only"


def entry_hash(
    prev_hash: str,
    *,
    time: datetime,
    user_name: str | None,
    state: str | None,
    method: str,
    path: str,
    status_code: int,
    detail: dict[str, Any],
) -> str:
    """Return the chain hash of one entry following ``prev_hash``.

    >>> t = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    >>> h = entry_hash(GENESIS_HASH, time=t, user_name="admin.az", state="AZ", method="POST",
    ...                path="/api/users", status_code=201, detail={"name": "coord.az"})
    >>> len(h), h == entry_hash(GENESIS_HASH, time=t, user_name="admin.az", state="AZ",
    ...     method="POST", path="/api/users", status_code=201, detail={"name": "coord.az"})
    (64, True)
    """
    body = json.dumps(
        {
            "time": time.astimezone(UTC).isoformat(),
            "user": user_name,
            "state": state,
            "method": method,
            "path": path,
            "status": status_code,
            "detail": detail,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        default=str,
    )
    return hashlib.sha256((prev_hash + body).encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainReport:
    """What :func:`verify_chain` found.

    Attributes
    ----------
    entries:
        Entries read.
    legacy:
        Entries at the start written before the chain existed (no hash).
    first_bad_id:
        Key of the first entry whose hash does not fit the chain, or ``None`` when intact.
    reason:
        Why that entry does not fit.
    """

    entries: int
    legacy: int
    first_bad_id: int | None
    reason: str

    @property
    def ok(self) -> bool:
        """True when every chained entry fits."""
        return self.first_bad_id is None


def verify_chain(rows: Iterable[dict[str, Any]]) -> ChainReport:
    """Check entries given oldest first (mappings with the audit table's columns)."""
    prev = GENESIS_HASH
    count = legacy = 0
    chained = False
    for row in rows:
        count += 1
        stored = row.get("entry_hash")
        if stored is None:
            if chained:
                return ChainReport(
                    entries=count,
                    legacy=legacy,
                    first_bad_id=int(row["id"]),
                    reason="entry without a hash after the chain began",
                )
            legacy += 1
            continue
        chained = True
        if row.get("prev_hash") != prev:
            return ChainReport(
                entries=count,
                legacy=legacy,
                first_bad_id=int(row["id"]),
                reason="prev_hash does not match the entry before it (removed or inserted)",
            )
        expected = entry_hash(
            prev,
            time=row["time"],
            user_name=row["user_name"],
            state=row["state"],
            method=row["method"],
            path=row["path"],
            status_code=int(row["status_code"]),
            detail=row["detail"],
        )
        if expected != stored:
            return ChainReport(
                entries=count,
                legacy=legacy,
                first_bad_id=int(row["id"]),
                reason="content does not match its hash (changed)",
            )
        prev = stored
    return ChainReport(entries=count, legacy=legacy, first_bad_id=None, reason="")


SQLITE_TRIGGERS: tuple[str, ...] = tuple(
    f"CREATE TRIGGER IF NOT EXISTS audit_log_no_{op.lower()} BEFORE {op} ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
    for op in ("UPDATE", "DELETE")
)
"""Statements that make the audit table append-only on SQLite."""

POSTGRES_TRIGGERS: tuple[str, ...] = (
    "CREATE OR REPLACE FUNCTION littoral_audit_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; "
    "END $$",
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION littoral_audit_append_only()",
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION littoral_audit_append_only()",
)
"""Statements that make the audit table append-only on PostgreSQL (TRUNCATE included)."""
