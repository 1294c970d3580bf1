"""A case package: one centre's whole case, signed, for another centre's littoral.

The package (:mod:`littoral.services.package_sign` signs it and checks it) holds:

- ``case.json``: the case, its log, units (with their searched tracks), scenarios, and
  every run's record (kind, status, times, message, summary), with the case's and runs'
  ids at the sender;
- ``runs/run-N.npz``: each run's stored data, byte for byte (the drift clouds);
- ``drift/run-N.nc``: each drift cloud as a CF trajectory NetCDF file
  (:func:`littoral.drift.netcdf.write_netcdf`), for tools other than littoral;
- ``plans/plan-N.gpx``: each plan's search patterns, one GPX 1.1 route per area, the CSP
  first;
- ``messages/``: the SITREP, and the search action message of each plan, in English and
  Russian, as text and as a printable page.

Import makes a new case from ``case.json`` and the runs' data: the case keeps its state (a
case of the sender's state, open to the receiving centre's units as a joint case), its log,
units, scenarios and runs; only the ids are new, and the answer maps the sender's run ids to
the receiver's. The received package itself is kept in the case's folder.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from sqlalchemy import Table

from littoral.errors import InputError
from littoral.services.accounts import Role, require_role
from littoral.services.case_records import (
    CASE_FIELDS,
    LOG_FIELDS,
    SCENARIO_FIELDS,
    UNIT_FIELDS,
    plain,
    restored,
)
from littoral.services.cases import CaseDesk
from littoral.services.desk import Desk
from littoral.services.package_sign import (
    PackageError,
    SigningKey,
    VerifiedPackage,
    sign_package,
    verify_package,
)
from littoral.store.service import (
    Case,
    Run,
    case_log,
    case_runs,
    case_scenarios,
    case_units,
    cases,
)

CASE_MEMBER = "case.json"
MESSAGE_LANGUAGES = ("en", "ru")
DRIFT_KINDS = ("drift", "update")
"""Runs whose data is a drift cloud (written as NetCDF too)."""

_RUN_FIELDS = ["kind", "status", "progress", "created", "finished", "message", "summary"]


def _restored(values: object, names: list[str], what: str, table: Table) -> dict[str, Any]:
    def error(text: str) -> PackageError:
        return PackageError(f"{CASE_MEMBER}: {text}")

    return restored(values, names, what, error, table)


def plan_gpx(run: Run) -> str:
    """Return a plan run's patterns as GPX 1.1: one route per area, waypoints WP001..."""
    routes = []
    for area in run.summary.get("areas") or []:
        pattern = area.get("pattern") or {}
        points = pattern.get("waypoints") or []
        if not points:
            continue
        label = escape(f"Area {area['label']} {area['unit']}")
        desc = escape(
            f"{pattern.get('kind')} search, track spacing {float(area['spacing_nm']):.2f} NM; "
            "first point is the CSP"
        )
        rtepts = "\n".join(
            f'    <rtept lat="{lat:.6f}" lon="{lon:.6f}"><name>WP{k + 1:03d}</name></rtept>'
            for k, (lon, lat) in enumerate(points)
        )
        routes.append(
            f"  <rte>\n    <name>{label}</name>\n    <desc>{desc}</desc>\n{rtepts}\n  </rte>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="littoral" xmlns="http://www.topografix.com/GPX/1/1">\n'
        + "\n".join(routes)
        + "\n</gpx>\n"
    )


def _netcdf(data: bytes) -> bytes:
    from littoral.drift.netcdf import write_netcdf
    from littoral.services.results import unpack_result

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "run.nc"
        write_netcdf(unpack_result(data), path)
        return path.read_bytes()


@dataclass(frozen=True, slots=True, kw_only=True)
class Imported:
    """A case made from a package: the new case, and the sender's run ids to the new ones."""

    case: Case
    sender: str
    key_id: str
    source_case_id: int
    run_ids: dict[int, int]
    kept_at: Path


class PackageDesk(Desk):
    """Export a case as a signed package, and import one from a trusted centre."""

    def _members(self, case_id: int) -> dict[str, bytes]:
        service = self.ctx.service
        case = service.case(case_id)
        members: dict[str, bytes] = {}
        runs_out = []
        for listed in sorted(service.runs(case_id), key=lambda r: r.id):
            run = service.run(listed.id)
            record = {"id": run.id, **plain(run, _RUN_FIELDS), "data": None}
            if run.data is not None:
                record["data"] = f"runs/run-{run.id}.npz"
                members[record["data"]] = run.data
                if run.kind in DRIFT_KINDS and run.status == "done":
                    members[f"drift/run-{run.id}.nc"] = _netcdf(run.data)
            if run.kind == "plan" and run.status == "done":
                members[f"plans/plan-{run.id}.gpx"] = plan_gpx(run).encode()
            runs_out.append(record)
        case_values = plain(case, CASE_FIELDS)
        document = {
            "source_case_id": case.id,
            "case": case_values,
            "log": [plain(e, LOG_FIELDS) for e in service.case_log(case_id)],
            "units": [plain(u, UNIT_FIELDS) for u in service.units(case_id)],
            "scenarios": [plain(s, SCENARIO_FIELDS) for s in service.scenarios(case_id)],
            "runs": runs_out,
        }
        if case.forcing_file:
            forcing = Path(case.forcing_file)
            try:
                blob = forcing.read_bytes()
            except OSError as exc:
                raise InputError(
                    f"case {case_id}: forcing file {str(forcing)!r} cannot be read: {exc.strerror}"
                ) from None
            name = "forcing/" + re.sub(r"[^A-Za-z0-9_.-]", "_", forcing.name)
            members[name] = blob
            case_values["forcing_file"] = name
        members[CASE_MEMBER] = json.dumps(document, indent=1, sort_keys=True).encode()
        members.update(self._messages(case_id, runs_out))
        return members

    def _messages(self, case_id: int, runs: list[dict[str, Any]]) -> dict[str, bytes]:
        cases = CaseDesk(self.ctx, self.user)
        out: dict[str, bytes] = {}
        plans = [r["id"] for r in runs if r["kind"] == "plan" and r["status"] == "done"]
        for language in MESSAGE_LANGUAGES:
            sitrep = cases.sitrep(case_id, language)
            out[f"messages/sitrep.{language}.txt"] = sitrep.text().encode()
            out[f"messages/sitrep.{language}.html"] = sitrep.html().encode()
            for plan_id in plans:
                sam = cases.sam(case_id, language, plan_id)
                out[f"messages/sam-plan-{plan_id}.{language}.txt"] = sam.text().encode()
                out[f"messages/sam-plan-{plan_id}.{language}.html"] = sam.html().encode()
        return out

    def export(self, case_id: int, key: SigningKey) -> bytes:
        """Return case ``case_id`` as a package signed by ``key``'s centre."""
        require_role(self.user, Role.COORDINATOR)
        members = self._members(case_id)
        data = sign_package(members, key, self.ctx.clock.now().isoformat())
        self.audit("case.export", case_id=case_id, centre=key.centre, bytes=len(data))
        return data

    def import_(self, data: bytes, trusted: Path) -> Imported:
        """Make a new case from a package a trusted centre signed; refuse a tampered one."""
        require_role(self.user, Role.COORDINATOR)
        package = verify_package(data, trusted)
        document = self._document(package)
        service = self.ctx.service
        # every record checked before anything is written: a bad one adds no half a case
        values = _restored(document["case"], CASE_FIELDS, "case", cases)
        log = [
            _restored(e, LOG_FIELDS, f"log[{k}]", case_log) for k, e in enumerate(document["log"])
        ]
        units = [
            _restored(u, UNIT_FIELDS, f"units[{k}]", case_units)
            for k, u in enumerate(document["units"])
        ]
        scenarios = [
            _restored(s, SCENARIO_FIELDS, f"scenarios[{k}]", case_scenarios)
            for k, s in enumerate(document["scenarios"])
        ]
        runs = [
            _restored(r, _RUN_FIELDS, f"runs[{k}]", case_runs)
            for k, r in enumerate(document["runs"])
        ]
        forcing = values.pop("forcing_file")
        case = service.add_case(**values, forcing_file=None)
        if forcing is not None:
            path = self.ctx.case_dir(case.id) / Path(str(forcing)).name
            path.write_bytes(package.members[str(forcing)])
            service.update_case(case.id, forcing_file=str(path))
        for entry in log:
            service.add_log(case.id, **entry)
        for unit in units:
            service.add_unit(case_id=case.id, **unit)
        for scenario in scenarios:
            service.add_scenario(case_id=case.id, **scenario)
        run_ids: dict[int, int] = {}
        for run, values in zip(document["runs"], runs, strict=True):
            new = service.add_run(case.id, values.pop("kind"), values.pop("created"))
            blob = package.members[run["data"]] if run.get("data") else None
            service.update_run(new.id, **values, data=blob)
            run_ids[int(run["id"])] = new.id
        kept = self.ctx.case_dir(case.id) / "received"
        kept.mkdir(parents=True, exist_ok=True)
        kept_at = kept / f"package-{package.sender}-{int(document['source_case_id'])}.zip"
        kept_at.write_bytes(data)
        self.audit(
            "case.import", case_id=case.id, sender=package.sender, key_id=package.key_id,
            source_case_id=document["source_case_id"],
        )  # fmt: skip
        return Imported(
            case=service.case(case.id),
            sender=package.sender,
            key_id=package.key_id,
            source_case_id=int(document["source_case_id"]),
            run_ids=run_ids,
            kept_at=kept_at,
        )

    @staticmethod
    def _document(package: VerifiedPackage) -> dict[str, Any]:
        raw = package.members.get(CASE_MEMBER)
        if raw is None:
            raise PackageError(f"the package has no {CASE_MEMBER}")
        try:
            document = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PackageError(f"{CASE_MEMBER} is not JSON: {exc}") from None
        if not isinstance(document, dict):
            raise PackageError(f"{CASE_MEMBER} is not an object")
        for name in ("case", "log", "units", "scenarios", "runs", "source_case_id"):
            if name not in document:
                raise PackageError(f"{CASE_MEMBER} lacks {name!r}")
        forcing = (
            document["case"].get("forcing_file") if isinstance(document["case"], dict) else None
        )
        if forcing is not None and forcing not in package.members:
            raise PackageError(
                f"{CASE_MEMBER}: case.forcing_file={forcing!r} is not in the package"
            )
        for k, run in enumerate(document["runs"]):
            member = run.get("data") if isinstance(run, dict) else None
            if member is not None and member not in package.members:
                raise PackageError(
                    f"{CASE_MEMBER}: runs[{k}].data={member!r} is not in the package"
                )
        return document


def read_package_file(path: Path) -> bytes:
    """Read a package file, naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"package={str(path)!r} cannot be read: {exc.strerror}") from None
