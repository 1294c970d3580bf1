"""Joint cases across the federation: a case marked joint goes to the others with every update.

A coordinator marks a case of their state joint (:meth:`CaseDesk.mark_joint
<littoral.services.cases.CaseDesk.mark_joint>`: an entry of action ``joint`` in its log).
From then on, when the centre's policy shares joint cases (``[cases] share_joint``), the
centre publishes the case whole (its fields, log, units with their searched tracks, and
scenarios; not its runs, whose data stays with the case package) each time it changes,
and every other centre keeps one copy of it, replaced by each update. The copy is a case
of the origin's state, read-only where it is kept (:meth:`CaseDesk.joinable
<littoral.services.cases.CaseDesk.joinable>` refuses changes to it, naming the origin):
units of any state are committed at the origin's centre.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Table

from littoral.errors import InputError
from littoral.federation import wire
from littoral.federation.transport import Outgoing
from littoral.services.case_records import (
    CASE_FIELDS,
    LOG_FIELDS,
    SCENARIO_FIELDS,
    UNIT_FIELDS,
    plain,
    restored,
)
from littoral.store.federated import (
    OutboxRow,
    add_case_copy,
    case_copies,
    ensure_tables,
    publish_cases,
    published_digests,
)
from littoral.store.service import (
    CaseCopy,
    ServiceStore,
    case_log,
    case_scenarios,
    case_units,
    cases,
)
from littoral.store.sqlstore import SqlStore

JOINT = "joint"
"""The action of the case log entry that marks a case joint."""

MAX_MESSAGE_BYTES = 900_000
"""A case message larger than this (NATS carries 1 MB) goes without its units' tracks."""


def _restored(values: object, names: list[str], what: str, table: Table) -> dict[str, Any]:
    def error(text: str) -> InputError:
        return InputError(f"case message: {text}")

    return restored(values, names, what, error, table)


def case_document(service: ServiceStore, case_id: int) -> dict[str, Any]:
    """Return case ``case_id`` whole, in JSON types: fields, log, units, scenarios."""
    case = plain(service.case(case_id), CASE_FIELDS)
    case["forcing_file"] = None  # a path at this centre: the case package carries the file
    return {
        "case": case,
        "log": [plain(e, LOG_FIELDS) for e in service.case_log(case_id)],
        "units": [plain(u, UNIT_FIELDS) for u in service.units(case_id)],
        "scenarios": [plain(s, SCENARIO_FIELDS) for s in service.scenarios(case_id)],
    }


def case_copy(document: dict[str, Any]) -> CaseCopy:
    """Return the rows of a received case document; a missing field or bad time raises."""
    return CaseCopy(
        case=_restored(document["case"], CASE_FIELDS, "case", cases),
        log=[_restored(r, LOG_FIELDS, "log", case_log) for r in document["log"]],
        units=[_restored(r, UNIT_FIELDS, "units", case_units) for r in document["units"]],
        scenarios=[
            _restored(r, SCENARIO_FIELDS, "scenarios", case_scenarios)
            for r in document["scenarios"]
        ],
    )


class JointCases:
    """A centre's joint cases: its own to publish, the others' copies to keep.

    Parameters
    ----------
    centre
        The centre's name.
    store
        The centre's store; the cases live on the same database.
    """

    def __init__(self, centre: str, store: SqlStore) -> None:
        self.centre = centre
        self.store = store
        ensure_tables(store)
        self.service = ServiceStore(store.engine)
        self.service.create()

    def changed(self) -> list[Outgoing]:
        """Return a message for each own joint case changed since it was last published.

        The messages are in the store's outbox, and the digests recorded, on return.
        """
        copies = set(case_copies(self.store).values())
        published = published_digests(self.store)
        out: list[Outgoing] = []
        digests: dict[int, str] = {}
        for case_id in self.service.cases_logged(JOINT):
            if case_id in copies:
                continue  # another centre's case: published by its own centre
            document = case_document(self.service, case_id)
            body = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
            digest = hashlib.sha256(body).hexdigest()
            if published.get(case_id) == digest:
                continue
            message = wire.encode_case(self.centre, case_id, document)
            if len(message.data) > MAX_MESSAGE_BYTES:
                for unit in document["units"]:
                    unit["track"] = None
                message = wire.encode_case(self.centre, case_id, document)
            out.append(message)
            digests[case_id] = digest
        if out:
            rows = [OutboxRow(m.msg_id, m.kind.value, m.data, m.reports) for m in out]
            publish_cases(self.store, rows, digests)
        return out

    def take(self, data: bytes, via: str | None = None) -> int:
        """Keep (or replace) the copy of another centre's joint case; return its id here.

        ``via``: the centre whose stream delivered it; a case claiming another is refused.
        """
        origin, origin_id, document = wire.decode_case(data)
        if via is not None:
            wire.check_origin(origin, via)
        if origin == self.centre:
            raise InputError(f"case message from {origin!r}: this centre's own case")
        copy = case_copy(document)
        local = case_copies(self.store).get((origin, origin_id))
        return self.service.mirror_case(
            local, copy, also=lambda conn, case_id: add_case_copy(conn, origin, origin_id, case_id)
        )
