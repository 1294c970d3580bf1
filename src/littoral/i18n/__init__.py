"""littoral.i18n: the strings of the map page and the printable SITREP, one catalogue per language.

The five littoral states' languages and English: Azerbaijani in the Latin script (``az``),
Persian (``fa``, written right to left), Kazakh in the Cyrillic script in official use
(``kk``), Turkmen in the Latin script (``tk``), Russian (``ru``) and English (``en``). Each
catalogue is a JSON file in ``catalogues/`` holding every key of the English one; the map page
loads them all from ``/i18n.json`` and the SITREP renders its form from them. Keys starting
with ``_`` describe the language itself (``_name``, ``_dir``).

A string may hold ``{name}`` fields, filled by :meth:`Catalogue.text`; every language's
string carries the same fields as the English one (a unit test checks keys and fields).
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from littoral.errors import InputError

LANGUAGES: tuple[str, ...] = ("en", "ru", "az", "kk", "tk", "fa")
"""Language codes (ISO 639-1) the page and the SITREP speak."""

Direction = Literal["ltr", "rtl"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalogue:
    """The strings of one language, keyed as the page and the SITREP name them."""

    code: str
    name: str
    direction: Direction
    strings: dict[str, str]

    def text(self, key: str, **fields: object) -> str:
        """Return the string ``key`` with its ``{name}`` fields filled from ``fields``.

        Examples
        --------
        >>> catalogue("en").text("sitrep.searched", unit="SAR-101", points=12)
        'Searched by SAR-101: 12 track points'
        """
        template = self.strings.get(key)
        if template is None:  # a unit test keeps every catalogue complete; English backs it
            template = catalogue("en").strings[key]
        return template.format(**fields) if fields else template

    def upper(self, text: str) -> str:
        """Return ``text`` in capitals as this language writes them (Azerbaijani i is İ).

        Examples
        --------
        >>> catalogue("az").upper("xilas edildi")
        'XİLAS EDİLDİ'
        """
        if self.code == "az":
            text = text.replace("i", "İ")
        return text.upper()


def _read(code: str) -> dict[str, str]:
    path = resources.files("littoral.i18n").joinpath("catalogues", f"{code}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise InputError(f"catalogue {code!r} must be a JSON object of strings")
    return data


@cache
def catalogue(code: str) -> Catalogue:
    """Return the catalogue of language ``code`` (one of :data:`LANGUAGES`)."""
    if code not in LANGUAGES:
        raise InputError(f"language={code!r} is not one of {list(LANGUAGES)}")
    strings = _read(code)
    direction: Direction = "rtl" if strings.get("_dir") == "rtl" else "ltr"
    if strings.get("_dir", "ltr") != direction:
        raise InputError(f"catalogue {code!r}: _dir={strings['_dir']!r} must be 'ltr' or 'rtl'")
    return Catalogue(
        code=code, name=strings.get("_name", code), direction=direction, strings=strings
    )


def all_catalogues() -> dict[str, dict[str, str]]:
    """Return every language's strings by code, as the map page loads them."""
    return {code: catalogue(code).strings for code in LANGUAGES}


def fields(template: str) -> set[str]:
    """Return the names of the ``{name}`` fields of a string.

    Examples
    --------
    >>> sorted(fields("{unit}: {points} track points"))
    ['points', 'unit']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
