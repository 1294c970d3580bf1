"""The fast detection path equals the formula it replaced (pyproj frame per track)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from littoral.search import (
    GridFrame,
    Track,
    detection_probability,
    leg_detection_probability,
)


def _previous(track: Track, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The inverse-cube probability as it was computed before: a pyproj LAEA frame on the
    track's mean position, and Koopman's closed form leg by leg (its cancellation-free form
    when both ends lie on the same side of the foot of the perpendicular)."""
    frame = GridFrame.local(float(np.mean(track.lon)), float(np.mean(track.lat)))
    tx, ty = frame.to_xy_nm(track.lon, track.lat)
    px, py = frame.to_xy_nm(lon, lat)
    a = track.sweep_width_nm**2 / (4.0 * math.pi)
    e = np.zeros(px.size)
    for k in range(tx.size - 1):
        dx, dy = tx[k + 1] - tx[k], ty[k + 1] - ty[k]
        length = math.hypot(dx, dy)
        ux, uy = dx / length, dy / length
        qx, qy = px - tx[k], py - ty[k]
        y1 = -(qx * ux + qy * uy)
        y2 = y1 + length
        x2 = (qx * uy - qy * ux) ** 2
        r1, r2 = np.sqrt(x2 + y1**2), np.sqrt(x2 + y2**2)
        same = y1 * y2 > 0
        stable = (y2**2 - y1**2) / np.where(same, (y2 * r1 + y1 * r2) * r1 * r2, 1.0)
        e += 0.5 * a * np.where(same, stable, (y2 / r2 - y1 / r1) / x2)
    return 1.0 - np.exp(-e)


def _random_track(rng: np.random.Generator) -> Track:
    lon0, lat0 = rng.uniform(47.5, 53.0), rng.uniform(37.0, 46.0)
    n = int(rng.integers(2, 40))
    lon = lon0 + np.cumsum(rng.uniform(-0.1, 0.1, n))
    lat = lat0 + np.cumsum(rng.uniform(-0.1, 0.1, n))
    return Track(lon, lat, float(rng.uniform(0.3, 8.0)), "r")


@pytest.mark.parametrize("seed", range(6))
def test_fast_path_equals_the_previous_formula(seed: int) -> None:
    rng = np.random.default_rng(seed)
    track = _random_track(rng)
    lon = rng.uniform(track.lon.min() - 0.2, track.lon.max() + 0.2, 400)
    lat = rng.uniform(track.lat.min() - 0.2, track.lat.max() + 0.2, 400)
    fast = detection_probability(track, lon, lat)
    before = _previous(track, lon, lat)
    assert np.allclose(fast, before, rtol=1e-9, atol=1e-12)
    assert fast.max() > 0.01  # the check sees real probabilities, not only zeros


def test_legs_combine_to_the_track() -> None:
    rng = np.random.default_rng(9)
    track = _random_track(rng)
    lon = rng.uniform(track.lon.min(), track.lon.max(), (7, 11))
    lat = rng.uniform(track.lat.min(), track.lat.max(), (7, 11))
    legs = leg_detection_probability(track, lon, lat)
    assert legs.shape == (7, 11, track.n_legs)
    assert ((legs >= 0) & (legs <= 1)).all()
    combined = 1.0 - np.prod(1.0 - legs, axis=-1)
    assert np.allclose(combined, detection_probability(track, lon, lat), rtol=1e-9, atol=1e-12)
    # one leg alone is a track of that leg
    k = track.n_legs // 2
    one = Track(track.lon[k : k + 2], track.lat[k : k + 2], track.sweep_width_nm)
    alone = detection_probability(one, lon, lat)
    # (its plane is centred on the leg, not the track: distances differ by a few parts per
    # million tens of NM from the centre)
    assert np.allclose(legs[..., k], alone, rtol=1e-4, atol=1e-9)


def test_nan_positions_and_repeated_points_give_zero() -> None:
    track = Track(np.array([50.0, 50.0, 50.2]), np.array([41.0, 41.0, 41.0]), 2.0)
    p = leg_detection_probability(track, [np.nan, 50.1], [41.0, 41.01])
    assert p[0].tolist() == [0.0, 0.0]
    assert p[1, 0] == 0.0
    assert p[1, 1] > 0.5
    assert detection_probability(track, np.nan, 41.0) == 0.0


def test_plane_is_computed_once_per_track() -> None:
    track = Track(np.array([50.0, 50.2]), np.array([41.0, 41.1]), 1.0)
    assert track.plane is track.plane
