"""Move the positions of a schema 1 store into the layout of schema 2.

A PostgreSQL store made before positions were partitioned keeps them in one table; a SQLite
store made before they were keyed by hour keeps them by vessel. Opening either is refused
with the command to run. :func:`upgrade_positions` (PostgreSQL) and
:func:`upgrade_sqlite_positions` do the move in one transaction: the old table is renamed,
the new one made (on PostgreSQL with a partition per day found), the rows copied across, the
old table dropped and ``store_meta.schema_version`` set to 2. A failure leaves the store as
it was. It needs about as much free disk as the positions take, and it locks them for its
duration (minutes for tens of millions of rows). A SQLite file keeps the old table's pages
free for the positions to come (``VACUUM`` gives them back to the disk).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from littoral.store import hourly, schema
from littoral.store.partitions import (
    PG_SCHEMA_VERSION,
    create_partition,
    create_positions,
    positions_kind,
    require_postgis,
)

_OLD = "positions_schema1"


@dataclass(frozen=True, slots=True, kw_only=True)
class UpgradeReport:
    """What :func:`upgrade_positions` did."""

    url: str
    moved: int
    partitions: int
    needed: bool
    by_hour: bool = False
    """Whether the positions were keyed by hour (SQLite), not partitioned."""

    def describe(self) -> str:
        """Return one line for a person."""
        if not self.needed:
            return f"store {self.url} is up to date: nothing to upgrade"
        if self.by_hour:
            return (
                f"store {self.url} upgraded to schema {hourly.SQLITE_SCHEMA_VERSION}: "
                f"{self.moved} positions keyed by hour, then vessel"
            )
        return (
            f"store {self.url} upgraded to schema {PG_SCHEMA_VERSION}: {self.moved} positions "
            f"moved into {self.partitions} daily partitions"
        )


def upgrade_positions(engine: Engine, url: str) -> UpgradeReport:
    """Move a PostgreSQL store's positions into daily partitions, when they are not yet.

    Raises
    ------
    StoreError
        When PostGIS is missing and this role may not create it.
    """
    postgis = require_postgis(engine, url)
    names = ", ".join(schema.POSITION_COLUMNS)
    with engine.begin() as conn:
        if positions_kind(conn) != "table":
            return UpgradeReport(url=url, moved=0, partitions=0, needed=False)
        conn.execute(text(f"ALTER TABLE positions RENAME TO {_OLD}"))
        conn.execute(text(f"ALTER TABLE {_OLD} RENAME CONSTRAINT positions_key TO {_OLD}_key"))
        create_positions(conn, postgis)
        days = conn.execute(
            text(f"SELECT DISTINCT floor(time_ms / 86400000.0)::bigint FROM {_OLD}")  # noqa: S608
        ).scalars()
        made = [create_partition(conn, int(day)) for day in days]
        moved = conn.execute(
            text(
                f"INSERT INTO positions ({names}) SELECT {names} FROM {_OLD} "  # noqa: S608
                "ON CONFLICT DO NOTHING"
            )
        ).rowcount
        conn.execute(text(f"DROP TABLE {_OLD}"))
        schema.set_schema_version(conn, PG_SCHEMA_VERSION)
    return UpgradeReport(url=url, moved=int(moved), partitions=len(made), needed=True)


def upgrade_sqlite_positions(engine: Engine, url: str) -> UpgradeReport:
    """Key a SQLite store's positions by hour, then vessel, when they are not yet."""
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # (no other writer meanwhile)
        if hourly.has_hour(conn) is not False:  # a new layout, or no positions table yet
            conn.rollback()
            return UpgradeReport(url=url, moved=0, partitions=0, needed=False, by_hour=True)
        conn.exec_driver_sql(f"ALTER TABLE positions RENAME TO {_OLD}")
        hourly.positions.create(conn)
        # in the order of the new key: each page filled once
        order = f"{hourly.HOUR_SQL}, mmsi, time_ms, lon, lat"
        moved = conn.exec_driver_sql(hourly.move_sql(_OLD, order)).rowcount
        conn.exec_driver_sql(f"DROP TABLE {_OLD}")
        schema.set_schema_version(conn, hourly.SQLITE_SCHEMA_VERSION)
        conn.commit()
    return UpgradeReport(url=url, moved=int(moved), partitions=0, needed=True, by_hour=True)
