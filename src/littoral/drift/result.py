"""The outcome of a drift run: where every particle was at each output time.

:mod:`littoral.drift` produces it; :mod:`littoral.search` turns it into a probability map and
updates its ``weight`` after an unsuccessful search, so the cloud keeps drifting.

Export: :meth:`DriftResult.to_netcdf` writes a CF-1.11 trajectory file
(``featureType = "trajectory"``, dimensions ``trajectory`` and ``time``) and
:func:`read_netcdf` reads one back; :meth:`DriftResult.to_geojson` writes the summaries
(centroid track, 50 % and 90 % containment areas); :meth:`DriftResult.density` gives a
probability grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from os import PathLike
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from littoral.clock import require_utc
from littoral.records.particle_status import ParticleStatus

__all__ = ["DriftResult", "ParticleStatus", "read_netcdf"]

if TYPE_CHECKING:
    from littoral.drift.summary import CentroidTrackArrays, DensityGrid


@dataclass
class DriftResult:
    """Particle positions over time.

    Attributes
    ----------
    times:
        Output times, ``datetime64[s]`` in UTC, shape ``(n_times,)``. In run order: a
        backtracking run (negative time step) has decreasing times.
    lon, lat:
        Degrees, shape ``(n_times, n_particles)``. A stranded particle stays at the point where
        it met the shore; a particle not yet released sits at its seed position.
    status:
        :class:`ParticleStatus` codes, ``int8``, shape ``(n_times, n_particles)``.
    weight:
        Probability weight of each particle, shape ``(n_particles,)``, summing to one.
        A Bayesian update after an unsuccessful search lowers the weights of particles that
        were likely to be seen.
    seed:
        Seed of the random generator that drew the particles; same seed, same result.
    object_class:
        Leeway object class name (e.g. ``"PIW-1"``).
    attrs:
        Provenance: forcing, version, settings; written into exported files.
    """

    times: npt.NDArray[np.datetime64]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    status: npt.NDArray[np.int8]
    weight: npt.NDArray[np.float64]
    seed: int
    object_class: str
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def n_particles(self) -> int:
        """Number of particles."""
        return int(self.lon.shape[1])

    @property
    def n_times(self) -> int:
        """Number of output times."""
        return int(self.lon.shape[0])

    def time_index(self, when: datetime | np.datetime64) -> int:
        """Return the index of the output time closest to ``when`` (UTC datetime or datetime64)."""
        if isinstance(when, datetime):
            t = np.datetime64(require_utc(when, "when").replace(tzinfo=None), "s")
        else:
            t = when.astype("datetime64[s]")
        return int(np.argmin(np.abs(self.times - t)))

    def to_netcdf(self, path: str | PathLike[str]) -> None:
        """Write a CF-1.11 trajectory NetCDF file (see :mod:`littoral.drift.netcdf`)."""
        from littoral.drift.netcdf import write_netcdf

        write_netcdf(self, path)

    def to_geojson(
        self,
        path: str | PathLike[str] | None = None,
        *,
        time_indices: list[int] | None = None,
        levels: tuple[float, ...] = (0.5, 0.9),
        centroid_track: CentroidTrackArrays | None = None,
    ) -> dict[str, Any]:
        """Return (and write, if ``path`` is given) the GeoJSON summary of the cloud.

        See :func:`littoral.drift.summary.geojson_summary`.
        """
        from littoral.drift.summary import geojson_summary, write_geojson

        doc = geojson_summary(
            self, time_indices=time_indices, levels=levels, centroid_track=centroid_track
        )
        if path is not None:
            write_geojson(doc, path)
        return doc

    def density(
        self,
        time_index: int,
        *,
        cell_m: float | None = None,
        bounds: tuple[float, float, float, float] | None = None,
    ) -> DensityGrid:
        """Return the probability density grid at one output time.

        See :func:`littoral.drift.summary.density_grid`.
        """
        from littoral.drift.summary import density_grid

        return density_grid(self, time_index, cell_m=cell_m, bounds=bounds)


def read_netcdf(path: str | PathLike[str]) -> DriftResult:
    """Read a drift result written by :meth:`DriftResult.to_netcdf`.

    Raises
    ------
    InputError
        If the file is missing or is not a littoral/CF trajectory file.
    """
    from littoral.drift.netcdf import read_netcdf as _read

    return _read(path)
