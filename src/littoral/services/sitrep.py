"""The situation report (SITREP) of a SAR case, in the layout of IAMSAR Vol. II, Appendix D.

The full form has a heading (SITREP number, casualty identity, DISTRESS/URGENCY, the sending
RCC) and the paragraphs A (identity of casualty), B (position), C (situation), D (number of
persons), E (assistance required), F (coordinating RCC), G (description of casualty),
H (weather on scene), J (initial actions taken), K (search area), L (coordinating
instructions), M (future plans) and N (additional information / conclusion); letter I is not
used. The same sections are rendered as plain text (for a telex, e-mail or radio) and as a
printable HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

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


@dataclass(frozen=True, slots=True)
class Sitrep:
    """A SITREP as heading lines and lettered paragraphs."""

    heading: list[str]
    paragraphs: list[tuple[str, str, str]]

    def text(self) -> str:
        """Return the report as plain text."""
        lines = list(self.heading)
        lines.append("")
        for letter, title, body in self.paragraphs:
            lines.append(f"{letter}. {title}")
            lines.extend(f"   {line}" for line in body.splitlines() or ["NIL"])
        return "\n".join(lines) + "\n"

    def html(self) -> str:
        """Return the report as a printable HTML page."""
        rows = "\n".join(
            f"<tr><th>{escape(letter)}</th><td><b>{escape(title)}</b><br>"
            + "<br>".join(escape(line) for line in (body.splitlines() or ["NIL"]))
            + "</td></tr>"
            for letter, title, body in self.paragraphs
        )
        head = "<br>".join(escape(line) for line in self.heading)
        return (
            "<!doctype html><html><head><meta charset='utf-8'><title>SITREP</title><style>"
            "body{font:14px/1.4 monospace;margin:2em;max-width:50em}"
            "th{vertical-align:top;text-align:left;padding-right:1em}td{padding-bottom:.6em}"
            "@media print{button{display:none}}</style></head><body>"
            f"<p>{head}</p><table>{rows}</table>"
            "<button onclick='window.print()'>Print</button></body></html>"
        )


def _number(log: list[CaseLogEntry]) -> int:
    return 1 + sum(1 for entry in log if entry.action == "sitrep")


def build_sitrep(
    case: Case,
    units: list[Unit],
    log: list[CaseLogEntry],
    drift: Run | None,
    plan: Run | None,
    now_dtg: str,
) -> Sitrep:
    """Compose the SITREP of ``case`` from its record, units, log and latest runs."""
    rcc = RCC_NAMES.get(case.state, f"RCC {case.state}")
    final = " FINAL" if case.status == "closed" else ""
    identity = case.title.upper()
    heading = [
        f"{now_dtg}",
        f"FROM: {rcc}",
        "TO: ALL CASPIAN MRCCS",
        "DISTRESS" if case.alert_id or case.persons else "URGENCY",
        f"SITREP {case.state}-{case.id} NO. {_number(log)}{final}",
    ]
    env = case.environment
    weather = "NOT REPORTED"
    if env:
        weather = (
            f"WIND {env.get('wind_from_deg', 0):03.0f}/{env.get('wind_speed_kn', 0):.0f} KN, "
            f"CURRENT SETTING {env.get('current_to_deg', 0):03.0f} "
            f"AT {env.get('current_speed_kn', 0):.1f} KN, "
            f"VISIBILITY {env.get('visibility_nm', 10):.0f} NM, "
            f"SEA {env.get('sea_height_m', 1):.1f} M"
        )
        if env.get("water_temp_c") is not None:
            weather += f", WATER {env['water_temp_c']:.0f} C"
    actions = [
        f"{format_dtg(e.time)} {e.text}" for e in log if e.action in ("open", "unit", "alert")
    ]
    area = "NOT YET PLANNED"
    if plan is not None:
        area = str(plan.summary.get("text", "")) or area
    drift_text = ""
    if drift is not None:
        drift_text = str(drift.summary.get("text", ""))
    searched = [u for u in units if u.track]
    future = "CONTINUE SEARCH" if case.status == "open" else "NIL, CASE CLOSED"
    conclusion = "NIL"
    if case.status == "closed":
        conclusion = f"CASE CLOSED: {(case.outcome or '').upper()} {case.outcome_text or ''}"
    paragraphs = [
        ("A", "IDENTITY OF CASUALTY", identity + (f", MMSI {case.mmsi}" if case.mmsi else "")),
        (
            "B",
            "POSITION",
            f"{position_text(case.datum_lon, case.datum_lat)} AT {format_dtg(case.datum_time)}",
        ),
        ("C", "SITUATION", case.description or "NOT REPORTED"),
        ("D", "NUMBER OF PERSONS", str(case.persons)),
        ("E", "ASSISTANCE REQUIRED", "SEARCH AND RESCUE"),
        ("F", "COORDINATING RCC", rcc),
        ("G", "DESCRIPTION OF CASUALTY", f"SEARCH OBJECT {case.object_class}"),
        ("H", "WEATHER ON SCENE", weather),
        ("J", "INITIAL ACTIONS TAKEN", "\n".join(actions) or "NIL"),
        ("K", "SEARCH AREA", "\n".join(x for x in (drift_text, area) if x)),
        (
            "L",
            "COORDINATING INSTRUCTIONS",
            "\n".join(
                f"{u.name} ({u.state}, {u.platform}, {u.speed_kn:g} KN, "
                f"ENDURANCE {u.endurance_h:g} H)"
                for u in units
            )
            or "NIL",
        ),
        ("M", "FUTURE PLANS", future),
        (
            "N",
            "ADDITIONAL INFORMATION",
            "\n".join(
                [f"SEARCHED BY {u.name}: {len(u.track or [])} TRACK POINTS" for u in searched]
                + [conclusion]
            ),
        ),
    ]
    return Sitrep(heading=heading, paragraphs=paragraphs)
