"""The store: a ``Store`` protocol with SQLite (default) and PostgreSQL backends.

Open one with :func:`open_store`; see ``docs/store.md`` for URLs, schema and guarantees.
Importing this package does not touch any database.
"""

from littoral.store.open import default_store_path, default_store_url, open_store
from littoral.store.protocol import (
    AlertRepository,
    IngestRunRepository,
    PositionRepository,
    QuarantineRepository,
    Store,
    StoredAlert,
    VesselRepository,
)
from littoral.store.records import (
    BoundingBox,
    IngestRun,
    QuarantinedLine,
    QuarantineEntry,
    StoredPosition,
)
from littoral.store.sqlstore import SqlStore

__all__ = [
    "AlertRepository",
    "BoundingBox",
    "IngestRun",
    "IngestRunRepository",
    "PositionRepository",
    "QuarantineEntry",
    "QuarantineRepository",
    "QuarantinedLine",
    "SqlStore",
    "Store",
    "StoredAlert",
    "StoredPosition",
    "VesselRepository",
    "default_store_path",
    "default_store_url",
    "open_store",
]
