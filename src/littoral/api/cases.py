"""SAR cases as the service runs them: create, edit, log, commit units, close.

Every change is written to the case log (time, user, action) and announced on the event bus;
only a coordinator of the case's own state may change it (administrators of that state too).
"""

from __future__ import annotations

from typing import Any

from littoral.api.accounts import Role, require_own_state, require_role
from littoral.api.formats import format_position
from littoral.api.schemas import CaseOut, LogOut, RunOut, UnitOut, from_record
from littoral.api.services import Services
from littoral.errors import InputError, NotFoundError
from littoral.store.service import Case, Run, Unit, User


def case_out(case: Case, user: User) -> CaseOut:
    """Return the page's view of a case, saying whether ``user`` may edit it."""
    return from_record(
        CaseOut,
        case,
        datum_text=format_position(case.datum_lon, case.datum_lat),
        forcing_file=None if case.forcing_file is None else case.forcing_file.rsplit("/", 1)[-1],
        editable=(
            case.status == "open"
            and user.state == case.state
            and user.role in (Role.COORDINATOR, Role.ADMIN)
        ),
        can_commit_units=(case.status == "open" and user.role in (Role.COORDINATOR, Role.ADMIN)),
    )


def unit_out(unit: Unit) -> UnitOut:
    """Return the view of a unit."""
    return from_record(UnitOut, unit)


def run_out(run: Run) -> RunOut:
    """Return the view of a run (without its data)."""
    return from_record(RunOut, run)


def log_out(services: Services, case_id: int) -> list[LogOut]:
    """Return a case's log."""
    return [from_record(LogOut, e) for e in services.service.case_log(case_id)]


class CaseDesk:
    """The case operations of one request's user."""

    def __init__(self, services: Services, user: User) -> None:
        self.services = services
        self.user = user

    def editable(self, case_id: int) -> Case:
        """Return an open case the user may change, or refuse (403, 404, 422)."""
        case = self.joinable(case_id)
        require_own_state(self.user, case.state, f"case {case_id}")
        return case

    def joinable(self, case_id: int) -> Case:
        """Return an open case to which the user's state may commit its own units."""
        case = self.services.service.case(case_id)
        require_role(self.user, Role.COORDINATOR)
        if case.status != "open":
            raise InputError(f"case {case_id} is {case.status}; reopen it first")
        return case

    def unit_editable(self, case_id: int, unit_id: int) -> tuple[Case, Unit]:
        """Return a case and one of its units the user may report on: own unit or own case."""
        case = self.joinable(case_id)
        unit = self.services.service.unit(unit_id)
        if unit.case_id != case_id:
            raise NotFoundError(f"unit id={unit_id} is not committed to case {case_id}")
        if self.user.state != case.state:
            require_own_state(self.user, unit.state, f"unit {unit.name!r}")
        return case, unit

    def log(self, case_id: int, action: str, text: str) -> None:
        """Write to the case log and tell the pages."""
        now = self.services.clock.now()
        self.services.service.add_log(case_id, now, self.user.name, action, text)
        self.services.bus.publish(
            "case",
            {
                "case_id": case_id,
                "action": action,
                "text": text,
                "user": self.user.name,
                "time": now,
            },
        )

    def create(self, **values: Any) -> Case:
        """Open a case of the user's state."""
        require_role(self.user, Role.COORDINATOR)
        now = self.services.clock.now()
        case = self.services.service.add_case(
            state=self.user.state,
            status="open",
            created=now,
            created_by=self.user.name,
            environment={},
            **values,
        )
        where = format_position(case.datum_lon, case.datum_lat)
        self.log(case.id, "open", f"case opened: {case.title}; datum {where}")
        return case

    def update(self, case_id: int, values: dict[str, Any]) -> Case:
        """Change fields of an open case; an empty change is refused."""
        self.editable(case_id)
        if not values:
            raise InputError("nothing to change: give at least one field")
        case = self.services.service.update_case(case_id, **values)
        self.log(case_id, "edit", "changed " + ", ".join(sorted(values)))
        return case

    def close(self, case_id: int, outcome: str, text: str) -> Case:
        """Close a case with its outcome."""
        self.editable(case_id)
        case = self.services.service.update_case(
            case_id,
            status="closed",
            outcome=outcome,
            outcome_text=text,
            closed=self.services.clock.now(),
        )
        self.log(case_id, "close", f"closed: {outcome}" + (f" ({text})" if text else ""))
        return case

    def add_unit(self, case_id: int, values: dict[str, Any]) -> Unit:
        """Commit a unit of the user's state to a case (joint cases take other states' units)."""
        from littoral.search.facilities import unit_from_mapping

        case = self.joinable(case_id)
        platform = values["platform"]
        spec: dict[str, Any] = {"type": platform, "pattern": values["pattern"]}
        if values.get("transit_speed_kn") is not None:
            spec["transit_speed_kn"] = values["transit_speed_kn"]
        height = values.get("height_ft")
        if platform == "vessel":
            spec["eye_height_ft"] = height or 8.0
        else:
            spec["altitude_ft"] = height or 500.0
        if values.get("base"):
            spec["base"] = values["base"]
        elif values.get("base_lon") is not None and values.get("base_lat") is not None:
            spec["base_lon"], spec["base_lat"] = values["base_lon"], values["base_lat"]
        else:
            spec["base_lon"], spec["base_lat"] = case.datum_lon, case.datum_lat
        check = dict(
            spec,
            name=values["name"],
            state=self.user.state,
            speed_kn=values["speed_kn"],
            endurance_h=values["endurance_h"],
        )
        unit_from_mapping(check, f"unit {values['name']!r}")
        unit = self.services.service.add_unit(
            case_id=case_id,
            state=self.user.state,
            committed=self.services.clock.now(),
            track=None,
            name=values["name"],
            platform=platform,
            speed_kn=values["speed_kn"],
            endurance_h=values["endurance_h"],
            spec=spec,
        )
        self.log(
            case_id,
            "unit",
            f"unit {unit.name} of {unit.state} committed ({unit.platform}, {unit.speed_kn:g} kn, "
            f"{unit.endurance_h:g} h)",
        )
        return unit

    def from_alert(
        self, alert_id: str, object_class: str | None, persons: int, title: str | None
    ) -> Case:
        """Open a case from an alert's position, time and vessel, and acknowledge the alert."""
        require_role(self.user, Role.COORDINATOR)
        stored = self.services.store.alerts.get(alert_id)
        alert = stored.alert
        details = alert.details
        lon = float(details.get("lon", alert.lon))  # type: ignore[arg-type]
        lat = float(details.get("lat", alert.lat))  # type: ignore[arg-type]
        mmsi = alert.mmsis[0] if alert.mmsis else None
        name = details.get("name")
        label = f"{name} ({mmsi})" if name else (f"MMSI {mmsi}" if mmsi else alert.rule)
        case = self.create(
            title=title or f"{alert.rule.replace('_', ' ').capitalize()}: {label}"[:200],
            datum_lon=lon,
            datum_lat=lat,
            datum_time=alert.start,
            object_class=object_class or _object_for(alert.rule, details),
            persons=persons,
            description=alert.reason[:2000],
            mmsi=mmsi,
            alert_id=alert_id,
        )
        self.log(case.id, "alert", f"from alert {alert_id}: {alert.reason}"[:2000])
        if stored.alert.status.value == "open":
            self.services.store.alerts.acknowledge(
                alert_id, self.user.name, f"case {case.id} opened", self.services.clock.now()
            )
        return case


def _object_for(rule: str, details: dict[str, object]) -> str:
    """Return the Leeway object of an alert: as the alert says, else a person in the water."""
    return str(details.get("object_class", "PIW-1"))
