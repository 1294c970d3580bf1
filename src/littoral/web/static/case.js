// SAR cases: list, new case, and the case view with drift (slider), plan, units, SITREP.
"use strict";
const UNIT_COLOURS = ["#8e44ad", "#2980b9", "#16a085", "#c0392b", "#d35400", "#2c3e50"];
const SCENARIO_COLOURS = ["#b9770e", "#1e8449", "#6c3483", "#2874a6", "#a93226", "#566573"];

const Cases = {
  current: null, drift: null, frameIndex: 0, frames: new Map(), runs: [],
  roundsCase: null, roundsSeen: new Set(), roundsShown: new Set(), roundLayers: null,
  scenarios: [], scenarioLayers: null, scenariosHidden: new Set(),

  async loadList() {
    const cases = await api("/api/cases");
    const list = document.getElementById("case-list");
    list.innerHTML = cases.length ? cases.map((c) => `
      <li class="case-item" data-id="${c.id}">
        <div><strong>${c.state}-${c.id}</strong> ${escapeHtml(c.title)}</div>
        <div class="muted">${t("status." + c.status)} · ${fmtPos(c.datum_lon, c.datum_lat)} · ${fmtDtg(c.datum_time)}</div>
      </li>`).join("") : `<li class="muted">${t("cases.none")}</li>`;
    for (const li of list.querySelectorAll("li.case-item")) {
      li.addEventListener("click", () => Cases.open(Number(li.dataset.id)));
    }
    const canOpen = App.me && (App.me.role === "coordinator" || App.me.role === "admin");
    document.getElementById("new-case-button").classList.toggle("hidden", !canOpen);
  },

  async refresh() {
    if (this.current) await this.open(this.current.id, false);
    else await this.loadList();
  },

  back() {
    this.current = null;
    this.scenariosHidden = new Set();
    this.drift = null;
    App.layers.sar.clearLayers();
    document.getElementById("case-view").classList.add("hidden");
    document.getElementById("case-list-view").classList.remove("hidden");
    this.loadList();
  },

  async createFromForm(event) {
    event.preventDefault();
    const form = event.target;
    const lat = parseDM(form.lat.value), lon = parseDM(form.lon.value);
    const time = new Date(form.time.value.trim().replace(" ", "T").replace(/Z?$/, "Z"));
    if (Number.isNaN(lat) || Number.isNaN(lon) || Number.isNaN(time.getTime())) {
      alert(t("case.bad_input"));
      return;
    }
    const c = await api("/api/cases", { method: "POST", json: {
      title: form.title.value, datum_lat: lat, datum_lon: lon, datum_time: time.toISOString(),
      object_class: form.object_class.value || "PIW-1", persons: Number(form.persons.value || 0),
    } });
    form.reset();
    form.classList.add("hidden");
    await this.open(c.id);
  },

  async open(caseId, fly = true) {
    selectTab("cases");
    const [c, units, log, runs] = await Promise.all([
      api(`/api/cases/${caseId}`), api(`/api/cases/${caseId}/units`),
      api(`/api/cases/${caseId}/log`), api(`/api/cases/${caseId}/runs`),
    ]);
    const scenarios = await api(`/api/cases/${caseId}/scenarios`).catch(() => []);
    this.current = c;
    document.getElementById("case-list-view").classList.add("hidden");
    const view = document.getElementById("case-view");
    view.classList.remove("hidden");
    const env = c.environment || {};
    const edit = c.editable;
    const active = runs.filter((r) => r.status === "queued" || r.status === "running");
    view.innerHTML = `
      <button id="case-back">${t("cases.back")}</button>
      <h2 id="case-title">${c.state}-${c.id} ${escapeHtml(c.title)}</h2>
      ${edit ? "" : `<p class="muted">${t("case.readonly")}</p>`}
      <dl class="kv">
        <dt>${t("case.status")}</dt><dd>${t("status." + c.status)}${c.outcome ? " · " + t("outcome." + c.outcome) : ""}</dd>
        <dt>${t("case.datum")}</dt><dd id="case-datum">${fmtPos(c.datum_lon, c.datum_lat)} · ${fmtDtg(c.datum_time)}</dd>
        <dt>${t("case.object")}</dt><dd>${escapeHtml(c.object_class)}</dd>
        <dt>${t("case.persons")}</dt><dd>${c.persons}</dd>
      </dl>
      <div class="actions">
        <a href="/api/cases/${c.id}/sitrep.html" target="_blank" id="sitrep-link">${t("case.sitrep")} (${t("case.print")})</a>
      </div>
      <div id="run-progress" class="${active.length ? "" : "hidden"}">
        <div class="muted" id="run-message">${t("case.progress")}</div><div class="progress"><div id="run-bar"></div></div>
      </div>
      ${edit ? `
      <h3>${t("case.environment")}</h3>
      <form id="env-form" class="grid2">
        <label>${t("case.wind_from")}<input name="wind_from_deg" type="number" min="0" max="360" value="${env.wind_from_deg ?? 0}"></label>
        <label>${t("case.wind_kn")}<input name="wind_speed_kn" type="number" min="0" step="0.1" value="${env.wind_speed_kn ?? 10}"></label>
        <label>${t("case.current_to")}<input name="current_to_deg" type="number" min="0" max="360" value="${env.current_to_deg ?? 0}"></label>
        <label>${t("case.current_kn")}<input name="current_speed_kn" type="number" min="0" step="0.1" value="${env.current_speed_kn ?? 0}"></label>
        <label>${t("case.visibility")}<input name="visibility_nm" type="number" min="0.1" step="0.1" value="${env.visibility_nm ?? 10}"></label>
        <button type="submit" id="env-save">${t("case.save")}</button>
      </form>
      <form id="forcing-form" class="actions"><label>${t("case.forcing")}<input type="file" name="file" accept=".nc"></label><button type="submit">${t("case.upload")}</button></form>` : ""}
      ${scenarios.length ? `<h3>${t("case.scenarios")}</h3><ul class="list" id="scenario-list">${scenarios.map((sc, i) => `
        <li><label class="inline"><input type="checkbox" data-scenario="${escapeHtml(sc.name)}"${this.scenariosHidden.has(sc.name) ? "" : " checked"}>
          <i class="sw" style="background:${SCENARIO_COLOURS[i % SCENARIO_COLOURS.length]}"></i>
          <strong>${escapeHtml(sc.name)}</strong> · ${t("case.share")} ${(100 * sc.share).toFixed(0)} %</label>
          <div class="muted">${escapeHtml(sc.reason)}</div></li>`).join("")}</ul>` : ""}
      <h3>${t("case.drift")}</h3>
      ${edit ? `<form id="drift-form" class="actions">
        <label>${t("case.hours")}<input name="duration_h" type="number" min="1" max="120" value="12" style="width:5em"></label>
        <label>${t("case.particles")}<input name="particles" type="number" min="100" max="20000" value="2000" style="width:6em"></label>
        <button type="submit" id="run-drift">${t("case.run_drift")}</button></form>` : ""}
      <div id="drift-view"></div>
      <h3>${t("case.units")}</h3>
      <ul class="list" id="unit-list">${units.map((u, i) => `
        <li data-unit="${u.id}"><span style="color:${UNIT_COLOURS[i % UNIT_COLOURS.length]}">■</span>
          <strong>${escapeHtml(u.name)}</strong> (${u.state}, ${t("platform." + u.platform)}, ${fmtKn(u.speed_kn)}, ${u.endurance_h} ${t("unit.h")})
          ${u.track ? ` · ${u.track.length} ${t("unit.points")}` : ""}
          ${edit || (c.can_commit_units && u.state === App.me.state) ? `<form class="gpx-form actions" data-unit="${u.id}"><label>${t("case.gpx")}<input type="file" name="file" accept=".gpx"></label><button type="submit">${t("case.upload")}</button></form>` : ""}
        </li>`).join("")}</ul>
      ${c.can_commit_units ? `<form id="unit-form" class="grid2">
        <label>${t("case.unit_name")}<input name="name" required maxlength="64"></label>
        <label>${t("case.platform")}<select name="platform">${["vessel", "helicopter", "aircraft"].map((p) => `<option value="${p}">${t("platform." + p)}</option>`).join("")}</select></label>
        <label>${t("case.speed")}<input name="speed_kn" type="number" min="1" value="15"></label>
        <label>${t("case.endurance")}<input name="endurance_h" type="number" min="0.5" step="0.5" value="6"></label>
        <button type="submit" id="add-unit">${t("case.add_unit")}</button></form>` : ""}
      <h3>${t("case.plan")}</h3>
      ${edit ? `<button id="run-plan">${t("case.run_plan")}</button>` : ""}
      <div id="plan-view"></div>
      ${edit ? `<h3>${t("case.close")}</h3><form id="close-form" class="actions">
        <select name="outcome">${["rescued", "found_dead", "not_found", "false_alarm", "self_resolved", "other"].map((o) => `<option value="${o}">${t("outcome." + o)}</option>`).join("")}</select>
        <input name="text" maxlength="2000"><button type="submit">${t("case.close")}</button></form>` : ""}
      <h3>${t("case.log")}</h3>
      <ul class="list" id="case-log">${log.map((e) => `<li>${fmtDtg(e.time)} <strong>${escapeHtml(e.user_name)}</strong> ${escapeHtml(e.text)}</li>`).join("")}</ul>`;
    this.units = units;
    this.runs = runs;
    this.scenarios = scenarios;
    this.bind(c);
    App.layers.sar.clearLayers();
    L.circleMarker([c.datum_lat, c.datum_lon], { radius: 6, color: "#c0392b", weight: 2, fillOpacity: 0.3 })
      .bindTooltip(`${t("case.datum")} ${fmtPos(c.datum_lon, c.datum_lat)}`).addTo(App.layers.sar);
    if (fly) App.map.flyTo([c.datum_lat, c.datum_lon], 10, { duration: 0.5 });
    this.drawScenarios();
    await Promise.all([this.loadDrift(), this.loadPlan()]);
  },

  bind(c) {
    const on = (id, ev, fn) => { const el = document.getElementById(id); if (el) el.addEventListener(ev, fn); };
    on("case-back", "click", () => this.back());
    on("env-form", "submit", async (e) => {
      e.preventDefault();
      const f = e.target;
      const body = {};
      for (const k of ["wind_from_deg", "wind_speed_kn", "current_to_deg", "current_speed_kn", "visibility_nm"]) body[k] = Number(f[k].value);
      await api(`/api/cases/${c.id}/environment`, { method: "PUT", json: body });
      await this.open(c.id, false);
    });
    on("forcing-form", "submit", async (e) => {
      e.preventDefault();
      const data = new FormData(e.target);
      await api(`/api/cases/${c.id}/forcing`, { method: "POST", body: data }).catch((err) => alert(err.message));
      await this.open(c.id, false);
    });
    on("drift-form", "submit", async (e) => {
      e.preventDefault();
      const f = e.target;
      const run = await api(`/api/cases/${c.id}/drift`, { method: "POST", json: {
        duration_h: Number(f.duration_h.value), particles: Number(f.particles.value) } })
        .catch((err) => { alert(err.message); return null; });
      if (run) this.showProgress({ ...run, message: "queued" });
    });
    on("unit-form", "submit", async (e) => {
      e.preventDefault();
      const f = e.target;
      await api(`/api/cases/${c.id}/units`, { method: "POST", json: {
        name: f.name.value, platform: f.platform.value, speed_kn: Number(f.speed_kn.value),
        endurance_h: Number(f.endurance_h.value) } }).catch((err) => alert(err.message));
      await this.open(c.id, false);
    });
    on("run-plan", "click", async () => {
      const run = await api(`/api/cases/${c.id}/plan`, { method: "POST", json: {} })
        .catch((err) => { alert(err.message); return null; });
      if (run) this.showProgress({ ...run, message: "queued" });
    });
    on("close-form", "submit", async (e) => {
      e.preventDefault();
      await api(`/api/cases/${c.id}/close`, { method: "POST", json: { outcome: e.target.outcome.value, text: e.target.text.value } });
      await this.open(c.id, false);
    });
    for (const form of document.querySelectorAll(".gpx-form")) {
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        await api(`/api/cases/${c.id}/units/${form.dataset.unit}/track`, { method: "POST", body: new FormData(form) })
          .catch((err) => alert(err.message));
        await this.open(c.id, false);
      });
    }
  },

  showProgress(run) {
    const box = document.getElementById("run-progress");
    if (!box) return;
    box.classList.remove("hidden");
    document.getElementById("run-bar").style.width = `${Math.round(100 * run.progress)}%`;
    document.getElementById("run-message").textContent = `${run.kind} ${run.id || run.run_id}: ${run.status} ${run.message || ""}`;
  },

  onRun(run) {
    if (!this.current || run.case_id !== this.current.id) return;
    this.showProgress(run);
    if (run.status === "done" || run.status === "failed") {
      if (run.status === "failed") document.getElementById("run-message").textContent = `${run.kind}: ${run.message}`;
      else this.open(this.current.id, false);
    }
  },

  onCase(event) {
    if (!this.current) { this.loadList(); return; }
    // this page refreshes after its own actions; others' changes refresh it here
    const own = App.me && event.user === App.me.name;
    if (event.case_id === this.current.id && !own && !["drift", "plan", "update"].includes(event.action)) {
      this.open(this.current.id, false);
    }
  },

  // Each weighted scenario as a layer of its own: a position with its radius, a voyage line,
  // or an area, labelled with its name and share, switched on and off in the list.
  drawScenarios() {
    if (this.scenarioLayers) for (const layer of this.scenarioLayers.values()) App.layers.sar.removeLayer(layer);
    this.scenarioLayers = new Map();
    (this.scenarios || []).forEach((sc, i) => {
      const colour = SCENARIO_COLOURS[i % SCENARIO_COLOURS.length];
      const spec = sc.spec || {};
      const layer = L.layerGroup();
      const style = { color: colour, weight: 2, dashArray: "8 4", fillOpacity: 0.08, className: "scenario-shape" };
      let anchor = null;
      if (spec.kind === "area" && spec.ring) {
        const ring = spec.ring.map((p) => [p[1], p[0]]);
        L.polygon(ring, style).addTo(layer);
        anchor = ring[0];
      } else if (spec.lat !== undefined && spec.lon !== undefined) {
        anchor = [spec.lat, spec.lon];
        L.circle(anchor, { ...style, radius: Math.max(spec.radius_nm || 0, 0.05) * M_PER_NM }).addTo(layer);
        if (spec.kind === "track" && spec.to_lat !== undefined) {
          L.polyline([anchor, [spec.to_lat, spec.to_lon]], { ...style, dashArray: null, weight: 3 }).addTo(layer);
          L.circle([spec.to_lat, spec.to_lon], { ...style, radius: Math.max(spec.radius_nm || 0, 0.05) * M_PER_NM }).addTo(layer);
        }
      }
      if (anchor) {
        L.tooltip({ permanent: true, direction: "left", className: "scenario-label", interactive: false })
          .setLatLng(anchor).setContent(`${escapeHtml(sc.name)} · ${(100 * sc.share).toFixed(0)} %`).addTo(layer);
      }
      this.scenarioLayers.set(sc.name, layer);
      if (!this.scenariosHidden.has(sc.name)) layer.addTo(App.layers.sar);
    });
    for (const box of document.querySelectorAll("#scenario-list input[data-scenario]")) {
      box.addEventListener("change", () => {
        const name = box.dataset.scenario;
        const layer = this.scenarioLayers.get(name);
        if (box.checked) { this.scenariosHidden.delete(name); layer.addTo(App.layers.sar); }
        else { this.scenariosHidden.add(name); App.layers.sar.removeLayer(layer); }
      });
    }
  },

  async loadDrift() {
    const c = this.current;
    this.drift = await api(`/api/cases/${c.id}/drift`).catch(() => null);
    const view = document.getElementById("drift-view");
    if (!this.drift) { view.innerHTML = ""; return; }
    const d = this.drift;
    this.frames.clear();
    view.innerHTML = `
      <p class="muted" id="drift-text">${escapeHtml(d.text)}</p>
      <label>${t("case.time_slider")}: <span id="drift-time"></span> <span class="muted" id="drift-step"></span>
        <input type="range" id="drift-slider" min="0" max="${d.times.length - 1}" step="1" value="${d.times.length - 1}"></label>
      <ul class="contour-legend" id="contour-legend">${sarLegendItems()}</ul>`;
    const track = d.centroids.filter((p) => p).map((p) => [p[1], p[0]]);
    this.centroidLine = L.polyline(track, { color: "#c0392b", weight: 2, dashArray: "3 5" }).addTo(App.layers.sar);
    this.driftLayer = L.layerGroup().addTo(App.layers.sar);
    const slider = document.getElementById("drift-slider");
    slider.addEventListener("input", () => this.showFrame(Number(slider.value)));
    await this.showFrame(d.times.length - 1);
  },

  async showFrame(k) {
    const c = this.current;
    document.getElementById("drift-time").textContent = fmtDtg(this.drift.times[k]);
    document.getElementById("drift-step").textContent = `${k} / ${this.drift.times.length - 1}`;
    this.frameIndex = k;
    let frame = this.frames.get(k);
    if (!frame) {
      frame = await api(`/api/cases/${c.id}/drift/frames/${k}`);
      this.frames.set(k, frame);
    }
    if (this.frameIndex !== k) return;
    const layer = this.driftLayer;
    layer.clearLayers();
    const b = frame.heat.bounds;
    L.imageOverlay(frame.heat.url, [[b[1], b[0]], [b[3], b[2]]], { opacity: 0.85, interactive: false }).addTo(layer);
    for (const [level, colour] of [["90", "#e67e22"], ["50", "#c0392b"]]) {
      for (const poly of frame.containment[level]) {
        L.polygon(poly.map((ring) => ring.map((p) => [p[1], p[0]])), { color: colour, weight: 1.5, fill: false })
          .bindTooltip(`${level} %`).addTo(layer);
      }
    }
    // Early in a drift the cloud is only a few hundred metres across: the particles are
    // drawn larger then, so the first steps are seen at any zoom.
    const spreadPx = this.spreadPx(frame.particles);
    const radius = spreadPx < 12 ? 2.5 : 1.2;
    const renderer = L.canvas({ padding: 0.2 });
    for (const p of frame.particles) {
      L.circleMarker([p[1], p[0]], { renderer, radius, stroke: false, fillOpacity: 0.55,
        fillColor: p[2] === 1 ? "#7f8c8d" : "#14324a", interactive: false }).addTo(layer);
    }
    if (spreadPx < 12 && frame.particles.length) {
      const lon = frame.particles.reduce((s, p) => s + p[0], 0) / frame.particles.length;
      const lat = frame.particles.reduce((s, p) => s + p[1], 0) / frame.particles.length;
      L.circleMarker([lat, lon], { radius: 10, color: "#c0392b", weight: 2, dashArray: "3 3", fill: false,
        className: "cloud-marker", interactive: false }).addTo(layer);
    }
    this.shownParticles = frame.particles.length;
  },

  spreadPx(particles) {
    if (!particles.length) return 0;
    const pts = particles.map((p) => App.map.latLngToContainerPoint([p[1], p[0]]));
    const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
    return Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  },

  async loadPlan() {
    const c = this.current;
    const view = document.getElementById("plan-view");
    const plan = await api(`/api/cases/${c.id}/plan`).catch(() => null);
    const units = this.units || [];
    units.forEach((u, i) => {
      if (u.track && u.track.length > 1) {
        L.polyline(u.track.map((p) => [p[1], p[0]]), { color: UNIT_COLOURS[i % UNIT_COLOURS.length], weight: 3 })
          .bindTooltip(`${escapeHtml(u.name)} (${u.spec && u.spec.mmsi ? `AIS ${u.spec.mmsi}` : "GPX"})`).addTo(App.layers.sar);
      }
    });
    if (!plan) { view.innerHTML = ""; return; }
    // what each unit has searched since the plan (GPX and AIS alike), beside what it planned
    const coverage = await api(`/api/cases/${c.id}/coverage`).catch(() => null);
    const actual = new Map((coverage ? coverage.units : []).map((u) => [u.unit, u.actual]));
    const searched = (a) => {
      const done = actual.get(a.unit);
      return done && done.pieces ? `; ${t("case.searched")} ${fmtNm(done.track_nm)}, ${t("case.pos")} ${(100 * done.pos).toFixed(1)} %` : "";
    };
    // every finished plan is a round (1, 2, ...); its areas are labelled A-1, B-1, A-2, ...
    const rounds = (this.runs || []).filter((r) => r.kind === "plan" && r.status === "done")
      .sort((a, b) => a.id - b.id).map((r, i) => ({ number: i + 1, run_id: r.id, plan: r.summary }));
    if (!rounds.length || rounds[rounds.length - 1].run_id !== plan.run_id) {
      rounds.push({ number: rounds.length + 1, run_id: plan.run_id, plan });
    }
    const latest = rounds[rounds.length - 1];
    // a new round is shown alone; the officer may switch earlier rounds back on
    if (this.roundsCase !== c.id || !this.roundsSeen.has(latest.run_id)) {
      this.roundsCase = c.id;
      this.roundsShown = new Set([latest.run_id]);
    }
    this.roundsSeen = new Set(rounds.map((r) => r.run_id));
    const areaText = (a, n) => `<strong class="area-label">${a.label}-${n}</strong> ${escapeHtml(a.unit)}:
        ${a.on_scene ? `${t("case.window")} ${fmtDtg(a.on_scene)} – ${fmtDtg(a.search_end)}, ` : ""}
        ${t("case.area")} ${a.area_nm2} NM², ${t("case.spacing")} ${fmtNm(a.spacing_nm)},
        ${t("case.pod")} ${(100 * a.pod).toFixed(0)} %, ${t("case.poc")} ${(100 * a.poc).toFixed(0)} %,
        ${t("case.pos")} ${(100 * a.pos).toFixed(0)} %${a.pattern ? `, ${t("case.csp")} ${fmtPos(a.pattern.waypoints[0][0], a.pattern.waypoints[0][1])}` : ""}`;
    view.innerHTML = `<p id="plan-pos"><strong>${t("case.round")} ${latest.number}: ${t("case.pos")} ${(100 * plan.pos).toFixed(0)} %</strong>
      <span class="muted">(${(100 * plan.ratio_to_bound).toFixed(0)} % ${t("case.of_optimum")}, ${escapeHtml(plan.basis)})</span></p>
      ${(plan.units_after_drift_end || []).length ? `<p id="plan-late" class="warn">${t("case.after_drift_end")}:
        ${plan.units_after_drift_end.map(escapeHtml).join(", ")}</p>` : ""}
      <ul class="list">${plan.areas.map((a) => `<li>${areaText(a, latest.number)}${searched(a)}</li>`).join("")}</ul>
      <div id="round-toggles" class="round-toggles actions"><span>${t("case.rounds")}:</span>${rounds.map((r) =>
        `<label><input type="checkbox" data-round="${r.number}" data-run="${r.run_id}"${this.roundsShown.has(r.run_id) ? " checked" : ""}>
          ${t("case.round")} ${r.number} (${t("case.pos")} ${(100 * r.plan.pos).toFixed(0)} %)</label>`).join("")}</div>`;
    if (this.roundLayers) for (const layer of this.roundLayers.values()) App.layers.sar.removeLayer(layer);
    this.roundLayers = new Map();
    for (const r of rounds) {
      const layer = L.layerGroup();
      r.plan.areas.forEach((a) => {
        const i = units.findIndex((u) => u.name === a.unit);
        const colour = UNIT_COLOURS[(i < 0 ? 0 : i) % UNIT_COLOURS.length];
        const dash = r === latest ? null : "6 4";
        if (a.polygon) {
          const ring = a.polygon.map((p) => [p[1], p[0]]);
          L.polygon(ring, { color: colour, weight: 2, fillOpacity: 0.05, dashArray: dash, className: `search-area round-${r.number}` })
            .bindTooltip(areaText(a, r.number)).addTo(layer);
          // the label sits at the area's north-west corner, where it hides the least
          const corner = ring.reduce((best, p) => (p[0] - p[1] > best[0] - best[1] ? p : best), ring[0]);
          L.tooltip({ permanent: true, direction: "top", className: `area-label round-${r.number}`, interactive: false })
            .setLatLng(corner)
            .setContent(`${a.label}-${r.number} ${escapeHtml(a.unit)} · ${a.on_scene ? `${fmtDtg(a.on_scene).slice(0, 7)}–${fmtDtg(a.search_end).slice(0, 7)} · ` : ""}${t("case.pos")} ${(100 * a.pos).toFixed(0)} %`)
            .addTo(layer);
        }
        if (a.pattern) {
          L.polyline(a.pattern.waypoints.map((p) => [p[1], p[0]]), { color: colour, weight: 1, dashArray: "2 3", interactive: false })
            .addTo(layer);
        }
      });
      this.roundLayers.set(r.run_id, layer);
      if (this.roundsShown.has(r.run_id)) layer.addTo(App.layers.sar);
    }
    for (const box of view.querySelectorAll("#round-toggles input")) {
      box.addEventListener("change", () => {
        const run = Number(box.dataset.run);
        const layer = this.roundLayers.get(run);
        if (box.checked) { this.roundsShown.add(run); layer.addTo(App.layers.sar); }
        else { this.roundsShown.delete(run); App.layers.sar.removeLayer(layer); }
      });
    }
  },
};

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("new-case-button").addEventListener("click", () =>
    document.getElementById("new-case-form").classList.toggle("hidden"));
  document.getElementById("new-case-form").addEventListener("submit", (e) => Cases.createFromForm(e));
});
