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

if TYPE_CHECKING:
    from littoral.exercise.run import ExerciseResult
    from littoral.exercise.sar import SearchRound


def _hhmm(iso: str | None) -> str:
    """``HH:MM UTC`` of an ISO time written by :func:`_iso`, or a dash."""
    return f"{iso[11:16]} UTC" if iso else "-"


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.astimezone(UTC).isoformat().replace("+00:00", "Z")


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


def _table(head: list[str], rows: list[list[str]]) -> str:
    h = "".join(f"<th>{escape(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{h}</tr>{body}</table>"


def _html(
    result: ExerciseResult,
    data: dict[str, Any],
    maps: list[tuple[str, Path]],
    files: list[Path],
) -> str:
    t = result.traffic
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>littoral exercise</title><style>",
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}",
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;"
        "font-size:14px;text-align:left}.ok{color:#080}.bad{color:#b00}img{max-width:100%}",
        "</style></head><body>",
        "<h1>littoral exercise</h1>",
        f"<p>Seed {data['seed']}; day {escape(t.start.strftime('%Y-%m-%d %H:%M'))} UTC for "
        f"{t.hours:g} h; {len(t.vessels):,} vessels; {t.n_messages:,} AIS messages "
        f"({len(t.lines):,} NMEA lines, AIS intervals x{t.rate_scale:g}); "
        f"whole run {data['wall_s']:.1f} s.</p>",
        "<h2>Steps</h2>",
        _table(
            ["step", "status", "wall time", "what came of it"],
            [
                [escape(s["name"]), escape(s["status"]), f"{s['wall_s']:.1f} s", escape(s["note"])]
                for s in data["steps"]
            ],
        ),
    ]
    missing = [s for s in data["steps"] if s["status"] != "done"]
    if missing:
        parts.append(
            "<p class='bad'>Not done in this run: "
            + "; ".join(escape(f"{s['name']} ({s['status']}: {s['note']})") for s in missing)
            + "</p>"
        )
    card = result.scorecard
    if card is not None:
        rows = []
        for s in card.scores:
            ok = "<span class='ok'>on time</span>" if s.on_time else "<span class='bad'>"
            ok += "" if s.on_time else ("late" if s.found else "missed") + "</span>"
            rows.append(
                [
                    escape(figures.planted_label(s.event.kind)),
                    escape(s.event.description),
                    escape(s.event.start.strftime("%H:%M:%S")),
                    escape(s.event.detectable_at.strftime("%H:%M:%S")),
                    escape(s.rule),
                    escape(s.raised.strftime("%H:%M:%S")) if s.raised else "-",
                    _hm(s.after_start_s),
                    _hm(s.late_s),
                    _hm(s.event.tolerance_s),
                    ok,
                ]
            )
        parts += [
            "<h2>Alerts against the planted truth</h2>",
            _table(
                [
                    "planted",
                    "what",
                    "start (UTC)",
                    "detectable",
                    "rule",
                    "alerted",
                    "after start",
                    "after detectable",
                    "tolerance",
                    "verdict",
                ],
                rows,
            ),
            f"<p>False alerts of the planted kinds: {len(card.false_alerts)}.</p>",
        ]
        if card.false_alerts:
            parts.append(
                _table(
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
            parts.append(
                "<p>Other alerts (not scored): "
                + ", ".join(f"{escape(k)} {v}" for k, v in sorted(counts.items()))
                + ".</p>"
            )
    sar = data.get("sar")
    if sar is not None:
        mob = t.mob
        parts += [
            "<h2>Search and rescue</h2>",
            f"<p>{escape(mob.ferry_name)} ({escape(mob.route)}): person overboard at "
            f"{datetime.fromtimestamp(mob.fall_time_s, UTC):%H:%M} UTC; AIS-MOB beacon "
            f"{mob.beacon_mmsi}; case {result.case_id}; drift from the beacon's last stored report "
            f"at {escape(sar['last_known']['time'] or '-')}.</p>",
            _table(
                ["unit", "base", "distance (NM)"],
                [
                    [escape(u["unit"]), escape(u["base"]), f"{u['distance_nm']:.0f}"]
                    for u in sar["units"]
                ],
            ),
        ]
        for r in sar["rounds"]:
            parts.append(
                f"<h3>Round {r['round']}: first unit on scene {escape(r['commence'])}, plan "
                f"on the cloud at {escape(r['map_time'])}, plan POS "
                f"{r['pos']:.1%} (optimum {r['bound_pos']:.1%})</h3>"
            )
            parts.append(
                _table(
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
                    [
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
                    ],
                )
            )
        verdict = (
            f"Found at {escape(sar['found_at'])}, {_hm(sar['time_to_find_s'])} after the fall."
            if sar["found"]
            else "Not found in two rounds; the search would go on."
        )
        parts.append(f"<p><b>{verdict}</b></p>")
    parts.append("<h2>Maps</h2>")
    for title, path in maps:
        parts.append(f"<h3>{escape(title)}</h3><img src='{escape(path.name)}' alt=''>")
    parts.append("<h2>Data files</h2><ul>")
    parts += [f"<li><a href='{escape(p.name)}'>{escape(p.name)}</a></li>" for p in files]
    parts.append("</ul></body></html>")
    return "\n".join(parts)
