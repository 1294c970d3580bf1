"""Alert intake: SIT 185 opens and updates a case; a DSC distress raises a latched alert."""

from __future__ import annotations

from pathlib import Path

import pytest

from littoral.errors import DecodeError, InputError, PermissionDeniedError
from littoral.records.alerts import AlertStatus
from littoral.services import CaseDesk, Role, ServiceContext, system_user
from littoral.services.intake import IntakeDesk
from littoral.watch.latch import is_latched

ALERTS = Path(__file__).resolve().parents[2] / "data" / "alerts"


def _desk(ctx: ServiceContext) -> IntakeDesk:
    return IntakeDesk(ctx, system_user("rcc-baku", "AZ", Role.COORDINATOR))


def _text(name: str) -> str:
    return (ALERTS / name).read_text()


def test_first_sit185_with_ambiguity_opens_one_case(ctx: ServiceContext) -> None:
    result = _desk(ctx).intake(_text("sit185_initial_ambiguous.txt"))
    assert result.action == "opened"
    assert result.alert_id == "distress:sarsat:34E436DB20FE3FC"
    assert result.case_id is not None
    case = ctx.service.case(result.case_id)
    # the likelier Doppler solution (A, 62 %) is the datum
    assert (case.datum_lat, case.datum_lon) == (pytest.approx(40.375), pytest.approx(50.8))
    assert case.mmsi == 423112345
    assert case.state == "AZ"
    assert case.alert_id == result.alert_id
    log = " ".join(e.text for e in ctx.service.case_log(case.id))
    assert "doppler_a 40°22.5′N 050°48.0′E p=0.62 (datum)" in log
    assert "doppler_b 38°41.0′N 051°12.0′E p=0.38" in log
    assert "second search scenario" in log
    stored = ctx.store.alerts.get(result.alert_id)
    assert stored.alert.rule == "distress"
    assert is_latched(stored.alert)
    # opening the case from the alert acknowledged it
    assert stored.alert.status is AlertStatus.ACKNOWLEDGED
    assert [c.id for c in ctx.service.list_cases(status="open")] == [case.id]


def test_later_messages_update_the_same_case(ctx: ServiceContext) -> None:
    desk = _desk(ctx)
    opened = desk.intake(_text("sit185_initial_ambiguous.txt"))
    conflict = desk.intake(_text("sit185_conflict.txt"))
    assert (conflict.action, conflict.case_id) == ("updated", opened.case_id)
    assert opened.case_id is not None
    case = ctx.service.case(opened.case_id)
    # a Doppler pair alone does not move the datum
    assert case.datum_lat == pytest.approx(40.375)
    confirmed = desk.intake(_text("sit185_confirmed.txt"))
    assert (confirmed.action, confirmed.case_id) == ("updated", opened.case_id)
    case = ctx.service.case(opened.case_id)
    assert (case.datum_lat, case.datum_lon) == (
        pytest.approx(40 + 22.8 / 60),
        pytest.approx(50 + 47.6 / 60),
    )
    log = [e.text for e in ctx.service.case_log(case.id)]
    assert any("SIT 185 message 413 (conflict)" in t for t in log)
    assert any(t.startswith("datum moved to 40°22.8′N 050°47.6′E (confirmed") for t in log)
    assert len(ctx.service.list_cases(status="open")) == 1


def test_dsc_distress_raises_a_latched_alert_and_offers_a_case(ctx: ServiceContext) -> None:
    result = _desk(ctx).intake(_text("dsc_distress.nmea"))
    assert result.action == "alerted"
    assert result.offer_case
    assert result.case_id is None
    assert result.alert_id is not None
    stored = ctx.store.alerts.get(result.alert_id)
    assert stored.alert.status is AlertStatus.OPEN
    assert is_latched(stored.alert)
    assert stored.alert.mmsis == (423112345,)
    assert "sinking" in stored.alert.reason
    assert ctx.service.list_cases() == []
    # the officer takes the offer
    case = CaseDesk(ctx, system_user("rcc-baku", "AZ", Role.COORDINATOR)).from_alert(
        result.alert_id
    )
    assert case.mmsi == 423112345
    assert case.datum_lat == pytest.approx(40 + 22.5123 / 60)
    assert ctx.store.alerts.get(result.alert_id).alert.status is AlertStatus.ACKNOWLEDGED


def test_malformed_text_is_refused_and_nothing_stored(ctx: ServiceContext) -> None:
    with pytest.raises(DecodeError, match="checksum"):
        _desk(ctx).intake("$CDDSC,12,4231123450,,05,00,0402204948,0940,,,S,E*00")
    assert ctx.store.alerts.find() == []
    assert ctx.service.list_cases() == []


def test_dsc_distress_without_position_is_alerted_with_no_position(ctx: ServiceContext) -> None:
    # a DSC distress from a set with no GPS (position 9999999999) is still a distress
    result = _desk(ctx).intake("$CDDSC,12,4231123450,,05,00,9999999999,8888,,,S,*2F")
    assert (result.action, result.offer_case, result.case_id) == ("alerted", False, None)
    assert result.alert_id is not None
    alert = ctx.store.alerts.get(result.alert_id).alert
    assert (alert.rule, alert.status, alert.mmsis) == ("distress", AlertStatus.OPEN, (423112345,))
    assert is_latched(alert)
    # never a made-up position: the alert says it has none
    assert not alert.position_known
    assert alert.details["lat"] is None
    assert alert.details["lon"] is None
    assert "no position yet" in alert.reason
    # a case needs a datum: from the alert it is refused with the reason, not opened at 0°, 0°
    desk = CaseDesk(ctx, system_user("rcc-baku", "AZ", Role.COORDINATOR))
    with pytest.raises(InputError, match="no known position"):
        desk.from_alert(result.alert_id)
    assert ctx.service.list_cases() == []


def _unlocated(text: str) -> str:
    """The initial alert as an unlocated one: the beacon heard, no position of any kind."""
    lines = [
        line
        for line in text.splitlines()
        if not line.strip().startswith(("DOPPLER A", "DOPPLER B"))
    ]
    return "\n".join(lines).replace("CONFIRMED - NIL", "CONFIRMED - NIL\n   DOPPLER - NIL")


def test_unlocated_sit185_raises_the_distress_then_a_located_one_opens_the_case(
    ctx: ServiceContext,
) -> None:
    desk = _desk(ctx)
    first = desk.intake(_unlocated(_text("sit185_initial_ambiguous.txt")))
    assert (first.action, first.case_id) == ("alerted", None)
    assert first.alert_id == "distress:sarsat:34E436DB20FE3FC"
    alert = ctx.store.alerts.get(first.alert_id).alert
    assert alert.status is AlertStatus.OPEN
    assert is_latched(alert)
    assert not alert.position_known
    assert alert.details["beacon_id"] == "34E436DB20FE3FC"
    assert ctx.service.list_cases() == []
    # the next pass locates it: the same alert, now with a position, opens the case
    located = desk.intake(_text("sit185_initial_ambiguous.txt"))
    assert (located.action, located.alert_id) == ("opened", first.alert_id)
    alert = ctx.store.alerts.get(first.alert_id).alert
    assert alert.position_known
    assert (alert.lat, alert.lon) == (pytest.approx(40.375), pytest.approx(50.8))


def test_an_operator_may_not_take_in_alerts(ctx: ServiceContext) -> None:
    desk = IntakeDesk(ctx, system_user("watch", "AZ", Role.WATCH_OFFICER))
    with pytest.raises(PermissionDeniedError):
        desk.intake(_text("sit185_initial_ambiguous.txt"))


def _weights(ctx: ServiceContext, case_id: int) -> dict[str, float]:
    return {s.name: s.weight for s in ctx.service.scenarios(case_id)}


def test_doppler_ambiguity_opens_two_weighted_scenarios_that_a_confirmation_resolves(
    ctx: ServiceContext,
) -> None:
    desk = _desk(ctx)
    opened = desk.intake(_text("sit185_initial_ambiguous.txt"))
    assert opened.case_id is not None
    cid = opened.case_id
    assert _weights(ctx, cid) == {"Doppler A": 0.62, "Doppler B": 0.38}
    b = next(s for s in ctx.service.scenarios(cid) if s.name == "Doppler B")
    assert (b.spec["lat"], b.spec["lon"]) == (pytest.approx(38 + 41 / 60), pytest.approx(51.2))
    assert b.reason == "SIT 185 message 412: doppler_b p=0.38"
    assert desk.shares(cid) == pytest.approx({"Doppler A": 0.62, "Doppler B": 0.38})
    # a conflicting pass: its pair joins as two more scenarios, the first pair keeps its weights
    desk.intake(_text("sit185_conflict.txt"))
    assert _weights(ctx, cid) == {
        "Doppler A": 0.62,
        "Doppler B": 0.38,
        "Doppler A 413": 0.55,
        "Doppler B 413": 0.45,
    }
    assert desk.shares(cid)["Doppler A"] == pytest.approx(0.31)
    # the position confirmed 0.3 NM from Doppler A: A is kept there, the rest ruled out
    desk.intake(_text("sit185_confirmed.txt"))
    assert _weights(ctx, cid) == {
        "Doppler A": 1.0,
        "Doppler B": 0.0,
        "Doppler A 413": 0.0,
        "Doppler B 413": 0.0,
    }
    stored = {s.name: s for s in ctx.service.scenarios(cid)}
    kept = stored["Doppler A"]
    assert (kept.spec["lat"], kept.spec["lon"]) == (
        pytest.approx(40.38),
        pytest.approx(50.79333, abs=1e-5),
    )
    assert kept.spec["radius_nm"] == 1.0  # the confirmed position's expected accuracy
    assert kept.reason.startswith("SIT 185 message 414 (confirmed): confirmed position 40°22.8′N")
    assert stored["Doppler B"].reason.startswith("ruled out: SIT 185 message 414")
    log = [e.text for e in ctx.service.case_log(cid) if e.action == "scenario"]
    assert log[-1].startswith("scenario Doppler A kept at 40°22.8′N 050°47.6′E; Doppler B, ")


def test_a_later_pass_agreeing_with_one_solution_resolves_the_ambiguity(
    ctx: ServiceContext,
) -> None:
    desk = _desk(ctx)
    cid = desk.intake(_text("sit185_initial_ambiguous.txt")).case_id
    assert cid is not None
    agreeing = (
        _text("sit185_conflict.txt")
        .replace("39 10.0 N 051 40.0 E", "38 42.5 N 051 13.0 E")  # 1.7 NM from Doppler B
        .replace("POSITION CONFLICT ALERT", "UPDATE ALERT")
    )
    desk.intake(agreeing)
    assert _weights(ctx, cid) == {"Doppler A": 0.0, "Doppler B": 1.0}
    b = next(s for s in ctx.service.scenarios(cid) if s.name == "Doppler B")
    assert "agrees with Doppler B within 1.7 NM (two passes)" in b.reason
