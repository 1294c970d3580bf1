"""Response views of stored records: what the page and programs see of a case, unit, run, user."""

from __future__ import annotations

from littoral.api.schemas import CaseOut, LogOut, RunOut, UnitOut, UserOut, from_record
from littoral.services.cases import may_commit_units, may_edit
from littoral.services.formats import position_text
from littoral.store.service import Case, CaseLogEntry, Run, Unit, User


def case_out(case: Case, user: User, copy_of: str | None = None) -> CaseOut:
    """Return the page's view of a case, saying whether ``user`` may edit it.

    ``copy_of`` names the centre whose joint case this is a copy of: nobody changes it here.
    """
    return from_record(
        CaseOut,
        case,
        datum_text=position_text(case.datum_lon, case.datum_lat),
        forcing_file=None if case.forcing_file is None else case.forcing_file.rsplit("/", 1)[-1],
        editable=copy_of is None and may_edit(case, user),
        can_commit_units=copy_of is None and may_commit_units(case, user),
        copy_of=copy_of,
    )


def unit_out(unit: Unit) -> UnitOut:
    """Return the view of a unit."""
    return from_record(UnitOut, unit)


def run_out(run: Run) -> RunOut:
    """Return the view of a run (without its data)."""
    return from_record(RunOut, run)


def log_out(entries: list[CaseLogEntry]) -> list[LogOut]:
    """Return the view of a case log."""
    return [from_record(LogOut, e) for e in entries]


def user_out(user: User) -> UserOut:
    """Return the public view of an account (never its hash)."""
    return from_record(UserOut, user)
