"""Alert intake: a SIT 185 message or a DSC call opens or updates a case, or raises an alert.

- A Cospas-Sarsat SIT 185 message raises (or updates) the latched distress alert
  ``distress:sarsat:<hex id>`` and, when it gives a position, opens a case from it, or updates
  the open case that came from the same beacon. A first alert with a Doppler A/B ambiguity
  opens one case with two weighted scenarios, ``Doppler A`` and ``Doppler B``, weighted by
  the message's probabilities (:mod:`littoral.services.scenarios`; the likelier is also the
  datum). A later message resolves or updates them: a confirmed, DOA or encoded position
  keeps the scenario it lies nearest (moved to it) and sets the other to weight 0, with the
  message as the reason (a position more than :data:`MATCH_NM` from every scenario is a new
  scenario of its own and the others go to 0); a Doppler solution of a later pass that
  falls within :data:`MATCH_NM` of a scenario confirms it the same way (two independent
  passes agree); a later pair that matches neither (a position conflict) is added as two
  more scenarios with its own probabilities, the earlier pair keeping its weights, so both
  passes count alike until one is confirmed. Every position is logged, and a confirmed,
  DOA or encoded position moves the datum there.
- A DSC distress call (or a distress relay or acknowledgement) raises the latched distress
  alert ``distress:dsc:<mmsi>:<time>`` and offers a case: the officer opens it from the alert
  (:meth:`CaseDesk.from_alert`), as for an AIS distress. Other DSC calls are only read.
- A distress without a position (an unlocated beacon alert, a DSC call giving ``9999999999``)
  still raises its latched alert, with the position marked not known (``position_known``
  False; no case is offered until a position exists): who is in distress is known, and the
  officer acts on that.

Distress alerts are latched (:mod:`littoral.watch.latch`): they stay open, and are announced
again, until an officer acknowledges them; opening a case from one acknowledges it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from littoral.alerts import ParsedAlert, PositionSource, read_alert
from littoral.alerts.model import AlertPosition
from littoral.errors import InputError
from littoral.records.alerts import Alert, Priority
from littoral.services.accounts import Role, require_role
from littoral.services.formats import position_text
from littoral.services.scenarios import ScenarioDesk
from littoral.store.service import Case

MAX_TEXT_CHARS = 20_000
DEFAULT_OBJECT = "PIW-1"
"""Leeway object of a case opened from a beacon: a person in the water, until known better."""
_MOVES_DATUM = frozenset({PositionSource.CONFIRMED, PositionSource.ENCODED, PositionSource.DOA})
_DOPPLER = (PositionSource.DOPPLER_A, PositionSource.DOPPLER_B)
MATCH_NM = 10.8
"""Two positions of one beacon closer than this (20 km) are the same place: about four times
the 5 km a Doppler solution is good to (C/S G.007), littoral's choice."""
DOPPLER_RADIUS_NM = 2.7
"""Standard deviation of a Doppler scenario without a stated accuracy (5 km)."""


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


class IntakeDesk(ScenarioDesk):
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
    def _raise(self, alert_id: str, parsed: ParsedAlert, best: AlertPosition | None) -> Alert:
        """Raise (or refresh) the latched distress alert; ``best`` None: no position yet."""
        lon = math.nan if best is None else best.lon
        lat = math.nan if best is None else best.lat
        details: dict[str, object] = {
            "lon": None if best is None else lon,
            "lat": None if best is None else lat,
            "position_known": best is not None,
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
            lon=lon,
            lat=lat,
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
        self._raise(alert_id, parsed, best)
        existing = self._open_case_of(alert_id)
        if best is None:
            # an unlocated alert (C/S G.007): the beacon is heard but not yet located. The
            # officer acts on it (registration, owner, vessel) before any position comes.
            if existing is not None:
                self.log(existing.id, "alert", _reason(parsed)[:2000])
            return IntakeResult(
                alert=parsed,
                action="updated" if existing is not None else "alerted",
                alert_id=alert_id,
                case_id=None if existing is None else existing.id,
            )
        if existing is None:
            case = self.from_alert(
                alert_id,
                object_class=DEFAULT_OBJECT,
                title=f"Beacon {parsed.beacon_id}"
                + (f" (MMSI {parsed.mmsi})" if parsed.mmsi else ""),
            )
            self._log_positions(case.id, parsed, best)
            self._doppler_scenarios(case.id, parsed, "")
            return IntakeResult(alert=parsed, action="opened", alert_id=alert_id, case_id=case.id)
        self._log_positions(existing.id, parsed, best)
        self._update_scenarios(existing.id, parsed, best)
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

    def _doppler_scenarios(self, case_id: int, parsed: ParsedAlert, suffix: str) -> bool:
        """Add the message's Doppler A/B pair as two weighted scenarios; False if no pair."""
        pair = [p for p in parsed.positions if p.source in _DOPPLER]
        if len(pair) != 2:
            return False
        for p in pair:
            label = "Doppler " + p.source.value[-1].upper() + suffix
            prob = p.probability if p.probability is not None else 0.5
            self.add_scenario(
                case_id,
                {
                    "name": label,
                    "weight": prob,
                    "lat": p.lat,
                    "lon": p.lon,
                    "radius_nm": p.accuracy_nm or DOPPLER_RADIUS_NM,
                    "time": parsed.time,
                    "objects": [{"object_class": DEFAULT_OBJECT, "fraction": 1.0}],
                    "reason": f"SIT 185 message {parsed.message_number}: "
                    f"{p.source.value} p={prob:.2f}",
                },
            )
        return True

    def _nearest(self, case_id: int, p: AlertPosition) -> tuple[str, float] | None:
        """Return the live position scenario nearest ``p`` and its distance (NM), if any."""
        from littoral.geo import haversine_m
        from littoral.units import M_PER_NM

        best: tuple[str, float] | None = None
        for s in self.ctx.service.scenarios(case_id):
            lon, lat = s.spec.get("lon"), s.spec.get("lat")
            if s.weight <= 0 or lon is None or lat is None:
                continue
            d_nm = float(haversine_m(p.lon, p.lat, float(lon), float(lat))) / M_PER_NM
            if best is None or d_nm < best[1]:
                best = (s.name, d_nm)
        return best

    def _update_scenarios(self, case_id: int, parsed: ParsedAlert, best: AlertPosition) -> None:
        """Resolve or update the case's scenarios from a later message (see the module)."""
        if not self.ctx.service.scenarios(case_id):
            return
        msg = f"SIT 185 message {parsed.message_number} ({parsed.stage})"
        if best.source in _MOVES_DATUM:
            near = self._nearest(case_id, best)
            where = position_text(best.lon, best.lat)
            if near is None or near[1] > MATCH_NM:
                name = f"{best.source.value.capitalize()} {parsed.message_number}"
                self._doppler_free(case_id, parsed, best, name)
                why = f"{msg}: {best.source.value} position {where}, far from every scenario"
                self.resolve(case_id, name, None, why)
                return
            why = f"{msg}: {best.source.value} position {where}, {near[1]:.1f} NM from {near[0]}"
            self.resolve(case_id, near[0], (best.lon, best.lat), why, best.accuracy_nm)
            return
        pair = [p for p in parsed.positions if p.source in _DOPPLER]
        for p in pair:
            near = self._nearest(case_id, p)
            if near is not None and near[1] <= MATCH_NM:
                why = (
                    f"{msg}: {p.source.value} {position_text(p.lon, p.lat)} agrees with "
                    f"{near[0]} within {near[1]:.1f} NM (two passes)"
                )
                self.resolve(case_id, near[0], None, why)
                return
        self._doppler_scenarios(case_id, parsed, f" {parsed.message_number}")

    def _doppler_free(self, case_id: int, parsed: ParsedAlert, p: AlertPosition, name: str) -> None:
        self.add_scenario(
            case_id,
            {
                "name": name,
                "weight": 1.0,
                "lat": p.lat,
                "lon": p.lon,
                "radius_nm": p.accuracy_nm or DOPPLER_RADIUS_NM,
                "time": parsed.time,
                "objects": [{"object_class": DEFAULT_OBJECT, "fraction": 1.0}],
                "reason": f"SIT 185 message {parsed.message_number}: {p.source.value}",
            },
        )

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
                "is a second search scenario until the position is confirmed"
            )
        self.log(case_id, "alert", "; ".join(lines)[:2000])

    def _dsc(self, parsed: ParsedAlert) -> IntakeResult:
        best = parsed.best_position()
        stamp = parsed.time.strftime("%Y%m%dT%H%MZ")
        alert_id = f"distress:dsc:{parsed.mmsi or 'unknown'}:{stamp}"
        # a call without a position (9999999999) is still a distress: alerted, latched; the
        # case is opened by hand with a datum once one is known
        self._raise(alert_id, parsed, best)
        return IntakeResult(
            alert=parsed, action="alerted", alert_id=alert_id, offer_case=best is not None
        )
