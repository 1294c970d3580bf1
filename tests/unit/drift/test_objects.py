import pytest

from littoral.drift.objects import get_object, leeway_objects, search_objects
from littoral.errors import NotFoundError


def test_all_85_classes_with_published_piw1_coefficients() -> None:
    objs = leeway_objects()
    assert len(objs) == 85
    assert len({o.key for o in objs}) == 85
    piw = get_object("PIW-1")
    assert piw.downwind_slope_pct == 0.96
    assert piw.downwind_std_cm_s == 12.0
    assert piw.right_slope_pct == 0.54
    assert piw.left_slope_pct == -0.54
    assert get_object("piw-1") is piw


def test_search_by_substring_of_description_is_case_insensitive() -> None:
    keys = [o.key for o in search_objects("DEEP BALLAST")]
    assert "LIFE-RAFT-DB-10" in keys
    assert all("deep ballast" in o.description.lower() for o in search_objects("deep ballast"))
    assert search_objects("sailboat-6")[0].key == "SAILBOAT-6"
    assert len(search_objects("")) == 85


def test_unknown_class_names_itself_and_suggests() -> None:
    with pytest.raises(NotFoundError, match=r"'PIW-99'.*PIW-"):
        get_object("PIW-99")
