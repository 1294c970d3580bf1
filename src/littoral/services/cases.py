"""SAR cases: open (by hand or from an alert), edit, on-scene data, log, units, close, reopen.

Every change is written to the case log (time, user, action) and announced on the event bus
(``case`` events); only a coordinator of the case's own state may change it (administrators of
that state too); any state may commit its own units to an open case (joint cases). A closed
case is reopened with a reason, which the log keeps.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from littoral.errors import InputError, NotFoundError
from littoral.services.accounts import Role, require_own_state, require_role
from littoral.services.desk import Desk
from littoral.services.formats import format_dtg, position_text
from littoral.services.opportunity import (
    Opportunity,
    OpportunityQuery,
    platform_defaults,
    ships_of_opportunity,
    unit_values,
)
from littoral.services.requests import OnScene
from littoral.services.sam import SamInputs, SamOptions, SearchActionMessage, build_sam
from littoral.services.sitrep import Sitrep, SitrepInputs, build_sitrep
from littoral.store.federated import copy_origin
from littoral.store.service import Case, CaseLogEntry, Run, Unit, User

OUTCOMES: tuple[str, ...] = (
    "rescued",
    "found_dead",
    "not_found",
    "false_alarm",
    "self_resolved",
    "other",
)
"""How a case may end."""

MAX_OPPORTUNITY_AGE_S = 7 * 86400.0
"""The oldest AIS report a ship of opportunity may have (a week)."""

PLATFORMS: tuple[str, ...] = ("vessel", "helicopter", "aircraft")
PATTERNS: tuple[str, ...] = ("parallel", "creeping-line", "expanding-square")

MMSI_MIN, MMSI_MAX = 100_000_000, 999_999_999
"""The nine-digit MMSIs a unit may carry."""


def may_edit(case: Case, user: User) -> bool:
    """Return whether ``user`` may change ``case`` (open, own state, coordinator or admin)."""
    return (
        case.status == "open"
        and user.state == case.state
        and user.role in (Role.COORDINATOR, Role.ADMIN)
    )


def may_commit_units(case: Case, user: User) -> bool:
    """Return whether ``user`` may commit units of their state to ``case``."""
    return case.status == "open" and user.role in (Role.COORDINATOR, Role.ADMIN)


def check_mmsi(value: object) -> int:
    """Return ``value`` as a unit's MMSI (nine digits), or refuse it by name.

    >>> check_mmsi(111273001)
    111273001
    """
    if isinstance(value, bool) or not isinstance(value, int) or not MMSI_MIN <= value <= MMSI_MAX:
        raise InputError(f"mmsi={value!r} must be a nine-digit MMSI")
    return value


def unit_mmsi(unit: Unit) -> int | None:
    """Return the MMSI that links a unit to its AIS track, if it has one."""
    value = unit.spec.get("mmsi")
    return int(value) if isinstance(value, int) else None


def unit_spec(values: dict[str, Any], datum: tuple[float, float]) -> dict[str, Any]:
    """Return a unit's search spec from what a coordinator gives; the base defaults to ``datum``.

    ``values`` holds ``platform``, ``pattern`` and optionally ``transit_speed_kn``,
    ``height_ft`` (eye height of a vessel, altitude of an aircraft), ``base`` (a named place)
    or ``base_lon``/``base_lat``, ``sensor`` with ``sweep_width_nm`` and
    ``sweep_width_source`` for an instrument (:class:`littoral.search.facilities.Sensor`),
    and ``mmsi`` (the unit's AIS identity: a SAR aircraft's ``111MIDxxx``, a vessel's own).
    """
    platform = values.get("platform", "vessel")
    if platform not in PLATFORMS:
        raise InputError(f"platform={platform!r} is not one of {list(PLATFORMS)}")
    pattern = values.get("pattern", "parallel")
    if pattern not in PATTERNS:
        raise InputError(f"pattern={pattern!r} is not one of {list(PATTERNS)}")
    spec: dict[str, Any] = {"type": platform, "pattern": pattern}
    if values.get("transit_speed_kn") is not None:
        spec["transit_speed_kn"] = values["transit_speed_kn"]
    height = values.get("height_ft")
    if platform == "vessel":
        spec["eye_height_ft"] = height or 8.0
    else:
        spec["altitude_ft"] = height or 500.0
    for key in ("sensor", "sweep_width_nm", "sweep_width_source"):
        if values.get(key) is not None:
            spec[key] = values[key]
    if values.get("base"):
        spec["base"] = values["base"]
    elif values.get("base_lon") is not None and values.get("base_lat") is not None:
        spec["base_lon"], spec["base_lat"] = values["base_lon"], values["base_lat"]
    else:
        spec["base_lon"], spec["base_lat"] = datum
    if values.get("mmsi") is not None:
        spec["mmsi"] = check_mmsi(values["mmsi"])
    return spec


class CaseDesk(Desk):
    """The case use cases of one acting user."""

    # reading ------------------------------------------------------------------------------
    def all(self, status: str | None = None) -> list[Case]:
        """Return every case of every state, newest first (``open`` or ``closed`` only)."""
        if status not in (None, "open", "closed"):
            raise InputError(f"status={status!r} must be 'open' or 'closed'")
        return self.ctx.service.list_cases(status=status)

    def get(self, case_id: int) -> Case:
        """Return one case."""
        return self.ctx.service.case(case_id)

    def entries(self, case_id: int) -> list[CaseLogEntry]:
        """Return a case's log."""
        self.ctx.service.case(case_id)
        return self.ctx.service.case_log(case_id)

    def units(self, case_id: int) -> list[Unit]:
        """Return the units committed to a case."""
        self.ctx.service.case(case_id)
        return self.ctx.service.units(case_id)

    def runs(self, case_id: int) -> list[Run]:
        """Return a case's runs (drift, plan, update), newest first."""
        self.ctx.service.case(case_id)
        return self.ctx.service.runs(case_id)

    def sitrep(self, case_id: int, language: str = "en") -> Sitrep:
        """Compose the case's SITREP now (IAMSAR Vol. II, Appendix D) in ``language``."""
        service = self.ctx.service
        inputs = SitrepInputs(
            case=service.case(case_id),
            units=service.units(case_id),
            log=service.case_log(case_id),
            drift=service.latest_run(case_id, "drift"),
            plan=service.latest_run(case_id, "plan"),
            now_dtg=format_dtg(self.ctx.clock.now()),
        )
        return build_sitrep(inputs, language)

    def sam(
        self,
        case_id: int,
        language: str = "en",
        plan_run_id: int | None = None,
        options: SamOptions | None = None,
    ) -> SearchActionMessage:
        """Compose the search action message of a plan of the case (the latest by default)."""
        service = self.ctx.service
        case = service.case(case_id)
        plans = [r for r in service.runs(case_id, "plan") if r.status == "done"]
        if not plans:
            raise InputError(f"case {case_id} has no finished plan: plan the search first")
        chosen = plans[0] if plan_run_id is None else None
        if plan_run_id is not None:
            chosen = next((r for r in plans if r.id == plan_run_id), None)
            if chosen is None:
                raise InputError(f"plan={plan_run_id!r} is not a finished plan of case {case_id}")
        assert chosen is not None
        drifts = service.runs(case_id, "drift")  # the plan's cloud: the last drift before it
        inputs = SamInputs(
            case=case,
            units=service.units(case_id),
            plan=chosen,
            plan_number=sum(1 for r in plans if r.id <= chosen.id),
            drift=next((r for r in drifts if r.status == "done" and r.id < chosen.id), None),
            now=self.ctx.clock.now(),
            options=options or SamOptions(),
        )
        return build_sam(inputs, language)

    def opportunity(
        self, case_id: int, radius_nm: float = 30.0, max_age_s: float = 3600.0
    ) -> list[Opportunity]:
        """Return the ships of opportunity near a case's datum now, soonest there first."""
        if not 0.0 < max_age_s <= MAX_OPPORTUNITY_AGE_S:
            raise InputError(f"max_age_s={max_age_s!r} must be in (0, {MAX_OPPORTUNITY_AGE_S:g}]")
        case = self.ctx.service.case(case_id)
        query = OpportunityQuery(
            lon=case.datum_lon,
            lat=case.datum_lat,
            radius_nm=radius_nm,
            max_age=timedelta(seconds=max_age_s),
            exclude_mmsi=case.mmsi,
        )
        return ships_of_opportunity(self.ctx.store, query, self.ctx.clock.now())

    def commit_opportunity(self, case_id: int, mmsi: int) -> Unit:
        """Commit a ship of the picture as a search unit, with the defaults of her ship type."""
        vessel = self.ctx.store.vessels.get(mmsi)
        defaults = platform_defaults(vessel.ship_type)
        unit = self.add_unit(case_id, unit_values(vessel))
        self.log(
            case_id,
            "unit",
            f"MMSI {mmsi} committed as a ship of opportunity ({defaults.label} defaults: "
            f"{defaults.speed_kn:g} kn, eye height {defaults.eye_height_ft:g} ft, "
            f"{defaults.endurance_h:g} h)",
        )
        return unit

    # checks -------------------------------------------------------------------------------
    def editable(self, case_id: int) -> Case:
        """Return an open case the user may change, or refuse (403, 404, 422)."""
        case = self.joinable(case_id)
        require_own_state(self.user, case.state, f"case {case_id}")
        return case

    def joinable(self, case_id: int) -> Case:
        """Return an open case to which the user's state may commit its own units."""
        case = self.ctx.service.case(case_id)
        require_role(self.user, Role.COORDINATOR)
        self._not_a_copy(case_id)
        if case.status != "open":
            raise InputError(f"case {case_id} is {case.status}; reopen it first")
        return case

    def copy_of(self, case_id: int) -> str | None:
        """Return the centre whose joint case ``case_id`` copies (``None``: a case here)."""
        return copy_origin(self.ctx.service.engine, case_id)

    def _not_a_copy(self, case_id: int) -> None:
        """Refuse to change another centre's joint case here: its next update replaces it."""
        origin = self.copy_of(case_id)
        if origin is not None:
            raise InputError(
                f"case {case_id} is a copy of centre {origin!r}'s joint case; "
                f"change it at that centre"
            )

    def unit_editable(self, case_id: int, unit_id: int) -> tuple[Case, Unit]:
        """Return a case and one of its units the user may report on: own unit or own case."""
        case = self.joinable(case_id)
        unit = self.ctx.service.unit(unit_id)
        if unit.case_id != case_id:
            raise NotFoundError(f"unit id={unit_id} is not committed to case {case_id}")
        if self.user.state != case.state:
            require_own_state(self.user, unit.state, f"unit {unit.name!r}")
        return case, unit

    # changes ------------------------------------------------------------------------------
    def log(self, case_id: int, action: str, text: str) -> None:
        """Write to the case log and tell the pages."""
        now = self.ctx.clock.now()
        self.ctx.service.add_log(case_id, now, self.user.name, action, text[:2000])
        self.ctx.bus.publish(
            "case",
            {
                "case_id": case_id,
                "action": action,
                "text": text[:2000],
                "user": self.user.name,
                "time": now,
            },
        )

    def note(self, case_id: int, text: str) -> list[CaseLogEntry]:
        """Write a free-text entry in the log of an open case of the user's state."""
        if not text.strip():
            raise InputError("a log entry needs some text")
        self.editable(case_id)
        self.log(case_id, "note", text)
        self.audit("cases.note", case_id=case_id)
        return self.ctx.service.case_log(case_id)

    def open(self, **values: Any) -> Case:
        """Open a case of the user's state: title, datum (lon, lat, time), object, persons..."""
        require_role(self.user, Role.COORDINATOR)
        environment = values.pop("environment", None) or {}
        case = self.ctx.service.add_case(
            state=self.user.state,
            status="open",
            created=self.ctx.clock.now(),
            created_by=self.user.name,
            environment=environment,
            **values,
        )
        where = position_text(case.datum_lon, case.datum_lat)
        self.log(case.id, "open", f"case opened: {case.title}; datum {where}")
        self.audit("cases.open", case_id=case.id)
        return case

    def update(self, case_id: int, values: dict[str, Any]) -> Case:
        """Change fields of an open case; an empty change is refused."""
        self.editable(case_id)
        if not values:
            raise InputError("nothing to change: give at least one field")
        case = self.ctx.service.update_case(case_id, **values)
        self.log(case_id, "edit", "changed " + ", ".join(sorted(values)))
        self.audit("cases.edit", case_id=case_id, changed=sorted(values))
        return case

    def set_on_scene(self, case_id: int, on_scene: OnScene) -> Case:
        """Attach on-scene wind (from) and current (toward), visibility, sea state, series."""
        self.editable(case_id)
        env = on_scene.to_environment()
        case = self.ctx.service.update_case(case_id, environment=env)
        parts = []
        if on_scene.wind is not None:
            parts.append(f"wind {on_scene.wind[0]:03.0f}/{on_scene.wind[1]:g} kn")
        if on_scene.current is not None:
            parts.append(f"current {on_scene.current[0]:03.0f}/{on_scene.current[1]:g} kn")
        parts.append(f"visibility {on_scene.visibility_nm:g} NM")
        if on_scene.observations:
            parts.append(f"{len(on_scene.observations)} observations")
        self.log(case_id, "environment", "on scene: " + ", ".join(parts))
        self.audit("cases.environment", case_id=case_id, environment=env)
        return case

    def attach_forcing(self, case_id: int, path: Path, label: str) -> Case:
        """Attach a GRIB or NetCDF forcing file (already in the case's folder) to an open case.

        A file that is not readable forcing is deleted and refused.
        """
        from littoral.drift.forcing import Format, open_forcing, sniff

        self.editable(case_id)
        try:
            if sniff(path) is Format.CSV:
                raise InputError(f"forcing file {label or path.name!r}: give GRIB or NetCDF")
            open_forcing(str(path), "wind")
        except InputError:
            path.unlink(missing_ok=True)
            raise
        case = self.ctx.service.update_case(case_id, forcing_file=str(path))
        self.log(case_id, "forcing", f"forcing file attached: {label or path.name}")
        self.audit("cases.forcing", case_id=case_id, forcing=path.name)
        return case

    def close(self, case_id: int, outcome: str, text: str = "") -> Case:
        """Close a case with its outcome."""
        if outcome not in OUTCOMES:
            raise InputError(f"outcome={outcome!r} is not one of {list(OUTCOMES)}")
        self.editable(case_id)
        case = self.ctx.service.update_case(
            case_id,
            status="closed",
            outcome=outcome,
            outcome_text=text,
            closed=self.ctx.clock.now(),
        )
        self.log(case_id, "close", f"closed: {outcome}" + (f" ({text})" if text else ""))
        self.audit("cases.close", case_id=case_id, outcome=outcome)
        return case

    def reopen(self, case_id: int, reason: str) -> Case:
        """Reopen a closed case of the user's state; the reason goes into the log and audit."""
        reason = reason.strip()
        if not reason:
            raise InputError("reopening a case needs a reason")
        case = self.ctx.service.case(case_id)
        require_role(self.user, Role.COORDINATOR)
        require_own_state(self.user, case.state, f"case {case_id}")
        self._not_a_copy(case_id)
        if case.status != "closed":
            raise InputError(f"case {case_id} is {case.status}; only a closed case is reopened")
        was = case.outcome or "closed"
        case = self.ctx.service.update_case(
            case_id, status="open", outcome=None, outcome_text=None, closed=None
        )
        self.log(case_id, "reopen", f"reopened (was {was}): {reason}")
        self.audit("cases.reopen", case_id=case_id, reason=reason, was=was)
        return case

    def mark_joint(self, case_id: int) -> Case:
        """Mark an open case of the user's state joint.

        The federated centres get it whole, with every update, when the centre's policy
        shares joint cases (:mod:`littoral.services.joint_cases`).
        """
        case = self.editable(case_id)
        require_role(self.user, Role.COORDINATOR)
        if any(e.action == "joint" for e in self.ctx.service.case_log(case_id)):
            raise InputError(f"case {case_id} is already joint")
        self.log(case_id, "joint", "marked joint: shared with the other centres")
        self.audit("cases.joint", case_id=case_id)
        return case

    def add_unit(self, case_id: int, values: dict[str, Any]) -> Unit:
        """Commit a unit of the user's state to a case (joint cases take other states' units).

        ``values`` holds ``name``, ``speed_kn``, ``endurance_h`` and what :func:`unit_spec`
        reads.
        """
        from littoral.search.facilities import unit_from_mapping

        case = self.joinable(case_id)
        spec = unit_spec(values, (case.datum_lon, case.datum_lat))
        name = str(values["name"])
        check = dict(
            {k: v for k, v in spec.items() if k != "mmsi"},
            name=name,
            state=self.user.state,
            speed_kn=values["speed_kn"],
            endurance_h=values["endurance_h"],
        )
        unit_from_mapping(check, f"unit {name!r}")
        unit = self.ctx.service.add_unit(
            case_id=case_id,
            state=self.user.state,
            committed=self.ctx.clock.now(),
            track=None,
            name=name,
            platform=spec["type"],
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
        self.audit("cases.unit", case_id=case_id, unit_id=unit.id)
        return unit

    def link_unit(self, case_id: int, unit_id: int, mmsi: int | None) -> Unit:
        """Link a unit to its AIS track by its MMSI (``None`` unlinks it).

        While the unit's plan runs, its reported positions become searched effort
        (:mod:`littoral.services.effort`).
        """
        _, unit = self.unit_editable(case_id, unit_id)
        spec = {k: v for k, v in unit.spec.items() if k != "mmsi"}
        if mmsi is not None:
            spec["mmsi"] = check_mmsi(mmsi)
        self.ctx.service.set_unit_spec(unit_id, spec)
        text = f"unit {unit.name} linked to MMSI {mmsi}" if mmsi else f"unit {unit.name} unlinked"
        self.log(case_id, "unit", text + " (AIS track)")
        self.audit("cases.unit_link", case_id=case_id, unit_id=unit_id, mmsi=mmsi)
        return self.ctx.service.unit(unit_id)

    def from_alert(
        self,
        alert_id: str,
        object_class: str | None = None,
        persons: int = 1,
        title: str | None = None,
    ) -> Case:
        """Open a case from an alert's position, time and vessel, and acknowledge the alert."""
        require_role(self.user, Role.COORDINATOR)
        stored = self.ctx.store.alerts.get(alert_id)
        alert = stored.alert
        details = alert.details
        if not alert.position_known:
            raise InputError(
                f"alert {alert_id!r} has no known position yet: open the case by hand "
                "with a datum (POST /api/cases), or wait for a located alert"
            )
        lon = float(details.get("lon", alert.lon))  # type: ignore[arg-type]
        lat = float(details.get("lat", alert.lat))  # type: ignore[arg-type]
        mmsi = alert.mmsis[0] if alert.mmsis else None
        name = details.get("name")
        label = f"{name} ({mmsi})" if name else (f"MMSI {mmsi}" if mmsi else alert.rule)
        case = self.open(
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
            self.ctx.store.alerts.acknowledge(
                alert_id, self.user.name, f"case {case.id} opened", self.ctx.clock.now()
            )
        return case


def _object_for(rule: str, details: dict[str, object]) -> str:
    """Return the Leeway object of an alert: as the alert says, else a person in the water."""
    return str(details.get("object_class", "PIW-1"))
