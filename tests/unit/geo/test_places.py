from __future__ import annotations

import pytest

from littoral.errors import InputError
from littoral.geo import nearest, places
from littoral.geo.places import KINDS, STATES, all_places


def test_table_loads_with_sources() -> None:
    rows = all_places()
    assert len(rows) == 26
    assert all(p.source and p.kind in KINDS and p.state in STATES for p in rows)
    assert all(46.0 < p.lon < 55.0 and 36.0 < p.lat < 47.5 for p in rows)


def test_filters() -> None:
    assert {p.state for p in places(kind="offshore")} == {"AZ", "KZ", "RU", "IR"}
    assert all(p.kind == "port" and p.state == "IR" for p in places(kind="port", state="IR"))
    assert len(places(kind="port", state="IR")) == 5


def test_nearest_port_to_aktau_bay() -> None:
    place, distance_m = nearest(51.18, 43.62, kind="port")
    assert place.name == "Aktau seaport"
    assert 3000 < distance_m < 4000


@pytest.mark.parametrize(("kind", "state"), [("harbour", None), (None, "GE")])
def test_unknown_filter_is_refused(kind: str | None, state: str | None) -> None:
    with pytest.raises(InputError, match=r"harbour|GE"):
        places(kind=kind, state=state)


def test_nearest_refuses_nan() -> None:
    with pytest.raises(InputError, match="nan"):
        nearest(float("nan"), 42.0)
