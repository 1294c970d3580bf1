// Strings of the map page. The catalogues live in littoral/i18n/catalogues/<code>.json (one
// per language, the same keys in each: a unit test checks every key the page and the SITREP
// use) and arrive from /i18n.json before the page starts. t(key, {field: value}) fills the
// "{field}" parts of a string.
"use strict";
let CATALOGUES = {};
let currentLanguage = "en";

async function loadCatalogues() {
  const response = await fetch("/i18n.json", { credentials: "same-origin" });
  if (!response.ok) throw new Error(`/i18n.json: ${response.status}`);
  CATALOGUES = await response.json();
}

function t(key, fields) {
  const own = CATALOGUES[currentLanguage] || CATALOGUES.en || {};
  let text = own[key] !== undefined ? own[key] : ((CATALOGUES.en || {})[key] !== undefined ? CATALOGUES.en[key] : key);
  if (fields) text = text.replace(/\{(\w+)\}/g, (m, name) => (fields[name] !== undefined ? String(fields[name]) : m));
  return text;
}

function applyLanguage(code) {
  currentLanguage = CATALOGUES[code] ? code : "en";
  document.documentElement.lang = currentLanguage;
  document.documentElement.dir = t("_dir");
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of document.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  }
  document.dispatchEvent(new CustomEvent("languagechange", { detail: currentLanguage }));
}
