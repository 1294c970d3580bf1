"""The map page in a real headless Chromium against a real ``littoral serve``.

Log in, watch vessels arrive live from an NMEA feed over TCP, acknowledge an alert, open a
case from a distress alert, run drift and a search plan and see them on the map. Screenshots
go to ``test-output/e2e/`` for a person to look at.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pyais
import pytest
from e2e_service import OUTPUT, PASSWORD, Service

from littoral.exercise.nmea import tag_block
from littoral.records.alerts import Alert, Priority
from littoral.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOW = datetime.now(UTC).replace(microsecond=0)


def positions(step: int) -> list[str]:
    """Twenty vessels on the Baku-Turkmenbashi and Aktau-Makhachkala lanes, moved by step."""
    lines = []
    for k in range(20):
        littoral = k % 3 != 0
        mid = (423, 273, 436, 422, 434)[k % 5] if littoral else (636, 538, 248)[k % 3]
        mmsi = mid * 1_000_000 + 100 + k
        lon = 49.9 + 0.18 * k + 0.01 * step
        lat = 40.2 + 0.25 * (k % 6) + 0.005 * step
        sentence = pyais.encode_dict(
            {
                "type": 1,
                "mmsi": mmsi,
                "lon": lon,
                "lat": lat,
                "speed": 8 + k % 7,
                "course": (40 * k) % 360,
                "heading": (40 * k) % 360,
            }
        )[0]
        when = int((NOW - timedelta(minutes=5) + timedelta(seconds=10 * step)).timestamp())
        lines.append(tag_block("AZ-BAK", when) + sentence)
    static = pyais.encode_dict(
        {
            "type": 5,
            "mmsi": 423000105,
            "shipname": "KAPITAN RAJABOV",
            "ship_type": 70,
            "callsign": "4JAB1",
        }
    )
    when = int((NOW - timedelta(minutes=5) + timedelta(seconds=10 * step)).timestamp())
    lines.extend(tag_block("AZ-BAK", when) + s for s in static)
    return lines


def sart() -> list[str]:
    """An AIS-SART transmitting (MMSI 970xxxxxx, navigation status 14) east of Absheron."""
    sentence = pyais.encode_dict(
        {"type": 1, "mmsi": 970012345, "status": 14, "lon": 51.25, "lat": 41.05, "speed": 0}
    )[0]
    return [tag_block("AZ-BAK", int((NOW - timedelta(minutes=4)).timestamp())) + sentence]


def gpx(points: list[list[float]], start: datetime) -> str:
    """A GPX track along the pattern's waypoints, one every ten minutes from the start."""
    rows = "".join(
        f'<trkpt lat="{lat}" lon="{lon}"><time>'
        f"{(start + timedelta(minutes=10 * k)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for k, (lon, lat) in enumerate(points)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="e2e" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>SAR-101</name><trkseg>'
        f"{rows}</trkseg></trk></gpx>"
    )


def alerts() -> list[Alert]:
    start = NOW - timedelta(minutes=3)
    return [
        Alert(
            id="ais_gap:636000100:e2e",
            rule="ais_gap",
            priority=Priority.MEDIUM,
            mmsis=(636000100,),
            start=start,
            lon=50.9,
            lat=40.9,
            reason="no AIS for 45 min inside the common space",
        ),
    ]


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(OUTPUT / f"{name}.png"))


def wait_for(predicate: Any, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_watch_and_rescue_on_the_map(service: Service, browser_page: Any) -> None:
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    store = open_store(service.db_url)
    store.alerts.upsert(alerts(), NOW)
    store.close()

    page.goto(service.url + "/")
    page.wait_for_selector("#login-form", state="visible")
    page.fill("#login-name", "coord.az")
    page.fill("#login-password", "wrong password")
    page.click("#login-submit")
    page.wait_for_function("document.getElementById('login-error').textContent.length > 0")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#login", state="hidden")
    page.wait_for_selector("#live-status.live")

    # vessels arrive live from the TCP feed
    service.feed.send(positions(0))
    page.wait_for_function("window.littoral.markers.size >= 20", timeout=20_000)
    first = page.evaluate("window.littoral.markers.get('423000105').getLatLng().lng")
    service.feed.send(positions(5))
    page.wait_for_function(
        f"window.littoral.markers.get('423000105').getLatLng().lng > {first + 0.04}", timeout=20_000
    )
    assert page.locator(".vessel-icon").count() >= 20
    shot(page, "01-live-picture")

    # an AIS-SART: the watch engine raises a distress alert, which arrives live
    service.feed.send(sart())
    service.feed.send(positions(30))  # later reports move event time past the reorder window
    page.wait_for_selector("li.alert-item:has-text('distress')", timeout=30_000)

    # the vessel panel: identity and track
    page.evaluate("showVessel('423000105')")
    page.wait_for_selector("#vessel-title")
    assert page.text_content("#vessel-title") == "KAPITAN RAJABOV"
    panel = page.text_content("#vessel-panel") or ""
    assert "°" in panel
    assert "′N" in panel
    assert "kn" in panel
    shot(page, "02-vessel-panel")

    # alerts: pan to one, acknowledge it with a comment
    page.click("#tabs button[data-tab=alerts]")
    item = page.locator("li.alert-item", has_text="ais_gap")
    item.locator("div").first.click()
    page.wait_for_function("window.littoral.map.getZoom() >= 10")
    item.locator("input.ack-comment").fill("checked with Aktau")
    item.locator("button.ack").click()
    page.wait_for_function("!document.querySelector('#alert-list').textContent.includes('ais_gap')")
    shot(page, "03-alerts")

    # a case from the distress alert, in one action
    page.locator("li.alert-item", has_text="distress").locator("button.to-case").click()
    page.wait_for_selector("#case-title")
    assert "970012345" in (page.text_content("#case-title") or "")
    page.fill("#env-form input[name=wind_from_deg]", "340")
    page.fill("#env-form input[name=wind_speed_kn]", "22")
    page.fill("#env-form input[name=current_to_deg]", "170")
    page.fill("#env-form input[name=current_speed_kn]", "0.6")
    page.click("#env-save")
    page.wait_for_selector("#case-log li:has-text('on scene')")
    page.fill("#drift-form input[name=duration_h]", "8")
    page.fill("#drift-form input[name=particles]", "1000")
    page.click("#run-drift")
    page.wait_for_selector("#drift-slider", timeout=120_000)
    page.wait_for_function("document.querySelectorAll('.leaflet-image-layer').length > 0")
    slider = page.locator("#drift-slider")
    slider.fill("4")
    page.wait_for_function("Cases.frameIndex === 4 && Cases.frames.has(4)")
    page.wait_for_timeout(500)
    shot(page, "04-drift")

    page.fill("#unit-form input[name=name]", "SAR-101")
    page.click("#add-unit")
    page.wait_for_selector("#unit-list li[data-unit]")
    page.click("#run-plan")
    page.wait_for_selector("#plan-pos", timeout=120_000)
    assert "POS" in (page.text_content("#plan-pos") or "")
    # a unit searching after the 8 h drift ends (at night it waits for daylight) is named
    # under the plan's POS, as the plan's summary names it; the page says nothing otherwise
    plan = page.evaluate("fetch(`/api/cases/${Cases.current.id}/plan`).then(r => r.json())")
    late = plan.get("units_after_drift_end", [])
    assert late in ([], ["SAR-101"])
    assert page.locator("#plan-late").count() == (1 if late else 0)
    if late:
        assert "SAR-101" in (page.text_content("#plan-late") or "")
    shot(page, "05-plan")

    # the unit searched its pattern and found nothing: its GPX track updates the cloud
    waypoints = page.evaluate("fetch(`/api/cases/${Cases.current.id}/plan`).then(r => r.json())")
    points = waypoints["areas"][0]["pattern"]["waypoints"]
    start = datetime.fromisoformat(waypoints["start"])
    gpx_path = OUTPUT / "sar-101.gpx"
    gpx_path.write_text(gpx(points, start))
    page.set_input_files(".gpx-form input[type=file]", str(gpx_path))
    page.click(".gpx-form button[type=submit]")
    page.wait_for_function(
        "(document.getElementById('drift-text') || {}).textContent?.includes('UPDATED AFTER')",
        timeout=120_000,
    )
    # the plan view shows what the unit searched beside what it planned
    page.wait_for_function(
        "document.getElementById('plan-view').textContent.includes('searched so far')",
        timeout=60_000,
    )
    shot(page, "06-after-search")

    # Russian, chosen by the user
    page.select_option("#language", "ru")
    page.wait_for_function(
        "document.querySelector('#tabs button[data-tab=alerts]').textContent === 'Тревоги'"
    )
    page.wait_for_function("document.querySelector('#case-view').textContent.includes('Журнал')")
    shot(page, "07-russian")
    assert errors == []

    code, output = service.stop()
    assert code == 0, output
    assert "service stopped" in output
