"""Any message a peer can send is stored or kept aside by the centre's store, never raised.

The wire's fuzz tests (``tests/unit/federation/test_wire_fuzz.py``) check the decoders; here
the whole of ``Centre.take_remote`` runs on every backend with one field of a valid message
replaced by an arbitrary JSON value (text with NUL and surrogates, huge integers, NaN and
infinities, nested lists). A store that refused what the decoders let through would stop
the centre's reader at that message, and again at every restart.
"""

from __future__ import annotations

import json
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from federation_samples import ALERT, POSITION, STATIC, T0
from littoral.clock import FixedClock
from littoral.federation import wire
from littoral.federation.transport import Incoming, Kind
from littoral.services.federation import Centre
from littoral.services.joint_cases import JOINT, JointCases
from littoral.store import SqlStore, open_store
from littoral.store.federated import ensure_tables

TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=6)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)

MESSAGES = {
    "position": wire.encode_positions("ru", [POSITION])[0],
    "static": wire.encode_static("ru", STATIC),
    "alert": wire.encode_alert("ru", ALERT),
}
SEQ = count(1)


@pytest.fixture(scope="module")
def case_message(tmp_path_factory: pytest.TempPathFactory) -> wire.Outgoing:
    """A joint case of ``ru`` as its centre publishes it: a unit, a scenario, a log."""
    with open_store(f"sqlite:///{tmp_path_factory.mktemp('ru') / 'ru.db'}") as ru_store:
        home = JointCases("ru", ru_store)
        case = home.service.add_case(
            state="ru", title="Fishing boat adrift off Makhachkala", status="open",
            created=T0, created_by="coord.ru", datum_lon=47.9, datum_lat=43.0,
            datum_time=T0, object_class="PIW", persons=2, description="", environment={},
        )  # fmt: skip
        home.service.add_log(case.id, T0, "coord.ru", JOINT, "marked joint")
        (out,) = home.changed()
    return out


def _mutated(out: wire.Outgoing, key: int, value: Any) -> wire.Outgoing:
    body = json.loads(out.data)
    if out.kind is Kind.POSITION:
        body["p"][0][key % 12] = value
    elif out.kind is Kind.CASE and key % 3:  # a field of the case itself, or of its log
        record = body["case"] if key % 3 == 1 else body["log"][0]
        keys = sorted(record)
        record[keys[key // 3 % len(keys)]] = value
    else:
        keys = sorted(body)
        body[keys[key % len(keys)]] = value
    data = json.dumps(body).encode()
    return wire.Outgoing(kind=out.kind, msg_id=wire.message_id("ru", data), data=data)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from([*sorted(MESSAGES), "case"]),
    key=st.integers(min_value=0, max_value=80),
    value=JSON,
)
def test_any_value_in_any_field_is_stored_or_kept_aside(
    store: SqlStore, case_message: wire.Outgoing, kind: str, key: int, value: Any
) -> None:
    ensure_tables(store)
    centre = Centre("tm", store, FixedClock(T0))
    out = _mutated(case_message if kind == "case" else MESSAGES[kind], key, value)
    seq = next(SEQ)
    m = Incoming(origin="ru", kind=out.kind, msg_id=out.msg_id, data=out.data, seq=seq,
                 origin_seq=seq)  # fmt: skip
    centre.take_remote([m])  # must not raise
    refused = sum(centre.stats.rejected.values())
    if kind == "position":
        assert len(centre.stats.rejected) == 0 or refused == 1
    if refused:
        reasons = {e.reason for e in store.quarantine.recent(limit=5)}
        kinds = ("position_row", "static", "alert", "case")
        assert reasons & {f"federation_bad_{k}" for k in kinds}
