// The chart furniture of the map: place symbols and labels, a lat/lon graticule, a scale bar
// in NM and km, the cursor position and a range-and-bearing tool. All of it is drawn from the
// page's own data, so the map works without any tile server.
"use strict";
const EARTH_RADIUS_M = 6371008.8;  // mean Earth radius (IUGG), as littoral.geo.distance
const M_PER_NM = 1852;

// Great-circle distance (m) and initial true bearing (deg) from a to b, on the sphere
// (haversine; the bearing is the forward azimuth of the great circle).
function rangeBearing(a, b) {
  const rad = Math.PI / 180;
  const phi1 = a.lat * rad, phi2 = b.lat * rad, dl = (b.lng - a.lng) * rad;
  const h = Math.sin((phi2 - phi1) / 2) ** 2 + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dl / 2) ** 2;
  const range_m = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  const y = Math.sin(dl) * Math.cos(phi2);
  const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dl);
  const bearing_deg = ((Math.atan2(y, x) / rad) + 360) % 360;
  return { range_m, bearing_deg };
}

// The largest 1, 2 or 5 times a power of ten not above x.
function niceBelow(x) {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [5, 2, 1]) if (m * p <= x) return m * p;
  return p;
}

const GRATICULE_STEPS_DEG = [10, 5, 2, 1, 0.5, 1 / 3, 1 / 6, 1 / 12, 1 / 30, 1 / 60];
const PLACE_SYMBOLS = {
  port: { shape: "square", colour: "#1f3b57" },
  mrcc: { shape: "cross", colour: "#c0392b" },
  offshore: { shape: "platform", colour: "#6e2c00" },
  naval: { shape: "square", colour: "#5d6d7e" },
  terminal: { shape: "square", colour: "#7d6608" },
};
// Zoom from which each kind's label is written: MRCCs always, fields once zoomed in.
const LABEL_MIN_ZOOM = { mrcc: 0, port: 5.5, naval: 7, terminal: 7, offshore: 6.5 };

function placeSymbol(kind, size = 12) {
  const s = PLACE_SYMBOLS[kind] || PLACE_SYMBOLS.port;
  const h = size / 2;
  const body = {
    square: `<rect x="${-h + 2}" y="${-h + 2}" width="${size - 4}" height="${size - 4}" fill="${s.colour}" stroke="#fff" stroke-width="1"/>`,
    cross: `<circle r="${h - 0.5}" fill="#fff" stroke="${s.colour}" stroke-width="1.5"/><path d="M0,${-h + 2.5} V${h - 2.5} M${-h + 2.5},0 H${h - 2.5}" stroke="${s.colour}" stroke-width="2.2"/>`,
    platform: `<rect x="${-h + 2.5}" y="${-h + 2.5}" width="${size - 5}" height="${size - 5}" fill="#fff" stroke="${s.colour}" stroke-width="1.5"/><circle r="1.6" fill="${s.colour}"/>`,
  }[s.shape];
  return `<svg width="${size}" height="${size}" viewBox="${-h} ${-h} ${size} ${size}">${body}</svg>`;
}

// "Astrakhan seaport (port-limit point N1, Volga)" is labelled "Astrakhan seaport".
function shortName(name) {
  const cut = name.indexOf(" (");
  return cut > 0 ? name.slice(0, cut) : name;
}

const Chart = {
  map: null, graticule: null, places: null, rangeActive: false, rangeFrom: null, rangeLayer: null,

  init(map, layers) {
    this.map = map;
    this.graticule = layers.graticule;
    this.places = layers.places;
    this.rangeLayer = layers.range;
    map.createPane("graticule").style.zIndex = 360;
    map.getPane("graticule").style.pointerEvents = "none";
    this.addScale();
    this.addCursor();
    this.addRangeTool();
    map.on("moveend zoomend", () => { this.drawGraticule(); this.updateLabels(); });
    this.drawGraticule();
  },

  addPlaces(geojson) {
    for (const f of geojson.features) {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const marker = L.marker([lat, lon], {
        icon: L.divIcon({ className: `place-icon kind-${p.kind}`, iconSize: [12, 12], html: placeSymbol(p.kind) }),
        keyboard: false, title: p.name,
      });
      marker.bindTooltip(escapeHtml(shortName(p.name)), {
        permanent: true, direction: p.kind === "mrcc" ? "left" : "right", offset: [p.kind === "mrcc" ? -6 : 6, 0],
        className: `place-label kind-${p.kind}${p.confidence === "approximate" ? " approximate" : ""}`,
      });
      marker.bindPopup(`<strong>${escapeHtml(p.name)}</strong><br>${placeKindName(p.kind)} · ${escapeHtml(p.state)}<br>` +
        `${escapeHtml(fmtPos(lon, lat))}${p.confidence === "approximate" ? ` · ${t("place.approximate")}` : ""}` +
        (p.source ? `<br><small class="muted">${escapeHtml(p.source)}</small>` : ""));
      marker.placeKind = p.kind;
      marker.addTo(this.places);
    }
    this.updateLabels();
  },

  // Labels of the lesser kinds appear only once zoomed in, so they do not pile up.
  updateLabels() {
    const zoom = this.map.getZoom();
    this.places.eachLayer((m) => {
      const tip = m.getTooltip && m.getTooltip();
      if (!tip) return;
      const show = zoom >= (LABEL_MIN_ZOOM[m.placeKind] ?? 6);
      if (show && !m.isTooltipOpen()) m.openTooltip();
      if (!show && m.isTooltipOpen()) m.closeTooltip();
    });
  },

  // After a change of language or of the position format.
  redraw() {
    this.drawGraticule();
    this.updateScale();
    this.updateLabels();
    if (this.rangeActive && this.rangeFrom && this.rangeTo) this.drawRange(this.rangeFrom, this.rangeTo);
    else if (this.rangeActive) document.getElementById("range-readout").textContent = t("chart.range_hint");
    document.getElementById("range-tool").title = t("chart.range");
  },

  graticuleStep() {
    const b = this.map.getBounds();
    const span = Math.max(b.getNorth() - b.getSouth(), (b.getEast() - b.getWest()) / 1.5);
    return GRATICULE_STEPS_DEG.find((s) => span / s >= 4) || GRATICULE_STEPS_DEG[GRATICULE_STEPS_DEG.length - 1];
  },

  // Lines every step, labelled at the map's west and north edges like a chart's border.
  drawGraticule() {
    const g = this.graticule;
    g.clearLayers();
    if (!this.map.hasLayer(g)) return;
    const step = this.graticuleStep();
    const b = this.map.getBounds();
    const style = { pane: "graticule", color: "#50657a", weight: 0.6, opacity: 0.7, interactive: false };
    const first = (v) => Math.ceil(v / step - 1e-9) * step;
    const label = (latlng, text, cls) => L.marker(latlng, { pane: "graticule", interactive: false, keyboard: false,
      icon: L.divIcon({ className: `graticule-label ${cls}`, iconSize: null, html: `<span>${text}</span>` }) }).addTo(g);
    for (let lat = first(b.getSouth()); lat <= b.getNorth(); lat += step) {
      L.polyline([[lat, b.getWest() - 1], [lat, b.getEast() + 1]], style).addTo(g);
      label([lat, b.getWest()], fmtLat(lat), "lat");
    }
    for (let lon = first(b.getWest()); lon <= b.getEast(); lon += step) {
      L.polyline([[b.getSouth() - 1, lon], [b.getNorth() + 1, lon]], style).addTo(g);
      label([b.getNorth(), lon], fmtLon(lon), "lon");
    }
    g.step = step;
  },

  addScale() {
    const control = L.control({ position: "bottomleft" });
    control.onAdd = () => {
      const div = L.DomUtil.create("div", "chart-scale");
      div.id = "scale";
      div.innerHTML = '<div class="bar" id="scale-nm"><span></span></div><div class="bar" id="scale-km"><span></span></div>';
      return div;
    };
    control.addTo(this.map);
    const update = () => {
      const size = this.map.getSize();
      const y = size.y / 2;
      const a = this.map.containerPointToLatLng([size.x / 2 - 50, y]);
      const b = this.map.containerPointToLatLng([size.x / 2 + 50, y]);
      const mPerPx = rangeBearing(a, b).range_m / 100;
      for (const [id, unit, metres] of [["scale-nm", "unit.nm", M_PER_NM], ["scale-km", "unit.km", 1000]]) {
        const value = niceBelow((140 * mPerPx) / metres);
        const el = document.getElementById(id);
        el.style.width = `${Math.round((value * metres) / mPerPx)}px`;
        el.dataset.value = String(value);
        el.dataset.metresPerPx = String(mPerPx);
        el.querySelector("span").textContent = `${value} ${t(unit)}`;
      }
    };
    this.map.on("zoomend moveend resize", update);
    this.updateScale = update;
    update();
  },

  addCursor() {
    const control = L.control({ position: "bottomright" });
    control.onAdd = () => {
      const div = L.DomUtil.create("div", "chart-cursor");
      div.id = "cursor-pos";
      div.textContent = "—";
      return div;
    };
    control.addTo(this.map);
    this.map.on("mousemove", (e) => {
      const el = document.getElementById("cursor-pos");
      el.textContent = fmtPos(e.latlng.lng, e.latlng.lat);
      el.dataset.lat = e.latlng.lat.toFixed(6);
      el.dataset.lon = e.latlng.lng.toFixed(6);
    });
    this.map.on("mouseout", () => { document.getElementById("cursor-pos").textContent = "—"; });
  },

  // Click the ruler, then two points: the line, its range in NM (and km) and the true
  // bearing from the first point. A third click starts again; Escape or the ruler ends it.
  addRangeTool() {
    const control = L.control({ position: "topleft" });
    control.onAdd = () => {
      const div = L.DomUtil.create("div", "leaflet-bar chart-range");
      div.innerHTML = `<a href="#" id="range-tool" role="button" data-i18n-title="chart.range" title="${t("chart.range")}">⟷</a>` +
        `<div id="range-readout" class="hidden"></div>`;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    control.addTo(this.map);
    document.getElementById("range-tool").addEventListener("click", (e) => {
      e.preventDefault();
      this.setRangeActive(!this.rangeActive);
    });
    document.addEventListener("keydown", (e) => { if (e.key === "Escape" && this.rangeActive) this.setRangeActive(false); });
    this.map.on("click", (e) => this.onRangeClick(e.latlng));
    this.map.on("mousemove", (e) => {
      if (this.rangeActive && this.rangeFrom && !this.rangeTo) this.drawRange(this.rangeFrom, e.latlng);
    });
  },

  setRangeActive(on) {
    this.rangeActive = on;
    this.rangeFrom = null;
    this.rangeTo = null;
    this.rangeLayer.clearLayers();
    document.getElementById("range-tool").classList.toggle("active", on);
    this.map.getContainer().classList.toggle("measuring", on);
    const out = document.getElementById("range-readout");
    out.classList.toggle("hidden", !on);
    out.textContent = on ? t("chart.range_hint") : "";
  },

  onRangeClick(latlng) {
    if (!this.rangeActive) return;
    if (!this.rangeFrom || this.rangeTo) {
      this.rangeFrom = latlng;
      this.rangeTo = null;
      this.rangeLayer.clearLayers();
      L.circleMarker(latlng, { radius: 4, color: "#000", weight: 1.5, fillColor: "#fff", fillOpacity: 1, interactive: false })
        .addTo(this.rangeLayer);
      return;
    }
    this.rangeTo = latlng;
    this.drawRange(this.rangeFrom, latlng);
  },

  drawRange(a, b) {
    const { range_m, bearing_deg } = rangeBearing(a, b);
    this.rangeLayer.clearLayers();
    L.polyline([a, b], { color: "#000", weight: 1.5, dashArray: "6 4", interactive: false, className: "range-line" })
      .addTo(this.rangeLayer);
    for (const p of [a, b]) {
      L.circleMarker(p, { radius: 4, color: "#000", weight: 1.5, fillColor: "#fff", fillOpacity: 1, interactive: false })
        .addTo(this.rangeLayer);
    }
    const text = `${t("chart.rng")} ${(range_m / M_PER_NM).toFixed(2)} ${t("unit.nm")} (${(range_m / 1000).toFixed(2)} ${t("unit.km")}) · ` +
      `${t("chart.brg")} ${fmtDeg(bearing_deg)} ${t("chart.true")}`;
    const out = document.getElementById("range-readout");
    out.textContent = text;
    out.dataset.rangeM = range_m.toFixed(1);
    out.dataset.bearingDeg = bearing_deg.toFixed(2);
    L.tooltip({ permanent: true, direction: "top", className: "range-label" }).setLatLng(b).setContent(escapeHtml(text))
      .addTo(this.rangeLayer);
  },
};
