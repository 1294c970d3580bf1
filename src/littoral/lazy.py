"""A package's public names imported on first use (PEP 562), for its ``__init__``.

A package whose ``__init__`` names types of heavy modules (numba kernels, shapely, every
desk of the services) would load them all for a caller that wants one light module. With
:func:`lazy_names` the names stay in ``__all__`` and ``dir()``, and type checkers see the
imports under ``TYPE_CHECKING``; the module behind a name is imported when the name is
first asked for, and the value kept in the package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from importlib import import_module
from typing import Any


def lazy_names(
    namespace: MutableMapping[str, Any], homes: Mapping[str, str], public: Sequence[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return a package's ``__getattr__`` and ``__dir__`` for the names of ``homes``.

    ``namespace``: the package's ``globals()``; ``homes``: each name's module; ``public``:
    its ``__all__``.

    Examples
    --------
    >>> space = {"__name__": "demo"}
    >>> getattr_, dir_ = lazy_names(space, {"dedent": "textwrap"}, ["dedent"])
    >>> getattr_("dedent").__name__, "dedent" in space, dir_()[-1]
    ('dedent', True, 'dedent')
    >>> getattr_("nothing")
    Traceback (most recent call last):
    ...
    AttributeError: module 'demo' has no attribute 'nothing'
    """

    def get(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(import_module(home), name)
        namespace[name] = value
        return value

    def names() -> list[str]:
        return sorted({*namespace, *public})

    return get, names
