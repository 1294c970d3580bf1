"""The map as a chart, in a real headless Chromium against a real ``littoral serve``.

Place labels, the graticule, the scale bar in NM and km, the cursor position, the range and
bearing tool, the layer control with its legends, symbols that fade with the age of the last
report, and a vessel's stored track. Each check saves a screenshot under ``test-output/e2e/``
named ``chart-*.png``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pyais
import pytest
from e2e_service import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OUTPUT,
    PASSWORD,
    NmeaServer,
    Service,
    start_service,
)
from pyproj import Geod

from littoral.exercise.nmea import tag_block
from littoral.geo.coords import parse_position
from littoral.records.alerts import Alert, Priority
from littoral.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOW = datetime.now(UTC).replace(microsecond=0)
EARTH_CIRCUMFERENCE_M = 40_075_016.686
"""Equator of the Web Mercator sphere: a tile of 256 px spans it at zoom 0."""

# (mmsi, AIS ship type, lon, lat, minutes since the last report)
FLEET = [
    (423000201, 70, 50.68, 40.55, 2),  # Azerbaijani cargo, live
    (273000202, 80, 50.80, 40.50, 3),  # Russian tanker, live
    (434000203, 60, 50.95, 40.60, 4),  # Turkmen passenger ferry, live
    (422000204, 30, 50.70, 40.70, 5),  # Iranian fishing vessel, live
    (636000205, 80, 50.90, 40.75, 6),  # Liberian tanker (not a littoral flag), live
    (538000206, 52, 51.05, 40.45, 2),  # Marshall Islands tug, live
    (436000207, 70, 50.62, 40.42, 40),  # Kazakh cargo, last report 40 min ago: stale
    (273000208, 70, 51.15, 40.65, 130),  # Russian cargo, last report 2 h 10 min ago: old
]
TRACKED = 423000201


def report(mmsi: int, lon: float, lat: float, minutes_ago: float, course: float = 60) -> str:
    sentence = pyais.encode_dict(
        {"type": 1, "mmsi": mmsi, "lon": lon, "lat": lat, "speed": 9, "course": course,
         "heading": course}
    )[0]  # fmt: skip
    when = int((NOW - timedelta(minutes=minutes_ago)).timestamp())
    return tag_block("AZ-BAK", when) + sentence


def fleet_lines() -> list[str]:
    lines = []
    # the tracked vessel first steams north-east for 50 minutes, a report every 10 minutes
    for k in range(5):
        lines.append(report(TRACKED, 50.58 + 0.02 * k, 40.47 + 0.016 * k, 52 - 10 * k))
    for mmsi, ship_type, lon, lat, age_min in FLEET:
        lines.append(report(mmsi, lon, lat, age_min))
        static = pyais.encode_dict({"type": 5, "mmsi": mmsi, "shipname": f"VESSEL {mmsi % 1000}",
                                    "ship_type": ship_type})  # fmt: skip
        when = int((NOW - timedelta(minutes=age_min)).timestamp())
        lines.extend(tag_block("AZ-BAK", when) + s for s in static)
    return lines


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(OUTPUT / f"{name}.png"))


def login(page: Any, service: Service) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(service.url + "/")
    page.wait_for_selector("#login-form", state="visible")
    page.fill("#login-name", "coord.az")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#login", state="hidden")
    page.wait_for_selector("#live-status.live")
    return errors


def view(page: Any, lat: float, lon: float, zoom: float) -> None:
    page.evaluate(f"void window.littoral.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    page.wait_for_timeout(150)


def point_of(page: Any, lat: float, lon: float) -> tuple[float, float]:
    """Return the page coordinates (px) of a position on the map."""
    box = page.locator("#map").bounding_box()
    p = page.evaluate(f"window.littoral.map.latLngToContainerPoint([{lat}, {lon}])")
    return box["x"] + p["x"], box["y"] + p["y"]


@pytest.fixture(scope="module")
def service_m(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One service for the module: the checks only read the picture."""
    feed = NmeaServer()
    running = start_service(tmp_path_factory.mktemp("chart"), feed)
    yield running
    running.stop()
    feed.close()


@pytest.fixture(scope="module")
def chart(service_m: Service) -> Iterator[Any]:
    """The page, logged in, with the fleet, an alert and the depth layer loaded."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from littoral.web import missing_vendor_files

    if missing_vendor_files():
        pytest.skip("map page assets not installed; run `make web-assets`")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, bypass_csp=True)
        yield from _logged_in(page, service_m)
        browser.close()


def _logged_in(page: Any, service: Service) -> Iterator[Any]:
    store = open_store(service.db_url)
    alert = Alert(
        id="ais_gap:636000205:chart", rule="ais_gap", priority=Priority.HIGH,
        mmsis=(636000205,), start=NOW - timedelta(minutes=3), lon=50.90, lat=40.75,
        reason="no AIS for 45 min inside the common space",
    )  # fmt: skip
    store.alerts.upsert([alert], NOW)
    store.close()
    errors = login(page, service)
    service.feed.send(fleet_lines())
    page.wait_for_function(f"window.littoral.markers.size >= {len(FLEET)}", timeout=20_000)
    page.wait_for_function("document.querySelectorAll('#map .alert-ring').length >= 1")
    page.wait_for_function("window.littoral.layers.depth.getLayers().length > 0")
    yield page
    assert errors == []


def test_labels_scale_graticule_and_layer_legends(chart: Any) -> None:
    page = chart
    view(page, 41.6, 50.2, 6)
    # places: MRCCs labelled at every zoom, ports from zoom 5.5
    mrcc = page.locator(".place-label.kind-mrcc")
    assert mrcc.count() >= 1
    assert "MRCC Astrakhan" in mrcc.first.text_content()
    labels = page.locator(".place-label.kind-port").all_text_contents()
    assert "Aktau seaport" in labels
    assert "Makhachkala seaport" in labels
    assert page.locator(".place-label.kind-offshore").count() == 0  # fields only when zoomed in

    # the scale bar: its length in pixels times the ground resolution of Web Mercator
    # (circumference x cos(lat) / 2^(zoom+8) m per px) is the distance it is labelled with
    nm = page.locator("#scale-nm")
    km = page.locator("#scale-km")
    zoom = page.evaluate("window.littoral.map.getZoom()")
    lat = page.evaluate("window.littoral.map.getCenter().lat")
    m_per_px = EARTH_CIRCUMFERENCE_M * math.cos(math.radians(lat)) / 2 ** (zoom + 8)
    for bar, metres, unit in ((nm, 1852.0, "NM"), (km, 1000.0, "km")):
        value = float(bar.get_attribute("data-value"))
        width_px = bar.bounding_box()["width"] - 2  # less the 2 px border drawn at its end
        assert value * metres == pytest.approx(width_px * m_per_px, rel=0.03)
        assert bar.text_content() == f"{value:g} {unit}"
        assert 40 <= width_px <= 145

    # the graticule: lines every 2° at this zoom, labelled in degrees and minutes
    assert page.evaluate("Chart.graticule.step") == 2
    lat_labels = page.locator(".graticule-label.lat").all_text_contents()
    lon_labels = page.locator(".graticule-label.lon").all_text_contents()
    assert "42°00.0′N" in lat_labels
    assert "050°00.0′E" in lon_labels

    # a legend per layer in the layer control
    legends = page.locator("#layer-control")
    for name in ("vessels", "alerts", "places", "zones", "depth", "sar"):
        assert legends.locator(f"#layer-{name}").is_checked()
    text = legends.text_content() or ""
    for words in ("Littoral flag", "Other flag", "Tanker", "Fishing", "No report for over 1 h",
                  "MRCC", "Oil or gas field", "15 and 25 NM", "500 m", "GEBCO", "50 % containment",
                  "Critical"):  # fmt: skip
        assert words in text, words
    shot(page, "chart-01-labels-scale-graticule-legends")

    # the MRCC's dot lies inland, where the centre works (Astrakhan): its popup says so
    view(page, 46.0, 48.6, 7.5)
    page.click(".place-icon.kind-mrcc")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.text_content() or ""
    assert "MRCC Astrakhan" in text
    assert "inland" in text
    assert "position approximate" in text
    shot(page, "chart-01b-mrcc-popup")
    page.evaluate("void window.littoral.map.closePopup()")

    # zoomed in on Absheron: the oil fields are labelled too, and the grid is every 30′
    view(page, 40.25, 50.6, 8.5)
    fields = page.locator(".place-label.kind-offshore").all_text_contents()
    assert "Neft Daslari" in fields
    assert "Shah Deniz field" in fields
    assert page.evaluate("Chart.graticule.step") == 0.5
    assert "40°30.0′N" in page.locator(".graticule-label.lat").all_text_contents()
    shot(page, "chart-02-platform-labels-fine-graticule")


def test_layers_switch_off_and_on(chart: Any) -> None:
    page = chart
    view(page, 40.9, 50.6, 7)
    depth_paths = "document.querySelectorAll('.leaflet-basemap-pane path').length"
    before = page.evaluate(depth_paths)
    page.uncheck("#layer-depth")
    assert not page.evaluate("window.littoral.map.hasLayer(window.littoral.layers.depth)")
    assert page.evaluate(depth_paths) < before
    page.check("#layer-depth")
    assert page.evaluate("window.littoral.map.hasLayer(window.littoral.layers.depth)")
    shot(page, "chart-03-depth-and-zones")

    icons = ".leaflet-marker-pane .vessel-icon"
    total = page.locator(icons).count()
    assert total == len(FLEET)
    # other flags (Liberia, Marshall Islands) off, then tankers off
    page.uncheck("#layer-control input[data-flag=other]")
    assert page.locator(icons).count() == total - 2
    assert page.locator(f"{icons}.flag-other").count() == 0
    page.uncheck("#layer-control input[data-type=tanker]")
    assert page.locator(icons).count() == total - 3  # the Russian tanker
    page.check("#layer-control input[data-flag=other]")
    page.check("#layer-control input[data-type=tanker]")
    assert page.locator(icons).count() == total
    page.uncheck("#layer-alerts")
    assert page.locator("#map .alert-ring").count() == 0
    page.check("#layer-alerts")
    assert page.locator("#map .alert-ring").count() >= 1
    page.uncheck("#layer-graticule")
    assert page.locator(".graticule-label").count() == 0
    page.check("#layer-graticule")
    assert page.locator(".graticule-label").count() > 0


def test_cursor_position_and_range_bearing(chart: Any) -> None:
    page = chart
    view(page, 40.3, 50.3, 9)
    # the cursor readout, written as the officer writes positions, read back to 0.1′
    x, y = point_of(page, 40.2345, 50.1234)
    page.mouse.move(x, y)
    shown = page.text_content("#cursor-pos") or ""
    lon, lat = parse_position(shown.replace("′", "'"))
    assert lat == pytest.approx(40.2345, abs=0.1 / 60 + 0.002)
    assert lon == pytest.approx(50.1234, abs=0.1 / 60 + 0.002)
    assert shown.endswith("E")
    assert "°" in shown
    shot(page, "chart-04-cursor-position")
    # in the officer's other formats: degrees-minutes-seconds, then decimal degrees
    page.select_option("#coords", "dms")
    page.mouse.move(x + 1, y)
    page.mouse.move(x, y)
    shown = page.text_content("#cursor-pos") or ""
    assert re.fullmatch(r"40°1\d′\d\d″N 050°0\d′\d\d″E", shown), shown
    assert any("″" in label for label in page.locator(".graticule-label").all_text_contents())
    page.select_option("#coords", "dd")
    page.mouse.move(x + 1, y)
    page.mouse.move(x, y)
    shown = page.text_content("#cursor-pos") or ""
    lat_text, lon_text = shown.split(" ")
    assert float(lat_text.rstrip("°N")) == pytest.approx(40.2345, abs=0.002)
    assert float(lon_text.rstrip("°E")) == pytest.approx(50.1234, abs=0.002)
    shot(page, "chart-04b-cursor-position-decimal-degrees")
    page.select_option("#coords", "dm")

    # range and bearing between two clicked points, against the WGS 84 geodesic (pyproj):
    # the page measures on the sphere, within about 0.5 % of the ellipsoid
    page.click("#range-tool")
    a = (40.15, 50.05)
    b = (40.42, 50.52)
    pa = point_of(page, *a)
    pb = point_of(page, *b)
    clicked = [
        page.evaluate(f"window.littoral.map.containerPointToLatLng([{p[0]} - "
                      "document.getElementById('map').getBoundingClientRect().left, "
                      f"{p[1]} - document.getElementById('map').getBoundingClientRect().top])")
        for p in (pa, pb)
    ]  # fmt: skip
    page.mouse.click(*pa)
    page.mouse.click(*pb)
    readout = page.locator("#range-readout")
    range_m = float(readout.get_attribute("data-range-m"))
    bearing = float(readout.get_attribute("data-bearing-deg"))
    azimuth, _, distance_m = Geod(ellps="WGS84").inv(
        clicked[0]["lng"], clicked[0]["lat"], clicked[1]["lng"], clicked[1]["lat"]
    )
    assert range_m == pytest.approx(distance_m, rel=0.005)
    assert bearing == pytest.approx(azimuth % 360, abs=0.3)
    text = readout.text_content() or ""
    assert f"{range_m / 1852:.2f} NM" in text
    assert f"{round(bearing):03d}°" in text
    assert page.locator("path.range-line").count() == 1
    shot(page, "chart-05-range-bearing")
    page.keyboard.press("Escape")
    assert page.locator("path.range-line").count() == 0


def test_stale_symbols_and_stored_track(chart: Any) -> None:
    page = chart
    view(page, 40.58, 50.85, 9.5)
    icons = ".leaflet-marker-pane .vessel-icon"
    assert page.locator(f"{icons}.age-fresh").count() == len(FLEET) - 2
    assert page.locator(f"{icons}.age-stale").count() == 1
    assert page.locator(f"{icons}.age-old").count() == 1
    old = page.locator(f"{icons}.age-old g")
    assert old.get_attribute("fill") == "none"  # hollow
    assert old.get_attribute("stroke-dasharray")
    shot(page, "chart-06-stale-symbols")

    page.evaluate(f"showVessel({TRACKED})")
    page.wait_for_selector("#vessel-title")
    page.wait_for_selector("path.vessel-track")
    panel = page.text_content("#vessel-panel") or ""
    assert "Track points6 ·" in panel  # five on the way and the latest
    points = page.evaluate("window.littoral.layers.track.getLayers().length")
    assert points == 1 + 6  # the line and a dot per stored report
    shot(page, "chart-07-vessel-track")
