"""littoral.web: the map page, its strings and its static files.

The page is plain HTML and JavaScript served by :mod:`littoral.api`; Leaflet is installed at
build time from the npm registry into ``static/vendor/`` (``make web-assets``), never loaded
from a CDN, so a rescue centre without internet has the whole page.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
"""Folder of the page's files."""

VENDOR_FILES = ("vendor/leaflet.js", "vendor/leaflet.css")
"""Files ``make web-assets`` installs; the page needs them."""


def missing_vendor_files() -> list[str]:
    """Return the vendored files that are not installed (empty when the page is complete)."""
    return [name for name in VENDOR_FILES if not (STATIC_DIR / name).is_file()]
