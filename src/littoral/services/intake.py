"""Alert intake: a SIT 185 message or a DSC call opens or updates a case, or raises an alert.

- A Cospas-Sarsat SIT 185 message raises (or updates) the latched distress alert
  ``distress:sarsat:<hex id>`` and, when it gives a position, opens a case from it, or updates
  the open case that came from the same beacon. A first alert with a Doppler A/B ambiguity
  opens one case: the case model holds one datum, so the likelier position is the datum and
  both are written to the case log with their probabilities (two weighted scenarios need a
  planner of several scenarios, which littoral does not have yet). A later message logs its
  positions; a confirmed, DOA or encoded position moves the datum there.
- A DSC distress call (or a distress relay or acknowledgement) raises the latched distress
  alert ``distress:dsc:<mmsi>:<time>`` and offers a case: the officer opens it from the alert
  (:meth:`CaseDesk.from_alert`), as for an AIS distress. Other DSC calls are only read.

Distress alerts are latched (:mod:`littoral.watch.latch`): they stay open, and are announced
again, until an officer acknowledges them; opening a case from one acknowledges it.
"""

from __future__ import annotations

from dataclasses import dataclass

from littoral.alerts import ParsedAlert, PositionSource, read_alert
from littoral.alerts.model import AlertPosition
from littoral.errors import InputError
from littoral.records.alerts import Alert, Priority
from littoral.services.accounts import Role, require_role
from littoral.services.cases import CaseDesk
from littoral.services.formats import position_text
from littoral.store.service import Case

MAX_TEXT_CHARS = 20_000
DEFAULT_OBJECT = "PIW-1"
"""Leeway object of a case opened from a beacon: a person in the water, until known better."""
_MOVES_DATUM = frozenset({PositionSource.CONFIRMED, PositionSource.ENCODED, PositionSource.DOA})


@dataclass(frozen=True, kw_only=True)
class IntakeResult:
    """What intake did with one alert message.

    ``action`` is ``opened`` (a case was opened), ``updated`` (an open case was updated),
    ``alerted`` (a distress alert was raised, no case: no position yet, or a DSC call whose
    case the officer opens) or ``read`` (not a distress: nothing stored).
    """

    alert: ParsedAlert
    action: str
    alert_id: str | None = None
    case_id: int | None = None
    offer_case: bool = False


def describe_position(p: AlertPosition) -> str:
    """Return one candidate position as a log line writes it."""
    text = f"{p.source.value} {position_text(p.lon, p.lat)}"
    if p.probability is not None:
        text += f" p={p.probability:.2f}"
    if p.accuracy_nm is not None:
        text += f" ±{p.accuracy_nm:g} NM"
    return text


def _reason(parsed: ParsedAlert) -> str:
    where = "; ".join(describe_position(p) for p in parsed.positions) or "no position yet"
    if parsed.kind == "sit185":
        return (
            f"Cospas-Sarsat {parsed.stage} alert, message {parsed.message_number}, beacon "
            f"{parsed.beacon_id} ({parsed.protocol}, {parsed.country}): {where}"
        )
    who = f"MMSI {parsed.mmsi}" if parsed.mmsi else "unknown station"
    nature = f", {parsed.nature}" if parsed.nature else ""
    return f"DSC {parsed.stage.replace('_', ' ')} from {who} ({parsed.country}){nature}: {where}"


class IntakeDesk(CaseDesk):
    """Alert intake by one acting user (a coordinator: it may open cases)."""

    def intake(self, text: str) -> IntakeResult:
        """Read ``text`` (SIT 185 or DSC) and open or update a case, or raise an alert."""
        require_role(self.user, Role.COORDINATOR)
        if len(text) > MAX_TEXT_CHARS:
            raise InputError(f"alert text of {len(text)} characters is over {MAX_TEXT_CHARS}")
        parsed = read_alert(text, self.ctx.clock.now())
        if not parsed.distress:
            self.audit("alerts.intake", kind=parsed.kind.value, outcome="read")
            return IntakeResult(alert=parsed, action="read")
        result = self._sarsat(parsed) if parsed.kind == "sit185" else self._dsc(parsed)
        self.audit(
            "alerts.intake",
            kind=parsed.kind.value,
            outcome=result.action,
            alert_id=result.alert_id,
            case_id=result.case_id,
        )
        return result

    # ------------------------------------------------------------------------------------
    def _raise(self, alert_id: str, parsed: ParsedAlert, best: AlertPosition) -> Alert:
        details: dict[str, object] = {
            "lon": best.lon,
            "lat": best.lat,
            "time": parsed.time.isoformat(),
            "cause": f"{parsed.kind.value} {parsed.stage}",
            "mmsi": parsed.mmsi,
            "country": parsed.country,
            "positions": [
                {
                    "lat": p.lat,
                    "lon": p.lon,
                    "source": p.source.value,
                    "probability": p.probability,
                }
                for p in parsed.positions
            ],
        }
        if parsed.beacon_id:
            details["beacon_id"] = parsed.beacon_id
        if parsed.nature:
            details["nature"] = parsed.nature
        alert = Alert(
            id=alert_id,
            rule="distress",
            priority=Priority.CRITICAL,
            mmsis=(parsed.mmsi,) if parsed.mmsi else (),
            start=parsed.time,
            lon=best.lon,
            lat=best.lat,
            reason=_reason(parsed)[:2000],
            details=details,
        )
        self.ctx.store.alerts.upsert([alert], self.ctx.clock.now())
        return alert

    def _open_case_of(self, alert_id: str) -> Case | None:
        for case in self.ctx.service.list_cases(status="open"):
            if case.alert_id == alert_id:
                return case
        return None

    def _sarsat(self, parsed: ParsedAlert) -> IntakeResult:
        alert_id = f"distress:sarsat:{parsed.beacon_id}"
        best = parsed.best_position()
        if best is None:
            return IntakeResult(alert=parsed, action="read")
        self._raise(alert_id, parsed, best)
        existing = self._open_case_of(alert_id)
        if existing is None:
            case = self.from_alert(
                alert_id,
                object_class=DEFAULT_OBJECT,
                title=f"Beacon {parsed.beacon_id}"
                + (f" (MMSI {parsed.mmsi})" if parsed.mmsi else ""),
            )
            self._log_positions(case.id, parsed, best)
            return IntakeResult(alert=parsed, action="opened", alert_id=alert_id, case_id=case.id)
        self._log_positions(existing.id, parsed, best)
        if best.source in _MOVES_DATUM:
            self.update(
                existing.id,
                {"datum_lon": best.lon, "datum_lat": best.lat, "datum_time": parsed.time},
            )
            self.log(
                existing.id,
                "alert",
                f"datum moved to {position_text(best.lon, best.lat)} ({best.source.value}, "
                f"SIT 185 message {parsed.message_number})",
            )
        return IntakeResult(alert=parsed, action="updated", alert_id=alert_id, case_id=existing.id)

    def _log_positions(self, case_id: int, parsed: ParsedAlert, best: AlertPosition) -> None:
        lines = [f"SIT 185 message {parsed.message_number} ({parsed.stage})"]
        doppler = [
            p
            for p in parsed.positions
            if p.source in (PositionSource.DOPPLER_A, PositionSource.DOPPLER_B)
        ]
        for p in parsed.positions:
            mark = " (datum)" if p == best else ""
            lines.append(describe_position(p) + mark)
        if len(doppler) == 2 and best in doppler:
            other = doppler[1] if best is doppler[0] else doppler[0]
            lines.append(
                f"Doppler ambiguity: the datum is the likelier solution; the other "
                f"({position_text(other.lon, other.lat)}, p={other.probability or 0:.2f}) "
                "remains a second search scenario until the position is confirmed"
            )
        self.log(case_id, "alert", "; ".join(lines)[:2000])

    def _dsc(self, parsed: ParsedAlert) -> IntakeResult:
        best = parsed.best_position()
        if best is None:
            who = f"MMSI {parsed.mmsi}" if parsed.mmsi else "an unknown station"
            raise InputError(
                f"DSC {parsed.stage} from {who} gives no position (9999999999): "
                "open a case by hand with a datum"
            )
        stamp = parsed.time.strftime("%Y%m%dT%H%MZ")
        alert_id = f"distress:dsc:{parsed.mmsi or 'unknown'}:{stamp}"
        self._raise(alert_id, parsed, best)
        return IntakeResult(alert=parsed, action="alerted", alert_id=alert_id, offer_case=True)
