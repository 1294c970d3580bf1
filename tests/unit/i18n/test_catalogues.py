"""Every string the map page and the SITREP use is in every language's catalogue.

The keys are read from the page's own files (``t("...")`` calls, ``data-i18n`` attributes,
``"area.name"`` literals of the catalogue's areas) and from the SITREP's module
(``.text("...")`` calls), so a key added to the page without its six translations fails here,
not in front of an officer.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from littoral.api.schemas import Language
from littoral.i18n import LANGUAGES, catalogue, fields
from littoral.services import cases as case_service
from littoral.services import sitrep
from littoral.services.accounts import Role
from littoral.web import STATIC_DIR

PAGE_FILES = [*sorted(STATIC_DIR.glob("*.js")), STATIC_DIR / "index.html"]
ENGLISH = catalogue("en").strings
AREAS = {key.split(".", 1)[0] for key in ENGLISH if "." in key}

DYNAMIC: dict[str, tuple[str, ...]] = {
    "outcome.": case_service.OUTCOMES,
    "platform.": case_service.PLATFORMS,
    "status.": ("open", "closed"),
    "role.": tuple(role.value for role in Role),
}
"""Keys built in code from a prefix, with every value the prefix is completed by."""

CALL = re.compile(r"""\bt\(\s*(["'])([^"'`]+)\1\s*[,)]""")
DYNAMIC_CALL = re.compile(r"""\bt\(\s*(?:(["'])([\w.]+\.)\1\s*\+|`([\w.]+\.)\$\{)""")
ATTRIBUTE = re.compile(r"""data-i18n(?:-label)?="([^"]+)\"""")
LITERAL = re.compile(r"""["']([a-z_]+\.[a-z_][a-z0-9_.]*)["']""")


def page_keys() -> tuple[set[str], set[str]]:
    """Return the page's literal keys and the prefixes it completes at run time."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in PAGE_FILES:
        source = path.read_text(encoding="utf-8")
        keys.update(m.group(2) for m in CALL.finditer(source))
        keys.update(ATTRIBUTE.findall(source))
        keys.update(k for k in LITERAL.findall(source) if k.split(".", 1)[0] in AREAS)
        prefixes.update(m.group(2) or m.group(3) for m in DYNAMIC_CALL.finditer(source))
    return keys, prefixes


def sitrep_keys() -> tuple[set[str], set[str]]:
    """Return the SITREP's literal keys and the prefixes it completes (f-strings)."""
    tree = ast.parse(Path(sitrep.__file__).read_text(encoding="utf-8"))
    keys: set[str] = set()
    prefixes: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in ("text", "up"):
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            keys.add(first.value)
        elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
            prefixes.add(str(first.values[0].value))
    return keys, prefixes


def expand(prefixes: set[str]) -> set[str]:
    unknown = prefixes - set(DYNAMIC)
    assert not unknown, f"keys built from {sorted(unknown)}: list their values in DYNAMIC"
    return {prefix + value for prefix in prefixes for value in DYNAMIC[prefix]}


def used_keys() -> set[str]:
    page, page_prefixes = page_keys()
    report, report_prefixes = sitrep_keys()
    return page | report | expand(page_prefixes | report_prefixes) | {"_name", "_dir"}


def test_the_scan_finds_the_page_and_the_sitrep() -> None:
    # a scan that found nothing would pass every language: pin what it must see
    keys = used_keys()
    for key in ("login.submit", "tab.alerts", "case.pod", "outcome.rescued", "role.admin"):
        assert key in keys
    for key in ("sitrep.identity", "sitrep.wind", "platform.helicopter", "sitrep.print"):
        assert key in keys
    assert len(keys) > 120


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_used_key_is_in_every_language(code: str) -> None:
    strings = catalogue(code).strings
    missing = sorted(used_keys() - set(strings))
    assert missing == [], f"{code}: missing {missing}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_has_the_english_keys_and_fields(code: str) -> None:
    strings = catalogue(code).strings
    assert sorted(set(ENGLISH) - set(strings)) == [], f"{code} lacks keys"
    assert sorted(set(strings) - set(ENGLISH)) == [], f"{code} has keys English lacks"
    for key, english in ENGLISH.items():
        assert strings[key].strip(), f"{code}: {key} is empty"
        assert fields(strings[key]) == fields(english), f"{code}: {key} fields differ"


def test_untranslated_strings_are_only_codes_and_abbreviations() -> None:
    # a value copied from English by mistake shows up here; the few that stay are on the list
    same_everywhere = {"vessel.mmsi", "vessel.imo", "case.sitrep", "unit.m", "_dir"}
    same_everywhere |= {"role.admin", "platform.helicopter", "unit.min"}
    # international words that Azerbaijani and Turkmen write as English does
    same_everywhere |= {"unit.km", "type.tanker", "place.terminal"}
    for code in LANGUAGES:
        if code == "en":
            continue
        strings = catalogue(code).strings
        copied = sorted(
            k for k, v in strings.items() if v == ENGLISH[k] and k not in same_everywhere
        )
        assert copied == [], f"{code}: still English: {copied}"


def test_persian_is_right_to_left_and_the_others_left_to_right() -> None:
    for code in LANGUAGES:
        assert catalogue(code).direction == ("rtl" if code == "fa" else "ltr")


def test_scripts() -> None:
    # Azerbaijani and Turkmen in the Latin script, Kazakh and Russian in Cyrillic, Persian in
    # the Arabic script
    scripts = {
        "az": r"[ƏəĞğİıÖöŞşÜüÇç]",
        "tk": r"[ÄäŇňÖöŞşÜüÝýŽžÇç]",
        "kk": r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]",
        "ru": r"[А-Яа-яЁё]",
        "fa": r"[\u0600-\u06FF]",
    }
    for code, pattern in scripts.items():
        name = catalogue(code).text("login.subtitle")
        assert re.search(pattern, name), f"{code}: {name!r}"
    assert not re.search(r"[А-Яа-я]", " ".join(catalogue("az").strings.values()))
    assert not re.search(r"[А-Яа-я]", " ".join(catalogue("tk").strings.values()))


def test_the_api_accepts_exactly_the_catalogued_languages() -> None:
    assert set(Language.__args__) == set(LANGUAGES)  # type: ignore[attr-defined]


def test_azerbaijani_capitals_keep_the_dot() -> None:
    assert catalogue("az").upper("istiqamət") == "İSTİQAMƏT"
    assert catalogue("tk").upper("ýel") == "ÝEL"
    assert catalogue("kk").upper("іздеу") == "ІЗДЕУ"
