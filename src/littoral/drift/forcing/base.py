"""The :class:`ForcingReader` protocol: where wind, current and waves come from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from littoral.clock import require_utc
from littoral.drift.forcing.grid import Coverage, GridField, Reach, epoch_s, sample_field, where
from littoral.drift.forcing.names import CURRENT, STOKES, WIND
from littoral.errors import ForcingError, InputError

Bbox = tuple[float, float, float, float]
"""``(lon_min, lat_min, lon_max, lat_max)`` in degrees."""

PAIRS: tuple[tuple[str, str], ...] = (WIND, CURRENT, STOKES)


def pair_of(name: str) -> tuple[str, str]:
    """Return the vector quantity (pair of CF names) a component belongs to."""
    for pair in PAIRS:
        if name in pair:
            return pair
    known = ", ".join(n for p in PAIRS for n in p)
    raise InputError(f"forcing variable {name!r} is not known; known: {known}")


@runtime_checkable
class ForcingReader(Protocol):
    """A source of forcing: a constant, on-scene observations, or a gridded file.

    Variables are named by CF standard name (:mod:`littoral.drift.forcing.names`); values are
    in m/s, eastward and northward components.
    """

    @property
    def name(self) -> str:
        """Provenance: what this reader is and where its data come from."""
        ...

    @property
    def variables(self) -> frozenset[str]:
        """CF names this reader provides."""
        ...

    def coverage(self, name: str) -> Coverage:
        """Where and when the reader has ``name``."""
        ...

    def field(
        self,
        names: tuple[str, str],
        bbox: Bbox,
        t0_s: float,
        t1_s: float,
        reach: Reach | None = None,
    ) -> GridField:
        """Return the pair ``names`` on a regular grid covering ``bbox`` and ``[t0_s, t1_s]``.

        The grid may be cut to the reader's own coverage; it includes the grid points just
        outside the box and the times just outside the span, so that interpolation inside
        them needs nothing else. ``reach`` says where the cloud can be at each time: a gap
        in the data beyond it cannot meet a particle (:mod:`littoral.drift.forcing.gaps`).
        """
        ...

    def sample(
        self,
        names: Sequence[str],
        time: datetime,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> dict[str, npt.NDArray[np.float64]]:
        """Values of ``names`` at one time and many points (bilinear, linear in time)."""
        ...


def check_covers(
    reader: ForcingReader,
    name: str,
    t0_s: float,
    t1_s: float,
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
) -> None:
    """Raise :class:`ForcingError` naming the variable, place and time a reader lacks."""
    if name not in reader.variables:
        raise ForcingError(f"{reader.name} has no {name}")
    cov = reader.coverage(name)
    bad_t = cov.uncovered_time(t0_s, t1_s)
    if bad_t is not None:
        from littoral.drift.forcing.grid import iso

        raise ForcingError(
            f"no {name} at {iso(bad_t)} near {where(float(lon[0]), float(lat[0]))}: "
            f"{reader.name} covers {cov.describe()} (shorten the run, or give --hold-last "
            "to hold its last field past its end)"
        )
    k = cov.uncovered_point(lon, lat)
    if k is not None:
        from littoral.drift.forcing.grid import iso

        raise ForcingError(
            f"no {name} at {where(float(lon[k]), float(lat[k]))} on {iso(t0_s)}: "
            f"{reader.name} covers {cov.describe()}"
        )


def sample_reader(
    reader: ForcingReader,
    names: Sequence[str],
    time: datetime,
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
) -> dict[str, npt.NDArray[np.float64]]:
    """Sample like :meth:`ForcingReader.sample` through :meth:`ForcingReader.field`."""
    t_s = epoch_s(require_utc(time, "time"))
    lon = np.atleast_1d(np.asarray(lon, dtype=np.float64))
    lat = np.atleast_1d(np.asarray(lat, dtype=np.float64))
    out: dict[str, npt.NDArray[np.float64]] = {}
    for name in names:
        if name in out:
            continue
        pair = pair_of(name)
        for n in pair:
            check_covers(reader, n, t_s, t_s, lon, lat)
        bbox = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
        fld = reader.field(pair, bbox, t_s, t_s)
        u, v = sample_field(fld, t_s, lon, lat)
        out[pair[0]], out[pair[1]] = u, v
    return {n: out[n] for n in names}
