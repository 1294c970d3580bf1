"""Places of the Caspian: ports, rescue coordination centres, naval bases, offshore fields.

The table ``data/places.csv`` lists each place with its state, position, a confidence
("checked" against the cited source, or "approximate") and its source. Field positions of
offshore oil and gas fields are field centres: platforms lie within about 15-20 km.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from littoral.errors import InputError
from littoral.geo.distance import haversine_m

KINDS = ("port", "mrcc", "naval", "offshore", "terminal")
"""Kinds of place in the table."""
STATES = ("AZ", "IR", "KZ", "RU", "TM")
"""ISO alpha-2 codes of the five littoral states."""


@dataclass(frozen=True)
class Place:
    """A named place with its state and source.

    Attributes
    ----------
    name : str
        Name as used locally, with a note where useful.
    kind : str
        One of :data:`KINDS`.
    state : str
        ISO alpha-2 code of its state (AZ, IR, KZ, RU, TM).
    lon, lat : float
        Position, degrees (WGS 84).
    confidence : str
        "checked" or "approximate".
    source : str
        Where the position comes from.
    """

    name: str
    kind: str
    state: str
    lon: float
    lat: float
    confidence: str
    source: str


@cache
def all_places() -> tuple[Place, ...]:
    """Every place in the table, in file order."""
    ref = resources.files("littoral.geo") / "data" / "places.csv"
    with ref.open(encoding="utf-8") as f:
        return tuple(
            Place(
                name=row["name"],
                kind=row["kind"],
                state=row["state"],
                lon=float(row["lon"]),
                lat=float(row["lat"]),
                confidence=row["confidence"],
                source=row["source"],
            )
            for row in csv.DictReader(f)
        )


def _check(kind: str | None, state: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise InputError(f"kind={kind!r} is not one of {', '.join(KINDS)}")
    if state is not None and state not in STATES:
        raise InputError(f"state={state!r} is not one of {', '.join(STATES)}")


def places(kind: str | None = None, state: str | None = None) -> tuple[Place, ...]:
    """Places filtered by kind and state (None: any).

    Examples
    --------
    >>> [p.name for p in places(kind="mrcc")]
    ['MRCC Astrakhan (FGBU AMP Kaspiyskogo morya)']
    """
    _check(kind, state)
    return tuple(
        p
        for p in all_places()
        if (kind is None or p.kind == kind) and (state is None or p.state == state)
    )


def nearest(lon: float, lat: float, kind: str | None = None) -> tuple[Place, float]:
    """Return the place nearest to (lon, lat), with its great-circle distance in metres.

    Raises
    ------
    InputError
        For an unknown kind or a non-finite position.
    """
    if not (np.isfinite(lon) and np.isfinite(lat)):
        raise InputError(f"position lon={lon!r} lat={lat!r} is not finite")
    candidates = places(kind=kind)
    d = haversine_m(lon, lat, [p.lon for p in candidates], [p.lat for p in candidates])
    i = int(np.argmin(d))
    return candidates[i], float(d[i])
