"""Stranding on the Caspian shore: exact crossing point, islands, Kara-Bogaz-Gol."""

from datetime import timedelta

import numpy as np
import pytest
import shapely

from littoral.drift import ConstantForcing, ParticleStatus, PointSeed, run
from littoral.errors import InputError
from littoral.geo import CaspianSea


@pytest.fixture(scope="module")
def sea() -> CaspianSea:
    return CaspianSea.load()


def _current(to_deg: float, kn: float = 2.0) -> list[ConstantForcing]:
    return [ConstantForcing.from_observation(wind=(0.0, 0.0), current=(to_deg, kn))]


def test_particle_driven_to_baku_shore_strands_on_the_shore_line(make_request, sea) -> None:
    # 40.2N 49.9E, south of Baku bay, driven west onto the Absheron/Baku coast
    res = run(make_request(seeding=PointSeed(49.9, 40.2, 500.0), forcing=_current(270.0),
                           coast=True, particles=50, duration=timedelta(hours=24)))  # fmt: skip
    assert np.all(res.status[-1] == ParticleStatus.STRANDED)
    pts = shapely.points(res.lon[-1], res.lat[-1])
    d_deg = shapely.distance(pts, sea.shore)
    assert np.max(d_deg) < 1e-9  # on the line (about 0.1 mm)
    # stranded particles stay where they stranded
    k = int(np.argmax(res.status == ParticleStatus.STRANDED, axis=0).max())
    np.testing.assert_array_equal(res.lon[k:], np.broadcast_to(res.lon[-1], res.lon[k:].shape))
    assert res.attrs["coast"].startswith("Caspian")


def test_islands_are_shore(make_request, sea) -> None:
    # the island at 40.29-40.34N 50.56-50.63E: a particle just east of it, driven west
    res = run(make_request(seeding=PointSeed(50.66, 40.314), forcing=_current(270.0, 1.0),
                           coast=True, particles=5, duration=timedelta(hours=6)))  # fmt: skip
    assert np.all(res.status[-1] == ParticleStatus.STRANDED)
    pts = shapely.points(res.lon[-1], res.lat[-1])
    assert np.max(shapely.distance(pts, sea.islands.boundary)) < 1e-9
    assert np.all(res.lon[-1] > 50.55)


def test_kara_bogaz_gol_can_be_entered(make_request, sea) -> None:
    # across the strait cut (about 41.087N 52.911E) eastward into the lagoon
    res = run(make_request(seeding=PointSeed(52.903, 41.087), forcing=_current(90.0, 1.0),
                           coast=True, particles=3, duration=timedelta(hours=2)))  # fmt: skip
    assert np.all(res.status[-1] == ParticleStatus.ACTIVE)
    assert np.all(sea.classify(res.lon[-1], res.lat[-1]) == 3)  # KARA_BOGAZ_GOL


def test_seed_on_land_is_counted_and_all_on_land_refused(make_request) -> None:
    res = run(make_request(seeding=PointSeed(49.3, 40.2, 30_000.0), coast=True,
                           particles=200, duration=timedelta(hours=1)))  # fmt: skip
    on_land = int(res.attrs["seeded_on_land"])
    assert 0 < on_land < 200
    assert np.sum(res.status[0] == ParticleStatus.STRANDED) == on_land
    with pytest.raises(InputError, match="on land"):
        run(make_request(seeding=PointSeed(45.0, 43.0), coast=True, particles=3))
