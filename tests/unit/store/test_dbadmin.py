"""``littoral db`` on a SQLite store: no partitions to list or drop, nothing to upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest

from littoral.cli.main import main
from littoral.store import open_store


def test_sqlite_stores_have_no_partitions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    with open_store(url) as store:
        assert store.partitions is None
    assert main(["db", "partitions", "--db", url]) == 2
    assert "only PostgreSQL stores" in capsys.readouterr().err
    assert main(["db", "upgrade", "--db", url]) == 0
    assert "nothing to upgrade" in capsys.readouterr().out
