"""A batch of positions grouped by MMSI, and which groups are plain runs of one ship.

An ingest applies tens of thousands of positions at a time to the picture, a few per vessel.
Report by report that is a Python loop of several microseconds each. Grouped by MMSI (one
``numpy`` sort per batch), most groups turn out to be a plain run: coordinates in range,
each report later than the one before and within the split rule's box of it. Such a run
changes its vessel only by appending its points and taking the last one's values, which the
picture does once per group (:meth:`~littoral.tracks.picture.TrackStore.apply_position_columns`).
A group that is a plain run but for steps beyond the box (a ship heard after minutes) is
*ordered*: the picture checks those steps against the split rule, as report by report would,
and takes the group in one step too when every one is compatible. Any other group is
applied report by report, as before.

A plain run touches only its own vessel, which exists already: runs of different vessels
commute with each other and with every other report. The reports of the other groups are
applied after the runs, one by one in the batch's order, so new vessels and second ships of
one MMSI are made in the order the batch heard them, as report by report. The picture is left
exactly as applying the reports in the batch's order leaves it
(``tests/unit/tracks/test_picture_columns.py`` compares both on real captures and on drawn
batches).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np


class PositionGroups(NamedTuple):
    """A batch's positions grouped by MMSI (see :func:`group_positions`)."""

    order: list[int]
    """Indices of the positions, one MMSI after another, each MMSI's in the batch's order."""
    bounds: list[int]
    """Group ``g`` is ``order[bounds[g]:bounds[g + 1]]``; the groups are in MMSI order."""
    plain: list[bool]
    """Whether group ``g`` is a plain run: every position's coordinates in range, and each
    after the first strictly later (in milliseconds) and less than ``near_deg`` away in
    latitude and longitude from the one before."""
    ordered: list[bool]
    """Whether group ``g`` has every position's coordinates in range and each after the first
    strictly later (in milliseconds) than the one before, however far: a plain run but for
    its long steps, which the picture may still take in one step (each compatible with the
    one before under the split rule)."""
    firsts: list[int]
    """The index of each group's first position."""
    lasts: list[int]
    """The index of each group's last position."""
    marked: list[list[int]]
    """For each of the ``marks`` given, the index of each group's last marked position, or
    -1 where none is marked."""


def group_positions(
    mmsis: Sequence[int],
    lons: Sequence[float],
    lats: Sequence[float],
    times_ms: Sequence[int],
    near_deg: float,
    marks: Sequence[Sequence[bool]] = (),
) -> PositionGroups:
    """Group a batch's positions by MMSI and tell which groups are plain runs.

    Times compare in milliseconds: a time later by whole milliseconds is later, and the few
    groups with two reports in one millisecond are simply not plain.

    Examples
    --------
    >>> g = group_positions([7, 5, 7, 5], [50.0, 51.0, 50.01, 52.5], [40.0] * 4,
    ...                     [0, 0, 1000, 1000], near_deg=0.5)
    >>> g.order, g.bounds, g.plain, g.ordered, g.firsts, g.lasts
    ([1, 3, 0, 2], [0, 2, 4], [False, True], [True, True], [1, 0], [3, 2])
    """
    n = len(mmsis)
    if n == 0:
        return PositionGroups([], [0], [], [], [], [], [[] for _ in marks])
    mmsi = np.fromiter(mmsis, np.int64, n)
    order = np.argsort(mmsi, kind="stable")
    sorted_mmsi = mmsi[order]
    bounds = np.concatenate(
        (np.flatnonzero(np.concatenate(([True], sorted_mmsi[1:] != sorted_mmsi[:-1]))), [n])
    )
    lon = np.fromiter(lons, np.float64, n)[order]
    lat = np.fromiter(lats, np.float64, n)[order]
    ms = np.fromiter(times_ms, np.int64, n)[order]
    good = (lon >= -180.0) & (lon <= 180.0) & (lat >= -90.0) & (lat <= 90.0)
    later = np.ones(n, np.bool_)
    step = np.ones(n, np.bool_)
    with np.errstate(invalid="ignore"):  # (NaN coordinates: not in range, so not plain)
        d_lat = lat[1:] - lat[:-1]
        d_lon = lon[1:] - lon[:-1]
        later[1:] = ms[1:] > ms[:-1]
        step[1:] = (
            later[1:]
            & (-near_deg < d_lat)
            & (d_lat < near_deg)
            & (-near_deg < d_lon)
            & (d_lon < near_deg)
        )
    starts = bounds[:-1]
    step[starts] = True  # a group's first position has no position before it
    later[starts] = True
    plain = np.minimum.reduceat((good & step).astype(np.uint8), starts).astype(np.bool_)
    ordered = np.minimum.reduceat((good & later).astype(np.uint8), starts).astype(np.bool_)
    marked = []
    for mark in marks:
        where = np.where(np.fromiter(mark, np.bool_, n)[order], order, -1)
        marked.append(np.maximum.reduceat(where, starts).tolist())
    return PositionGroups(
        order.tolist(),
        bounds.tolist(),
        plain.tolist(),
        ordered.tolist(),
        order[starts].tolist(),
        order[bounds[1:] - 1].tolist(),
        marked,
    )
