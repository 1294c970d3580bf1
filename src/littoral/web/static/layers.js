// The layer control: one switch per layer of the map, each with its own legend. Vessels can
// be narrowed by flag (littoral or other) and by type; the symbols fade with the age of the
// vessel's last report.
"use strict";
const TYPE_GROUP_OF = {
  cargo: "cargo", tanker: "tanker", passenger: "passenger", hsc: "passenger", fishing: "fishing",
  tug: "service", towing: "service", pilot: "service", sar: "service", law: "service",
  medical: "service", dredging: "service", diving: "service", military: "military",
  sailing: "pleasure", pleasure: "pleasure",
};
const TYPE_COLOURS = {
  cargo: "#2e8b57", tanker: "#c0392b", passenger: "#2471a3", fishing: "#e59866",
  service: "#17a589", military: "#5d6d7e", pleasure: "#af7ac5", other: "#aab7b8",
};
const FLAG_STROKES = { littoral: { color: "#1b2430", width: 0.8 }, other: { color: "#d35400", width: 2.2 } };
// Age of the last report: live up to 15 min, fading to one hour, then drawn hollow as stale.
const AGE_LIMITS_S = { fresh: 900, stale: 3600 };
const PRIORITY_COLOURS = { CRITICAL: "#c0392b", HIGH: "#e67e22", MEDIUM: "#f1c40f", LOW: "#95a5a6" };
const ISOBATH_COLOURS = { 10: "#a9cce3", 20: "#7fb3d5", 50: "#5499c7", 100: "#2e86c1", 200: "#21618c", 500: "#1b4f72" };

// Names of the legend's entries, one literal key each (the catalogue test reads them).
function typeName(g) {
  return {
    cargo: t("type.cargo"), tanker: t("type.tanker"), passenger: t("type.passenger"), fishing: t("type.fishing"),
    service: t("type.service"), military: t("type.military"), pleasure: t("type.pleasure"), other: t("type.other"),
  }[g];
}
function ageName(a) { return { fresh: t("legend.fresh"), stale: t("legend.stale"), old: t("legend.old") }[a]; }
function priorityName(p) {
  return { CRITICAL: t("prio.CRITICAL"), HIGH: t("prio.HIGH"), MEDIUM: t("prio.MEDIUM"), LOW: t("prio.LOW") }[p] || p;
}
function placeKindName(k) {
  return { port: t("place.port"), mrcc: t("place.mrcc"), offshore: t("place.offshore"), naval: t("place.naval"),
    terminal: t("place.terminal") }[k] || k;
}
function layerName(name) {
  return { vessels: t("layer.vessels"), track: t("layer.track"), alerts: t("layer.alerts"), places: t("layer.places"),
    zones: t("layer.zones"), depth: t("layer.depth"), graticule: t("layer.graticule"), sar: t("layer.sar") }[name];
}

function typeGroup(category) { return TYPE_GROUP_OF[category] || "other"; }
function ageClass(ageS) {
  if (ageS === null || ageS === undefined || Number.isNaN(ageS)) return "old";
  return ageS < AGE_LIMITS_S.fresh ? "fresh" : ageS < AGE_LIMITS_S.stale ? "stale" : "old";
}

function vesselSvg({ group, flag, age, moving, angle }) {
  const stroke = FLAG_STROKES[flag];
  const fill = age === "old" ? "none" : TYPE_COLOURS[group];
  const dash = age === "old" ? ' stroke-dasharray="2 1.5"' : "";
  const outline = age === "old" ? "#6b7480" : stroke.color;
  const shape = moving ? '<path d="M0,-8 L5,6 L0,3 L-5,6 Z"/>' : '<circle r="4"/>';
  return `<svg width="18" height="18" viewBox="-9 -9 18 18"><g transform="rotate(${angle})" fill="${fill}" ` +
    `stroke="${outline}" stroke-width="${Math.max(stroke.width, 1)}"${dash}>${shape}</g></svg>`;
}

const Layers = {
  on: {}, flags: { littoral: true, other: true }, types: {},

  init(map, layers) {
    this.map = map;
    this.layers = layers;
    for (const g of Object.keys(TYPE_COLOURS)) this.types[g] = true;
    const control = L.control({ position: "topright" });
    control.onAdd = () => {
      const div = L.DomUtil.create("div", "layer-control");
      div.id = "layer-control";
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    for (const name of ["vessels", "track", "alerts", "places", "zones", "depth", "graticule", "sar"]) {
      this.on[name] = map.hasLayer(layers[name]);
    }
    this.render();
  },

  legend(name) {
    const sw = (colour, text, extra = "") => `<li><i class="sw" style="background:${colour}${extra}"></i>${text}</li>`;
    const line = (colour, text, dash = "") =>
      `<li><svg width="22" height="8"><line x1="1" y1="4" x2="21" y2="4" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/></svg>${text}</li>`;
    const icon = (svg, text) => `<li>${svg}${text}</li>`;
    switch (name) {
      case "vessels": {
        const flags = ["littoral", "other"].map((f) =>
          `<li><label class="inline"><input type="checkbox" data-flag="${f}"${this.flags[f] ? " checked" : ""}>` +
          `${vesselSvg({ group: "other", flag: f, age: "fresh", moving: true, angle: 0 })}${t(f === "littoral" ? "legend.littoral" : "legend.foreign")}</label></li>`).join("");
        const types = Object.keys(TYPE_COLOURS).map((g) =>
          `<li><label class="inline"><input type="checkbox" data-type="${g}"${this.types[g] ? " checked" : ""}>` +
          `<i class="sw" style="background:${TYPE_COLOURS[g]}"></i>${typeName(g)}</label></li>`).join("");
        const ages = ["fresh", "stale", "old"].map((a) =>
          icon(`<span class="age-${a}">${vesselSvg({ group: "cargo", flag: "littoral", age: a, moving: true, angle: 0 })}</span>`, ageName(a))).join("");
        return `<ul class="legend-flags">${flags}</ul><ul class="legend-types">${types}</ul><ul class="legend-ages">${ages}</ul>`;
      }
      case "track": return `<ul>${line("#14324a", t("legend.track"))}</ul>`;
      case "alerts": return `<ul>${Object.entries(PRIORITY_COLOURS).map(([p, c]) =>
        icon(`<svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="none" stroke="${c}" stroke-width="2.5"/></svg>`, priorityName(p))).join("")}</ul>`;
      case "places": return `<ul>${["mrcc", "port", "offshore", "naval", "terminal"].map((k) => icon(placeSymbol(k), placeKindName(k))).join("")}</ul>`;
      case "zones": return `<ul>${line("#7d5ba6", t("zones.band"), "4 4")}${line("#7d5ba6", t("zones.sector"), "1 3")}</ul>`;
      case "depth": return `<ul class="legend-depth">${Object.entries(ISOBATH_COLOURS).map(([d, c]) => line(c, `${d} ${t("unit.m")}`)).join("")}</ul>` +
        `<p class="credit">${t("depth.credit")}</p>`;
      case "graticule": return "";
      case "sar": return `<ul class="legend-sar">${sarLegendItems()}</ul>`;
      default: return "";
    }
  },

  render() {
    const div = document.getElementById("layer-control");
    const names = ["vessels", "track", "alerts", "places", "zones", "depth", "graticule", "sar"];
    div.innerHTML = `<button type="button" class="layer-toggle" id="layer-toggle">${t("layers.title")}</button>` +
      `<div class="layer-list${this.collapsed ? " hidden" : ""}">${names.map((name) => `
      <section class="layer" data-layer="${name}">
        <label class="inline"><input type="checkbox" id="layer-${name}" data-layer="${name}"${this.on[name] ? " checked" : ""}>
          <strong>${layerName(name)}</strong></label>
        <div class="legend-body${this.on[name] ? "" : " hidden"}">${this.legend(name)}</div>
      </section>`).join("")}</div>`;
    div.querySelector("#layer-toggle").addEventListener("click", () => { this.collapsed = !this.collapsed; this.render(); });
    for (const box of div.querySelectorAll("input[data-layer]")) {
      box.addEventListener("change", () => this.set(box.dataset.layer, box.checked));
    }
    for (const box of div.querySelectorAll("input[data-flag]")) {
      box.addEventListener("change", () => { this.flags[box.dataset.flag] = box.checked; refilterVessels(); });
    }
    for (const box of div.querySelectorAll("input[data-type]")) {
      box.addEventListener("change", () => { this.types[box.dataset.type] = box.checked; refilterVessels(); });
    }
    const tool = document.getElementById("range-tool");
    if (tool) tool.title = t("chart.range");
  },

  set(name, on) {
    this.on[name] = on;
    const layer = this.layers[name];
    if (on) layer.addTo(this.map); else this.map.removeLayer(layer);
    if (name === "graticule") Chart.drawGraticule();
    if (name === "places") Chart.updateLabels();
    const section = document.querySelector(`#layer-control section[data-layer=${name}] .legend-body`);
    if (section) section.classList.toggle("hidden", !on);
  },

  shows(v) {
    return this.flags[v.littoral ? "littoral" : "other"] && this.types[typeGroup(v.category)];
  },
};

// The legend of a case's layers, shared by the layer control and the case view.
function sarLegendItems() {
  const line = (colour, text, dash = "", width = 2) =>
    `<li><svg width="22" height="8"><line x1="1" y1="4" x2="21" y2="4" stroke="${colour}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ""}/></svg>${text}</li>`;
  return `<li><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#c0392b" fill-opacity="0.3" stroke="#c0392b" stroke-width="2"/></svg>${t("case.datum")}</li>` +
    line("#c0392b", t("sar.c50"), "", 2) + line("#e67e22", t("sar.c90"), "", 2) +
    `<li><i class="sw heat"></i>${t("sar.heat")}</li>` +
    `<li><svg width="14" height="14"><circle cx="4" cy="7" r="1.6" fill="#14324a"/><circle cx="10" cy="7" r="1.6" fill="#7f8c8d"/></svg>${t("sar.particles")}</li>` +
    line("#c0392b", t("sar.centroid"), "3 5") + line("#8e44ad", t("sar.area"), "", 2);
}
