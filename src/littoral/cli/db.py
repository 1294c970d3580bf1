"""Opening the store named by ``--db``: a missing SQLite file is made only on ``--create``.

A mistyped ``--db sqlite:///centr.db`` used to make a new, empty store and answer "0 vessels"
with success. Now the AIS picture and watch commands refuse a SQLite file that does not
exist unless ``--create`` is given; ``users list``, ``users set-role|disable|enable|
reset-password`` and ``audit verify`` always refuse one (there is nothing to read or
change). ``users add``, ``serve`` and ``alert open`` still make a missing file. PostgreSQL
URLs (the database must exist already) and ``sqlite:///:memory:`` pass unchanged; without
``--db`` (nor ``$LITTORAL_DB``) the default file in the user's data folder is made when
needed, as before.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from littoral.errors import InputError

if TYPE_CHECKING:
    from littoral.store import SqlStore


def add_create_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--create`` to a command that takes ``--db``."""
    parser.add_argument(
        "--create",
        action="store_true",
        help="make the SQLite store named by --db if it does not exist yet",
    )


def sqlite_file(url: str) -> Path | None:
    """Return the file of a SQLite URL or path, None for PostgreSQL and ``:memory:``.

    >>> sqlite_file("sqlite:///centre.db")
    PosixPath('centre.db')
    >>> sqlite_file("postgresql://centre/littoral") is None
    True
    """
    if "://" not in url:
        return Path(url).expanduser()
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        return None if path in ("", ":memory:") else Path(path).expanduser()
    return None


def open_cli_store(url: str | None, *, create: bool) -> SqlStore:
    """Open the store of ``--db`` (or ``$LITTORAL_DB``), refusing a missing SQLite file.

    Raises
    ------
    InputError
        Naming the URL, when it is a SQLite file that does not exist and ``create`` is false.
    """
    from littoral.store import open_store

    return open_store(require_store(url, create=create))


def require_store(url: str | None, *, create: bool) -> str | None:
    """Return the store URL of ``--db`` (or ``$LITTORAL_DB``), refusing a missing SQLite file.

    ``create=False`` without a ``--create`` option is for commands that only read or change
    what is stored (``users list``, ``audit verify``): for them a missing file is a typo.

    Raises
    ------
    InputError
        Naming the URL, when it is a SQLite file that does not exist and ``create`` is false.
    """
    from littoral.settings import Settings

    db_url = Settings.build(url).db_url
    if db_url is not None:
        path = sqlite_file(db_url)
        if path is not None and not create and not path.exists():
            raise InputError(
                f"--db {db_url!r}: no store at {str(path)!r}; check the name, "
                "or give --create to make a new one"
            )
    return db_url
