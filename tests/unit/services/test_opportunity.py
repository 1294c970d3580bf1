"""Ships of opportunity: vessels near a case's datum, with distance and ETA at their speed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from littoral.errors import InputError
from littoral.services import CaseDesk, Role, ServiceContext, system_user
from littoral.services.opportunity import OpportunityQuery, ships_of_opportunity
from littoral.tracks.state import VesselState

from .conftest import START

DATUM_LON, DATUM_LAT = 50.5, 40.5


def _vessel(mmsi: int, dlat_nm: float, sog_kn: float | None, age_min: float = 5.0) -> VesselState:
    at = START - timedelta(minutes=age_min)
    return VesselState(
        mmsi=mmsi,
        first_seen=at,
        last_seen=at,
        lon=DATUM_LON,
        lat=DATUM_LAT + dlat_nm / 60.0,
        position_time=at,
        sog_kn=sog_kn,
        name=f"SHIP {mmsi}",
        ship_type=70,
    )


@pytest.fixture
def picture(ctx: ServiceContext) -> ServiceContext:
    ctx.store.vessels.upsert(
        [
            _vessel(423000001, 10.0, 10.0),  # 10 NM north at 10 kn: 1 h
            _vessel(273000002, -6.0, 12.0),  # 6 NM south at 12 kn: 0.5 h
            _vessel(436000003, 3.0, 0.0),  # 3 NM, stopped: no ETA
            _vessel(422000004, 45.0, 15.0),  # beyond 30 NM
            _vessel(434000005, 2.0, 10.0, age_min=120.0),  # report too old
            _vessel(970123456, 1.0, 0.0),  # AIS-SART: a distress device, not a helper
            _vessel(423999999, 0.5, 3.0),  # the vessel in distress itself
        ]
    )
    return ctx


def test_nearby_ships_soonest_first(picture: ServiceContext) -> None:
    query = OpportunityQuery(lon=DATUM_LON, lat=DATUM_LAT, exclude_mmsi=423999999)
    found = ships_of_opportunity(picture.store, query, START)
    assert [o.mmsi for o in found] == [273000002, 423000001, 436000003]
    first, second, stopped = found
    # on a meridian one minute of latitude is one nautical mile (to 0.5 % on the sphere)
    assert first.distance_nm == pytest.approx(6.0, rel=5e-3)
    assert first.eta_h == pytest.approx(0.5, rel=5e-3)
    assert second.eta_h == pytest.approx(1.0, rel=5e-3)
    assert stopped.eta_h is None
    assert first.report_age_s == 300.0
    assert first.flag == "Russian Federation"


def test_a_case_lists_around_its_datum(picture: ServiceContext) -> None:
    desk = CaseDesk(picture, system_user("rcc-baku", "AZ", Role.COORDINATOR))
    case = desk.open(
        title="Distress",
        datum_lon=DATUM_LON,
        datum_lat=DATUM_LAT,
        datum_time=START,
        object_class="PIW-1",
        persons=2,
        mmsi=423999999,
    )
    assert [o.mmsi for o in desk.opportunity(case.id, radius_nm=8.0)] == [273000002, 436000003]
    with pytest.raises(InputError, match="max_age_s"):
        desk.opportunity(case.id, max_age_s=0)


@pytest.mark.parametrize("radius_nm", [0.0, -1.0, 1000.0])
def test_bad_radius_named(ctx: ServiceContext, radius_nm: float) -> None:
    query = OpportunityQuery(lon=DATUM_LON, lat=DATUM_LAT, radius_nm=radius_nm)
    with pytest.raises(InputError, match="radius_nm"):
        ships_of_opportunity(ctx.store, query, START)


def test_commit_uses_the_ship_type_defaults_and_her_position(picture: ServiceContext) -> None:
    from littoral.services.opportunity import platform_defaults

    desk = CaseDesk(picture, system_user("rcc-baku", "AZ", Role.COORDINATOR))
    case = desk.open(
        title="Distress",
        datum_lon=DATUM_LON,
        datum_lat=DATUM_LAT,
        datum_time=START,
        object_class="PIW-1",
        persons=2,
    )
    unit = desk.commit_opportunity(case.id, 273000002)
    assert unit.name == "SHIP 273000002 (273000002)"
    cargo = platform_defaults(70)
    assert (unit.speed_kn, unit.endurance_h) == (cargo.speed_kn, cargo.endurance_h)
    assert unit.spec["eye_height_ft"] == cargo.eye_height_ft
    assert unit.spec["transit_speed_kn"] == 12.0
    assert (unit.spec["base_lon"], unit.spec["base_lat"]) == (DATUM_LON, DATUM_LAT - 0.1)
    assert platform_defaults(None).label == "vessel"
    assert platform_defaults(99).label == "vessel"
