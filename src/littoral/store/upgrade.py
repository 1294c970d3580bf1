"""Move the positions of a schema 1 PostgreSQL store into daily partitions (schema 2).

A PostgreSQL store made before positions were partitioned keeps them in one table. Opening
it is refused with the command to run; :func:`upgrade_positions` does the move in one
transaction: the old table is renamed, the partitioned one made with a partition per day
found, the rows copied across, the old table dropped and ``store_meta.schema_version`` set
to 2. A failure leaves the store as it was. It needs about as much free disk as the
positions take, and it locks them for its duration (minutes for tens of millions of rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from littoral.store import schema
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

    def describe(self) -> str:
        """Return one line for a person."""
        if not self.needed:
            return f"store {self.url} is up to date: nothing to upgrade"
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
        conn.execute(
            schema.store_meta.update()
            .where(schema.store_meta.c.key == "schema_version")
            .values(value=str(PG_SCHEMA_VERSION))
        )
    return UpgradeReport(url=url, moved=int(moved), partitions=len(made), needed=True)
