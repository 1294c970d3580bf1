from pathlib import Path

import pytest

from littoral.errors import InputError, StoreError
from littoral.settings import Settings
from littoral.store import default_store_path, open_store
from littoral.store.open import hide_password
from littoral.store.records import to_ms


def test_plain_path_and_sqlite_url_open_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    with open_store(path) as store:
        assert store.backend == "sqlite"
        assert store.url == f"sqlite:///{path}"
    with open_store(f"sqlite:///{path}") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1  # NORMAL
    assert path.exists()


def test_default_location_is_in_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "littoral" / "littoral.sqlite"
    with open_store() as store:
        assert store.url.endswith("littoral/littoral.sqlite")
    assert (tmp_path / "littoral" / "littoral.sqlite").exists()


def test_bad_urls_are_named() -> None:
    with pytest.raises(InputError, match="mysql://u:\\*\\*\\*@h/d"):
        open_store("mysql://u:secret@h/d")
    with pytest.raises(StoreError, match="does not exist"):
        open_store("/no/such/folder/x.sqlite")
    with pytest.raises(StoreError, match="cannot open store postgresql"):
        open_store("postgresql://nobody:pw@127.0.0.1:1/none")


@pytest.mark.parametrize(
    ("password", "port"), [("secret", "notaport"), ("secret", "5432x"), ("se@cr:et", "-")]
)
def test_a_port_that_is_no_number_is_named_with_the_password_hidden(
    password: str, port: str
) -> None:
    from littoral.store.open import upgrade_store

    url = f"postgresql://u:{password}@h:{port}/d"
    for call in (open_store, upgrade_store):
        with pytest.raises(InputError, match="port is not a number") as caught:
            call(url)
        assert f"u:***@h:{port}/d" in str(caught.value)
        assert "cr" not in str(caught.value)
        assert "secret" not in str(caught.value)


def test_password_is_hidden() -> None:
    assert hide_password("postgresql://u:secret@h:5432/d") == "postgresql://u:***@h:5432/d"


def test_settings_prefer_the_command_line_then_the_environment() -> None:
    assert Settings.build("a.sqlite", {"LITTORAL_DB": "b"}).db_url == "a.sqlite"
    assert Settings.build(None, {"LITTORAL_DB": "b"}).db_url == "b"
    assert Settings.build(None, {}).db_url is None


def test_vessel_values_follow_the_table_columns() -> None:
    from datetime import UTC, datetime

    from littoral.store import schema
    from littoral.store.repos import VESSEL_COLUMNS, vessel_row
    from littoral.tracks import VesselState

    t = datetime(2026, 5, 1, tzinfo=UTC)
    row = vessel_row(VesselState(mmsi=5, first_seen=t, last_seen=t, name="X", lon=50.0))
    assert tuple(c.name for c in schema.vessels.columns) == VESSEL_COLUMNS
    assert (row["mmsi"], row["name"], row["lon"], row["first_seen_ms"]) == (5, "X", 50.0, to_ms(t))


def test_a_store_made_before_nullable_alert_positions_still_takes_them(tmp_path: Path) -> None:
    import sqlite3
    from datetime import UTC, datetime

    from littoral.records.alerts import Alert, Priority

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:  # the alerts table as schema version 1 first made it
        conn.execute(
            "CREATE TABLE alerts (id TEXT PRIMARY KEY, rule TEXT NOT NULL, priority SMALLINT "
            "NOT NULL, mmsis TEXT NOT NULL, start_ms BIGINT NOT NULL, end_ms BIGINT, lon FLOAT "
            "NOT NULL, lat FLOAT NOT NULL, reason TEXT NOT NULL, status TEXT NOT NULL, evidence "
            "TEXT NOT NULL, details TEXT NOT NULL, acknowledged_by TEXT, acknowledged_ms BIGINT, "
            "comment TEXT, updated_ms BIGINT NOT NULL)"
        )
    t0 = datetime(2026, 5, 1, tzinfo=UTC)
    alert = Alert("d:1", "distress", Priority.CRITICAL, (970000001,), t0, 0.0, 0.0, "SART",
                  details={"position_known": False})  # fmt: skip
    with open_store(path) as store:
        assert not store.alerts.null_position
        store.write_batch(positions=[], vessels=[], alerts=[alert], at=t0)
        store.alerts.upsert([alert], at=t0)
        back = store.alerts.get("d:1").alert
    assert (back.lon, back.lat, back.details) == (0.0, 0.0, {"position_known": False})
    with open_store(tmp_path / "new.sqlite") as store:
        assert store.alerts.null_position
