"""The tables of the store, on SQLAlchemy Core, the same for SQLite and PostgreSQL.

Times are integer milliseconds since the Unix epoch (``*_ms``), longitudes and latitudes are
WGS 84 degrees. The positions table's key is ``(mmsi, time_ms, lon, lat)``: re-ingesting
the same data is a no-op. It is the table of PostgreSQL's daily partitions
(:mod:`littoral.store.partitions`); SQLite keeps the same columns clustered on
``(hour, mmsi, time_ms, lon, lat)``, ``WITHOUT ROWID`` (:mod:`littoral.store.hourly`), which
answers the two questions a watch officer asks most with one structure: "the track of this
MMSI between t0 and t1" is one range of the key per hour, and "which vessels were in this
box at time t" a key lookup per vessel and hour for its last position before t. One
structure instead of a table and two indexes makes ingest about a fifth faster and the file
half the size.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 1
"""The schema of a store made before its positions took the layout of their backend; kept
in ``store_meta``. Schema 2 is positions in daily partitions on PostgreSQL
(:data:`~littoral.store.partitions.PG_SCHEMA_VERSION`) and keyed by hour on SQLite
(:data:`~littoral.store.hourly.SQLITE_SCHEMA_VERSION`)."""

metadata = MetaData()

store_meta = Table(
    "store_meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)


def set_schema_version(conn: Connection, version: int) -> None:
    """Record ``version`` as the store's schema, in the caller's transaction (row present)."""
    conn.execute(
        store_meta.update().where(store_meta.c.key == "schema_version").values(value=str(version))
    )


def _vessel_columns() -> list[Column[Any]]:
    """Return the columns of a vessel's latest state, after its key (new objects per table)."""
    return [
        Column("ais_class", Text, nullable=False),
        Column("mid", Integer),
        Column("flag", Text),
        Column("flag_code", Text),
        Column("is_littoral", Boolean, nullable=False),
        Column("name", Text),
        Column("callsign", Text),
        Column("imo", BigInteger),
        Column("ship_type", Integer),
        Column("to_bow_m", Float),
        Column("to_stern_m", Float),
        Column("to_port_m", Float),
        Column("to_starboard_m", Float),
        Column("destination", Text),
        Column("eta_ms", BigInteger),
        Column("draught_m", Float),
        Column("static_time_ms", BigInteger),
        Column("lon", Float),
        Column("lat", Float),
        Column("position_time_ms", BigInteger),
        Column("sog_kn", Float),
        Column("cog_deg", Float),
        Column("heading_deg", Float),
        Column("nav_status", SmallInteger),
        Column("first_seen_ms", BigInteger, nullable=False),
        Column("last_seen_ms", BigInteger, nullable=False),
        Column("message_count", BigInteger, nullable=False),
        Column("last_text", Text),
    ]


vessels = Table(
    "vessels",
    metadata,
    Column("mmsi", BigInteger, primary_key=True, autoincrement=False),
    *_vessel_columns(),
)
"""The latest state of every vessel: of the first ship heard on each MMSI."""

vessel_tracks = Table(
    "vessel_tracks",
    metadata,
    Column("mmsi", BigInteger, nullable=False),
    Column("track", SmallInteger, nullable=False),
    *_vessel_columns(),
    PrimaryKeyConstraint("mmsi", "track", name="vessel_tracks_key"),
)
"""The other ships heard on an MMSI at the same time, far away (track 1, 2...; vessel key
``MMSI-2``, ``MMSI-3``...; see :mod:`littoral.tracks.split`), with the columns of
``vessels``. Their positions are in ``positions`` under the MMSI, as received."""

positions = Table(
    "positions",
    metadata,
    Column("mmsi", BigInteger, nullable=False),
    Column("time_ms", BigInteger, nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("sog_kn", Float),
    Column("cog_deg", Float),
    Column("heading_deg", Float),
    Column("nav_status", SmallInteger),
    Column("msg_type", SmallInteger, nullable=False),
    Column("source", Text, nullable=False),
    PrimaryKeyConstraint("mmsi", "time_ms", "lon", "lat", name="positions_key"),
    sqlite_with_rowid=False,
)

POSITION_COLUMNS = (
    "mmsi",
    "time_ms",
    "lon",
    "lat",
    "sog_kn",
    "cog_deg",
    "heading_deg",
    "nav_status",
    "msg_type",
    "source",
)
"""Column order of the bulk position insert."""

safety_texts = Table(
    "safety_texts",
    metadata,
    Column("mmsi", BigInteger, nullable=False),
    Column("time_ms", BigInteger, nullable=False),
    Column("msg_type", SmallInteger, nullable=False),
    Column("text", Text, nullable=False),
    Column("dest_mmsi", BigInteger),
    Column("source", Text, nullable=False),
    PrimaryKeyConstraint("mmsi", "time_ms", "msg_type", "text", name="safety_texts_key"),
    sqlite_with_rowid=False,
)
"""Safety texts (types 12 and 14) and distress texts of binary messages, once each: what the
watch needs, with the positions, to replay a distress exactly."""

Index("safety_texts_time", safety_texts.c.time_ms)

SAFETY_COLUMNS = ("mmsi", "time_ms", "msg_type", "text", "dest_mmsi", "source")
"""Column order of the bulk safety-text insert."""

static_reports = Table(
    "static_reports",
    metadata,
    Column("mmsi", BigInteger, nullable=False),
    Column("time_ms", BigInteger, nullable=False),
    Column("msg_type", SmallInteger, nullable=False),
    Column("name", Text),
    Column("callsign", Text),
    Column("imo", BigInteger),
    Column("ship_type", Integer),
    Column("source", Text, nullable=False),
    PrimaryKeyConstraint("mmsi", "time_ms", "msg_type", name="static_reports_key"),
    sqlite_with_rowid=False,
)
"""Static reports that changed a vessel's identity (name, call sign, IMO, ship type), as the
ingest received them: the identity history the watch replays (the ``vessels`` row keeps only
the latest)."""
Index("static_reports_time", static_reports.c.time_ms)

STATIC_COLUMNS = ("mmsi", "time_ms", "msg_type", "name", "callsign", "imo", "ship_type", "source")
"""Column order of the bulk static-report insert."""

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("time_ms", BigInteger, nullable=False),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("line", Text, nullable=False),
    UniqueConstraint("source", "time_ms", "line", name="quarantine_key"),
)
Index("quarantine_reason", quarantine.c.reason)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("started_ms", BigInteger, nullable=False),
    Column("finished_ms", BigInteger, nullable=False),
    Column("sources", Text, nullable=False),
    Column("lines", BigInteger, nullable=False),
    Column("messages", BigInteger, nullable=False),
    Column("positions_stored", BigInteger, nullable=False),
    Column("vessels", BigInteger, nullable=False),
    Column("rejects", BigInteger, nullable=False),
    Column("counts", Text, nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Text, primary_key=True),
    Column("rule", Text, nullable=False),
    Column("priority", SmallInteger, nullable=False),
    Column("mmsis", Text, nullable=False),
    Column("start_ms", BigInteger, nullable=False),
    Column("end_ms", BigInteger),
    Column("lon", Float),  # NULL: position not known (e.g. a distress text alone)
    Column("lat", Float),
    Column("reason", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("details", Text, nullable=False),
    Column("acknowledged_by", Text),
    Column("acknowledged_ms", BigInteger),
    Column("comment", Text),
    Column("updated_ms", BigInteger, nullable=False),
)
Index("alerts_status", alerts.c.status, alerts.c.start_ms)
