"""The map page in each of its six languages, in a real headless Chromium.

Switch to every language and check that every marked string is the catalogue's, that no
catalogue key shows raw, that Persian lays the page out right to left with the map controls
still working, and that positions follow the officer's choice of format. Screenshots go to
``test-output/e2e/`` (``languages-fa-rtl.png``: the Persian page, right to left, with a case
open; ``languages-<code>.png``: each other language; ``sitrep-fa-rtl.png``: the printable
SITREP in Persian).
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from e2e_service import OUTPUT, PASSWORD, Service

from littoral.i18n import LANGUAGES, catalogue

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MARKED = """() => [...document.querySelectorAll('[data-i18n]')]
  .filter((el) => !el.closest('.hidden') || el.tagName === 'OPTION')
  .map((el) => [el.dataset.i18n, el.textContent])"""


def open_case(service: Service) -> int:
    """Open a case east of the Absheron peninsula, at sea, through the API."""
    with httpx.Client(base_url=service.url) as client:
        login = client.post("/api/auth/login", json={"name": "coord.az", "password": PASSWORD})
        assert login.status_code == 200, login.text
        created = client.post(
            "/api/cases",
            json={
                "title": "Fishing boat Kapitan",
                "datum_lat": 40.508333,
                "datum_lon": 50.7,
                "datum_time": "2026-05-01T11:30:00Z",
                "object_class": "PIW-1",
                "persons": 3,
            },
        )
        assert created.status_code in (200, 201), created.text
        case_id: int = created.json()["id"]
        return case_id


def test_the_page_in_six_languages(service: Service, browser_page: Any) -> None:
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    case_id = open_case(service)
    page.goto(service.url + "/")
    page.wait_for_selector("#login-form", state="visible")
    page.fill("#login-name", "coord.az")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#login", state="hidden")
    page.wait_for_selector("#live-status.live", timeout=30_000)
    check_position_formats(page)
    page.evaluate(f"Cases.open({case_id}, false)")
    page.wait_for_selector("#case-title")
    keys = set(catalogue("en").strings) - {"_name", "_dir"}
    # keys whose English text is a common word would match themselves; skip words with no dot
    dotted = sorted(k for k in keys if "." in k)

    for code in LANGUAGES:
        strings = catalogue(code).strings
        page.select_option("#language", code)
        page.wait_for_function(
            "([sel, text]) => document.querySelector(sel).textContent === text",
            arg=["#tabs button[data-tab=alerts]", strings["tab.alerts"]],
        )
        page.wait_for_function(
            "(text) => document.getElementById('case-view').textContent.includes(text)",
            arg=strings["case.log"],
        )
        assert page.evaluate("document.documentElement.lang") == code
        assert page.evaluate("document.documentElement.dir") == strings["_dir"]
        for key, text in page.evaluate(MARKED):
            assert text == strings[key], f"{code}: {key} shows {text!r}"
        body = page.inner_text("body")
        raw = [k for k in dotted if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w.])", body)]
        assert raw == [], f"{code}: keys shown raw: {raw}"
        assert strings["case.datum"] in body
        assert "011130Z MAY 26" in body  # the datum's date-time group, the same in every language
        assert page.evaluate("window.littoral.me.language") == code
        if code == "fa":
            check_right_to_left(page)
            page.screenshot(path=str(OUTPUT / "languages-fa-rtl.png"))
        else:
            page.screenshot(path=str(OUTPUT / f"languages-{code}.png"))
    assert errors == []

    # the printable SITREP in the user's language (Persian now), right to left
    page.goto(f"{service.url}/api/cases/{case_id}/sitrep.html")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    text = page.inner_text("body")
    assert catalogue("fa").text("sitrep.weather") in text
    assert "011130Z MAY 26" in text
    page.screenshot(path=str(OUTPUT / "sitrep-fa-rtl.png"))


def check_right_to_left(page: Any) -> None:
    # the side panel moved to the left of the map, the zoom buttons to its top right
    side = page.locator("aside#side").bounding_box()
    map_box = page.locator("#map").bounding_box()
    assert side["x"] < map_box["x"]
    zoom = page.locator(".leaflet-control-zoom").bounding_box()
    assert zoom["x"] > map_box["x"] + map_box["width"] / 2
    # and they still work
    before = page.evaluate("window.littoral.map.getZoom()")
    page.click(".leaflet-control-zoom-in")
    page.wait_for_function(f"window.littoral.map.getZoom() > {before}")
    assert page.evaluate("getComputedStyle(document.getElementById('map')).direction") == "ltr"


def check_position_formats(page: Any) -> None:
    page.click("#tabs button[data-tab=cases]")
    page.wait_for_selector("li.case-item")
    expected = {
        "dms": "40°30′30″N 050°42′00″E",
        "dd": "40.5083°N 050.7000°E",
        "dm": "40°30.5′N 050°42.0′E",
    }
    for code, text in expected.items():
        page.select_option("#coords", code)
        page.wait_for_function(
            "(text) => document.getElementById('case-list').textContent.includes(text)", arg=text
        )
        assert page.evaluate("window.localStorage.getItem('littoral.coords')") == code
    # the case view writes the datum in the chosen format too
    page.select_option("#coords", "dms")
    page.click("li.case-item")
    page.wait_for_function(
        "(text) => (document.getElementById('case-datum') || {}).textContent?.includes(text)",
        arg=expected["dms"],
    )
    page.select_option("#coords", "dm")
    page.wait_for_function(
        "(text) => (document.getElementById('case-datum') || {}).textContent?.includes(text)",
        arg=expected["dm"],
    )
