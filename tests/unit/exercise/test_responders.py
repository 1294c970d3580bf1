from __future__ import annotations

from littoral.exercise.responders import ROLES, commit_units, nearest_bases


def test_three_roles_from_three_states_near_the_datum() -> None:
    units = commit_units(50.7, 41.5)  # the middle of the Baku - Aktau passage
    assert [c.role for c in units] == list(ROLES)
    assert len({c.state for c in units}) == 3
    bases = nearest_bases(50.7, 41.5)
    for c in units:
        assert c.distance_nm == bases[c.state][3]
        assert c.distance_nm < 250.0


def test_a_ship_sortie_covers_transit_both_ways_and_the_search_time() -> None:
    ship = commit_units(50.7, 41.5)[0]
    unit = ship.unit(search_hours=4.0)
    transit_h = ship.distance_nm / ship.role.transit_speed_kn
    assert unit.search_hours(ship.distance_nm) == __import__("pytest").approx(4.0, rel=0.01)
    assert unit.endurance_h > 2 * transit_h
