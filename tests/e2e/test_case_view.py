"""The case view in a real headless Chromium against a real ``littoral serve``.

A case east of Absheron: the drift cloud at every output time of the slider (the first one
included), the legend of the 50 % and 90 % areas, two rounds of search areas, labelled A-1,
B-1, A-2..., each with its unit, time on scene and POS, switched on and off per round, and
the case's weighted scenarios as layers of their own.
Screenshots go to ``test-output/e2e/case-*.png``.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from e2e_service import OUTPUT, PASSWORD, Service

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOW = datetime.now(UTC).replace(microsecond=0)


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(OUTPUT / f"{name}.png"))


def shown_labels(round_number: int) -> str:
    """A JS expression: the round's area labels on the map, those fading out left aside."""
    return (
        f"[...document.querySelectorAll('.area-label.round-{round_number}')]"
        ".filter((e) => e.style.opacity !== '0')"
    )


def view(page: Any, lat: float, lon: float, zoom: float) -> None:
    page.evaluate(f"void window.littoral.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")


def call(page: Any, path: str, method: str = "GET", body: object = None) -> Any:
    """Call the API from the page, with the officer's session."""
    return page.evaluate(
        "([path, method, body]) => api(path, body === null ? { method } : { method, json: body })",
        [path, method, body],
    )


def finish(page: Any, run: dict[str, Any]) -> None:
    """Wait for a background run to end, check that it succeeded, and show the case again.

    The page also refreshes on the run's event; opening the case here keeps the test
    independent of when that event arrives on a loaded machine.
    """
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        got = call(page, f"/api/runs/{run['id']}")
        if got["status"] in ("done", "failed"):
            assert got["status"] == "done", got["message"]
            page.evaluate(f"Cases.open({run['case_id']}, false).then(() => null)")
            return
        time.sleep(0.3)
    raise AssertionError(f"run {run['id']} did not finish")


def test_case_view_slider_contours_and_rounds(service: Service, browser_page: Any) -> None:
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(service.url + "/")
    page.fill("#login-name", "coord.az")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#login", state="hidden")
    # the layer control folds away, leaving the case's layers in view
    page.click("#layer-toggle")
    assert page.locator("#layer-control .layer-list").is_hidden()

    case = call(
        page,
        "/api/cases",
        "POST",
        {
            "title": "Liferaft east of Absheron",
            "datum_lat": 40.55,
            "datum_lon": 51.05,
            "datum_time": (NOW - timedelta(hours=1)).isoformat(),
            "object_class": "PIW-1",
            "persons": 2,
        },
    )
    cid = case["id"]
    call(
        page,
        f"/api/cases/{cid}/environment",
        "PUT",
        {"wind_from_deg": 340, "wind_speed_kn": 18, "current_to_deg": 150,
         "current_speed_kn": 0.5, "visibility_nm": 8},
    )  # fmt: skip
    page.evaluate(f"Cases.open({cid})")
    page.wait_for_selector("#case-title")
    finish(page, call(page, f"/api/cases/{cid}/drift", "POST", {"duration_h": 4, "particles": 400}))
    page.wait_for_selector("#drift-slider", timeout=30_000)
    page.wait_for_function("document.querySelectorAll('.leaflet-image-layer').length > 0")

    # the contour legend beside the slider
    legend = page.text_content("#contour-legend") or ""
    for words in ("50 % containment", "90 % containment", "Probability", "Drift particles"):
        assert words in legend, words

    # every output time shows the cloud, the first one (all at the datum) included
    n_times = int(page.get_attribute("#drift-slider", "max")) + 1
    assert n_times >= 4
    assert page.get_attribute("#drift-slider", "min") == "0"
    for k in [0, *range(1, n_times)]:
        page.locator("#drift-slider").fill(str(k))
        page.wait_for_function(f"Cases.frameIndex === {k} && Cases.frames.has({k})")
        page.wait_for_function("Cases.shownParticles > 0")
        assert page.text_content("#drift-step") == f"{k} / {n_times - 1}"
        if k == 0:
            # the datum's spread: the 50 % and 90 % areas exist from the first step on
            assert page.evaluate("Cases.frames.get(0).containment['50'].length") >= 1
            shot(page, "case-01-drift-first-step")
            # zoomed far out, a cloud a few pixels across is ringed so that it is still seen
            view(page, case["datum_lat"], case["datum_lon"], 6.5)
            page.evaluate("Cases.showFrame(0).then(() => null)")
            page.wait_for_selector("path.cloud-marker")
            shot(page, "case-02-drift-first-step-zoomed-out-ringed")
            view(page, case["datum_lat"], case["datum_lon"], 10)
    page.wait_for_function(
        "document.querySelectorAll('.leaflet-overlay-pane path').length > 2"
    )  # 50 % and 90 % areas drawn at the last step
    shot(page, "case-03-drift-last-step-contour-legend")

    # two units, a first round; then a third unit and a second round
    for name, platform, speed in (("SAR-101", "vessel", 15), ("HELI-7", "helicopter", 90)):
        call(page, f"/api/cases/{cid}/units", "POST",
             {"name": name, "platform": platform, "speed_kn": speed, "endurance_h": 4})  # fmt: skip
    finish(page, call(page, f"/api/cases/{cid}/plan", "POST", {}))
    page.wait_for_selector("#round-toggles input[data-round='1']", timeout=120_000)
    # a label taken off the map stays 200 ms in the page at opacity 0 (Leaflet's fade), so a
    # refresh of the plan view briefly holds the old labels too: only the shown ones count
    page.wait_for_function(f"{shown_labels(1)}.length === 2")
    labels = sorted(page.evaluate(f"{shown_labels(1)}.map((e) => e.textContent)"))
    assert len(labels) == 2
    assert {label.split(" ")[0] for label in labels} == {"A-1", "B-1"}
    for label in labels:
        # unit, time on scene (DDHHMMZ-DDHHMMZ, as date-time groups) and POS
        assert re.search(r"(SAR-101|HELI-7) · \d{6}Z–\d{6}Z · POS \d+ %", label), label
    assert "A-1" in (page.text_content("#plan-view") or "")
    shot(page, "case-04-round-1-areas-labelled")

    call(page, f"/api/cases/{cid}/units", "POST",
         {"name": "SAR-202", "platform": "vessel", "speed_kn": 20, "endurance_h": 5})  # fmt: skip
    page.evaluate(f"Cases.open({cid}, false)")
    page.wait_for_function("document.querySelectorAll('#unit-list li[data-unit]').length === 3")
    finish(page, call(page, f"/api/cases/{cid}/plan", "POST", {}))
    page.wait_for_selector("#round-toggles input[data-round='2']", timeout=120_000)
    # the new round alone is drawn; the first is a switch away
    page.wait_for_function("document.querySelectorAll('.area-label.round-1').length === 0")
    round2 = page.locator(".area-label.round-2").all_text_contents()
    assert {label.split(" ")[0] for label in round2} == {"A-2", "B-2", "C-2"}
    assert not page.is_checked("#round-toggles input[data-round='1']")
    shot(page, "case-05-round-2-alone")
    page.check("#round-toggles input[data-round='1']")
    assert page.evaluate(f"{shown_labels(1)}.length") == 2
    assert page.locator("path.search-area.round-1").count() == 2
    shot(page, "case-06-rounds-1-and-2")
    page.uncheck("#round-toggles input[data-round='2']")
    # labels fade out over 200 ms before they leave the page
    page.wait_for_function("document.querySelectorAll('.area-label.round-2').length === 0")
    assert page.evaluate(f"{shown_labels(1)}.length") == 2
    shot(page, "case-07-round-1-only")

    # two weighted scenarios: the raft adrift near the datum, or the boat still on its voyage
    raft = {"name": "raft", "weight": 3, "lat": 40.55, "lon": 51.05, "radius_nm": 1.5}
    voyage = {
        "name": "voyage",
        "weight": 1,
        "kind": "track",
        "lat": 40.45,
        "lon": 50.9,
        "to_lat": 40.62,
        "to_lon": 51.2,
        "radius_nm": 1,
        "time": (NOW - timedelta(hours=3)).isoformat(),
        "time_end": NOW.isoformat(),
    }
    for scenario in (raft, voyage):
        call(page, f"/api/cases/{cid}/scenarios", "POST", scenario)
    page.evaluate(f"Cases.open({cid}, false).then(() => null)")
    page.wait_for_selector("#scenario-list")
    labels = page.locator(".scenario-label").all_text_contents()
    assert sorted(labels) == ["raft · 75 %", "voyage · 25 %"]
    assert "share 75 %" in (page.text_content("#scenario-list") or "")
    page.locator("#scenario-list").scroll_into_view_if_needed()
    shot(page, "case-08-scenarios")
    page.uncheck("#scenario-list input[data-scenario=voyage]")
    page.wait_for_function("document.querySelectorAll('.scenario-label').length === 1")
    assert page.locator(".scenario-label").text_content() == "raft · 75 %"
    assert errors == []
