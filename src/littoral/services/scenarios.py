"""A case's weighted search scenarios: add, list, reweight (with a reason), remove.

A case holds one or more scenarios (:mod:`littoral.drift.scenarios`: a last known position,
a voyage line over a time window, an area; each with its object mix and transitions). When a
case has scenarios of weight above zero, its drift runs them all as one mixture
(:mod:`littoral.drift.mixture`), its plan allocates on the mixture, and its plans and
updates report each scenario's share before and after the search. Every change is logged
with its reason; a scenario set to weight 0 stays on record with why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from littoral.drift.scenarios import Scenario, normalised_weights, scenario_from_mapping
from littoral.errors import InputError, NotFoundError
from littoral.services.cases import CaseDesk
from littoral.services.formats import position_text
from littoral.store.service import Case, CaseScenario


def scenario_of(stored: CaseScenario) -> Scenario:
    """Return the drift scenario of a stored one (its current weight and reason)."""
    values = dict(stored.spec, name=stored.name, weight=stored.weight, reason=stored.reason)
    return scenario_from_mapping(values)


def describe(s: Scenario) -> str:
    """Return one scenario in words, for the log and the CLI."""
    if s.kind == "area":
        where = f"area of {len(s.ring)} points"
    elif s.kind == "track":
        where = (
            f"track {position_text(s.lon or 0.0, s.lat or 0.0)} to "
            f"{position_text(s.to_lon or 0.0, s.to_lat or 0.0)}"
        )
    else:
        where = f"position {position_text(s.lon or 0.0, s.lat or 0.0)} ±{s.radius_nm:g} NM"
    objects = ", ".join(f"{o} {f:.2f}" for o, f in s.fractions())
    turns = "".join(
        f"; {t.from_object} to {t.to_object} after {t.after_h:g} h" for t in s.transitions
    )
    return f"{s.name} (weight {s.weight:g}): {where}; {objects}{turns}"


class ScenarioDesk(CaseDesk):
    """The scenario use cases of one acting user."""

    def scenarios(self, case_id: int) -> list[CaseScenario]:
        """Return a case's scenarios."""
        self.ctx.service.case(case_id)
        return self.ctx.service.scenarios(case_id)

    def drift_scenarios(self, case: Case) -> list[Scenario]:
        """Return the case's scenarios of weight above zero, for a drift; none: the datum."""
        live = [scenario_of(s) for s in self.ctx.service.scenarios(case.id) if s.weight > 0]
        return live

    def add_scenario(self, case_id: int, values: Mapping[str, Any]) -> CaseScenario:
        """Add a scenario to an open case of the user's state (validated, then logged)."""
        case = self.editable(case_id)
        scenario = scenario_from_mapping(values, case.datum_time)
        existing = [scenario_of(s) for s in self.ctx.service.scenarios(case_id)]
        normalised_weights([*existing, scenario])  # refuses a clash of names, too many
        spec = scenario.to_mapping()
        for key in ("name", "weight", "reason"):
            spec.pop(key)
        stored = self.ctx.service.add_scenario(
            case_id=case_id,
            name=scenario.name,
            weight=scenario.weight,
            spec=spec,
            reason=scenario.reason or "added",
            updated=self.ctx.clock.now(),
            updated_by=self.user.name,
        )
        self.log(case_id, "scenario", "scenario added: " + describe(scenario))
        self.audit("cases.scenario", case_id=case_id, scenario=scenario.name)
        return stored

    def _named(self, case_id: int, name: str) -> CaseScenario:
        for s in self.ctx.service.scenarios(case_id):
            if s.name == name:
                return s
        raise NotFoundError(f"case {case_id} has no scenario named {name!r}")

    def reweight(
        self, case_id: int, weights: Mapping[str, float], reason: str
    ) -> list[CaseScenario]:
        """Set the weights of named scenarios, with the reason (kept with each and logged).

        At least one scenario of the case must keep a weight above zero.
        """
        self.editable(case_id)
        reason = reason.strip()
        if not reason:
            raise InputError("changing scenario weights needs a reason")
        if not weights:
            raise InputError("no weight given")
        stored = {s.name: s for s in self.ctx.service.scenarios(case_id)}
        for name, w in weights.items():
            if name not in stored:
                raise NotFoundError(f"case {case_id} has no scenario named {name!r}")
            if isinstance(w, bool) or not isinstance(w, int | float) or not 0 <= w < float("inf"):
                raise InputError(f"weight of scenario {name!r}={w!r} must be a number >= 0")
        after = {n: float(weights.get(n, s.weight)) for n, s in stored.items()}
        if not sum(after.values()) > 0:
            raise InputError("every scenario would have weight 0: one must stay possible")
        now = self.ctx.clock.now()
        changes = []
        for name, w in weights.items():
            old = stored[name].weight
            self.ctx.service.update_scenario(
                stored[name].id, weight=float(w), reason=reason, updated=now,
                updated_by=self.user.name,
            )  # fmt: skip
            changes.append(f"{name} {old:g} to {float(w):g}")
        self.log(case_id, "scenario", f"scenario weights: {', '.join(changes)} ({reason})")
        self.audit("cases.scenario_weights", case_id=case_id, weights=dict(weights), reason=reason)
        return self.ctx.service.scenarios(case_id)

    def remove_scenario(self, case_id: int, name: str, reason: str) -> list[CaseScenario]:
        """Remove a scenario entered by mistake (to rule one out, set its weight to 0)."""
        self.editable(case_id)
        if not reason.strip():
            raise InputError("removing a scenario needs a reason")
        scenario = self._named(case_id, name)
        self.ctx.service.delete_scenario(scenario.id)
        self.log(case_id, "scenario", f"scenario {name} removed ({reason.strip()})")
        self.audit("cases.scenario_remove", case_id=case_id, scenario=name)
        return self.ctx.service.scenarios(case_id)

    def resolve(
        self,
        case_id: int,
        name: str,
        position: tuple[float, float] | None,
        reason: str,
        radius_nm: float | None = None,
    ) -> list[CaseScenario]:
        """Keep scenario ``name`` alone (weight 1), at ``position`` (lon, lat) when given.

        Every other scenario is set to weight 0 with the reason; all stay on record.
        """
        self.editable(case_id)
        if not reason.strip():
            raise InputError("resolving the scenarios needs a reason")
        winner = self._named(case_id, name)
        spec = dict(winner.spec)
        if position is not None:
            spec.update(kind="position", lon=position[0], lat=position[1])
            for key in ("to_lon", "to_lat", "ring", "time_end"):
                spec.pop(key, None)
            if radius_nm is not None:
                spec["radius_nm"] = radius_nm
        scenario_from_mapping(dict(spec, name=name, weight=1.0))  # still a valid scenario
        now = self.ctx.clock.now()
        self.ctx.service.update_scenario(
            winner.id, weight=1.0, spec=spec, reason=reason, updated=now, updated_by=self.user.name
        )
        out = []
        for s in self.ctx.service.scenarios(case_id):
            if s.id != winner.id and s.weight > 0:
                self.ctx.service.update_scenario(
                    s.id, weight=0.0, reason=f"ruled out: {reason}", updated=now,
                    updated_by=self.user.name,
                )  # fmt: skip
                out.append(s.name)
        where = "" if position is None else f" at {position_text(*position)}"
        ruled = f"; {', '.join(out)} set to 0" if out else ""
        self.log(case_id, "scenario", f"scenario {name} kept{where}{ruled} ({reason})")
        self.audit("cases.scenario_resolve", case_id=case_id, scenario=name, reason=reason)
        return self.ctx.service.scenarios(case_id)

    def shares_now(self, case_id: int) -> dict[str, float]:
        """Return each scenario's share in the latest drift cloud, after any search since.

        Empty when the case has no drift of its scenarios yet.
        """
        run = self.ctx.service.latest_run(case_id, "drift")
        shares = (run.summary if run is not None else {}).get("scenarios")
        if not isinstance(shares, dict):
            return {}
        return {str(k): float(v) for k, v in shares.items()}

    def shares(self, case_id: int) -> dict[str, float]:
        """Return the scenarios' current shares (normalised weights)."""
        stored = self.scenarios(case_id)
        if not stored:
            return {}
        weights = normalised_weights([scenario_of(s) for s in stored])
        return {s.name: w for s, w in zip(stored, weights, strict=True)}
