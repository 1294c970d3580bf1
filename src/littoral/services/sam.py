"""The search action message (SAM) of a case, generated from one of its search plans.

IAMSAR Manual Vol. II (Mission Co-ordination), 2.27.11-2.27.16, with the example message of
its Appendix L: once the search action plan is made, the SMC sends it to the OSC, the SAR
facilities and their parent agencies as a search action message in six parts:

1. **Situation**: the incident, its position and time, persons on board, the search
   object, the weather on scene, the SAR facilities.
2. **Search areas**, in columns: area, size, corner points, other essential data.
3. **Execution**, in columns: area, SAR facility, parent agency, pattern, creep direction,
   commence search point (CSP), altitude.
4. **Co-ordination**: SMC and OSC, on-scene times, track spacing and coverage, OSC
   instructions, airspace reservation and aircraft safety.
5. **Communications**: control, on-scene and monitor channels, identification, press.
6. **Reports**: what the OSC and the parent agencies report, and when.

Everything comes from the stored plan run (:func:`littoral.services.results.plan_summary`)
and the case: each assignment is one area, lettered as the plan letters it. The message is
written in English or Russian (:mod:`littoral.i18n.sam`), as plain text (telex, e-mail,
radio) or a printable HTML page. The channels below are littoral's defaults, from the SAR
frequencies of ITU Radio Regulations Appendix 15 (156.8 MHz VHF channel 16, 156.3 MHz
channel 06 for ship-aircraft, 123.1 MHz aeronautical on-scene, 3023 kHz, 121.5 MHz): each
installation edits them to its own plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from littoral.errors import InputError
from littoral.geo.distance import bearing_deg
from littoral.i18n import Catalogue, catalogue
from littoral.i18n.sam import sam_catalogue
from littoral.services.formats import format_dtg, position_text
from littoral.services.sitrep import RCC_NAMES, on_scene_weather
from littoral.store.service import Case, Run, Unit

CONTROL_CHANNELS: tuple[str, ...] = ("VHF CH 16 (156.8 MHZ)", "MF 2182 KHZ", "TELEPHONE")
ON_SCENE_CHANNELS: tuple[str, ...] = (
    "VHF CH 16 (156.8 MHZ)",
    "VHF CH 06 (156.3 MHZ) SHIP-AIRCRAFT",
    "123.1 MHZ AIRCRAFT",
    "3023 KHZ",
)
MONITOR_CHANNELS: tuple[str, ...] = ("121.5 MHZ", "VHF CH 70 DSC")

CREEPING_PATTERNS = ("parallel", "creeping-line")
"""Patterns whose legs advance across the area: their creep direction is that of the
first cross leg."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SamOptions:
    """What the SMC decides beyond the plan: the OSC and how often the OSC reports."""

    osc: str | None = None
    """The unit designated on-scene co-ordinator; ``None``: the first vessel of the plan."""
    report_every_h: float = 2.0

    def __post_init__(self) -> None:
        if not 0.0 < self.report_every_h <= 24.0:
            raise InputError(f"report_every_h={self.report_every_h!r} must be in (0, 24]")


@dataclass(frozen=True, slots=True, kw_only=True)
class SamInputs:
    """What a SAM is composed from: the case, its units, the plan run and its number."""

    case: Case
    units: list[Unit]
    plan: Run
    plan_number: int
    drift: Run | None
    now: datetime
    options: SamOptions = field(default_factory=SamOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """Columns and rows of one part; a cell may hold several lines."""

    columns: list[str]
    rows: list[list[str]]

    def text(self) -> list[str]:
        """Return the table as fixed-width lines."""
        widths = [
            max(
                len(line) for cell in [col, *(r[k] for r in self.rows)] for line in cell.split("\n")
            )
            for k, col in enumerate(self.columns)
        ]
        out = ["  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True)).rstrip()]
        for row in self.rows:
            cells = [cell.split("\n") for cell in row]
            for i in range(max(len(c) for c in cells)):
                parts = [
                    (c[i] if i < len(c) else "").ljust(w)
                    for c, w in zip(cells, widths, strict=True)
                ]
                out.append("  ".join(parts).rstrip())
        return out

    def html(self) -> str:
        """Return the table as HTML."""
        head = "".join(f"<th>{escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{escape(c).replace(chr(10), '<br>')}</td>" for c in row)
            + "</tr>"
            for row in self.rows
        )
        return f"<table class='grid'><tr>{head}</tr>{body}</table>"


@dataclass(frozen=True, slots=True, kw_only=True)
class Part:
    """One numbered part of the message: its lines, and a table where IAMSAR has columns."""

    number: int
    title: str
    lines: list[str]
    table: Table | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchActionMessage:
    """A SAM as heading lines and six numbered parts, in one language."""

    heading: list[str]
    parts: list[Part]
    language: str
    print_label: str

    def text(self) -> str:
        """Return the message as plain text."""
        lines = list(self.heading)
        for part in self.parts:
            lines.append("")
            lines.append(f"{part.number}. {part.title}")
            if part.table is not None:
                lines.extend(f"   {line}" for line in part.table.text())
            lines.extend(f"   {line}" for line in part.lines)
        return "\n".join(lines) + "\n"

    def html(self) -> str:
        """Return the message as a printable HTML page (nothing loaded from elsewhere)."""
        sections = "".join(
            f"<h2>{part.number}. {escape(part.title)}</h2>"
            + (part.table.html() if part.table is not None else "")
            + "".join(f"<p>{escape(line)}</p>" for line in part.lines)
            for part in self.parts
        )
        head = "<br>".join(escape(line) for line in self.heading)
        return (
            f"<!doctype html><html lang='{escape(self.language)}' dir='ltr'>"
            "<head><meta charset='utf-8'><title>SAM</title><style>"
            "body{font:14px/1.4 monospace;margin:2em;max-width:60em}"
            "h2{font-size:1em;margin:1.2em 0 .4em}p{margin:.2em 0 .2em 2em}"
            "table.grid{border-collapse:collapse;margin-inline-start:2em}"
            "table.grid th,table.grid td{border:1px solid #888;padding:.2em .5em;"
            "text-align:start;vertical-align:top}"
            ".hint{color:#666;font-family:sans-serif;margin:1em 0}"
            "@media print{.hint{display:none}body{margin:0}h2{break-after:avoid}"
            "tr{break-inside:avoid}}</style></head><body>"
            f"<p style='margin:0'>{head}</p>{sections}"
            # the page runs no script (its Content-Security-Policy forbids it): the browser prints
            f"<p class='hint'>{escape(self.print_label)}</p></body></html>"
        )

    def to_json(self) -> dict[str, Any]:
        """Return the message as JSON values (heading, parts with lines and tables)."""
        return {
            "language": self.language,
            "heading": self.heading,
            "parts": [
                {
                    "number": p.number,
                    "title": p.title,
                    "lines": p.lines,
                    "table": None
                    if p.table is None
                    else {"columns": p.table.columns, "rows": p.table.rows},
                }
                for p in self.parts
            ],
        }


def _pct(value: object) -> str:
    return f"{float(value):.0%}" if isinstance(value, int | float) else "-"


def _when(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return format_dtg(datetime.fromisoformat(value))


def rcc_of(state: str) -> str:
    """Return the centre that speaks for ``state`` (``RCC XX`` where none is configured)."""
    return RCC_NAMES.get(state, f"RCC {state}")


def _corners(area: dict[str, Any]) -> str:
    polygon = area.get("polygon") or []
    if len(polygon) > 1 and polygon[0] == polygon[-1]:
        polygon = polygon[:-1]
    return "\n".join(position_text(float(p[0]), float(p[1])) for p in polygon) or "-"


def creep_direction(area: dict[str, Any]) -> str:
    """Return the creep direction of a planned area (``090T``), or ``-`` for its pattern.

    Parallel-track and creeping-line searches advance from leg to leg in the direction of
    their cross legs: the bearing from the end of the first leg to the start of the second.
    """
    pattern = area.get("pattern") or {}
    points = pattern.get("waypoints") or []
    if pattern.get("kind") not in CREEPING_PATTERNS or len(points) < 3:
        return "-"
    (lon1, lat1), (lon2, lat2) = points[1], points[2]
    return f"{float(bearing_deg(lon1, lat1, lon2, lat2)):03.0f}T"


def _facility(unit: Unit | None, tr: Catalogue, words: Catalogue) -> str:
    if unit is None or unit.platform == "vessel":
        return words.text("surface")
    altitude = unit.spec.get("altitude_ft")
    return words.text("altitude", altitude_ft=f"{float(altitude):.0f}") if altitude else "-"


def _situation(inputs: SamInputs, tr: Catalogue, words: Catalogue) -> list[str]:
    case = inputs.case
    incident = case.title.upper() + (f": {case.description}" if case.description else "")
    lines = [
        words.text("incident", text=incident),
        words.text(
            "lkp",
            position=position_text(case.datum_lon, case.datum_lat),
            time=format_dtg(case.datum_time),
        ),
        words.text("pob", persons=case.persons),
    ]
    detection = inputs.plan.summary.get("detection") or {}
    name = detection.get("search_object") if isinstance(detection, dict) else None
    obj = f"{str(name).upper()} ({case.object_class})" if name else case.object_class
    lines.append(words.text("object", object=obj))
    lines.append(words.text("weather", weather=on_scene_weather(case, tr)))
    if inputs.drift is not None and inputs.drift.summary.get("text"):
        lines.append(words.text("drift", text=str(inputs.drift.summary["text"])))
    units = ", ".join(
        f"{u.name} ({u.state}, {tr.upper(tr.text(f'platform.{u.platform}'))})" for u in inputs.units
    )
    lines.append(words.text("facilities", units=units or words.text("nil")))
    return lines


def _osc(inputs: SamInputs, areas: list[dict[str, Any]], by_name: dict[str, Unit]) -> str | None:
    chosen = inputs.options.osc
    if chosen is not None:
        if chosen not in by_name:
            raise InputError(f"osc={chosen!r} is not a unit of case {inputs.case.id}")
        return chosen
    planned = [str(a["unit"]) for a in areas]
    vessels = [n for n in planned if n in by_name and by_name[n].platform == "vessel"]
    first = vessels or planned
    return first[0] if first else None


def build_sam(inputs: SamInputs, language: str = "en") -> SearchActionMessage:
    """Compose the search action message of ``inputs.plan`` in ``language`` (``en``, ``ru``)."""
    words = sam_catalogue(language)
    tr = catalogue(language)
    case, plan = inputs.case, inputs.plan.summary
    if inputs.plan.kind != "plan" or inputs.plan.status != "done":
        raise InputError(f"run {inputs.plan.id} is not a finished plan")
    areas: list[dict[str, Any]] = list(plan.get("areas") or [])
    by_name = {u.name: u for u in inputs.units}
    rcc = rcc_of(case.state)
    agencies = sorted({rcc_of(by_name[a["unit"]].state) for a in areas if a["unit"] in by_name})
    heading = [
        format_dtg(inputs.now),
        words.text("from", rcc=rcc),
        words.text("to", agencies=", ".join(agencies) or rcc),
        words.text("title"),
        words.text(
            "number",
            case=f"{case.state}-{case.id}",
            number=inputs.plan_number,
            plan=inputs.plan.id,
        ),
        words.text("subject", title=case.title.upper()),
    ]
    area_rows = [
        [
            str(a["label"]),
            words.text("size", area_nm2=f"{float(a['area_nm2']):.0f}"),
            _corners(a),
            words.text(
                "other", poc=_pct(a.get("poc")), pod=_pct(a.get("pod")), pos=_pct(a.get("pos"))
            ),
        ]
        for a in areas
    ]
    start = _when(plan.get("start")) or "-"
    plan_line = words.text(
        "plan_pos", pos=_pct(plan.get("pos")), ratio=_pct(plan.get("ratio_to_bound")), start=start
    )
    execution_rows = []
    for a in areas:
        unit = by_name.get(str(a["unit"]))
        pattern = a.get("pattern") or {}
        kind = pattern.get("kind")
        execution_rows.append(
            [
                str(a["label"]),
                str(a["unit"]),
                rcc_of(unit.state if unit is not None else str(a.get("state", case.state))),
                words.text(f"pattern.{kind}") if kind else words.text("pattern.none"),
                creep_direction(a),
                str(pattern.get("csp") or "-"),
                _facility(unit, tr, words),
            ]
        )
    osc = _osc(inputs, areas, by_name)
    coordination = [words.text("smc", rcc=rcc)]
    coordination.append(words.text("osc", unit=osc) if osc else words.text("osc_none"))
    for a in areas:
        on_scene, end = _when(a.get("on_scene")), _when(a.get("search_end"))
        if on_scene and end:
            coordination.append(words.text("times", unit=a["unit"], start=on_scene, end=end))
        else:
            coordination.append(words.text("times_none", unit=a["unit"]))
    for a in areas:
        coordination.append(
            words.text(
                "spacing",
                unit=a["unit"],
                spacing_nm=f"{float(a['spacing_nm']):.1f}",
                coverage=f"{float(a['coverage']):.1f}",
                sweep_nm=f"{float(a['sweep_width_nm']):.1f}",
            )
        )
    coordination.append(words.text("osc_instructions"))
    flying = any(by_name[a["unit"]].platform != "vessel" for a in areas if a["unit"] in by_name)
    if flying:
        coordination += [words.text("airspace"), words.text("aircraft_safety")]
    communications = [
        words.text("control", channels=", ".join(CONTROL_CHANNELS)),
        words.text("on_scene", channels=", ".join(ON_SCENE_CHANNELS)),
        words.text("monitor", channels=", ".join(MONITOR_CHANNELS)),
        words.text("identify"),
        words.text("press", rcc=rcc),
    ]
    reports = [
        words.text("osc_reports", rcc=rcc, hours=f"{inputs.options.report_every_h:g}"),
        words.text("agency_reports"),
    ]
    area_columns = ["area", "size", "corners", "other"]
    execution_columns = ["area", "facility", "agency", "pattern", "creep", "csp", "altitude"]
    parts = [
        Part(number=1, title=words.text("part.situation"), lines=_situation(inputs, tr, words)),
        Part(
            number=2,
            title=words.text("part.areas"),
            lines=[plan_line],
            table=Table(columns=[words.text(f"col.{c}") for c in area_columns], rows=area_rows),
        ),
        Part(
            number=3,
            title=words.text("part.execution"),
            lines=[] if execution_rows else [words.text("nil")],
            table=Table(
                columns=[words.text(f"col.{c}") for c in execution_columns], rows=execution_rows
            ),
        ),
        Part(number=4, title=words.text("part.coordination"), lines=coordination),
        Part(number=5, title=words.text("part.communications"), lines=communications),
        Part(number=6, title=words.text("part.reports"), lines=reports),
    ]
    return SearchActionMessage(
        heading=heading, parts=parts, language=words.code, print_label=words.text("print")
    )
