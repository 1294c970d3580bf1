"""Step 6 of the exercise: the report folder (``index.html``, maps, data files, summary).

Data files: the day's NMEA (``traffic.nmea.gz``), the planted truth (``truth.json``), the
alerts (``alerts.geojson``), the drift (CF trajectory NetCDF, ``drift*.nc``), the plans
(``plan_round*.geojson``), each unit's planned route (``*.gpx``), the flown tracks
(``tracks_round*.geojson``), the person's true drift (``person_truth.geojson``) and every
figure of the run (``summary.json``).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from littoral.exercise import figures
from littoral.search.printable import page, pair, table
from littoral.search.report import cell_text

if TYPE_CHECKING:
    from littoral.exercise.run import ExerciseResult
    from littoral.exercise.sar import SearchRound


def _hhmm(iso: str | None) -> str:
    """``HH:MM UTC`` of an ISO time written by :func:`_iso`, or a dash."""
    return f"{iso[11:16]} UTC" if iso else "-"


def _iso(t: datetime | None) -> str | None:
    """ISO 8601 UTC to the second (the data files); the page writes minutes."""
    if t is None:
        return None
    return t.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _hm(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    m = round(abs(seconds) / 60.0)
    sign = "-" if seconds < 0 and m > 0 else ""
    return f"{sign}{m // 60} h {m % 60:02d} min" if m >= 60 else f"{sign}{m} min"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()


def summary(result: ExerciseResult, total_s: float) -> dict[str, Any]:
    """Return every figure of the run as JSON-ready data."""
    cfg = result.config
    t = result.traffic
    out: dict[str, Any] = {
        "seed": cfg.seed,
        "start": _iso(t.start),
        "hours": cfg.hours,
        "vessels": len(t.vessels),
        "messages": t.n_messages,
        "lines": len(t.lines),
        "rate_scale": t.rate_scale,
        "speedup": cfg.speedup,
        "wall_s": round(total_s, 2),
        "steps": [
            {"name": s.name, "wall_s": round(s.wall_s, 2), "status": s.status, "note": s.note}
            for s in result.steps
        ],
        "store": result.store_url,
        "case_id": result.case_id,
    }
    if result.stream is not None:
        out["feed"] = {
            "url": result.stream.feed_url,
            "lines_sent": result.stream.lines_sent,
            "source_events": result.stream.source_events,
            "ingest_messages_per_s": round(
                result.stream.ingest.stats.messages / max(result.stream.ingest.elapsed_s, 1e-9)
            ),
        }
    card = result.scorecard
    if card is not None:
        out["truth"] = [
            {
                "kind": s.event.kind.value,
                "mmsis": list(s.event.mmsis),
                "start": _iso(s.event.start),
                "detectable_at": _iso(s.event.detectable_at),
                "tolerance_s": s.event.tolerance_s,
                "rule": s.rule,
                "alerted": _iso(s.raised),
                "late_s": s.late_s,
                "on_time": s.on_time,
            }
            for s in card.scores
        ]
        out["false_alerts"] = [
            {"rule": a.alert.rule, "mmsis": list(a.alert.mmsis), "reason": a.alert.reason}
            for a in card.false_alerts
        ]
        out["other_alerts"] = len(card.other_alerts)
        out["passed"] = card.passed
    sar = result.sar
    if sar is not None:
        rounds = []
        for r in sar.rounds:
            flown = {x.unit_name: x for x in r.sorties}
            rounds.append(
                {
                    "round": r.number,
                    "commence": _iso(r.commence),
                    "map_time": _iso(r.map_time),
                    "pos": round(r.plan.pos, 4),
                    "bound_pos": round(r.plan.bound.pos, 4),
                    "units": [
                        {
                            "unit": a.unit.name,
                            "state": a.unit.state,
                            "pos": round(a.pos, 4),
                            "pod": round(a.pod, 4),
                            "area_nm2": round(a.area_nm2, 2),
                            "spacing_nm": round(a.spacing_nm, 3),
                            "on_scene": _iso(flown[a.unit.name].commence)
                            if a.unit.name in flown
                            else None,
                            "search_end": _iso(flown[a.unit.name].end)
                            if a.unit.name in flown
                            else None,
                        }
                        for a in r.plan.assignments
                    ],
                    "found_by": r.found.unit_name if r.found else None,
                }
            )
        found = sar.found
        fall = datetime.fromtimestamp(t.mob.fall_time_s, UTC)
        out["sar"] = {
            "last_known": {
                "lon": sar.last_known.lon,
                "lat": sar.last_known.lat,
                "time": _iso(sar.last_known.time),
            },
            "units": [
                {"unit": c.name, "base": c.base_name, "distance_nm": round(c.distance_nm, 1)}
                for c in sar.commitments
            ],
            "rounds": rounds,
            "found": found is not None,
            "found_at": _iso(found.detected_at) if found else None,
            "time_to_find_s": (
                (found.detected_at - fall).total_seconds() if found and found.detected_at else None
            ),
        }
    return out


def _write_data(result: ExerciseResult, out: Path) -> list[Path]:
    files: list[Path] = []
    t = result.traffic
    path = out / "traffic.nmea.gz"
    with gzip.open(path, "wt", encoding="ascii") as f:
        f.write("\n".join(t.lines) + "\n")
    files.append(path)
    path = out / "truth.json"
    path.write_text(
        json.dumps(
            [
                {
                    "kind": e.kind.value,
                    "mmsis": list(e.mmsis),
                    "start": _iso(e.start),
                    "detectable_at": _iso(e.detectable_at),
                    "end": _iso(e.end),
                    "tolerance_s": e.tolerance_s,
                    "lon": e.lon,
                    "lat": e.lat,
                    "description": e.description,
                }
                for e in t.truth
            ],
            indent=1,
        )
    )
    files.append(path)
    if result.stream is not None:
        feats = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [a.alert.lon, a.alert.lat]},
                "properties": {
                    "id": a.alert.id,
                    "rule": a.alert.rule,
                    "priority": a.alert.priority.name,
                    "mmsis": list(a.alert.mmsis),
                    "start": _iso(a.alert.start),
                    "raised": _iso(a.raised),
                    "reason": a.alert.reason,
                },
            }
            for a in result.stream.alerts.values()
        ]
        path = out / "alerts.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
        files.append(path)
    person = t.person
    path = out / "person_truth.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(float(x), 6), round(float(y), 6)]
                        for x, y in zip(person.lon[::5], person.lat[::5], strict=True)
                    ],
                },
                "properties": {"object_class": person.object_class, "every_s": 300},
            }
        )
    )
    files.append(path)
    sar = result.sar
    if sar is not None and sar.drift is not None:
        sar.drift.to_netcdf(out / "drift.nc")
        files.append(out / "drift.nc")
        for k, d in enumerate(sar.drift_after, start=1):
            d.to_netcdf(out / f"drift_after_round{k}.nc")
            files.append(out / f"drift_after_round{k}.nc")
    if sar is not None:
        files.extend(_write_rounds(sar.rounds, out))
    return files


def _write_rounds(rounds: list[SearchRound], out: Path) -> list[Path]:
    from littoral.search import gpx_route, plan_geojson

    files: list[Path] = []
    for r in rounds:
        path = out / f"plan_round{r.number}.geojson"
        path.write_text(json.dumps(plan_geojson(r.plan)))
        files.append(path)
        for a in r.plan.assignments:
            if a.pattern is not None:
                path = out / f"round{r.number}_{_slug(a.unit.name)}.gpx"
                path.write_text(gpx_route(a.pattern, name=f"{a.unit.name}, round {r.number}"))
                files.append(path)
        feats = [
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(float(x), 6), round(float(y), 6)]
                        for x, y in zip(s.lon, s.lat, strict=True)
                    ],
                },
                "properties": {
                    "unit": s.unit_name,
                    "state": s.state,
                    "commence": _iso(s.commence),
                    "end": _iso(s.end),
                    "pod_true": round(s.pod_true, 4),
                    "detected_at": _iso(s.detected_at),
                },
            }
            for s in r.sorties
        ]
        path = out / f"tracks_round{r.number}.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
        files.append(path)
    return files


def _maps(result: ExerciseResult, out: Path) -> list[tuple[str, Path]]:
    maps = [
        ("Traffic of the day", figures.traffic_map(result.traffic, out / "traffic.png")),
        ("Alerts and the planted truth", figures.alerts_map(result, out / "alerts.png")),
    ]
    sar = result.sar
    if sar is not None and sar.drift is not None:
        maps.append(
            ("Drift cloud over time", figures.drift_map(result, sar.drift, out / "drift.png"))
        )
        for r in sar.rounds:
            maps.append(
                (
                    f"Round {r.number}: probability, search areas and tracks",
                    figures.round_map(result, r, out / f"round{r.number}.png"),
                )
            )
    return maps


@dataclass
class ReportParts:
    """The maps (title, file) and data files written so far."""

    maps: list[tuple[str, Path]]
    files: list[Path]


def write_report(result: ExerciseResult, out: Path) -> ReportParts:
    """Write the maps and data files of the report folder."""
    out.mkdir(parents=True, exist_ok=True)
    files = _write_data(result, out)
    return ReportParts(_maps(result, out), files)


def write_index(result: ExerciseResult, out: Path, parts: ReportParts, total_s: float) -> Path:
    """Write ``summary.json`` and ``index.html`` (last, with every step timed); return the page."""
    data = summary(result, total_s)
    (out / "summary.json").write_text(json.dumps(data, indent=1))
    files = [*parts.files, out / "summary.json"]
    index = out / "index.html"
    index.write_text(_html(result, data, parts.maps, files), encoding="utf-8")
    return index


def _summary(result: ExerciseResult, data: dict[str, Any]) -> str:
    """Return the report's first lines: what an officer wants to know before any table."""
    t = result.traffic
    items = [
        f"Day {escape(t.start.strftime('%Y-%m-%d %H:%M'))} UTC, {t.hours:g} h: "
        f"{len(t.vessels):,} vessels, {t.n_messages:,} AIS messages; seed {data['seed']}"
    ]
    card = result.scorecard
    if card is not None:
        on_time = sum(1 for s in card.scores if s.on_time)
        verdict = "ok" if card.passed else "bad"
        items.append(
            f"<span class='{verdict}'>Watch: {on_time} of {len(card.scores)} planted events "
            f"alerted on time</span>; {len(card.false_alerts)} false alerts of the planted kinds"
        )
    sar = data.get("sar")
    if sar is not None:
        rounds = "; ".join(
            f"round {r['round']} plan POS {r['pos']:.1%} (optimum {r['bound_pos']:.1%})"
            for r in sar["rounds"]
        )
        if sar["found"]:
            found = (
                f"<span class='ok'><b>Person found at {escape(_hhmm(sar['found_at']))}, "
                f"{_hm(sar['time_to_find_s'])} after the fall</b></span>"
            )
        else:
            found = (
                f"<span class='bad'><b>Person not found in {len(sar['rounds'])} rounds</b>"
                "</span>; the search would go on"
            )
        items.append(f"{found}; {rounds}")
    missing = [s for s in data["steps"] if s["status"] != "done"]
    if missing:
        items.append(
            "<span class='bad'>Not done in this run: "
            + "; ".join(escape(f"{s['name']} ({s['status']}: {s['note']})") for s in missing)
            + "</span>"
        )
    items.append(f"Whole run {data['wall_s']:.0f} s")
    return (
        "<div class='summary'><h2>Summary</h2><ul>"
        + "".join(f"<li>{x}</li>" for x in items)
        + "</ul></div>"
    )


def _alerts_section(result: ExerciseResult, maps: dict[str, tuple[str, Path]]) -> list[str]:
    card = result.scorecard
    if card is None:
        return []
    rows = []
    for s in card.scores:
        ok = "<span class='ok'>on time</span>" if s.on_time else "<span class='bad'>"
        ok += "" if s.on_time else ("late" if s.found else "missed") + "</span>"
        rows.append(
            [
                f"<b>{escape(figures.planted_label(s.event.kind))}</b>: "
                + escape(s.event.description),
                escape(s.event.start.strftime("%H:%M")),
                escape(s.event.detectable_at.strftime("%H:%M")),
                (escape(s.raised.strftime("%H:%M")) if s.raised else "-") + f" ({escape(s.rule)})",
                f"{_hm(s.late_s)} ({_hm(s.event.tolerance_s)})",
                ok,
            ]
        )
    beside = [
        table(
            [
                "planted",
                "start (UTC)",
                "detectable",
                "alerted (rule)",
                "after detectable (tolerance)",
                "verdict",
            ],
            rows,
        ),
        f"<p>False alerts of the planted kinds: {len(card.false_alerts)}.</p>",
    ]
    if card.false_alerts:
        beside.append(
            table(
                ["rule", "vessels", "reason"],
                [
                    [escape(a.alert.rule), escape(str(a.alert.mmsis)), escape(a.alert.reason)]
                    for a in card.false_alerts
                ],
            )
        )
    counts: dict[str, int] = {}
    for a in card.other_alerts:
        counts[a.alert.rule] = counts.get(a.alert.rule, 0) + 1
    if counts:
        beside.append(
            "<p>Other alerts (not scored): "
            + ", ".join(f"{escape(k)} {v}" for k, v in sorted(counts.items()))
            + ".</p>"
        )
    title, path = maps["alerts"]
    return ["<h2>Alerts against the planted truth</h2>", pair(path.name, title, "".join(beside))]


def _traffic_section(result: ExerciseResult, maps: dict[str, tuple[str, Path]]) -> list[str]:
    t = result.traffic
    kinds: dict[str, int] = {}
    for v in t.vessels:
        kinds[v.kind.value] = kinds.get(v.kind.value, 0) + 1
    beside = table(
        ["kind of vessel", "vessels"], [[escape(k), f"{n:,}"] for k, n in sorted(kinds.items())]
    ) + (
        f"<p>{t.n_messages:,} AIS messages in {len(t.lines):,} NMEA lines "
        f"(AIS intervals x{t.rate_scale:g}).</p>"
    )
    title, path = maps["traffic"]
    return ["<h2>Traffic of the day</h2>", pair(path.name, title, beside)]


def _sar_section(
    result: ExerciseResult, data: dict[str, Any], maps: dict[str, tuple[str, Path]]
) -> list[str]:
    sar = data.get("sar")
    if sar is None:
        return []
    mob = result.traffic.mob
    sar_result = result.sar
    cells = ""
    if sar_result is not None and sar_result.rounds:
        cells = cell_text(sar_result.rounds[0].plan.grid.frame.cell_nm)
    units = table(
        ["unit", "base", "distance (NM)"],
        [[escape(u["unit"]), escape(u["base"]), f"{u['distance_nm']:.0f}"] for u in sar["units"]],
    )
    intro = (
        f"<p>{escape(mob.ferry_name)} ({escape(mob.route)}): person overboard at "
        f"{datetime.fromtimestamp(mob.fall_time_s, UTC):%H:%M} UTC; AIS-MOB beacon "
        f"{mob.beacon_mmsi}; case {result.case_id}; drift from the beacon's last stored report "
        f"at {escape(_hhmm(sar['last_known']['time']))}.</p>"
    )
    parts = ["<h2>Search and rescue</h2>", intro]
    if "drift" in maps:
        title, path = maps["drift"]
        parts.append(pair(path.name, title, "<h3>Units committed</h3>" + units))
    else:
        parts.append(units)
    for r in sar["rounds"]:
        rows = [
            [
                escape(u["unit"]),
                u["state"],
                escape(_hhmm(u["on_scene"])),
                escape(_hhmm(u["search_end"])),
                f"{u['area_nm2']:.1f}",
                f"{u['spacing_nm']:.2f}",
                f"{u['pod']:.0%}",
                f"{u['pos']:.1%}",
            ]
            for u in r["units"]
        ]
        beside = (
            f"<p>First unit on scene {escape(_hhmm(r['commence']))}; plan on the cloud at "
            f"{escape(_hhmm(r['map_time']))}, on cells of {cells}; plan POS {r['pos']:.1%} "
            f"(optimum {r['bound_pos']:.1%})"
            + (f"; found by {escape(r['found_by'])}" if r["found_by"] else "")
            + ".</p>"
            + table(
                [
                    "unit",
                    "state",
                    "on scene",
                    "search ends",
                    "area (NM²)",
                    "spacing (NM)",
                    "POD",
                    "POS",
                ],
                rows,
            )
        )
        heading = f"<h3>Round {r['round']}</h3>"
        key = f"round{r['round']}"
        if key in maps:
            title, path = maps[key]
            parts += [heading, pair(path.name, title, beside)]
        else:
            parts += [heading, beside]
    return parts


def _html(
    result: ExerciseResult,
    data: dict[str, Any],
    maps: list[tuple[str, Path]],
    files: list[Path],
) -> str:
    by_name = {path.stem: (title, path) for title, path in maps}
    parts = ["<h1>littoral exercise</h1>", _summary(result, data)]
    parts += _alerts_section(result, by_name)
    parts += _sar_section(result, data, by_name)
    parts += _traffic_section(result, by_name)
    parts += [
        "<h2>How the run went</h2>",
        table(
            ["step", "status", "wall time", "what came of it"],
            [
                [escape(s["name"]), escape(s["status"]), f"{s['wall_s']:.1f} s", escape(s["note"])]
                for s in data["steps"]
            ],
        ),
        "<h2>Data files</h2><ul>",
        *[f"<li><a href='{escape(p.name)}'>{escape(p.name)}</a></li>" for p in files],
        "</ul>",
    ]
    return page("littoral exercise", parts)
