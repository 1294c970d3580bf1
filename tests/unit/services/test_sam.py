"""The search action message of a plan: six IAMSAR parts, tables from the plan, two languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from littoral.errors import InputError
from littoral.geo.distance import bearing_deg
from littoral.i18n import fields
from littoral.i18n.sam import SAM_LANGUAGES, SAM_STRINGS
from littoral.services import (
    CaseDesk,
    OnScene,
    PlanParams,
    Role,
    RunDesk,
    ServiceContext,
    system_user,
)
from littoral.services.sam import SamOptions, creep_direction

T0 = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)


def _planned(ctx: ServiceContext) -> tuple[CaseDesk, int, dict[str, object]]:
    """A case east of Baku, a vessel and a helicopter, and a plan on its datum (no drift)."""
    ctx.clock.set(T0)  # type: ignore[attr-defined]
    user = system_user("coord", "AZ", Role.COORDINATOR)
    cases, runs = CaseDesk(ctx, user), RunDesk(ctx, user)
    case = cases.open(
        title="Fishing boat Ulduz",
        datum_lon=51.0,
        datum_lat=41.0,
        datum_time=T0 - timedelta(hours=1),
        object_class="PIW-1",
        persons=3,
        description="flooding, crew abandoning",
    )
    cases.set_on_scene(case.id, OnScene(wind=(90.0, 12.0), current=(180.0, 0.5)))
    cases.add_unit(
        case.id,
        {"name": "Patrol 101", "speed_kn": 12, "endurance_h": 8,
         "base_lon": 51.05, "base_lat": 41.05},
    )  # fmt: skip
    cases.add_unit(
        case.id,
        {"name": "Helo 7", "platform": "helicopter", "speed_kn": 90, "endurance_h": 3,
         "transit_speed_kn": 120, "base_lon": 50.9, "base_lat": 40.95, "height_ft": 500},
    )  # fmt: skip
    run, _ = runs.plan_now(case.id, PlanParams(start_time=T0, error_nm=3.0))
    return cases, case.id, run.summary


def test_the_sam_carries_the_six_parts_of_iamsar_from_the_plan(ctx: ServiceContext) -> None:
    cases, case_id, plan = _planned(ctx)
    areas = plan["areas"]
    assert isinstance(areas, list)
    assert len(areas) == 2
    message = cases.sam(case_id)
    text = message.text()
    titles = [p.title for p in message.parts]
    assert titles == [
        "SITUATION",
        "SEARCH AREAS",
        "EXECUTION",
        "CO-ORDINATION",
        "COMMUNICATIONS",
        "REPORTS",
    ]
    assert "SEARCH ACTION MESSAGE" in message.heading
    assert "SAM AZ-1 NO 1 (PLAN 1)" in message.heading
    assert "LAST KNOWN POSITION 41°00.0′N 051°00.0′E AT 010500Z MAY 26" in text
    assert "PERSONS ON BOARD: 3" in text
    assert "INCIDENT: FISHING BOAT ULDUZ: flooding, crew abandoning" in text
    # search areas: one row per planned area, its size and corners as the plan has them
    table = message.parts[1].table
    assert table is not None
    assert table.columns == ["AREA", "SIZE", "CORNER POINTS", "OTHER DATA"]
    for row, area in zip(table.rows, areas, strict=True):
        assert row[0] == area["label"]
        assert row[1] == f"{area['area_nm2']:.0f} NM2"
        assert row[2].count("\n") == 3  # four corners
        assert f"POC {area['poc']:.0%}" in row[3]
    # execution: facility, parent agency, pattern, creep, CSP and altitude
    execution = message.parts[2].table
    assert execution is not None
    by_unit = {row[1]: row for row in execution.rows}
    assert by_unit["Helo 7"][2] == "MRCC BAKU"
    assert by_unit["Helo 7"][6] == "500 FT"
    assert by_unit["Patrol 101"][6] == "SURFACE"
    for area in areas:
        row = by_unit[area["unit"]]
        assert row[5] == area["pattern"]["csp"]
        (lon1, lat1), (lon2, lat2) = area["pattern"]["waypoints"][1:3]
        assert row[4] == f"{float(bearing_deg(lon1, lat1, lon2, lat2)):03.0f}T"
        assert row[3] == "PARALLEL TRACK (PS)"
    # co-ordination: the first vessel is OSC; aircraft bring the airspace and safety lines
    assert "OSC: Patrol 101" in text
    assert "SMC: MRCC BAKU" in text
    assert "AIRSPACE: RESERVATION" in text
    helo = next(a for a in areas if a["unit"] == "Helo 7")
    on_scene = datetime.fromisoformat(helo["on_scene"]).strftime("%d%H%MZ")
    assert f"Helo 7: ON SCENE {on_scene} MAY 26" in text
    assert "VHF CH 06 (156.3 MHZ)" in text
    assert "EVERY 2 H" in text


def test_options_languages_and_page(ctx: ServiceContext) -> None:
    cases, case_id, _ = _planned(ctx)
    text = cases.sam(case_id, options=SamOptions(osc="Helo 7", report_every_h=1)).text()
    assert "OSC: Helo 7" in text
    assert "EVERY 1 H" in text
    russian = cases.sam(case_id, "ru").text()
    for title in ("1. ОБСТАНОВКА", "2. РАЙОНЫ ПОИСКА", "3. ВЫПОЛНЕНИЕ", "6. ДОНЕСЕНИЯ"):
        assert title in russian
    assert "ПАРАЛЛЕЛЬНЫМИ ГАЛСАМИ (PS)" in russian
    assert "010500Z MAY 26" in russian  # date-time groups stay as every SAR message writes them
    page = cases.sam(case_id, "ru").html()
    assert "<html lang='ru'" in page
    assert "@media print" in page
    assert "<table class='grid'>" in page
    assert "<script" not in page
    assert cases.sam(case_id, plan_run_id=1).heading == cases.sam(case_id).heading


def test_refusals_name_the_bad_value(ctx: ServiceContext) -> None:
    ctx.clock.set(T0)  # type: ignore[attr-defined]
    user = system_user("coord", "AZ", Role.COORDINATOR)
    cases = CaseDesk(ctx, user)
    case = cases.open(
        title="x", datum_lon=51.0, datum_lat=41.0, datum_time=T0, object_class="PIW-1"
    )
    with pytest.raises(InputError, match="no finished plan"):
        cases.sam(case.id)
    cases2, case_id, _ = _planned(ctx)
    with pytest.raises(InputError, match="plan=99"):
        cases2.sam(case_id, plan_run_id=99)
    with pytest.raises(InputError, match="osc='Nobody'"):
        cases2.sam(case_id, options=SamOptions(osc="Nobody"))
    with pytest.raises(InputError, match="language='fa'"):
        cases2.sam(case_id, "fa")
    with pytest.raises(InputError, match="report_every_h=0"):
        SamOptions(report_every_h=0)


def test_every_sam_language_has_the_english_keys_and_fields() -> None:
    english = SAM_STRINGS["en"]
    for code in SAM_LANGUAGES:
        strings = SAM_STRINGS[code]
        assert set(strings) == set(english), code
        for key, text in english.items():
            assert fields(strings[key]) == fields(text), (code, key)
    russian = SAM_STRINGS["ru"]
    copied = [k for k, v in russian.items() if v == english[k] and k != "other"]
    assert copied == []


def test_creep_direction_is_only_for_patterns_that_creep() -> None:
    square = {"pattern": {"kind": "expanding-square", "waypoints": [[0, 0], [0, 1], [1, 1]]}}
    assert creep_direction(square) == "-"
    east = {"pattern": {"kind": "parallel", "waypoints": [[50, 41], [50, 40], [50.1, 40]]}}
    assert creep_direction(east) == "090T"
    assert creep_direction({"pattern": None}) == "-"


def test_the_command_prints_the_sam_and_the_sitrep(
    ctx: ServiceContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from littoral.cli.main import main

    _, case_id, _ = _planned(ctx)
    store = ["--db", ctx.settings.db_url, "--data-dir", str(ctx.settings.data_dir)]
    assert main(["case", "sam", str(case_id), *store, "--lang", "ru"]) == 0
    assert "2. РАЙОНЫ ПОИСКА" in capsys.readouterr().out
    page = tmp_path / "sam.html"
    assert main(["case", "sam", str(case_id), *store, "--html", "-o", str(page)]) == 0
    assert "SEARCH ACTION MESSAGE" in page.read_text(encoding="utf-8")
    assert main(["case", "sitrep", str(case_id), *store, "--lang", "ru"]) == 0
    assert "A. ОПОЗНАНИЕ ТЕРПЯЩЕГО БЕДСТВИЕ" in capsys.readouterr().out
    assert main(["case", "sam", "99", *store]) == 2
    assert "case id=99 does not exist" in capsys.readouterr().err
