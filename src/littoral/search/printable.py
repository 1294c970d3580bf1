"""Printable pages an officer reads top-down: the summary first, each map beside its table.

:data:`PAGE_CSS` is the one style of littoral's report pages (``search plan``'s
``report.html`` and the exercise's ``index.html``): a summary box first, then one ``.pair`` per
map, the map and its table side by side on a screen and kept together on a printed A4 page.
Times are written to the minute, in UTC.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from littoral.search.allocation import SearchPlan
from littoral.search.report import PROBABILITY_UNIT, cell_text

PAGE_CSS = (
    "body{font:14px/1.4 system-ui,sans-serif;max-width:1200px;margin:1.5em auto;color:#222;"
    "padding:0 1em}"
    "h1{font-size:22px;margin:.2em 0}h2{font-size:17px;margin:1.2em 0 .4em;"
    "border-bottom:1px solid #ccc}h3{font-size:15px;margin:1em 0 .3em}"
    ".summary{background:#f3f6f9;border:1px solid #c8d3de;border-radius:6px;padding:.6em 1em}"
    ".summary ul{margin:.3em 0;padding-left:1.2em}"
    ".pair{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:1em;"
    "align-items:start;margin:.6em 0}"
    ".pair img{width:100%;height:auto;border:1px solid #ddd}"
    ".pair>div{overflow-x:auto}"
    "figure{margin:0}figcaption{font-size:12px;color:#555}"
    "table{border-collapse:collapse;margin:.4em 0;font-variant-numeric:tabular-nums}"
    "td,th{border:1px solid #bbb;padding:2px 6px;font-size:13px;text-align:left;"
    "vertical-align:top}th{background:#eef2f6}"
    ".ok{color:#080}.bad{color:#b00}pre{white-space:pre-wrap;font-size:12px}"
    "@media (max-width:900px){.pair{grid-template-columns:1fr}}"
    "@page{size:A4 landscape;margin:12mm}"
    "@media print{body{margin:0;max-width:none;font-size:11px}"
    ".pair{break-inside:avoid;page-break-inside:avoid}h2,h3{break-after:avoid}"
    "a{color:inherit;text-decoration:none}details{display:block}}"
)
"""The style of every printable report page."""


def minute(t: datetime | None) -> str:
    """Return a UTC time to the minute, with its day of the month: ``01 09:32``.

    Examples
    --------
    >>> from datetime import UTC
    >>> minute(datetime(2026, 5, 1, 9, 32, 27, 378054, tzinfo=UTC))
    '01 09:32'
    """
    return "-" if t is None else f"{t:%d %H:%M}"


def table(head: list[str], rows: list[list[str]]) -> str:
    """Return an HTML table; ``head`` is escaped here, cells must be escaped by the caller."""
    h = "".join(f"<th>{escape(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{h}</tr>{body}</table>"


def pair(image: str, caption: str, beside: str) -> str:
    """Return a map (``image``, a file name) beside its table or text (HTML)."""
    return (
        f"<section class='pair'><figure><img src='{escape(image)}' alt='{escape(caption)}'>"
        f"<figcaption>{escape(caption)}</figcaption></figure><div>{beside}</div></section>"
    )


def page(title: str, body: list[str]) -> str:
    """Return a whole printable page."""
    return "\n".join(
        [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            f"<title>{escape(title)}</title><style>{PAGE_CSS}</style></head><body>",
            *body,
            "</body></html>",
        ]
    )


def _unit_rows(plan: SearchPlan) -> list[list[str]]:
    rows = []
    for a in plan.assignments:
        w = a.window
        on_scene = f"{minute(w.arrive)}-{minute(w.search_end)}" if w is not None else "-"
        searched = a.rect is not None and a.pattern is not None
        rows.append(
            [
                escape(a.unit.name),
                escape(a.unit.state),
                escape(str(a.unit.platform)),
                escape(on_scene),
                escape(a.pattern.kind) if a.pattern is not None else "-",
                f"{a.area_nm2:.1f}" if searched else "-",
                f"{a.spacing_nm:.2f}" if searched else "-",
                f"{a.pod:.0%}",
                f"{a.poc:.0%}",
                f"{a.pos:.1%}",
            ]
        )
    return rows


def plan_page(
    plan: SearchPlan, *, title: str, summary_text: str, map_name: str, warning: str = ""
) -> str:
    """Return ``search plan``'s printable page: summary, map beside the units, full text."""
    g = plan.grid
    cells = cell_text(g.frame.cell_nm)
    not_searched = [a.unit.name for a in plan.assignments if a.pattern is None]
    summary = [
        f"<li><b>Plan POS {plan.pos:.1%}</b>; best possible with this effort "
        f"{plan.bound.pos:.1%} (ratio {plan.ratio_to_bound:.2f})</li>",
        f"<li>Search object: {escape(plan.model.search_object)}; POD law "
        f"{escape(str(plan.model.law))}</li>",
        f"<li>{len(plan.assignments)} units; grid cells of {cells}; probability ashore "
        f"{g.stranded_probability:.1%}, outside the grid {g.outside_probability:.1%}</li>",
    ]
    if warning:
        summary.insert(0, f"<li class='bad'>{escape(warning)}</li>")
    if not_searched:
        summary.append(
            f"<li class='bad'>Not searching: {escape(', '.join(not_searched))} "
            "(see the full text)</li>"
        )
    if "pos_particles" in plan.extra:
        summary.append(f"<li>POS on the drift's particles: {plan.extra['pos_particles']:.1%}</li>")
    units = table(
        ["unit", "state", "platform", "on scene (UTC)", "pattern", "area (NM²)",
         "spacing (NM)", "POD", "POC", "POS"],
        _unit_rows(plan),
    )  # fmt: skip
    caption = (
        f"Search areas on the {PROBABILITY_UNIT} map (cells of {cells}); plan POS {plan.pos:.0%}"
    )
    return page(
        title,
        [
            f"<h1>{escape(title)}</h1>",
            "<div class='summary'><h2>Summary</h2><ul>" + "".join(summary) + "</ul></div>",
            "<h2>Areas and units</h2>",
            pair(map_name, caption, units),
            "<h2>Full plan</h2>",
            f"<pre>{escape(summary_text)}</pre>",
        ],
    )
