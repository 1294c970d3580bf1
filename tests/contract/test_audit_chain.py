"""The audit log is append-only on both backends and its hash chain finds any change."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from littoral.store import open_store
from littoral.store.audit_chain import GENESIS_HASH
from littoral.store.service import ServiceStore

T0 = datetime(2026, 12, 4, 9, 0, 0, 123456, tzinfo=UTC)


def _write(service: ServiceStore, n: int) -> None:
    for i in range(n):
        service.add_audit(
            T0 + timedelta(seconds=i),
            "admin.az" if i % 2 else None,
            "AZ" if i % 2 else None,
            "PATCH",
            f"/api/users/{i}",
            200,
            {"role": {"old": "coordinator", "new": "admin"}, "i": i, "text": "Bakı ünvanı"},
        )


def test_chain_is_intact_and_the_table_refuses_update_and_delete(store_url: str) -> None:
    with open_store(store_url) as store:
        service = ServiceStore(store.engine)
        service.create()
        service.create()  # idempotent: triggers and columns already there
        before = service.verify_audit()
        assert before.ok, before
        _write(service, 12)
        report = service.verify_audit(chunk_size=5)  # several chunks
        assert report.ok, report
        assert report.entries == before.entries + 12
        entries, _ = service.audit(limit=12)
        assert entries[-1].prev_hash is not None
        if before.entries == 0:
            assert entries[-1].prev_hash == GENESIS_HASH
        assert entries[0].detail["role"] == {"old": "coordinator", "new": "admin"}
        for statement in (
            "UPDATE audit_log SET status_code = 201",
            "DELETE FROM audit_log",
        ):
            with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
                conn.execute(text(statement))
        if store.engine.dialect.name == "postgresql":
            with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
                conn.execute(text("TRUNCATE audit_log"))
        assert service.verify_audit().entries == before.entries + 12


def test_a_change_made_around_the_triggers_breaks_the_chain(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/audit.sqlite"
    with open_store(url) as store:
        service = ServiceStore(store.engine)
        service.create()
        _write(service, 6)
        with store.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            target = conn.execute(text("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 3"))
            bad_id = int(target.scalar_one())
            conn.execute(
                text("UPDATE audit_log SET status_code = 403 WHERE id = :i"), {"i": bad_id}
            )
        report = service.verify_audit()
        assert not report.ok
        assert report.first_bad_id == bad_id
        assert "changed" in report.reason
    cli = [sys.executable, "-m", "littoral.cli.main", "audit", "verify", "--db", url]
    broken = subprocess.run(cli, capture_output=True, text=True, timeout=120, check=False)
    assert broken.returncode == 1, broken.stderr
    assert f"id={bad_id}" in broken.stdout


def test_a_removed_entry_breaks_the_chain_and_the_cli_says_so(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/audit.sqlite"
    with open_store(url) as store:
        service = ServiceStore(store.engine)
        service.create()
        _write(service, 5)
    cli = [sys.executable, "-m", "littoral.cli.main", "audit", "verify", "--db", url]
    intact = subprocess.run(cli, capture_output=True, text=True, timeout=120, check=False)
    assert intact.returncode == 0, intact.stderr
    assert "intact: 5 entries" in intact.stdout
    with open_store(url) as store:
        with store.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
            conn.execute(text("DELETE FROM audit_log WHERE id = 2"))
        report = ServiceStore(store.engine).verify_audit()
    assert report.first_bad_id == 3
    assert "removed or inserted" in report.reason
