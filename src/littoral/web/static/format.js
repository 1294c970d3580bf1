// Positions as mariners write them (latitude first, degrees and decimal minutes), NM, knots.
"use strict";
function fmtDM(value, width, pos, neg) {
  const hemi = value >= 0 ? pos : neg;
  const tenths = Math.round(Math.abs(value) * 600);
  const deg = Math.floor(tenths / 600);
  const min = (tenths % 600) / 10;
  return String(deg).padStart(width, "0") + "°" + min.toFixed(1).padStart(4, "0") + "′" + hemi;
}
function fmtLat(lat) { return fmtDM(lat, 2, "N", "S"); }
function fmtLon(lon) { return fmtDM(lon, 3, "E", "W"); }
function fmtPos(lon, lat) { return fmtLat(lat) + " " + fmtLon(lon); }
function fmtKn(v) { return v === null || v === undefined ? "—" : v.toFixed(1) + " " + t("unit.kn"); }
function fmtNm(v) { return v === null || v === undefined ? "—" : v.toFixed(1) + " " + t("unit.nm"); }
function fmtDeg(v) { return v === null || v === undefined ? "—" : String(Math.round(v)).padStart(3, "0") + "°"; }
function fmtTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toISOString().slice(0, 16).replace("T", " ") + "Z";
}
// "41 30.5 N", "41°30.5'N", "41.5083" or "-41.5" -> decimal degrees; NaN when unreadable.
function parseDM(text) {
  const s = String(text).trim().toUpperCase().replace(/[°′'’]/g, " ");
  const m = s.match(/^(-?\d+(?:\.\d+)?)(?:\s+(\d+(?:\.\d+)?))?\s*([NSEW])?$/);
  if (!m) return NaN;
  let v = Math.abs(parseFloat(m[1])) + (m[2] ? parseFloat(m[2]) / 60 : 0);
  if (m[1].startsWith("-") || m[3] === "S" || m[3] === "W") v = -v;
  return v;
}
function escapeHtml(s) {
  return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
