// The map page: login, base map, live vessels, vessel panel, alerts. Cases are in case.js.
"use strict";
const App = {
  me: null, map: null, markers: new Map(), vessels: new Map(), layers: {},
  events: null, selected: null, alertMarker: null, clockSkewMs: 0,
};
window.littoral = App;

async function api(path, options = {}) {
  const opts = { credentials: "same-origin", ...options, headers: { ...(options.headers || {}) } };
  if (opts.json !== undefined) {
    opts.body = JSON.stringify(opts.json);
    opts.headers["content-type"] = "application/json";
    delete opts.json;
  }
  const response = await fetch(path, opts);
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (response.status === 401 && !path.endsWith("/auth/login")) showLogin();
  if (!response.ok) {
    const error = new Error((body && body.reason) || response.statusText);
    error.status = response.status;
    throw error;
  }
  return body;
}

function showLogin() {
  document.getElementById("login").classList.remove("hidden");
  if (App.events) { App.events.close(); App.events = null; }
}

async function login(event) {
  event.preventDefault();
  const name = document.getElementById("login-name").value;
  const password = document.getElementById("login-password").value;
  const error = document.getElementById("login-error");
  error.textContent = "";
  try {
    const body = await api("/api/auth/login", { method: "POST", json: { name, password } });
    App.me = body.user;
    document.getElementById("login-password").value = "";
    await onLoggedIn();
  } catch (e) {
    error.textContent = e.status === 429 ? t("login.limited") : t("login.failed");
  }
}

async function onLoggedIn() {
  document.getElementById("login").classList.add("hidden");
  applyLanguage(App.me.language);
  document.getElementById("language").value = App.me.language;
  showWhoami();
  Layers.render();
  Chart.redraw();
  await loadBaseMap();
  await Promise.all([loadVessels(), loadAlerts(), Cases.loadList()]);
  connectEvents();
}

function initMap() {
  App.map = L.map("map", { zoomSnap: 0.25, worldCopyJump: false }).setView([41.8, 50.6], 6);
  App.map.attributionControl.setPrefix(false);
  // the base map lies in its own pane under the overlays (heat map, particles, areas)
  App.map.createPane("basemap").style.zIndex = 350;
  App.baseRenderer = L.svg({ pane: "basemap" });
  for (const name of ["base", "depth", "zones", "graticule", "places", "sar", "track", "vessels", "alerts", "range"]) {
    App.layers[name] = L.layerGroup().addTo(App.map);
  }
  Chart.init(App.map, App.layers);
  Layers.init(App.map, App.layers);
  // symbols fade as reports age, without waiting for the next report
  setInterval(refreshAges, 30_000);
}

async function loadBaseMap() {
  if (App.baseLoaded) return;
  const [sea, zones, places] = await Promise.all([
    api("/api/geo/sea"), api("/api/geo/zones"), api("/api/geo/places"),
  ]);
  L.geoJSON(sea, {
    style: (f) => ({ color: "#4f7fa8", weight: 1, fillColor: f.properties.kind === "sea" ? "#b7d3ea" : "#c9dbe6", fillOpacity: 1 }),
    interactive: false, pane: "basemap", renderer: App.baseRenderer,
  }).addTo(App.layers.base);
  L.geoJSON(zones, {
    style: (f) => ({ color: "#7d5ba6", weight: 1, dashArray: f.properties.kind === "sector" ? "1 3" : "4 4", fill: false }),
    pane: "basemap", renderer: App.baseRenderer,
    onEachFeature: (f, layer) => layer.bindTooltip(escapeHtml(f.properties.name || f.properties.kind || "")),
  }).addTo(App.layers.zones);
  Chart.addPlaces(places);
  App.baseLoaded = true;
  const depth = await api("/api/geo/depth");
  L.geoJSON(depth, {
    style: (f) => ({ color: ISOBATH_COLOURS[f.properties.depth_m] || "#2e86c1", weight: 0.9, opacity: 0.9 }),
    pane: "basemap", renderer: App.baseRenderer,
    onEachFeature: (f, layer) => layer.bindTooltip(`${f.properties.depth_m} ${t("unit.m")}`, { sticky: true }),
  }).addTo(App.layers.depth);
  App.map.attributionControl.addAttribution(escapeHtml(depth.attribution));
}

// Seconds since the vessel's last report, by the service's clock.
function vesselAgeS(v) {
  if (!v.time) return null;
  return (Date.now() + App.clockSkewMs - Date.parse(v.time)) / 1000;
}

// Fill by type, outline by flag (thick orange: not a littoral state), faded then hollow as
// the last report ages.
function vesselIcon(v) {
  const angle = v.heading_deg !== null && v.heading_deg !== undefined ? v.heading_deg : (v.cog_deg || 0);
  const moving = v.sog_kn !== null && v.sog_kn > 0.5;
  const group = typeGroup(v.category);
  const age = ageClass(vesselAgeS(v));
  return L.divIcon({
    className: `vessel-icon age-${age} type-${group} flag-${v.littoral ? "littoral" : "other"}`,
    iconSize: [18, 18],
    html: vesselSvg({ group, flag: v.littoral ? "littoral" : "other", age, moving, angle }),
  });
}

function refreshAges() {
  for (const [key, marker] of App.markers) {
    const icon = vesselIcon(App.vessels.get(key));
    if (icon.options.className !== marker.options.icon.options.className) marker.setIcon(icon);
  }
}

function refilterVessels() {
  for (const [mmsi, marker] of App.markers) {
    const show = Layers.shows(App.vessels.get(mmsi));
    if (show && !App.layers.vessels.hasLayer(marker)) marker.addTo(App.layers.vessels);
    if (!show && App.layers.vessels.hasLayer(marker)) App.layers.vessels.removeLayer(marker);
  }
}

function upsertVessel(v) {
  if (v.lat === null || v.lon === null) return;
  // one MMSI heard at two places at once is two ships: MMSI and MMSI-2
  const key = v.key || String(v.mmsi);
  App.vessels.set(key, v);
  let marker = App.markers.get(key);
  if (!marker) {
    marker = L.marker([v.lat, v.lon], { icon: vesselIcon(v), title: v.name || key, keyboard: false });
    marker.on("click", () => showVessel(key));
    if (Layers.shows(v)) marker.addTo(App.layers.vessels);
    App.markers.set(key, marker);
  } else {
    marker.setLatLng([v.lat, v.lon]);
    const icon = vesselIcon(v);
    if (icon.options.className !== marker.options.icon.options.className || icon.options.html !== marker.options.icon.options.html) {
      marker.setIcon(icon);
    }
  }
  if (App.selected === key) refreshVesselPanel(key);
}

function updateCount() {
  document.getElementById("vessel-count").textContent = t("vessels.count", { n: App.markers.size });
}

async function loadVessels() {
  const body = await api("/api/vessels");
  App.clockSkewMs = Date.parse(body.now) - Date.now();
  for (const v of body.vessels) upsertVessel(v);
  updateCount();
}

let vesselRefresh = null;
function refreshVesselPanel(key) {
  clearTimeout(vesselRefresh);
  vesselRefresh = setTimeout(() => showVessel(key, false), 1000);
}

async function showVessel(key, switchTab = true) {
  App.selected = key;
  const [v, stored] = await Promise.all([
    api(`/api/vessels/${encodeURIComponent(key)}`), api(`/api/vessels/${encodeURIComponent(key)}/track?limit=2000`),
  ]);
  const track = stored.points;
  const shared = v.ship_number > 1 ? ` (${t("vessel.ship")} ${v.ship_number})` : "";
  const rows = [
    ["vessel.name", escapeHtml(v.name || "—")], ["vessel.mmsi", `${v.mmsi}${shared}`],
    ["vessel.callsign", escapeHtml(v.callsign || "—")], ["vessel.imo", v.imo || "—"],
    ["vessel.flag", `${escapeHtml(v.flag || "—")} (${v.is_littoral ? t("vessel.littoral") : t("vessel.foreign")})`],
    ["vessel.type", `${v.category} ${v.ship_type ? "(" + v.ship_type + ")" : ""}`],
    ["vessel.position", v.lat === null ? "—" : fmtPos(v.lon, v.lat)],
    ["vessel.sog", fmtKn(v.sog_kn)], ["vessel.cog", fmtDeg(v.cog_deg)],
    ["vessel.heading", fmtDeg(v.heading_deg)],
    ["vessel.length", v.length_m ? `${fmtNumber(v.length_m)} ${t("unit.m")}` : "—"],
    ["vessel.destination", escapeHtml(v.destination || "—")],
    ["vessel.seen", `${fmtTime(v.position_time)}${v.age_s !== undefined ? ` (${ageText(v.age_s)})` : ""}`],
    ["vessel.track", track.length ? `${track.length} · ${fmtTime(track[0][2])} – ${fmtTime(track[track.length - 1][2])}` : t("vessel.track_none")],
  ];
  document.getElementById("vessel-panel").innerHTML =
    `<h2 id="vessel-title">${escapeHtml(v.name || "MMSI " + v.mmsi)}${shared}</h2><dl class="kv">` +
    rows.map(([k, val]) => `<dt>${t(k)}</dt><dd>${val}</dd>`).join("") + "</dl>";
  drawTrack(track);
  if (switchTab) selectTab("vessel");
}

// The stored track: a line, and a dot per report with its time and speed.
function drawTrack(track) {
  App.layers.track.clearLayers();
  if (!track.length) return;
  const line = track.map((p) => [p[1], p[0]]);
  L.polyline(line, { color: "#14324a", weight: 2, opacity: 0.85, className: "vessel-track", interactive: false })
    .addTo(App.layers.track);
  const renderer = App.trackRenderer || (App.trackRenderer = L.canvas({ padding: 0.2 }));
  for (const p of track) {
    L.circleMarker([p[1], p[0]], { renderer, radius: 2.2, color: "#14324a", weight: 1, fillColor: "#fff", fillOpacity: 1 })
      .bindTooltip(`${fmtTime(p[2])} · ${fmtKn(p[3])} · ${fmtDeg(p[4])}`).addTo(App.layers.track);
  }
}

async function loadAlerts() {
  const status = document.getElementById("alert-filter").value;
  let alerts = await api(`/api/alerts?status=${status}`);
  if (status !== "open") {
    // distress nobody has acknowledged stays on top whatever the filter
    const open = await api("/api/alerts?status=open");
    alerts = [...open.filter((a) => a.rule === "distress"), ...alerts];
  }
  drawAlerts(alerts);
  const list = document.getElementById("alert-list");
  if (!alerts.length) {
    list.innerHTML = `<li class="muted">${t("alerts.none")}</li>`;
    return;
  }
  const coordinator = App.me && (App.me.role === "coordinator" || App.me.role === "admin");
  list.innerHTML = alerts.map((a) => `
    <li class="alert-item prio-${a.priority}${a.rule === "distress" && a.status === "open" ? " distress-open" : ""}" data-id="${escapeHtml(a.id)}">
      ${a.rule === "distress" && a.status === "open" ? `<div class="distress-flag">${t("alerts.distress")}</div>` : ""}
      <div><strong>${escapeHtml(a.rule)}</strong> · ${a.mmsis.join(", ")} · ${fmtTime(a.start)}</div>
      <div>${escapeHtml(a.reason)}</div>
      <div class="muted">${a.lat === null ? `<span class="no-position">${t("alerts.no_position")}</span>` : fmtPos(a.lon, a.lat)}${a.acknowledged_by ? ` · ${t("alerts.by")} ${escapeHtml(a.acknowledged_by)}: ${escapeHtml(a.comment || "")}` : ""}</div>
      ${a.status === "open" ? `<div class="actions"><input class="ack-comment" placeholder="${t("alerts.comment")}" maxlength="2000">
        <button class="ack">${t("alerts.ack")}</button>
        ${coordinator && (a.rule === "distress" || a.priority === "CRITICAL") ? `<button class="to-case">${t("alerts.case")}</button>` : ""}</div>` : ""}
    </li>`).join("");
  for (const li of list.querySelectorAll("li.alert-item")) {
    const alert = alerts.find((a) => a.id === li.dataset.id);
    li.addEventListener("click", (e) => {
      if (e.target.closest(".actions")) return;
      panToAlert(alert);
    });
    const ack = li.querySelector("button.ack");
    if (ack) ack.addEventListener("click", async () => {
      const comment = li.querySelector(".ack-comment").value;
      await api(`/api/alerts/${encodeURIComponent(alert.id)}/acknowledge`, { method: "POST", json: { comment } });
      await loadAlerts();
    });
    const toCase = li.querySelector("button.to-case");
    if (toCase) toCase.addEventListener("click", async () => {
      const c = await api("/api/cases/from-alert", { method: "POST", json: { alert_id: alert.id } });
      await loadAlerts();
      selectTab("cases");
      await Cases.open(c.id);
    });
  }
}

// Alerts of the list on the map, ringed in the colour of their priority.
function drawAlerts(alerts) {
  App.layers.alerts.clearLayers();
  for (const a of alerts) {
    if (a.lat === null || a.lon === null || a.lat === undefined) continue;
    L.circleMarker([a.lat, a.lon], { radius: 9, color: PRIORITY_COLOURS[a.priority] || "#c0392b", weight: 2.5, fill: false, className: "alert-ring" })
      .bindTooltip(`${escapeHtml(a.rule)} · ${priorityName(a.priority)}<br>${escapeHtml(a.reason)}`).addTo(App.layers.alerts);
  }
}

function panToAlert(alert) {
  if (App.alertMarker) App.layers.alerts.removeLayer(App.alertMarker);
  App.alertMarker = null;
  if (alert.lat === null || alert.lon === null) return;  // no position yet: nowhere to go
  App.alertMarker = L.circleMarker([alert.lat, alert.lon], { radius: 14, color: "#c0392b", weight: 3, fill: false })
    .addTo(App.layers.alerts);
  App.map.flyTo([alert.lat, alert.lon], Math.max(App.map.getZoom(), 10), { duration: 0.6 });
}

// A short two-tone alarm (Web Audio), only when the officer switched the sound on.
function beep() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  const ctx = new Ctx();
  const osc = ctx.createOscillator();
  osc.frequency.setValueAtTime(880, ctx.currentTime);
  osc.frequency.setValueAtTime(660, ctx.currentTime + 0.25);
  osc.connect(ctx.destination);
  osc.start();
  osc.stop(ctx.currentTime + 0.5);
  osc.onended = () => ctx.close();
}

// The pill says "live" only while the feed delivered lately (GET /api/feed), not merely
// while the page is connected: an old picture must not look live.
function ageText(seconds) {
  if (seconds < 120) return `${fmtNumber(Math.round(seconds))} ${t("unit.s")}`;
  if (seconds < 7200) return `${fmtNumber(Math.round(seconds / 60))} ${t("unit.min")}`;
  if (seconds < 172800) return `${fmtNumber(Math.round(seconds / 3600))} ${t("unit.h")}`;
  return `${fmtNumber(Math.round(seconds / 86400))} ${t("unit.d")}`;
}

async function checkFeed() {
  const pill = document.getElementById("live-status");
  if (!pill.classList.contains("live")) return;  // the event stream is down: "offline"
  try {
    const status = (await api("/api/feed")).status;
    const key = status.state === "live" ? "live.on" : status.state === "stale" ? "live.stale" : "live.waiting";
    pill.dataset.i18n = key;
    pill.textContent = t(key) + (status.state === "stale" ? ` ${ageText(status.last_line_age_s)}` : "");
    pill.classList.toggle("stale", status.state !== "live");
  } catch (error) {
    // leave the pill as it is; the event stream tells when the service is gone
  }
}
setInterval(checkFeed, 15000);

let alertReload = null;
function connectEvents() {
  if (App.events) App.events.close();
  const source = new EventSource("/api/events");
  App.events = source;
  const pill = document.getElementById("live-status");
  source.onopen = () => { pill.classList.add("live"); checkFeed(); };
  source.onerror = () => { pill.dataset.i18n = "live.offline"; pill.textContent = t("live.offline"); pill.classList.remove("live", "stale"); };
  source.addEventListener("positions", (e) => {
    for (const v of JSON.parse(e.data)) upsertVessel(v);
    updateCount();
  });
  source.addEventListener("alert", (e) => {
    const a = JSON.parse(e.data);
    if (a.rule === "distress" && a.status === "open" && document.getElementById("alert-sound").checked) beep();
    clearTimeout(alertReload);
    alertReload = setTimeout(loadAlerts, 300);
  });
  source.addEventListener("run", (e) => Cases.onRun(JSON.parse(e.data)));
  source.addEventListener("case", (e) => Cases.onCase(JSON.parse(e.data)));
}

// Text drawn from data (not marked data-i18n) is drawn again after a change of language or of
// the coordinate format.
async function redrawTexts() {
  updateCount();
  showWhoami();
  Layers.render();
  Chart.redraw();
  if (App.selected !== null) await showVessel(App.selected, false);
  await Promise.all([loadAlerts(), Cases.refresh()]);
}

function showWhoami() {
  if (!App.me) return;
  document.getElementById("whoami").textContent =
    `${App.me.name} · ${App.me.state} · ${t("role." + App.me.role)}`;
}

function initCoordinateFormat() {
  const select = document.getElementById("coords");
  select.value = coordinateFormat();
  select.addEventListener("change", async () => {
    setCoordinateFormat(select.value);
    await redrawTexts();
  });
}

function selectTab(name) {
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  for (const s of document.querySelectorAll(".tab")) s.classList.toggle("hidden", s.id !== `tab-${name}`);
}

async function start() {
  await loadCatalogues();
  const select = document.getElementById("language");
  select.innerHTML = Object.entries(CATALOGUES).map(([code, c]) => `<option value="${code}">${c._name}</option>`).join("");
  // before login the page speaks the browser's language when it has it, then the user's own
  applyLanguage(String(navigator.language || "en").slice(0, 2).toLowerCase());
  initCoordinateFormat();
  initMap();
  document.getElementById("login-form").addEventListener("submit", login);
  document.getElementById("logout").addEventListener("click", async () => {
    await api("/api/auth/logout", { method: "POST" }).catch(() => null);
    showLogin();
  });
  select.addEventListener("change", async () => {
    App.me = await api("/api/me", { method: "PATCH", json: { language: select.value } });
    applyLanguage(App.me.language);
    await redrawTexts();
  });
  document.getElementById("alert-filter").addEventListener("change", loadAlerts);
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => selectTab(b.dataset.tab));
  api("/api/me").then((me) => { App.me = me; return onLoggedIn(); }).catch(() => showLogin());
}

document.addEventListener("DOMContentLoaded", start);
