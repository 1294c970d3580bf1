"""Open a store from a URL: ``sqlite:///file``, a plain file path, or ``postgresql://...``.

Without a URL the store is the SQLite file ``littoral.sqlite`` in the user's data directory
(``platformdirs.user_data_path("littoral")``, e.g. ``~/.local/share/littoral`` on Linux).
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from littoral.errors import InputError, StoreError
from littoral.store.backend import POSTGRESQL, SQLITE, postgresql_engine, sqlite_engine
from littoral.store.protocol import Store
from littoral.store.sqlstore import SqlStore
from littoral.store.upgrade import UpgradeReport, upgrade_positions, upgrade_sqlite_positions

DEFAULT_FILENAME = "littoral.sqlite"
_PG_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def default_store_path() -> Path:
    """Return the default SQLite file in the user's data directory."""
    import platformdirs

    return platformdirs.user_data_path("littoral", appauthor=False) / DEFAULT_FILENAME


def default_store_url() -> str:
    """Return ``sqlite:///`` URL of :func:`default_store_path`."""
    return f"sqlite:///{default_store_path()}"


def hide_password(url: str) -> str:
    """Return ``url`` with any password replaced by ``***``.

    Also a URL that SQLAlchemy cannot read (a port that is no number...): the text between
    the user's ``:`` and the last ``@`` of its authority is the password then.

    Examples
    --------
    >>> hide_password("postgresql://u:secret@h:notaport/d")
    'postgresql://u:***@h:notaport/d'
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _PASSWORD.sub(r"\1***@", url)


_PASSWORD = re.compile(r"(://[^:/@]*:)[^/]*@")
"""A URL's user and ``:``, then its password up to the last ``@`` before the path."""


def open_store(url: str | Path | None = None) -> SqlStore:
    """Open (creating if needed) the store at ``url``.

    Parameters
    ----------
    url
        ``sqlite:///path/to/file.sqlite``, ``sqlite:///:memory:``, a plain file path,
        ``postgresql://user:password@host:port/dbname``, or ``None`` for the default file.

    Raises
    ------
    InputError
        If the URL's scheme is neither SQLite nor PostgreSQL.
    StoreError
        If the database cannot be reached or created.

    Examples
    --------
    >>> store = open_store("sqlite:///:memory:")
    >>> store.vessels.count()
    0
    """
    if url is None:
        path = default_store_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return _open_sqlite(str(path))
    text = str(url)
    sqlite_path = _sqlite_path(url)
    if sqlite_path is not None:
        return _open_sqlite(sqlite_path)
    return SqlStore(_postgresql(text), POSTGRESQL, hide_password(text))


def _postgresql(url: str) -> Engine:
    """Return an engine on the PostgreSQL ``url``; a malformed one is an :class:`InputError`.

    (SQLAlchemy reads a port that is no number with ``int()``: a ``ValueError``.)
    """
    try:
        return postgresql_engine(url)
    except ArgumentError as exc:
        raise InputError(f"db url={hide_password(url)!r} is malformed: {exc}") from exc
    except ValueError as exc:  # (its text may hold a piece of the password: not shown)
        raise InputError(
            f"db url={hide_password(url)!r} is malformed: its port is not a number"
        ) from exc


def _sqlite_path(url: str | Path) -> str | None:
    """Return the file of a SQLite URL or path; None for a PostgreSQL URL.

    Raises
    ------
    InputError
        If the URL's scheme is neither SQLite nor PostgreSQL.
    """
    text = str(url)
    if isinstance(url, Path) or "://" not in text:
        return text
    if text.startswith("sqlite:///"):
        return text[len("sqlite:///") :]
    if text.startswith(_PG_PREFIXES):
        return None
    raise InputError(
        f"db url={hide_password(text)!r} is not supported; give sqlite:///FILE, a file path, "
        "or postgresql://USER:PASSWORD@HOST:PORT/DB"
    )


def upgrade_store(url: str) -> UpgradeReport:
    """Bring the store at ``url`` to this littoral's schema (its positions' layout).

    PostgreSQL: positions partitioned by day. SQLite (a file path or ``sqlite:///FILE``):
    positions keyed by hour, then vessel.

    Raises
    ------
    InputError
        If the URL is malformed.
    StoreError
        If the database cannot be reached or the move fails (the store is then unchanged).
    """
    path = _sqlite_path(url)
    if path is not None:
        return _upgrade_sqlite(path)
    engine = _postgresql(url)
    try:
        return upgrade_positions(engine, hide_password(url))
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot upgrade store {hide_password(url)}: {exc}") from exc
    finally:
        engine.dispose()


def _upgrade_sqlite(path: str) -> UpgradeReport:
    if not path or path == ":memory:" or not Path(path).expanduser().is_file():
        raise StoreError(f"cannot upgrade store sqlite:///{path}: no such file")
    engine = sqlite_engine(str(Path(path).expanduser()))
    try:
        return upgrade_sqlite_positions(engine, f"sqlite:///{path}")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot upgrade store sqlite:///{path}: {exc}") from exc
    finally:
        engine.dispose()


def _open_sqlite(path: str) -> SqlStore:
    if not path:
        raise InputError("db path='' is empty; give a file path")
    if path != ":memory:":
        parent = Path(path).expanduser().resolve().parent
        if not parent.is_dir():
            raise StoreError(f"cannot open store {path}: folder {parent} does not exist")
        path = str(Path(path).expanduser())
    return SqlStore(sqlite_engine(path), SQLITE, f"sqlite:///{path}")


def _conforms(store: SqlStore) -> Store:
    """Have the type checker prove that :class:`SqlStore` satisfies :class:`Store`."""
    return store
