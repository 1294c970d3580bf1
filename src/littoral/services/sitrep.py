"""The situation report (SITREP) of a SAR case, in the layout of IAMSAR Vol. II, Appendix D.

The full form has a heading (SITREP number, casualty identity, DISTRESS/URGENCY, the sending
RCC) and the paragraphs A (identity of casualty), B (position), C (situation), D (number of
persons), E (assistance required), F (coordinating RCC), G (description of casualty),
H (weather on scene), J (initial actions taken), K (search area), L (coordinating
instructions), M (future plans) and N (additional information / conclusion); letter I is not
used. The same sections are rendered as plain text (for a telex, e-mail or radio) and as a
printable HTML page, in any of the page's languages (:mod:`littoral.i18n`): the form's words
come from the catalogue, in capitals as IAMSAR messages write them; positions, the date-time
groups (DDHHMMZ MON YY, English month abbreviations as in every SAR message) and what officers
typed stay as they are. The plain text is English unless asked otherwise, the common
language of messages between centres.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from littoral.i18n import Catalogue, catalogue
from littoral.services.formats import format_dtg, position_text
from littoral.store.service import Case, CaseLogEntry, Run, Unit

RCC_NAMES: dict[str, str] = {
    "AZ": "MRCC BAKU",
    "IR": "MRCC ANZALI",
    "KZ": "MRCC AKTAU",
    "RU": "MRCC ASTRAKHAN",
    "TM": "MRCC TURKMENBASHI",
}
"""The centre that signs a state's SITREPs (editable per installation)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Sitrep:
    """A SITREP as heading lines and lettered paragraphs, in one language."""

    heading: list[str]
    paragraphs: list[tuple[str, str, str]]
    language: str = "en"
    direction: str = "ltr"
    print_label: str = "Print"

    def text(self) -> str:
        """Return the report as plain text."""
        lines = list(self.heading)
        lines.append("")
        for letter, title, body in self.paragraphs:
            lines.append(f"{letter}. {title}")
            lines.extend(f"   {line}" for line in body.splitlines())
        return "\n".join(lines) + "\n"

    def html(self) -> str:
        """Return the report as a printable HTML page."""
        rows = "\n".join(
            f"<tr><th>{escape(letter)}</th><td><b>{escape(title)}</b><br>"
            + "<br>".join(escape(line) for line in body.splitlines())
            + "</td></tr>"
            for letter, title, body in self.paragraphs
        )
        head = "<br>".join(escape(line) for line in self.heading)
        return (
            f"<!doctype html><html lang='{escape(self.language)}' dir='{escape(self.direction)}'>"
            "<head><meta charset='utf-8'><title>SITREP</title><style>"
            "body{font:14px/1.4 monospace;margin:2em;max-width:50em}"
            # a monospaced face spaces the Persian letters apart: right-to-left reads better
            "html[dir=rtl] body{font-family:system-ui,sans-serif;font-size:15px}"
            "th{vertical-align:top;text-align:start;padding-inline-end:1em}"
            "td{padding-bottom:.6em}"
            ".hint{color:#666;font-family:sans-serif}"
            "@media print{.hint{display:none}body{margin:0}}</style></head><body>"
            f"<p>{head}</p><table>{rows}</table>"
            # the page runs no script (its Content-Security-Policy forbids it): the browser prints
            f"<p class='hint'>{escape(self.print_label)}</p></body></html>"
        )


def _number(log: list[CaseLogEntry]) -> int:
    return 1 + sum(1 for entry in log if entry.action == "sitrep")


@dataclass(frozen=True, slots=True, kw_only=True)
class SitrepInputs:
    """What a SITREP is composed from: the case, its units, log and latest runs."""

    case: Case
    units: list[Unit]
    log: list[CaseLogEntry]
    drift: Run | None
    plan: Run | None
    now_dtg: str


def on_scene_weather(case: Case, tr: Catalogue) -> str:
    """Return the weather on scene a case reports, in capitals, in the language of ``tr``."""
    env = case.environment
    if not env:
        return tr.upper(tr.text("sitrep.not_reported"))
    weather = tr.text(
        "sitrep.wind",
        wind_from=f"{env.get('wind_from_deg', 0):03.0f}",
        wind_kn=f"{env.get('wind_speed_kn', 0):.0f}",
        current_to=f"{env.get('current_to_deg', 0):03.0f}",
        current_kn=f"{env.get('current_speed_kn', 0):.1f}",
        visibility_nm=f"{env.get('visibility_nm', 10):.0f}",
        sea_m=f"{env.get('sea_height_m', 1):.1f}",
    )
    if env.get("water_temp_c") is not None:
        weather += ", " + tr.text("sitrep.water", water_c=f"{env['water_temp_c']:.0f}")
    return tr.upper(weather)


def _units(units: list[Unit], tr: Catalogue) -> str:
    lines = [
        tr.text(
            "sitrep.unit",
            name=u.name,
            state=u.state,
            platform=tr.text(f"platform.{u.platform}"),
            speed_kn=f"{u.speed_kn:g}",
            endurance_h=f"{u.endurance_h:g}",
        )
        for u in units
    ]
    return tr.upper("\n".join(lines)) if lines else tr.upper(tr.text("sitrep.nil"))


def _additional(case: Case, units: list[Unit], tr: Catalogue) -> str:
    lines = [
        tr.upper(tr.text("sitrep.searched", unit=u.name, points=len(u.track or [])))
        for u in units
        if u.track
    ]
    if case.status == "closed":
        outcome = tr.text(f"outcome.{case.outcome}") if case.outcome else ""
        closed = tr.upper(tr.text("sitrep.closed", outcome=outcome))
        lines.append(f"{closed} {case.outcome_text or ''}".rstrip())
    else:
        lines.append(tr.upper(tr.text("sitrep.nil")))
    return "\n".join(lines)


def build_sitrep(inputs: SitrepInputs, language: str = "en") -> Sitrep:
    """Compose the SITREP of a case in ``language`` (one of :data:`littoral.i18n.LANGUAGES`)."""
    tr = catalogue(language)
    case, units, log = inputs.case, inputs.units, inputs.log

    def up(key: str, **fields: object) -> str:
        return tr.upper(tr.text(key, **fields))

    rcc = RCC_NAMES.get(case.state, f"RCC {case.state}")
    number = up("sitrep.number", case=f"{case.state}-{case.id}", number=_number(log))
    heading = [
        inputs.now_dtg,
        up("sitrep.from", rcc=rcc),
        up("sitrep.to_all"),
        up("sitrep.distress") if case.alert_id or case.persons else up("sitrep.urgency"),
        number + (" " + up("sitrep.final") if case.status == "closed" else ""),
    ]
    actions = [
        f"{format_dtg(e.time)} {e.text}" for e in log if e.action in ("open", "unit", "alert")
    ]
    area = up("sitrep.not_planned")
    if inputs.plan is not None:
        area = str(inputs.plan.summary.get("text", "")) or area
    drift_text = str(inputs.drift.summary.get("text", "")) if inputs.drift is not None else ""
    position = position_text(case.datum_lon, case.datum_lat)
    identity = case.title.upper() + (f", MMSI {case.mmsi}" if case.mmsi else "")
    paragraphs = [
        ("A", up("sitrep.identity"), identity),
        (
            "B",
            up("sitrep.position"),
            up("sitrep.position_at", position=position, time=format_dtg(case.datum_time)),
        ),
        ("C", up("sitrep.situation"), case.description or up("sitrep.not_reported")),
        ("D", up("sitrep.persons"), str(case.persons)),
        ("E", up("sitrep.assistance"), up("sitrep.sar")),
        ("F", up("sitrep.rcc"), rcc),
        ("G", up("sitrep.description"), up("sitrep.object", object=case.object_class)),
        ("H", up("sitrep.weather"), on_scene_weather(case, tr)),
        ("J", up("sitrep.actions"), "\n".join(actions) or up("sitrep.nil")),
        ("K", up("sitrep.area"), "\n".join(x for x in (drift_text, area) if x)),
        ("L", up("sitrep.instructions"), _units(units, tr)),
        (
            "M",
            up("sitrep.plans"),
            up("sitrep.continue") if case.status == "open" else up("sitrep.nil_closed"),
        ),
        ("N", up("sitrep.additional"), _additional(case, units, tr)),
    ]
    return Sitrep(
        heading=heading,
        paragraphs=paragraphs,
        language=tr.code,
        direction=tr.direction,
        print_label=tr.text("sitrep.print"),
    )
