// Positions, times and numbers as the officer chose to read them. Positions are latitude
// first with the hemisphere letter, in degrees and decimal minutes (the chart's and IAMSAR's
// way, the default), degrees-minutes-seconds or decimal degrees; the choice is kept in this
// browser. Digits and the decimal point are those of charts and SAR messages in every
// language, so a position can be read back and typed in again. Times are UTC: date and time
// to the minute for the picture, a date-time group (DDHHMMZ MON YY) for SAR cases.
"use strict";
const COORDINATE_FORMATS = ["dm", "dms", "dd"];
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

function coordinateFormat() {
  let stored = null;
  try { stored = window.localStorage.getItem("littoral.coords"); } catch (e) { stored = null; }
  return COORDINATE_FORMATS.includes(stored) ? stored : "dm";
}
function setCoordinateFormat(code) {
  if (!COORDINATE_FORMATS.includes(code)) throw new Error(`coordinate format ${code}?`);
  try { window.localStorage.setItem("littoral.coords", code); } catch (e) { /* private mode */ }
}

function fmtAngle(value, width, pos, neg, format) {
  const hemi = value >= 0 ? pos : neg;
  const a = Math.abs(value);
  if (format === "dd") {
    const text = a.toFixed(4);
    return text.padStart(width + 5, "0") + "°" + hemi;
  }
  if (format === "dms") {
    const seconds = Math.round(a * 3600);
    const deg = Math.floor(seconds / 3600);
    const min = Math.floor((seconds % 3600) / 60);
    const sec = seconds % 60;
    return String(deg).padStart(width, "0") + "°" + String(min).padStart(2, "0") + "′" +
      String(sec).padStart(2, "0") + "″" + hemi;
  }
  const tenths = Math.round(a * 600);
  const deg = Math.floor(tenths / 600);
  const min = (tenths % 600) / 10;
  return String(deg).padStart(width, "0") + "°" + min.toFixed(1).padStart(4, "0") + "′" + hemi;
}
function fmtLat(lat, format) { return fmtAngle(lat, 2, "N", "S", format || coordinateFormat()); }
function fmtLon(lon, format) { return fmtAngle(lon, 3, "E", "W", format || coordinateFormat()); }
function fmtPos(lon, lat, format) { return fmtLat(lat, format) + " " + fmtLon(lon, format); }
function fmtNumber(v, digits) {
  if (v === null || v === undefined) return "—";
  return digits === undefined ? String(v) : Number(v).toFixed(digits);
}
function fmtKn(v) { return v === null || v === undefined ? "—" : v.toFixed(1) + " " + t("unit.kn"); }
function fmtNm(v) { return v === null || v === undefined ? "—" : v.toFixed(1) + " " + t("unit.nm"); }
function fmtDeg(v) { return v === null || v === undefined ? "—" : String(Math.round(v)).padStart(3, "0") + "°"; }
function fmtTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toISOString().slice(0, 16).replace("T", " ") + "Z";
}
// The date-time group of SAR messages: "011130Z MAY 26" (day, hour, minute, Z, month, year).
function fmtDtg(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}Z ` +
    `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCFullYear() % 100)}`;
}
// "41 30.5 N", "41°30.5'N", "41 30 30 N", "41.5083" or "-41.5" -> decimal degrees; NaN when unreadable.
function parseDM(text) {
  const s = String(text).trim().toUpperCase().replace(/[°′'’″"]/g, " ");
  const m = s.match(/^(-?\d+(?:\.\d+)?)(?:\s+(\d+(?:\.\d+)?))?(?:\s+(\d+(?:\.\d+)?))?\s*([NSEW])?$/);
  if (!m) return NaN;
  let v = Math.abs(parseFloat(m[1])) + (m[2] ? parseFloat(m[2]) / 60 : 0) + (m[3] ? parseFloat(m[3]) / 3600 : 0);
  if (m[1].startsWith("-") || m[4] === "S" || m[4] === "W") v = -v;
  return v;
}
function escapeHtml(s) {
  return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
