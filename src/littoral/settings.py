"""Runtime settings shared by the commands: where the store is. Built on demand, never at import.

The store URL comes, in this order, from the command line (``--db``), the environment
variable ``LITTORAL_DB``, or the default SQLite file in the user's data directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DB_ENV = "LITTORAL_DB"
"""Environment variable naming the store URL."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Settings of one run of a command.

    Attributes
    ----------
    db_url
        ``sqlite:///FILE``, a file path, ``postgresql://...``, or ``None`` for the default
        SQLite file (:func:`littoral.store.default_store_path`).
    """

    db_url: str | None = None

    @classmethod
    def build(cls, db: str | None = None, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from a command-line value and the environment.

        Examples
        --------
        >>> Settings.build(None, {"LITTORAL_DB": "postgresql://centre/littoral"}).db_url
        'postgresql://centre/littoral'
        >>> Settings.build("picture.sqlite", {"LITTORAL_DB": "x"}).db_url
        'picture.sqlite'
        """
        if db:
            return cls(db_url=db)
        env = environ if environ is not None else _environ()
        return cls(db_url=env.get(DB_ENV) or None)


def _environ() -> Mapping[str, str]:
    import os

    return os.environ
